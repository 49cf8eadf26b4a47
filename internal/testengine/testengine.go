// Package testengine is where the store engine of vetshare's own tests is chosen. It holds a
// hook, Open, that package vetsharetest calls when it is set; package pgengine, built only with
// -tags vetshare_pg, sets it to open a PostgreSQL store. The hook lives in an internal package,
// which no host can import, so that nothing a host's build reads ever imports the postgres
// module (see vetsharetest's documentation for why).
package testengine

import (
	"testing"

	"github.com/vetshare/vetshare"
)

// Open, when not nil, opens a new, empty, migrated store for one test, with clock as its clock,
// closed and discarded when the test ends.
var Open func(tb testing.TB, clock vetshare.Clock) vetshare.Store

// Name is the engine the tests run on: "sqlite", or "postgres" once pgengine has set Open.
var Name = "sqlite"
