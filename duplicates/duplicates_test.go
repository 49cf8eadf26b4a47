package duplicates_test

import (
	"context"
	"errors"
	"testing"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/duplicates"
	"github.com/vetshare/vetshare/internal/fixture"
	"github.com/vetshare/vetshare/records"
)

// TestR13_1Score, R13.1: the pure rule grades pairs on their own values.
func TestR13_1Score(t *testing.T) {
	base := duplicates.Profile{FirstName: "Mary", LastName: "O'Brien", Phone: "+1 555 123 4567", Email: "mary@example.com",
		Address: "1 Main St", Pets: []duplicates.Pet{{Name: "Rex", Species: "dog"}}}
	for _, tc := range []struct {
		name string
		b    duplicates.Profile
		want duplicates.Grade
	}{
		{"same", base, duplicates.GradeMatch},
		{"accents and case", duplicates.Profile{FirstName: "MARY", LastName: "obrien", Phone: "555-123-4567"}, duplicates.GradeMatch},
		{"swapped names", duplicates.Profile{FirstName: "O'Brien", LastName: "Mary", Phone: "5551234567"}, duplicates.GradeMatch},
		{"typo and email", duplicates.Profile{FirstName: "Mary", LastName: "O'Brian", Email: "mary@example.com"}, duplicates.GradeMatch},
		{"initial and phone", duplicates.Profile{FirstName: "M.", LastName: "O'Brien", Phone: "555 123 4567", Pets: []duplicates.Pet{{Name: "rex", Species: "Dog"}}}, duplicates.GradeMatch},
		{"married name", duplicates.Profile{FirstName: "Mary", LastName: "Smith", Phone: "5551234567", Email: "mary@example.com"}, duplicates.GradeMatch},
		{"spouse", duplicates.Profile{FirstName: "John", LastName: "O'Brien", Phone: "5551234567", Address: "1 main st.", Pets: []duplicates.Pet{{Name: "Rex"}}}, duplicates.GradePossible},
		{"namesake", duplicates.Profile{FirstName: "Mary", LastName: "O'Brien"}, duplicates.GradePossible},
		{"stranger", duplicates.Profile{FirstName: "Ann", LastName: "Lee", Phone: "5550000000"}, ""},
		{"same surname only", duplicates.Profile{FirstName: "Ann", LastName: "OBrien"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := duplicates.Score(base, tc.b); got.Grade != tc.want {
				t.Errorf("Score: %+v, want grade %q", got, tc.want)
			}
		})
	}
}

// TestR13_2to4FindDecideMerge, R13.1–R13.4: a family at two clinics is found, a namesake
// decided not the same is not proposed again, and the merge keeps every id and number.
func TestR13_2to4FindDecideMerge(t *testing.T) {
	ctx := context.Background()
	fx := fixture.New(t, fixture.Options{Accounts: 2})
	fx.Enable(t, vetshare.ModeManual, fx.AccountIDs()...)
	var a, b, other vetshare.Client
	var ea, eb vetshare.ClientEntry
	fx.Update(t, func(tx *vetshare.Tx) error {
		var err error
		var es []vetshare.ClientEntry
		if a, es, err = records.CreateClient(ctx, tx, fx.Actor(0), vetshare.Client{LastName: "O'Brien", FirstName: "Mary", Phone: "555 123 4567"}); err != nil {
			return err
		}
		ea = es[0]
		if b, es, err = records.CreateClient(ctx, tx, fx.Actor(1), vetshare.Client{LastName: "OBrien", FirstName: "Mary", Phone: "(555) 123-4567"}); err != nil {
			return err
		}
		eb = es[0]
		other, _, err = records.CreateClient(ctx, tx, fx.Actor(1), vetshare.Client{LastName: "O'Brien", FirstName: "Mary"})
		return err
	})
	fx.Update(t, func(tx *vetshare.Tx) error {
		ms, err := duplicates.Find(ctx, tx, fx.Actor(0), a.ID)
		if err != nil {
			return err
		}
		if len(ms) != 2 || ms[0].Client.ID != b.ID || ms[0].Grade != duplicates.GradeMatch || ms[1].Client.ID != other.ID {
			t.Fatalf("Find: %+v", ms)
		}
		if _, err := duplicates.DecideNotSame(ctx, tx, fx.Actor(0), a.ID, other.ID, "a different Mary: checked by phone"); err != nil {
			return err
		}
		if _, err := duplicates.DecideNotSame(ctx, tx, fx.Actor(0), other.ID, a.ID, "again"); !errors.Is(err, vetshare.ErrConflict) {
			t.Errorf("second decision: %v, want ErrConflict", err)
		}
		ms, err = duplicates.Find(ctx, tx, fx.Actor(0), a.ID)
		if err != nil {
			return err
		}
		if len(ms) != 1 || ms[0].Client.ID != b.ID {
			t.Errorf("Find after decision: %+v", ms)
		}
		p, err := duplicates.PreviewMerge(ctx, tx, fx.Actor(0), a.ID, b.ID)
		if err != nil {
			return err
		}
		if len(p.Entries) != 2 || len(p.Aliases) != 0 {
			t.Errorf("preview: %+v", p)
		}
		_, err = duplicates.Merge(ctx, tx, fx.Actor(0), a.ID, b.ID)
		return err
	})
	fx.View(t, func(tx *vetshare.Tx) error {
		c, e, err := records.Client(ctx, tx, fx.Actor(1), b.ID)
		if err != nil || c.ID != a.ID || e.Number != eb.Number {
			t.Errorf("old id in clinic 1: %v %+v %v", c.ID, e, err)
		}
		c, _, err = records.ClientByNumber(ctx, tx, fx.Actor(1), eb.Number)
		if err != nil || c.ID != a.ID {
			t.Errorf("old number in clinic 1: %v %v", c.ID, err)
		}
		c, _, err = records.ClientByNumber(ctx, tx, fx.Actor(0), ea.Number)
		if err != nil || c.ID != a.ID {
			t.Errorf("number in clinic 0: %v %v", c.ID, err)
		}
		return nil
	})
}
