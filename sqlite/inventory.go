package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

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

// itemDest returns the scan destinations of itemCols for it, and what completes it after the
// scan.
func itemDest(it *vetshare.Item) (dest []any, done func() error) {
	var rules string
	var created int64
	return []any{&it.ID, &it.AccountID, &it.Name, &it.Kind, &it.Tracked, &rules, &it.OnHand, &created}, func() (err error) {
		it.CreatedAt = time.UnixMicro(created).UTC()
		it.Reminders, err = decodeRules(rules)
		return err
	}
}

func scanItem(r *sql.Rows, it *vetshare.Item, more ...any) error {
	dest, done := itemDest(it)
	if err := r.Scan(append(dest, more...)...); err != nil {
		return err
	}
	return done()
}

func (t *dtx) InsertItem(ctx context.Context, it vetshare.Item) error {
	rules, err := encodeRules(it.Reminders)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, `INSERT INTO vetshare_items (id, account_id, name, name_key, kind, tracked, reminders, on_hand, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)`,
		it.ID, it.AccountID, it.Name, vetshare.FoldName(it.Name), string(it.Kind), b2i(it.Tracked), rules, micros(it.CreatedAt))
	return err
}

func (t *dtx) UpdateItem(ctx context.Context, it vetshare.Item) error {
	rules, err := encodeRules(it.Reminders)
	if err != nil {
		return err
	}
	return mustAffect(t.exec(ctx, `UPDATE vetshare_items SET name = ?, name_key = ?, kind = ?, tracked = ?, reminders = ? WHERE id = ?`,
		it.Name, vetshare.FoldName(it.Name), string(it.Kind), b2i(it.Tracked), rules, it.ID))(vetshare.NotFound("item", it.ID))
}

// Item implements [driver.Tx]. The same read gives the item's disable actions, which the
// transaction keeps until its next statement: a usage reads its item and then the item's
// disable actions (R7.4), and that second read is then no statement at all (DisableActions).
func (t *dtx) Item(ctx context.Context, id vetshare.ItemID) (vetshare.Item, error) {
	var it vetshare.Item
	var actions sql.NullString
	err := t.queryRow(ctx, vetshare.NotFound("item", id), func(r *sql.Rows) error { return scanItem(r, &it, &actions) }, qItem, id)
	if err == nil {
		t.itemActions = itemActions{item: id, list: actions.String}
	}
	return it, err
}

// qItem reads an item with its disable actions, each as account, target account, target item
// and time created joined by the unit separator, the actions joined by the record separator.
// No id holds either: ids hold no control characters. The actions are put in DisableActions'
// order when decoded: an ORDER BY in the aggregate would make every Item read build a sorter.
const qItem = `SELECT ` + itemCols + `, ` + itemActionsCol + ` FROM vetshare_items i WHERE i.id = ?`

// itemActionsCol is the column of qItem that gives the disable actions of item i.
const itemActionsCol = `(SELECT group_concat(d.account_id || char(31) || d.target_account_id || char(31) ||
		d.target_item_id || char(31) || d.created_at, char(30))
		FROM vetshare_disable_actions d WHERE d.item_id = i.id)`

// itemActions are the disable actions of the item Item read last, as qItem gives them, kept
// until the transaction's next statement; the zero value, with no item, keeps none.
type itemActions struct {
	item vetshare.ItemID
	list string
}

// actions decodes a's list, by target item as DisableActions reads them.
func (a itemActions) actions() ([]vetshare.DisableAction, error) {
	if a.list == "" {
		return nil, nil
	}
	// Room for every action at once: a usage reads them on every write to a chart.
	out := make([]vetshare.DisableAction, 0, strings.Count(a.list, "\x1e")+1)
	for one := range strings.SplitSeq(a.list, "\x1e") {
		var f [4]string
		rest, ok := one, true
		for i := range 3 {
			if f[i], rest, ok = strings.Cut(rest, "\x1f"); !ok {
				break
			}
		}
		f[3] = rest
		if !ok {
			return nil, fmt.Errorf("sqlite: a disable action of item %s read as %q", a.item, one)
		}
		created, err := strconv.ParseInt(f[3], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("sqlite: a disable action of item %s read as %q: %w", a.item, one, err)
		}
		out = append(out, vetshare.DisableAction{AccountID: vetshare.AccountID(f[0]), ItemID: a.item, TargetAccountID: vetshare.AccountID(f[1]),
			TargetItemID: vetshare.ItemID(f[2]), CreatedAt: time.UnixMicro(created).UTC()})
	}
	slices.SortFunc(out, func(x, y vetshare.DisableAction) int {
		return strings.Compare(string(x.TargetItemID), string(y.TargetItemID))
	})
	return out, nil
}

func (t *dtx) Items(ctx context.Context, q vetshare.ItemQuery) ([]vetshare.Item, error) {
	var out []vetshare.Item
	scan := func(r *sql.Rows) error {
		var it vetshare.Item
		err := scanItem(r, &it)
		out = append(out, it)
		return err
	}
	// Every name_key starts with the empty prefix; prefix || x'ff' bounds the range (a folded
	// name never holds the byte 0xff, which is not valid UTF-8).
	const query = ` AND i.name_key >= ? AND i.name_key < ? || char(1114111)
		AND (i.name_key, i.id) > (?, ?) ORDER BY i.name_key, i.id LIMIT ?`
	if q.BelowZero {
		return out, t.each(ctx, scan, `SELECT `+itemCols+` FROM vetshare_items i INDEXED BY vetshare_items_below_zero
			WHERE i.account_id = ? AND i.tracked AND i.on_hand < 0`+query,
			q.Account, q.Prefix, q.Prefix, q.AfterKey, q.AfterID, q.Limit)
	}
	return out, t.each(ctx, scan, `SELECT `+itemCols+` FROM vetshare_items i WHERE i.account_id = ?`+query,
		q.Account, q.Prefix, q.Prefix, q.AfterKey, q.AfterID, q.Limit)
}

// idList encodes ids as a JSON array, for `IN (SELECT value FROM json_each(?))` in a constant
// query.
func idList[T ~string](ids []T) string {
	b, _ := json.Marshal(ids)
	return string(b)
}

func (t *dtx) ItemsWithReminders(ctx context.Context, accounts []vetshare.AccountID) ([]vetshare.Item, error) {
	var out []vetshare.Item
	err := t.each(ctx, func(r *sql.Rows) error {
		var it vetshare.Item
		err := scanItem(r, &it)
		out = append(out, it)
		return err
	}, `SELECT `+itemCols+` FROM json_each(?) a JOIN vetshare_items i INDEXED BY vetshare_items_reminders ON i.account_id = a.value
		WHERE i.reminders <> '[]' ORDER BY i.account_id, i.id`, idList(accounts))
	return out, err
}

func (t *dtx) InsertStockMovement(ctx context.Context, m vetshare.StockMovement) error {
	if err := mustAffect(t.exec(ctx, `UPDATE vetshare_items SET on_hand = on_hand + ? WHERE id = ? AND account_id = ?`,
		m.Quantity, m.ItemID, m.AccountID))(vetshare.NotFound("item", m.ItemID)); err != nil {
		return err
	}
	_, err := t.exec(ctx, `INSERT INTO vetshare_stock_movements (id, seq, account_id, item_id, kind, quantity, record_id, user_id, note, at)
		VALUES (?, (SELECT coalesce(max(seq), 0) + 1 FROM vetshare_stock_movements WHERE item_id = ?), ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.ID, m.ItemID, m.AccountID, m.ItemID, string(m.Kind), m.Quantity, nullString(string(m.RecordID)), m.UserID, m.Note, micros(m.At))
	return err
}

func (t *dtx) movements(ctx context.Context, query string, args ...any) ([]vetshare.StockMovement, error) {
	var out []vetshare.StockMovement
	err := t.each(ctx, func(r *sql.Rows) error {
		var m vetshare.StockMovement
		var rec sql.NullString
		var at int64
		err := r.Scan(&m.ID, &m.AccountID, &m.ItemID, &m.Kind, &m.Quantity, &rec, &m.UserID, &m.Note, &at)
		m.RecordID, m.At = vetshare.RecordID(rec.String), time.UnixMicro(at).UTC()
		out = append(out, m)
		return err
	}, query, args...)
	return out, err
}

func (t *dtx) StockMovements(ctx context.Context, item vetshare.ItemID, after vetshare.MovementID, limit int) ([]vetshare.StockMovement, error) {
	return t.movements(ctx, `SELECT id, account_id, item_id, kind, quantity, record_id, user_id, note, at FROM vetshare_stock_movements
		WHERE item_id = ? AND seq > coalesce((SELECT seq FROM vetshare_stock_movements WHERE id = ? AND item_id = ?), 0)
		ORDER BY seq LIMIT ?`, item, after, item, limit)
}

func (t *dtx) RecordMovements(ctx context.Context, record vetshare.RecordID) ([]vetshare.StockMovement, error) {
	return t.movements(ctx, `SELECT id, account_id, item_id, kind, quantity, record_id, user_id, note, at FROM vetshare_stock_movements
		WHERE record_id = ? ORDER BY item_id, seq`, record)
}

func (t *dtx) Usages(ctx context.Context, q vetshare.UsageQuery) ([]vetshare.UsageRow, error) {
	var out []vetshare.UsageRow
	scan := func(rows *sql.Rows) error {
		u, err := scanUsage(rows)
		out = append(out, u)
		return err
	}
	// A patient's usages are found by its index; an account's, through its client entries.
	const where = ` r.kind = 'usage' AND (? OR r.removed_at IS NULL)
		AND (? = '' OR (r.given_at, r.seq) < (SELECT given_at, seq FROM vetshare_records WHERE id = ?))
		AND i.name_key >= ? AND i.name_key < ? || char(1114111)
		ORDER BY r.given_at DESC, r.seq DESC LIMIT ?`
	if q.Patient != "" {
		return out, t.each(ctx, scan, `SELECT `+recordCols+`, i.name, a.name, p.name
			FROM vetshare_records r JOIN vetshare_patients p ON p.id = r.patient_id
			JOIN vetshare_client_entries e ON e.client_id = p.client_id AND e.account_id = ?
			JOIN vetshare_items i ON i.id = r.item_id JOIN vetshare_accounts a ON a.id = r.account_id
			WHERE r.patient_id = ? AND`+where,
			q.Account, q.Patient, b2i(q.Removed), q.Before, q.Before, q.Prefix, q.Prefix, q.Limit)
	}
	return out, t.each(ctx, scan, `SELECT `+recordCols+`, i.name, a.name, p.name`+recordScope+`
		JOIN vetshare_items i ON i.id = r.item_id JOIN vetshare_accounts a ON a.id = r.account_id WHERE`+where,
		q.Account, b2i(q.Removed), q.Before, q.Before, q.Prefix, q.Prefix, q.Limit)
}

func scanUsage(rows *sql.Rows) (vetshare.UsageRow, error) {
	var u vetshare.UsageRow
	err := scanRecord(rows, &u.Record, &u.ItemName, &u.OriginName, &u.PatientName)
	u.Origin = u.Record.AccountID
	return u, err
}
