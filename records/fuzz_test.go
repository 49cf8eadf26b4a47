package records_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/driver"
	"github.com/vetshare/vetshare/internal/fixture"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/sharing"
	"github.com/vetshare/vetshare/tasks"
)

// FuzzTimeRoundTrip, R11.1: a time CheckTime accepts, stored as a birth date (when not in the
// future) or as a task's due date (years 1900 to 9999), reads back exactly as vetshare.Time
// makes it; a time it refuses is refused by the operation with ErrInvalid. One store per
// fuzz worker.
func FuzzTimeRoundTrip(f *testing.F) {
	fx := fixture.New(f, fixture.Options{Accounts: 1})
	c, _ := fx.Client(f, 0, "Rogers", "Shaggy")
	for _, at := range []time.Time{{}, fixture.Start(), time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(0, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(1969, 12, 31, 23, 59, 59, 999999, time.UTC), time.Date(2026, 1, 5, 9, 0, 0, 1, time.UTC)} {
		f.Add(at.Unix(), int64(at.Nanosecond()), int32(0))
	}
	f.Add(int64(-300000*366*86400), int64(0), int32(3600))
	f.Fuzz(func(t *testing.T, sec, nsec int64, offset int32) {
		at := time.Unix(sec, nsec).In(time.FixedZone("", int(offset)))
		if sec == 0 && nsec == 0 {
			at = time.Time{} // the zero time, which means none
		}
		ok := vetshare.CheckTime("At", at) == nil
		actor := fx.Actor(0)
		// As a birth date.
		var p vetshare.Patient
		var err error
		before := fx.Clock.Now()
		fx.Update(t, func(tx *vetshare.Tx) error {
			p, err = records.AddPatient(ctx, tx, actor, vetshare.Patient{ClientID: c.ID, Name: "Rex", Species: "dog", BirthDate: at})
			return nil
		})
		future := at.After(before)
		switch {
		case ok && future && !at.After(fx.Clock.Now()):
			// Within the microseconds the transaction took its time: either answer is right.
		case !ok || future:
			if !errors.Is(err, vetshare.ErrInvalid) {
				t.Fatalf("birth date %v (accepted by CheckTime: %v): %v, want ErrInvalid", at, ok, err)
			}
		case err != nil:
			t.Fatalf("birth date %v: %v", at, err)
		default:
			var got vetshare.Patient
			fx.View(t, func(tx *vetshare.Tx) error { got, err = records.Patient(ctx, tx, actor, p.ID); return err })
			if want := storedTime(at); got.BirthDate != want {
				t.Fatalf("birth date %v reads back as %v, want %v", at, got.BirthDate, want)
			}
		}
		// As a due date.
		if !ok || at.IsZero() || at.UTC().Year() < 1900 {
			return
		}
		var task vetshare.Task
		fx.Update(t, func(tx *vetshare.Tx) error {
			task, err = tasks.Create(ctx, tx, actor, tasks.Draft{Title: "Call back", Assignee: fx.Admin.ID, Due: at})
			return err
		})
		var row tasks.Detail
		fx.View(t, func(tx *vetshare.Tx) error { row, err = tasks.Get(ctx, tx, actor, task.ID); return err })
		if want := storedTime(at); row.Task.Due != want {
			t.Fatalf("due date %v reads back as %v, want %v", at, row.Task.Due, want)
		}
	})
}

// storedTime is what a store gives back for t: the zero time, or vetshare.Time(t).
func storedTime(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return vetshare.Time(t)
}

// FuzzClientSearch, R2.3: a client whose names are accepted is found in its account's list by
// any prefix of its last name, of its first name or of "last, first" as typed, in capitals too.
// One store per fuzz worker, with a new practice every 200 inputs to keep lists short.
func FuzzClientSearch(f *testing.F) {
	fx := fixture.New(f, fixture.Options{Accounts: 1})
	for _, s := range [][2]string{{"Müller", "Jörg"}, {"GROẞMANN", "Anna"}, {"O'Brien", "Seán"}, {"van der Berg", "Piet"},
		{"Nguyễn", "Thị"}, {"100% Pure", "_x_"}, {"\u212Bngstr\u00F6m", "\u212Aarl"}, {"Σίσυφος", "ς"}, {"Mül\u200Bler", "A\u030A"}} {
		f.Add(s[0], s[1], uint8(3))
	}
	n := 0
	f.Fuzz(func(t *testing.T, last, first string, cut uint8) {
		if n++; n%200 == 0 {
			fx = fx.Another(t, "Search", fixture.Options{Accounts: 1})
		}
		if accounts.CheckName("LastName", last) != nil || accounts.CheckName("FirstName", first) != nil {
			t.Skip("names the store refuses (accounts.CheckName is fuzzed by its own rules)")
		}
		c, _ := fx.Client(t, 0, last, first)
		last, first = strings.TrimSpace(last), strings.TrimSpace(first)
		for _, whole := range []string{last, first, last + ", " + first} {
			typed := runePrefix(whole, int(cut))
			if len(driver.SplitWords(typed)) == 0 && !strings.Contains(typed, "@") {
				// Nothing to search yet ("!" of "!0"): Clients refuses it, as R2.3's typed
				// errors ask, and the next letter or digit typed finds the client.
				continue
			}
			for _, q := range []string{typed, asciiUpper(typed)} {
				if !found(t, fx, q, c.ID) {
					t.Fatalf("client %q, %q not found by %q (folded %q; its key %q)", last, first, q,
						vetshare.FoldName(q), vetshare.NameKey(last, first))
				}
			}
		}
	})
}

// runePrefix returns the first n runes of s, all of s when it has fewer.
func runePrefix(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

func asciiUpper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// found reports whether the list of account 0's clients for prefix holds id, paging through it.
func found(t *testing.T, fx *fixture.Fixture, prefix string, id vetshare.ClientID) bool {
	var ok bool
	fx.View(t, func(tx *vetshare.Tx) error {
		page := vetshare.Page{Limit: vetshare.MaxLimit}
		for {
			rows, next, err := records.Clients(ctx, tx, fx.Actor(0), prefix, page)
			if err != nil {
				return err
			}
			if slices.ContainsFunc(rows, func(r records.ClientRow) bool { return r.ID == id }) {
				ok = true
				return nil
			}
			if next == "" {
				return nil
			}
			page.After = next
		}
	})
	return ok
}

// FuzzIsolationSequence, R3.3: the input is read as a sequence of operations across two
// owners, A with accounts 0 and 1, B with 2 and 3, on a new SQLite store: create clients,
// share them, add patients and records, enable share groups (across owners too, which must be
// refused), leave groups, and act with one owner's admin in the other owner's account. After
// every step each account lists and reads exactly the clients, patients and records the model
// says are shared with it; anything else, above all another owner's ids, is not found.
//
// One SQLite store per fuzz worker (opening and migrating one per input is what the time would
// go on), with two new owners for every input: the owners of earlier inputs are a third and
// more, whose clients no list of this input may show.
func FuzzIsolationSequence(f *testing.F) {
	// Each step is 3 bytes: the operation (byte % 7: 0 create, 1 share, 2 add a patient, 3 add a
	// record, 4 enable, 5 remove, 6 the other owner's admin), an account (byte % 4: 0 and 1 are
	// A's, 2 and 3 B's), and a client, patient or name index (for enable the second account,
	// and byte/4 even for automatic mode).
	f.Add([]byte{0, 0, 0, 1, 2, 0, 1, 1, 0, 2, 3, 0, 2, 0, 0, 3, 2, 0, 3, 0, 0, 6, 0, 0})          // no group: every other account is refused
	f.Add([]byte{4, 0, 1, 0, 0, 3, 2, 1, 0, 3, 1, 0, 5, 1, 0, 0, 0, 1, 1, 1, 1, 1, 2, 0})          // A0+A1 automatic, A1 leaves
	f.Add([]byte{4, 0, 2, 4, 2, 7, 0, 2, 5, 1, 3, 0, 0, 1, 0, 1, 3, 1, 6, 2, 0, 4, 0, 5, 1, 0, 1}) // A0+B2 refused, B2+B3 manual
	f.Add([]byte{4, 1, 0, 4, 0, 3, 0, 0, 0, 0, 1, 2, 5, 0, 0, 5, 0, 0, 0, 3, 4, 2, 3, 1, 6, 3, 0}) // A0 with B3 refused, leaving twice
	base := fixture.New(f, fixture.Options{Accounts: 1})
	earlier := &foreign{}
	f.Fuzz(func(t *testing.T, ops []byte) {
		if len(ops) > 60 {
			ops = ops[:60] // a few dozen steps find what more would; each is checked in full
		}
		s := newFuzzWorld(t, base)
		s.earlier = earlier
		for len(ops) > 0 {
			op, arg := ops[0]%7, ops[1:]
			ops = ops[min(len(ops), 3):]
			a := func(i int) int { // an argument byte as an account index
				if i < len(arg) {
					return int(arg[i]) % 4
				}
				return 0
			}
			b := func(i int) int {
				if i < len(arg) {
					return int(arg[i])
				}
				return 0
			}
			switch op {
			case 0:
				s.createClient(t, a(0), b(1))
			case 1:
				s.share(t, a(0), b(1))
			case 2:
				s.addPatient(t, a(0), b(1))
			case 3:
				s.addRecord(t, a(0), b(1))
			case 4:
				s.enable(t, a(0), a(1), b(1)/4%2 == 0)
			case 5:
				s.remove(t, a(0))
			case 6:
				s.mixedActor(t, a(0))
			}
			s.check(t)
		}
		// Keep a few of this input's ids, for the next inputs to be refused.
		earlier.clients = keep(earlier.clients, s.clients...)
		earlier.patients = keep(earlier.patients, s.patients...)
		for _, r := range s.recs {
			earlier.records = keep(earlier.records, r...)
		}
	})
}

// foreign holds ids of owners of earlier inputs: never found by this input's accounts.
type foreign struct {
	clients  []vetshare.ClientID
	patients []vetshare.PatientID
	records  []vetshare.RecordID
}

// keep appends ids to the last 10 kept.
func keep[T any](kept []T, ids ...T) []T {
	kept = append(kept, ids...)
	return kept[max(0, len(kept)-10):]
}

// fuzzWorld is a store with two owners and the model of what each of their accounts may see.
type fuzzWorld struct {
	owners   [2]*fixture.Fixture
	accounts [4]vetshare.AccountID
	group    [4]int // the account's group in the model; 0 is none
	mode     map[int]vetshare.Mode
	groups   int
	entries  [4]map[vetshare.ClientID]bool
	clients  []vetshare.ClientID
	patients []vetshare.PatientID
	client   map[vetshare.PatientID]vetshare.ClientID
	recs     map[vetshare.PatientID][]vetshare.RecordID
	earlier  *foreign
}

func newFuzzWorld(t *testing.T, base *fixture.Fixture) *fuzzWorld {
	a := base.Another(t, "Riverside", fixture.Options{Accounts: 2})
	b := base.Another(t, "Other Group", fixture.Options{Accounts: 2})
	w := &fuzzWorld{owners: [2]*fixture.Fixture{a, b}, mode: map[int]vetshare.Mode{},
		client: map[vetshare.PatientID]vetshare.ClientID{}, recs: map[vetshare.PatientID][]vetshare.RecordID{}}
	for i := range 4 {
		w.accounts[i] = w.owners[i/2].Accounts[i%2].ID
		w.entries[i] = map[vetshare.ClientID]bool{}
	}
	return w
}

// actor is the admin of account i's owner, in account i.
func (w *fuzzWorld) actor(i int) vetshare.Actor { return w.owners[i/2].Actor(i % 2) }

func (w *fuzzWorld) members(g int) []int {
	var out []int
	for i, x := range w.group {
		if g != 0 && x == g {
			out = append(out, i)
		}
	}
	return out
}

var fuzzNames = []string{"Müller", "Muller", "Smith", "Ödegaard", "Núñez", "Ng", "O'Brien", "GROẞMANN"}

func (w *fuzzWorld) createClient(t *testing.T, i, name int) {
	c, _ := w.owners[i/2].Client(t, i%2, fuzzNames[name%len(fuzzNames)], "X")
	w.clients = append(w.clients, c.ID)
	w.entries[i][c.ID] = true
	if g := w.group[i]; g != 0 && w.mode[g] == vetshare.ModeAutomatic {
		for _, j := range w.members(g) {
			w.entries[j][c.ID] = true
		}
	}
}

// pick returns the n-th of ids, cycling, or false when there are none.
func pick[T any](ids []T, n int) (T, bool) {
	var zero T
	if len(ids) == 0 {
		return zero, false
	}
	return ids[n%len(ids)], true
}

func (w *fuzzWorld) share(t *testing.T, i, n int) {
	c, ok := pick(w.clients, n)
	if !ok {
		return
	}
	var err error
	w.owners[0].Update(t, func(tx *vetshare.Tx) error { _, err = sharing.ShareClient(ctx, tx, w.actor(i), c); return nil })
	want := w.entries[i][c]
	for _, j := range w.members(w.group[i]) {
		want = want || w.entries[j][c]
	}
	if (err == nil) != want || err != nil && !errors.Is(err, vetshare.ErrNotFound) {
		t.Fatalf("account %d shares client %s: %v, want allowed=%v (refused as not found)", i, c, err, want)
	}
	if want {
		w.entries[i][c] = true
	}
}

func (w *fuzzWorld) addPatient(t *testing.T, i, n int) {
	c, ok := pick(w.clients, n)
	if !ok {
		return
	}
	var p vetshare.Patient
	var err error
	w.owners[0].Update(t, func(tx *vetshare.Tx) error {
		p, err = records.AddPatient(ctx, tx, w.actor(i), vetshare.Patient{ClientID: c, Name: "Rex", Species: "dog"})
		return nil
	})
	if (err == nil) != w.entries[i][c] || err != nil && !errors.Is(err, vetshare.ErrNotFound) {
		t.Fatalf("account %d adds a patient to client %s: %v, want allowed=%v", i, c, err, w.entries[i][c])
	}
	if err == nil {
		w.patients = append(w.patients, p.ID)
		w.client[p.ID] = c
	}
}

func (w *fuzzWorld) addRecord(t *testing.T, i, n int) {
	p, ok := pick(w.patients, n)
	if !ok {
		return
	}
	var r vetshare.Record
	var err error
	w.owners[0].Update(t, func(tx *vetshare.Tx) error {
		r, err = records.AddRecord(ctx, tx, w.actor(i), vetshare.Record{PatientID: p, Kind: vetshare.RecordNote, Text: "n"})
		return nil
	})
	want := w.entries[i][w.client[p]]
	if (err == nil) != want || err != nil && !errors.Is(err, vetshare.ErrNotFound) {
		t.Fatalf("account %d adds a record to patient %s: %v, want allowed=%v", i, p, err, want)
	}
	if err == nil {
		w.recs[p] = append(w.recs[p], r.ID)
	}
}

// enable asks, as the admin of account i's owner, from account i's address, to share between
// accounts i and j: approved only for two accounts of one owner not in two different groups.
func (w *fuzzWorld) enable(t *testing.T, i, j int, automatic bool) {
	if i == j {
		return
	}
	mode := vetshare.ModeManual
	if automatic {
		mode = vetshare.ModeAutomatic
	}
	fx := w.owners[i/2]
	req := fx.Request(sharing.ActionEnable, mode, w.accounts[i], w.accounts[j])
	req.From = fx.Accounts[i%2].Email
	var d sharing.Decision
	fx.Update(t, func(tx *vetshare.Tx) error { var err error; d, err = sharing.Enable(ctx, tx, req); return err })
	gi, gj := w.group[i], w.group[j]
	want := i/2 == j/2 && (gi == 0 || gj == 0 || gi == gj)
	if d.Approved != want {
		t.Fatalf("enable %d and %d: approved %v, want %v (%v)", i, j, d.Approved, want, d.Err())
	}
	if !want {
		return
	}
	g := max(gi, gj)
	if g == 0 {
		w.groups++
		g = w.groups
		w.mode[g] = mode
	}
	w.group[i], w.group[j] = g, g
}

func (w *fuzzWorld) remove(t *testing.T, i int) {
	fx := w.owners[i/2]
	req := fx.Request(sharing.ActionRemove, "", w.accounts[i])
	req.From = fx.Accounts[i%2].Email
	var res sharing.RemoveResult
	fx.Update(t, func(tx *vetshare.Tx) error { var err error; res, err = sharing.Remove(ctx, tx, req); return err })
	if res.Approved != (w.group[i] != 0) {
		t.Fatalf("remove %d: approved %v, in group %d", i, res.Approved, w.group[i])
	}
	w.group[i] = 0
}

// mixedActor acts as the admin of the other owner in account i: every read and write fails,
// and nothing changes (the next check shows it).
func (w *fuzzWorld) mixedActor(t *testing.T, i int) {
	other := w.owners[1-i/2]
	actor := vetshare.Actor{User: other.Admin.ID, Account: w.accounts[i]}
	w.owners[0].Update(t, func(tx *vetshare.Tx) error {
		if _, _, err := records.Clients(ctx, tx, actor, "", vetshare.Page{}); err == nil {
			t.Fatalf("the admin of the other owner lists account %d's clients", i)
		}
		for _, c := range w.clients {
			if _, _, err := records.Client(ctx, tx, actor, c); err == nil {
				t.Fatalf("the admin of the other owner reads client %s in account %d", c, i)
			}
			if _, err := records.AddPatient(ctx, tx, actor, vetshare.Patient{ClientID: c, Name: "Rex", Species: "dog"}); err == nil {
				t.Fatalf("the admin of the other owner adds a patient to client %s in account %d", c, i)
			}
		}
		return nil
	})
}

// check reads as every account: its list is exactly the model's clients, and every client,
// patient, history and record of both owners is found if and only if the model says so, and
// is otherwise not found (never another error, which would tell that it exists).
func (w *fuzzWorld) check(t *testing.T) {
	w.owners[0].View(t, func(tx *vetshare.Tx) error {
		for i := range 4 {
			act := w.actor(i)
			rows, _, err := records.Clients(ctx, tx, act, "", vetshare.Page{Limit: vetshare.MaxLimit})
			if err != nil {
				return err
			}
			var got, want []vetshare.ClientID
			for _, r := range rows {
				got = append(got, r.ID)
			}
			for c := range w.entries[i] {
				want = append(want, c)
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("account %d lists %v, want %v", i, got, want)
			}
			seen := func(what string, id any, visible bool, err error) {
				t.Helper()
				if (err == nil) != visible || err != nil && !errors.Is(err, vetshare.ErrNotFound) {
					t.Fatalf("account %d reads %s %v: %v, want visible=%v, else not found", i, what, id, err, visible)
				}
			}
			for _, c := range w.clients {
				_, _, err := records.Client(ctx, tx, act, c)
				seen("client", c, w.entries[i][c], err)
			}
			for _, c := range w.earlier.clients {
				_, _, err := records.Client(ctx, tx, act, c)
				seen("an earlier owner's client", c, false, err)
			}
			for _, p := range w.earlier.patients {
				_, err := records.Patient(ctx, tx, act, p)
				seen("an earlier owner's patient", p, false, err)
			}
			for _, r := range w.earlier.records {
				_, err := records.Record(ctx, tx, act, r)
				seen("an earlier owner's record", r, false, err)
			}
			for _, p := range w.patients {
				visible := w.entries[i][w.client[p]]
				_, err := records.Patient(ctx, tx, act, p)
				seen("patient", p, visible, err)
				hist, _, err := records.History(ctx, tx, act, records.HistoryQuery{Patient: p}, vetshare.Page{Limit: vetshare.MaxLimit})
				seen("the history of patient", p, visible, err)
				if visible && len(hist) != len(w.recs[p]) {
					t.Fatalf("account %d sees %d records of patient %s, want %d", i, len(hist), p, len(w.recs[p]))
				}
				for _, r := range w.recs[p] {
					_, err := records.Record(ctx, tx, act, r)
					seen("record", r, visible, err)
				}
			}
		}
		return nil
	})
}
