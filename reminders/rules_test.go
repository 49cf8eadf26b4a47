package reminders_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/reminders"
)

// The Scooby story of SPEC R7.2 and R7.4, as plain values.
var (
	locA, locB = vetshare.AccountID("A"), vetshare.AccountID("B")
	homeC      = vetshare.AccountID("C") // Scooby's home location, which gives him nothing
	scooby     = vetshare.PatientID("scooby")
	dhppA      = vetshare.Item{ID: "dhppA", AccountID: locA, Name: "DHPP", Reminders: []vetshare.ReminderRule{{Kind: "DHPP", Interval: vetshare.Interval{Count: 3, Unit: vetshare.Weeks}}}}
	rabiesA    = vetshare.Item{ID: "rabiesA", AccountID: locA, Name: "Rabies 1yr", Reminders: []vetshare.ReminderRule{{Kind: "Rabies", Interval: vetshare.Interval{Count: 1, Unit: vetshare.Years}}}}
	rabiesB    = vetshare.Item{ID: "rabiesB", AccountID: locB, Name: "Rabies", Reminders: []vetshare.ReminderRule{{Kind: "rabies", Interval: vetshare.Interval{Count: 1, Unit: vetshare.Years}}}}
	day1       = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	day8       = day1.AddDate(0, 0, 7)
	day30      = day1.AddDate(0, 0, 29)
)

func usage(id vetshare.RecordID, at vetshare.AccountID, item vetshare.Item, when time.Time) vetshare.Record {
	return vetshare.Record{ID: id, PatientID: scooby, AccountID: at, Kind: vetshare.RecordUsage, ItemID: item.ID, Quantity: 1, GivenAt: when, CreatedAt: when}
}

// R7.2: a reminder comes from the account where the usage was recorded, whatever the client's
// home location.
func TestR7_2_ReminderSource(t *testing.T) {
	for _, tc := range []struct {
		name  string
		usage vetshare.Record
		item  vetshare.Item
		want  vetshare.AccountID
	}{
		{"DHPP at A comes from A", usage("u1", locA, dhppA, day1), dhppA, locA},
		{"Rabies at B a week later comes from B", usage("u2", locB, rabiesB, day8), rabiesB, locB},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := reminders.ReminderSource(tc.usage); got != tc.want {
				t.Errorf("ReminderSource = %q, want %q (home location %q plays no part)", got, tc.want, homeC)
			}
			got := reminders.Schedule(tc.usage, tc.item)
			want := []vetshare.Reminder{{
				PatientID: scooby, AccountID: tc.want, ItemID: tc.item.ID, UsageID: tc.usage.ID,
				Kind: tc.item.Reminders[0].Kind, Due: reminders.DueAfter(tc.usage.CreatedAt, tc.item.Reminders[0].Interval),
				Status: vetshare.ReminderOpen, CreatedAt: tc.usage.CreatedAt,
			}}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Schedule (-want +got):\n%s", diff)
			}
		})
	}
}

// R7.1: a reminder is due the rule's interval after the usage, on the calendar.
func TestR7_1_DueAfter(t *testing.T) {
	for _, tc := range []struct {
		iv   vetshare.Interval
		want time.Time
	}{
		{vetshare.Interval{Count: 10, Unit: vetshare.Days}, time.Date(2026, 3, 12, 10, 0, 0, 0, time.UTC)},
		{vetshare.Interval{Count: 3, Unit: vetshare.Weeks}, time.Date(2026, 3, 23, 10, 0, 0, 0, time.UTC)},
		{vetshare.Interval{Count: 6, Unit: vetshare.Months}, time.Date(2026, 9, 2, 10, 0, 0, 0, time.UTC)},
		{vetshare.Interval{Count: 3, Unit: vetshare.Years}, time.Date(2029, 3, 2, 10, 0, 0, 0, time.UTC)},
	} {
		if got := reminders.DueAfter(day1, tc.iv); !got.Equal(tc.want) {
			t.Errorf("DueAfter(%v, %+v) = %v, want %v", day1, tc.iv, got, tc.want)
		}
	}
}

// R7.1, R11.1: reminder intervals that make no sense are refused with a typed error.
func TestR7_1_CheckRules(t *testing.T) {
	iv := vetshare.Interval{Count: 1, Unit: vetshare.Years}
	for _, tc := range []struct {
		name  string
		rules []vetshare.ReminderRule
		field string // "" when valid
	}{
		{"OK", []vetshare.ReminderRule{{Kind: "Rabies", Interval: iv}, {Kind: "Lepto", Interval: vetshare.Interval{Count: 120, Unit: vetshare.Months}}}, ""},
		{"OKNone", nil, ""},
		{"ErrKindEmpty", []vetshare.ReminderRule{{Kind: " ", Interval: iv}}, "Reminders[0].Kind"},
		{"ErrKindTwice", []vetshare.ReminderRule{{Kind: "Rabies", Interval: iv}, {Kind: "RABIES ", Interval: iv}}, "Reminders[1].Kind"},
		{"ErrCountZero", []vetshare.ReminderRule{{Kind: "Rabies", Interval: vetshare.Interval{Count: 0, Unit: vetshare.Years}}}, "Reminders[0].Interval.Count"},
		{"ErrCountNegative", []vetshare.ReminderRule{{Kind: "Rabies", Interval: vetshare.Interval{Count: -3, Unit: vetshare.Days}}}, "Reminders[0].Interval.Count"},
		{"ErrCountTooLong", []vetshare.ReminderRule{{Kind: "Rabies", Interval: vetshare.Interval{Count: 11, Unit: vetshare.Years}}}, "Reminders[0].Interval.Count"},
		{"ErrUnit", []vetshare.ReminderRule{{Kind: "Rabies", Interval: vetshare.Interval{Count: 1, Unit: "fortnight"}}}, "Reminders[0].Interval.Unit"},
		{"ErrUnitEmpty", []vetshare.ReminderRule{{Kind: "Rabies", Interval: vetshare.Interval{Count: 1}}}, "Reminders[0].Interval.Unit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := reminders.CheckRules(tc.rules)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("CheckRules = %v, want nil", err)
				}
				return
			}
			var ie *vetshare.InvalidError
			if !errors.Is(err, vetshare.ErrInvalid) || !errors.As(err, &ie) || ie.Field != tc.field {
				t.Fatalf("CheckRules = %v, want an InvalidError for %s", err, tc.field)
			}
		})
	}
}

// R7.4: exactly the disable actions configured at the usage's account for the given item
// apply; completed reminders are stamped with the usage.
func TestR7_4_ResolveDisableActions(t *testing.T) {
	rabiesAtB := vetshare.Reminder{ID: "r-b", PatientID: scooby, AccountID: locB, ItemID: rabiesB.ID, UsageID: "u2", Kind: "rabies", Status: vetshare.ReminderOpen, CreatedAt: day8}
	dhppAtA := vetshare.Reminder{ID: "r-a", PatientID: scooby, AccountID: locA, ItemID: dhppA.ID, UsageID: "u1", Kind: "DHPP", Status: vetshare.ReminderOpen, CreatedAt: day1}
	actionAforB := vetshare.DisableAction{AccountID: locA, ItemID: rabiesA.ID, TargetAccountID: locB, TargetItemID: rabiesB.ID}
	completed := func(r vetshare.Reminder, by vetshare.Record) vetshare.Reminder {
		r.Status, r.CompletedBy, r.CompletedAt = vetshare.ReminderCompleted, by.ID, by.CreatedAt
		return r
	}
	rabiesLaterAtA := usage("u3", locA, rabiesA, day30)
	for _, tc := range []struct {
		name    string
		usage   vetshare.Record
		open    []vetshare.Reminder
		actions []vetshare.DisableAction
		want    []vetshare.Reminder
	}{
		{
			// Scooby got Rabies at B; later Rabies is given at A; A has an action for B's Rabies
			// item: B's reminder is completed, the DHPP reminder stays open.
			name: "Scooby: A's action completes B's Rabies", usage: rabiesLaterAtA,
			open: []vetshare.Reminder{dhppAtA, rabiesAtB}, actions: []vetshare.DisableAction{actionAforB},
			want: []vetshare.Reminder{completed(rabiesAtB, rabiesLaterAtA)},
		},
		{
			// R7.5: without the action, B's reminder stays open.
			name: "Scooby without the action: nothing completed", usage: rabiesLaterAtA,
			open: []vetshare.Reminder{dhppAtA, rabiesAtB},
		},
		{
			name: "an action configured at B does not apply at A", usage: rabiesLaterAtA,
			open:    []vetshare.Reminder{rabiesAtB},
			actions: []vetshare.DisableAction{{AccountID: locB, ItemID: rabiesA.ID, TargetAccountID: locB, TargetItemID: rabiesB.ID}},
		},
		{
			name: "an action of another item at A does not apply", usage: usage("u4", locA, dhppA, day30),
			open: []vetshare.Reminder{rabiesAtB}, actions: []vetshare.DisableAction{actionAforB},
		},
		{
			name: "an item completes its own earlier reminder", usage: usage("u5", locA, dhppA, day30),
			open: []vetshare.Reminder{dhppAtA, rabiesAtB},
			want: []vetshare.Reminder{completed(dhppAtA, usage("u5", locA, dhppA, day30))},
		},
		{
			name: "another patient's reminder is left alone", usage: rabiesLaterAtA,
			open:    []vetshare.Reminder{func() vetshare.Reminder { r := rabiesAtB; r.PatientID = "shaggy"; return r }()},
			actions: []vetshare.DisableAction{actionAforB},
		},
		{
			name: "a closed reminder is left alone", usage: rabiesLaterAtA,
			open:    []vetshare.Reminder{completed(rabiesAtB, usage("u0", locB, rabiesB, day8))},
			actions: []vetshare.DisableAction{actionAforB},
		},
		{
			name: "the usage's own new reminder is left alone", usage: rabiesLaterAtA,
			open: []vetshare.Reminder{{ID: "new", PatientID: scooby, AccountID: locA, ItemID: rabiesA.ID, UsageID: "u3", Status: vetshare.ReminderOpen}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := reminders.ResolveDisableActions(tc.usage, tc.open, tc.actions)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ResolveDisableActions (-want +got):\n%s", diff)
			}
		})
	}
}

// R7.8: removing a usage withdraws its reminders and reopens those it completed, unless a
// usage given after it completes them by the targets recorded with that usage; a usage given
// before it, or an action configured after the fact, never does.
func TestR7_8_ResolveRemoval(t *testing.T) {
	u2 := usage("u2", locB, rabiesB, day8)
	u3 := usage("u3", locA, rabiesA, day30)
	u4 := usage("u4", locA, rabiesA, day30.AddDate(0, 1, 0))
	rB := vetshare.Reminder{ID: "r-b", PatientID: scooby, AccountID: locB, ItemID: rabiesB.ID, UsageID: u2.ID, Kind: "rabies",
		Status: vetshare.ReminderCompleted, CompletedBy: u3.ID, CompletedAt: u3.CreatedAt, CreatedAt: day8}
	rA := vetshare.Reminder{ID: "r-a", PatientID: scooby, AccountID: locA, ItemID: rabiesA.ID, UsageID: u3.ID, Kind: "Rabies",
		Status: vetshare.ReminderOpen, CreatedAt: day30}
	with := func(r vetshare.Reminder, s vetshare.ReminderStatus, by vetshare.Record) vetshare.Reminder {
		r.Status, r.CompletedBy, r.CompletedAt = s, by.ID, by.CreatedAt
		return r
	}
	// targeting returns u with the targets recorded with it.
	targeting := func(u vetshare.Record, items ...vetshare.ItemID) vetshare.Usage {
		return vetshare.Usage{Record: u, Targets: append([]vetshare.ItemID{u.ItemID}, items...)}
	}
	for _, tc := range []struct {
		name string
		live []vetshare.Usage
		want []vetshare.Reminder
	}{
		{"reopened", []vetshare.Usage{targeting(u2), targeting(u3, rabiesB.ID)},
			[]vetshare.Reminder{with(rA, vetshare.ReminderWithdrawn, vetshare.Record{}), with(rB, vetshare.ReminderOpen, vetshare.Record{})}},
		{"completed again by a later usage", []vetshare.Usage{targeting(u4, rabiesB.ID), targeting(u2), targeting(u3, rabiesB.ID)},
			[]vetshare.Reminder{with(rA, vetshare.ReminderWithdrawn, vetshare.Record{}), with(rB, vetshare.ReminderCompleted, u4)}},
		{"a later usage recorded without the action does not complete it", []vetshare.Usage{targeting(u2), targeting(u3, rabiesB.ID), targeting(u4)},
			[]vetshare.Reminder{with(rA, vetshare.ReminderWithdrawn, vetshare.Record{}), with(rB, vetshare.ReminderOpen, vetshare.Record{})}},
		{"an earlier usage does not complete it", []vetshare.Usage{targeting(usage("u1", locA, rabiesA, day1), rabiesB.ID), targeting(u2), targeting(u3, rabiesB.ID)},
			[]vetshare.Reminder{with(rA, vetshare.ReminderWithdrawn, vetshare.Record{}), with(rB, vetshare.ReminderOpen, vetshare.Record{})}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := reminders.ResolveRemoval(u3, []vetshare.Reminder{rA}, []vetshare.Reminder{rB}, tc.live)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ResolveRemoval (-want +got):\n%s", diff)
			}
		})
	}
}

// R12.4: a usage charted late completes the reminders of usages given before it, and those a
// usage given after it had completed, but never a reminder of a usage given after it; its own
// reminders are completed at once by the first usage given after it that targets them.
func TestR12_4_ResolveUsage(t *testing.T) {
	u1 := usage("u1", locB, rabiesB, day1)
	u3 := usage("u3", locA, rabiesA, day30)
	late := vetshare.Usage{Record: usage("late", locA, rabiesA, day8), Targets: []vetshare.ItemID{rabiesA.ID, rabiesB.ID}}
	late.Seq = 9 // recorded last
	u1.Seq, u3.Seq = 1, 2
	r1 := vetshare.Reminder{ID: "r1", PatientID: scooby, AccountID: locB, ItemID: rabiesB.ID, UsageID: u1.ID, Kind: "Rabies",
		Status: vetshare.ReminderCompleted, CompletedBy: u3.ID, CompletedAt: u3.GivenAt}
	r3 := vetshare.Reminder{ID: "r3", PatientID: scooby, AccountID: locA, ItemID: rabiesA.ID, UsageID: u3.ID, Kind: "Rabies",
		Status: vetshare.ReminderOpen}
	own := vetshare.Reminder{PatientID: scooby, AccountID: locA, ItemID: rabiesA.ID, UsageID: late.ID, Kind: "Rabies", Status: vetshare.ReminderOpen}
	later := []vetshare.Usage{{Record: u3, Targets: []vetshare.ItemID{rabiesA.ID, rabiesB.ID}}}

	changed, sched := reminders.ResolveUsage(late, []vetshare.Reminder{r1, r3}, later, []vetshare.Reminder{own})
	wantChanged := r1
	wantChanged.CompletedBy, wantChanged.CompletedAt = late.ID, late.GivenAt
	if diff := cmp.Diff([]vetshare.Reminder{wantChanged}, changed); diff != "" {
		t.Errorf("changed (-want +got):\n%s", diff)
	}
	wantOwn := own
	wantOwn.Status, wantOwn.CompletedBy, wantOwn.CompletedAt = vetshare.ReminderCompleted, u3.ID, u3.GivenAt
	if diff := cmp.Diff([]vetshare.Reminder{wantOwn}, sched); diff != "" {
		t.Errorf("scheduled (-want +got):\n%s", diff)
	}

	// Recorded as it is given (no later usage), it completes the open reminders it targets.
	changed, sched = reminders.ResolveUsage(late, []vetshare.Reminder{r3}, nil, []vetshare.Reminder{own})
	if len(changed) != 1 || changed[0].ID != r3.ID || changed[0].CompletedBy != late.ID || len(sched) != 1 || sched[0].Status != vetshare.ReminderOpen {
		t.Errorf("with no later usage: changed %+v, scheduled %+v; want r3 completed by it, its own open", changed, sched)
	}
}

// R7.5: an item with reminder rules at one account that another account gives (an item of the
// same reminder kind) without a disable action for it is a gap.
func TestR7_5_FindGaps(t *testing.T) {
	action := vetshare.DisableAction{AccountID: locA, ItemID: rabiesA.ID, TargetAccountID: locB, TargetItemID: rabiesB.ID}
	lepto := vetshare.Item{ID: "leptoB", AccountID: locB, Reminders: []vetshare.ReminderRule{{Kind: "Lepto", Interval: vetshare.Interval{Count: 1, Unit: vetshare.Years}}}}
	rabies3yA := vetshare.Item{ID: "rabies3A", AccountID: locA, Reminders: []vetshare.ReminderRule{{Kind: "RABIES", Interval: vetshare.Interval{Count: 3, Unit: vetshare.Years}}}}
	items := []vetshare.Item{dhppA, rabiesA, rabiesB, lepto, rabies3yA}
	ref := func(it vetshare.Item) reminders.ItemRef {
		return reminders.ItemRef{AccountID: it.AccountID, ID: it.ID, Name: it.Name}
	}
	for _, tc := range []struct {
		name    string
		actions []vetshare.DisableAction
		want    []reminders.Gap
	}{
		{"no actions: both ways for every Rabies pair", nil, []reminders.Gap{
			{Kind: "RABIES", Item: ref(rabies3yA), GivenBy: ref(rabiesB)},
			{Kind: "Rabies", Item: ref(rabiesA), GivenBy: ref(rabiesB)},
			{Kind: "rabies", Item: ref(rabiesB), GivenBy: ref(rabies3yA)},
			{Kind: "rabies", Item: ref(rabiesB), GivenBy: ref(rabiesA)},
		}},
		{"A's action for B's Rabies closes one gap", []vetshare.DisableAction{action}, []reminders.Gap{
			{Kind: "RABIES", Item: ref(rabies3yA), GivenBy: ref(rabiesB)},
			{Kind: "Rabies", Item: ref(rabiesA), GivenBy: ref(rabiesB)},
			{Kind: "rabies", Item: ref(rabiesB), GivenBy: ref(rabies3yA)},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, reminders.FindGaps(items, tc.actions)); diff != "" {
				t.Errorf("FindGaps (-want +got):\n%s", diff)
			}
		})
	}
}

// R7.5: patients with two open reminders of one kind are duplicates.
func TestR7_5_FindDuplicates(t *testing.T) {
	a := vetshare.Reminder{ID: "1", PatientID: scooby, ItemID: rabiesA.ID, Kind: "Rabies", Status: vetshare.ReminderOpen, Due: day30}
	b := vetshare.Reminder{ID: "2", PatientID: scooby, ItemID: rabiesB.ID, Kind: "rabies", Status: vetshare.ReminderOpen, Due: day8}
	c := vetshare.Reminder{ID: "3", PatientID: scooby, ItemID: dhppA.ID, Kind: "DHPP", Status: vetshare.ReminderOpen, Due: day8}
	d := vetshare.Reminder{ID: "4", PatientID: "shaggy", ItemID: rabiesB.ID, Kind: "rabies", Status: vetshare.ReminderOpen, Due: day8}
	got := reminders.FindDuplicates([]vetshare.Reminder{a, b, c, d})
	want := []reminders.Duplicate{{PatientID: scooby, Kind: "rabies", Reminders: []vetshare.Reminder{b, a}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("FindDuplicates (-want +got):\n%s", diff)
	}
}

// BenchmarkResolveDisableActions resolves a usage against 50 open reminders and 10 actions.
func BenchmarkResolveDisableActions(b *testing.B) {
	u := usage("u", locA, rabiesA, day30)
	var open []vetshare.Reminder
	var actions []vetshare.DisableAction
	for i := range 50 {
		item := vetshare.ItemID(fmt.Sprintf("item%02d", i))
		open = append(open, vetshare.Reminder{ID: vetshare.ReminderID(fmt.Sprint(i)), PatientID: scooby, ItemID: item, Kind: "k", Status: vetshare.ReminderOpen})
		if i%5 == 0 {
			actions = append(actions, vetshare.DisableAction{AccountID: locA, ItemID: rabiesA.ID, TargetItemID: item})
		}
	}
	for b.Loop() {
		if got := reminders.ResolveDisableActions(u, open, actions); len(got) != 10 {
			b.Fatalf("completed %d, want 10", len(got))
		}
	}
}
