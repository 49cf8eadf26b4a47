// Package cursor makes and reads the opaque cursors of [vetshare.Page]: a cursor names the
// list it belongs to and carries the key of the last row given, so a cursor from another list,
// or one a caller made up, is refused with ErrInvalid instead of paging wrongly (R12.6).
package cursor

import (
	"encoding/base64"
	"encoding/json"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/vetshare/vetshare"
)

// Limit returns the page's limit, [vetshare.DefaultLimit] for 0, or an [*vetshare.InvalidError].
func Limit(p vetshare.Page) (int, error) {
	switch {
	case p.Limit == 0:
		return vetshare.DefaultLimit, nil
	case p.Limit < 0 || p.Limit > vetshare.MaxLimit:
		return 0, &vetshare.InvalidError{Field: "Page.Limit", Reason: "a page holds 1 to 1000 rows"}
	}
	return p.Limit, nil
}

// Make returns the cursor of list after the row whose key is key. Keys are strings, in the
// order the list compares them.
func Make(list string, key ...string) vetshare.Cursor {
	b, _ := json.Marshal(append([]string{list}, key...))
	return vetshare.Cursor(base64.RawURLEncoding.EncodeToString(b))
}

// Read returns the key of c for list: none for the zero cursor, and an [*vetshare.InvalidError]
// for a cursor of another list, or of this list with another number of key parts, or made up.
func Read(list string, c vetshare.Cursor, parts int) ([]string, error) {
	if c == "" {
		return nil, nil
	}
	bad := &vetshare.InvalidError{Field: "Page.After", Reason: "this cursor was not returned by this list"}
	b, err := base64.RawURLEncoding.DecodeString(string(c))
	if err != nil {
		return nil, bad
	}
	var key []string
	if err := json.Unmarshal(b, &key); err != nil || len(key) == 0 || len(key) != parts+1 || key[0] != list {
		return nil, bad
	}
	return key[1:], nil
}

// Trim cuts rows, read with limit+1 as the store's limit, to a page of limit rows and returns
// it with the cursor of the next page: the key of its last row in list, or the zero cursor
// when rows held no more than limit (the last page).
func Trim[T any](list string, rows []T, limit int, key func(T) []string) ([]T, vetshare.Cursor) {
	if len(rows) <= limit {
		return rows, ""
	}
	rows = rows[:limit]
	return rows, Make(list, key(rows[limit-1])...)
}

// Cut pages a list that is read whole and paged here: it orders rows by key (parts compared as
// strings, in order), keeps those after the key after (all of them for nil) and returns a page
// of limit rows with the cursor of the next page in list, as [Trim] does. It compares keys
// rather than looking for the last row given, so a page stays right when that row is gone.
func Cut[T any](list string, rows []T, after []string, limit int, key func(T) []string) ([]T, vetshare.Cursor) {
	slices.SortStableFunc(rows, func(a, b T) int { return slices.Compare(key(a), key(b)) })
	if after != nil {
		rows = rows[sort.Search(len(rows), func(i int) bool { return slices.Compare(key(rows[i]), after) > 0 }):]
	}
	if len(rows) <= limit {
		return rows, ""
	}
	rows = rows[:limit]
	return rows, Make(list, key(rows[limit-1])...)
}

// Time returns t as a key part that sorts as t does: UTC, at a fixed width.
func Time(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000000000Z")
}

// ReadOffset reads the cursor of a best-first list, which has no key to page by: it keeps what
// was typed and how many rows came before ([MakeOffset]). It returns 0 for the zero cursor and
// an [*vetshare.InvalidError] for a cursor of another list or of other typed text.
func ReadOffset(list string, c vetshare.Cursor, typed string) (int, error) {
	key, err := Read(list, c, 2)
	if err != nil || key == nil {
		return 0, err
	}
	n, err := strconv.Atoi(key[1])
	if err != nil || n < 1 || key[0] != typed {
		return 0, &vetshare.InvalidError{Field: "Page.After", Reason: "this cursor was not returned for what is typed now"}
	}
	return n, nil
}

// MakeOffset returns the cursor of a best-first list after offset rows for typed text.
func MakeOffset(list, typed string, offset int) vetshare.Cursor {
	return Make(list, typed, strconv.Itoa(offset))
}
