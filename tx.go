package vetshare

import (
	"time"

	"github.com/vetshare/vetshare/internal/txhook"
)

// Tx is one transaction, as a host holds it inside [Store.Update] or [Store.View], or gets it
// for a transaction of its own from its store. It offers the operations of the domain packages
// only: every operation takes it as its second argument (op(ctx, tx, actor, input)), and no
// method of it reads or writes storage, so no call within a host's reach skips a rule (R12.5).
// A Tx is not safe for concurrent use and is valid only until its transaction ends.
type Tx struct {
	d   any // the store's driver.Tx
	now time.Time
	op  txhook.Op // the operation call running in it (R10.1)
}

// Now returns the time of the transaction, taken once from the store's clock when it began.
func (tx *Tx) Now() time.Time {
	if tx == nil {
		return time.Time{}
	}
	return tx.now
}

func init() {
	txhook.New = func(d any, now time.Time) any { return &Tx{d: d, now: now} }
	txhook.Driver = func(tx any) any {
		if t, _ := tx.(*Tx); t != nil {
			return t.d
		}
		return nil
	}
	txhook.State = func(tx any) *txhook.Op {
		if t, _ := tx.(*Tx); t != nil {
			return &t.op
		}
		return nil
	}
}
