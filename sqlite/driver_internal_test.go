package sqlite

import (
	"reflect"
	"testing"

	"github.com/vetshare/vetshare/driver"
)

// R12.5: the driver is all the store implements for a transaction: the exported methods of its
// transaction type are exactly those of driver.Tx, so nothing beyond the contract is reachable
// even through a type assertion.
func TestR12_5StoreImplementsTheDriverOnly(t *testing.T) {
	contract := map[string]bool{}
	dt := reflect.TypeFor[driver.Tx]()
	for i := range dt.NumMethod() {
		contract[dt.Method(i).Name] = true
	}
	st := reflect.TypeFor[*dtx]()
	for i := range st.NumMethod() {
		if m := st.Method(i); !contract[m.Name] {
			t.Errorf("the store's transaction has method %s beyond the driver contract", m.Name)
		}
	}
	if st.NumMethod() != len(contract) {
		t.Errorf("the store's transaction has %d exported methods, the contract %d", st.NumMethod(), len(contract))
	}
}
