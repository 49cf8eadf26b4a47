package sharing_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/vetshare/vetshare/driver"

	"github.com/google/go-cmp/cmp"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/audit"
	"github.com/vetshare/vetshare/internal/fixture"
	"github.com/vetshare/vetshare/internal/txn"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/sharing"
)

var ctx = context.Background()

func auditLog(t *testing.T, f *fixture.Fixture) []vetshare.AuditEntry {
	t.Helper()
	var es []vetshare.AuditEntry
	f.View(t, func(tx *vetshare.Tx) error {
		var err error
		es, err = txn.D(tx).AuditEntries(ctx, f.Owner.ID, 0, 10000)
		return err
	})
	return es
}

func lastAudit(t *testing.T, f *fixture.Fixture) vetshare.AuditEntry {
	t.Helper()
	es := auditLog(t, f)
	if len(es) == 0 {
		t.Fatal("audit log is empty")
	}
	return es[len(es)-1]
}

// R1.5: every decision, approved or not, is audited with the request as evidence; a rejected one
// changes nothing else.
func TestR1_5DecisionsAudited(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 2})
	req := f.Request(sharing.ActionEnable, vetshare.ModeManual, f.AccountIDs()...)
	req.Channel = sharing.ChannelPhone
	req.Reference = "call-42"
	var d sharing.Decision
	f.Update(t, func(tx *vetshare.Tx) error {
		var err error
		d, err = sharing.Enable(ctx, tx, req)
		return err
	})
	if d.Approved || !errors.Is(d.Err(), sharing.ErrNotWritten) {
		t.Fatalf("phone request: %+v", d)
	}
	e := lastAudit(t, f)
	if e.Action != "sharing.enable" || e.Outcome != audit.Rejected || e.UserID != f.Admin.ID {
		t.Errorf("audit entry: %+v", e)
	}
	var evidence struct {
		Request sharing.Request `json:"request"`
		Reasons []string        `json:"reasons"`
	}
	if err := json.Unmarshal([]byte(e.Detail), &evidence); err != nil {
		t.Fatal(err)
	}
	if evidence.Request.Reference != "call-42" || len(evidence.Reasons) != 1 {
		t.Errorf("evidence: %+v", evidence)
	}
	f.View(t, func(tx *vetshare.Tx) error {
		for _, a := range f.AccountIDs() {
			if _, err := txn.D(tx).GroupOf(ctx, a); !errors.Is(err, vetshare.ErrNotFound) {
				t.Errorf("rejected request put %s in a group: %v", a, err)
			}
		}
		return nil
	})
	f.Enable(t, vetshare.ModeManual, f.AccountIDs()...)
	if e := lastAudit(t, f); e.Outcome != audit.OK || e.Action != "sharing.enable" {
		t.Errorf("approved decision audit: %+v", e)
	}
}

// R1.6: an approved request creates a group with its mode, or adds the other accounts to the
// group one of them is in, which keeps its mode; an account is in one group at a time.
func TestR1_6GroupsCreatedAndExtended(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 4})
	ids := f.AccountIDs()
	g := f.Enable(t, vetshare.ModeManual, ids[0], ids[1])
	g2 := f.Enable(t, vetshare.ModeAutomatic, ids[1], ids[2]) // ids[1] is in g: ids[2] joins g
	if g2 != g {
		t.Errorf("second request made group %s, want the existing %s", g2, g)
	}
	f.View(t, func(tx *vetshare.Tx) error {
		grp, err := txn.D(tx).Group(ctx, g)
		if err != nil {
			return err
		}
		if grp.Mode != vetshare.ModeManual {
			t.Errorf("group mode %s, want manual kept", grp.Mode)
		}
		ms, _ := txn.D(tx).GroupMembers(ctx, g)
		if len(ms) != 3 {
			t.Errorf("%d members, want 3", len(ms))
		}
		return nil
	})
	// ids[3] in its own group cannot be joined with g by one request.
	f.Update(t, func(tx *vetshare.Tx) error {
		d, err := sharing.Enable(ctx, tx, f.Request(sharing.ActionEnable, vetshare.ModeManual, ids[0], ids[3]))
		if err != nil {
			return err
		}
		if !d.Approved {
			t.Errorf("joining a fourth account: %v", d.Err())
		}
		return nil
	})
}

// R1.1: a request naming accounts of different owners is rejected.
func TestR1_1DifferentOwners(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 1})
	var other vetshare.Account
	f.Update(t, func(tx *vetshare.Tx) error {
		o, err := accounts.CreateOwner(ctx, tx, vetshare.Owner{Name: "Other Group"})
		if err != nil {
			return err
		}
		other, err = accounts.CreateAccount(ctx, tx, vetshare.Account{OwnerID: o.ID, Name: "Elsewhere", Email: "x@else.example", EmailVerified: true, TimeZone: "UTC", Currency: "EUR"})
		if err != nil {
			return err
		}
		return accounts.Grant(ctx, tx, vetshare.Membership{UserID: f.Admin.ID, AccountID: other.ID, Role: vetshare.RoleOwner, Active: true})
	})
	f.Update(t, func(tx *vetshare.Tx) error {
		d, err := sharing.Enable(ctx, tx, f.Request(sharing.ActionEnable, vetshare.ModeManual, f.Accounts[0].ID, other.ID))
		if err != nil {
			return err
		}
		if !errors.Is(d.Err(), sharing.ErrOwnersDiffer) {
			t.Errorf("different owners: %v", d.Err())
		}
		return nil
	})
}

// R1.7, R3.5: removal needs an authorized request; afterwards nothing new is shared to or from
// the account, but what was shared stays shared and keeps syncing.
func TestR1_7RemovalStopsNewSharingOnly(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 3, Mode: vetshare.ModeAutomatic})
	c, _ := f.Client(t, 0, "Rogers", "Shaggy")
	p := f.Patient(t, 0, c.ID, "Scooby", "dog")

	// An unauthorized removal is rejected and changes nothing.
	f.Update(t, func(tx *vetshare.Tx) error {
		req := f.Request(sharing.ActionRemove, "", f.Accounts[1].ID)
		req.Channel = sharing.ChannelChat
		res, err := sharing.Remove(ctx, tx, req)
		if err != nil {
			return err
		}
		if res.Approved || !errors.Is(res.Err(), sharing.ErrNotWritten) {
			t.Errorf("chat removal: %+v", res)
		}
		return nil
	})
	var res sharing.RemoveResult
	f.Update(t, func(tx *vetshare.Tx) error {
		var err error
		res, err = sharing.Remove(ctx, tx, f.Request(sharing.ActionRemove, "", f.Accounts[1].ID))
		return err
	})
	if !res.Approved || res.LiveEntries != 1 {
		t.Fatalf("removal: %+v, want approved with 1 live entry", res)
	}
	// Nothing new shared to B: a client created at A now does not reach B, and B cannot take it.
	c2, _ := f.Client(t, 0, "Blake", "Fred")
	f.Update(t, func(tx *vetshare.Tx) error {
		if _, _, err := records.Client(ctx, tx, f.Actor(1), c2.ID); !errors.Is(err, vetshare.ErrNotFound) {
			t.Errorf("client created after removal reached B: %v", err)
		}
		if _, err := sharing.ShareClient(ctx, tx, f.Actor(1), c2.ID); !errors.Is(err, vetshare.ErrNotFound) {
			t.Errorf("ShareClient into a removed account: %v", err)
		}
		return nil
	})
	// Nothing new shared from B: a client created at B stays at B.
	c3, _ := f.Client(t, 1, "Dinkley", "Velma")
	f.Update(t, func(tx *vetshare.Tx) error {
		if _, err := sharing.ShareClient(ctx, tx, f.Actor(0), c3.ID); !errors.Is(err, vetshare.ErrNotFound) {
			t.Errorf("ShareClient from a removed account: %v", err)
		}
		return nil
	})
	// R3.5: the shared client keeps syncing both ways.
	f.Note(t, 1, p.ID, "after removal, from B")
	p2 := f.Patient(t, 0, c.ID, "Scrappy", "dog")
	f.EditClient(t, 0, c.ID, func(cl *vetshare.Client) { cl.Phone = "555-0199" })
	f.View(t, func(tx *vetshare.Tx) error {
		cl, _, err := records.Client(ctx, tx, f.Actor(1), c.ID)
		if err != nil || cl.Phone != "555-0199" {
			t.Errorf("profile edit at A not seen at B after removal: %v %q", err, cl.Phone)
		}
		if _, err := records.Patient(ctx, tx, f.Actor(1), p2.ID); err != nil {
			t.Errorf("patient added at A after removal not seen at B: %v", err)
		}
		rs, _, err := records.History(ctx, tx, f.Actor(0), records.HistoryQuery{Patient: p.ID}, vetshare.Page{})
		if err != nil || len(rs) != 1 || rs[0].AccountID != f.Accounts[1].ID {
			t.Errorf("record added at B after removal not seen at A: %v %v", err, rs)
		}
		return nil
	})
}

// R3.5: the library offers no operation that deletes a client entry.
func TestR3_5NoUnshareOperation(t *testing.T) {
	// The storage contract has no method that deletes a client entry: Tx's client methods are
	// insert, read, list and update only. This is checked by compiling the list below against
	// the interface; adding a delete method to driver.ClientsTx must come with removing this
	// test, deliberately.
	var _ interface {
		InsertClientEntry(context.Context, *vetshare.ClientEntry) error
	} = driver.Tx(nil)
	f := fixture.New(t, fixture.Options{Accounts: 2, Mode: vetshare.ModeAutomatic})
	c, _ := f.Client(t, 0, "Jones", "Daphne")
	f.Update(t, func(tx *vetshare.Tx) error {
		// Sharing again is the only thing a host can do, and it changes nothing.
		e1, err := sharing.ShareClient(ctx, tx, f.Actor(1), c.ID)
		if err != nil {
			return err
		}
		e2, err := sharing.ShareClient(ctx, tx, f.Actor(1), c.ID)
		if err != nil {
			return err
		}
		if e1 != e2 {
			t.Errorf("sharing twice changed the entry: %+v, %+v", e1, e2)
		}
		return nil
	})
}

// R2.1: in automatic mode a new client is shared, in the same transaction, with every member.
func TestR2_1AutomaticSharing(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 3, Mode: vetshare.ModeAutomatic})
	c, e := f.Client(t, 1, "Rogers", "Shaggy")
	if e.AccountID != f.Accounts[1].ID || e.Via != vetshare.ViaCreated {
		t.Errorf("creating entry: %+v", e)
	}
	f.View(t, func(tx *vetshare.Tx) error {
		es, err := txn.D(tx).ClientEntries(ctx, c.ID)
		if err != nil {
			return err
		}
		if len(es) != 3 {
			t.Fatalf("%d entries, want 3", len(es))
		}
		for _, e := range es {
			if e.AccountID != f.Accounts[1].ID && e.Via != vetshare.ViaAutomatic {
				t.Errorf("entry %+v: want via automatic", e)
			}
		}
		return nil
	})
	// A failure later in the same transaction takes the shares back with the client.
	err := f.Store.Update(ctx, func(tx *vetshare.Tx) error {
		c, _, err := records.CreateClient(ctx, tx, f.Actor(0), vetshare.Client{LastName: "Gone"})
		if err != nil {
			return err
		}
		if n, _ := txn.D(tx).SharedEntries(ctx, f.Accounts[2].ID); n != 2 {
			t.Errorf("inside the transaction: %d shared entries at C, want 2", n)
		}
		_ = c
		return errors.New("abort")
	})
	if err == nil {
		t.Fatal("Update did not fail")
	}
	f.View(t, func(tx *vetshare.Tx) error {
		if n, _ := txn.D(tx).SharedEntries(ctx, f.Accounts[2].ID); n != 1 {
			t.Errorf("after rollback: %d shared entries at C, want 1", n)
		}
		return nil
	})
	// Manual mode shares nothing on creation.
	m := fixture.New(t, fixture.Options{Accounts: 2, Mode: vetshare.ModeManual})
	mc, _ := m.Client(t, 0, "Solo", "Han")
	m.View(t, func(tx *vetshare.Tx) error {
		if es, _ := txn.D(tx).ClientEntries(ctx, mc.ID); len(es) != 1 {
			t.Errorf("manual mode: %d entries, want 1", len(es))
		}
		return nil
	})
}

// R2.2: clients created before an account joined are not shared with it automatically.
func TestR2_2HistoricalClientsNotShared(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 3})
	old, _ := f.Client(t, 0, "Old", "Client")
	f.Enable(t, vetshare.ModeAutomatic, f.Accounts[0].ID, f.Accounts[1].ID)
	newer, _ := f.Client(t, 0, "New", "Client")
	f.Enable(t, vetshare.ModeAutomatic, f.Accounts[0].ID, f.Accounts[2].ID) // C joins later
	f.View(t, func(tx *vetshare.Tx) error {
		if _, err := txn.D(tx).ClientEntry(ctx, f.Accounts[1].ID, old.ID); !errors.Is(err, vetshare.ErrNotFound) {
			t.Errorf("client from before the group reached B: %v", err)
		}
		if _, err := txn.D(tx).ClientEntry(ctx, f.Accounts[1].ID, newer.ID); err != nil {
			t.Errorf("client from after the group did not reach B: %v", err)
		}
		if _, err := txn.D(tx).ClientEntry(ctx, f.Accounts[2].ID, newer.ID); !errors.Is(err, vetshare.ErrNotFound) {
			t.Errorf("client from before C joined reached C: %v", err)
		}
		return nil
	})
}

// R2.3: candidates as a name is typed, best match first, with the details to pick one; sharing
// one creates the entry from the profile.
func TestR2_3ManualSharingCandidates(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 3, Mode: vetshare.ModeManual})
	muller, _ := f.Client(t, 0, "Müller", "Élodie")
	f.Patient(t, 0, muller.ID, "Rex", "dog")
	f.Client(t, 0, "Mullins", "Ann")
	f.Client(t, 2, "Andersen", "Mulan")
	shared, _ := f.Client(t, 0, "Mulder", "Fox")
	f.Update(t, func(tx *vetshare.Tx) error { _, err := sharing.ShareClient(ctx, tx, f.Actor(1), shared.ID); return err })

	var got []sharing.Candidate
	f.View(t, func(tx *vetshare.Tx) error {
		var err error
		got, _, err = sharing.Candidates(ctx, tx, f.Actor(1), "MUL", vetshare.Page{})
		return err
	})
	var names []string
	for _, c := range got {
		names = append(names, c.Client.LastName+", "+c.Client.FirstName)
	}
	if diff := cmp.Diff([]string{"Müller, Élodie", "Mullins, Ann", "Andersen, Mulan"}, names); diff != "" {
		t.Errorf("candidates for MUL (-want +got):\n%s", diff)
	}
	if len(got) > 0 {
		c := got[0]
		if len(c.Accounts) != 1 || c.Accounts[0].ID != f.Accounts[0].ID || c.Accounts[0].Name != "Clinic A" || c.Accounts[0].Number != 1 {
			t.Errorf("candidate accounts: %+v", c.Accounts)
		}
		if len(c.Patients) != 1 || c.Patients[0].Name != "Rex" || c.Patients[0].Species != "dog" {
			t.Errorf("candidate patients: %+v", c.Patients)
		}
	}
	for typed, want := range map[string]int{"müller, é": 1, "muller, elodie": 1, "eló": 1, "  mul  ": 3, "zz": 0} {
		f.View(t, func(tx *vetshare.Tx) error {
			cs, _, err := sharing.Candidates(ctx, tx, f.Actor(1), typed, vetshare.Page{})
			if err != nil {
				return err
			}
			if len(cs) != want {
				t.Errorf("candidates for %q: %d, want %d", typed, len(cs), want)
			}
			return nil
		})
	}
	// (b) share: B's entry is created from the shared profile; nothing is typed twice.
	var e vetshare.ClientEntry
	f.Update(t, func(tx *vetshare.Tx) error {
		var err error
		e, err = sharing.ShareClient(ctx, tx, f.Actor(1), got[0].Client.ID)
		return err
	})
	f.View(t, func(tx *vetshare.Tx) error {
		c, _, err := records.Client(ctx, tx, f.Actor(1), e.ClientID)
		if err != nil {
			return err
		}
		if c.LastName != "Müller" || c.FirstName != "Élodie" {
			t.Errorf("shared profile at B: %+v", c)
		}
		cs, _, _ := sharing.Candidates(ctx, tx, f.Actor(1), "müller", vetshare.Page{})
		if len(cs) != 0 {
			t.Errorf("a shared client is still a candidate: %+v", cs)
		}
		return nil
	})
	f.View(t, func(tx *vetshare.Tx) error {
		_, _, err := sharing.Candidates(ctx, tx, f.Actor(1), " \t", vetshare.Page{})
		if !errors.Is(err, vetshare.ErrInvalid) {
			t.Errorf("blank typed: %v, want ErrInvalid", err)
		}
		return nil
	})
}

// R2.4: sharing a client shares its patients, those it has and those added later from any
// sharing account.
func TestR2_4PatientsFollowTheClient(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 3, Mode: vetshare.ModeManual})
	c, _ := f.Client(t, 0, "Rogers", "Shaggy")
	p1 := f.Patient(t, 0, c.ID, "Scooby", "dog")
	f.Update(t, func(tx *vetshare.Tx) error { _, err := sharing.ShareClient(ctx, tx, f.Actor(1), c.ID); return err })
	p2 := f.Patient(t, 1, c.ID, "Scrappy", "dog")
	f.Update(t, func(tx *vetshare.Tx) error { _, err := sharing.ShareClient(ctx, tx, f.Actor(2), c.ID); return err })
	p3 := f.Patient(t, 2, c.ID, "Tom", "cat")
	for i := range 3 {
		f.View(t, func(tx *vetshare.Tx) error {
			ps, _, err := records.Patients(ctx, tx, f.Actor(i), c.ID, vetshare.Page{})
			if err != nil {
				return err
			}
			var ids []vetshare.PatientID
			for _, p := range ps {
				ids = append(ids, p.ID)
			}
			if diff := cmp.Diff([]vetshare.PatientID{p1.ID, p2.ID, p3.ID}, ids); diff != "" {
				t.Errorf("patients at account %d (-want +got):\n%s", i, diff)
			}
			return nil
		})
	}
}

// R2.5: client numbers are per account, looked up within their account, and translate.
func TestR2_5ClientNumbersAndCrossReference(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 2, Mode: vetshare.ModeManual})
	f.Client(t, 0, "One", "A")
	f.Client(t, 0, "Two", "A")
	c, ea := f.Client(t, 0, "Three", "A")
	f.Client(t, 1, "One", "B")
	var eb vetshare.ClientEntry
	f.Update(t, func(tx *vetshare.Tx) error {
		var err error
		eb, err = sharing.ShareClient(ctx, tx, f.Actor(1), c.ID)
		return err
	})
	if ea.Number != 3 || eb.Number != 2 {
		t.Errorf("numbers: A %d, B %d; want 3 and 2", ea.Number, eb.Number)
	}
	f.View(t, func(tx *vetshare.Tx) error {
		got, _, err := records.ClientByNumber(ctx, tx, f.Actor(1), 2)
		if err != nil || got.ID != c.ID {
			t.Errorf("B's number 2: %v %v", got.ID, err)
		}
		got, _, err = records.ClientByNumber(ctx, tx, f.Actor(1), 3)
		if !errors.Is(err, vetshare.ErrNotFound) {
			t.Errorf("A's number 3 looked up at B: %v %v, want not found", got.ID, err)
		}
		x, err := sharing.CrossReference(ctx, tx, f.Actor(0), 3, f.Accounts[1].ID)
		if err != nil || x.Number != 2 {
			t.Errorf("cross reference A#3 -> B: %+v %v, want B#2", x, err)
		}
		if _, err := sharing.CrossReference(ctx, tx, f.Actor(0), 1, f.Accounts[1].ID); !errors.Is(err, vetshare.ErrNotFound) {
			t.Errorf("cross reference of an unshared client: %v", err)
		}
		if _, err := sharing.CrossReference(ctx, tx, f.Actor(0), 0, f.Accounts[1].ID); !errors.Is(err, vetshare.ErrInvalid) {
			t.Errorf("cross reference of number 0: %v", err)
		}
		return nil
	})
}

// R2.6: an edit from any sharing account is seen by all; two edits from the same version: exactly
// one wins, the other gets a conflict, and a retry after re-reading loses nothing.
func TestR2_6OptimisticConcurrency(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 2, Mode: vetshare.ModeAutomatic})
	c, _ := f.Client(t, 0, "Rogers", "Shaggy")
	var fromA, fromB vetshare.Client
	f.View(t, func(tx *vetshare.Tx) error {
		var err error
		if fromA, _, err = records.Client(ctx, tx, f.Actor(0), c.ID); err != nil {
			return err
		}
		fromB, _, err = records.Client(ctx, tx, f.Actor(1), c.ID)
		return err
	})
	fromA.Phone = "555-A"
	fromB.Email = "shaggy@mystery.example"
	errs := make(chan error, 2)
	for i, edit := range []vetshare.Client{fromA, fromB} {
		go func() {
			errs <- f.Store.Update(ctx, func(tx *vetshare.Tx) error {
				_, err := records.UpdateClient(ctx, tx, f.Actor(i), edit)
				return err
			})
		}()
	}
	var wins, conflicts int
	for range 2 {
		switch err := <-errs; {
		case err == nil:
			wins++
		case errors.Is(err, vetshare.ErrConflict):
			conflicts++
		default:
			t.Fatalf("edit: %v", err)
		}
	}
	if wins != 1 || conflicts != 1 {
		t.Fatalf("%d wins, %d conflicts; want 1 and 1", wins, conflicts)
	}
	// The loser re-reads and retries both edits' fields survive.
	f.Update(t, func(tx *vetshare.Tx) error {
		cur, _, err := records.Client(ctx, tx, f.Actor(0), c.ID)
		if err != nil {
			return err
		}
		cur.Phone, cur.Email = "555-A", "shaggy@mystery.example"
		_, err = records.UpdateClient(ctx, tx, f.Actor(1), cur)
		return err
	})
	f.View(t, func(tx *vetshare.Tx) error {
		for i := range 2 {
			got, _, err := records.Client(ctx, tx, f.Actor(i), c.ID)
			if err != nil {
				return err
			}
			if got.Phone != "555-A" || got.Email != "shaggy@mystery.example" || got.Version != 3 {
				t.Errorf("account %d sees %+v", i, got)
			}
		}
		return nil
	})
}

// R2.7: sharing an already shared client returns the existing entry and creates nothing.
func TestR2_7SharingIsIdempotent(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 2, Mode: vetshare.ModeManual})
	c, _ := f.Client(t, 0, "Rogers", "Shaggy")
	var first, again vetshare.ClientEntry
	f.Update(t, func(tx *vetshare.Tx) error {
		var err error
		first, err = sharing.ShareClient(ctx, tx, f.Actor(1), c.ID)
		return err
	})
	before := len(auditLog(t, f))
	f.Update(t, func(tx *vetshare.Tx) error {
		var err error
		again, err = sharing.ShareClient(ctx, tx, f.Actor(1), c.ID)
		return err
	})
	if first != again {
		t.Errorf("second share: %+v, want %+v", again, first)
	}
	if after := len(auditLog(t, f)); after != before {
		t.Errorf("second share wrote %d audit entries", after-before)
	}
	f.Client(t, 1, "Next", "One")
	f.View(t, func(tx *vetshare.Tx) error {
		// B's next number was not consumed by the repeated share.
		e, err := txn.D(tx).ClientEntryByNumber(ctx, f.Accounts[1].ID, 2)
		if err != nil || e.ClientID == c.ID {
			t.Errorf("B's number 2: %+v %v", e, err)
		}
		return nil
	})
}

// R2.8: sharing only between accounts that are members of the same group now.
func TestR2_8SameGroupOnly(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 4})
	ids := f.AccountIDs()
	f.Enable(t, vetshare.ModeManual, ids[0], ids[1])
	f.Enable(t, vetshare.ModeManual, ids[2], ids[3])
	c, _ := f.Client(t, 0, "Rogers", "Shaggy")
	f.Update(t, func(tx *vetshare.Tx) error {
		if _, err := sharing.ShareClient(ctx, tx, f.Actor(2), c.ID); !errors.Is(err, vetshare.ErrNotFound) {
			t.Errorf("share across groups: %v", err)
		}
		if cs, _, _ := sharing.Candidates(ctx, tx, f.Actor(2), "rog", vetshare.Page{}); len(cs) != 0 {
			t.Errorf("candidates across groups: %v", cs)
		}
		return nil
	})
	solo := fixture.New(t, fixture.Options{Accounts: 2})
	sc, _ := solo.Client(t, 0, "Rogers", "Shaggy")
	solo.Update(t, func(tx *vetshare.Tx) error {
		if _, err := sharing.ShareClient(ctx, tx, solo.Actor(1), sc.ID); !errors.Is(err, vetshare.ErrNotFound) {
			t.Errorf("share without a group: %v", err)
		}
		return nil
	})
}

// R2.10: the home location defaults to the creating account, can be set to any account that
// shares the client, and is shown only where the account takes part in sharing.
func TestR2_10HomeLocation(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 3})
	f.Enable(t, vetshare.ModeAutomatic, f.Accounts[0].ID, f.Accounts[1].ID)
	c, _ := f.Client(t, 0, "Rogers", "Shaggy")
	if c.HomeAccount != f.Accounts[0].ID {
		t.Errorf("default home %s, want the creating account", c.HomeAccount)
	}
	f.Update(t, func(tx *vetshare.Tx) error {
		got, err := sharing.SetHomeLocation(ctx, tx, f.Actor(1), c.ID, f.Accounts[1].ID)
		if err != nil {
			return err
		}
		if got.HomeAccount != f.Accounts[1].ID || got.Version != 2 {
			t.Errorf("after setting home: %+v", got)
		}
		if _, err := sharing.SetHomeLocation(ctx, tx, f.Actor(0), c.ID, f.Accounts[2].ID); !errors.Is(err, vetshare.ErrInvalid) {
			t.Errorf("home set to an account without the client: %v", err)
		}
		return nil
	})
	if e := lastAudit(t, f); e.Action != "client.home" {
		t.Errorf("last audit %q, want client.home", e.Action)
	}
	f.View(t, func(tx *vetshare.Tx) error {
		home, shown, err := sharing.HomeLocation(ctx, tx, f.Actor(0), c.ID)
		if err != nil || !shown || home != f.Accounts[1].ID {
			t.Errorf("home at A: %s %v %v", home, shown, err)
		}
		return nil
	})
	lone, _ := f.Client(t, 2, "Alone", "Al")
	f.View(t, func(tx *vetshare.Tx) error {
		home, shown, err := sharing.HomeLocation(ctx, tx, f.Actor(2), lone.ID)
		if err != nil || shown || home != "" {
			t.Errorf("home at an account never in a group: %q %v %v, want not shown", home, shown, err)
		}
		return nil
	})
}

// R10.1: sharing decisions, group changes, shares and home changes are audited; R10.2: the chain
// verifies.
func TestR10_1SharingEventsAudited(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 2, Mode: vetshare.ModeAutomatic})
	c, _ := f.Client(t, 0, "Rogers", "Shaggy")
	f.Update(t, func(tx *vetshare.Tx) error {
		_, err := sharing.SetHomeLocation(ctx, tx, f.Actor(1), c.ID, f.Accounts[1].ID)
		return err
	})
	var actions []string
	for _, e := range auditLog(t, f) {
		actions = append(actions, e.Action)
	}
	if diff := cmp.Diff([]string{"sharing.enable", "client.share", "client.home"}, actions); diff != "" {
		t.Errorf("audit actions (-want +got):\n%s", diff)
	}
	f.View(t, func(tx *vetshare.Tx) error {
		n, err := audit.Verify(ctx, tx, f.Actor(0))
		if err != nil || n != 3 {
			t.Errorf("Verify: %d entries, %v", n, err)
		}
		return nil
	})
}

// R2.3: Candidates checks its actor in the statement that searches (driver.ClientSearch.Member);
// where that search finds candidates, a user who may not act in the account is still refused
// with ErrNotPermitted and shown none: one without a membership there, one whose membership is
// inactive, an inactive user. A malformed request id is ErrInvalid.
func TestR2_3CandidatesRefuseWhoMayNotAct(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 3, Mode: vetshare.ModeManual})
	f.Client(t, 0, "Rogers", "Shaggy")
	b := f.Accounts[1].ID
	elsewhere := f.User(t, "Elsewhere", vetshare.RoleAdmin, 0, 0) // a member of A only
	lapsed := f.User(t, "Lapsed", vetshare.RoleStaff, 0, 1)
	gone := f.User(t, "Gone", vetshare.RoleStaff, 0, 1)
	f.Update(t, func(tx *vetshare.Tx) error {
		if err := txn.D(tx).PutMembership(ctx, vetshare.Membership{UserID: lapsed.ID, AccountID: b, Role: vetshare.RoleStaff}); err != nil {
			return err
		}
		gone.Active = false
		return txn.D(tx).UpdateUser(ctx, gone)
	})
	f.View(t, func(tx *vetshare.Tx) error {
		if cs, _, err := sharing.Candidates(ctx, tx, f.Actor(1), "rog", vetshare.Page{}); err != nil || len(cs) != 1 {
			t.Errorf("by the admin of B: %d candidates, %v; want 1", len(cs), err)
		}
		for who, actor := range map[string]vetshare.Actor{
			"no membership":       {User: elsewhere.ID, Account: b},
			"inactive membership": {User: lapsed.ID, Account: b},
			"inactive user":       {User: gone.ID, Account: b},
		} {
			if cs, _, err := sharing.Candidates(ctx, tx, actor, "rog", vetshare.Page{}); !errors.Is(err, vetshare.ErrNotPermitted) || len(cs) != 0 {
				t.Errorf("by a user with %s: %d candidates, %v; want none and ErrNotPermitted", who, len(cs), err)
			}
		}
		bad := f.Actor(1)
		bad.RequestID = string(make([]byte, accounts.MaxRequestID+1))
		if cs, _, err := sharing.Candidates(ctx, tx, bad, "rog", vetshare.Page{}); !errors.Is(err, vetshare.ErrInvalid) || len(cs) != 0 {
			t.Errorf("with a request id too long: %d candidates, %v; want ErrInvalid", len(cs), err)
		}
		return nil
	})
}
