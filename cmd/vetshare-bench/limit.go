package main

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/vetshare/vetshare"
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
		ORDER BY r.given_at, r.seq LIMIT 51`
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

var limitWriteQueries = []string{qLimitCreateRead, qLimitEntries(10), qInsClient, qInsAudit, qLimitShareRead, qLimitEntries(1), qLimitPaymentRead}
var limitReadQueries = []string{qLimitTaskScope, qAssigned, qLimitHistory}

// limitHistory reads the first page of a patient's history as a: one statement.
func (q *ptx) limitHistory(a vetshare.Actor, p vetshare.PatientID) (int, error) {
	n := 0
	err := q.each(qLimitHistory, []any{a.User, a.Account, p}, func(rows *sql.Rows) error {
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
	return min(n, 50), err
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
	d, _ := json.Marshal(map[string]any{"via": vetshare.ViaManual, "to": []vetshare.AccountID{a.Account}, "number": next})
	if prev == nil {
		prev = []byte{}
	}
	e := vetshare.AuditEntry{OwnerID: owner, Seq: seq.Int64 + 1, At: q.now, UserID: a.User, AccountID: a.Account, Action: "client.share",
		Subject: "client:" + string(c), Outcome: "ok", Detail: string(d), PrevHash: prev}
	e.Hash = vetshare.AuditHash(e)
	_, err := q.exec(qInsAudit, e.OwnerID, e.Seq, micros(e.At), e.UserID, e.AccountID, e.Action, e.Subject, e.Outcome, e.Detail, e.PrevHash, e.Hash)
	return err
}

// limitCreateClient creates client c as a's in an automatic group: one read, three writes.
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
	d, _ := json.Marshal(map[string]any{"via": vetshare.ViaAutomatic, "to": to})
	if prev == nil {
		prev = []byte{}
	}
	e := vetshare.AuditEntry{OwnerID: owner, Seq: seq.Int64 + 1, At: q.now, UserID: a.User, AccountID: a.Account, Action: "client.share",
		Subject: "client:" + string(id), Outcome: "ok", Detail: string(d), PrevHash: prev}
	e.Hash = vetshare.AuditHash(e)
	_, err = q.exec(qInsAudit, e.OwnerID, e.Seq, micros(e.At), e.UserID, e.AccountID, e.Action, e.Subject, e.Outcome, e.Detail, e.PrevHash, e.Hash)
	return err
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
			var id, acct, kind, title, notes, assignee, status string
			var due, prio, created int64
			var client, patient sql.NullString
			var shared bool
			n++
			return r.Scan(&id, &acct, &kind, &title, &notes, &assignee, &due, &prio, &status, &client, &patient, &created, &shared)
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
