package cursor_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/cursor"
)

// R12.6: a cursor reads back as its key in its own list only.
func TestR12_6CursorRoundTrip(t *testing.T) {
	c := cursor.Make("records.Clients", "smith\x00john", "01J")
	got, err := cursor.Read("records.Clients", c, 2)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"smith\x00john", "01J"}, got); d != "" {
		t.Errorf("key (-want +got): %s", d)
	}
	for _, bad := range []struct {
		list  string
		c     vetshare.Cursor
		parts int
	}{{"tasks.AccountTasks", c, 2}, {"records.Clients", c, 1}, {"records.Clients", "%%%", 2}, {"records.Clients", "e30", 2}} {
		if _, err := cursor.Read(bad.list, bad.c, bad.parts); !errors.Is(err, vetshare.ErrInvalid) {
			t.Errorf("Read(%q, %q, %d) = %v, want ErrInvalid", bad.list, bad.c, bad.parts, err)
		}
	}
	if k, err := cursor.Read("x", "", 1); k != nil || err != nil {
		t.Errorf("zero cursor: %v, %v", k, err)
	}
	for _, l := range []int{-1, vetshare.MaxLimit + 1} {
		if _, err := cursor.Limit(vetshare.Page{Limit: l}); !errors.Is(err, vetshare.ErrInvalid) {
			t.Errorf("Limit %d: %v", l, err)
		}
	}
}

// R12.6: a list paged in memory continues after the key of the last row given, in key order,
// even when that row is gone.
func TestR12_6CutAfterAGoneRow(t *testing.T) {
	key := func(s string) []string { return []string{s} }
	rows, next := cursor.Cut("l", []string{"d", "a", "c", "b"}, nil, 2, key)
	if d := cmp.Diff([]string{"a", "b"}, rows); d != "" || next == "" {
		t.Fatalf("first page (-want +got): %s, next %q", d, next)
	}
	after, err := cursor.Read("l", next, 1)
	if err != nil {
		t.Fatal(err)
	}
	rows, next = cursor.Cut("l", []string{"d", "a", "c"}, after, 2, key) // b is gone
	if d := cmp.Diff([]string{"c", "d"}, rows); d != "" || next != "" {
		t.Errorf("last page (-want +got): %s, next %q", d, next)
	}
}
