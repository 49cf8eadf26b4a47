package tasks_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/txn"
	"github.com/vetshare/vetshare/tasks"
)

const allPerms = vetshare.PermTaskMarkInProgress | vetshare.PermTaskComplete | vetshare.PermTaskEdit |
	vetshare.PermTaskDelete | vetshare.PermTaskCreate

// group is an owner with two clinics, North and South, and a clinic of another owner; a relief
// vet with every permission at North and only mark-in-progress at South; a manager with every
// permission at both.
type group struct {
	*world
	owner, other        vetshare.OwnerID
	north, south, far   vetshare.AccountID
	vet, boss, stranger vetshare.UserID
}

func newGroup(t testing.TB, sharing bool) *group {
	t.Helper()
	g := &group{world: newWorld(t)}
	g.owner = g.owner_("Paws Group", sharing)
	g.other = g.owner_("Elsewhere Inc", true)
	g.north = g.account(g.owner, "North", "America/Chicago")
	g.south = g.account(g.owner, "South", "America/New_York")
	g.far = g.account(g.other, "Far", "UTC")
	g.vet, g.boss, g.stranger = g.user("vet"), g.user("boss"), g.user("stranger")
	g.grant(g.vet, g.north, allPerms)
	g.grant(g.vet, g.south, vetshare.PermTaskMarkInProgress)
	g.grant(g.vet, g.far, allPerms)
	g.grant(g.boss, g.north, allPerms)
	g.grant(g.boss, g.south, allPerms)
	g.grant(g.stranger, g.far, allPerms)
	return g
}

func (g *group) owner_(name string, sharing bool) vetshare.OwnerID {
	return g.world.owner(name, sharing)
}

func (g *group) create(by vetshare.UserID, in vetshare.AccountID, d tasks.Draft) vetshare.Task {
	g.tb.Helper()
	var t vetshare.Task
	g.update(func(tx *vetshare.Tx) error {
		var err error
		t, err = tasks.Create(g.ctx, tx, vetshare.Actor{User: by, Account: in}, d)
		return err
	})
	g.clock.Add(time.Millisecond)
	return t
}

func (g *group) assigned(as vetshare.Actor, q tasks.AssignedQuery) (tasks.Assigned, error) {
	return g.assignedPage(as, q, vetshare.Page{})
}

func (g *group) assignedPage(as vetshare.Actor, q tasks.AssignedQuery, page vetshare.Page) (tasks.Assigned, error) {
	var p tasks.Assigned
	err := g.try(func(tx *vetshare.Tx) error {
		var err error
		p, err = tasks.AssignedToMe(g.ctx, tx, as, q, page)
		return err
	})
	return p, err
}

func ids(rows []tasks.Row) []vetshare.TaskID {
	var out []vetshare.TaskID
	for _, r := range rows {
		out = append(out, r.Task.ID)
	}
	return out
}

// R9.1: a task has the fields of the SPEC and belongs to the account it was created in.
func TestR9_1_Create(t *testing.T) {
	g := newGroup(t, true)
	c := g.client(g.owner, g.north, "Rivera")
	p := g.patient(c, g.north, g.boss, "Scooby")
	due := t0.Add(48 * time.Hour)
	now := g.clock.Now()
	got := g.create(g.boss, g.north, tasks.Draft{
		Kind: vetshare.TaskPrescriptionRequest, Title: "Refill carprofen", Notes: "60 tabs", Assignee: g.vet, Due: due,
		Priority: vetshare.PriorityHigh, Repeat: vetshare.RepeatRule{Every: 1, Unit: vetshare.RepeatMonth}, PatientID: p,
	})
	want := vetshare.Task{
		ID: got.ID, AccountID: g.north, Kind: vetshare.TaskPrescriptionRequest, Title: "Refill carprofen", Notes: "60 tabs",
		Assignee: g.vet, Due: due, Priority: vetshare.PriorityHigh, Status: vetshare.TaskOpen,
		Repeat: vetshare.RepeatRule{Every: 1, Unit: vetshare.RepeatMonth}, ClientID: c, PatientID: p, CreatedBy: g.boss,
		CreatedAt: now, UpdatedAt: now, Version: 1,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Create (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, g.task(got.ID)); diff != "" {
		t.Errorf("stored (-want +got):\n%s", diff)
	}
	// Defaults: a general task of normal priority, without due date.
	d := g.create(g.boss, g.south, tasks.Draft{Title: "Order gloves", Assignee: g.boss})
	if d.AccountID != g.south || d.Kind != vetshare.TaskGeneral || d.Priority != vetshare.PriorityNormal || !d.Due.IsZero() {
		t.Errorf("Create with defaults = %+v", d)
	}
}

// R9.1: a due date given as a local date is the end of that day in the account's time zone.
func TestR9_1_CreateDueOn(t *testing.T) {
	g := newGroup(t, true)
	got := g.create(g.boss, g.north, tasks.Draft{Title: "Recheck", Assignee: g.vet, DueOn: "2026-03-10"})
	want := time.Date(2026, 3, 11, 4, 59, 59, 999999000, time.UTC) // Chicago is UTC-5 after 8 March
	if !got.Due.Equal(want) {
		t.Errorf("Due = %v, want %v", got.Due, want)
	}
}

// R9.2: the default list is the logged-in account; the user can choose any set of linked
// clinics, all of them, or reset to the default.
func TestR9_2_AssignedToMe(t *testing.T) {
	g := newGroup(t, true)
	n1 := g.create(g.boss, g.north, tasks.Draft{Title: "n1", Assignee: g.vet, Due: t0.Add(3 * time.Hour)})
	s1 := g.create(g.boss, g.south, tasks.Draft{Title: "s1", Assignee: g.vet, Due: t0.Add(1 * time.Hour)})
	n2 := g.create(g.boss, g.north, tasks.Draft{Title: "n2", Assignee: g.vet, Due: t0.Add(2 * time.Hour)})
	g.create(g.boss, g.north, tasks.Draft{Title: "boss's", Assignee: g.boss, Due: t0})
	g.create(g.stranger, g.far, tasks.Draft{Title: "far", Assignee: g.vet, Due: t0})
	as := vetshare.Actor{User: g.vet, Account: g.north}
	north := tasks.Clinic{ID: g.north, Name: "North"}
	south := tasks.Clinic{ID: g.south, Name: "South"}
	tests := []struct {
		name    string
		sel     tasks.Selection
		want    []vetshare.TaskID
		clinics []tasks.Clinic
	}{
		{"default", tasks.Selection{}, []vetshare.TaskID{n2.ID, n1.ID}, []tasks.Clinic{north}},
		{"both", tasks.Selection{Accounts: []vetshare.AccountID{g.south, g.north}}, []vetshare.TaskID{s1.ID, n2.ID, n1.ID}, []tasks.Clinic{north, south}},
		{"the other only", tasks.Selection{Accounts: []vetshare.AccountID{g.south}}, []vetshare.TaskID{s1.ID}, []tasks.Clinic{south}},
		{"all", tasks.Selection{All: true}, []vetshare.TaskID{s1.ID, n2.ID, n1.ID}, []tasks.Clinic{north, south}},
		{"reset", tasks.Selection{}, []vetshare.TaskID{n2.ID, n1.ID}, []tasks.Clinic{north}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := g.assigned(as, tasks.AssignedQuery{Clinics: tt.sel})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, ids(p.Rows)); diff != "" {
				t.Errorf("tasks (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.clinics, p.Clinics); diff != "" {
				t.Errorf("clinics (-want +got):\n%s", diff)
			}
		})
	}
	var linked []tasks.Clinic
	g.update(func(tx *vetshare.Tx) error {
		var err error
		linked, err = tasks.LinkedClinics(g.ctx, tx, as)
		return err
	})
	if diff := cmp.Diff([]tasks.Clinic{north, south}, linked); diff != "" {
		t.Errorf("LinkedClinics (-want +got):\n%s", diff)
	}
}

// R9.2: choosing an account outside the linked clinics is refused and shows nothing of it: an
// account of another owner, one without membership, one with an inactive membership, and one
// that does not exist all get the same refusal.
func TestR9_2_ForeignClinicRefused(t *testing.T) {
	g := newGroup(t, true)
	lone := g.account(g.owner, "Lone", "UTC") // same owner, no membership
	gone := g.account(g.owner, "Gone", "UTC")
	g.grant(g.vet, gone, allPerms)
	g.update(func(tx *vetshare.Tx) error {
		return txn.D(tx).PutMembership(g.ctx, vetshare.Membership{UserID: g.vet, AccountID: gone, Role: vetshare.RoleStaff, Permissions: allPerms})
	})
	g.create(g.boss, g.north, tasks.Draft{Title: "mine", Assignee: g.vet})
	as := vetshare.Actor{User: g.vet, Account: g.north}
	var msgs []string
	for _, a := range []vetshare.AccountID{g.far, lone, gone, vetshare.NewID[vetshare.AccountID](t0)} {
		p, err := g.assigned(as, tasks.AssignedQuery{Clinics: tasks.Selection{Accounts: []vetshare.AccountID{g.north, a}}})
		var np *vetshare.NotPermittedError
		if !errors.As(err, &np) || len(p.Rows) != 0 {
			t.Fatalf("selecting %s: %v, %d rows; want a *NotPermittedError and nothing", a, err, len(p.Rows))
		}
		msgs = append(msgs, strings.ReplaceAll(np.Reason, string(a), "<id>"))
	}
	for _, m := range msgs[1:] {
		if m != msgs[0] {
			t.Errorf("refusals differ beyond the id: %q and %q", msgs[0], m)
		}
	}
}

// R9.3: the other task lists show one account: the logged-in one.
func TestR9_3_OtherListsShowOneAccount(t *testing.T) {
	g := newGroup(t, true)
	c := g.client(g.owner, g.north, "Rivera", g.south)
	p := g.patient(c, g.north, g.boss, "Scooby")
	n := g.create(g.boss, g.north, tasks.Draft{Title: "north", Assignee: g.vet, PatientID: p})
	nb := g.create(g.boss, g.north, tasks.Draft{Title: "north, boss", Assignee: g.boss})
	g.create(g.boss, g.south, tasks.Draft{Title: "south", Assignee: g.vet, PatientID: p})
	as := vetshare.Actor{User: g.vet, Account: g.north}
	var all, mine, pets []tasks.Row
	g.update(func(tx *vetshare.Tx) error {
		var err error
		if all, _, err = tasks.AccountTasks(g.ctx, tx, as, tasks.ListQuery{}, vetshare.Page{}); err != nil {
			return err
		}
		if mine, _, err = tasks.AccountTasks(g.ctx, tx, as, tasks.ListQuery{Assignee: g.vet}, vetshare.Page{}); err != nil {
			return err
		}
		pets, _, err = tasks.PatientTasks(g.ctx, tx, as, p, tasks.ListQuery{}, vetshare.Page{})
		return err
	})
	if diff := cmp.Diff([]vetshare.TaskID{n.ID, nb.ID}, ids(all)); diff != "" {
		t.Errorf("AccountTasks (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]vetshare.TaskID{n.ID}, ids(mine)); diff != "" {
		t.Errorf("AccountTasks of the vet (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]vetshare.TaskID{n.ID}, ids(pets)); diff != "" {
		t.Errorf("PatientTasks (-want +got):\n%s", diff)
	}
	// A patient not shared with the account answers not found.
	far := g.patient(g.client(g.other, g.far, "Far"), g.far, g.stranger, "Rex")
	err := g.try(func(tx *vetshare.Tx) error {
		_, _, err := tasks.PatientTasks(g.ctx, tx, as, far, tasks.ListQuery{}, vetshare.Page{})
		return err
	})
	if !errors.Is(err, vetshare.ErrNotFound) {
		t.Errorf("PatientTasks of a foreign patient = %v, want ErrNotFound", err)
	}
}

// R9.4, R9.5: every row names its clinic and offers the actions of the permissions in it.
func TestR9_4_R9_5_RowsNameClinicAndActions(t *testing.T) {
	g := newGroup(t, true)
	n := g.create(g.boss, g.north, tasks.Draft{Title: "north", Assignee: g.vet, Due: t0.Add(time.Hour)})
	s := g.create(g.boss, g.south, tasks.Draft{Title: "south", Assignee: g.vet, Due: t0.Add(2 * time.Hour)})
	for _, login := range []vetshare.AccountID{g.north, g.south} {
		p, err := g.assigned(vetshare.Actor{User: g.vet, Account: login}, tasks.AssignedQuery{Clinics: tasks.Selection{All: true}})
		if err != nil {
			t.Fatal(err)
		}
		got := map[vetshare.TaskID]tasks.Row{}
		for _, r := range p.Rows {
			got[r.Task.ID] = r
		}
		if c := got[n.ID].Clinic; c != (tasks.Clinic{ID: g.north, Name: "North"}) {
			t.Errorf("logged into %s: north task names clinic %v", login, c)
		}
		if c := got[s.ID].Clinic; c != (tasks.Clinic{ID: g.south, Name: "South"}) {
			t.Errorf("logged into %s: south task names clinic %v", login, c)
		}
		if a := got[n.ID].Actions; a != (tasks.Actions{MarkInProgress: true, Complete: true, Edit: true, Delete: true}) {
			t.Errorf("logged into %s: north task offers %+v, want everything", login, a)
		}
		if a := got[s.ID].Actions; a != (tasks.Actions{MarkInProgress: true}) {
			t.Errorf("logged into %s: south task offers %+v, want mark in progress only", login, a)
		}
	}
}

// R9.5: what the user may do is decided by the permissions in the task's account, not the
// logged-in one.
func TestR9_5_PermissionsOfTheTasksAccount(t *testing.T) {
	g := newGroup(t, true)
	s := g.create(g.boss, g.south, tasks.Draft{Title: "south", Assignee: g.vet})
	n := g.create(g.boss, g.north, tasks.Draft{Title: "north", Assignee: g.vet})
	fromNorth := vetshare.Actor{User: g.vet, Account: g.north}
	fromSouth := vetshare.Actor{User: g.vet, Account: g.south}
	do := func(as vetshare.Actor, f func(tx *vetshare.Tx) error) error { return g.try(f) }
	// Logged into North, where the vet may do everything: completing South's task is refused.
	err := do(fromNorth, func(tx *vetshare.Tx) error { _, _, err := tasks.Complete(g.ctx, tx, fromNorth, s.ID); return err })
	if !errors.Is(err, vetshare.ErrNotPermitted) {
		t.Errorf("completing a South task from North = %v, want ErrNotPermitted", err)
	}
	err = do(fromNorth, func(tx *vetshare.Tx) error { return tasks.Delete(g.ctx, tx, fromNorth, s.ID) })
	if !errors.Is(err, vetshare.ErrNotPermitted) {
		t.Errorf("deleting a South task from North = %v, want ErrNotPermitted", err)
	}
	// But marking it in progress is allowed at South.
	if err := do(fromNorth, func(tx *vetshare.Tx) error { _, err := tasks.Start(g.ctx, tx, fromNorth, s.ID); return err }); err != nil {
		t.Errorf("marking a South task in progress from North: %v", err)
	}
	// Logged into South, where the vet may only mark in progress: completing North's task works.
	if err := do(fromSouth, func(tx *vetshare.Tx) error { _, _, err := tasks.Complete(g.ctx, tx, fromSouth, n.ID); return err }); err != nil {
		t.Errorf("completing a North task from South: %v", err)
	}
	if st := g.task(s.ID).Status; st != vetshare.TaskInProgress {
		t.Errorf("South task is %s, want in-progress", st)
	}
	if st := g.task(n.ID).Status; st != vetshare.TaskCompleted {
		t.Errorf("North task is %s, want completed", st)
	}
}

// R9.6: from another account Notes and Repeat change; other fields are refused by name, and
// nothing changes.
func TestR9_6_CrossAccountEdit(t *testing.T) {
	g := newGroup(t, true)
	g.grant(g.vet, g.south, allPerms)
	task := g.create(g.boss, g.south, tasks.Draft{Title: "Review labs", Assignee: g.vet, Due: t0.Add(time.Hour)})
	as := vetshare.Actor{User: g.vet, Account: g.north}
	title, notes, due := "Other", "called owner", t0.Add(5*time.Hour)
	var re *tasks.EditRefusedError
	err := g.try(func(tx *vetshare.Tx) error {
		_, err := tasks.Edit(g.ctx, tx, as, task.ID, tasks.Change{Title: &title, Notes: &notes, Due: &due})
		return err
	})
	if !errors.As(err, &re) || !errors.Is(err, vetshare.ErrNotPermitted) {
		t.Fatalf("Edit of Title and Due from North = %v, want an *EditRefusedError", err)
	}
	if diff := cmp.Diff([]string{"Title", "Due"}, re.Fields); diff != "" {
		t.Errorf("refused fields (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(task, g.task(task.ID)); diff != "" {
		t.Errorf("refused edit changed the task (-want +got):\n%s", diff)
	}
	repeat := vetshare.RepeatRule{Every: 1, Unit: vetshare.RepeatWeek}
	var got vetshare.Task
	g.update(func(tx *vetshare.Tx) error {
		var err error
		got, err = tasks.Edit(g.ctx, tx, as, task.ID, tasks.Change{Notes: &notes, Repeat: &repeat, Title: &task.Title})
		return err
	})
	want := task
	want.Notes, want.Repeat, want.Version, want.UpdatedAt = notes, repeat, 2, g.clock.Now()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Edit of Notes and Repeat (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, g.task(task.ID)); diff != "" {
		t.Errorf("stored (-want +got):\n%s", diff)
	}
	// From the task's own account every field may change.
	g.update(func(tx *vetshare.Tx) error {
		_, err := tasks.Edit(g.ctx, tx, vetshare.Actor{User: g.boss, Account: g.south}, task.ID, tasks.Change{Title: &title, Due: &due})
		return err
	})
	if got := g.task(task.ID); got.Title != title || !got.Due.Equal(due) {
		t.Errorf("Edit from the own account: %+v", got)
	}
}

// R9.7: a task whose client or patient is not shared with the logged-in account warns, naming
// the task's account.
func TestR9_7_Warning(t *testing.T) {
	g := newGroup(t, true)
	sharedClient := g.client(g.owner, g.south, "Both", g.north)
	southOnly := g.client(g.owner, g.south, "South only")
	pet := g.patient(southOnly, g.south, g.boss, "Rex")
	ok := g.create(g.boss, g.south, tasks.Draft{Title: "shared", Assignee: g.vet, ClientID: sharedClient, Due: t0})
	warn := g.create(g.boss, g.south, tasks.Draft{Title: "not shared", Assignee: g.vet, PatientID: pet, Due: t0.Add(time.Hour)})
	p, err := g.assigned(vetshare.Actor{User: g.vet, Account: g.north}, tasks.AssignedQuery{Clinics: tasks.Selection{All: true}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]vetshare.TaskID{ok.ID, warn.ID}, ids(p.Rows)); diff != "" {
		t.Fatalf("tasks (-want +got):\n%s", diff)
	}
	if p.Rows[0].Warning != nil {
		t.Errorf("shared client warns: %+v", p.Rows[0].Warning)
	}
	w := p.Rows[1].Warning
	if w == nil || w.SwitchTo != (tasks.Clinic{ID: g.south, Name: "South"}) {
		t.Fatalf("warning = %+v, want one naming South", w)
	}
	// Get says the same; logged into South there is no warning.
	g.update(func(tx *vetshare.Tx) error {
		r, err := tasks.Get(g.ctx, tx, vetshare.Actor{User: g.vet, Account: g.north}, warn.ID)
		if err == nil && (r.Warning == nil || r.Warning.SwitchTo.ID != g.south) {
			t.Errorf("Get from North: warning %+v", r.Warning)
		}
		if err != nil {
			return err
		}
		r, err = tasks.Get(g.ctx, tx, vetshare.Actor{User: g.vet, Account: g.south}, warn.ID)
		if err == nil && r.Warning != nil {
			t.Errorf("Get from South: warning %+v", r.Warning)
		}
		return err
	})
}

// R9.7: every row of a page says what Get says of its task, warning or none, whether it has a
// patient or a client alone; the rows' warnings are values of their own, though a page makes
// them together.
func TestR9_7_WarningsOfAPage(t *testing.T) {
	g := newGroup(t, true)
	g.grant(g.vet, g.south, allPerms)
	shared := g.client(g.owner, g.south, "Both", g.north)
	a := g.client(g.owner, g.south, "South A")
	b := g.client(g.owner, g.south, "South B")
	pet := g.patient(a, g.south, g.boss, "Rex")
	var made []vetshare.TaskID
	for i, d := range []tasks.Draft{
		{Title: "patient", PatientID: pet}, {Title: "client", ClientID: b}, {Title: "shared", ClientID: shared},
		{Title: "none"}, {Title: "patient again", PatientID: pet}, {Title: "client again", ClientID: a},
	} {
		d.Assignee, d.Due = g.vet, t0.Add(time.Duration(i)*time.Hour)
		made = append(made, g.create(g.boss, g.south, d).ID)
	}
	north := vetshare.Actor{User: g.vet, Account: g.north}
	var rows []tasks.Row
	page := vetshare.Page{Limit: 4}
	for {
		var p tasks.Assigned
		g.update(func(tx *vetshare.Tx) error {
			var err error
			p, err = tasks.AssignedToMe(g.ctx, tx, north, tasks.AssignedQuery{Clinics: tasks.Selection{All: true}}, page)
			return err
		})
		rows = append(rows, p.Rows...)
		if p.Next == "" {
			break
		}
		page.After = p.Next
	}
	if diff := cmp.Diff(made, ids(rows)); diff != "" {
		t.Fatalf("tasks (-want +got):\n%s", diff)
	}
	warned := 0
	g.update(func(tx *vetshare.Tx) error {
		for _, r := range rows {
			d, err := tasks.Get(g.ctx, tx, north, r.Task.ID)
			if err != nil {
				return err
			}
			if diff := cmp.Diff(d.Warning, r.Warning); diff != "" {
				t.Errorf("%s: the row's warning is not Get's (-Get +row):\n%s", r.Task.Title, diff)
			}
			if r.Warning != nil {
				warned++
			}
		}
		return nil
	})
	if warned != 4 {
		t.Errorf("%d rows warn, want 4 (the patient's and the unshared clients')", warned)
	}
	rows[0].Warning.Message = "changed"
	if rows[4].Warning.Message == "changed" {
		t.Error("two rows share one warning")
	}
}

// R9.8: completing a repeating task creates the next occurrence in the task's account, even
// when completed from another account; reopening and completing again creates no other.
func TestR9_8_CompleteRepeating(t *testing.T) {
	g := newGroup(t, true)
	g.grant(g.vet, g.south, allPerms)
	task := g.create(g.boss, g.south, tasks.Draft{Title: "Weigh Rex", Assignee: g.vet, DueOn: "2026-03-02",
		Repeat: vetshare.RepeatRule{Every: 1, Unit: vetshare.RepeatWeek}})
	as := vetshare.Actor{User: g.vet, Account: g.north}
	var done, next vetshare.Task
	g.update(func(tx *vetshare.Tx) error {
		var err error
		done, next, err = tasks.Complete(g.ctx, tx, as, task.ID)
		return err
	})
	wantDue := time.Date(2026, 3, 9, 23, 59, 59, 999999000, mustZone(t, "America/New_York"))
	if next.ID == "" || next.AccountID != g.south || next.Status != vetshare.TaskOpen || !next.Due.Equal(wantDue) ||
		next.Previous != task.ID || next.Title != task.Title || next.Repeat != task.Repeat {
		t.Fatalf("next occurrence = %+v", next)
	}
	if diff := cmp.Diff(next, g.task(next.ID)); diff != "" {
		t.Errorf("stored next (-want +got):\n%s", diff)
	}
	if done.Next != next.ID || done.Status != vetshare.TaskCompleted || !done.CompletedAt.Equal(g.clock.Now()) {
		t.Errorf("completed task = %+v", done)
	}
	g.update(func(tx *vetshare.Tx) error {
		if _, err := tasks.Reopen(g.ctx, tx, as, task.ID); err != nil {
			return err
		}
		_, again, err := tasks.Complete(g.ctx, tx, as, task.ID)
		if again.ID != "" {
			t.Errorf("completing again created %s", again.ID)
		}
		return err
	})
	// A task that does not repeat has no next occurrence.
	plain := g.create(g.boss, g.south, tasks.Draft{Title: "Once", Assignee: g.vet, Due: t0})
	g.update(func(tx *vetshare.Tx) error {
		_, n, err := tasks.Complete(g.ctx, tx, as, plain.ID)
		if n.ID != "" {
			t.Errorf("a plain task made a next occurrence %+v", n)
		}
		return err
	})
}

// R1.8: task sharing is off unless enabled for the owner. R9.9: then Assigned To Me shows only
// the logged-in account, asking for others is refused, and the other accounts' tasks are out
// of reach.
func TestR1_8_R9_9_TaskSharingSwitch(t *testing.T) {
	g := newGroup(t, false)
	n := g.create(g.boss, g.north, tasks.Draft{Title: "north", Assignee: g.vet})
	s := g.create(g.boss, g.south, tasks.Draft{Title: "south", Assignee: g.vet})
	as := vetshare.Actor{User: g.vet, Account: g.north}
	p, err := g.assigned(as, tasks.AssignedQuery{})
	if err != nil || !cmp.Equal([]vetshare.TaskID{n.ID}, ids(p.Rows)) {
		t.Fatalf("default list = %v, %v", ids(p.Rows), err)
	}
	p, err = g.assigned(as, tasks.AssignedQuery{Clinics: tasks.Selection{All: true}})
	if err != nil || !cmp.Equal([]vetshare.TaskID{n.ID}, ids(p.Rows)) {
		t.Errorf("all clinics without task sharing = %v, %v; want the logged-in account's only", ids(p.Rows), err)
	}
	_, err = g.assigned(as, tasks.AssignedQuery{Clinics: tasks.Selection{Accounts: []vetshare.AccountID{g.north, g.south}}})
	if !errors.Is(err, vetshare.ErrNotPermitted) {
		t.Errorf("choosing South without task sharing = %v, want ErrNotPermitted", err)
	}
	err = g.try(func(tx *vetshare.Tx) error { _, err := tasks.Start(g.ctx, tx, as, s.ID); return err })
	if !errors.Is(err, vetshare.ErrNotFound) {
		t.Errorf("acting on a South task from North without task sharing = %v, want ErrNotFound", err)
	}
	// Enabled, the same request works.
	g.update(func(tx *vetshare.Tx) error {
		o, err := txn.D(tx).Owner(g.ctx, g.owner)
		if err != nil {
			return err
		}
		o.TaskSharing = true
		return txn.D(tx).UpdateOwner(g.ctx, o)
	})
	p, err = g.assigned(as, tasks.AssignedQuery{Clinics: tasks.Selection{Accounts: []vetshare.AccountID{g.north, g.south}}})
	if err != nil || len(p.Rows) != 2 {
		t.Errorf("with task sharing: %v, %v", ids(p.Rows), err)
	}
}

// R10.1: edits and status changes made from an account other than the task's are audited, as
// cross-account writes; those made in the task's own account are not.
func TestR10_1_CrossAccountWritesAudited(t *testing.T) {
	g := newGroup(t, true)
	g.grant(g.vet, g.south, allPerms)
	s := g.create(g.boss, g.south, tasks.Draft{Title: "south", Assignee: g.vet})
	n := g.create(g.boss, g.north, tasks.Draft{Title: "north", Assignee: g.vet})
	as := vetshare.Actor{User: g.vet, Account: g.north}
	notes := "seen"
	g.update(func(tx *vetshare.Tx) error {
		for _, id := range []vetshare.TaskID{s.ID, n.ID} {
			if _, err := tasks.Edit(g.ctx, tx, as, id, tasks.Change{Notes: &notes}); err != nil {
				return err
			}
			if _, err := tasks.Start(g.ctx, tx, as, id); err != nil {
				return err
			}
			if _, _, err := tasks.Complete(g.ctx, tx, as, id); err != nil {
				return err
			}
			if err := tasks.Delete(g.ctx, tx, as, id); err != nil {
				return err
			}
		}
		return nil
	})
	var got []string
	for _, e := range g.audit(g.owner) {
		if e.UserID != g.vet || e.AccountID != g.north || e.Subject != "task:"+string(s.ID) || e.Outcome != "ok" {
			t.Errorf("audit entry %+v", e)
		}
		got = append(got, e.Action)
	}
	if diff := cmp.Diff([]string{"task.edit", "task.status", "task.status", "task.delete"}, got); diff != "" {
		t.Errorf("audited actions (-want +got):\n%s", diff)
	}
}

// Rows come overdue first, then by due date, then by priority, without due date last; pages
// follow each other without gaps or repeats.
func TestOrderAndPaging(t *testing.T) {
	g := newGroup(t, true)
	g.clock.Add(24 * time.Hour) // t0 + 1 day is now: earlier due dates are overdue
	mk := func(acct vetshare.AccountID, title string, due time.Time, p vetshare.Priority) vetshare.TaskID {
		return g.create(g.boss, acct, tasks.Draft{Title: title, Assignee: g.vet, Due: due, Priority: p}).ID
	}
	want := []vetshare.TaskID{
		mk(g.south, "overdue a", t0, vetshare.PriorityLow),
		mk(g.north, "overdue b urgent", t0.Add(time.Hour), vetshare.PriorityUrgent),
		mk(g.north, "overdue b low", t0.Add(time.Hour), vetshare.PriorityLow),
		mk(g.south, "soon urgent", t0.Add(48*time.Hour), vetshare.PriorityUrgent),
		mk(g.north, "soon high", t0.Add(48*time.Hour), vetshare.PriorityHigh),
		mk(g.north, "later", t0.Add(96*time.Hour), vetshare.PriorityLow),
		mk(g.south, "whenever urgent", time.Time{}, vetshare.PriorityUrgent),
		mk(g.north, "whenever", time.Time{}, vetshare.PriorityNormal),
	}
	as := vetshare.Actor{User: g.vet, Account: g.north}
	for _, limit := range []int{1, 2, 3, 8, 20} {
		var got []vetshare.TaskID
		var overdue []bool
		q, page := tasks.AssignedQuery{Clinics: tasks.Selection{All: true}}, vetshare.Page{Limit: limit}
		for range 20 {
			p, err := g.assignedPage(as, q, page)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, ids(p.Rows)...)
			for _, r := range p.Rows {
				overdue = append(overdue, r.Overdue)
			}
			if p.Next == "" {
				break
			}
			page.After = p.Next
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("limit %d (-want +got):\n%s", limit, diff)
		}
		if diff := cmp.Diff([]bool{true, true, true, false, false, false, false, false}, overdue); diff != "" {
			t.Errorf("limit %d: overdue (-want +got):\n%s", limit, diff)
		}
	}
	// Completed tasks are listed apart.
	g.update(func(tx *vetshare.Tx) error { _, _, err := tasks.Complete(g.ctx, tx, as, want[1]); return err })
	p, err := g.assigned(as, tasks.AssignedQuery{Clinics: tasks.Selection{All: true}, Completed: true})
	if err != nil || !cmp.Equal([]vetshare.TaskID{want[1]}, ids(p.Rows)) || p.Rows[0].Overdue {
		t.Errorf("completed list = %v, %v", ids(p.Rows), err)
	}
}

func TestStatusTransitions(t *testing.T) {
	g := newGroup(t, true)
	task := g.create(g.boss, g.north, tasks.Draft{Title: "t", Assignee: g.vet})
	as := vetshare.Actor{User: g.vet, Account: g.north}
	steps := []struct {
		name string
		do   func(*vetshare.Tx) (vetshare.Task, error)
		want vetshare.TaskStatus
		err  error
	}{
		{"reopen an open task", func(tx *vetshare.Tx) (vetshare.Task, error) { return tasks.Reopen(g.ctx, tx, as, task.ID) }, "", vetshare.ErrConflict},
		{"start", func(tx *vetshare.Tx) (vetshare.Task, error) { return tasks.Start(g.ctx, tx, as, task.ID) }, vetshare.TaskInProgress, nil},
		{"start again", func(tx *vetshare.Tx) (vetshare.Task, error) { return tasks.Start(g.ctx, tx, as, task.ID) }, "", vetshare.ErrConflict},
		{"back to open", func(tx *vetshare.Tx) (vetshare.Task, error) { return tasks.Reopen(g.ctx, tx, as, task.ID) }, vetshare.TaskOpen, nil},
		{"complete", func(tx *vetshare.Tx) (vetshare.Task, error) {
			d, _, err := tasks.Complete(g.ctx, tx, as, task.ID)
			return d, err
		}, vetshare.TaskCompleted, nil},
		{"complete again", func(tx *vetshare.Tx) (vetshare.Task, error) {
			d, _, err := tasks.Complete(g.ctx, tx, as, task.ID)
			return d, err
		}, "", vetshare.ErrConflict},
		{"start a completed task", func(tx *vetshare.Tx) (vetshare.Task, error) { return tasks.Start(g.ctx, tx, as, task.ID) }, "", vetshare.ErrConflict},
		{"reopen", func(tx *vetshare.Tx) (vetshare.Task, error) { return tasks.Reopen(g.ctx, tx, as, task.ID) }, vetshare.TaskOpen, nil},
	}
	for _, s := range steps {
		var got vetshare.Task
		err := g.try(func(tx *vetshare.Tx) error {
			var err error
			got, err = s.do(tx)
			return err
		})
		if !errors.Is(err, s.err) || s.err == nil && err != nil {
			t.Fatalf("%s: %v, want %v", s.name, err, s.err)
		}
		if err == nil && (got.Status != s.want || g.task(task.ID).Status != s.want) {
			t.Fatalf("%s: status %s, want %s", s.name, got.Status, s.want)
		}
		if s.want != vetshare.TaskCompleted && err == nil && !got.CompletedAt.IsZero() {
			t.Errorf("%s: CompletedAt %v", s.name, got.CompletedAt)
		}
	}
}
