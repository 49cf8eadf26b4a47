package vetshare_test

import (
	"encoding/xml"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/vetshare/vetshare"
)

// emailTest is one test of an is_email corpus (its tests.xml format).
type emailTest struct {
	ID        string `xml:"id,attr"`
	Address   string `xml:"address"`
	Category  string `xml:"category"`
	Diagnosis string `xml:"diagnosis"`
}

// The categories of is_email: below its threshold an address is valid (ISEMAIL_VALID_CATEGORY,
// ISEMAIL_DNSWARN: valid, its domain unchecked here; ISEMAIL_RFC5321: valid, but not for every
// mail server); ISEMAIL_ERR is invalid; the rest are valid only under RFC 5322's most lenient
// or obsolete syntax (comments, folding white space, deprecated forms, domain literals), which
// R1.4 may accept or refuse.
var (
	emailValid   = []string{"ISEMAIL_VALID_CATEGORY", "ISEMAIL_DNSWARN", "ISEMAIL_RFC5321"}
	emailInvalid = []string{"ISEMAIL_ERR"}
)

// R1.4 and R11.4 on an email corpus not written here: Dominic Sayers' is_email tests
// (testdata/email/corpus.xml, BSD licence in testdata/email/LICENSE.md; FUZZING.md has the
// counts). Every address is normalized without panicking; each one accepted is a fixed point
// and matches its own upper- and lower-cased forms; each one refused gets an *InvalidError.
// Where net/mail disagrees with the corpus (a valid address refused, an invalid one accepted)
// the cases are listed by diagnosis, not failed: R1.4 compares the addresses it accepts, and
// the corpus's fine points are its own.
func TestR1_4EmailCorpus(t *testing.T) {
	b, err := os.ReadFile("testdata/email/corpus.xml")
	if errors.Is(err, os.ErrNotExist) {
		t.Skip("no corpus in testdata/email/corpus.xml")
	}
	if err != nil {
		t.Fatal(err)
	}
	var corpus struct {
		Tests []emailTest `xml:"test"`
	}
	if err := xml.Unmarshal(b, &corpus); err != nil {
		t.Fatal(err)
	}
	if len(corpus.Tests) == 0 {
		t.Fatal("the corpus has no tests")
	}
	var validMatched, validRefused, invalidRefused, invalidAccepted, otherAccepted, otherRefused int
	disagree := map[string][]string{} // "valid refused: ISEMAIL_..." -> test ids
	for _, tc := range corpus.Tests {
		addr := controls(tc.Address)
		n, err := normalize(addr)
		if errors.Is(err, errPanic) {
			t.Errorf("test %s: NormalizeEmail(%q) panicked: %v", tc.ID, addr, err)
			continue
		}
		valid, invalid := slices.Contains(emailValid, tc.Category), slices.Contains(emailInvalid, tc.Category)
		if err != nil {
			var inv *vetshare.InvalidError
			if !errors.Is(err, vetshare.ErrInvalid) || !errors.As(err, &inv) {
				t.Errorf("test %s: NormalizeEmail(%q) = %v, not an *InvalidError", tc.ID, addr, err)
			}
			switch {
			case valid:
				validRefused++
				disagree["valid refused: "+tc.Diagnosis] = append(disagree["valid refused: "+tc.Diagnosis], tc.ID)
			case invalid:
				invalidRefused++
			default:
				otherRefused++
			}
			continue
		}
		// Accepted: a fixed point that matches its own case-folded forms.
		ok := true
		for _, v := range []string{n, strings.ToUpper(addr), strings.ToLower(addr)} {
			if got, err := normalize(v); err != nil || got != n {
				t.Errorf("test %s (%s): NormalizeEmail(%q) = %q, but NormalizeEmail(%q) = %q, %v", tc.ID, tc.Category, addr, n, v, got, err)
				ok = false
			}
		}
		switch {
		case valid && ok:
			validMatched++
		case invalid:
			invalidAccepted++
			disagree["invalid accepted: "+tc.Diagnosis] = append(disagree["invalid accepted: "+tc.Diagnosis], tc.ID)
		case !valid:
			otherAccepted++
		}
	}
	nValid, nInvalid := 0, 0
	for _, tc := range corpus.Tests {
		switch {
		case slices.Contains(emailValid, tc.Category):
			nValid++
		case slices.Contains(emailInvalid, tc.Category):
			nInvalid++
		}
	}
	t.Logf("%d addresses: %d valid, %d matched their own case-folded forms and %d were refused; %d invalid, %d refused with ErrInvalid and %d accepted; %d of RFC 5322's lenient forms, %d accepted and %d refused",
		len(corpus.Tests), nValid, validMatched, validRefused, nInvalid, invalidRefused, invalidAccepted,
		len(corpus.Tests)-nValid-nInvalid, otherAccepted, otherRefused)
	keys := make([]string, 0, len(disagree))
	for k := range disagree {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		t.Logf("disagreement, %s: tests %s", k, strings.Join(disagree[k], ", "))
	}
}

var errPanic = errors.New("panic")

// normalize is NormalizeEmail with a panic returned as errPanic.
func normalize(s string) (n string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", errPanic, r)
		}
	}()
	return vetshare.NormalizeEmail("Email", s)
}

// controls turns the corpus's pictures of control characters (U+2400 to U+241F, which XML
// cannot carry as themselves) back into the characters.
func controls(s string) string {
	return strings.Map(func(r rune) rune {
		if 0x2400 <= r && r <= 0x241F {
			return r - 0x2400
		}
		return r
	}, s)
}
