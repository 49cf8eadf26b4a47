package reminders

import (
	"cmp"
	"slices"
	"strings"

	"github.com/vetshare/vetshare"
)

// Gap is a disable action missing from a group's setup (R7.5): Item carries a reminder rule of
// Kind at its account, and GivenBy, an item of another account of the group with a rule of the
// same kind, has no disable action for Item. A patient given Item at one location and GivenBy
// at the other keeps both reminders open: a duplicate.
type Gap struct {
	Kind    string  // as Item's rule spells it
	Item    ItemRef // the item whose reminders stay open
	GivenBy ItemRef // the other account's item that does not complete them
}

// ItemRef names an item of an account.
type ItemRef struct {
	AccountID vetshare.AccountID
	ID        vetshare.ItemID
	Name      string
}

func refOf(it *vetshare.Item) ItemRef {
	return ItemRef{AccountID: it.AccountID, ID: it.ID, Name: it.Name}
}

// FindGaps returns the gaps of a group's setup (R7.5), given the items of the group's accounts
// that carry reminder rules and the disable actions configured at those accounts. Items are
// matched by reminder kind, compared folded ([vetshare.FoldName]); items of one account are
// never paired (giving an item at its own account completes its own reminders). The gaps are
// ordered by Item's account and id, kind, then GivenBy's account and id.
func FindGaps(items []vetshare.Item, actions []vetshare.DisableAction) []Gap {
	type pair struct{ item, target vetshare.ItemID }
	has := make(map[pair]bool, len(actions))
	for _, a := range actions {
		has[pair{a.ItemID, a.TargetItemID}] = true
	}
	type rule struct {
		item      *vetshare.Item
		kind, key string
	}
	byKind := map[string][]rule{}
	for i := range items {
		for _, r := range items[i].Reminders {
			k := vetshare.FoldName(r.Kind)
			byKind[k] = append(byKind[k], rule{&items[i], r.Kind, k})
		}
	}
	type keyed struct {
		gap Gap
		key string
	}
	var out []keyed
	for _, rules := range byKind {
		for _, z := range rules {
			for _, y := range rules {
				if y.item.AccountID == z.item.AccountID || has[pair{y.item.ID, z.item.ID}] {
					continue
				}
				out = append(out, keyed{Gap{Kind: z.kind, Item: refOf(z.item), GivenBy: refOf(y.item)}, z.key})
			}
		}
	}
	slices.SortFunc(out, func(a, b keyed) int {
		return cmp.Or(
			strings.Compare(string(a.gap.Item.AccountID), string(b.gap.Item.AccountID)),
			strings.Compare(string(a.gap.Item.ID), string(b.gap.Item.ID)),
			strings.Compare(a.key, b.key),
			strings.Compare(string(a.gap.GivenBy.AccountID), string(b.gap.GivenBy.AccountID)),
			strings.Compare(string(a.gap.GivenBy.ID), string(b.gap.GivenBy.ID)))
	})
	gaps := make([]Gap, len(out))
	for i, k := range out {
		gaps[i] = k.gap
	}
	return gaps
}

// Duplicate is a patient's open reminders of one kind from more than one item: the client
// would be reminded twice (R7.5).
type Duplicate struct {
	PatientID vetshare.PatientID
	Kind      string
	Reminders []vetshare.Reminder // by due date, then id
}

// FindDuplicates groups the open reminders by patient and kind (compared folded) and returns
// the groups of more than one, by patient and kind.
func FindDuplicates(open []vetshare.Reminder) []Duplicate {
	type key struct {
		p vetshare.PatientID
		k string
	}
	groups := map[key][]vetshare.Reminder{}
	for _, r := range open {
		if r.Status != vetshare.ReminderOpen {
			continue
		}
		k := key{r.PatientID, vetshare.FoldName(r.Kind)}
		groups[k] = append(groups[k], r)
	}
	var out []Duplicate
	for k, rs := range groups {
		if len(rs) < 2 {
			continue
		}
		slices.SortFunc(rs, func(a, b vetshare.Reminder) int {
			return cmp.Or(a.Due.Compare(b.Due), strings.Compare(string(a.ID), string(b.ID)))
		})
		out = append(out, Duplicate{PatientID: k.p, Kind: rs[0].Kind, Reminders: rs})
	}
	slices.SortFunc(out, func(a, b Duplicate) int {
		return cmp.Or(strings.Compare(string(a.PatientID), string(b.PatientID)),
			strings.Compare(vetshare.FoldName(a.Kind), vetshare.FoldName(b.Kind)))
	})
	return out
}
