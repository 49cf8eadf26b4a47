package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/billing"
)

// The baseline statements of a payment: the invoice, then the payment, which the schema's
// trigger applies to the invoice and the client's balance.
const (
	qInvoice    = `SELECT account_id, client_id, status, currency, total, paid FROM vetshare_invoices WHERE id = ?`
	qInsPayment = `INSERT INTO vetshare_payments (id, owner_id, key, account_id, invoice_id, client_id, channel, amount,
		currency, taken_at, user_id, method, reference, created_at, given_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14)`
)

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
		return e.st.Update(ctx, func(tx *vetshare.Tx) error {
			for i := range iters {
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
	// The payment keys are new in every invocation: a key an earlier run on the same file
	// (-reuse) gave is taken, and the payment would be refused as a different one.
	tag := strconv.FormatInt(time.Now().UnixNano(), 36)
	key := func(side string, n int) string { return "bench-" + side + "-" + tag + "-" + strconv.Itoa(n) }
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
		name: "payment", desc: "billing.RecordPayment of an open invoice at the counter of its account (payment, invoice and balance by trigger)",
		target: "ratio ≤ 1.3", iters: iters, rows: 1, judge: ratioAtMost(1.3), prepare: prepare, beside: true,
		op: func(ctx context.Context, i int) (int, error) {
			d, err := take("op")
			if err != nil {
				return 0, err
			}
			return 1, e.st.Update(ctx, func(tx *vetshare.Tx) error {
				_, err := billing.RecordPayment(ctx, tx, d.actor, billing.PaymentRequest{Key: key("op", next), Invoice: d.inv.ID,
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
				_, owner, err := q.actor(d.actor)
				if err != nil {
					return err
				}
				var acct vetshare.AccountID
				var client vetshare.ClientID
				var status, currency string
				var total, paid int64
				if err := q.row(qInvoice, []any{d.inv.ID}, &acct, &client, &status, &currency, &total, &paid); err != nil {
					return err
				}
				if acct != d.actor.Account || status != "open" || total-paid < d.inv.Total {
					return fmt.Errorf("baseline: invoice %s cannot take the payment", d.inv.ID)
				}
				_, err = q.exec(qInsPayment, vetshare.NewID[vetshare.PaymentID](q.now), owner, key("base", next), acct, d.inv.ID, client,
					string(vetshare.ChannelCounter), d.inv.Total, currency, d.actor.Account, d.actor.User, "card", "", micros(q.now))
				return err
			})
		},
		limit: func(ctx context.Context, i int) (int, error) {
			d, err := take("limit")
			if err != nil {
				return 0, err
			}
			return 1, e.p.update(ctx, func(q *ptx) error { return q.limitPayment(d.actor, d.inv, key("limit", next)) })
		},
	}
}
