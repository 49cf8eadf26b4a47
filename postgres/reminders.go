package postgres

import (
	"context"
	"errors"
	"math"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
	"github.com/vetshare/vetshare/internal/compose"
)

const actionCols = `account_id, item_id, target_account_id, target_item_id, created_at`

func (t *dtx) actions(ctx context.Context, query string, args ...any) ([]vetshare.DisableAction, error) {
	var out []vetshare.DisableAction
	err := t.each(ctx, func(r pgx.Rows) error {
		var a vetshare.DisableAction
		var created int64
		err := r.Scan(&a.AccountID, &a.ItemID, &a.TargetAccountID, &a.TargetItemID, &created)
		a.CreatedAt = fromMicros(created)
		out = append(out, a)
		return err
	}, query, args...)
	return out, err
}

// InsertDisableAction implements [driver.Tx].
func (t *dtx) InsertDisableAction(ctx context.Context, a vetshare.DisableAction) error {
	o, err := t.acct(ctx, a.AccountID)
	if err != nil || o == "" {
		return orNotFound(err, vetshare.NotFound("account", a.AccountID))
	}
	return t.write(ctx, func() error {
		_, err := t.exec(ctx, `INSERT INTO vetshare.disable_actions (owner_id, `+actionCols+`) VALUES ($1, $2, $3, $4, $5, $6)`,
			o, a.AccountID, a.ItemID, a.TargetAccountID, a.TargetItemID, micros(a.CreatedAt))
		return err
	})
}

// DeleteDisableAction implements [driver.Tx].
func (t *dtx) DeleteDisableAction(ctx context.Context, item, target vetshare.ItemID) error {
	notFound := vetshare.NotFound("disable action", string(item)+"->"+string(target))
	o, err := t.bare(ctx, "item", string(item))
	if err != nil || o == "" {
		return orNotFound(err, notFound)
	}
	return t.execOne(ctx, notFound, `DELETE FROM vetshare.disable_actions WHERE owner_id = $1 AND item_id = $2 AND target_item_id = $3`, o, item, target)
}

// DisableActions implements [driver.Tx].
func (t *dtx) DisableActions(ctx context.Context, item vetshare.ItemID) ([]vetshare.DisableAction, error) {
	o, err := t.bare(ctx, "item", string(item))
	if err != nil || o == "" {
		return nil, err
	}
	return t.actions(ctx, `SELECT `+actionCols+` FROM vetshare.disable_actions WHERE owner_id = $1 AND item_id = $2 ORDER BY target_item_id`, o, item)
}

// AccountsDisableActions implements [driver.Tx].
func (t *dtx) AccountsDisableActions(ctx context.Context, accounts []vetshare.AccountID) ([]vetshare.DisableAction, error) {
	if len(accounts) == 0 {
		return nil, nil
	}
	o, err := t.acct(ctx, accounts[0])
	if err != nil || o == "" {
		return nil, err
	}
	return t.actions(ctx, `SELECT `+actionCols+` FROM vetshare.disable_actions WHERE owner_id = $1 AND account_id = ANY ($2)`, o, strs(accounts))
}

const reminderCols = `r.id, r.patient_id, r.account_id, r.item_id, r.usage_id, r.kind, r.due, r.status,
	r.completed_by, r.completed_at, r.created_at`

func scanReminder(rows pgx.Rows, r *vetshare.Reminder, more ...any) error {
	var by *string
	var due, created int64
	var at *int64
	err := rows.Scan(append([]any{&r.ID, &r.PatientID, &r.AccountID, &r.ItemID, &r.UsageID, &r.Kind, &due, &r.Status,
		&by, &at, &created}, more...)...)
	r.Due, r.CreatedAt = fromMicros(due), fromMicros(created)
	r.CompletedBy, r.CompletedAt = vetshare.RecordID(deref(by)), fromNull(at)
	return err
}

func (t *dtx) reminders(ctx context.Context, query string, args ...any) ([]vetshare.Reminder, error) {
	var out []vetshare.Reminder
	err := t.each(ctx, func(rows pgx.Rows) error {
		var r vetshare.Reminder
		err := scanReminder(rows, &r)
		out = append(out, r)
		return err
	}, query, args...)
	return out, err
}

// InsertReminder implements [driver.Tx].
func (t *dtx) InsertReminder(ctx context.Context, r vetshare.Reminder) error {
	o, err := t.acct(ctx, r.AccountID)
	if err != nil || o == "" {
		return orNotFound(err, vetshare.NotFound("account", r.AccountID))
	}
	return t.write(ctx, func() error {
		_, err := t.exec(ctx, `INSERT INTO vetshare.reminders (owner_id, id, patient_id, account_id, item_id, usage_id, kind, kind_key, due, status,
			completed_by, completed_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
			o, r.ID, r.PatientID, r.AccountID, r.ItemID, r.UsageID, r.Kind, vetshare.FoldName(r.Kind), micros(r.Due), string(r.Status),
			nullString(string(r.CompletedBy)), micros(r.CompletedAt), micros(r.CreatedAt))
		return err
	})
}

// Reminder implements [driver.Tx].
func (t *dtx) Reminder(ctx context.Context, id vetshare.ReminderID) (vetshare.Reminder, error) {
	notFound := vetshare.NotFound("reminder", id)
	o, err := t.bare(ctx, "reminder", string(id))
	if err != nil || o == "" {
		return vetshare.Reminder{}, orNotFound(err, notFound)
	}
	rs, err := t.reminders(ctx, `SELECT `+reminderCols+` FROM vetshare.reminders r WHERE r.owner_id = $1 AND r.id = $2`, o, id)
	if err != nil || len(rs) == 0 {
		return vetshare.Reminder{}, orNotFound(err, notFound)
	}
	return rs[0], nil
}

// PatientReminders implements [driver.Tx].
func (t *dtx) PatientReminders(ctx context.Context, patient vetshare.PatientID, status vetshare.ReminderStatus) ([]vetshare.Reminder, error) {
	o, err := t.bare(ctx, "patient", string(patient))
	if err != nil || o == "" {
		return nil, err
	}
	return t.reminders(ctx, `SELECT `+reminderCols+` FROM vetshare.reminders r WHERE r.owner_id = $1 AND r.patient_id = $2
		AND ($3 = '' OR r.status = $3) ORDER BY r.due, r.id`, o, patient, string(status))
}

// OpenReminders implements [driver.Tx].
func (t *dtx) OpenReminders(ctx context.Context, patient vetshare.PatientID, items []vetshare.ItemID) ([]vetshare.Reminder, error) {
	if len(items) == 0 {
		return nil, nil
	}
	o, err := t.bare(ctx, "patient", string(patient))
	if err != nil || o == "" {
		return nil, err
	}
	return t.reminders(ctx, `SELECT `+reminderCols+` FROM vetshare.reminders r WHERE r.owner_id = $1 AND r.patient_id = $2
		AND r.status = 'open' AND r.item_id = ANY ($3) ORDER BY r.due, r.id`, o, patient, strs(items))
}

// UsageReminders implements [driver.Tx].
func (t *dtx) UsageReminders(ctx context.Context, usage vetshare.RecordID) ([]vetshare.Reminder, error) {
	o, err := t.bare(ctx, "record", string(usage))
	if err != nil || o == "" {
		return nil, err
	}
	return t.reminders(ctx, `SELECT `+reminderCols+` FROM vetshare.reminders r WHERE r.owner_id = $1 AND r.usage_id = $2 ORDER BY r.id`, o, usage)
}

// CompletedReminders implements [driver.Tx].
func (t *dtx) CompletedReminders(ctx context.Context, usage vetshare.RecordID) ([]vetshare.Reminder, error) {
	o, err := t.bare(ctx, "record", string(usage))
	if err != nil || o == "" {
		return nil, err
	}
	return t.reminders(ctx, `SELECT `+reminderCols+` FROM vetshare.reminders r WHERE r.owner_id = $1 AND r.completed_by = $2 ORDER BY r.id`, o, usage)
}

// UpdateReminderStatus implements [driver.Tx].
func (t *dtx) UpdateReminderStatus(ctx context.Context, r vetshare.Reminder, from vetshare.ReminderStatus) error {
	o, err := t.bare(ctx, "reminder", string(r.ID))
	if err != nil || o == "" {
		return orNotFound(err, vetshare.NotFound("reminder", r.ID))
	}
	var n int64
	err = t.write(ctx, func() (err error) {
		n, err = t.exec(ctx, `UPDATE vetshare.reminders SET status = $3, completed_by = $4, completed_at = $5
			WHERE owner_id = $1 AND id = $2 AND status = $6`,
			o, r.ID, string(r.Status), nullString(string(r.CompletedBy)), micros(r.CompletedAt), string(from))
		return err
	})
	if err != nil {
		if errors.Is(err, vetshare.ErrConflict) {
			return &vetshare.ConflictError{Kind: "reminder", ID: string(r.ID), Reason: "the patient has an open reminder of this item and kind"}
		}
		return err
	}
	if n == 1 {
		return nil
	}
	cur, err := t.Reminder(ctx, r.ID)
	if err != nil {
		return err
	}
	return &vetshare.ConflictError{Kind: "reminder", ID: string(r.ID), Reason: "the reminder is " + string(cur.Status) + ", no longer " + string(from)}
}

// InsertUsageTargets implements [driver.Tx].
func (t *dtx) InsertUsageTargets(ctx context.Context, usage vetshare.RecordID, targets []vetshare.ItemID) error {
	if len(targets) == 0 {
		return nil
	}
	o, err := t.bare(ctx, "record", string(usage))
	if err != nil || o == "" {
		return orNotFound(err, vetshare.NotFound("usage", usage))
	}
	return t.write(ctx, func() error {
		_, err := t.exec(ctx, `INSERT INTO vetshare.usage_targets (owner_id, usage_id, target_item_id) SELECT $1, $2, unnest($3::text[])`,
			o, usage, strs(targets))
		return err
	})
}

// givenAfter is the bound of "given after": the time, or below every time when it is zero,
// so that a generic plan still reads the index as a range.
func givenAfter(after time.Time) int64 {
	if after.IsZero() {
		return math.MinInt64
	}
	return vetshare.Time(after).UnixMicro()
}

// qUsageFacts is UsageFacts' read, routed by the account's owner ($1), with the account $2,
// the patient $3, the item $4, the member $5 and the time given $6: the member's membership
// joined to the patient as patientSeenFrom reads it, its client (its owner and origin) and the
// item, with the item's disable actions and the open reminders of the usage's targets as JSON
// arrays, and whether a usage was given after $6. Every table but the users and memberships is
// filtered by the owner, so a distributed PostgreSQL routes it to one shard.
const qUsageFacts = `SELECT c.owner_id, c.origin_account, m.active AND u.active, ` + itemCols + `,
		(SELECT coalesce(json_agg(json_build_object('account', d.account_id, 'target_account', d.target_account_id,
				'target_item', d.target_item_id, 'created', d.created_at) ORDER BY d.target_item_id), '[]')
			FROM vetshare.disable_actions d WHERE d.owner_id = $1 AND d.item_id = $4),
		(SELECT coalesce(json_agg(json_build_object('id', o.id, 'account', o.account_id, 'item', o.item_id, 'usage', o.usage_id,
				'kind', o.kind, 'due', o.due, 'created', o.created_at) ORDER BY o.due, o.id), '[]')
			FROM vetshare.reminders o WHERE o.owner_id = $1 AND o.patient_id = $3 AND o.status = 'open' AND o.item_id IN
				(SELECT $4 UNION ALL SELECT x.target_item_id FROM vetshare.disable_actions x
					WHERE x.owner_id = $1 AND x.item_id = $4 AND x.account_id = $2)),
		EXISTS (SELECT 1 FROM vetshare.records lu WHERE lu.owner_id = $1 AND lu.patient_id = $3 AND lu.kind = 'usage'
			AND lu.removed_at IS NULL AND lu.given_at > $6)
	FROM vetshare.memberships m JOIN vetshare.users u ON u.id = m.user_id
	JOIN vetshare.patients p ON p.owner_id = $1 AND p.id = $3
		AND NOT EXISTS (SELECT 1 FROM vetshare.patient_replaced r WHERE r.owner_id = $1 AND r.patient_id = p.id)
	JOIN vetshare.client_entries e ON e.owner_id = $1 AND e.client_id = p.client_id AND e.account_id = $2
	JOIN vetshare.clients c ON c.owner_id = $1 AND c.id = p.client_id
	JOIN vetshare.items i ON i.owner_id = $1 AND i.id = $4
	WHERE m.user_id = $5 AND m.account_id = $2`

// factAction is a disable action as qUsageFacts gives it.
type factAction struct {
	Account       vetshare.AccountID `json:"account"`
	TargetAccount vetshare.AccountID `json:"target_account"`
	TargetItem    vetshare.ItemID    `json:"target_item"`
	Created       int64              `json:"created"`
}

// UsageFacts implements [driver.Tx]: with a member, one statement once the account's owner is
// known. Without a member, and when that statement finds no row or a member not active, it asks
// the single-purpose reads, which say what is missing or refused.
func (t *dtx) UsageFacts(ctx context.Context, account vetshare.AccountID, patient vetshare.PatientID, member vetshare.UserID,
	item vetshare.ItemID, given time.Time) (driver.UsageFacts, error) {
	slow := func() (driver.UsageFacts, error) {
		return compose.UsageFacts(ctx, t, account, patient, member, item, given)
	}
	if member == "" {
		return slow()
	}
	o, err := t.acct(ctx, account)
	if err != nil {
		return driver.UsageFacts{}, err
	}
	if o == "" {
		return slow()
	}
	var f driver.UsageFacts
	var active bool
	var iCreated int64
	var rules string
	var actions []factAction
	var open []compose.OpenReminder
	found := false
	err = t.each(ctx, func(r pgx.Rows) error {
		found = true
		return r.Scan(&f.Owner, &f.Origin, &active,
			&f.Item.ID, &f.Item.AccountID, &f.Item.Name, &f.Item.Kind, &f.Item.Tracked, &rules, &f.Item.OnHand, &iCreated,
			&actions, &open, &f.Later)
	}, qUsageFacts, o, account, patient, item, member, givenAfter(given))
	if err != nil {
		return driver.UsageFacts{}, err
	}
	if !found || !active {
		return slow()
	}
	f.Item.CreatedAt = fromMicros(iCreated)
	if f.Item.Reminders, err = decodeRules(rules); err != nil {
		return driver.UsageFacts{}, err
	}
	for _, a := range actions {
		f.Actions = append(f.Actions, vetshare.DisableAction{AccountID: a.Account, ItemID: item, TargetAccountID: a.TargetAccount,
			TargetItemID: a.TargetItem, CreatedAt: fromMicros(a.Created)})
	}
	for _, r := range open {
		f.Open = append(f.Open, r.Reminder(patient))
	}
	return f, nil
}

// PatientUsages implements [driver.Tx].
func (t *dtx) PatientUsages(ctx context.Context, patient vetshare.PatientID, after time.Time) ([]vetshare.Usage, error) {
	o, err := t.bare(ctx, "patient", string(patient))
	if err != nil || o == "" {
		return nil, err
	}
	var out []vetshare.Usage
	err = t.each(ctx, func(rows pgx.Rows) error {
		var u vetshare.Usage
		var targets []string
		err := scanRecord(rows, &u.Record, &targets)
		u.Targets = make([]vetshare.ItemID, len(targets))
		for i, s := range targets {
			u.Targets[i] = vetshare.ItemID(s)
		}
		out = append(out, u)
		return err
	}, `SELECT `+recordCols+`, (SELECT coalesce(array_agg(x.target_item_id ORDER BY x.target_item_id), '{}') FROM vetshare.usage_targets x
			WHERE x.owner_id = $1 AND x.usage_id = r.id)
		FROM vetshare.records r
		WHERE r.owner_id = $1 AND r.patient_id = $2 AND r.kind = 'usage' AND r.removed_at IS NULL AND r.given_at > $3
		ORDER BY r.given_at, r.seq`, o, patient, givenAfter(after))
	return out, err
}

// DueReminders implements [driver.Tx].
func (t *dtx) DueReminders(ctx context.Context, account vetshare.AccountID, from, to, afterDue time.Time, afterID vetshare.ReminderID, limit int) ([]vetshare.DueReminder, error) {
	o, err := t.acct(ctx, account)
	if err != nil || o == "" {
		return nil, err
	}
	start := micros(from)
	if afterID != "" {
		start = micros(afterDue)
	}
	var out []vetshare.DueReminder
	err = t.each(ctx, func(rows pgx.Rows) error {
		var d vetshare.DueReminder
		err := scanReminder(rows, &d.Reminder, &d.PatientName, &d.ClientID, &d.AccountName)
		out = append(out, d)
		return err
	}, `SELECT `+reminderCols+`, p.name, p.client_id, a.name
		FROM vetshare.reminders r JOIN vetshare.patients p ON p.owner_id = $1 AND p.id = r.patient_id
		JOIN vetshare.accounts a ON a.owner_id = $1 AND a.id = r.account_id
		WHERE r.owner_id = $1 AND r.account_id = $2 AND r.status = 'open' AND r.due >= $3 AND r.due < $4 AND (r.due, r.id) > ($5, $6)
		ORDER BY r.due, r.id LIMIT $7`,
		o, account, micros(from), micros(to), start, string(afterID), limitArg(limit))
	return out, err
}

// DuplicateReminders implements [driver.Tx].
func (t *dtx) DuplicateReminders(ctx context.Context, accounts []vetshare.AccountID) ([]vetshare.Reminder, error) {
	if len(accounts) == 0 {
		return nil, nil
	}
	o, err := t.acct(ctx, accounts[0])
	if err != nil || o == "" {
		return nil, err
	}
	return t.reminders(ctx, `WITH open AS (
			SELECT * FROM vetshare.reminders WHERE owner_id = $1 AND account_id = ANY ($2) AND status = 'open'
		), dup AS (
			SELECT patient_id, kind_key FROM open GROUP BY patient_id, kind_key HAVING count(*) > 1
		)
		SELECT `+reminderCols+` FROM dup JOIN open r USING (patient_id, kind_key)
		ORDER BY r.patient_id, r.kind_key, r.due, r.id`, o, strs(accounts))
}
