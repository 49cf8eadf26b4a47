package records_test

import (
	"errors"
	"testing"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/internal/fixture"
	"github.com/vetshare/vetshare/inventory"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/sharing"
	"github.com/vetshare/vetshare/tasks"
)

// R11.1: what the hostile-input probe found is refused with ErrInvalid and changes nothing: a
// NUL or other control character in a name (a NUL broke the client list's paging), a name of
// only a zero-width space or a lone combining accent, candidates for "%" (no letter or digit),
// and times no store gives back as written (a birth date in year -300000 read back as 284554).
func TestR11_1HostileNamesAndTimes(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 2, Mode: vetshare.ModeManual})
	c, _ := f.Client(t, 0, "Rogers", "Shaggy")
	a := f.Actor(0)
	names := map[string]string{
		"NUL":              "Rog\x00ers",
		"LineBreak":        "Rog\ners",
		"Escape":           "Rog\x1bers",
		"DEL":              "Rog\x7fers",
		"C1":               "Rog\u0085ers",
		"ZeroWidthOnly":    "\u200B",
		"CombiningOnly":    "\u0301",
		"PunctuationOnly":  "%",
		"ZeroWidthAndMark": "\u200B\u0301\u200D",
	}
	type call struct {
		name string
		op   func(tx *vetshare.Tx) error
	}
	var calls []call
	for n, bad := range names {
		calls = append(calls,
			call{"CreateClient" + n, func(tx *vetshare.Tx) error {
				_, _, err := records.CreateClient(ctx, tx, a, vetshare.Client{LastName: bad})
				return err
			}},
			call{"AddPatient" + n, func(tx *vetshare.Tx) error {
				_, err := records.AddPatient(ctx, tx, a, vetshare.Patient{ClientID: c.ID, Name: bad, Species: "dog"})
				return err
			}},
			call{"CreateItem" + n, func(tx *vetshare.Tx) error {
				_, err := inventory.CreateItem(ctx, tx, a, vetshare.Item{Name: bad, Kind: vetshare.ItemProduct})
				return err
			}},
			call{"CreateOwner" + n, func(tx *vetshare.Tx) error {
				_, err := accounts.CreateOwner(ctx, tx, vetshare.Owner{Name: bad})
				return err
			}},
			call{"TaskTitle" + n, func(tx *vetshare.Tx) error {
				_, err := tasks.Create(ctx, tx, a, tasks.Draft{Title: "Call " + bad, Assignee: f.Admin.ID})
				if n == "ZeroWidthOnly" || n == "CombiningOnly" || n == "PunctuationOnly" || n == "ZeroWidthAndMark" {
					return errors.Join(err, vetshare.ErrInvalid) // a title with a word in it is fine
				}
				return err
			}},
		)
	}
	for _, typed := range []string{"%", "_", "\\", "%_", " \u200B "} {
		calls = append(calls, call{"Candidates" + typed, func(tx *vetshare.Tx) error {
			_, _, err := sharing.Candidates(ctx, tx, f.Actor(1), typed, vetshare.Page{})
			return err
		}})
	}
	for n, at := range map[string]time.Time{
		"BirthYearMinus300000": time.Date(-300000, 1, 1, 0, 0, 0, 0, time.UTC),
		"BirthYear0":           time.Date(0, 12, 31, 0, 0, 0, 0, time.UTC),
		"BirthYear10000":       time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		calls = append(calls, call{n, func(tx *vetshare.Tx) error {
			_, err := records.AddPatient(ctx, tx, a, vetshare.Patient{ClientID: c.ID, Name: "Rex", Species: "dog", BirthDate: at})
			return err
		}}, call{"TaskDue" + n, func(tx *vetshare.Tx) error {
			_, err := tasks.Create(ctx, tx, a, tasks.Draft{Title: "Call", Assignee: f.Admin.ID, Due: at})
			return err
		}})
	}
	for _, tc := range calls {
		t.Run(tc.name, func(t *testing.T) {
			before := snapshot(t, f.RequireSQLite(t).DB())
			err := f.Store.Update(ctx, tc.op)
			if !errors.Is(err, vetshare.ErrInvalid) {
				t.Errorf("%v, want ErrInvalid", err)
			}
			if snapshot(t, f.RequireSQLite(t).DB()) != before {
				t.Error("the refused call changed the database")
			}
		})
	}
	// The first instant of the year 1 is inside the bounds, and is kept exactly.
	year1 := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Update(t, func(tx *vetshare.Tx) error {
		got, err := records.AddPatient(ctx, tx, a, vetshare.Patient{ClientID: c.ID, Name: "Methuselah", Species: "tortoise", BirthDate: year1})
		if err != nil {
			return err
		}
		back, err := records.Patient(ctx, tx, a, got.ID)
		if err != nil || !back.BirthDate.Equal(year1) {
			t.Errorf("birth date in year 1 read back as %v (%v)", back.BirthDate, err)
		}
		return nil
	})
}
