package compose

import (
	"slices"
	"testing"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/reminders"
)

// TestTargetsIsTargetList holds Targets to the rule it copies (R7.4): the item and the targets
// of its actions at the usage's account, once each, by id; actions of other accounts and of
// other items left out.
func TestTargetsIsTargetList(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	a, b := vetshare.NewID[vetshare.AccountID](t0), vetshare.NewID[vetshare.AccountID](t0)
	item, x, y := vetshare.ItemID("item"), vetshare.ItemID("a-target"), vetshare.ItemID("z-target")
	for _, c := range []struct {
		name    string
		actions []vetshare.DisableAction
		want    []vetshare.ItemID
	}{
		{"no action", nil, []vetshare.ItemID{item}},
		{"two at the account, unsorted", []vetshare.DisableAction{{AccountID: a, ItemID: item, TargetItemID: y}, {AccountID: a, ItemID: item, TargetItemID: x}},
			[]vetshare.ItemID{x, item, y}},
		{"one at another account", []vetshare.DisableAction{{AccountID: b, ItemID: item, TargetItemID: x}}, []vetshare.ItemID{item}},
		{"one of another item", []vetshare.DisableAction{{AccountID: a, ItemID: "other", TargetItemID: x}}, []vetshare.ItemID{item}},
		{"the item itself, and a repeat", []vetshare.DisableAction{{AccountID: a, ItemID: item, TargetItemID: item}, {AccountID: a, ItemID: item, TargetItemID: y},
			{AccountID: a, ItemID: item, TargetItemID: y}}, []vetshare.ItemID{item, y}},
	} {
		got := Targets(a, item, c.actions)
		rule := reminders.TargetList(vetshare.Record{AccountID: a, ItemID: item}, c.actions)
		if !slices.Equal(got, c.want) || !slices.Equal(rule, c.want) {
			t.Errorf("%s: Targets = %v, reminders.TargetList = %v; want %v", c.name, got, rule, c.want)
		}
	}
}
