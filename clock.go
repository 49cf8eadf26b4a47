package vetshare

import (
	"sync"
	"time"
)

// Clock tells the time. Operations take the time of a transaction from a Clock once, so that
// every row a transaction writes carries the same instant, and tests control time and never
// sleep.
type Clock interface {
	Now() time.Time
}

// SystemClock is the [Clock] of the machine.
type SystemClock struct{}

// Now returns the current time, in UTC at microsecond precision (see [Time]).
func (SystemClock) Now() time.Time { return Time(time.Now()) }

// FixedClock is a [Clock] for tests: it returns T until it is moved with Add or Set.
// It is not safe for concurrent Add or Set with Now.
type FixedClock struct{ T time.Time }

// Now returns the clock's time, normalized by [Time].
func (c *FixedClock) Now() time.Time { return Time(c.T) }

// Add moves the clock by d.
func (c *FixedClock) Add(d time.Duration) { c.T = c.T.Add(d) }

// Time returns t in UTC truncated to the microsecond: the precision at which every store keeps
// time, so that a value read back equals the value written.
func Time(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// The bounds of the times every store keeps exactly: the years 1 to 9999, UTC, which SQLite's
// microseconds and PostgreSQL's timestamptz both round-trip.
var (
	minTime = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(9999, 12, 31, 23, 59, 59, 999999000, time.UTC)
)

// CheckTime returns an [*InvalidError] for field when t is not zero and falls outside the
// years 1 to 9999: a time no store could give back as it was written (R11.1).
func CheckTime(field string, t time.Time) error {
	// Compared as stored: the nanoseconds of year 9999's last microsecond are kept, truncated.
	if !t.IsZero() && (t.Before(minTime) || Time(t).After(maxTime)) {
		return &InvalidError{Field: field, Reason: "outside the years 1 to 9999"}
	}
	return nil
}

// TickClock is a settable [Clock] that is safe for concurrent use and moves on by one
// microsecond at every reading, so that successive transactions get distinct, ordered times.
// Tests and data generators drive a store's time with it. Its zero value reads from the Unix
// epoch.
type TickClock struct {
	mu sync.Mutex
	t  time.Time
}

// NewTickClock returns a TickClock set to t.
func NewTickClock(t time.Time) *TickClock { return &TickClock{t: Time(t)} }

// Now returns the clock's time and moves it on by a microsecond.
func (c *TickClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := Time(c.t)
	c.t = t.Add(time.Microsecond)
	return t
}

// Set sets the clock to t.
func (c *TickClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = Time(t)
	c.mu.Unlock()
}

// Add moves the clock by d.
func (c *TickClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}
