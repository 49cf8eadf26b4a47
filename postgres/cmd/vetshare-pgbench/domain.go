package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/billing"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/reminders"
	"github.com/vetshare/vetshare/reports"
	"github.com/vetshare/vetshare/sharing"
	"github.com/vetshare/vetshare/tasks"
)

var errNotPorted = errors.New("baseline not ported")

// The baselines' statements of the domain workloads, in the driver's forms.
const (
	qUsagePatient = `SELECT c.origin_account FROM vetshare.patients p
		JOIN vetshare.client_entries e ON e.owner_id = $1 AND e.client_id = p.client_id AND e.account_id = $2
		JOIN vetshare.clients c ON c.owner_id = $1 AND c.id = p.client_id WHERE p.owner_id = $1 AND p.id = $3`
	qItem      = `SELECT account_id, tracked, reminders FROM vetshare.items WHERE owner_id = $1 AND id = $2`
	qActions   = `SELECT target_item_id FROM vetshare.disable_actions WHERE owner_id = $1 AND item_id = $2 ORDER BY target_item_id`
	qOpenOf    = `SELECT id, account_id FROM vetshare.reminders WHERE owner_id = $1 AND patient_id = $2 AND status = 'open' AND item_id = ANY ($3)`
	qInsRecord = `INSERT INTO vetshare.records (owner_id, id, patient_id, account_id, user_id, kind, text, item_id, quantity, given_at, created_at, seq)
		VALUES ($1, $2, $3, $4, $5, 'usage', '', $6, $7, $8, $8, nextval('vetshare.seq'))`
	qInsTargets  = `INSERT INTO vetshare.usage_targets (owner_id, usage_id, target_item_id) SELECT $1, $2, unnest($3::text[])`
	qOnHand      = `UPDATE vetshare.items SET on_hand = on_hand + $4 WHERE owner_id = $1 AND id = $2 AND account_id = $3`
	qInsMovement = `INSERT INTO vetshare.stock_movements (owner_id, id, seq, account_id, item_id, kind, quantity, record_id, user_id, note, at)
		VALUES ($1, $2, (SELECT coalesce(max(seq), 0) + 1 FROM vetshare.stock_movements WHERE owner_id = $1 AND item_id = $4), $3, $4, 'used', $5, $6, $7, '', $8)`
	qComplete    = `UPDATE vetshare.reminders SET status = 'completed', completed_by = $3, completed_at = $4 WHERE owner_id = $1 AND id = $2 AND status = 'open'`
	qInsReminder = `INSERT INTO vetshare.reminders (owner_id, id, patient_id, account_id, item_id, usage_id, kind, kind_key, due, status,
		completed_by, completed_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open', NULL, NULL, $10)`

	qInvoice    = `SELECT account_id, client_id, status, currency, total, paid FROM vetshare.invoices WHERE owner_id = $1 AND id = $2`
	qPay        = `UPDATE vetshare.invoices SET paid = paid + $6 WHERE owner_id = $1 AND id = $2 AND account_id = $3 AND client_id = $4 AND currency = $5 AND status = 'open' AND total - paid >= $6`
	qInsPayment = `INSERT INTO vetshare.payments (owner_id, id, key, account_id, invoice_id, client_id, channel, amount,
		currency, taken_at, user_id, method, reference, created_at, given_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)`
	qSettle  = `UPDATE vetshare.invoices SET status = 'paid', paid_at = (SELECT max(x.given_at) FROM vetshare.payments x WHERE x.owner_id = $1 AND x.invoice_id = $2) WHERE owner_id = $1 AND id = $2 AND paid = total`
	qBalance = `UPDATE vetshare.balances SET outstanding = outstanding - $4, open_invoices = open_invoices - $5 WHERE owner_id = $1 AND account_id = $2 AND client_id = $3`

	qTaskActor = `SELECT m.active AND u.active, o.owner_id, w.task_sharing FROM vetshare.account_owners o
		JOIN vetshare.memberships m ON m.account_id = o.account_id AND m.user_id = $1 JOIN vetshare.users u ON u.id = m.user_id
		JOIN vetshare.owners w ON w.owner_id = o.owner_id WHERE o.account_id = $2`
	qLinked = `SELECT a.id, a.name, m.permissions FROM vetshare.memberships m JOIN vetshare.accounts a ON a.owner_id = $1 AND a.id = m.account_id
		WHERE m.user_id = $2 AND m.active ORDER BY a.created_at, a.seq`
	// The columns a task list shows (driver.TasksTx.Tasks), which the assignee index includes.
	qAssigned = `SELECT t.id, t.account_id, t.kind, t.title, t.assignee_id, t.due, t.priority, t.status, t.client_id, t.patient_id, t.created_at,
		t.client_id IS NULL OR EXISTS (SELECT 1 FROM vetshare.client_entries e WHERE e.owner_id = $1 AND e.account_id = $2 AND e.client_id = t.client_id)
		FROM vetshare.tasks t WHERE t.owner_id = $1 AND t.account_id = ANY ($3) AND t.assignee_id = $4 AND t.done = false
		  AND t.due >= $5 AND (t.due > $5 OR t.priority < $6 OR (t.priority = $6 AND t.id > $7))
		ORDER BY t.due, t.priority DESC, t.id LIMIT $8`

	reportSelect = `SELECT e.client_id, e.number, e.created_at, c.first_name, c.last_name, c.email, c.phone, c.address, c.home_account,
	CASE WHEN $5::bigint IS NOT NULL THEN (SELECT max((SELECT r.given_at FROM vetshare.records r
		WHERE r.owner_id = $1 AND r.patient_id = p.id AND r.account_id = $2 AND r.removed_at IS NULL AND r.given_at < $5
		ORDER BY r.given_at DESC LIMIT 1)) FROM vetshare.patients p WHERE p.owner_id = $1 AND p.client_id = e.client_id) END,
	CASE WHEN $5::bigint IS NOT NULL THEN (SELECT i.given_at FROM vetshare.invoices i
		WHERE i.owner_id = $1 AND i.account_id = $2 AND i.client_id = e.client_id AND i.status <> 'void' AND i.given_at < $5
		ORDER BY i.given_at DESC LIMIT 1) END,
	CASE WHEN $6::bigint IS NOT NULL THEN (SELECT i.paid_at FROM vetshare.invoices i
		WHERE i.owner_id = $1 AND i.account_id = $2 AND i.client_id = e.client_id AND i.status = 'paid' AND i.paid_at < $6
		ORDER BY i.paid_at DESC LIMIT 1) END
	FROM vetshare.client_entries e JOIN vetshare.clients c ON c.owner_id = $1 AND c.id = e.client_id
	WHERE e.owner_id = $1 AND e.account_id = $2 AND e.created_at >= $3 AND e.created_at < $4`
	qReportByNumber   = reportSelect + ` ORDER BY e.number`
	qReportByCreation = reportSelect + ` ORDER BY e.created_at, e.number`
	qReportAccount    = `SELECT a.time_zone, EXISTS (SELECT 1 FROM vetshare.group_members g WHERE g.owner_id = $1 AND g.account_id = a.id)
		FROM vetshare.accounts a WHERE a.owner_id = $1 AND a.id = $2`
	qOwnerAccounts = `SELECT id, name FROM vetshare.accounts WHERE owner_id = $1`
)

const qUnshared = `SELECT c.id FROM vetshare.clients c
	WHERE c.owner_id = $1 AND c.id > $2
	  AND (SELECT count(*) FROM vetshare.client_entries e WHERE e.owner_id = $1 AND e.client_id = c.id AND e.account_id = ANY ($3))
	      BETWEEN 1 AND $4 - 1
	ORDER BY c.id LIMIT $5`

// backfill: sharing.Backfill of the backfill owner's historical clients into an account that
// has just joined the group (made untimed before each side): every client gets an entry. The
// baseline does the same batches of 500 with the same statements.
func (e *env) backfill() *workload {
	o := e.m.Owners[e.m.Backfill]
	actor := o.Actor(0)
	joined := 0
	join := func(ctx context.Context, side string, run int) error {
		if 2+joined >= len(o.Accounts) {
			return errors.New("no spare account left for another backfill (lower -runs)")
		}
		k := 2 + joined
		joined++
		return e.st.Update(ctx, func(tx *vetshare.Tx) error {
			d, err := sharing.Enable(ctx, tx, o.EnableRequest(vetshare.ModeManual, 0, k))
			if err == nil && !d.Approved {
				err = d.Err()
			}
			return err
		})
	}
	return &workload{
		name: "backfill", desc: fmt.Sprintf("sharing.Backfill of %d historical clients into an account joining the group", o.Clients),
		iters: 1, prepare: join,
		op: func(ctx context.Context, i int) (int, error) {
			p, err := sharing.Backfill(ctx, e.st, actor, sharing.BackfillOptions{})
			return p.Shared, err
		},
		base: func(ctx context.Context, i int) (int, error) {
			shared := 0
			var cursor vetshare.ClientID
			for done := false; !done; {
				err := e.p.update(ctx, func(q *ptx) error {
					role, _, err := q.actor(actor)
					if err != nil || (role != vetshare.RoleOwner && role != vetshare.RoleAdmin) {
						return fmt.Errorf("baseline: not admin: %v", err)
					}
					g, _, members, err := q.group(actor.Account)
					if err != nil {
						return err
					}
					var ids []vetshare.ClientID
					err = q.each(qUnshared, []any{q.owner, cursor, strs(members), len(members), 500}, func(r pgx.Rows) error {
						var id vetshare.ClientID
						err := r.Scan(&id)
						ids = append(ids, id)
						return err
					})
					if err != nil {
						return err
					}
					done = len(ids) < 500
					for _, c := range ids {
						cursor = c
						has, err := q.entries(c)
						if err != nil {
							return err
						}
						for _, m := range members {
							if !contains(has, m) {
								if _, err := q.entry(m, c, vetshare.ViaBackfill); err != nil {
									return err
								}
								shared++
							}
						}
					}
					if len(ids) == 0 {
						return nil
					}
					return q.audit(actor, "client.share", "group:"+string(g), map[string]any{"via": vetshare.ViaBackfill, "clients": ids})
				})
				if err != nil {
					return shared, err
				}
			}
			return shared, nil
		},
	}
}

func contains[T comparable](s []T, v T) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// usage: records.AddUsage of a Rabies vaccine to a patient of the automatic group, at one of
// its accounts (not always the client's).
func (e *env) usage() *workload {
	o := e.m.Owners[e.m.Auto]
	pick := func(i int) (vetshare.Actor, vetshare.PatientID, vetshare.ItemID) {
		h := e.m.History[(i/10)%len(e.m.History)]
		a := (h.Origin + i) % len(o.Accounts)
		return staff(o, a), h.Patient, o.Items[a]["Rabies vaccine"]
	}
	return &workload{
		name: "usage", desc: "records.AddUsage of a vaccine: record, stock count and ledger, reminder scheduled, other accounts' reminder completed by a disable action, audit",
		iters: e.n(2000), warm: 20,
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
				var origin vetshare.AccountID
				if err := q.row(qUsagePatient, []any{q.owner, a.Account, p}, &origin); err != nil {
					return err
				}
				var itemAcct vetshare.AccountID
				var tracked bool
				var rulesJSON string
				if err := q.row(qItem, []any{q.owner, item}, &itemAcct, &tracked, &rulesJSON); err != nil {
					return err
				}
				if itemAcct != a.Account {
					return fmt.Errorf("baseline: item of another account")
				}
				var rules []struct {
					Kind  string
					Count int
					Unit  string
				}
				if err := json.Unmarshal([]byte(rulesJSON), &rules); err != nil {
					return err
				}
				targets := []string{string(item)}
				err := q.each(qActions, []any{q.owner, item}, func(r pgx.Rows) error {
					var t string
					err := r.Scan(&t)
					targets = append(targets, t)
					return err
				})
				if err != nil {
					return err
				}
				type open struct {
					id   vetshare.ReminderID
					acct vetshare.AccountID
				}
				var opens []open
				err = q.each(qOpenOf, []any{q.owner, p, targets}, func(r pgx.Rows) error {
					var o open
					err := r.Scan(&o.id, &o.acct)
					opens = append(opens, o)
					return err
				})
				if err != nil {
					return err
				}
				rec := vetshare.NewID[vetshare.RecordID](q.now)
				if _, err := q.exec(qInsRecord, q.owner, rec, p, a.Account, a.User, item, 1, micros(q.now)); err != nil {
					return err
				}
				if _, err := q.exec(qInsTargets, q.owner, rec, targets); err != nil { // kept with the usage for R7.8
					return err
				}
				if tracked {
					if _, err := q.exec(qOnHand, q.owner, item, a.Account, -1); err != nil {
						return err
					}
					if _, err := q.exec(qInsMovement, q.owner, vetshare.NewID[vetshare.MovementID](q.now), a.Account, item, -1, rec, a.User, micros(q.now)); err != nil {
						return err
					}
				}
				var others []vetshare.ReminderID
				var accts []vetshare.AccountID
				for _, o := range opens {
					if _, err := q.exec(qComplete, q.owner, o.id, rec, micros(q.now)); err != nil {
						return err
					}
					if o.acct != a.Account {
						others, accts = append(others, o.id), append(accts, o.acct)
					}
				}
				for _, rule := range rules {
					due := reminders.DueAfter(q.now, vetshare.Interval{Count: rule.Count, Unit: vetshare.IntervalUnit(rule.Unit)})
					if _, err := q.exec(qInsReminder, q.owner, vetshare.NewID[vetshare.ReminderID](q.now), p, a.Account, item, rec, rule.Kind,
						vetshare.FoldName(rule.Kind), micros(due), micros(q.now)); err != nil {
						return err
					}
				}
				if len(others) > 0 {
					if err := q.audit(a, "reminders.complete", "record:"+string(rec),
						map[string]any{"patient": p, "reminders": others, "accounts": accts}); err != nil {
						return err
					}
				}
				if a.Account != origin {
					return q.audit(a, "record.add", "record:"+string(rec),
						map[string]any{"patient": p, "kind": vetshare.RecordUsage, "item": item, "quantity": 1})
				}
				return nil
			})
		},
	}
}

// payment: billing.RecordPayment of an open invoice at the counter of its account, in the
// automatic group. Before each side of each run, as many open invoices are issued, untimed.
func (e *env) payment() *workload {
	o := e.m.Owners[e.m.Auto]
	iters := e.n(2000)
	type due struct {
		actor vetshare.Actor
		inv   vetshare.Invoice
	}
	queues := map[string][]due{}
	prepare := func(ctx context.Context, side string, run int) error {
		queues[side] = nil
		n := iters
		if run < 0 {
			n, run = 1, 1000 // -trace
		}
		return e.st.Update(ctx, func(tx *vetshare.Tx) error {
			for i := range n {
				h := e.m.History[(2*run*iters+i)%len(e.m.History)]
				a := staff(o, (h.Origin+i)%len(o.Accounts))
				inv, err := billing.CreateInvoice(ctx, tx, a, vetshare.Invoice{ClientID: h.Client,
					Lines: []vetshare.InvoiceLine{{Description: "Wellness exam", Quantity: 1, UnitPrice: 6500}}})
				if err != nil {
					return err
				}
				queues[side] = append(queues[side], due{a, inv})
			}
			return nil
		})
	}
	next := 0
	take := func(side string) (due, error) {
		q := queues[side]
		if len(q) == 0 {
			return due{}, errors.New("no open invoice left")
		}
		d := q[0]
		queues[side] = q[1:]
		next++
		return d, nil
	}
	return &workload{
		name: "payment", desc: "billing.RecordPayment of an open invoice at the counter of its account (payment; invoice and balance updated by the driver's statements, no trigger on PostgreSQL)",
		iters: iters, prepare: prepare,
		op: func(ctx context.Context, i int) (int, error) {
			d, err := take("op")
			if err != nil {
				return 0, err
			}
			return 1, e.st.Update(ctx, func(tx *vetshare.Tx) error {
				_, err := billing.RecordPayment(ctx, tx, d.actor, billing.PaymentRequest{Key: "bench-op-" + strconv.Itoa(next), Invoice: d.inv.ID,
					Amount: vetshare.Money{Amount: d.inv.Total, Currency: d.inv.Currency}, Channel: vetshare.ChannelCounter, Method: "card"})
				return err
			})
		},
		base: func(ctx context.Context, i int) (int, error) {
			d, err := take("baseline")
			if err != nil {
				return 0, err
			}
			return 1, e.p.update(ctx, func(q *ptx) error {
				if _, _, err := q.actor(d.actor); err != nil {
					return err
				}
				var acct vetshare.AccountID
				var client vetshare.ClientID
				var status, currency string
				var total, paid int64
				if err := q.row(qInvoice, []any{q.owner, d.inv.ID}, &acct, &client, &status, &currency, &total, &paid); err != nil {
					return err
				}
				if acct != d.actor.Account || status != "open" || total-paid < d.inv.Total {
					return fmt.Errorf("baseline: invoice %s cannot take the payment", d.inv.ID)
				}
				if n, err := q.exec(qPay, q.owner, d.inv.ID, acct, client, currency, d.inv.Total); err != nil || n != 1 {
					return fmt.Errorf("baseline: invoice not paid: %v", err)
				}
				if _, err := q.exec(qInsPayment, q.owner, vetshare.NewID[vetshare.PaymentID](q.now), "bench-base-"+strconv.Itoa(next), acct, d.inv.ID, client,
					string(vetshare.ChannelCounter), d.inv.Total, currency, d.actor.Account, d.actor.User, "card", "", micros(q.now)); err != nil {
					return err
				}
				settled := 0
				if n, err := q.exec(qSettle, q.owner, d.inv.ID); err != nil {
					return err
				} else if n == 1 {
					settled = 1
				}
				_, err := q.exec(qBalance, q.owner, acct, client, d.inv.Total, settled)
				return err
			})
		},
	}
}

// assignedToMe: tasks.AssignedToMe, first page (50), all ten linked clinics, for a vet who works
// at every location of the big owner, whose ten accounts hold the task backlog.
func (e *env) assignedToMe() *workload {
	o := e.m.Owners[e.m.Big]
	actor := func(i int) vetshare.Actor {
		return vetshare.Actor{User: o.Roaming[i%len(o.Roaming)], Account: o.Accounts[i%len(o.Accounts)]}
	}
	return &workload{
		name: "assigned-to-me", desc: fmt.Sprintf("tasks.AssignedToMe, first page of 50 over 10 linked clinics, %d tasks in the big owner's accounts", e.m.Size.Tasks),
		iters: e.n(2000), warm: 50,
		op: func(ctx context.Context, i int) (int, error) {
			var n int
			return n, e.st.View(ctx, func(tx *vetshare.Tx) error {
				p, err := tasks.AssignedToMe(ctx, tx, actor(i), tasks.AssignedQuery{Clinics: tasks.Selection{All: true}}, vetshare.Page{Limit: 50})
				n = len(p.Rows)
				if err == nil && n == 0 {
					err = errors.New("no task assigned")
				}
				return err
			})
		},
		base: func(ctx context.Context, i int) (int, error) {
			a := actor(i)
			var n int
			return n, e.p.view(ctx, func(q *ptx) error {
				var active, sharing bool
				var owner vetshare.OwnerID
				if err := q.row(qTaskActor, []any{a.User, a.Account}, &active, &owner, &sharing); err != nil || !active || !sharing {
					return fmt.Errorf("baseline: actor: %v", err)
				}
				if _, err := q.exec(qSetOwner, owner); err != nil {
					return err
				}
				var linked []string
				names := map[string]string{}
				err := q.each(qLinked, []any{owner, a.User}, func(r pgx.Rows) error {
					var id, name string
					var perms int64
					err := r.Scan(&id, &name, &perms)
					linked, names[id] = append(linked, id), name
					return err
				})
				if err != nil {
					return err
				}
				err = q.each(qAssigned, []any{owner, a.Account, linked, a.User, int64(math.MinInt64), int64(math.MaxInt32), "", 51},
					func(r pgx.Rows) error {
						var id, acct, kind, title, assignee, status string
						var due, prio, created int64
						var client, patient *string
						var shared bool
						n++
						return r.Scan(&id, &acct, &kind, &title, &assignee, &due, &prio, &status, &client, &patient, &created, &shared)
					})
				n = min(n, 50)
				return err
			})
		},
	}
}

// reportAccount is the big owner's account whose entries the reports list: its second.
const reportAccount = 1

func (e *env) reportParams(kind vetshare.ReportKind) vetshare.ReportParams {
	end := e.m.End.AddDate(0, 0, -1)
	return vetshare.ReportParams{Kind: kind, PeriodFrom: vetshare.DateOf(end.AddDate(-1, 0, 1)), PeriodTo: vetshare.DateOf(end), AsOf: vetshare.DateOf(end)}
}

// report: one of the client reports of the big owner's second account, streamed to the end.
func (e *env) report(kind vetshare.ReportKind) *workload {
	o := e.m.Owners[e.m.Big]
	actor := o.Actor(reportAccount)
	return &workload{
		name: "report-" + string(kind), desc: fmt.Sprintf("reports %s of the big owner's second account, streamed to the end", kind.Title()),
		iters: 1, warm: 1,
		op: func(ctx context.Context, i int) (int, error) {
			n := 0
			return n, e.st.View(ctx, func(tx *vetshare.Tx) error {
				r, err := reports.Open(ctx, tx, actor, e.reportParams(kind))
				if err != nil {
					return err
				}
				return r.Each(ctx, func(vetshare.ReportRow) error { n++; return nil })
			})
		},
		base: func(ctx context.Context, i int) (int, error) {
			n := 0
			return n, e.p.view(ctx, func(q *ptx) error {
				if _, _, err := q.actor(actor); err != nil {
					return err
				}
				var tz string
				var home bool
				if err := q.row(qReportAccount, []any{q.owner, actor.Account}, &tz, &home); err != nil {
					return err
				}
				loc, err := time.LoadLocation(tz)
				if err != nil {
					return err
				}
				names := map[string]string{}
				if home {
					err := q.each(qOwnerAccounts, []any{q.owner}, func(r pgx.Rows) error {
						var id, name string
						err := r.Scan(&id, &name)
						names[id] = name
						return err
					})
					if err != nil {
						return err
					}
				}
				b := reports.ReportBounds(e.reportParams(kind).WithDefaults(), loc)
				rq := reports.Query(actor.Account, kind, b)
				from, before := int64(-1<<63), int64(1<<63-1)
				if !rq.CreatedFrom.IsZero() {
					from = rq.CreatedFrom.UnixMicro()
				}
				if !rq.CreatedBefore.IsZero() {
					before = rq.CreatedBefore.UnixMicro()
				}
				query := qReportByNumber
				if rq.ByCreation {
					query = qReportByCreation
				}
				var visitsBefore, paidBefore any
				if !rq.VisitsBefore.IsZero() {
					visitsBefore = rq.VisitsBefore.UnixMicro()
				}
				if !rq.PaidBefore.IsZero() {
					paidBefore = rq.PaidBefore.UnixMicro()
				}
				var row vetshare.ReportRow
				var created int64
				var visit, invoice, paid *int64
				return q.each(query, []any{q.owner, actor.Account, from, before, visitsBefore, paidBefore}, func(r pgx.Rows) error {
					if err := r.Scan(&row.ClientID, &row.Number, &created, &row.FirstName, &row.LastName, &row.Email, &row.Phone,
						&row.Address, &row.HomeAccount, &visit, &invoice, &paid); err != nil {
						return err
					}
					row.ClientSince = time.UnixMicro(created).UTC()
					row.LastVisit, row.LastPaid = time.Time{}, time.Time{}
					if visit != nil {
						row.LastVisit = time.UnixMicro(*visit).UTC()
					}
					if invoice != nil && (visit == nil || *invoice > *visit) {
						row.LastVisit = time.UnixMicro(*invoice).UTC()
					}
					if paid != nil {
						row.LastPaid = time.UnixMicro(*paid).UTC()
					}
					if reports.Includes(kind, b, row) {
						row.HomeName = names[string(row.HomeAccount)]
						n++
					}
					return nil
				})
			})
		},
	}
}
