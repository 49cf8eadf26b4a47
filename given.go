package vetshare

import "time"

// MaxGivenAhead is how far after the time it is recorded something may be given as happening
// (R12.4): a day, for a host whose clock, or whose clinic's calendar, runs ahead of the store's.
// Anything later is refused, as a time typed by mistake.
const MaxGivenAhead = 24 * time.Hour

// The years of the times every store keeps at microsecond precision, both SQLite (INTEGER
// microseconds) and PostgreSQL (timestamptz): 1 to 9999, as for [Date].
var (
	minTime = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
)

// ValidTime reports whether t is an instant every store keeps and reads back equal after
// [Time]: in the years 1 to 9999, UTC.
func ValidTime(t time.Time) bool {
	t = Time(t)
	return !t.Before(minTime) && t.Before(maxTime)
}

// GivenTime returns the time something happened as vetshare stores it (R12.4): given, as the
// host gives it (late charting, an import of history), normalized by [Time]; or recorded, the
// transaction's time, when given is zero. It returns an [*InvalidError] for field when given is
// more than [MaxGivenAhead] after recorded, or is not a [ValidTime].
func GivenTime(field string, given, recorded time.Time) (time.Time, error) {
	if given.IsZero() {
		return Time(recorded), nil
	}
	if !ValidTime(given) {
		return time.Time{}, Invalid(field, "not a time the store can keep: it must be in the years 1 to 9999")
	}
	given = Time(given)
	if given.Sub(Time(recorded)) > MaxGivenAhead {
		return time.Time{}, Invalid(field, "more than a day after the time it is recorded")
	}
	return given, nil
}
