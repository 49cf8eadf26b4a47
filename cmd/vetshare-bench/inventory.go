package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/reminders"
)

// The baseline statements of a usage: the patient with its client, the item, its disable
// actions, the patient's usages given after it (R12.4: none in the bench), the patient's open
// reminders of the targets; then the record (with its time given and
// recording sequence) and its targets, the stock (count and ledger), the reminders completed and
// scheduled, and the audit entries of the cross-account writes.
const (
	qUsagePatient = `SELECT c.id, c.origin_account, c.owner_id FROM vetshare_patients p
		JOIN vetshare_client_entries e ON e.client_id = p.client_id AND e.account_id = ? JOIN vetshare_clients c ON c.id = p.client_id WHERE p.id = ?`
	qItem    = `SELECT account_id, tracked, reminders FROM vetshare_items WHERE id = ?`
	qActions = `SELECT target_item_id FROM vetshare_disable_actions WHERE item_id = ? AND account_id = ?`
	qLater   = `SELECT EXISTS (SELECT 1 FROM vetshare_records INDEXED BY vetshare_records_patient_usages
		WHERE patient_id = ? AND kind = 'usage' AND removed_at IS NULL AND given_at > ?)`
	qOpenOf    = `SELECT id, account_id FROM vetshare_reminders INDEXED BY vetshare_reminders_open WHERE patient_id = ? AND status = 'open' AND item_id IN (SELECT value FROM json_each(?))`
	qInsRecord = `INSERT INTO vetshare_records (id, patient_id, account_id, user_id, kind, text, item_id, quantity, given_at, created_at, seq)
		VALUES (?1, ?2, ?3, ?4, 'usage', '', ?5, ?6, ?7, ?7, (SELECT coalesce(max(seq), 0) + 1 FROM vetshare_records))`
	qInsTarget   = `INSERT INTO vetshare_usage_targets (usage_id, target_item_id) VALUES (?, ?)`
	qOnHand      = `UPDATE vetshare_items SET on_hand = on_hand + ? WHERE id = ? AND account_id = ?`
	qInsMovement = `INSERT INTO vetshare_stock_movements (id, seq, account_id, item_id, kind, quantity, record_id, user_id, note, at)
		VALUES (?, (SELECT coalesce(max(seq), 0) + 1 FROM vetshare_stock_movements WHERE item_id = ?), ?, ?, 'used', ?, ?, ?, '', ?)`
	qComplete    = `UPDATE vetshare_reminders SET status = 'completed', completed_by = ?, completed_at = ? WHERE id = ? AND status = 'open'`
	qInsReminder = `INSERT INTO vetshare_reminders (id, patient_id, account_id, item_id, usage_id, kind, kind_key, due, status,
		completed_by, completed_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', NULL, NULL, ?)`
)

// usage: records.AddUsage of a Rabies vaccine to a patient of the automatic group, at one of
// its accounts (not always the client's): the stock moves, the vaccine's reminder is scheduled
// from that account, and the disable actions complete the patient's open Rabies reminders of
// every account (each account gives the vaccine in turn, so there is always one to complete).
func (e *env) usage() *workload {
	o := e.m.Owners[e.m.Auto]
	pick := func(i int) (vetshare.Actor, vetshare.PatientID, vetshare.ItemID) {
		h := e.m.History[(i/10)%len(e.m.History)]
		a := (h.Origin + i) % len(o.Accounts)
		return staff(o, a), h.Patient, o.Items[a]["Rabies vaccine"]
	}
	return &workload{
		name: "usage", desc: "vetshare_records.AddUsage of a vaccine: record, stock count and ledger, reminder scheduled, other accounts' reminder completed by a disable action, audit",
		target: "ratio ≤ 1.3", iters: e.n(2000), warm: 20, rows: 5, judge: ratioAtMost(1.3), beside: true,
		op: func(ctx context.Context, i int) (int, error) {
			a, p, item := pick(i)
			return 5, e.st.Update(ctx, func(tx *vetshare.Tx) error {
				_, err := records.AddUsage(ctx, tx, a, vetshare.Record{PatientID: p, ItemID: item, Quantity: 1})
				return err
			})
		},
		base: func(ctx context.Context, i int) (int, error) {
			a, p, item := pick(i + 5) // another patient than the operation's at the same step
			return 5, e.p.update(ctx, func(q *ptx) error {
				if _, _, err := q.actor(a); err != nil {
					return err
				}
				var client vetshare.ClientID
				var origin vetshare.AccountID
				var owner vetshare.OwnerID
				if err := q.row(qUsagePatient, []any{a.Account, p}, &client, &origin, &owner); err != nil {
					return err
				}
				var itemAcct vetshare.AccountID
				var tracked bool
				var rulesJSON string
				if err := q.row(qItem, []any{item}, &itemAcct, &tracked, &rulesJSON); err != nil {
					return err
				}
				if itemAcct != a.Account {
					return fmt.Errorf("baseline: item of another account")
				}
				var rules []vetshare.ReminderRule
				if err := json.Unmarshal([]byte(rulesJSON), &rules); err != nil {
					return err
				}
				targets := []vetshare.ItemID{item}
				err := q.each(qActions, []any{item, a.Account}, func(r *sql.Rows) error {
					var t vetshare.ItemID
					err := r.Scan(&t)
					targets = append(targets, t)
					return err
				})
				if err != nil {
					return err
				}
				var later bool
				if err := q.row(qLater, []any{p, micros(q.now)}, &later); err != nil {
					return err
				}
				if later {
					return errLater
				}
				list, _ := json.Marshal(targets)
				type open struct {
					id   vetshare.ReminderID
					acct vetshare.AccountID
				}
				var opens []open
				err = q.each(qOpenOf, []any{p, string(list)}, func(r *sql.Rows) error {
					var o open
					err := r.Scan(&o.id, &o.acct)
					opens = append(opens, o)
					return err
				})
				if err != nil {
					return err
				}
				rec := vetshare.NewID[vetshare.RecordID](q.now)
				if _, err := q.exec(qInsRecord, rec, p, a.Account, a.User, item, 1, micros(q.now)); err != nil {
					return err
				}
				for _, target := range targets { // kept with the usage for R7.8, as the operation does
					if _, err := q.exec(qInsTarget, rec, target); err != nil {
						return err
					}
				}
				if tracked {
					if _, err := q.exec(qOnHand, -1, item, a.Account); err != nil {
						return err
					}
					if _, err := q.exec(qInsMovement, vetshare.NewID[vetshare.MovementID](q.now), item, a.Account, item, -1, rec, a.User, micros(q.now)); err != nil {
						return err
					}
				}
				var others []vetshare.ReminderID
				var accts []vetshare.AccountID
				for _, o := range opens {
					if _, err := q.exec(qComplete, rec, micros(q.now), o.id); err != nil {
						return err
					}
					if o.acct != a.Account {
						others, accts = append(others, o.id), append(accts, o.acct)
					}
				}
				for _, rule := range rules {
					if _, err := q.exec(qInsReminder, vetshare.NewID[vetshare.ReminderID](q.now), p, a.Account, item, rec, rule.Kind,
						vetshare.FoldName(rule.Kind), micros(reminders.DueAfter(q.now, rule.Interval)), micros(q.now)); err != nil {
						return err
					}
				}
				if len(others) > 0 {
					if err := q.audit(owner, a, "reminders.complete", "record:"+string(rec),
						map[string]any{"patient": p, "reminders": others, "accounts": accts}); err != nil {
						return err
					}
				}
				if a.Account != origin {
					return q.audit(owner, a, "record.add", "record:"+string(rec),
						map[string]any{"patient": p, "kind": vetshare.RecordUsage, "item": item, "quantity": 1})
				}
				return nil
			})
		},
		limit: func(ctx context.Context, i int) (int, error) {
			a, p, item := pick(i + 2) // another account than the operation's and the baseline's at the same step
			return 5, e.p.update(ctx, func(q *ptx) error { return q.limitUsage(a, p, item) })
		},
	}
}
