package cursor_test

import (
	"errors"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/cursor"
)

// FuzzRead, R12.6 and R11.4: Read never panics on any cursor a caller hands back; what it does not
// refuse with ErrInvalid is a key of the list asked for, with the parts asked for.
func FuzzRead(f *testing.F) {
	for _, c := range []string{"", "%%%", "e30", "W10", "WyJ4Il0", "WyJ4IiwiYSJd", "WyJ4IiwxXQ", "bnVsbA",
		string(cursor.Make("records.Clients", "smith\x00john", "01J")), string(cursor.Make("x", "a")) + "=", "\xff"} {
		f.Add(c, "records.Clients", 2)
		f.Add(c, "x", 1)
	}
	f.Fuzz(func(t *testing.T, c, list string, parts int) {
		key, err := cursor.Read(list, vetshare.Cursor(c), parts)
		switch {
		case err != nil:
			if !errors.Is(err, vetshare.ErrInvalid) {
				t.Fatalf("Read(%q, %q, %d) = %v, want ErrInvalid", list, c, parts, err)
			}
		case c == "":
			if key != nil {
				t.Fatalf("the zero cursor reads as %q", key)
			}
		case len(key) != parts:
			t.Fatalf("Read(%q, %q, %d) = %q: %d parts", list, c, parts, key, len(key))
		case cursor.Make(list, key...) == "" || !readsAs(list, cursor.Make(list, key...), key):
			t.Fatalf("Read(%q, %q, %d) = %q, which does not make a cursor that reads back", list, c, parts, key)
		}
	})
}

// FuzzMakeRead, R12.6: a cursor made for a list reads back as its key in that list, with that
// many parts, and is refused by any other list or number of parts.
func FuzzMakeRead(f *testing.F) {
	f.Add("records.Clients", "smith\x00john", "01J", "tasks.AccountTasks")
	f.Add("x", "", "", "x ")
	f.Add("", "\xff\xfe", "\u2028", "X")
	f.Add("l", `"]`, `\`, "L")
	f.Fuzz(func(t *testing.T, list, a, b, other string) {
		if !utf8.ValidString(list) {
			t.Skip("list names are Go constants, valid UTF-8")
		}
		for _, key := range [][]string{{a}, {a, b}, {b, a, b}} {
			c := cursor.Make(list, key...)
			if c == "" {
				t.Fatalf("Make(%q, %q) is the zero cursor, which means the first page", list, key)
			}
			if !readsAs(list, c, key) {
				got, err := cursor.Read(list, c, len(key))
				t.Fatalf("Make(%q, %q) reads back as %q, %v", list, key, got, err)
			}
			if _, err := cursor.Read(list, c, len(key)+1); !errors.Is(err, vetshare.ErrInvalid) {
				t.Fatalf("Make(%q, %q) read with %d parts: %v, want ErrInvalid", list, key, len(key)+1, err)
			}
			if other != list {
				if _, err := cursor.Read(other, c, len(key)); !errors.Is(err, vetshare.ErrInvalid) {
					t.Fatalf("Make(%q, %q) read by list %q: %v, want ErrInvalid", list, key, other, err)
				}
			}
		}
	})
}

// readsAs reports whether c reads back as key in list. JSON carries strings as UTF-8, so a key
// part that is not valid UTF-8 reads back with U+FFFD in place of its bad bytes: that is the
// same key for every list, which never holds such keys (names and ids are checked UTF-8).
func readsAs(list string, c vetshare.Cursor, key []string) bool {
	got, err := cursor.Read(list, c, len(key))
	if err != nil {
		return false
	}
	want := make([]string, len(key))
	for i, k := range key {
		want[i] = string([]rune(k)) // bad bytes as U+FFFD, as encoding/json writes them
	}
	return slices.Equal(got, want)
}
