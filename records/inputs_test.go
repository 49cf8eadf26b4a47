package records_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"

	"pgregory.net/rapid"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/internal/fixture"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/sharing"
	"github.com/vetshare/vetshare/sqlite"
)

// snapshot hashes every row of every table, to show a failed operation changed nothing.
func snapshot(t *testing.T, db *sql.DB) string {
	t.Helper()
	rows, err := db.Query(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	h := sha256.New()
	for _, tbl := range tables {
		rs, err := db.Query(`SELECT * FROM "` + tbl + `"`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rs.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rs.Next() {
			rs.Scan(ptrs...)
			fmt.Fprintf(h, "%s%v\n", tbl, vals)
		}
		rs.Close()
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// R11.1: bad input gets a typed error and changes nothing.
func TestR11_1BadInputChangesNothing(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 2, Mode: vetshare.ModeManual})
	c, _ := f.Client(t, 0, "Rogers", "Shaggy")
	p := f.Patient(t, 0, c.ID, "Scooby", "dog")
	other := fixture.New(t, fixture.Options{Accounts: 1})
	foreignAccount := other.Accounts[0].ID
	a := f.Actor(0)
	cases := []struct {
		name string
		want error
		op   func(tx *vetshare.Tx) error
	}{
		{"EmptyOwnerName", vetshare.ErrInvalid, func(tx *vetshare.Tx) error {
			_, err := accounts.CreateOwner(ctx, tx, vetshare.Owner{Name: " "})
			return err
		}},
		{"BadTimeZone", vetshare.ErrInvalid, func(tx *vetshare.Tx) error {
			_, err := accounts.CreateAccount(ctx, tx, vetshare.Account{OwnerID: f.Owner.ID, Name: "X", Email: "x@x.example", TimeZone: "Mars/Olympus_Mons", Currency: "USD"})
			return err
		}},
		{"BadCurrency", vetshare.ErrInvalid, func(tx *vetshare.Tx) error {
			_, err := accounts.CreateAccount(ctx, tx, vetshare.Account{OwnerID: f.Owner.ID, Name: "X", Email: "x@x.example", TimeZone: "UTC", Currency: "dollars"})
			return err
		}},
		{"BadAccountEmail", vetshare.ErrInvalid, func(tx *vetshare.Tx) error {
			_, err := accounts.CreateAccount(ctx, tx, vetshare.Account{OwnerID: f.Owner.ID, Name: "X", Email: "not-an-email", TimeZone: "UTC", Currency: "USD"})
			return err
		}},
		{"UnknownOwner", vetshare.ErrNotFound, func(tx *vetshare.Tx) error {
			_, err := accounts.CreateAccount(ctx, tx, vetshare.Account{OwnerID: vetshare.NewID[vetshare.OwnerID](tx.Now()), Name: "X", Email: "x@x.example", TimeZone: "UTC", Currency: "USD"})
			return err
		}},
		{"BadUserEmail", vetshare.ErrInvalid, func(tx *vetshare.Tx) error {
			_, err := accounts.CreateUser(ctx, tx, vetshare.User{Name: "U", Email: "@@"})
			return err
		}},
		{"BadRole", vetshare.ErrInvalid, func(tx *vetshare.Tx) error {
			return accounts.Grant(ctx, tx, vetshare.Membership{UserID: f.Admin.ID, AccountID: f.Accounts[0].ID, Role: "king"})
		}},
		{"EmptyLastName", vetshare.ErrInvalid, func(tx *vetshare.Tx) error {
			_, _, err := records.CreateClient(ctx, tx, a, vetshare.Client{FirstName: "Only"})
			return err
		}},
		{"BadClientEmail", vetshare.ErrInvalid, func(tx *vetshare.Tx) error {
			_, _, err := records.CreateClient(ctx, tx, a, vetshare.Client{LastName: "X", Email: "nope"})
			return err
		}},
		{"InvalidUTF8", vetshare.ErrInvalid, func(tx *vetshare.Tx) error {
			_, _, err := records.CreateClient(ctx, tx, a, vetshare.Client{LastName: "X\xff"})
			return err
		}},
		{"UnknownActorAccount", vetshare.ErrNotPermitted, func(tx *vetshare.Tx) error {
			_, _, err := records.CreateClient(ctx, tx, vetshare.Actor{User: f.Admin.ID, Account: vetshare.NewID[vetshare.AccountID](tx.Now())}, vetshare.Client{LastName: "X"})
			return err
		}},
		{"ForeignOwnerAccount", vetshare.ErrNotPermitted, func(tx *vetshare.Tx) error {
			_, _, err := records.CreateClient(ctx, tx, vetshare.Actor{User: f.Admin.ID, Account: foreignAccount}, vetshare.Client{LastName: "X"})
			return err
		}},
		{"MalformedActor", vetshare.ErrInvalid, func(tx *vetshare.Tx) error {
			_, _, err := records.CreateClient(ctx, tx, vetshare.Actor{User: "x\x00", Account: "y\x00"}, vetshare.Client{LastName: "X"})
			return err
		}},
		{"PatientWithoutSpecies", vetshare.ErrInvalid, func(tx *vetshare.Tx) error {
			_, err := records.AddPatient(ctx, tx, a, vetshare.Patient{ClientID: c.ID, Name: "Rex"})
			return err
		}},
		{"PatientOfUnknownClient", vetshare.ErrNotFound, func(tx *vetshare.Tx) error {
			_, err := records.AddPatient(ctx, tx, a, vetshare.Patient{ClientID: vetshare.NewID[vetshare.ClientID](tx.Now()), Name: "Rex", Species: "dog"})
			return err
		}},
		{"RecordBadKind", vetshare.ErrInvalid, func(tx *vetshare.Tx) error {
			_, err := records.AddRecord(ctx, tx, a, vetshare.Record{PatientID: p.ID, Kind: "poem", Text: "x"})
			return err
		}},
		{"RecordEmptyText", vetshare.ErrInvalid, func(tx *vetshare.Tx) error {
			_, err := records.AddRecord(ctx, tx, a, vetshare.Record{PatientID: p.ID, Kind: vetshare.RecordNote})
			return err
		}},
		{"StaleVersion", vetshare.ErrConflict, func(tx *vetshare.Tx) error {
			cl := c
			cl.Version = 0
			_, err := records.UpdateClient(ctx, tx, a, cl)
			return err
		}},
		{"ShareUnknownClient", vetshare.ErrNotFound, func(tx *vetshare.Tx) error {
			_, err := sharing.ShareClient(ctx, tx, f.Actor(1), vetshare.NewID[vetshare.ClientID](tx.Now()))
			return err
		}},
		{"HomeOfUnsharedAccount", vetshare.ErrInvalid, func(tx *vetshare.Tx) error {
			_, err := sharing.SetHomeLocation(ctx, tx, a, c.ID, f.Accounts[1].ID)
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := snapshot(t, f.RequireSQLite(t).DB())
			var opErr error
			err := f.Store.Update(ctx, func(tx *vetshare.Tx) error { opErr = tc.op(tx); return opErr })
			if !errors.Is(opErr, tc.want) || !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", opErr, tc.want)
			}
			if after := snapshot(t, f.RequireSQLite(t).DB()); after != before {
				t.Error("the database changed")
			}
		})
	}
}

// R11.2: an operation is atomic when the context is cancelled part way.
func TestR11_2AtomicOnCancel(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 3, Mode: vetshare.ModeAutomatic})
	before := snapshot(t, f.RequireSQLite(t).DB())
	cctx, cancel := context.WithCancel(ctx)
	err := f.Store.Update(cctx, func(tx *vetshare.Tx) error {
		if _, _, err := records.CreateClient(cctx, tx, f.Actor(0), vetshare.Client{LastName: "Half"}); err != nil {
			return err
		}
		cancel()
		_, _, err := records.CreateClient(cctx, tx, f.Actor(0), vetshare.Client{LastName: "Never"})
		return err
	})
	if err == nil {
		t.Fatal("Update succeeded after its context was cancelled")
	}
	if snapshot(t, f.RequireSQLite(t).DB()) != before {
		t.Error("a cancelled transaction left changes")
	}
}

// R11.2: an operation is atomic when the process dies part way: a child process writes inside a
// transaction and exits without committing; the parent finds nothing.
func TestR11_2AtomicOnProcessDeath(t *testing.T) {
	if path := os.Getenv("VETSHARE_DIE_IN_TX"); path != "" {
		s, err := sqlite.Open(ctx, path)
		if err != nil {
			os.Exit(2)
		}
		s.Update(ctx, func(tx *vetshare.Tx) error {
			accounts.CreateOwner(ctx, tx, vetshare.Owner{Name: "Half Written"})
			os.Exit(3)
			return nil
		})
		os.Exit(4)
	}
	f := fixture.New(t, fixture.Options{Accounts: 1})
	before := snapshot(t, f.RequireSQLite(t).DB())
	cmd := exec.Command(os.Args[0], "-test.run=^TestR11_2AtomicOnProcessDeath$")
	cmd.Env = append(os.Environ(), "VETSHARE_DIE_IN_TX="+f.Path)
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 {
		t.Fatalf("child: %v, want exit 3 inside the transaction", err)
	}
	if snapshot(t, f.RequireSQLite(t).DB()) != before {
		t.Error("a transaction of a dead process left changes")
	}
}

// R11.3: two stores on one file (as two processes would) write concurrently; the one that finds
// the file busy waits within its context, and nothing fails.
func TestR11_3BusyIsWaitedOn(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 1})
	fixture.SkipOnPostgres(t, "two SQLite stores on one file; the postgres module has its own concurrency tests")
	s2, err := sqlite.Open(ctx, f.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		s := vetshare.Store(f.Store)
		if i%2 == 1 {
			s = s2
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- s.Update(ctx, func(tx *vetshare.Tx) error {
				_, _, err := records.CreateClient(ctx, tx, f.Actor(0), vetshare.Client{LastName: fmt.Sprint("P", i)})
				return err
			})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent write: %v", err)
		}
	}
	var rows []records.ClientRow
	f.View(t, func(tx *vetshare.Tx) error {
		var err error
		rows, _, err = records.Clients(ctx, tx, f.Actor(0), "", vetshare.Page{Limit: 100})
		return err
	})
	if len(rows) != 40 {
		t.Errorf("%d clients, want 40", len(rows))
	}
}

// R11.4: nothing panics on any input; every refusal is one of the library's typed errors.
func TestR11_4NoPanicOnAnyInput(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 2, Mode: vetshare.ModeManual})
	c, _ := f.Client(t, 0, "Rogers", "Shaggy")
	typed := func(err error) bool {
		return err == nil || errors.Is(err, vetshare.ErrInvalid) || errors.Is(err, vetshare.ErrNotFound) ||
			errors.Is(err, vetshare.ErrNotPermitted) || errors.Is(err, vetshare.ErrConflict)
	}
	rapid.Check(t, func(rt *rapid.T) {
		s := rapid.String().Draw(rt, "s")
		id := rapid.OneOf(rapid.Just(string(c.ID)), rapid.String(), rapid.StringMatching(`[0-7][0-9A-Z]{25}`)).Draw(rt, "id")
		n := rapid.Int64().Draw(rt, "n")
		acct := rapid.SampledFrom([]vetshare.AccountID{f.Accounts[0].ID, f.Accounts[1].ID, vetshare.AccountID(id)}).Draw(rt, "account")
		actor := vetshare.Actor{User: f.Admin.ID, Account: acct}
		err := f.Store.Update(ctx, func(tx *vetshare.Tx) error {
			for _, op := range []func() error{
				func() error {
					_, _, err := records.CreateClient(ctx, tx, actor, vetshare.Client{LastName: s, FirstName: s, Email: s, Phone: s})
					return err
				},
				func() error {
					_, _, err := sharing.Candidates(ctx, tx, actor, s, vetshare.Page{Limit: int(n % 100)})
					return err
				},
				func() error { _, err := sharing.ShareClient(ctx, tx, actor, vetshare.ClientID(id)); return err },
				func() error { _, err := sharing.CrossReference(ctx, tx, actor, n, vetshare.AccountID(id)); return err },
				func() error { _, _, err := records.ClientByNumber(ctx, tx, actor, n); return err },
				func() error {
					_, _, err := records.Clients(ctx, tx, actor, s, vetshare.Page{Limit: int(n % 2000), After: vetshare.Cursor(s)})
					return err
				},
				func() error {
					_, err := records.AddPatient(ctx, tx, actor, vetshare.Patient{ClientID: vetshare.ClientID(id), Name: s, Species: s})
					return err
				},
				func() error {
					_, _, err := records.History(ctx, tx, actor, records.HistoryQuery{Patient: vetshare.PatientID(id)}, vetshare.Page{Limit: int(n % 2000), After: vetshare.Cursor(s)})
					return err
				},
				func() error {
					_, err := sharing.Enable(ctx, tx, sharing.Request{Action: sharing.Action(s), Accounts: []vetshare.AccountID{acct, vetshare.AccountID(id)}, Mode: vetshare.Mode(s), Requester: vetshare.UserID(id), Channel: sharing.Channel(s), From: s})
					return err
				},
			} {
				if err := op(); !typed(err) {
					rt.Fatalf("untyped error %v", err)
				}
			}
			return nil
		})
		if err != nil {
			rt.Fatal(err)
		}
	})
}

func TestFoldName(t *testing.T) {
	for in, want := range map[string]string{
		"  Müller-Lüdenscheidt ": "muller-ludenscheidt",
		"ÉLODIE":                 "elodie",
		"Núñez  García":          "nunez garcia",
		"Ødegård":                "odegard",
		"Łukasz":                 "lukasz",
		"Straße":                 "strasse",
		"Zoë":                    "zoe", // precomposed
		"Zoe\u0308":              "zoe", // combining diaeresis
		"ΑΘΗΝΑ":                  "αθηνα",
	} {
		if got := vetshare.FoldName(in); got != want {
			t.Errorf("FoldName(%q) = %q, want %q", in, got, want)
		}
	}
}
