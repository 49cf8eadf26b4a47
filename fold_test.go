package vetshare_test

import (
	"testing"
	"unicode/utf8"

	"github.com/vetshare/vetshare"
)

// R2.3: folding is a fixed point, so a name is found by any spelling that folds like it: GROẞMANN
// (capital sharp s) by groß, gross, Groß and GROẞ; the Ångström sign as Å and a.
func TestR2_3FoldIsAFixedPoint(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"GROẞMANN", "grossmann"},
		{"groß", "gross"},
		{"Groß", "gross"},
		{"GROẞ", "gross"},
		{"\u212Bngstr\u00F6m", "angstrom"}, // the Ångström sign
		{"\u00C5ngstr\u00F6m", "angstrom"},
		{"A\u030Angstro\u0308m", "angstrom"}, // combining ring and diaeresis
		{"\u212Aelvin", "kelvin"},            // the Kelvin sign
		{"Mül\u200Bler", "muller"},           // a zero-width space inside
		{"  Müller-Lüdenscheidt ", "muller-ludenscheidt"},
	} {
		got := vetshare.FoldName(tc.in)
		if got != tc.want {
			t.Errorf("FoldName(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if again := vetshare.FoldName(got); again != got {
			t.Errorf("FoldName(FoldName(%q)) = %q, not %q", tc.in, again, got)
		}
	}
	// Every rune of the Basic Multilingual Plane, alone and after a Latin letter.
	for r := rune(0); r < 0x10000; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		for _, s := range []string{string(r), "a" + string(r) + "Z"} {
			f := vetshare.FoldName(s)
			if g := vetshare.FoldName(f); g != f {
				t.Fatalf("FoldName not a fixed point at %U: %q -> %q -> %q", r, s, f, g)
			}
		}
	}
}
