package vetshare_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/records"
)

// R12.5: what a host holds in a transaction offers no storage method. The method set of
// *vetshare.Tx is listed here by reflection; a storage method added to it fails this test.
func TestR12_5TxHasNoStorageMethod(t *testing.T) {
	allowed := map[string]bool{"Now": true}
	typ := reflect.TypeFor[*vetshare.Tx]()
	for i := range typ.NumMethod() {
		if m := typ.Method(i); !allowed[m.Name] {
			t.Errorf("*vetshare.Tx has method %s: a host must reach storage through operations only", m.Name)
		}
	}
	if typ.Elem().NumField() > 0 {
		for i := range typ.Elem().NumField() {
			if f := typ.Elem().Field(i); f.IsExported() {
				t.Errorf("*vetshare.Tx has exported field %s", f.Name)
			}
		}
	}
}

// R12.5: an operation handed a nil transaction fails with a typed error, not a panic.
func TestR12_5NilTx(t *testing.T) {
	var tx *vetshare.Tx
	if !tx.Now().IsZero() {
		t.Error("nil Tx has a time")
	}
	actor := vetshare.Actor{User: vetshare.NewID[vetshare.UserID](time.Now()), Account: vetshare.NewID[vetshare.AccountID](time.Now())}
	for _, tx := range []*vetshare.Tx{nil, {}} {
		_, _, err := records.CreateClient(context.Background(), tx, actor, vetshare.Client{LastName: "Nil"})
		if !errors.Is(err, vetshare.ErrInvalid) {
			t.Errorf("CreateClient on %v: %v, want ErrInvalid", tx, err)
		}
	}
}
