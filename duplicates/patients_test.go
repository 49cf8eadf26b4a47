package duplicates_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/audit"
	"github.com/vetshare/vetshare/duplicates"
	"github.com/vetshare/vetshare/internal/fixture"
	"github.com/vetshare/vetshare/inventory"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/reminders"
	"github.com/vetshare/vetshare/sharing"
	"github.com/vetshare/vetshare/tasks"
)

// TestR13_5MergePatients, R13.5: two patients of one client that are the same animal merge
// into one history; the merged-away id resolves to the survivor; staff cannot merge, nor can
// patients of two clients be merged; the audit chain verifies.
func TestR13_5MergePatients(t *testing.T) {
	ctx := context.Background()
	fx := fixture.New(t, fixture.Options{Accounts: 2, Mode: vetshare.ModeManual})
	c, _ := fx.Client(t, 0, "O'Brien", "Mary")
	other, _ := fx.Client(t, 0, "Lee", "Ann")
	rex := fx.Patient(t, 0, c.ID, "Rex", "dog")
	rex2 := fx.Patient(t, 0, c.ID, "Rex", "dog")
	bella := fx.Patient(t, 0, other.ID, "Bella", "cat")
	fx.Note(t, 0, rex.ID, "first visit")
	fx.Note(t, 0, rex2.ID, "second visit, typed as a new patient")
	staff := fx.User(t, "sam", vetshare.RoleStaff, vetshare.PermAll, 0)
	fx.Update(t, func(tx *vetshare.Tx) error {
		if _, err := duplicates.MergePatients(ctx, tx, vetshare.Actor{User: staff.ID, Account: fx.AccountIDs()[0]}, rex.ID, rex2.ID); !errors.Is(err, vetshare.ErrNotPermitted) {
			t.Errorf("staff: %v, want ErrNotPermitted", err)
		}
		if _, err := duplicates.MergePatients(ctx, tx, fx.Actor(0), rex.ID, bella.ID); !errors.Is(err, vetshare.ErrInvalid) {
			t.Errorf("two clients: %v, want ErrInvalid", err)
		}
		if _, err := duplicates.MergePatients(ctx, tx, fx.Actor(1), rex.ID, rex2.ID); !errors.Is(err, vetshare.ErrNotFound) {
			t.Errorf("from a clinic without the client: %v, want ErrNotFound", err)
		}
		p, err := duplicates.PreviewPatientMerge(ctx, tx, fx.Actor(0), rex.ID, rex2.ID)
		if err != nil || p.Merged.ID != rex2.ID || p.Survivor.ID != rex.ID {
			t.Errorf("preview: %+v %v", p, err)
		}
		_, err = duplicates.MergePatients(ctx, tx, fx.Actor(0), rex.ID, rex2.ID)
		return err
	})
	fx.View(t, func(tx *vetshare.Tx) error {
		h, _, err := records.History(ctx, tx, fx.Actor(0), records.HistoryQuery{Patient: rex.ID}, vetshare.Page{})
		if err != nil {
			return err
		}
		if len(h) != 2 {
			t.Errorf("history of the survivor: %d records, want 2", len(h))
		}
		if p, err := records.Patient(ctx, tx, fx.Actor(0), rex2.ID); err != nil || p.ID != rex.ID {
			t.Errorf("merged-away id: %v %v", p.ID, err)
		}
		ps, _, err := records.Patients(ctx, tx, fx.Actor(0), c.ID, vetshare.Page{})
		if err != nil || len(ps) != 1 {
			t.Errorf("patients of the client: %+v %v", ps, err)
		}
		if _, err := audit.Verify(ctx, tx, fx.Actor(0)); err != nil {
			t.Errorf("audit.Verify: %v", err)
		}
		return nil
	})
}

// item creates an item of account i's catalogue with the reminder rules given.
func item(t *testing.T, fx *fixture.Fixture, i int, name string, rules ...vetshare.ReminderRule) vetshare.Item {
	t.Helper()
	var it vetshare.Item
	fx.Update(t, func(tx *vetshare.Tx) error {
		var err error
		it, err = inventory.CreateItem(context.Background(), tx, fx.Actor(i), vetshare.Item{Name: name, Kind: vetshare.ItemProduct, Reminders: rules})
		return err
	})
	return it
}

// give records a usage of it for the patient from account i and returns what it did.
func give(t *testing.T, fx *fixture.Fixture, i int, patient vetshare.PatientID, it vetshare.Item) records.UsageChange {
	t.Helper()
	var ch records.UsageChange
	fx.Update(t, func(tx *vetshare.Tx) error {
		var err error
		ch, err = records.AddUsage(context.Background(), tx, fx.Actor(i), vetshare.Record{PatientID: patient, ItemID: it.ID, Quantity: 1})
		return err
	})
	return ch
}

// scheduled returns the one reminder of kind the usage scheduled.
func scheduled(t *testing.T, ch records.UsageChange, kind string) vetshare.Reminder {
	t.Helper()
	for _, r := range ch.Scheduled {
		if r.Kind == kind {
			return r
		}
	}
	t.Fatalf("usage %s scheduled no %s reminder: %+v", ch.Record.ID, kind, ch.Scheduled)
	return vetshare.Reminder{}
}

// patientReminders returns every reminder of the patient seen from account i, by id.
func patientReminders(t *testing.T, tx *vetshare.Tx, fx *fixture.Fixture, i int, p vetshare.PatientID) []vetshare.Reminder {
	t.Helper()
	rows, next, err := reminders.PatientReminders(context.Background(), tx, fx.Actor(i), p, "", vetshare.Page{Limit: vetshare.MaxLimit})
	if err != nil || next != "" {
		t.Fatalf("reminders.PatientReminders(%s): %v (next %q)", p, err, next)
	}
	slices.SortFunc(rows, func(a, b vetshare.Reminder) int { return strings.Compare(string(a.ID), string(b.ID)) })
	return rows
}

// TestR13_5MergePatientsRemindersFollow, R13.5 and driver.PatientMergeTx: the merged-away
// patient's reminders become the survivor's, each as it was (completed ones stay completed,
// with what completed them); an open one for an item and kind the survivor has open too is
// withdrawn, and only that one: not one of another item of the same kind, nor one of the same
// item and another kind, nor one whose item and kind the survivor has only completed. Read
// through reminders.PatientReminders and reminders.Due.
func TestR13_5MergePatientsRemindersFollow(t *testing.T) {
	ctx := context.Background()
	fx := fixture.New(t, fixture.Options{Accounts: 2, Mode: vetshare.ModeManual})
	c, _ := fx.Client(t, 0, "O'Brien", "Mary")
	rex := fx.Patient(t, 0, c.ID, "Rex", "dog")
	rex2 := fx.Patient(t, 0, c.ID, "Rex", "dog")
	yearly := vetshare.Interval{Count: 1, Unit: vetshare.Years}
	rabies := item(t, fx, 0, "Rabies 1yr", vetshare.ReminderRule{Kind: "Rabies", Interval: yearly})
	rabiesB := item(t, fx, 0, "Rabies 1yr, other brand", vetshare.ReminderRule{Kind: "Rabies", Interval: yearly})
	lepto := item(t, fx, 0, "Lepto", vetshare.ReminderRule{Kind: "Lepto", Interval: yearly})
	stop := item(t, fx, 0, "Lepto course end")
	dental := item(t, fx, 0, "Dental", vetshare.ReminderRule{Kind: "Dental", Interval: yearly})
	fx.Update(t, func(tx *vetshare.Tx) error {
		_, err := reminders.AddDisableAction(ctx, tx, fx.Actor(0), stop.ID, lepto.ID)
		return err
	})

	// The survivor: Rabies and Dental open, Lepto completed (by the disable action).
	sRabies := scheduled(t, give(t, fx, 0, rex.ID, rabies), "Rabies")
	sDental := scheduled(t, give(t, fx, 0, rex.ID, dental), "Dental")
	sLepto := scheduled(t, give(t, fx, 0, rex.ID, lepto), "Lepto")
	give(t, fx, 0, rex.ID, stop)
	// The dental item gains a Heartworm rule after the survivor's usage of it.
	dental.Reminders = append(dental.Reminders, vetshare.ReminderRule{Kind: "Heartworm", Interval: vetshare.Interval{Count: 6, Unit: vetshare.Months}})
	fx.Update(t, func(tx *vetshare.Tx) error {
		var err error
		dental, err = inventory.UpdateItem(ctx, tx, fx.Actor(0), dental)
		return err
	})
	// The merged-away patient: Rabies given twice (the first completed by the second), the other
	// brand of Rabies, Lepto, and Dental with Heartworm.
	mRabiesDone := scheduled(t, give(t, fx, 0, rex2.ID, rabies), "Rabies")
	mRabies := scheduled(t, give(t, fx, 0, rex2.ID, rabies), "Rabies")
	mRabiesB := scheduled(t, give(t, fx, 0, rex2.ID, rabiesB), "Rabies")
	mLepto := scheduled(t, give(t, fx, 0, rex2.ID, lepto), "Lepto")
	ch := give(t, fx, 0, rex2.ID, dental)
	mDental, mHeartworm := scheduled(t, ch, "Dental"), scheduled(t, ch, "Heartworm")

	var before []vetshare.Reminder
	fx.View(t, func(tx *vetshare.Tx) error {
		s, m := patientReminders(t, tx, fx, 0, rex.ID), patientReminders(t, tx, fx, 0, rex2.ID)
		status := map[vetshare.ReminderID]vetshare.ReminderStatus{}
		for _, r := range append(slices.Clone(s), m...) {
			status[r.ID] = r.Status
		}
		// The setup is what the test means it to be.
		for id, want := range map[vetshare.ReminderID]vetshare.ReminderStatus{
			sRabies.ID: vetshare.ReminderOpen, sDental.ID: vetshare.ReminderOpen, sLepto.ID: vetshare.ReminderCompleted,
			mRabiesDone.ID: vetshare.ReminderCompleted, mRabies.ID: vetshare.ReminderOpen, mRabiesB.ID: vetshare.ReminderOpen,
			mLepto.ID: vetshare.ReminderOpen, mDental.ID: vetshare.ReminderOpen, mHeartworm.ID: vetshare.ReminderOpen,
		} {
			if status[id] != want {
				t.Fatalf("before the merge, reminder %s is %q, want %q", id, status[id], want)
			}
		}
		if len(s) != 3 || len(m) != 6 {
			t.Fatalf("before the merge: %d and %d reminders, want 3 and 6", len(s), len(m))
		}
		before = append(s, m...)
		return nil
	})

	fx.Update(t, func(tx *vetshare.Tx) error {
		_, err := duplicates.MergePatients(ctx, tx, fx.Actor(0), rex.ID, rex2.ID)
		return err
	})

	want := []vetshare.Reminder{}
	for _, r := range before {
		if r.PatientID == rex2.ID {
			r.PatientID = rex.ID
			if r.ID == mRabies.ID || r.ID == mDental.ID {
				r.Status = vetshare.ReminderWithdrawn
			}
		}
		want = append(want, r)
	}
	slices.SortFunc(want, func(a, b vetshare.Reminder) int { return strings.Compare(string(a.ID), string(b.ID)) })
	fx.View(t, func(tx *vetshare.Tx) error {
		got := patientReminders(t, tx, fx, 0, rex.ID)
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("the survivor's reminders after the merge (-want +got):\n%s", d)
		}
		// No reminder is left under the merged-away id.
		if rows, _, err := reminders.PatientReminders(ctx, tx, fx.Actor(0), rex2.ID, "", vetshare.Page{}); err == nil && len(rows) != 0 {
			t.Errorf("reminders still listed under the merged-away patient: %+v", rows)
		}
		// Due lists the open ones, each the survivor's, once per item and kind.
		due, next, err := reminders.Due(ctx, tx, fx.Actor(0), fixture.Start(), fixture.Start().AddDate(3, 0, 0), vetshare.Page{Limit: vetshare.MaxLimit})
		if err != nil || next != "" {
			return fmt.Errorf("reminders.Due: %v (next %q)", err, next)
		}
		var gotOpen, wantOpen []vetshare.ReminderID
		seen := map[string]bool{}
		for _, r := range due {
			if r.PatientID != rex.ID || r.PatientName != "Rex" || r.ClientID != c.ID {
				t.Errorf("due reminder %s: patient %s %q of %s, want the survivor", r.ID, r.PatientID, r.PatientName, r.ClientID)
			}
			key := string(r.ItemID) + "/" + r.Kind
			if seen[key] {
				t.Errorf("two open reminders of %s for the survivor", key)
			}
			seen[key] = true
			gotOpen = append(gotOpen, r.ID)
		}
		for _, r := range want {
			if r.Status == vetshare.ReminderOpen {
				wantOpen = append(wantOpen, r.ID)
			}
		}
		slices.Sort(gotOpen)
		slices.Sort(wantOpen)
		if !slices.Equal(gotOpen, wantOpen) {
			t.Errorf("due after the merge: %v, want %v", gotOpen, wantOpen)
		}
		return nil
	})
}

// task creates a task about the patient in account i.
func task(t *testing.T, fx *fixture.Fixture, i int, patient vetshare.PatientID, title string) vetshare.Task {
	t.Helper()
	var tk vetshare.Task
	fx.Update(t, func(tx *vetshare.Tx) error {
		var err error
		tk, err = tasks.Create(context.Background(), tx, fx.Actor(i), tasks.Draft{Title: title, Assignee: fx.Admin.ID, PatientID: patient})
		return err
	})
	return tk
}

// patientTaskIDs lists the ids of the tasks about the patient in account i, open or completed.
func patientTaskIDs(t *testing.T, tx *vetshare.Tx, fx *fixture.Fixture, i int, p vetshare.PatientID, completed bool) ([]vetshare.TaskID, error) {
	t.Helper()
	rows, next, err := tasks.PatientTasks(context.Background(), tx, fx.Actor(i), p, tasks.ListQuery{Completed: completed}, vetshare.Page{Limit: vetshare.MaxLimit})
	if err != nil {
		return nil, err
	}
	if next != "" {
		t.Fatalf("tasks.PatientTasks(%s): more than one page", p)
	}
	ids := []vetshare.TaskID{}
	for _, r := range rows {
		ids = append(ids, r.Task.ID)
	}
	slices.Sort(ids)
	return ids, nil
}

// TestR13_5MergePatientsTasksFollow, R13.5: the merged-away patient's tasks, open and
// completed, in the clinic that merged and in another clinic that shares the client, become
// the survivor's, each otherwise as it was; each clinic lists them under the survivor, and only
// its own (R9.3).
func TestR13_5MergePatientsTasksFollow(t *testing.T) {
	ctx := context.Background()
	fx := fixture.New(t, fixture.Options{Accounts: 2, Mode: vetshare.ModeManual})
	c, _ := fx.Client(t, 0, "O'Brien", "Mary")
	rex := fx.Patient(t, 0, c.ID, "Rex", "dog")
	rex2 := fx.Patient(t, 0, c.ID, "Rex", "dog")
	fx.Update(t, func(tx *vetshare.Tx) error {
		_, err := sharing.ShareClient(ctx, tx, fx.Actor(1), c.ID)
		return err
	})
	own := task(t, fx, 0, rex.ID, "Weigh Rex")
	open := task(t, fx, 0, rex2.ID, "Recheck ears")
	done := task(t, fx, 0, rex2.ID, "Send the lab sample")
	fx.Update(t, func(tx *vetshare.Tx) error {
		_, _, err := tasks.Complete(ctx, tx, fx.Actor(0), done.ID)
		return err
	})
	there := task(t, fx, 1, rex2.ID, "Call the owner back")

	get := func(tx *vetshare.Tx, i int, id vetshare.TaskID) vetshare.Task {
		r, err := tasks.Get(ctx, tx, fx.Actor(i), id)
		if err != nil {
			t.Fatalf("tasks.Get(%s): %v", id, err)
		}
		return r.Task
	}
	ids := []vetshare.TaskID{own.ID, open.ID, done.ID, there.ID}
	at := map[vetshare.TaskID]int{own.ID: 0, open.ID: 0, done.ID: 0, there.ID: 1}
	before := map[vetshare.TaskID]vetshare.Task{}
	fx.View(t, func(tx *vetshare.Tx) error {
		for _, id := range ids {
			before[id] = get(tx, at[id], id)
		}
		if before[done.ID].Status != vetshare.TaskCompleted {
			t.Fatalf("setup: task %s is %s, want completed", done.ID, before[done.ID].Status)
		}
		return nil
	})

	fx.Update(t, func(tx *vetshare.Tx) error {
		_, err := duplicates.MergePatients(ctx, tx, fx.Actor(0), rex.ID, rex2.ID)
		return err
	})

	fx.View(t, func(tx *vetshare.Tx) error {
		for _, id := range ids {
			want := before[id]
			want.PatientID = rex.ID
			if d := cmp.Diff(want, get(tx, at[id], id)); d != "" {
				t.Errorf("task %q after the merge (-want +got):\n%s", want.Title, d)
			}
		}
		for _, tc := range []struct {
			i         int
			completed bool
			want      []vetshare.TaskID
		}{
			{0, false, []vetshare.TaskID{own.ID, open.ID}},
			{0, true, []vetshare.TaskID{done.ID}},
			{1, false, []vetshare.TaskID{there.ID}},
			{1, true, []vetshare.TaskID{}},
		} {
			slices.Sort(tc.want)
			got, err := patientTaskIDs(t, tx, fx, tc.i, rex.ID, tc.completed)
			if err != nil || !slices.Equal(got, tc.want) {
				t.Errorf("account %d, completed %v: the survivor's tasks %v (%v), want %v", tc.i, tc.completed, got, err, tc.want)
			}
			// No task is left under the merged-away id.
			if got, err := patientTaskIDs(t, tx, fx, tc.i, rex2.ID, tc.completed); err == nil && len(got) != 0 {
				t.Errorf("account %d: tasks still listed under the merged-away patient: %v", tc.i, got)
			}
		}
		return nil
	})
}

// patientState is what the refusals of TestR13_5MergePatientsRefusals must leave as it was,
// seen from each account: each client's patients; each patient id as records.Patient resolves
// it, with its history, reminders and tasks; and the length of the audit chain.
func patientState(t *testing.T, fx *fixture.Fixture, clients []vetshare.ClientID, patients []vetshare.PatientID) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	fx.View(t, func(tx *vetshare.Tx) error {
		for i := range fx.Accounts {
			a := fx.Actor(i)
			for _, c := range clients {
				ps, _, err := records.Patients(ctx, tx, a, c, vetshare.Page{Limit: vetshare.MaxLimit})
				add("account %d client %s: patients %+v %v", i, c, ps, err)
			}
			for _, id := range patients {
				p, err := records.Patient(ctx, tx, a, id)
				add("account %d patient %s: %+v %v", i, id, p, err)
				h, _, err := records.History(ctx, tx, a, records.HistoryQuery{Patient: id, IncludeRemoved: true}, vetshare.Page{Limit: vetshare.MaxLimit})
				add("account %d patient %s: history %+v %v", i, id, h, err)
				rs, _, err := reminders.PatientReminders(ctx, tx, a, id, "", vetshare.Page{Limit: vetshare.MaxLimit})
				add("account %d patient %s: reminders %+v %v", i, id, rs, err)
				for _, completed := range []bool{false, true} {
					ts, _, err := tasks.PatientTasks(ctx, tx, a, id, tasks.ListQuery{Completed: completed}, vetshare.Page{Limit: vetshare.MaxLimit})
					add("account %d patient %s: tasks (completed %v) %+v %v", i, id, completed, ts, err)
				}
			}
		}
		n, err := audit.Verify(ctx, tx, fx.Actor(0))
		if err != nil {
			t.Fatalf("audit.Verify: %v", err)
		}
		add("audit entries: %d", n)
		return nil
	})
	return out
}

// TestR13_5MergePatientsRefusals, R13.4–R13.5: patients of two clients are ErrInvalid; an
// actor who is an admin where they merge but not an admin or owner of another clinic that holds
// the client is ErrNotPermitted, naming that clinic; a patient already merged away can be
// neither merged again nor merged into. Every refusal is committed, and changes nothing: not a
// patient, a record, a reminder, a task or the audit chain.
func TestR13_5MergePatientsRefusals(t *testing.T) {
	ctx := context.Background()
	fx := fixture.New(t, fixture.Options{Accounts: 2, Mode: vetshare.ModeManual})
	c, _ := fx.Client(t, 0, "O'Brien", "Mary")
	other, _ := fx.Client(t, 0, "Lee", "Ann")
	fx.Update(t, func(tx *vetshare.Tx) error {
		_, err := sharing.ShareClient(ctx, tx, fx.Actor(1), c.ID)
		return err
	})
	rex := fx.Patient(t, 0, c.ID, "Rex", "dog")
	rex2 := fx.Patient(t, 0, c.ID, "Rex", "dog")
	rex3 := fx.Patient(t, 0, c.ID, "Rexy", "dog")
	bella := fx.Patient(t, 0, other.ID, "Bella", "cat")
	rabies := item(t, fx, 0, "Rabies 1yr", vetshare.ReminderRule{Kind: "Rabies", Interval: vetshare.Interval{Count: 1, Unit: vetshare.Years}})
	for _, p := range []vetshare.Patient{rex, rex2, rex3, bella} {
		fx.Note(t, 0, p.ID, "seen: "+p.Name)
		give(t, fx, 0, p.ID, rabies)
		task(t, fx, 0, p.ID, "Call about "+p.Name)
	}
	fx.Note(t, 1, rex2.ID, "seen at the other clinic")
	task(t, fx, 1, rex2.ID, "Other clinic's task")
	// ann is an admin of clinic 0 and staff (with every permission) of clinic 1, bob an admin of
	// clinic 0 only: clinic 1 holds the client too.
	ann := fx.User(t, "ann", vetshare.RoleAdmin, vetshare.PermAll, 0)
	fx.Update(t, func(tx *vetshare.Tx) error {
		return accounts.Grant(ctx, tx, vetshare.Membership{UserID: ann.ID, AccountID: fx.AccountIDs()[1], Role: vetshare.RoleStaff, Permissions: vetshare.PermAll, Active: true})
	})
	bob := fx.User(t, "bob", vetshare.RoleAdmin, vetshare.PermAll, 0)
	clients := []vetshare.ClientID{c.ID, other.ID}
	patients := []vetshare.PatientID{rex.ID, rex2.ID, rex3.ID, bella.ID}

	refuse := func(what string, actor vetshare.Actor, survivor, merged vetshare.PatientID, want error) error {
		t.Helper()
		var err error
		fx.Update(t, func(tx *vetshare.Tx) error {
			_, err = duplicates.MergePatients(ctx, tx, actor, survivor, merged)
			return nil // commit whatever the refused merge may have written
		})
		if !errors.Is(err, want) {
			t.Errorf("%s: %v, want %v", what, err, want)
		}
		return err
	}

	before := patientState(t, fx, clients, patients)
	refuse("two clients", fx.Actor(0), rex.ID, bella.ID, vetshare.ErrInvalid)
	refuse("two clients, the other way", fx.Actor(0), bella.ID, rex2.ID, vetshare.ErrInvalid)
	for _, u := range []vetshare.User{ann, bob} {
		err := refuse(u.Name+", not an admin of clinic 1", vetshare.Actor{User: u.ID, Account: fx.AccountIDs()[0]}, rex.ID, rex2.ID, vetshare.ErrNotPermitted)
		var np *vetshare.NotPermittedError
		if errors.As(err, &np) && (np.Account != fx.AccountIDs()[1] || np.User != u.ID) {
			t.Errorf("%s: refused for %s at %s, want %s at %s (clinic 1)", u.Name, np.User, np.Account, u.ID, fx.AccountIDs()[1])
		}
	}
	if d := cmp.Diff(before, patientState(t, fx, clients, patients)); d != "" {
		t.Errorf("refused merges changed (-before +after):\n%s", d)
	}

	fx.Update(t, func(tx *vetshare.Tx) error {
		_, err := duplicates.MergePatients(ctx, tx, fx.Actor(0), rex.ID, rex2.ID)
		return err
	})
	merged := patientState(t, fx, clients, patients)
	if d := cmp.Diff(before, merged); d == "" {
		t.Fatalf("the merge changed nothing")
	}
	for _, i := range []int{0, 1} {
		refuse(fmt.Sprintf("account %d: merge the merged-away patient again", i), fx.Actor(i), rex.ID, rex2.ID, vetshare.ErrNotFound)
		refuse(fmt.Sprintf("account %d: merge the merged-away patient into another", i), fx.Actor(i), rex3.ID, rex2.ID, vetshare.ErrNotFound)
		refuse(fmt.Sprintf("account %d: merge into the merged-away patient", i), fx.Actor(i), rex2.ID, rex3.ID, vetshare.ErrNotFound)
	}
	fx.View(t, func(tx *vetshare.Tx) error {
		if _, err := duplicates.PreviewPatientMerge(ctx, tx, fx.Actor(0), rex.ID, rex2.ID); !errors.Is(err, vetshare.ErrNotFound) {
			t.Errorf("preview of merging the merged-away patient again: %v, want ErrNotFound", err)
		}
		return nil
	})
	if d := cmp.Diff(merged, patientState(t, fx, clients, patients)); d != "" {
		t.Errorf("refused merges of a merged-away patient changed (-before +after):\n%s", d)
	}
}
