package vetshare_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/inventory"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/sharing"
	"github.com/vetshare/vetshare/vetsharetest"
)

// hostIDs are well-formed ids of every boundary: one byte, 64 bytes, multi-byte UTF-8 filling
// the 64 bytes, and the kind of strings hosts use (inner spaces, punctuation, another id form).
var hostIDs = []string{
	"7",
	strings.Repeat("h", 64),
	strings.Repeat("é", 32),            // 2-byte characters, 64 bytes
	strings.Repeat("€", 21) + "x",      // 3-byte characters, 64 bytes
	strings.Repeat("🐕", 16),            // 4-byte characters, 64 bytes
	"Client #42 / Rogers, Shaggy",      // inner spaces and punctuation
	"1' OR 1=1; --",                    // nothing but a string
	"6f1d8c2e-3b1a-4c5d-9e7f-0a1b2c3d", // a UUID-like id
}

// malformedIDs are refused with ErrInvalid, each for the reason its key gives.
var malformedIDs = map[string]string{
	"empty":                 "",
	"65 bytes":              strings.Repeat("h", 65),
	"65 bytes of multibyte": strings.Repeat("é", 32) + "x",
	"leading space":         " abc",
	"trailing space":        "abc ",
	"trailing no-break":     "abc\u00a0",
	"NUL":                   "ab\x00c",
	"newline":               "ab\nc",
	"tab":                   "ab\tc",
	"DEL":                   "ab\x7fc",
	"C1 control":            "ab\u0085c",
	"zero-width space":      "ab\u200bc",
	"invalid UTF-8":         "ab\xffc",
	"truncated UTF-8":       "ab\xc3",
}

// R12.3: the rule of a well-formed id.
func TestR12_3ValidID(t *testing.T) {
	for _, id := range append(hostIDs, string(vetshare.NewID[vetshare.ClientID](vetsharetest.Start()))) {
		if !vetshare.ValidID(id) || vetshare.CheckID("ID", id) != nil {
			t.Errorf("ValidID(%q) = false, want true", id)
		}
		if len(id) > vetshare.MaxIDLen || !utf8.ValidString(id) {
			t.Fatalf("test id %q is not of the rule", id)
		}
	}
	for name, id := range malformedIDs {
		if vetshare.ValidID(id) {
			t.Errorf("%s: ValidID(%q) = true, want false", name, id)
		}
		var inv *vetshare.InvalidError
		if err := vetshare.CheckID("ID", id); !errors.As(err, &inv) || inv.Field != "ID" || strings.Contains(err.Error(), id) && id != "" {
			t.Errorf("%s: CheckID = %v; want an *InvalidError for ID, without the id in its message", name, err)
		}
	}
}

// hostWorld is what TestR12_3 entities make with one id for each of them.
type hostWorld struct {
	owner   vetshare.Owner
	user    vetshare.User
	account vetshare.Account
	client  vetshare.Client
	patient vetshare.Patient
	item    vetshare.Item
}

// createAll creates an owner, a user, an account (with the user as its owner), a client, a
// patient and an item, each with the id id (ids are per kind of thing). It returns the first
// error, with the name of the operation that returned it.
func createAll(ctx context.Context, tx *vetshare.Tx, id string) (w hostWorld, err error) {
	step := func(name string, e error) error {
		if e != nil && err == nil {
			err = fmt.Errorf("%s: %w", name, e)
		}
		return err
	}
	var e error
	if w.owner, e = accounts.CreateOwner(ctx, tx, vetshare.Owner{ID: vetshare.OwnerID(id), Name: "Riverside"}); step("CreateOwner", e) != nil {
		return w, err
	}
	if w.user, e = accounts.CreateUser(ctx, tx, vetshare.User{ID: vetshare.UserID(id), Name: "Ada", Email: "ada@riverside.example", EmailVerified: true, Active: true}); step("CreateUser", e) != nil {
		return w, err
	}
	if w.account, e = accounts.CreateAccount(ctx, tx, vetshare.Account{ID: vetshare.AccountID(id), OwnerID: w.owner.ID, Name: "North",
		Email: "north@riverside.example", EmailVerified: true, TimeZone: "UTC", Currency: "USD"}); step("CreateAccount", e) != nil {
		return w, err
	}
	if step("Grant", accounts.Grant(ctx, tx, vetshare.Membership{UserID: w.user.ID, AccountID: w.account.ID, Role: vetshare.RoleOwner, Permissions: vetshare.PermAll, Active: true})) != nil {
		return w, err
	}
	actor := vetshare.Actor{User: w.user.ID, Account: w.account.ID}
	if w.client, _, e = records.CreateClient(ctx, tx, actor, vetshare.Client{ID: vetshare.ClientID(id), LastName: "Rogers"}); step("CreateClient", e) != nil {
		return w, err
	}
	if w.patient, e = records.AddPatient(ctx, tx, actor, vetshare.Patient{ID: vetshare.PatientID(id), ClientID: w.client.ID, Name: "Scooby", Species: "dog"}); step("AddPatient", e) != nil {
		return w, err
	}
	w.item, e = inventory.CreateItem(ctx, tx, actor, vetshare.Item{ID: vetshare.ItemID(id), Name: "Rabies vaccine", Kind: vetshare.ItemProduct})
	step("CreateItem", e)
	return w, err
}

// R12.3: owners, accounts, users, clients, patients and items keep the ids a host gives them,
// at every boundary length, and are read back by them through the operations.
func TestR12_3HostIDsEndToEnd(t *testing.T) {
	s := vetsharetest.Open(t)
	ctx := context.Background()
	for _, id := range hostIDs {
		var w hostWorld
		s.MustUpdate(t, func(tx *vetshare.Tx) error {
			var err error
			w, err = createAll(ctx, tx, id)
			return err
		})
		for kind, got := range map[string]string{"owner": string(w.owner.ID), "user": string(w.user.ID), "account": string(w.account.ID),
			"client": string(w.client.ID), "patient": string(w.patient.ID), "item": string(w.item.ID)} {
			if got != id {
				t.Errorf("%s created with id %q has id %q", kind, id, got)
			}
		}
		actor := vetshare.Actor{User: vetshare.UserID(id), Account: vetshare.AccountID(id)}
		s.MustView(t, func(tx *vetshare.Tx) error {
			m, err := accounts.Check(ctx, tx, actor)
			if err != nil || m.UserID != w.user.ID || m.AccountID != w.account.ID {
				t.Errorf("%q: the user's membership: %+v, %v", id, m, err)
			}
			if o, err := accounts.Owner(ctx, tx, actor); err != nil || o.ID != w.owner.ID {
				t.Errorf("%q: Owner = %+v, %v", id, o, err)
			}
			if a, err := accounts.Account(ctx, tx, actor, vetshare.AccountID(id)); err != nil || a != w.account {
				t.Errorf("%q: Account = %+v, %v; want %+v", id, a, err, w.account)
			}
			if c, _, err := records.Client(ctx, tx, actor, vetshare.ClientID(id)); err != nil || c.ID != w.client.ID || c.LastName != "Rogers" {
				t.Errorf("%q: Client = %+v, %v", id, c, err)
			}
			if p, err := records.Patient(ctx, tx, actor, vetshare.PatientID(id)); err != nil || p.ID != w.patient.ID || p.ClientID != w.client.ID {
				t.Errorf("%q: Patient = %+v, %v", id, p, err)
			}
			if ps, _, err := records.Patients(ctx, tx, actor, vetshare.ClientID(id), vetshare.Page{}); err != nil || len(ps) != 1 || ps[0].ID != w.patient.ID {
				t.Errorf("%q: Patients = %+v, %v", id, ps, err)
			}
			if it, err := inventory.Item(ctx, tx, actor, vetshare.ItemID(id)); err != nil || it.ID != w.item.ID {
				t.Errorf("%q: Item = %+v, %v", id, it, err)
			}
			return nil
		})
	}
}

// R12.3: a malformed id is refused with ErrInvalid by every operation that creates with it, and
// nothing is created; a well-formed id that names nothing is not found, a malformed one invalid.
func TestR12_3MalformedIDsRefused(t *testing.T) {
	s := vetsharetest.Open(t)
	p := s.NewPractice(t, 1, "")
	_, e, _ := s.Client(t, p.Actor(0), vetshare.Client{}, vetshare.Patient{Name: "Scooby"})
	ctx := context.Background()
	actor := p.Actor(0)
	for name, id := range malformedIDs {
		if id == "" {
			continue // no id: the library makes one
		}
		creates := map[string]func(tx *vetshare.Tx) error{
			"CreateOwner": func(tx *vetshare.Tx) error {
				_, err := accounts.CreateOwner(ctx, tx, vetshare.Owner{ID: vetshare.OwnerID(id), Name: "Hillside"})
				return err
			},
			"CreateUser": func(tx *vetshare.Tx) error {
				_, err := accounts.CreateUser(ctx, tx, vetshare.User{ID: vetshare.UserID(id), Name: "Bo", Email: "bo@riverside.example"})
				return err
			},
			"CreateAccount": func(tx *vetshare.Tx) error {
				_, err := accounts.CreateAccount(ctx, tx, vetshare.Account{ID: vetshare.AccountID(id), OwnerID: p.Owner.ID, Name: "South",
					Email: "south@riverside.example", TimeZone: "UTC", Currency: "USD"})
				return err
			},
			"CreateClient": func(tx *vetshare.Tx) error {
				_, _, err := records.CreateClient(ctx, tx, actor, vetshare.Client{ID: vetshare.ClientID(id), LastName: "Rogers"})
				return err
			},
			"AddPatient": func(tx *vetshare.Tx) error {
				_, err := records.AddPatient(ctx, tx, actor, vetshare.Patient{ID: vetshare.PatientID(id), ClientID: e.ClientID, Name: "Rex", Species: "dog"})
				return err
			},
			"CreateItem": func(tx *vetshare.Tx) error {
				_, err := inventory.CreateItem(ctx, tx, actor, vetshare.Item{ID: vetshare.ItemID(id), Name: "Exam", Kind: vetshare.ItemService})
				return err
			},
		}
		for op, create := range creates {
			err := s.Update(ctx, create)
			var inv *vetshare.InvalidError
			if !errors.Is(err, vetshare.ErrInvalid) || !errors.As(err, &inv) || inv.Field != "ID" {
				t.Errorf("%s with a malformed id (%s): %v; want ErrInvalid for ID", op, name, err)
			}
		}
		s.MustView(t, func(tx *vetshare.Tx) error {
			if _, _, err := records.Client(ctx, tx, actor, vetshare.ClientID(id)); !errors.Is(err, vetshare.ErrInvalid) {
				t.Errorf("Client with a malformed id (%s): %v; want ErrInvalid", name, err)
			}
			if _, err := records.Patient(ctx, tx, actor, vetshare.PatientID(id)); !errors.Is(err, vetshare.ErrInvalid) {
				t.Errorf("Patient with a malformed id (%s): %v; want ErrInvalid", name, err)
			}
			if _, err := inventory.Item(ctx, tx, actor, vetshare.ItemID(id)); !errors.Is(err, vetshare.ErrInvalid) {
				t.Errorf("Item with a malformed id (%s): %v; want ErrInvalid", name, err)
			}
			if _, err := accounts.Account(ctx, tx, actor, vetshare.AccountID(id)); !errors.Is(err, vetshare.ErrInvalid) {
				t.Errorf("Account with a malformed id (%s): %v; want ErrInvalid", name, err)
			}
			return nil
		})
	}
	s.MustView(t, func(tx *vetshare.Tx) error {
		for _, id := range hostIDs {
			if _, _, err := records.Client(ctx, tx, actor, vetshare.ClientID(id)); !errors.Is(err, vetshare.ErrNotFound) {
				t.Errorf("Client %q that does not exist: %v; want ErrNotFound", id, err)
			}
			if _, err := records.Patient(ctx, tx, actor, vetshare.PatientID(id)); !errors.Is(err, vetshare.ErrNotFound) {
				t.Errorf("Patient %q that does not exist: %v; want ErrNotFound", id, err)
			}
			if _, err := inventory.Item(ctx, tx, actor, vetshare.ItemID(id)); !errors.Is(err, vetshare.ErrNotFound) {
				t.Errorf("Item %q that does not exist: %v; want ErrNotFound", id, err)
			}
			if _, err := accounts.Account(ctx, tx, actor, vetshare.AccountID(id)); !errors.Is(err, vetshare.ErrNotFound) {
				t.Errorf("Account %q that does not exist: %v; want ErrNotFound", id, err)
			}
		}
		return nil
	})
}

// R12.3: a host id that is already taken, by a thing of the same kind, is ErrConflict, and the
// first thing stays as it was.
func TestR12_3DuplicateHostIDConflict(t *testing.T) {
	s := vetsharetest.Open(t)
	ctx := context.Background()
	s.MustUpdate(t, func(tx *vetshare.Tx) error {
		_, err := createAll(ctx, tx, "dup")
		return err
	})
	// Each in a transaction of its own, so that one refusal does not hide the next.
	tries := map[string]func(tx *vetshare.Tx) error{
		"CreateOwner": func(tx *vetshare.Tx) error {
			_, err := accounts.CreateOwner(ctx, tx, vetshare.Owner{ID: "dup", Name: "Hillside"})
			return err
		},
		"CreateUser": func(tx *vetshare.Tx) error {
			_, err := accounts.CreateUser(ctx, tx, vetshare.User{ID: "dup", Name: "Bo", Email: "bo@riverside.example"})
			return err
		},
		"CreateAccount": func(tx *vetshare.Tx) error {
			_, err := accounts.CreateAccount(ctx, tx, vetshare.Account{ID: "dup", OwnerID: "dup", Name: "South",
				Email: "south@riverside.example", TimeZone: "UTC", Currency: "USD"})
			return err
		},
		"CreateClient": func(tx *vetshare.Tx) error {
			_, _, err := records.CreateClient(ctx, tx, vetshare.Actor{User: "dup", Account: "dup"}, vetshare.Client{ID: "dup", LastName: "Other"})
			return err
		},
		"AddPatient": func(tx *vetshare.Tx) error {
			_, err := records.AddPatient(ctx, tx, vetshare.Actor{User: "dup", Account: "dup"}, vetshare.Patient{ID: "dup", ClientID: "dup", Name: "Rex", Species: "dog"})
			return err
		},
		"CreateItem": func(tx *vetshare.Tx) error {
			_, err := inventory.CreateItem(ctx, tx, vetshare.Actor{User: "dup", Account: "dup"}, vetshare.Item{ID: "dup", Name: "Exam", Kind: vetshare.ItemService})
			return err
		},
	}
	for op, try := range tries {
		err := s.Update(ctx, try)
		var conflict *vetshare.ConflictError
		if !errors.Is(err, vetshare.ErrConflict) || !errors.As(err, &conflict) || conflict.ID != "dup" {
			t.Errorf("%s with a taken id: %v; want a *ConflictError with the id", op, err)
		}
	}
	s.MustView(t, func(tx *vetshare.Tx) error {
		c, _, err := records.Client(ctx, tx, vetshare.Actor{User: "dup", Account: "dup"}, "dup")
		if err != nil || c.LastName != "Rogers" {
			t.Errorf("the first client after the refused duplicate: %+v, %v", c, err)
		}
		return nil
	})
}

// R12.3: lists that promise the order things were made in keep it with host ids that sort the
// other way: clinics "z" then "a" are listed z, a (made in one transaction, at one time, and in
// two); a client's accounts, made in one transaction, too; patients "z" then "a", z, a.
func TestR12_3CreationOrderWithHostIDs(t *testing.T) {
	s := vetsharetest.Open(t)
	ctx := context.Background()
	p := &vetsharetest.Practice{Store: s}
	s.MustUpdate(t, func(tx *vetshare.Tx) error {
		var err error
		if p.Owner, err = accounts.CreateOwner(ctx, tx, vetshare.Owner{ID: "owner", Name: "Riverside"}); err != nil {
			return err
		}
		if p.Admin, err = accounts.CreateUser(ctx, tx, vetshare.User{ID: "ada", Name: "Ada", Email: "ada@riverside.example", EmailVerified: true, Active: true}); err != nil {
			return err
		}
		for _, id := range []vetshare.AccountID{"z", "m"} { // one transaction: one creation time
			if err := addClinic(ctx, tx, p, id); err != nil {
				return err
			}
		}
		return nil
	})
	s.MustUpdate(t, func(tx *vetshare.Tx) error { return addClinic(ctx, tx, p, "a") }) // a later one
	want := []vetshare.AccountID{"z", "m", "a"}

	s.MustView(t, func(tx *vetshare.Tx) error {
		var got []vetshare.AccountID
		page := vetshare.Page{Limit: 1}
		for {
			rows, next, err := accounts.Clinics(ctx, tx, p.Actor(2), page)
			if err != nil {
				return err
			}
			for _, a := range rows {
				got = append(got, a.ID)
			}
			if next == "" {
				break
			}
			page.After = next
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("Clinics, oldest first (-want +got):\n%s", d)
		}
		return nil
	})

	// A client made at z and shared with m in the same transaction: its accounts, as a
	// candidate at a, are z then m.
	p.Share(t, vetshare.ModeManual, want...)
	s.MustUpdate(t, func(tx *vetshare.Tx) error {
		c, _, err := records.CreateClient(ctx, tx, p.Actor(0), vetshare.Client{ID: "c", LastName: "Rogers"})
		if err != nil {
			return err
		}
		_, err = sharing.ShareClient(ctx, tx, p.Actor(1), c.ID)
		return err
	})
	s.MustView(t, func(tx *vetshare.Tx) error {
		rows, _, err := sharing.Candidates(ctx, tx, p.Actor(2), "rog", vetshare.Page{})
		if err != nil || len(rows) != 1 {
			t.Fatalf("Candidates = %+v, %v; want the client", rows, err)
		}
		var got []vetshare.AccountID
		for _, a := range rows[0].Accounts {
			got = append(got, a.ID)
		}
		if d := cmp.Diff([]vetshare.AccountID{"z", "m"}, got); d != "" {
			t.Errorf("the candidate's accounts, oldest entry first (-want +got):\n%s", d)
		}
		return nil
	})

	// Patients "z" then "a", each in its own transaction.
	for _, id := range []vetshare.PatientID{"z", "a"} {
		s.MustUpdate(t, func(tx *vetshare.Tx) error {
			_, err := records.AddPatient(ctx, tx, p.Actor(0), vetshare.Patient{ID: id, ClientID: "c", Name: "Scooby", Species: "dog"})
			return err
		})
	}
	s.MustView(t, func(tx *vetshare.Tx) error {
		ps, _, err := records.Patients(ctx, tx, p.Actor(0), "c", vetshare.Page{Limit: 1})
		if err != nil || len(ps) != 1 || ps[0].ID != "z" {
			t.Errorf("Patients, first page: %+v, %v; want z first", ps, err)
		}
		return nil
	})
}

// addClinic creates the clinic id of p's owner, grants p's admin the owner role in it, and adds
// it to p.Clinics.
func addClinic(ctx context.Context, tx *vetshare.Tx, p *vetsharetest.Practice, id vetshare.AccountID) error {
	a, err := accounts.CreateAccount(ctx, tx, vetshare.Account{ID: id, OwnerID: p.Owner.ID, Name: "Clinic " + string(id),
		Email: "clinic" + string(id) + "@riverside.example", EmailVerified: true, TimeZone: "UTC", Currency: "USD"})
	if err != nil {
		return err
	}
	p.Clinics = append(p.Clinics, a)
	return accounts.Grant(ctx, tx, vetshare.Membership{UserID: p.Admin.ID, AccountID: id, Role: vetshare.RoleOwner, Permissions: vetshare.PermAll, Active: true})
}
