package records_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/fixture"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/sharing"
)

// TestR2_3TypeAhead, R2.3: what the front desk types finds the clients a person expects, best
// match first, in the account's own list (records.Clients) and among the group's candidates
// (sharing.Candidates) alike.
func TestR2_3TypeAhead(t *testing.T) {
	ctx := context.Background()
	fx := fixture.New(t, fixture.Options{Accounts: 2})
	people := []vetshare.Client{
		{LastName: "O'Brien", FirstName: "Seán", Phone: "+1 (555) 123-4567", Email: "sean.obrien@example.com"},
		{LastName: "Smith", FirstName: "John", Phone: "555.987.6543", Email: "js@example.com"},
		{LastName: "Smithers", FirstName: "Waylon", Phone: "0044 20 7946 0018"},
		{LastName: "Müller-Lüdenscheidt", FirstName: "Jörg", Email: "jorg_m@example.de"},
		{LastName: "John", FirstName: "Elton"},
		{LastName: "van der Berg", FirstName: "Piet"},
		{LastName: "Nguyễn", FirstName: "Thị Mai"},
		{LastName: "St. James", FirstName: "Anne-Marie", Email: "100%amj@example.org"},
	}
	fx.Update(t, func(tx *vetshare.Tx) error {
		for _, p := range people {
			if _, _, err := records.CreateClient(ctx, tx, fx.Actor(0), p); err != nil {
				return err
			}
		}
		return nil
	})
	fx.Enable(t, vetshare.ModeManual, fx.AccountIDs()...)
	name := func(c vetshare.Client) string { return c.LastName + ", " + c.FirstName }
	for _, tc := range []struct {
		typed string
		want  string // names, "; "-separated, best first; "invalid" for a refusal
	}{
		{"obrien", "O'Brien, Seán"},
		{"OBRIEN", "O'Brien, Seán"},
		{"o'brien", "O'Brien, Seán"},
		{"O’Brien", "O'Brien, Seán"},
		{"o brien", "O'Brien, Seán"},
		{"obr", "O'Brien, Seán"},
		{"sean", "O'Brien, Seán"},
		{"seán o'brien", "O'Brien, Seán"},
		{"obrien, sean", "O'Brien, Seán"},
		{"obrien sean", "O'Brien, Seán"},
		{"smith", "Smith, John; Smithers, Waylon"},
		{"smi", "Smith, John; Smithers, Waylon"},
		{"smith john", "Smith, John; John, Elton; Smithers, Waylon"},
		{"smith,jo", "Smith, John; Smithers, Waylon; John, Elton"},
		{"smith, john", "Smith, John; John, Elton; Smithers, Waylon"},
		{"john smith", "Smith, John; John, Elton; Smithers, Waylon"},
		{"jo smi", "Smith, John; John, Elton; Smithers, Waylon"},
		{"smi wa", "Smithers, Waylon; Smith, John"},
		{"wa, smit", "Smithers, Waylon; Smith, John"},
		{"pi van der", "van der Berg, Piet"},
		{"john", "John, Elton; Smith, John"},
		{"elton john", "John, Elton"},
		{"mul", "Müller-Lüdenscheidt, Jörg"},
		{"müller", "Müller-Lüdenscheidt, Jörg"},
		{"MULLER-LUD", "Müller-Lüdenscheidt, Jörg"},
		{"ludenscheidt", "Müller-Lüdenscheidt, Jörg"},
		{"mullerludenscheidt", "Müller-Lüdenscheidt, Jörg"},
		{"jorg muller", "Müller-Lüdenscheidt, Jörg"},
		{"van der berg", "van der Berg, Piet"},
		{"vanderberg", "van der Berg, Piet"},
		{"berg piet", "van der Berg, Piet"},
		{"nguyễn", "Nguyễn, Thị Mai"},
		{"NGUY", "Nguyễn, Thị Mai"},
		{"mai nguyễn", "Nguyễn, Thị Mai"},
		{"st james", "St. James, Anne-Marie"},
		{"st. james", "St. James, Anne-Marie"},
		{"stjames", "St. James, Anne-Marie"},
		{"anne marie", "St. James, Anne-Marie"},
		{"marie", "St. James, Anne-Marie"},
		{"5551234567", "O'Brien, Seán"},
		{"(555) 123-4567", "O'Brien, Seán"},
		{"555-123", "O'Brien, Seán"},
		{"+1 555 123 4567", "O'Brien, Seán"},
		{"555 987 6543", "Smith, John"},
		{"555", "O'Brien, Seán; Smith, John"},
		{"020 7946 0018", ""},
		{"20 7946 0018", "Smithers, Waylon"},
		{"sean.ob", "O'Brien, Seán"},
		{"js@", "Smith, John"},
		{"JS@EXAMPLE", "Smith, John"},
		{"jorg_", "Müller-Lüdenscheidt, Jörg"},
		{"100%", "St. James, Anne-Marie"},
		{"s%h", ""},
		{"sm_th", ""},
		{`smi\`, "Smith, John; Smithers, Waylon"},
		{"%", "invalid"},
		{"_", "invalid"},
		{`\`, "invalid"},
		{"   ", "invalid"},
		{"zzz", ""},
		{"smith zed", "Smith, John; Smithers, Waylon"},
	} {
		t.Run(tc.typed, func(t *testing.T) {
			for _, where := range []string{"records.Clients", "sharing.Candidates"} {
				var got []string
				var err error
				if where == "records.Clients" {
					fx.View(t, func(tx *vetshare.Tx) error {
						rows, _, err2 := records.Clients(ctx, tx, fx.Actor(0), tc.typed, vetshare.Page{Limit: 10})
						for _, r := range rows {
							got = append(got, name(r.Client))
						}
						err = err2
						return nil
					})
					if strings.TrimSpace(tc.typed) == "" {
						continue // an empty search is the whole list there
					}
				} else {
					fx.View(t, func(tx *vetshare.Tx) error {
						rows, _, err2 := sharing.Candidates(ctx, tx, fx.Actor(1), tc.typed, vetshare.Page{Limit: 10})
						for _, r := range rows {
							got = append(got, name(r.Client))
						}
						err = err2
						return nil
					})
				}
				if tc.want == "invalid" {
					if err == nil || !errors.Is(err, vetshare.ErrInvalid) {
						t.Errorf("%s(%q): got %v, %v; want ErrInvalid", where, tc.typed, got, err)
					}
					continue
				}
				if err != nil {
					t.Fatalf("%s(%q): %v", where, tc.typed, err)
				}
				if diff := cmp.Diff(tc.want, strings.Join(got, "; ")); diff != "" {
					t.Errorf("%s(%q) (-want +got):\n%s", where, tc.typed, diff)
				}
			}
		})
	}
}
