package sqlite

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/vetshare/vetshare"
)

// The disable actions of an item, as qItem's itemActionsCol gives them (fields by unit
// separators, actions by record separators), read back sorted by target item; a list that
// is not four fields an action is an error, not a wrong action.
func TestItemActionsReadBack(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	micros := "1772366400000000"
	a := itemActions{item: "vax", list: "acct1\x1facct2\x1fitemZ\x1f" + micros + "\x1eacct1\x1facct3\x1fitemA\x1f" + micros}
	got, err := a.actions()
	if err != nil {
		t.Fatal(err)
	}
	want := []vetshare.DisableAction{
		{AccountID: "acct1", ItemID: "vax", TargetAccountID: "acct3", TargetItemID: "itemA", CreatedAt: at},
		{AccountID: "acct1", ItemID: "vax", TargetAccountID: "acct2", TargetItemID: "itemZ", CreatedAt: at},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("actions (-want +got):\n%s", diff)
	}
	if got, err := (itemActions{item: "vax"}).actions(); err != nil || got != nil {
		t.Errorf("no actions: %v, %v", got, err)
	}
	for _, bad := range []string{"acct1\x1facct2\x1fitemZ", "acct1\x1facct2\x1fitemZ\x1f" + micros + "\x1fmore", "a\x1fb\x1fc\x1fnot-a-number"} {
		if got, err := (itemActions{item: "vax", list: bad}).actions(); err == nil {
			t.Errorf("%q read as %v, want an error", bad, got)
		}
	}
}
