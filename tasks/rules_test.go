package tasks_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/tasks"
)

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// R9.5: the actions offered are exactly those the permissions allow, for the task's status.
func TestR9_5_Allowed(t *testing.T) {
	all := vetshare.PermTaskMarkInProgress | vetshare.PermTaskComplete | vetshare.PermTaskEdit | vetshare.PermTaskDelete
	tests := []struct {
		name   string
		perms  vetshare.Permissions
		status vetshare.TaskStatus
		want   tasks.Actions
	}{
		{"none", 0, vetshare.TaskOpen, tasks.Actions{}},
		{"all open", all, vetshare.TaskOpen, tasks.Actions{MarkInProgress: true, Complete: true, Edit: true, Delete: true}},
		{"all in progress", all, vetshare.TaskInProgress, tasks.Actions{Complete: true, Edit: true, Delete: true}},
		{"all completed", all, vetshare.TaskCompleted, tasks.Actions{Edit: true, Delete: true}},
		{"complete only", vetshare.PermTaskComplete, vetshare.TaskOpen, tasks.Actions{Complete: true}},
		{"mark only", vetshare.PermTaskMarkInProgress, vetshare.TaskOpen, tasks.Actions{MarkInProgress: true}},
		{"edit delete", vetshare.PermTaskEdit | vetshare.PermTaskDelete, vetshare.TaskOpen, tasks.Actions{Edit: true, Delete: true}},
		{"create gives nothing", vetshare.PermTaskCreate, vetshare.TaskOpen, tasks.Actions{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tasks.Allowed(tt.perms, tt.status)); diff != "" {
				t.Errorf("Allowed (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTransition(t *testing.T) {
	o, p, c := vetshare.TaskOpen, vetshare.TaskInProgress, vetshare.TaskCompleted
	tests := []struct {
		from, to vetshare.TaskStatus
		want     vetshare.Permissions
		ok       bool
	}{
		{o, p, vetshare.PermTaskMarkInProgress, true},
		{p, o, vetshare.PermTaskMarkInProgress, true},
		{o, c, vetshare.PermTaskComplete, true},
		{p, c, vetshare.PermTaskComplete, true},
		{c, o, vetshare.PermTaskComplete, true},
		{c, p, 0, false},
		{o, o, 0, false},
		{c, c, 0, false},
		{"bogus", o, 0, false},
	}
	for _, tt := range tests {
		got, err := tasks.Transition("T", tt.from, tt.to)
		if tt.ok != (err == nil) || got != tt.want {
			t.Errorf("Transition(%s, %s) = %v, %v; want %v, ok %v", tt.from, tt.to, got, err, tt.want, tt.ok)
		}
		if err != nil && !errors.Is(err, vetshare.ErrConflict) {
			t.Errorf("Transition(%s, %s) error %v does not match ErrConflict", tt.from, tt.to, err)
		}
	}
}

// R9.8: repeat rules must make sense.
func TestR9_8_CheckRepeat(t *testing.T) {
	due := t0
	tests := []struct {
		name  string
		rule  vetshare.RepeatRule
		due   time.Time
		field string // "" for valid
	}{
		{"none", vetshare.RepeatRule{}, due, ""},
		{"none without due", vetshare.RepeatRule{}, time.Time{}, ""},
		{"daily", vetshare.RepeatRule{Every: 1, Unit: vetshare.RepeatDay}, due, ""},
		{"until", vetshare.RepeatRule{Every: 2, Unit: vetshare.RepeatWeek, Until: due.AddDate(0, 3, 0)}, due, ""},
		{"until the due date", vetshare.RepeatRule{Every: 1, Unit: vetshare.RepeatMonth, Until: due}, due, ""},
		{"zero interval", vetshare.RepeatRule{Unit: vetshare.RepeatDay}, due, "Repeat.Every"},
		{"negative interval", vetshare.RepeatRule{Every: -1, Unit: vetshare.RepeatDay}, due, "Repeat.Every"},
		{"huge interval", vetshare.RepeatRule{Every: 1001, Unit: vetshare.RepeatDay}, due, "Repeat.Every"},
		{"unknown unit", vetshare.RepeatRule{Every: 1, Unit: "fortnight"}, due, "Repeat.Unit"},
		{"no unit", vetshare.RepeatRule{Every: 1}, due, "Repeat.Unit"},
		{"only until", vetshare.RepeatRule{Until: due}, due, "Repeat.Every"},
		{"no due date", vetshare.RepeatRule{Every: 1, Unit: vetshare.RepeatDay}, time.Time{}, "Repeat"},
		{"ends before due", vetshare.RepeatRule{Every: 1, Unit: vetshare.RepeatDay, Until: due.Add(-time.Hour)}, due, "Repeat.Until"},
		{"ends after 9999", vetshare.RepeatRule{Every: 1, Unit: vetshare.RepeatYear, Until: time.Date(10001, 1, 1, 0, 0, 0, 0, time.UTC)}, due, "Repeat.Until"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tasks.CheckRepeat(tt.rule, tt.due)
			var ie *vetshare.InvalidError
			switch {
			case tt.field == "" && err != nil:
				t.Fatalf("CheckRepeat = %v, want nil", err)
			case tt.field != "" && !errors.As(err, &ie):
				t.Fatalf("CheckRepeat = %v, want an *InvalidError", err)
			case tt.field != "" && ie.Field != tt.field:
				t.Fatalf("CheckRepeat refused %s, want %s", ie.Field, tt.field)
			}
		})
	}
}

// A due date given as a local date is the end of that day in the zone; days that do not exist
// there, and strings that are not dates, are refused.
func TestDueOn(t *testing.T) {
	chicago := mustZone(t, "America/Chicago")
	apia := mustZone(t, "Pacific/Apia")
	tests := []struct {
		name string
		day  string
		loc  *time.Location
		want time.Time // zero for an error
	}{
		{"chicago winter", "2026-01-15", chicago, time.Date(2026, 1, 16, 5, 59, 59, 999999000, time.UTC)},
		{"chicago summer", "2026-07-15", chicago, time.Date(2026, 7, 16, 4, 59, 59, 999999000, time.UTC)},
		{"the day DST starts", "2026-03-08", chicago, time.Date(2026, 3, 9, 4, 59, 59, 999999000, time.UTC)},
		{"utc", "2026-03-02", time.UTC, time.Date(2026, 3, 2, 23, 59, 59, 999999000, time.UTC)},
		{"leap day", "2028-02-29", time.UTC, time.Date(2028, 2, 29, 23, 59, 59, 999999000, time.UTC)},
		{"not a leap year", "2026-02-29", time.UTC, time.Time{}},
		{"not a date", "next tuesday", time.UTC, time.Time{}},
		{"empty", "", time.UTC, time.Time{}},
		{"month 13", "2026-13-01", time.UTC, time.Time{}},
		{"year 1066", "1066-10-14", time.UTC, time.Time{}},
		{"a day Apia skipped", "2011-12-30", apia, time.Time{}},
		{"the day before Apia skipped", "2011-12-29", apia, time.Date(2011, 12, 30, 9, 59, 59, 999999000, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tasks.DueOn(tt.day, tt.loc)
			if tt.want.IsZero() {
				if !errors.Is(err, vetshare.ErrInvalid) {
					t.Fatalf("DueOn(%q) = %v, %v; want ErrInvalid", tt.day, got, err)
				}
				return
			}
			if err != nil || !got.Equal(tt.want) {
				t.Fatalf("DueOn(%q) = %v, %v; want %v", tt.day, got, err, tt.want)
			}
		})
	}
}

// R9.8: the next occurrence is due one interval on, counted in the account's zone.
func TestR9_8_NextDue(t *testing.T) {
	chicago := mustZone(t, "America/Chicago")
	at := func(loc *time.Location, y int, m time.Month, d, h int) time.Time {
		return time.Date(y, m, d, h, 0, 0, 0, loc)
	}
	r := func(every int, unit vetshare.RepeatUnit) vetshare.RepeatRule {
		return vetshare.RepeatRule{Every: every, Unit: unit}
	}
	tests := []struct {
		name     string
		due      time.Time
		rule     vetshare.RepeatRule
		now      time.Time
		want     time.Time
		wantNone bool
	}{
		{"daily", at(time.UTC, 2026, 3, 2, 9), r(1, vetshare.RepeatDay), at(time.UTC, 2026, 3, 2, 8), at(time.UTC, 2026, 3, 3, 9), false},
		{"every 3 weeks", at(time.UTC, 2026, 3, 2, 9), r(3, vetshare.RepeatWeek), at(time.UTC, 2026, 3, 2, 8), at(time.UTC, 2026, 3, 23, 9), false},
		{"monthly from the 31st", at(time.UTC, 2026, 1, 31, 9), r(1, vetshare.RepeatMonth), at(time.UTC, 2026, 1, 30, 0), at(time.UTC, 2026, 2, 28, 9), false},
		{"monthly keeps the 31st", at(time.UTC, 2026, 1, 31, 9), r(2, vetshare.RepeatMonth), at(time.UTC, 2026, 1, 30, 0), at(time.UTC, 2026, 3, 31, 9), false},
		{"yearly from a leap day", at(time.UTC, 2028, 2, 29, 9), r(1, vetshare.RepeatYear), at(time.UTC, 2028, 2, 1, 0), at(time.UTC, 2029, 2, 28, 9), false},
		{"daily across DST keeps 9 local", at(chicago, 2026, 3, 7, 9), r(1, vetshare.RepeatDay), at(chicago, 2026, 3, 7, 8), at(chicago, 2026, 3, 8, 9), false},
		{"late completion skips the past", at(time.UTC, 2026, 3, 2, 9), r(1, vetshare.RepeatDay), at(time.UTC, 2026, 3, 10, 12), at(time.UTC, 2026, 3, 11, 9), false},
		{"late monthly skips the past", at(time.UTC, 2020, 1, 31, 9), r(1, vetshare.RepeatMonth), at(time.UTC, 2026, 3, 10, 12), at(time.UTC, 2026, 3, 31, 9), false},
		{"until inclusive", at(time.UTC, 2026, 3, 2, 9), vetshare.RepeatRule{Every: 1, Unit: vetshare.RepeatDay, Until: at(time.UTC, 2026, 3, 3, 9)}, at(time.UTC, 2026, 3, 2, 8), at(time.UTC, 2026, 3, 3, 9), false},
		{"past until", at(time.UTC, 2026, 3, 2, 9), vetshare.RepeatRule{Every: 1, Unit: vetshare.RepeatDay, Until: at(time.UTC, 2026, 3, 3, 8)}, at(time.UTC, 2026, 3, 2, 8), time.Time{}, true},
		{"not repeating", at(time.UTC, 2026, 3, 2, 9), vetshare.RepeatRule{}, at(time.UTC, 2026, 3, 2, 8), time.Time{}, true},
		{"no due date", time.Time{}, r(1, vetshare.RepeatDay), at(time.UTC, 2026, 3, 2, 8), time.Time{}, true},
		{"nonsense rule", at(time.UTC, 2026, 3, 2, 9), r(0, vetshare.RepeatDay), at(time.UTC, 2026, 3, 2, 8), time.Time{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tasks.NextDue(tt.due, tt.rule, tt.due.Location(), tt.now)
			if tt.wantNone {
				if ok {
					t.Fatalf("NextDue = %v, want none", got)
				}
				return
			}
			if !ok || !got.Equal(tt.want) {
				t.Fatalf("NextDue = %v, %v; want %v", got, ok, tt.want)
			}
		})
	}
}

// R9.6: from another account only Repeat and Notes may change; the refusal names the fields.
func TestR9_6_CheckEdit(t *testing.T) {
	old := vetshare.Task{ID: "T", AccountID: "A", Kind: vetshare.TaskMessage, Title: "Call", Notes: "n", Assignee: "U",
		Due: t0, Priority: vetshare.PriorityNormal, Status: vetshare.TaskOpen}
	edit := func(f func(*vetshare.Task)) vetshare.Task { n := old; f(&n); return n }
	tests := []struct {
		name   string
		from   vetshare.AccountID
		new    vetshare.Task
		fields []string // nil when accepted
	}{
		{"nothing", "B", old, nil},
		{"notes", "B", edit(func(n *vetshare.Task) { n.Notes = "more" }), nil},
		{"repeat", "B", edit(func(n *vetshare.Task) { n.Repeat = vetshare.RepeatRule{Every: 1, Unit: vetshare.RepeatWeek} }), nil},
		{"title", "B", edit(func(n *vetshare.Task) { n.Title = "x" }), []string{"Title"}},
		{"several with notes", "B", edit(func(n *vetshare.Task) {
			n.Notes, n.Due, n.Assignee, n.Priority = "x", t0.Add(time.Hour), "V", vetshare.PriorityHigh
		}), []string{"Assignee", "Due", "Priority"}},
		{"client and patient", "B", edit(func(n *vetshare.Task) { n.ClientID, n.PatientID, n.Kind = "C", "P", vetshare.TaskGeneral }), []string{"Kind", "ClientID", "PatientID"}},
		{"own account may change all", "A", edit(func(n *vetshare.Task) { n.Title, n.Due, n.Assignee = "x", time.Time{}, "V" }), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tasks.CheckEdit(tt.from, old, tt.new)
			if tt.fields == nil {
				if err != nil {
					t.Fatalf("CheckEdit = %v, want nil", err)
				}
				return
			}
			var re *tasks.EditRefusedError
			if !errors.As(err, &re) || !errors.Is(err, vetshare.ErrNotPermitted) {
				t.Fatalf("CheckEdit = %v, want an *EditRefusedError matching ErrNotPermitted", err)
			}
			if diff := cmp.Diff(tt.fields, re.Fields); diff != "" {
				t.Errorf("refused fields (-want +got):\n%s", diff)
			}
			if re.Owner != "A" || re.From != tt.from {
				t.Errorf("refusal names accounts %s and %s, want A and %s", re.Owner, re.From, tt.from)
			}
		})
	}
}

// R9.2: the default is the logged-in account; any set of linked clinics, or all of them, can be
// chosen; any other account is refused.
func TestR9_2_Select(t *testing.T) {
	a, b, c := vetshare.NewID[vetshare.AccountID](t0), vetshare.NewID[vetshare.AccountID](t0), vetshare.NewID[vetshare.AccountID](t0)
	foreign := vetshare.NewID[vetshare.AccountID](t0)
	linked := []vetshare.AccountID{b, a, c} // b is logged in
	tests := []struct {
		name string
		sel  tasks.Selection
		want []vetshare.AccountID
		err  error
	}{
		{"default", tasks.Selection{}, []vetshare.AccountID{b}, nil},
		{"all", tasks.Selection{All: true}, linked, nil},
		{"some, in linked order", tasks.Selection{Accounts: []vetshare.AccountID{c, b}}, []vetshare.AccountID{b, c}, nil},
		{"one other", tasks.Selection{Accounts: []vetshare.AccountID{a}}, []vetshare.AccountID{a}, nil},
		{"duplicates", tasks.Selection{Accounts: []vetshare.AccountID{a, a}}, []vetshare.AccountID{a}, nil},
		{"foreign", tasks.Selection{Accounts: []vetshare.AccountID{a, foreign}}, nil, vetshare.ErrNotPermitted},
		{"malformed", tasks.Selection{Accounts: []vetshare.AccountID{"x\x00"}}, nil, vetshare.ErrInvalid},
		{"all and some", tasks.Selection{All: true, Accounts: []vetshare.AccountID{a}}, nil, vetshare.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tasks.Select(linked, b, tt.sel)
			if !errors.Is(err, tt.err) || tt.err == nil && err != nil {
				t.Fatalf("Select error %v, want %v", err, tt.err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Select (-want +got):\n%s", diff)
			}
		})
	}
}

// R9.2: linked clinics are the owner's accounts with an active membership; R9.9: without task
// sharing, only the logged-in account.
func TestR9_2_R9_9_Linked(t *testing.T) {
	accts := []vetshare.Account{
		{ID: "A", OwnerID: "O"}, {ID: "B", OwnerID: "O"}, {ID: "C", OwnerID: "O"}, {ID: "D", OwnerID: "O"}, {ID: "X", OwnerID: "P"},
	}
	ms := []vetshare.Membership{
		{AccountID: "A", Active: true}, {AccountID: "B", Active: true}, {AccountID: "C", Active: false}, {AccountID: "X", Active: true},
	}
	if diff := cmp.Diff([]vetshare.AccountID{"B", "A"}, tasks.Linked(accts[1], true, ms, accts)); diff != "" {
		t.Errorf("Linked with sharing (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]vetshare.AccountID{"B"}, tasks.Linked(accts[1], false, ms, accts)); diff != "" {
		t.Errorf("Linked without sharing (-want +got):\n%s", diff)
	}
}

// R9.7: a task whose client is not shared with the logged-in account warns and names the
// task's account.
func TestR9_7_Warn(t *testing.T) {
	a, b := tasks.Clinic{ID: "A", Name: "Northside"}, tasks.Clinic{ID: "B", Name: "Southside"}
	task := vetshare.Task{AccountID: "A", ClientID: "C", PatientID: "P"}
	w := tasks.Warn(task, false, b, a)
	if w == nil || w.SwitchTo != a {
		t.Fatalf("Warn = %+v, want a warning to switch to %v", w, a)
	}
	if w := tasks.Warn(task, true, b, a); w != nil {
		t.Errorf("Warn on a shared client = %+v, want nil", w)
	}
	if w := tasks.Warn(vetshare.Task{AccountID: "A"}, false, b, a); w != nil {
		t.Errorf("Warn on a task without client = %+v, want nil", w)
	}
	if w := tasks.Warn(task, false, a, a); w != nil {
		t.Errorf("Warn in the task's own account = %+v, want nil", w)
	}
}
