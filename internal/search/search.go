// Package search turns what a person types into probes of the clients' search keys (R2.3),
// for sharing.Candidates and records.Clients, so that both match alike.
package search

import (
	"context"
	"slices"
	"strings"
	"unicode"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
)

// Tier is one probe of the search keys; the tiers of a plan come best match first.
type Tier = driver.SearchTier

// maxWords bounds the words of a typed text that take part in a search.
const maxWords = 4

// Plan returns the probes for typed, best match first, and the normalized text they stand for
// (the same for inputs that search alike, for cursors); ok is false when typed has no letter or
// digit.
//
//   - With an @, the start of an email address first, then the names, as without it (the @
//     dropped, as a name's keys drop it).
//   - Without letters and with at least 3 digits, the digits of a phone number in any format
//     first. Then, for names that are digits, one word as below; several words only as a
//     start of "last, first" or "first last" in the order typed.
//   - One word: an exact last name, a last name starting with it, an exact first name, a first
//     name starting with it, then an email address starting with it.
//   - Several words (at spaces, hyphens, commas; "last, first" or "first last"): a client whose
//     last name is one word and whose first name starts with the others ("smith, jo", "jo
//     smith"); a client whose first name is one word and whose last name starts with the
//     others ("john smi"); the words joined as one last name ("o brien"), then as one first
//     name ("anne marie"); a client whose last name starts with one word and whose first name
//     starts with the others, then the same with first and last swapped ("smi jo"); then the
//     clients matching one word as a last name, exactly, then by its start. A match of a word
//     to another word of the same name ("jones smith" for Smith-Jones) is found only as the
//     names joined in the order typed.
//
// Characters other than letters, digits and separators are dropped (O'Brien is obrien); the
// LIKE wildcards %, _ and \ are such characters, never patterns.
func Plan(typed string) (tiers []Tier, norm string, ok bool) {
	t := strings.TrimSpace(typed)
	lower := strings.ToLower(t)
	folded := vetshare.FoldName(t)
	hasLetter := strings.ContainsFunc(folded, unicode.IsLetter)
	words := driver.SplitWords(t)
	if strings.Contains(lower, "@") {
		// The start of an email address first; then, as for any text, the names that hold its
		// words ("0@" may be a first name as much as an address being typed). A name's keys drop
		// the @ without splitting at it, so the names are searched for the text without it:
		// "js@ex" is the one word jsex, a few probes, not the many of two words.
		tiers = append(tiers, Tier{Probe: driver.KeyEmail + lower})
		if len(words) == 0 {
			return tiers, "e:" + lower, true
		}
		more, _, _ := Plan(strings.ReplaceAll(t, "@", ""))
		return append(tiers, more...), "e:" + lower, true
	}
	if len(words) == 0 {
		return nil, "", false
	}
	if len(words) > maxWords {
		words = words[:maxWords]
	}
	norm = "w:" + strings.Join(words, " ")
	if d := driver.PhoneDigits(t); !hasLetter && len(d) >= 3 {
		// Digits are a phone number first, then names that have them ("100% Pure"). Several
		// words of digits are names only as typed, "last, first" or "first last" ("00, 0" for
		// a client whose names are digits): two ranges, where the names' every order and cut
		// would be twenty more, and double the time of every phone number typed with spaces.
		tiers = append(tiers, Tier{Probe: driver.KeyPhone + d})
		norm = "p:" + strings.Join(words, " ")
		if len(words) > 1 {
			joined := strings.Join(words, " ")
			return append(tiers, Tier{Probe: driver.KeyLastFirst + joined}, Tier{Probe: driver.KeyFirstLast + joined}), norm, true
		}
	}
	if len(words) == 1 {
		// A last name equal to the word ("n:smith " holds every form of the name followed by
		// the first), one starting with it, then the same of the first name.
		w := words[0]
		tiers = append(tiers, []Tier{
			{Probe: driver.KeyLastFirst + w + " "},
			{Probe: driver.KeyLastFirst + w},
			{Probe: driver.KeyFirstLast + w + " "},
			{Probe: driver.KeyFirstLast + w},
		}...)
		if !strings.ContainsFunc(lower, unicode.IsSpace) {
			tiers = append(tiers, Tier{Probe: driver.KeyEmail + lower})
		}
		return tiers, norm, true
	}
	// Both names. One word whole and the others, in the order typed, the start of the other
	// name: "smith, jo" and "jo smith" are n:smith jo, "john smi" and "smi john" m:john smi.
	// Then the words joined as one name ("o brien", "mary ann"). Then both cut short, "smi jo":
	// the first names of the pair keys that start with one word, each continued by the others.
	// Each tier is one range of keys, or one range for each name that starts with the word.
	rest := func(i int) string { return strings.Join(slices.Delete(slices.Clone(words), i, i+1), " ") }
	add := func(t Tier) {
		if !slices.ContainsFunc(tiers, func(u Tier) bool { return u.Probe == t.Probe && u.Then == t.Then && u.Exact == t.Exact }) {
			tiers = append(tiers, t)
		}
	}
	for _, kind := range []string{driver.KeyLastFirst, driver.KeyFirstLast} {
		for i, w := range words {
			add(Tier{Probe: kind + w + " " + rest(i)})
		}
	}
	add(Tier{Probe: driver.KeyLastFirst + strings.Join(words, "")})
	add(Tier{Probe: driver.KeyFirstLast + strings.Join(words, "")})
	if len(words) == 2 {
		// A last name starting with one word and a first name starting with the other is the
		// same set of clients as n:last then first and as m:first then last: probe it by the
		// longer start, which has the fewer names to skip through ("smith, ro": n:smith then
		// ro, not m:ro then smith, whose names are every first name in ro).
		for _, p := range [][2]string{{words[0], words[1]}, {words[1], words[0]}} {
			last, first := p[0], p[1]
			if len(last) >= len(first) {
				add(Tier{Probe: driver.KeyLastFirst + last, Then: first})
			} else {
				add(Tier{Probe: driver.KeyFirstLast + first, Then: last})
			}
		}
	} else {
		for _, kind := range []string{driver.KeyLastFirst, driver.KeyFirstLast} {
			for i, w := range words {
				add(Tier{Probe: kind + w, Then: rest(i)})
			}
		}
	}
	// Then the clients matching one word as a last name, exactly, then by its start.
	for _, w := range words {
		add(Tier{Probe: driver.KeyLastFirst + w + " "})
	}
	for _, w := range words {
		add(Tier{Probe: driver.KeyLastFirst + w})
	}
	return tiers, norm, true
}

// Find runs the tiers in scope (a [driver.ClientSearch] without Probe, Also and Limit) and
// returns up to n distinct clients, best match first: the clients of the first tier, then those
// of the next not found already, stopping when n are found; with scope.Account, each with its
// entry there. The store gets every tier in one search ([driver.ClientSearch] Tiers), which it
// may answer with one statement.
func Find(ctx context.Context, d driver.Tx, scope driver.ClientSearch, tiers []Tier, n int) ([]driver.ClientRow, error) {
	q := scope
	q.Limit, q.Tiers = n, tiers
	return d.SearchClients(ctx, q)
}
