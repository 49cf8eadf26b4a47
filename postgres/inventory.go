package postgres

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5"

	"github.com/vetshare/vetshare"
)

// ruleJSON is a reminder rule as the items.reminders column keeps it.
type ruleJSON struct {
	Kind  string `json:"kind"`
	Count int    `json:"count"`
	Unit  string `json:"unit"`
}

func encodeRules(rules []vetshare.ReminderRule) (string, error) {
	if len(rules) == 0 {
		return "[]", nil
	}
	out := make([]ruleJSON, len(rules))
	for i, r := range rules {
		out[i] = ruleJSON{Kind: r.Kind, Count: r.Interval.Count, Unit: string(r.Interval.Unit)}
	}
	b, err := json.Marshal(out)
	return string(b), err
}

func decodeRules(s string) ([]vetshare.ReminderRule, error) {
	if s == "[]" || s == "" {
		return nil, nil
	}
	var in []ruleJSON
	if err := json.Unmarshal([]byte(s), &in); err != nil {
		return nil, err
	}
	out := make([]vetshare.ReminderRule, len(in))
	for i, r := range in {
		out[i] = vetshare.ReminderRule{Kind: r.Kind, Interval: vetshare.Interval{Count: r.Count, Unit: vetshare.IntervalUnit(r.Unit)}}
	}
	return out, nil
}

const itemCols = `i.id, i.account_id, i.name, i.kind, i.tracked, i.reminders, i.on_hand, i.created_at`

func (t *dtx) items(ctx context.Context, query string, args ...any) ([]vetshare.Item, error) {
	var out []vetshare.Item
	err := t.each(ctx, func(r pgx.Rows) error {
		var it vetshare.Item
		var rules string
		var created int64
		if err := r.Scan(&it.ID, &it.AccountID, &it.Name, &it.Kind, &it.Tracked, &rules, &it.OnHand, &created); err != nil {
			return err
		}
		it.CreatedAt = fromMicros(created)
		var err error
		it.Reminders, err = decodeRules(rules)
		out = append(out, it)
		return err
	}, query, args...)
	return out, err
}

// InsertItem implements [driver.Tx].
func (t *dtx) InsertItem(ctx context.Context, it vetshare.Item) error {
	o, err := t.acct(ctx, it.AccountID)
	if err != nil || o == "" {
		return orNotFound(err, vetshare.NotFound("account", it.AccountID))
	}
	rules, err := encodeRules(it.Reminders)
	if err != nil {
		return err
	}
	return t.write(ctx, func() error {
		_, err := t.exec(ctx, `INSERT INTO vetshare.items (owner_id, id, account_id, name, name_key, kind, tracked, reminders, on_hand, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9)`,
			o, it.ID, it.AccountID, it.Name, vetshare.FoldName(it.Name), string(it.Kind), it.Tracked, rules, micros(it.CreatedAt))
		return err
	})
}

// UpdateItem implements [driver.Tx].
func (t *dtx) UpdateItem(ctx context.Context, it vetshare.Item) error {
	o, err := t.bare(ctx, "item", string(it.ID))
	if err != nil || o == "" {
		return orNotFound(err, vetshare.NotFound("item", it.ID))
	}
	rules, err := encodeRules(it.Reminders)
	if err != nil {
		return err
	}
	return t.execOne(ctx, vetshare.NotFound("item", it.ID),
		`UPDATE vetshare.items SET name = $3, name_key = $4, kind = $5, tracked = $6, reminders = $7 WHERE owner_id = $1 AND id = $2`,
		o, it.ID, it.Name, vetshare.FoldName(it.Name), string(it.Kind), it.Tracked, rules)
}

// Item implements [driver.Tx].
func (t *dtx) Item(ctx context.Context, id vetshare.ItemID) (vetshare.Item, error) {
	notFound := vetshare.NotFound("item", id)
	o, err := t.bare(ctx, "item", string(id))
	if err != nil || o == "" {
		return vetshare.Item{}, orNotFound(err, notFound)
	}
	its, err := t.items(ctx, `SELECT `+itemCols+` FROM vetshare.items i WHERE i.owner_id = $1 AND i.id = $2`, o, id)
	if err != nil || len(its) == 0 {
		return vetshare.Item{}, orNotFound(err, notFound)
	}
	return its[0], nil
}

// Items implements [driver.Tx].
func (t *dtx) Items(ctx context.Context, q vetshare.ItemQuery) ([]vetshare.Item, error) {
	o, err := t.acct(ctx, q.Account)
	if err != nil || o == "" {
		return nil, err
	}
	return t.items(ctx, `SELECT `+itemCols+` FROM vetshare.items i WHERE i.owner_id = $1 AND i.account_id = $2
		AND (NOT $3 OR (i.tracked AND i.on_hand < 0))
		AND i.name_key >= $4 AND i.name_key < $5
		AND (i.name_key, i.id) > ($6, $7) ORDER BY i.name_key, i.id LIMIT $8`,
		o, q.Account, q.BelowZero, q.Prefix, upper(q.Prefix), q.AfterKey, string(q.AfterID), limitArg(q.Limit))
}

// ItemsWithReminders implements [driver.Tx].
func (t *dtx) ItemsWithReminders(ctx context.Context, accounts []vetshare.AccountID) ([]vetshare.Item, error) {
	if len(accounts) == 0 {
		return nil, nil
	}
	o, err := t.acct(ctx, accounts[0])
	if err != nil || o == "" {
		return nil, err
	}
	return t.items(ctx, `SELECT `+itemCols+` FROM vetshare.items i WHERE i.owner_id = $1 AND i.account_id = ANY ($2)
		AND i.reminders <> '[]' ORDER BY i.account_id, i.id`, o, strs(accounts))
}

// InsertStockMovement implements [driver.Tx]. The item's row, updated first, holds its ledger
// for this transaction, so the ledger's sequence is taken once.
func (t *dtx) InsertStockMovement(ctx context.Context, m vetshare.StockMovement) error {
	o, err := t.acct(ctx, m.AccountID)
	if err != nil || o == "" {
		return orNotFound(err, vetshare.NotFound("item", m.ItemID))
	}
	return t.write(ctx, func() error {
		n, err := t.exec(ctx, `UPDATE vetshare.items SET on_hand = on_hand + $4 WHERE owner_id = $1 AND id = $2 AND account_id = $3`,
			o, m.ItemID, m.AccountID, m.Quantity)
		if err != nil {
			return err
		}
		if n == 0 {
			return vetshare.NotFound("item", m.ItemID)
		}
		_, err = t.exec(ctx, `INSERT INTO vetshare.stock_movements (owner_id, id, seq, account_id, item_id, kind, quantity, record_id, user_id, note, at)
			VALUES ($1, $2, (SELECT coalesce(max(seq), 0) + 1 FROM vetshare.stock_movements WHERE owner_id = $1 AND item_id = $4),
			$3, $4, $5, $6, $7, $8, $9, $10)`,
			o, m.ID, m.AccountID, m.ItemID, string(m.Kind), m.Quantity, nullString(string(m.RecordID)), m.UserID, m.Note, micros(m.At))
		return err
	})
}

func (t *dtx) movements(ctx context.Context, query string, args ...any) ([]vetshare.StockMovement, error) {
	var out []vetshare.StockMovement
	err := t.each(ctx, func(r pgx.Rows) error {
		var m vetshare.StockMovement
		var rec *string
		var at int64
		err := r.Scan(&m.ID, &m.AccountID, &m.ItemID, &m.Kind, &m.Quantity, &rec, &m.UserID, &m.Note, &at)
		m.RecordID, m.At = vetshare.RecordID(deref(rec)), fromMicros(at)
		out = append(out, m)
		return err
	}, query, args...)
	return out, err
}

// StockMovements implements [driver.Tx].
func (t *dtx) StockMovements(ctx context.Context, item vetshare.ItemID, after vetshare.MovementID, limit int) ([]vetshare.StockMovement, error) {
	o, err := t.bare(ctx, "item", string(item))
	if err != nil || o == "" {
		return nil, err
	}
	return t.movements(ctx, `SELECT id, account_id, item_id, kind, quantity, record_id, user_id, note, at FROM vetshare.stock_movements
		WHERE owner_id = $1 AND item_id = $2
		AND seq > coalesce((SELECT x.seq FROM vetshare.stock_movements x WHERE x.owner_id = $1 AND x.id = $3 AND x.item_id = $2), 0)
		ORDER BY seq LIMIT $4`, o, item, string(after), limitArg(limit))
}

// RecordMovements implements [driver.Tx].
func (t *dtx) RecordMovements(ctx context.Context, record vetshare.RecordID) ([]vetshare.StockMovement, error) {
	o, err := t.bare(ctx, "record", string(record))
	if err != nil || o == "" {
		return nil, err
	}
	return t.movements(ctx, `SELECT id, account_id, item_id, kind, quantity, record_id, user_id, note, at FROM vetshare.stock_movements
		WHERE owner_id = $1 AND record_id = $2 ORDER BY item_id, seq`, o, record)
}

// Usages implements [driver.Tx].
func (t *dtx) Usages(ctx context.Context, q vetshare.UsageQuery) ([]vetshare.UsageRow, error) {
	o, err := t.acct(ctx, q.Account)
	if err != nil || o == "" {
		return nil, err
	}
	var out []vetshare.UsageRow
	err = t.each(ctx, func(rows pgx.Rows) error {
		var u vetshare.UsageRow
		err := scanRecord(rows, &u.Record, &u.ItemName, &u.OriginName, &u.PatientName)
		u.Origin = u.Record.AccountID
		out = append(out, u)
		return err
	}, `SELECT `+recordCols+`, i.name, a.name, p.name`+recordScope+`
		JOIN vetshare.items i ON i.owner_id = $1 AND i.id = r.item_id JOIN vetshare.accounts a ON a.owner_id = $1 AND a.id = r.account_id
		WHERE r.owner_id = $1 AND ($3 = '' OR r.patient_id = $3) AND r.kind = 'usage' AND ($4 OR r.removed_at IS NULL)
		AND ($5 = '' OR (r.given_at, r.seq) < (SELECT x.given_at, x.seq FROM vetshare.records x WHERE x.owner_id = $1 AND x.id = $5))
		AND i.name_key >= $6 AND i.name_key < $7
		ORDER BY r.given_at DESC, r.seq DESC LIMIT $8`,
		o, q.Account, string(q.Patient), q.Removed, string(q.Before), q.Prefix, upper(q.Prefix), limitArg(q.Limit))
	return out, err
}
