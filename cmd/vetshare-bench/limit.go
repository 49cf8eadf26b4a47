package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/search"
	"github.com/vetshare/vetshare/reminders"
)

// The limits (issue 16): what tuned raw SQL does with the fewest statements, on the same file
// and pools, as a bound no library built on database/sql and this driver can beat by much. A
// baseline copies the operation's own reads and writes, so its ratio cannot see what both do
// too much of; the limit can. Only the workloads that have one get a limit column.
const (
	// Everything create-client decides on, in one read: the actor's membership, its owner,
	// the group's members with each account's next client number, and the owner's last
	// audit entry.
	qLimitCreateRead = `SELECT m.role, m.active AND u.active, a.owner_id, g.mode, o.account_id,
		(SELECT COALESCE(MAX(number), 0) + 1 FROM vetshare_client_entries WHERE account_id = o.account_id),
		(SELECT seq FROM vetshare_audit_log WHERE owner_id = a.owner_id ORDER BY seq DESC LIMIT 1),
		(SELECT hash FROM vetshare_audit_log WHERE owner_id = a.owner_id ORDER BY seq DESC LIMIT 1)
		FROM vetshare_memberships m JOIN vetshare_users u ON u.id = m.user_id
		JOIN vetshare_accounts a ON a.id = m.account_id
		JOIN vetshare_group_members me ON me.account_id = m.account_id AND me.left_at IS NULL
		JOIN vetshare_share_groups g ON g.id = me.group_id
		JOIN vetshare_group_members o ON o.group_id = me.group_id AND o.left_at IS NULL
		WHERE m.user_id = ? AND m.account_id = ? ORDER BY o.joined_at, o.account_id`
	// The actor, its owner's task sharing and its linked clinics, in one read.
	qLimitTaskScope = `SELECT m.active AND u.active, o.task_sharing, l.account_id
		FROM vetshare_memberships m JOIN vetshare_users u ON u.id = m.user_id
		JOIN vetshare_accounts a ON a.id = m.account_id JOIN vetshare_owners o ON o.id = a.owner_id
		JOIN vetshare_memberships l ON l.user_id = m.user_id AND l.active
		JOIN vetshare_accounts la ON la.id = l.account_id AND la.owner_id = a.owner_id
		WHERE m.user_id = ? AND m.account_id = ?`
)

// qLimitEntries inserts n client entries in one statement.
func qLimitEntries(n int) string {
	return `INSERT INTO vetshare_client_entries (account_id, client_id, number, via, created_at, seq) VALUES ` +
		strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?), ", n), ", ")
}

const (
	// History: the actor, the patient's client's entry in the actor's account, and the first
	// page of records, in one statement.
	qLimitHistory = `SELECT r.id, r.patient_id, r.account_id, r.user_id, r.kind, r.text, r.item_id, r.quantity, r.given_at,
		r.created_at, r.seq, r.removed_at, r.removed_by, r.removed_account, r.removed_reason
		FROM vetshare_memberships m JOIN vetshare_users u ON u.id = m.user_id AND u.active
		JOIN vetshare_patients p ON p.id = ?3
		JOIN vetshare_client_entries e ON e.account_id = m.account_id AND e.client_id = p.client_id
		JOIN vetshare_records r ON r.patient_id = p.id
		WHERE m.user_id = ?1 AND m.account_id = ?2 AND m.active AND r.removed_at IS NULL
		ORDER BY r.given_at, r.seq LIMIT ?4`
	// ShareClient: everything it decides on in one read (the actor, whether the client is
	// already in the account, whether a group member has it, the next number and seq, the last
	// audit entry), then the entry and the audit entry.
	qLimitShareRead = `SELECT m.active AND u.active, a.owner_id,
		EXISTS (SELECT 1 FROM vetshare_client_entries WHERE account_id = ?2 AND client_id = ?3),
		EXISTS (SELECT 1 FROM vetshare_client_entries ce JOIN vetshare_group_members gm ON gm.account_id = ce.account_id
			AND gm.group_id = me.group_id AND gm.left_at IS NULL WHERE ce.client_id = ?3),
		(SELECT COALESCE(MAX(number), 0) + 1 FROM vetshare_client_entries WHERE account_id = ?2),
		(SELECT COALESCE(MAX(seq), 0) + 1 FROM vetshare_client_entries WHERE client_id = ?3),
		(SELECT seq FROM vetshare_audit_log WHERE owner_id = a.owner_id ORDER BY seq DESC LIMIT 1),
		(SELECT hash FROM vetshare_audit_log WHERE owner_id = a.owner_id ORDER BY seq DESC LIMIT 1)
		FROM vetshare_memberships m JOIN vetshare_users u ON u.id = m.user_id
		JOIN vetshare_accounts a ON a.id = m.account_id
		JOIN vetshare_group_members me ON me.account_id = m.account_id AND me.left_at IS NULL
		WHERE m.user_id = ?1 AND m.account_id = ?2`
)

// A payment: the actor and the invoice in one read, then the payment (the schema's trigger
// applies it).
const qLimitPaymentRead = `SELECT m.active AND u.active, a.owner_id, i.account_id, i.client_id, i.status, i.currency, i.total, i.paid
	FROM vetshare_memberships m JOIN vetshare_users u ON u.id = m.user_id
	JOIN vetshare_accounts a ON a.id = m.account_id JOIN vetshare_invoices i ON i.id = ?3
	WHERE m.user_id = ?1 AND m.account_id = ?2`

var limitWriteQueries = []string{qLimitCreateRead, qLimitEntries(10), qInsClient, qInsAudit, qLimitShareRead, qLimitEntries(1), qLimitPaymentRead,
	qLimitUsageRead, qLimitTargets, qLimitComplete, qLimitAudits(1), qLimitAudits(2), qLimitBackfillRead, qLimitBackfillInsert}
var limitReadQueries = []string{qLimitTaskScope, qAssigned, qLimitHistory, qLimitReportRead}

// limitHistory reads the first page of a patient's history as a: one statement.
func (q *ptx) limitHistory(a vetshare.Actor, p vetshare.PatientID) (int, error) {
	n := 0
	err := q.each(qLimitHistory, []any{a.User, a.Account, p, historyPage + 1}, func(rows *sql.Rows) error {
		var r vetshare.Record
		var item, by, acct, reason sql.NullString
		var given, created, seq int64
		var removed sql.NullInt64
		n++
		return rows.Scan(&r.ID, &r.PatientID, &r.AccountID, &r.UserID, &r.Kind, &r.Text, &item, &r.Quantity, &given, &created, &seq,
			&removed, &by, &acct, &reason)
	})
	if err == nil && n == 0 {
		err = errors.New("limit: no history")
	}
	return min(n, historyPage), err
}

// limitShare shares client c into a's account: one read, two writes.
func (q *ptx) limitShare(a vetshare.Actor, c vetshare.ClientID) error {
	var active, already, inGroup bool
	var owner vetshare.OwnerID
	var next, cseq int64
	var seq sql.NullInt64
	var prev []byte
	if err := q.row(qLimitShareRead, []any{a.User, a.Account, c}, &active, &owner, &already, &inGroup, &next, &cseq, &seq, &prev); err != nil {
		return err
	}
	if !active || already || !inGroup {
		return fmt.Errorf("limit: share: active %v, already shared %v, in the group %v", active, already, inGroup)
	}
	now := micros(q.now)
	if _, err := q.exec(qLimitEntries(1), a.Account, c, next, string(vetshare.ViaManual), now, cseq); err != nil {
		return err
	}
	return q.limitAudit(owner, seq.Int64, prev, a, "client:"+string(c),
		map[string]any{"via": vetshare.ViaManual, "to": []vetshare.AccountID{a.Account}, "number": next})
}

// limitAudit writes the "client.share" audit entry a limit's transaction ends with: the
// owner's next after seq, chained after prev (the last entry's hash), as the store writes it.
func (q *ptx) limitAudit(owner vetshare.OwnerID, seq int64, prev []byte, a vetshare.Actor, subject string, detail any) error {
	d, _ := json.Marshal(detail)
	if prev == nil {
		prev = []byte{}
	}
	e := vetshare.AuditEntry{OwnerID: owner, Seq: seq + 1, At: q.now, UserID: a.User, AccountID: a.Account, Action: "client.share",
		Subject: subject, Outcome: "ok", Detail: string(d), PrevHash: prev}
	e.Hash = vetshare.AuditHash(e)
	_, err := q.exec(qInsAudit, e.OwnerID, e.Seq, micros(e.At), e.UserID, e.AccountID, e.Action, e.Subject, e.Outcome, e.Detail, e.PrevHash, e.Hash)
	return err
}

// limitCreateClient creates client c as a's in an automatic group: one read, four writes (the
// client, its search keys, its entries, the audit entry).
func (q *ptx) limitCreateClient(a vetshare.Actor, c vetshare.Client) error {
	type member struct {
		id   vetshare.AccountID
		next int64
	}
	var (
		members []member
		owner   vetshare.OwnerID
		mode    vetshare.Mode
		role    vetshare.Role
		active  bool
		seq     sql.NullInt64
		prev    []byte
	)
	err := q.each(qLimitCreateRead, []any{a.User, a.Account}, func(r *sql.Rows) error {
		var m member
		err := r.Scan(&role, &active, &owner, &mode, &m.id, &m.next, &seq, &prev)
		members = append(members, m)
		return err
	})
	if err != nil {
		return err
	}
	if !active || mode != vetshare.ModeAutomatic || len(members) != 10 {
		return fmt.Errorf("limit: actor active %v, group mode %s with %d members", active, mode, len(members))
	}
	id := vetshare.NewID[vetshare.ClientID](q.now)
	now := micros(q.now)
	if _, err := q.exec(qInsClient, id, owner, c.FirstName, c.LastName, vetshare.NameKey(c.LastName, c.FirstName), vetshare.FoldName(c.FirstName),
		c.Email, c.Phone, c.Address, a.Account, a.Account, now, now, 1); err != nil {
		return err
	}
	if err := q.insClientKeys(owner, id, c); err != nil {
		return err
	}
	args := make([]any, 0, 60)
	var to []vetshare.AccountID
	for _, m := range members {
		via, s := vetshare.ViaAutomatic, int64(len(to)+2)
		if m.id == a.Account {
			via, s = vetshare.ViaCreated, 1
		} else {
			to = append(to, m.id)
		}
		args = append(args, m.id, id, m.next, string(via), now, s)
	}
	if _, err := q.exec(qLimitEntries(10), args...); err != nil {
		return err
	}
	return q.limitAudit(owner, seq.Int64, prev, a, "client:"+string(id), map[string]any{"via": vetshare.ViaAutomatic, "to": to})
}

// limitAssigned reads the first page of a's tasks over its linked clinics: two reads.
func (q *ptx) limitAssigned(a vetshare.Actor) (int, error) {
	var linked []vetshare.AccountID
	var active, sharing bool
	err := q.each(qLimitTaskScope, []any{a.User, a.Account}, func(r *sql.Rows) error {
		var id vetshare.AccountID
		err := r.Scan(&active, &sharing, &id)
		linked = append(linked, id)
		return err
	})
	if err != nil {
		return 0, err
	}
	if !active || !sharing || len(linked) == 0 {
		return 0, errors.New("limit: actor not active or task sharing off")
	}
	list, _ := json.Marshal(linked)
	n := 0
	err = q.each(qAssigned, []any{sql.Named("s", string(a.Account)), sql.Named("u", string(a.User)), sql.Named("a", string(list)),
		sql.Named("d", int64(math.MinInt64)), sql.Named("p", int64(math.MaxInt32)), sql.Named("i", ""), sql.Named("n", 51)},
		func(r *sql.Rows) error {
			var id, acct, kind, title, assignee, status string
			var due, prio, created int64
			var client, patient sql.NullString
			var shared bool
			n++
			return r.Scan(&id, &acct, &kind, &title, &assignee, &due, &prio, &status, &client, &patient, &created, &shared)
		})
	return min(n, 50), err
}

// limitPayment pays invoice inv in full at a's counter: one read, one write.
func (q *ptx) limitPayment(a vetshare.Actor, inv vetshare.Invoice, key string) error {
	var active bool
	var owner vetshare.OwnerID
	var acct vetshare.AccountID
	var client vetshare.ClientID
	var status, currency string
	var total, paid int64
	if err := q.row(qLimitPaymentRead, []any{a.User, a.Account, inv.ID}, &active, &owner, &acct, &client, &status, &currency, &total, &paid); err != nil {
		return err
	}
	if !active || acct != a.Account || status != "open" || total-paid < inv.Total {
		return fmt.Errorf("limit: invoice %s cannot take the payment", inv.ID)
	}
	_, err := q.exec(qInsPayment, vetshare.NewID[vetshare.PaymentID](q.now), owner, key, acct, inv.ID, client,
		string(vetshare.ChannelCounter), inv.Total, currency, a.Account, a.User, "card", "", micros(q.now))
	return err
}

// candLimitQuery is the limit of sharing.Candidates: one statement. Its first row (tier 0) is
// the actor's active membership with the account's owner and group; then each tier of the
// plan is an arm of a UNION ALL, in plan order, as the store's candidate probe (the keys by
// owner and key, not in the actor's account, in another current member: one seek of the
// client's entries, read through), each candidate with
// its accounts in the group (name and number) and its patients as JSON arrays, in the store's
// orders. SQLite runs the arms as the rows are read; the caller stops at a page and one more.
func candLimitQuery(a vetshare.Actor, tiers []search.Tier) (string, []any) {
	var b strings.Builder
	args := []any{a.User, a.Account}
	b.WriteString(`WITH me AS MATERIALIZED (SELECT a.owner_id AS owner, g.group_id AS grp FROM vetshare_memberships m
	JOIN vetshare_users u ON u.id = m.user_id JOIN vetshare_accounts a ON a.id = m.account_id
	JOIN vetshare_group_members g ON g.account_id = m.account_id AND g.left_at IS NULL
	WHERE m.user_id = ?1 AND m.account_id = ?2 AND m.active AND u.active),
grp AS MATERIALIZED (SELECT o.account_id FROM me JOIN vetshare_group_members o ON o.group_id = me.grp AND o.left_at IS NULL)
SELECT 0, '', '', '', '', '', '', '', '', '', 0, 0, 0, '[]', '[]' FROM me`)
	for i, t := range tiers {
		fmt.Fprintf(&b, `
UNION ALL SELECT * FROM (SELECT %d, %s,
	(SELECT json_group_array(json_array(e.account_id, ac.name, e.number) ORDER BY e.created_at, e.seq)
		FROM vetshare_client_entries e JOIN vetshare_accounts ac ON ac.id = e.account_id
		WHERE e.client_id = k.client_id AND e.account_id IN (SELECT account_id FROM grp)),
	(SELECT json_group_array(json_array(p.id, p.name, p.species) ORDER BY p.created_at, p.name, p.id)
		FROM vetshare_patients p WHERE p.client_id = k.client_id
		AND NOT EXISTS (SELECT 1 FROM vetshare_patient_replaced x WHERE x.patient_id = p.id))
	FROM vetshare_client_keys k JOIN vetshare_clients c ON c.id = k.client_id
	WHERE k.owner_id = (SELECT owner FROM me)`, i+1, storeClientCols)
		args = tierSQL(&b, args, t, "k.owner_id")
		fmt.Fprintf(&b, `
	AND (SELECT min(e.account_id <> ?2) FROM vetshare_client_entries e WHERE e.client_id = k.client_id
		AND +e.account_id IN (SELECT account_id FROM grp)) = 1
	ORDER BY k.key, k.client_id LIMIT %d)`, taN*2+2)
	}
	return b.String(), args
}

// storeClientCols are the store's client columns (sqlite/clients.go).
const storeClientCols = `c.id, c.owner_id, c.first_name, c.last_name, c.email, c.phone, c.address,
	c.origin_account, c.home_account, c.created_at, c.updated_at, c.version`

// limitCandidates reads the first page of candidates for typed in a's account: one statement
// (candLimitQuery). Each candidate is given as its id, its accounts and its patients' ids.
func (q *ptx) limitCandidates(a vetshare.Actor, typed string) ([]string, error) {
	tiers, _, ok := search.Plan(typed)
	if !ok {
		return nil, errors.New("limit: nothing to search")
	}
	query, args := candLimitQuery(a, tiers)
	var out []string
	seen := map[vetshare.ClientID]bool{}
	member := false
	err := q.each(query, args, func(r *sql.Rows) error {
		var tier, created, updated int64
		var c vetshare.Client
		var accounts, patients []byte
		if err := r.Scan(&tier, &c.ID, &c.OwnerID, &c.FirstName, &c.LastName, &c.Email, &c.Phone, &c.Address,
			&c.OriginAccount, &c.HomeAccount, &created, &updated, &c.Version, &accounts, &patients); err != nil {
			return err
		}
		if tier == 0 {
			member = true
			return nil
		}
		if seen[c.ID] {
			return nil
		}
		seen[c.ID] = true
		var as, ps [][3]any
		if err := json.Unmarshal(accounts, &as); err != nil {
			return err
		}
		if err := json.Unmarshal(patients, &ps); err != nil {
			return err
		}
		out = append(out, candKey(c.ID, as, ps))
		if len(out) >= taN {
			return errEnough
		}
		return nil
	})
	if err != nil && err != errEnough {
		return nil, err
	}
	if !member {
		return nil, errors.New("limit: no active membership in a group")
	}
	return out[:min(len(out), taPage)], nil
}

// candKey is a candidate as the sides compare it: its id, its accounts and numbers, its
// patients.
func candKey(id vetshare.ClientID, accounts, patients [][3]any) string {
	var b strings.Builder
	b.WriteString(string(id))
	for _, a := range accounts {
		fmt.Fprintf(&b, " %v=%v#%v", a[0], a[1], a[2])
	}
	b.WriteString(" |")
	for _, p := range patients {
		fmt.Fprintf(&b, " %v", p[0])
	}
	return b.String()
}

// The limit of a usage: one read of everything it decides on (the actor; the patient's client
// in the actor's account, its origin and owner; the item's account, tracking and reminder rules;
// the item's disable actions; whether the patient has usages given after it (R12.4), which the
// bench never has; the patient's open reminders of the item and of the targets; the owner's
// last audit entry), then the writes, each kind of row in one statement: the record, its
// targets, the stock count and the ledger row (a tracked item), the reminders completed, the
// reminder scheduled, the audit entries.
const (
	qLimitUsageRead = `SELECT m.active AND u.active, c.id, c.origin_account, c.owner_id, i.account_id, i.tracked, i.reminders,
		(SELECT json_group_array(target_item_id) FROM vetshare_disable_actions WHERE item_id = ?4 AND account_id = ?2),
		(SELECT json_group_array(json_array(r.id, r.account_id)) FROM vetshare_reminders r INDEXED BY vetshare_reminders_open
			WHERE r.patient_id = ?3 AND r.status = 'open'
			AND r.item_id IN (SELECT ?4 UNION ALL SELECT target_item_id FROM vetshare_disable_actions WHERE item_id = ?4 AND account_id = ?2)),
		EXISTS (SELECT 1 FROM vetshare_records r INDEXED BY vetshare_records_patient_usages
			WHERE r.patient_id = ?3 AND r.kind = 'usage' AND r.removed_at IS NULL AND r.given_at > ?5),
		(SELECT seq FROM vetshare_audit_log WHERE owner_id = c.owner_id ORDER BY seq DESC LIMIT 1),
		(SELECT hash FROM vetshare_audit_log WHERE owner_id = c.owner_id ORDER BY seq DESC LIMIT 1)
		FROM vetshare_memberships m JOIN vetshare_users u ON u.id = m.user_id
		JOIN vetshare_patients p ON p.id = ?3
		JOIN vetshare_client_entries e ON e.client_id = p.client_id AND e.account_id = m.account_id
		JOIN vetshare_clients c ON c.id = p.client_id
		JOIN vetshare_items i ON i.id = ?4
		WHERE m.user_id = ?1 AND m.account_id = ?2`
	qLimitTargets  = `INSERT INTO vetshare_usage_targets (usage_id, target_item_id) SELECT ?1, value FROM json_each(?2)`
	qLimitComplete = `UPDATE vetshare_reminders SET status = 'completed', completed_by = ?1, completed_at = ?2
		WHERE id IN (SELECT value FROM json_each(?3)) AND status = 'open'`
)

// qLimitAudits inserts n audit entries in one statement.
func qLimitAudits(n int) string {
	return `INSERT INTO vetshare_audit_log (owner_id, seq, at, user_id, account_id, action, subject, outcome, detail, prev_hash, hash) VALUES ` +
		strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?), ", n), ", ")
}

// errLater is a usage's baseline and limit meeting a usage given after the one they record:
// the bench's data has none, and neither replays the reminders as the operation then does.
var errLater = errors.New("the patient has a usage given after this one")

// limitUsage records a usage of item for patient p at a's account: one read, then one
// statement per kind of row written.
func (q *ptx) limitUsage(a vetshare.Actor, p vetshare.PatientID, item vetshare.ItemID) error {
	var (
		active, tracked, later   bool
		client                   vetshare.ClientID
		origin, itemAcct         vetshare.AccountID
		owner                    vetshare.OwnerID
		rulesJSON, actions, open string
		seq                      sql.NullInt64
		prev                     []byte
	)
	if err := q.row(qLimitUsageRead, []any{a.User, a.Account, p, item, micros(q.now)}, &active, &client, &origin, &owner, &itemAcct, &tracked,
		&rulesJSON, &actions, &open, &later, &seq, &prev); err != nil {
		return err
	}
	if later {
		return errLater
	}
	if !active || itemAcct != a.Account {
		return fmt.Errorf("limit: usage: actor active %v, item of %s", active, itemAcct)
	}
	var rules []vetshare.ReminderRule
	if err := json.Unmarshal([]byte(rulesJSON), &rules); err != nil {
		return err
	}
	var targets []vetshare.ItemID
	if err := json.Unmarshal([]byte(actions), &targets); err != nil {
		return err
	}
	targets = append([]vetshare.ItemID{item}, targets...)
	var opens [][2]string
	if err := json.Unmarshal([]byte(open), &opens); err != nil {
		return err
	}
	now := micros(q.now)
	rec := vetshare.NewID[vetshare.RecordID](q.now)
	if _, err := q.exec(qInsRecord, rec, p, a.Account, a.User, item, 1, now); err != nil {
		return err
	}
	tj, _ := json.Marshal(targets)
	if _, err := q.exec(qLimitTargets, rec, string(tj)); err != nil {
		return err
	}
	if tracked {
		if _, err := q.exec(qOnHand, -1, item, a.Account); err != nil {
			return err
		}
		if _, err := q.exec(qInsMovement, vetshare.NewID[vetshare.MovementID](q.now), item, a.Account, item, -1, rec, a.User, now); err != nil {
			return err
		}
	}
	var ids, others []string
	var accts []string
	for _, o := range opens {
		ids = append(ids, o[0])
		if o[1] != string(a.Account) {
			others, accts = append(others, o[0]), append(accts, o[1])
		}
	}
	if len(ids) > 0 {
		ij, _ := json.Marshal(ids)
		if _, err := q.exec(qLimitComplete, rec, now, string(ij)); err != nil {
			return err
		}
	}
	for _, rule := range rules {
		if _, err := q.exec(qInsReminder, vetshare.NewID[vetshare.ReminderID](q.now), p, a.Account, item, rec, rule.Kind,
			vetshare.FoldName(rule.Kind), micros(reminders.DueAfter(q.now, rule.Interval)), now); err != nil {
			return err
		}
	}
	var entries []vetshare.AuditEntry
	add := func(action string, detail any) {
		d, _ := json.Marshal(detail)
		if prev == nil {
			prev = []byte{}
		}
		e := vetshare.AuditEntry{OwnerID: owner, Seq: seq.Int64 + 1, At: q.now, UserID: a.User, AccountID: a.Account, Action: action,
			Subject: "record:" + string(rec), Outcome: "ok", Detail: string(d), PrevHash: prev}
		e.Hash = vetshare.AuditHash(e)
		entries, seq.Int64, prev = append(entries, e), e.Seq, e.Hash
	}
	if len(others) > 0 {
		add("reminders.complete", map[string]any{"patient": p, "reminders": others, "accounts": accts})
	}
	if a.Account != origin {
		add("record.add", map[string]any{"patient": p, "kind": vetshare.RecordUsage, "item": item, "quantity": 1})
	}
	if len(entries) == 0 {
		return nil
	}
	args := make([]any, 0, 11*len(entries))
	for _, e := range entries {
		args = append(args, e.OwnerID, e.Seq, micros(e.At), e.UserID, e.AccountID, e.Action, e.Subject, e.Outcome, e.Detail, e.PrevHash, e.Hash)
	}
	_, err := q.exec(qLimitAudits(len(entries)), args...)
	return err
}

// The backfill's limit: per batch of 500 clients, one read (the actor, its group's current
// members as a JSON array, the owner's last audit entry), one INSERT … SELECT that picks the
// batch's unshared clients and writes every missing entry with its account's next number and
// its client's next seq (window functions over the batch), returning the clients, and the
// audit entry.
const (
	qLimitBackfillRead = `SELECT m.role, m.active AND u.active, a.owner_id, me.group_id,
		(SELECT json_group_array(account_id) FROM (SELECT o.account_id FROM vetshare_group_members o
			WHERE o.group_id = me.group_id AND o.left_at IS NULL ORDER BY o.joined_at, o.account_id)),
		(SELECT seq FROM vetshare_audit_log WHERE owner_id = a.owner_id ORDER BY seq DESC LIMIT 1),
		(SELECT hash FROM vetshare_audit_log WHERE owner_id = a.owner_id ORDER BY seq DESC LIMIT 1)
		FROM vetshare_memberships m JOIN vetshare_users u ON u.id = m.user_id
		JOIN vetshare_accounts a ON a.id = m.account_id
		JOIN vetshare_group_members me ON me.account_id = m.account_id AND me.left_at IS NULL
		WHERE m.user_id = ?1 AND m.account_id = ?2`
	// ?1 owner, ?2 cursor, ?3 members (JSON), ?4 their count, ?5 batch size, ?6 now.
	qLimitBackfillInsert = `WITH m (a) AS (SELECT value FROM json_each(?3)),
		b AS (SELECT c.id FROM vetshare_clients c WHERE c.owner_id = ?1 AND c.id > ?2
			AND (SELECT count(*) FROM vetshare_client_entries e WHERE e.client_id = c.id AND e.account_id IN (SELECT a FROM m))
				BETWEEN 1 AND ?4 - 1
			ORDER BY c.id LIMIT ?5),
		x AS (SELECT b.id AS client, m.a AS account FROM b CROSS JOIN m
			WHERE NOT EXISTS (SELECT 1 FROM vetshare_client_entries e WHERE e.account_id = m.a AND e.client_id = b.id)),
		n AS (SELECT m.a AS account, MAX((SELECT COALESCE(MAX(number), 0) FROM vetshare_client_entries WHERE account_id = m.a),
			(SELECT COALESCE(MAX(number), 0) FROM vetshare_number_aliases WHERE account_id = m.a)) AS base FROM m)
		INSERT INTO vetshare_client_entries (account_id, client_id, number, via, created_at, seq)
		SELECT x.account, x.client, n.base + row_number() OVER (PARTITION BY x.account ORDER BY x.client), 'backfill', ?6,
			(SELECT COALESCE(MAX(seq), 0) FROM vetshare_client_entries WHERE client_id = x.client)
				+ row_number() OVER (PARTITION BY x.client ORDER BY x.account)
		FROM x JOIN n ON n.account = x.account
		RETURNING client_id`
)

// limitBackfill shares every unshared client of a's group in batches of 500, one transaction
// each: three statements a batch.
func (e *env) limitBackfill(ctx context.Context, a vetshare.Actor) (int, error) {
	shared := 0
	var cursor vetshare.ClientID
	for done := false; !done; {
		err := e.p.update(ctx, func(q *ptx) error {
			var role vetshare.Role
			var active bool
			var owner vetshare.OwnerID
			var group vetshare.GroupID
			var members string
			var seq sql.NullInt64
			var prev []byte
			if err := q.row(qLimitBackfillRead, []any{a.User, a.Account}, &role, &active, &owner, &group, &members, &seq, &prev); err != nil {
				return err
			}
			if !active || (role != vetshare.RoleOwner && role != vetshare.RoleAdmin) {
				return fmt.Errorf("limit: backfill: active %v, role %s", active, role)
			}
			var ms []vetshare.AccountID
			if err := json.Unmarshal([]byte(members), &ms); err != nil {
				return err
			}
			seen := map[vetshare.ClientID]bool{}
			var ids []vetshare.ClientID
			err := q.each(qLimitBackfillInsert, []any{owner, cursor, members, len(ms), 500, micros(q.now)}, func(r *sql.Rows) error {
				var c vetshare.ClientID
				if err := r.Scan(&c); err != nil {
					return err
				}
				shared++
				if !seen[c] {
					seen[c] = true
					ids = append(ids, c)
				}
				return nil
			})
			if err != nil {
				return err
			}
			done = len(ids) < 500
			if len(ids) == 0 {
				return nil
			}
			slices.Sort(ids)
			cursor = ids[len(ids)-1]
			return q.limitAudit(owner, seq.Int64, prev, a, "group:"+string(group), map[string]any{"via": vetshare.ViaBackfill, "clients": ids})
		})
		if err != nil {
			return shared, err
		}
	}
	return shared, nil
}

// A report's limit: one read of the actor with its account's time zone, whether the account
// is in a group and, then, the names of the owner's accounts (one row each); then the report's
// statement, the store's own.
const qLimitReportRead = `SELECT m.active AND u.active, a.time_zone,
	EXISTS (SELECT 1 FROM vetshare_group_members g WHERE g.account_id = a.id) AS home, oa.id, oa.name
	FROM vetshare_memberships m JOIN vetshare_users u ON u.id = m.user_id JOIN vetshare_accounts a ON a.id = m.account_id
	JOIN vetshare_accounts oa ON oa.owner_id = a.owner_id
	WHERE m.user_id = ?1 AND m.account_id = ?2`
