package vetshare

import "time"

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
