package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
	"github.com/vetshare/vetshare/internal/compose"
)

const actionCols = `account_id, item_id, target_account_id, target_item_id, created_at`

func scanAction(r *sql.Rows, a *vetshare.DisableAction) error {
	var created int64
	err := r.Scan(&a.AccountID, &a.ItemID, &a.TargetAccountID, &a.TargetItemID, &created)
	a.CreatedAt = time.UnixMicro(created).UTC()
	return err
}

func (t *dtx) InsertDisableAction(ctx context.Context, a vetshare.DisableAction) error {
	_, err := t.exec(ctx, `INSERT INTO vetshare_disable_actions (`+actionCols+`) VALUES (?, ?, ?, ?, ?)`,
		a.AccountID, a.ItemID, a.TargetAccountID, a.TargetItemID, micros(a.CreatedAt))
	return err
}

func (t *dtx) DeleteDisableAction(ctx context.Context, item, target vetshare.ItemID) error {
	return mustAffect(t.exec(ctx, `DELETE FROM vetshare_disable_actions WHERE item_id = ? AND target_item_id = ?`, item, target))(
		vetshare.NotFound("disable action", string(item)+"->"+string(target)))
}

// DisableActions implements [driver.Tx]: without a statement when the transaction's last
// statement was Item's read of the item, which read them too.
func (t *dtx) DisableActions(ctx context.Context, item vetshare.ItemID) ([]vetshare.DisableAction, error) {
	if a := t.itemActions; a.item != "" && a.item == item {
		t.itemActions = itemActions{}
		return a.actions()
	}
	var out []vetshare.DisableAction
	err := t.each(ctx, func(r *sql.Rows) error {
		var a vetshare.DisableAction
		err := scanAction(r, &a)
		out = append(out, a)
		return err
	}, `SELECT `+actionCols+` FROM vetshare_disable_actions WHERE item_id = ? ORDER BY target_item_id`, item)
	return out, err
}

func (t *dtx) AccountsDisableActions(ctx context.Context, accounts []vetshare.AccountID) ([]vetshare.DisableAction, error) {
	var out []vetshare.DisableAction
	err := t.each(ctx, func(r *sql.Rows) error {
		var a vetshare.DisableAction
		err := scanAction(r, &a)
		out = append(out, a)
		return err
	}, `SELECT d.account_id, d.item_id, d.target_account_id, d.target_item_id, d.created_at
		FROM json_each(?) j JOIN vetshare_disable_actions d INDEXED BY vetshare_disable_actions_account ON d.account_id = j.value`, idList(accounts))
	return out, err
}

const reminderCols = `r.id, r.patient_id, r.account_id, r.item_id, r.usage_id, r.kind, r.due, r.status,
	r.completed_by, r.completed_at, r.created_at`

func scanReminder(rows *sql.Rows, r *vetshare.Reminder, more ...any) error {
	var by sql.NullString
	var due, created int64
	var at sql.NullInt64
	err := rows.Scan(append([]any{&r.ID, &r.PatientID, &r.AccountID, &r.ItemID, &r.UsageID, &r.Kind, &due, &r.Status,
		&by, &at, &created}, more...)...)
	r.Due, r.CreatedAt = time.UnixMicro(due).UTC(), time.UnixMicro(created).UTC()
	r.CompletedBy, r.CompletedAt = vetshare.RecordID(by.String), fromMicros(at)
	return err
}

func (t *dtx) reminders(ctx context.Context, query string, args ...any) ([]vetshare.Reminder, error) {
	var out []vetshare.Reminder
	err := t.each(ctx, func(rows *sql.Rows) error {
		var r vetshare.Reminder
		err := scanReminder(rows, &r)
		out = append(out, r)
		return err
	}, query, args...)
	return out, err
}

func (t *dtx) InsertReminder(ctx context.Context, r vetshare.Reminder) error {
	_, err := t.exec(ctx, `INSERT INTO vetshare_reminders (id, patient_id, account_id, item_id, usage_id, kind, kind_key, due, status,
		completed_by, completed_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.PatientID, r.AccountID, r.ItemID, r.UsageID, r.Kind, vetshare.FoldName(r.Kind), micros(r.Due), string(r.Status),
		nullString(string(r.CompletedBy)), micros(r.CompletedAt), micros(r.CreatedAt))
	return err
}

func (t *dtx) Reminder(ctx context.Context, id vetshare.ReminderID) (vetshare.Reminder, error) {
	var r vetshare.Reminder
	err := t.queryRow(ctx, vetshare.NotFound("reminder", id), func(rows *sql.Rows) error { return scanReminder(rows, &r) },
		`SELECT `+reminderCols+` FROM vetshare_reminders r WHERE r.id = ?`, id)
	return r, err
}

func (t *dtx) PatientReminders(ctx context.Context, patient vetshare.PatientID, status vetshare.ReminderStatus) ([]vetshare.Reminder, error) {
	switch status {
	case "":
		return t.reminders(ctx, `SELECT `+reminderCols+` FROM vetshare_reminders r WHERE r.patient_id = ? ORDER BY r.due, r.id`, patient)
	case vetshare.ReminderOpen: // by the index of open reminders, however long the patient's history
		return t.reminders(ctx, `SELECT `+reminderCols+` FROM vetshare_reminders r INDEXED BY vetshare_reminders_open
			WHERE r.patient_id = ? AND r.status = 'open' ORDER BY r.due, r.id`, patient)
	}
	return t.reminders(ctx, `SELECT `+reminderCols+` FROM vetshare_reminders r WHERE r.patient_id = ? AND r.status = ?
		ORDER BY r.due, r.id`, patient, string(status))
}

// openFew is how many items the placeholder form of OpenReminders takes: a constant list of
// placeholders is cheaper than a JSON array for the one or two targets most usages have, and a
// longer list (a usage whose item has disable actions for every other account of a group of
// ten) is one statement over a JSON array rather than one statement per few items.
const openFew = 8

// The open reminders of a patient among a few items, and among any number of them; both probe
// vetshare_reminders_open once per item.
const (
	qOpenRemindersFew = `SELECT ` + reminderCols + ` FROM vetshare_reminders r INDEXED BY vetshare_reminders_open
		WHERE r.patient_id = ? AND r.status = 'open' AND r.item_id IN (?, ?, ?, ?, ?, ?, ?, ?)`
	qOpenRemindersList = `SELECT ` + reminderCols + ` FROM vetshare_reminders r INDEXED BY vetshare_reminders_open
		WHERE r.patient_id = ?1 AND r.status = 'open' AND r.item_id IN (SELECT value FROM json_each(?2))`
)

func (t *dtx) OpenReminders(ctx context.Context, patient vetshare.PatientID, items []vetshare.ItemID) ([]vetshare.Reminder, error) {
	if len(items) == 0 {
		return nil, nil
	}
	var out []vetshare.Reminder
	var err error
	if len(items) <= openFew {
		args := make([]any, 1+openFew)
		args[0] = patient
		for i := range openFew {
			args[1+i] = items[min(i, len(items)-1)] // repeat the last to fill the list
		}
		out, err = t.reminders(ctx, qOpenRemindersFew, args...)
	} else {
		out, err = t.reminders(ctx, qOpenRemindersList, patient, idList(items))
	}
	if err != nil {
		return nil, err
	}
	sortByDue(out)
	return out, nil
}

// sortByDue puts reminders in OpenReminders' order: by due date, then id.
func sortByDue(rs []vetshare.Reminder) {
	slices.SortFunc(rs, func(a, b vetshare.Reminder) int {
		return cmp.Or(a.Due.Compare(b.Due), strings.Compare(string(a.ID), string(b.ID)))
	})
}

// qUsageFacts is UsageFacts' read with a member (?1), the account ?2, the patient ?3, the item
// ?4 and the time given ?5: PatientWithClient's read, of the client only its owner and origin,
// joined to the item, with the item's disable actions as Item reads them, the open reminders
// of the usage's targets as a JSON array (OpenReminders' index, one probe an item), whether a
// usage was given after ?5 (PatientUsages' range, stopped at its first row), and lastSeqCol
// for the usage's record.
var qUsageFacts = memberCheck(", c.owner_id, c.origin_account, "+itemCols+", "+itemActionsCol+`,
		(SELECT json_group_array(json_object('id', o.id, 'account', o.account_id, 'item', o.item_id, 'usage', o.usage_id,
				'kind', o.kind, 'due', o.due, 'created', o.created_at))
			FROM vetshare_reminders o INDEXED BY vetshare_reminders_open
			WHERE o.patient_id = ?3 AND o.status = 'open' AND o.item_id IN
				(SELECT ?4 UNION ALL SELECT target_item_id FROM vetshare_disable_actions WHERE item_id = ?4 AND account_id = ?2)),
		EXISTS (SELECT 1 FROM vetshare_records lu INDEXED BY vetshare_records_patient_usages
			WHERE lu.patient_id = ?3 AND lu.kind = 'usage' AND lu.removed_at IS NULL AND lu.given_at > ?5),
		`+lastSeqCol,
	patientAsJoins+`
		JOIN vetshare_items i ON i.id = ?4`)

// errNoRow is qUsageFacts' read finding no row for an active member: the patient or the item
// is missing, and the single-purpose reads say which.
var errNoRow = errors.New("sqlite: no row")

// UsageFacts implements [driver.Tx]: one read with a member. Without one, and when the read
// finds no row, it asks the single-purpose reads, which say what is missing.
func (t *dtx) UsageFacts(ctx context.Context, account vetshare.AccountID, patient vetshare.PatientID, member vetshare.UserID,
	item vetshare.ItemID, given time.Time) (driver.UsageFacts, error) {
	if member == "" {
		return compose.UsageFacts(ctx, t, account, patient, member, item, given)
	}
	var f driver.UsageFacts
	var actions sql.NullString
	var open string
	iDest, iDone := itemDest(&f.Item)
	var last sql.NullInt64
	dest := append(append([]any{&f.Owner, &f.Origin}, iDest...), &actions, &open, &f.Later, &last)
	err := t.memberRead(ctx, qUsageFacts, member, account, errNoRow, []any{patient, item, givenAfter(given)}, dest...)
	if errors.Is(err, errNoRow) {
		return compose.UsageFacts(ctx, t, account, patient, member, item, given)
	}
	if err != nil {
		return driver.UsageFacts{}, err
	}
	t.keepLastSeq(last.Int64)
	if err := iDone(); err != nil {
		return driver.UsageFacts{}, err
	}
	if f.Actions, err = (itemActions{item: item, list: actions.String}).actions(); err != nil {
		return driver.UsageFacts{}, err
	}
	var rs []compose.OpenReminder
	if err := json.Unmarshal([]byte(open), &rs); err != nil {
		return driver.UsageFacts{}, fmt.Errorf("sqlite: the open reminders of patient %s read as %q: %w", patient, open, err)
	}
	if len(rs) > 0 {
		f.Open = make([]vetshare.Reminder, len(rs))
		for i, r := range rs {
			f.Open[i] = r.Reminder(patient)
		}
		sortByDue(f.Open)
	}
	return f, nil
}

func (t *dtx) UsageReminders(ctx context.Context, usage vetshare.RecordID) ([]vetshare.Reminder, error) {
	return t.reminders(ctx, `SELECT `+reminderCols+` FROM vetshare_reminders r WHERE r.usage_id = ? ORDER BY r.id`, usage)
}

func (t *dtx) CompletedReminders(ctx context.Context, usage vetshare.RecordID) ([]vetshare.Reminder, error) {
	return t.reminders(ctx, `SELECT `+reminderCols+` FROM vetshare_reminders r WHERE r.completed_by = ? ORDER BY r.id`, usage)
}

func (t *dtx) UpdateReminderStatus(ctx context.Context, r vetshare.Reminder, from vetshare.ReminderStatus) error {
	res, err := t.exec(ctx, `UPDATE vetshare_reminders SET status = ?, completed_by = ?, completed_at = ? WHERE id = ? AND status = ?`,
		string(r.Status), nullString(string(r.CompletedBy)), micros(r.CompletedAt), r.ID, string(from))
	if err != nil {
		if errors.Is(err, vetshare.ErrConflict) {
			return &vetshare.ConflictError{Kind: "reminder", ID: string(r.ID), Reason: "the patient has an open reminder of this item and kind"}
		}
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	cur, err := t.Reminder(ctx, r.ID)
	if err != nil {
		return err
	}
	return &vetshare.ConflictError{Kind: "reminder", ID: string(r.ID), Reason: "the reminder is " + string(cur.Status) + ", no longer " + string(from)}
}

// InsertUsageTargets implements [*vetshare.Tx]: one INSERT of every target, read from a JSON
// array, where there was one a target (a usage of an item with a disable action has two).
func (t *dtx) InsertUsageTargets(ctx context.Context, usage vetshare.RecordID, targets []vetshare.ItemID) error {
	if len(targets) == 0 {
		return nil
	}
	list, err := json.Marshal(targets)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, `INSERT INTO vetshare_usage_targets (usage_id, target_item_id) SELECT ?1, value FROM json_each(?2)`, usage, string(list))
	return err
}

// patientUsagesQuery reads a patient's usages given after ?2 as one range of
// vetshare_records_patient_usages, in the order they happened.
const patientUsagesQuery = `SELECT ` + recordCols + `, (SELECT json_group_array(target_item_id) FROM (SELECT target_item_id
		FROM vetshare_usage_targets WHERE usage_id = r.id ORDER BY target_item_id))
	FROM vetshare_records r INDEXED BY vetshare_records_patient_usages
	WHERE r.patient_id = ?1 AND r.kind = 'usage' AND r.removed_at IS NULL AND r.given_at > ?2
	ORDER BY r.given_at, r.seq`

// givenAfter is the bound of "given after": the time, or below every time when it is zero.
// A plain range, where "?2 IS NULL OR given_at > ?2" made SQLite read every usage of the
// patient.
func givenAfter(after time.Time) int64 {
	if after.IsZero() {
		return math.MinInt64
	}
	return vetshare.Time(after).UnixMicro()
}

func (t *dtx) PatientUsages(ctx context.Context, patient vetshare.PatientID, after time.Time) ([]vetshare.Usage, error) {
	var out []vetshare.Usage
	err := t.each(ctx, func(rows *sql.Rows) error {
		var u vetshare.Usage
		var targets string
		err := scanRecord(rows, &u.Record, &targets)
		if err == nil {
			err = json.Unmarshal([]byte(targets), &u.Targets)
		}
		out = append(out, u)
		return err
	}, patientUsagesQuery, patient, givenAfter(after))
	return out, err
}

func (t *dtx) DueReminders(ctx context.Context, account vetshare.AccountID, from, to, afterDue time.Time, afterID vetshare.ReminderID, limit int) ([]vetshare.DueReminder, error) {
	var out []vetshare.DueReminder
	start := micros(from)
	if afterID != "" {
		start = micros(afterDue)
	}
	err := t.each(ctx, func(rows *sql.Rows) error {
		var d vetshare.DueReminder
		err := scanReminder(rows, &d.Reminder, &d.PatientName, &d.ClientID, &d.AccountName)
		out = append(out, d)
		return err
	}, `SELECT `+reminderCols+`, p.name, p.client_id, a.name
		FROM vetshare_reminders r INDEXED BY vetshare_reminders_due JOIN vetshare_patients p ON p.id = r.patient_id JOIN vetshare_accounts a ON a.id = r.account_id
		WHERE r.account_id = ? AND r.status = 'open' AND r.due >= ? AND r.due < ? AND (r.due, r.id) > (?, ?)
		ORDER BY r.due, r.id LIMIT ?`,
		account, micros(from), micros(to), start, afterID, limit)
	return out, err
}

func (t *dtx) DuplicateReminders(ctx context.Context, accounts []vetshare.AccountID) ([]vetshare.Reminder, error) {
	return t.reminders(ctx, `WITH open AS (
			SELECT r.* FROM json_each(?) j JOIN vetshare_reminders r INDEXED BY vetshare_reminders_open_kind
			ON r.account_id = j.value AND r.status = 'open'
		), dup AS (
			SELECT patient_id, kind_key FROM open GROUP BY patient_id, kind_key HAVING count(*) > 1
		)
		SELECT `+reminderCols+` FROM dup JOIN open r USING (patient_id, kind_key)
		ORDER BY r.patient_id, r.kind_key, r.due, r.id`, idList(accounts))
}
