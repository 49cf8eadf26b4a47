// Package vetsharetest is what a host's tests use to set up vetshare: a real SQLite store in the
// test's temporary directory, a clock the test moves, and builders for an owner's clinics, users,
// clients, items and tasks. Every function takes the test's [testing.TB], marks itself a helper
// and fails the test on error, so a test reads as a list of the things it needs:
//
//	s := vetsharetest.Open(t)
//	p := s.NewPractice(t, 2, vetshare.ModeAutomatic)
//	c, _, pets := p.Client(t, p.Actor(0), vetshare.Client{LastName: "Rogers"}, vetshare.Patient{Name: "Scooby"})
//	s.Clock.Add(24 * time.Hour)
//
// The builders call the public operations, so the data they make obeys every rule, as the
// host's own would. Names, emails and time zones are filled in where a test leaves them empty.
//
// # The store engine
//
// [Open] opens SQLite. vetshare's own tests run on PostgreSQL too: built with -tags vetshare_pg,
// with VETSHARE_PG_DSN and VETSHARE_PG_OWNER_DSN set (.ci/postgres prints them), every [Open]
// gets a new PostgreSQL database instead, a copy of a migrated template, dropped when the test
// ends; [Store.Engine] is then a *postgres.Store and the embedded *sqlite.Store is nil.
// [OpenFile] names a file and always opens SQLite.
//
// Without the tag, [Open] is SQLite whatever the environment says (the sqlite package's own
// tests, for one, must stay on SQLite while PostgreSQL's variables are set). With the tag, a
// test binary that cannot open PostgreSQL (its package lacks the pg_test.go below, or the
// variables are not set) fails every [Open] with a message saying so, rather than passing on
// SQLite while PostgreSQL was asked for.
//
// Why a tag, and why the choice is not made in this package: the opener for PostgreSQL imports
// the nested module github.com/vetshare/vetshare/postgres (pgx with it), which this module must
// never require, or a host using SQLite only would find pgx in its module graph. go mod tidy
// reads files of every build tag, so an import of it from this package, even behind a tag, would
// make a host's go mod tidy add the postgres module to the host's go.mod as soon as the host's
// tests import vetsharetest. So the import is in vetshare's internal packages and its own test
// files only (internal/pgengine, and a pg_test.go in each tested package), which a host's build
// never reads; this package only calls the hook they set (internal/testengine). The price is
// paid by vetshare's developers alone: go mod tidy in vetshare's root module cannot resolve the
// import (go.work does not apply to tidy) and must run as `go mod tidy -e`, which leaves go.mod
// without the postgres module, as it must stay (.ci/run checks it). A host that wants its own
// tests on PostgreSQL opens a store with github.com/vetshare/vetshare/postgres/pgtest.
package vetsharetest

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/internal/testengine"
	"github.com/vetshare/vetshare/inventory"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/sharing"
	"github.com/vetshare/vetshare/sqlite"
	"github.com/vetshare/vetshare/tasks"
)

// Start returns the time the clock of a store from [Open] starts at: Monday 5 January 2026,
// 09:00 UTC.
func Start() time.Time { return time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC) }

// Store is a store for one test, with the clock that gives its transactions their time.
// Engine is what the host's code under test takes as a [vetshare.Store]. The embedded
// [*sqlite.Store] is the same store when it is SQLite, and nil when it is not (see the package
// documentation).
type Store struct {
	*sqlite.Store
	// Engine is the store: the embedded *sqlite.Store, or a PostgreSQL store. A Store made
	// with Engine nil uses the embedded *sqlite.Store.
	Engine vetshare.Store
	// Clock starts at Start and moves on by a microsecond at every transaction; the test moves
	// it further with Clock.Add or Clock.Set, and never sleeps.
	Clock *vetshare.TickClock
	// Path is the database file; empty when the store is not SQLite.
	Path string
}

// Open opens a new store in tb.TempDir(), closed when the test ends; for vetshare's own tests
// built with -tags vetshare_pg, a new PostgreSQL database instead (see the package
// documentation). Built with that tag, it fails the test when the test binary cannot open
// PostgreSQL.
func Open(tb testing.TB) *Store {
	tb.Helper()
	if testengine.Open != nil {
		clock := vetshare.NewTickClock(Start())
		return &Store{Engine: testengine.Open(tb, clock), Clock: clock}
	}
	if pgTagged {
		tb.Fatal("vetsharetest: built with -tags vetshare_pg, but this test binary cannot open PostgreSQL: " +
			"its package needs a pg_test.go importing github.com/vetshare/vetshare/internal/pgengine under that tag")
	}
	return OpenFile(tb, filepath.Join(tb.TempDir(), "vetshare.db"))
}

// EngineName returns the name of the store's engine: "sqlite" or "postgres".
func (s *Store) EngineName() string {
	if s.Store != nil {
		return "sqlite"
	}
	return testengine.Name
}

// Update runs fn in a read-write transaction of the store; see [vetshare.Store].
func (s *Store) Update(ctx context.Context, fn func(*vetshare.Tx) error) error {
	return s.engine().Update(ctx, fn)
}

// View runs fn in a read-only transaction of the store; see [vetshare.Store].
func (s *Store) View(ctx context.Context, fn func(*vetshare.Tx) error) error {
	return s.engine().View(ctx, fn)
}

// engine returns Engine, or the embedded SQLite store for a Store made without it (a Store
// literal naming only the embedded store, as written before Engine existed).
func (s *Store) engine() vetshare.Store {
	if s.Engine == nil {
		return s.Store
	}
	return s.Engine
}

// OpenFile opens the store in the file at path, created when it does not exist, closed when the
// test ends. Its clock starts at Start.
func OpenFile(tb testing.TB, path string) *Store {
	tb.Helper()
	clock := vetshare.NewTickClock(Start())
	st, err := sqlite.Open(context.Background(), path, sqlite.WithClock(clock))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return &Store{Store: st, Engine: st, Clock: clock, Path: path}
}

// MustUpdate runs fn in a read-write transaction and fails the test when it returns an error.
func (s *Store) MustUpdate(tb testing.TB, fn func(tx *vetshare.Tx) error) {
	tb.Helper()
	if err := s.Update(context.Background(), fn); err != nil {
		tb.Fatal(err)
	}
}

// MustView runs fn in a read-only transaction and fails the test when it returns an error.
func (s *Store) MustView(tb testing.TB, fn func(tx *vetshare.Tx) error) {
	tb.Helper()
	if err := s.View(context.Background(), fn); err != nil {
		tb.Fatal(err)
	}
}

// Practice is an owner with its clinics, and an admin, Ada, who has the owner role and every
// permission in each of them and may request sharing.
type Practice struct {
	Owner vetshare.Owner
	// Clinics are the owner's accounts: "Clinic A", "Clinic B", ... with the verified emails
	// clinica@riverside.example, ..., in America/Chicago, in USD.
	Clinics []vetshare.Account
	Admin   vetshare.User
	// Group is the share group of the clinics, empty when they share nothing.
	Group vetshare.GroupID

	// Store is where the practice lives; its builders can be called on the practice.
	*Store
}

// NewPractice creates the owner "Riverside Veterinary Group" with n clinics and its admin, and,
// when mode is not empty, puts every clinic in one share group of that mode by an approved
// request of the admin. It fails the test when n is below 1.
func (s *Store) NewPractice(tb testing.TB, n int, mode vetshare.Mode) *Practice {
	tb.Helper()
	return s.NewPracticeNamed(tb, "Riverside Veterinary Group", n, mode)
}

// NewPracticeNamed is [Store.NewPractice] for an owner named name: tests of isolation between
// owners build two practices in one store.
func (s *Store) NewPracticeNamed(tb testing.TB, name string, n int, mode vetshare.Mode) *Practice {
	tb.Helper()
	if n < 1 {
		tb.Fatalf("vetsharetest: a practice needs at least one clinic, not %d", n)
	}
	p := &Practice{Store: s}
	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		ctx := context.Background()
		var err error
		if p.Owner, err = accounts.CreateOwner(ctx, tx, vetshare.Owner{Name: name}); err != nil {
			return err
		}
		if p.Admin, err = accounts.CreateUser(ctx, tx, vetshare.User{Name: "Ada Admin", Email: "ada@riverside.example", EmailVerified: true, Active: true}); err != nil {
			return err
		}
		for i := range n {
			a, err := accounts.CreateAccount(ctx, tx, vetshare.Account{
				OwnerID: p.Owner.ID, Name: fmt.Sprintf("Clinic %c", 'A'+i), Email: fmt.Sprintf("clinic%c@riverside.example", 'a'+i),
				EmailVerified: true, TimeZone: "America/Chicago", Currency: "USD",
			})
			if err != nil {
				return err
			}
			p.Clinics = append(p.Clinics, a)
			if err := accounts.Grant(ctx, tx, vetshare.Membership{UserID: p.Admin.ID, AccountID: a.ID, Role: vetshare.RoleOwner, Permissions: vetshare.PermAll, Active: true}); err != nil {
				return err
			}
		}
		return nil
	})
	if mode != "" {
		p.Group = p.Share(tb, mode, p.ClinicIDs()...)
	}
	return p
}

// ClinicIDs returns the ids of the practice's clinics, in order.
func (p *Practice) ClinicIDs() []vetshare.AccountID {
	ids := make([]vetshare.AccountID, len(p.Clinics))
	for i, a := range p.Clinics {
		ids[i] = a.ID
	}
	return ids
}

// Actor returns the admin logged into clinic i.
func (p *Practice) Actor(i int) vetshare.Actor {
	return vetshare.Actor{User: p.Admin.ID, Account: p.Clinics[i].ID}
}

// Request returns a sharing request of the admin for the accounts that is valid in writing: by
// email, from the address on file of the first account named.
func (p *Practice) Request(action sharing.Action, mode vetshare.Mode, ids ...vetshare.AccountID) sharing.Request {
	from := p.Clinics[0]
	for _, a := range p.Clinics {
		if len(ids) > 0 && a.ID == ids[0] {
			from = a
		}
	}
	return sharing.Request{Action: action, Accounts: ids, Mode: mode, Requester: p.Admin.ID,
		Channel: sharing.ChannelEmail, From: `"Front Desk" <` + from.Email + `>`, Reference: "msg-1"}
}

// Share approves the admin's request to share records between the accounts in mode (R1.6) and
// returns their group. It fails the test when the request is rejected.
func (p *Practice) Share(tb testing.TB, mode vetshare.Mode, ids ...vetshare.AccountID) vetshare.GroupID {
	tb.Helper()
	var d sharing.Decision
	p.MustUpdate(tb, func(tx *vetshare.Tx) error {
		var err error
		d, err = sharing.Enable(context.Background(), tx, p.Request(sharing.ActionEnable, mode, ids...))
		return err
	})
	if !d.Approved {
		tb.Fatalf("vetsharetest: sharing request rejected: %v", d.Err())
	}
	return d.Group
}

// User creates an active user with a verified email name@riverside.example and grants it role
// and perms in each clinic whose index is given.
func (p *Practice) User(tb testing.TB, name string, role vetshare.Role, perms vetshare.Permissions, clinics ...int) vetshare.User {
	tb.Helper()
	var u vetshare.User
	p.MustUpdate(tb, func(tx *vetshare.Tx) error {
		ctx := context.Background()
		var err error
		if u, err = accounts.CreateUser(ctx, tx, vetshare.User{Name: name, Email: name + "@riverside.example", EmailVerified: true, Active: true}); err != nil {
			return err
		}
		for _, i := range clinics {
			if err := accounts.Grant(ctx, tx, vetshare.Membership{UserID: u.ID, AccountID: p.Clinics[i].ID, Role: role, Permissions: perms, Active: true}); err != nil {
				return err
			}
		}
		return nil
	})
	return u
}

// Client creates c at the actor's account, with the patients given, in one transaction, and
// returns the client, its entry there and the patients. An empty LastName is "Rogers", an empty
// patient Species "dog".
func (s *Store) Client(tb testing.TB, actor vetshare.Actor, c vetshare.Client, patients ...vetshare.Patient) (vetshare.Client, vetshare.ClientEntry, []vetshare.Patient) {
	tb.Helper()
	if c.LastName == "" {
		c.LastName = "Rogers"
	}
	var e vetshare.ClientEntry
	var ps []vetshare.Patient
	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		ctx := context.Background()
		var err error
		var es []vetshare.ClientEntry
		if c, es, err = records.CreateClient(ctx, tx, actor, c); err != nil {
			return err
		}
		e = es[0]
		ps = ps[:0]
		for _, p := range patients {
			p.ClientID = c.ID
			if p.Species == "" {
				p.Species = "dog"
			}
			if p, err = records.AddPatient(ctx, tx, actor, p); err != nil {
				return err
			}
			ps = append(ps, p)
		}
		return nil
	})
	return c, e, ps
}

// Item creates it in the catalogue of the actor's account, with its reminder rules, and returns
// it. An empty Kind is a product.
func (s *Store) Item(tb testing.TB, actor vetshare.Actor, it vetshare.Item) vetshare.Item {
	tb.Helper()
	if it.Kind == "" {
		it.Kind = vetshare.ItemProduct
	}
	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		var err error
		it, err = inventory.CreateItem(context.Background(), tx, actor, it)
		return err
	})
	return it
}

// Task creates the task d in the actor's account and returns it. An empty Title is "Call back",
// an empty Assignee the actor.
func (s *Store) Task(tb testing.TB, actor vetshare.Actor, d tasks.Draft) vetshare.Task {
	tb.Helper()
	if d.Title == "" {
		d.Title = "Call back"
	}
	if d.Assignee == "" {
		d.Assignee = actor.User
	}
	var t vetshare.Task
	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		var err error
		t, err = tasks.Create(context.Background(), tx, actor, d)
		return err
	})
	return t
}
