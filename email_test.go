package vetshare_test

import (
	"testing"

	"github.com/vetshare/vetshare"
)

// R1.4: an address normalizes to an addr-spec that is itself an address and normalizes to
// itself, so what is stored and what a request comes from compare equal: a quoted local part
// keeps its quotes.
func TestR1_4NormalizeEmailIsAFixedPoint(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`"Front Desk" <FrontDesk@Clinic.example>`, "frontdesk@clinic.example"},
		{`"front desk"@clinic.example`, `"front desk"@clinic.example`},
		{`"Front Desk" <"Front Desk"@Clinic.example>`, `"front desk"@clinic.example`},
		{`"a\"b"@x.example`, `"a\"b"@x.example`},
		{`"a..b"@x.example`, `"a..b"@x.example`},
		{`"plain"@x.example`, "plain@x.example"},
		{"  o'brien+vets@x.example ", "o'brien+vets@x.example"},
		{"Jörg@Müller.example", "jörg@müller.example"},
	} {
		got, err := vetshare.NormalizeEmail("Email", tc.in)
		if err != nil || got != tc.want {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			continue
		}
		if again, err := vetshare.NormalizeEmail("Email", got); err != nil || again != got {
			t.Errorf("NormalizeEmail(%q) = %q, %v: not a fixed point", got, again, err)
		}
	}
}
