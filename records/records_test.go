package records_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/fixture"
	"github.com/vetshare/vetshare/internal/txn"
	"github.com/vetshare/vetshare/records"
)

var ctx = context.Background()

// R3.1, R3.2: a record added at any sharing account is visible at every account that has the
// client, and every listing shows which account and user added it.
func TestR3_2RecordsStampedAndVisibleEverywhere(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 3, Mode: vetshare.ModeAutomatic})
	vet := f.User(t, "vet-b", vetshare.RoleStaff, 0, 1)
	c, _ := f.Client(t, 0, "Rogers", "Shaggy")
	p := f.Patient(t, 0, c.ID, "Scooby", "dog")
	ra := f.Note(t, 0, p.ID, "exam at A")
	var rb vetshare.Record
	f.Update(t, func(tx *vetshare.Tx) error {
		var err error
		rb, err = records.AddRecord(ctx, tx, vetshare.Actor{User: vet.ID, Account: f.Accounts[1].ID},
			vetshare.Record{PatientID: p.ID, Kind: vetshare.RecordLab, Text: "CBC normal"})
		return err
	})
	for i := range 3 {
		f.View(t, func(tx *vetshare.Tx) error {
			hist, _, err := records.History(ctx, tx, f.Actor(i), records.HistoryQuery{Patient: p.ID}, vetshare.Page{})
			if err != nil {
				return err
			}
			if len(hist) != 2 {
				t.Fatalf("account %d: %d records, want 2", i, len(hist))
			}
			if hist[0].ID != ra.ID || hist[0].AccountID != f.Accounts[0].ID || hist[0].UserID != f.Admin.ID {
				t.Errorf("account %d: first record %+v, want added at A by the admin", i, hist[0])
			}
			if hist[1].ID != rb.ID || hist[1].AccountID != f.Accounts[1].ID || hist[1].UserID != vet.ID {
				t.Errorf("account %d: second record %+v, want added at B by vet-b", i, hist[1])
			}
			return nil
		})
	}
}

// R3.3: a client of another account answers not found, exactly like one that does not exist.
func TestR3_3ForeignIDsAreNotFound(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 2})
	c, _ := f.Client(t, 0, "Rogers", "Shaggy")
	p := f.Patient(t, 0, c.ID, "Scooby", "dog")
	r := f.Note(t, 0, p.ID, "private to A")
	missing := vetshare.NewID[vetshare.ClientID](f.Clock.Now())
	f.View(t, func(tx *vetshare.Tx) error {
		_, _, errForeign := records.Client(ctx, tx, f.Actor(1), c.ID)
		_, _, errMissing := records.Client(ctx, tx, f.Actor(1), missing)
		var a, b *vetshare.NotFoundError
		if !errors.As(errForeign, &a) || !errors.As(errMissing, &b) || a.Kind != b.Kind {
			t.Errorf("foreign %v, missing %v: want the same not-found", errForeign, errMissing)
		}
		if _, err := records.Patient(ctx, tx, f.Actor(1), p.ID); !errors.Is(err, vetshare.ErrNotFound) {
			t.Errorf("foreign patient: %v", err)
		}
		if _, err := records.Record(ctx, tx, f.Actor(1), r.ID); !errors.Is(err, vetshare.ErrNotFound) {
			t.Errorf("foreign record: %v", err)
		}
		if _, _, err := records.History(ctx, tx, f.Actor(1), records.HistoryQuery{Patient: p.ID}, vetshare.Page{}); !errors.Is(err, vetshare.ErrNotFound) {
			t.Errorf("foreign history: %v", err)
		}
		return nil
	})
	f.Update(t, func(tx *vetshare.Tx) error {
		if _, err := records.AddPatient(ctx, tx, f.Actor(1), vetshare.Patient{ClientID: c.ID, Name: "X", Species: "cat"}); !errors.Is(err, vetshare.ErrNotFound) {
			t.Errorf("add patient to a foreign client: %v", err)
		}
		if _, err := records.AddRecord(ctx, tx, f.Actor(1), vetshare.Record{PatientID: p.ID, Kind: vetshare.RecordNote, Text: "x"}); !errors.Is(err, vetshare.ErrNotFound) {
			t.Errorf("add record to a foreign patient: %v", err)
		}
		return nil
	})
}

// R5.3: a record added at the wrong account is removed from it: kept, marked with who removed it
// and why, left out of the history, and audited (R10.1).
func TestR5_3RemovedRecordKeptAndMarked(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 2, Mode: vetshare.ModeAutomatic})
	c, _ := f.Client(t, 0, "Rogers", "Shaggy")
	p := f.Patient(t, 0, c.ID, "Scooby", "dog")
	r := f.Note(t, 1, p.ID, "meant for clinic A")
	f.Update(t, func(tx *vetshare.Tx) error {
		if _, err := records.RemoveRecord(ctx, tx, f.Actor(0), r.ID, "wrong clinic"); !errors.Is(err, vetshare.ErrNotPermitted) {
			t.Errorf("removal from an account that did not add it: %v", err)
		}
		if _, err := records.RemoveRecord(ctx, tx, f.Actor(1), r.ID, "  "); !errors.Is(err, vetshare.ErrInvalid) {
			t.Errorf("removal without a reason: %v", err)
		}
		got, err := records.RemoveRecord(ctx, tx, f.Actor(1), r.ID, "wrong clinic")
		if err != nil {
			return err
		}
		if got.Removed == nil || got.Removed.UserID != f.Admin.ID || got.Removed.AccountID != f.Accounts[1].ID || got.Removed.Reason != "wrong clinic" {
			t.Errorf("removal: %+v", got.Removed)
		}
		if _, err := records.RemoveRecord(ctx, tx, f.Actor(1), r.ID, "again"); !errors.Is(err, vetshare.ErrConflict) {
			t.Errorf("second removal: %v", err)
		}
		return nil
	})
	f.View(t, func(tx *vetshare.Tx) error {
		hist, _, _ := records.History(ctx, tx, f.Actor(0), records.HistoryQuery{Patient: p.ID}, vetshare.Page{})
		if len(hist) != 0 {
			t.Errorf("history lists a removed record: %+v", hist)
		}
		all, _, _ := records.History(ctx, tx, f.Actor(0), records.HistoryQuery{Patient: p.ID, IncludeRemoved: true}, vetshare.Page{})
		if len(all) != 1 || all[0].Removed == nil {
			t.Errorf("removed record not kept: %+v", all)
		}
		es, _ := txn.D(tx).AuditEntries(ctx, f.Owner.ID, 0, 1000)
		if es[len(es)-1].Action != "record.remove" {
			t.Errorf("last audit %q, want record.remove", es[len(es)-1].Action)
		}
		return nil
	})
}

// R10.1: writes from an account other than the client's origin are audited; the origin's are not.
func TestR10_1CrossAccountWritesAudited(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 2, Mode: vetshare.ModeAutomatic})
	c, _ := f.Client(t, 0, "Rogers", "Shaggy")
	p := f.Patient(t, 0, c.ID, "Scooby", "dog")
	f.Note(t, 0, p.ID, "at origin")
	count := func() int {
		var n int
		f.View(t, func(tx *vetshare.Tx) error {
			es, err := txn.D(tx).AuditEntries(ctx, f.Owner.ID, 0, 1000)
			n = len(es)
			return err
		})
		return n
	}
	before := count()
	f.Note(t, 1, p.ID, "at B")
	f.Patient(t, 1, c.ID, "Scrappy", "dog")
	f.EditClient(t, 1, c.ID, func(cl *vetshare.Client) { cl.Phone = "555-0111" })
	if n := count() - before; n != 3 {
		t.Errorf("%d audit entries for three cross-account writes, want 3", n)
	}
}

func TestClientsPaging(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 1})
	for _, n := range []string{"Adams", "Baker", "Clark", "Davis", "Evans"} {
		f.Client(t, 0, n, "X")
	}
	var all []string
	page := vetshare.Page{Limit: 2}
	for {
		var rows []records.ClientRow
		var next vetshare.Cursor
		f.View(t, func(tx *vetshare.Tx) error {
			var err error
			rows, next, err = records.Clients(ctx, tx, f.Actor(0), "", page)
			return err
		})
		for _, r := range rows {
			all = append(all, r.LastName)
		}
		if next == "" {
			break
		}
		page.After = next
	}
	if len(all) != 5 || all[0] != "Adams" || all[4] != "Evans" {
		t.Errorf("paged clients: %v", all)
	}
	f.View(t, func(tx *vetshare.Tx) error {
		if _, _, err := records.Clients(ctx, tx, f.Actor(0), "", vetshare.Page{After: "garbage"}); !errors.Is(err, vetshare.ErrInvalid) {
			t.Errorf("bad page token: %v", err)
		}
		return nil
	})
}

// R2.10, R2.6: editing a client cannot silently drop a field it does not change: a new home
// location (which has its own operation), owner or origin is refused with a typed error naming
// the field, and the profile is unchanged.
func TestR2_10UpdateClientRefusesHomeChange(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 2, Mode: vetshare.ModeAutomatic})
	c, _ := f.Client(t, 0, "Jones", "Daphne")
	for field, edit := range map[string]func(*vetshare.Client){
		"HomeAccount":   func(c *vetshare.Client) { c.HomeAccount = f.Accounts[1].ID },
		"OriginAccount": func(c *vetshare.Client) { c.OriginAccount = f.Accounts[1].ID },
		"OwnerID":       func(c *vetshare.Client) { c.OwnerID = "another-owner" },
	} {
		e := c
		e.Phone = "555-0199"
		edit(&e)
		err := f.Store.Update(ctx, func(tx *vetshare.Tx) error {
			_, err := records.UpdateClient(ctx, tx, f.Actor(0), e)
			return err
		})
		var inv *vetshare.InvalidError
		if !errors.As(err, &inv) || inv.Field != field {
			t.Errorf("edit of %s: %v, want an InvalidError for it", field, err)
		}
	}
	f.View(t, func(tx *vetshare.Tx) error {
		got, _, err := records.Client(ctx, tx, f.Actor(0), c.ID)
		if err != nil || got.Version != c.Version || got.Phone != c.Phone {
			t.Errorf("client after refused edits: %+v, %v", got, err)
		}
		return nil
	})
}

// R2.1: CreateClient returns the entries automatic sharing made, after the creating account's
// own, so a host shows every clinic's client number without reading them back.
func TestR2_1CreateClientReturnsSharedEntries(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 3, Mode: vetshare.ModeAutomatic})
	f.Update(t, func(tx *vetshare.Tx) error {
		c, es, err := records.CreateClient(ctx, tx, f.Actor(1), vetshare.Client{LastName: "Jones"})
		if err != nil {
			return err
		}
		var got []vetshare.AccountID
		for _, e := range es {
			if e.ClientID != c.ID || e.Number != 1 {
				t.Errorf("entry %+v", e)
			}
			got = append(got, e.AccountID)
		}
		want := []vetshare.AccountID{f.Accounts[1].ID, f.Accounts[0].ID, f.Accounts[2].ID}
		slices.Sort(want[1:])
		slices.Sort(got[1:])
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("entries' accounts (-want +got):\n%s", d)
		}
		if es[0].Via != vetshare.ViaCreated || es[1].Via != vetshare.ViaAutomatic {
			t.Errorf("vias: %s, %s", es[0].Via, es[1].Via)
		}
		return nil
	})
}

// R2.3: a client named with a capital sharp s is found by every spelling that folds like it, as
// the front desk types it.
func TestR2_3SharpSFoundEveryWay(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 1})
	f.Client(t, 0, "GROẞMANN", "Jörg")
	f.Client(t, 0, "\u212Bngström", "Ada")
	f.View(t, func(tx *vetshare.Tx) error {
		for typed, want := range map[string]string{"GROẞ": "GROẞMANN", "groß": "GROẞMANN", "gross": "GROẞMANN", "Groß": "GROẞMANN",
			"grossmann, jorg": "GROẞMANN", "Ång": "\u212Bngström", "ang": "\u212Bngström", "\u212Bng": "\u212Bngström"} {
			rows, _, err := records.Clients(ctx, tx, f.Actor(0), typed, vetshare.Page{})
			if err != nil {
				return err
			}
			if len(rows) != 1 || rows[0].LastName != want {
				t.Errorf("typing %q finds %v, want %s", typed, rows, want)
			}
		}
		return nil
	})
}
