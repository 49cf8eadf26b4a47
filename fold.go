package vetshare

import (
	"strings"
	"unicode"
)

// latin folds U+00C0 to U+017F, two bytes a letter ("" for those kept as they are).
var latin = [...]string{
	// U+00C0
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "ss",
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y",
	// U+0100
	"a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",
	"d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",
	"g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",
	"i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l",
	"l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",
	"o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",
	"s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",
	"u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s",
}

// FoldName returns s lower-cased, without accents, with runs of white space made one space and
// trimmed: the form in which names are compared and searched (R2.3). "  Müller-Lüdenscheidt "
// folds to "muller-ludenscheidt", "ÉLODIE" and "É" written with a combining accent to
// "elodie", "GROẞMANN" and "Großmann" to "grossmann". Letters outside Latin are lower-cased and
// kept; combining marks and invisible format characters (zero-width space) are dropped. Folding
// is a fixed point: FoldName(FoldName(s)) == FoldName(s), so a name and what is typed to find it
// fold to the same form.
func FoldName(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case unicode.Is(unicode.Mn, r), unicode.Is(unicode.Cf, r):
			continue // combining marks and invisible format characters (zero-width space, soft hyphen)
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		if r >= 0x80 {
			// Lower first, then fold: ẞ lowers to ß and the Ångström sign to å, which fold
			// further, so the result is a fixed point (FoldName(FoldName(s)) == FoldName(s)).
			r = unicode.ToLower(r)
		}
		switch {
		case r < 0x80:
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b.WriteByte(byte(r))
		case 0xC0 <= r && r <= 0x17F && latin[r-0xC0] != "":
			b.WriteString(latin[r-0xC0])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// NameKey returns the folded "last, first" form of a name, the key by which clients are listed
// and searched.
func NameKey(last, first string) string {
	l, f := FoldName(last), FoldName(first)
	if f == "" {
		return l
	}
	return l + ", " + f
}
