package search

import (
	"slices"
	"strings"
	"testing"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
)

// TestR2_3TwoWordsAreOneRange, R2.3: what a person types as "last, first" or "first last",
// one word whole and the start of the other, is first probed as one range of the n: and m:
// keys, which every client with both names holds; the tiers that check a word per client come
// after, for what those do not find.
func TestR2_3TwoWordsAreOneRange(t *testing.T) {
	for _, tc := range []struct {
		typed string
		first []string // the probes of the first tiers, in order
	}{
		{"smith, jo", []string{"n:smith jo", "n:jo smith", "m:smith jo", "m:jo smith"}},
		{"John Smi", []string{"n:john smi", "n:smi john", "m:john smi", "m:smi john"}},
		{"O'Brien, Seán", []string{"n:obrien sean", "n:sean obrien", "m:obrien sean", "m:sean obrien"}},
		{"van der berg", []string{"n:van der berg", "n:der van berg", "n:berg van der", "m:van der berg"}},
	} {
		tiers, _, ok := Plan(tc.typed)
		if !ok || len(tiers) < len(tc.first) {
			t.Fatalf("Plan(%q): %v %v", tc.typed, tiers, ok)
		}
		var got []string
		for _, tr := range tiers[:len(tc.first)] {
			if tr.Exact || tr.Also != nil {
				t.Errorf("Plan(%q): tier %q is not one plain range", tc.typed, tr.Probe)
			}
			got = append(got, tr.Probe)
		}
		if !slices.Equal(got, tc.first) {
			t.Errorf("Plan(%q) first probes %q, want %q", tc.typed, got, tc.first)
		}
	}
}

// TestR2_3PairKeys: every client with both names holds the keys the two-word tiers probe, for
// each name whole and for each of its first words alone.
func TestR2_3PairKeys(t *testing.T) {
	keys := driver.ClientSearchKeys(vetshare.Client{LastName: "O'Brien-Smith", FirstName: "Mary Ann"})
	for _, want := range []string{
		"n:obrien smith mary ann", "n:obriensmith maryann", "n:smith mary ann", "n:obrien mary", "n:smith ann",
		"m:mary ann obrien smith", "m:mary smith", "m:ann obrien smith",
	} {
		if !slices.Contains(keys, want) {
			t.Errorf("keys %q lack %q", keys, want)
		}
	}
	// One name: its pair keys with the other empty, and none the other way round.
	for _, tc := range []struct {
		c         vetshare.Client
		want, not string
	}{
		{vetshare.Client{LastName: "Smith"}, "n:smith ", driver.KeyFirstLast},
		{vetshare.Client{FirstName: "John"}, "m:john ", driver.KeyLastFirst},
	} {
		keys := driver.ClientSearchKeys(tc.c)
		if !slices.Contains(keys, tc.want) {
			t.Errorf("%+v: keys %q lack %q", tc.c, keys, tc.want)
		}
		for _, k := range keys {
			if strings.HasPrefix(k, tc.not) {
				t.Errorf("%+v: a pair key %q for the name it lacks", tc.c, k)
			}
		}
	}
	// Typed as a person would, each client is in the range of what was typed.
	for _, tc := range []struct {
		c     vetshare.Client
		typed string
	}{
		{vetshare.Client{LastName: "Smith", FirstName: "John"}, "smith, jo"},
		{vetshare.Client{LastName: "Smith", FirstName: "John"}, "john smi"},
		{vetshare.Client{LastName: "Smith", FirstName: "John"}, "jo smith"},
		{vetshare.Client{LastName: "van der Berg", FirstName: "Piet"}, "piet van der"},
		{vetshare.Client{LastName: "van der Berg", FirstName: "Piet"}, "berg, p"},
		{vetshare.Client{LastName: "Nguyễn", FirstName: "Thị Mai"}, "mai nguy"},
	} {
		tiers, _, _ := Plan(tc.typed)
		keys := driver.ClientSearchKeys(tc.c)
		found := slices.ContainsFunc(tiers[:4], func(tr Tier) bool {
			return slices.ContainsFunc(keys, func(k string) bool { return len(k) >= len(tr.Probe) && k[:len(tr.Probe)] == tr.Probe })
		})
		if !found {
			t.Errorf("%q: none of the pair probes reaches %+v (keys %q)", tc.typed, tc.c, keys)
		}
	}
}

// TestR2_3DigitsArePhoneThenNamesAsTyped, R2.3: digits without letters are the digits of a phone
// number first. Several words of them are then names only as typed, "last, first" or "first
// last", so a phone number typed with spaces costs two more ranges, not every order and cut
// of the words; one word is then any name, as without digits.
func TestR2_3DigitsArePhoneThenNamesAsTyped(t *testing.T) {
	for _, tc := range []struct {
		typed, norm string
		probes      []string
	}{
		{"(555) 012-3456", "p:555 012 3456", []string{"p:5550123456", "n:555 012 3456", "m:555 012 3456"}},
		{"00, 0", "p:00 0", []string{"p:000", "n:00 0", "m:00 0"}},
		{"100%", "p:100", []string{"p:100", "n:100 ", "n:100", "m:100 ", "m:100", "e:100%"}},
	} {
		tiers, norm, ok := Plan(tc.typed)
		var got []string
		for _, tr := range tiers {
			got = append(got, tr.Probe)
		}
		if !ok || norm != tc.norm || !slices.Equal(got, tc.probes) {
			t.Errorf("Plan(%q) = %q, %q, %v; want %q, %q", tc.typed, got, norm, ok, tc.probes, tc.norm)
		}
	}
}
