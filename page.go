package vetshare

// Cursor is an opaque position in one list: a page returns the cursor of the next page, and
// the caller hands it back unchanged in [Page.After]. The zero Cursor asks for the first page
// and, returned, says there is no next page. A cursor belongs to the list that returned it:
// given to another list it is refused with [ErrInvalid] (R12.6).
type Cursor string

// Page asks for one page of a list. Every operation that lists takes one and returns the rows
// with the cursor of the next page (R12.6).
type Page struct {
	// Limit is the most rows to return: 0 means [DefaultLimit]; more than [MaxLimit], or less
	// than 0, is refused with [ErrInvalid].
	Limit int
	// After is the cursor a previous page returned; empty for the first page.
	After Cursor
}

// The bounds of [Page.Limit].
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)
