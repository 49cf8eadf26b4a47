//go:build vetshare_pg

package pgengine

import (
	"testing"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/testengine"
	"github.com/vetshare/vetshare/postgres"
	"github.com/vetshare/vetshare/postgres/pgtest"
)

func init() {
	testengine.Name = "postgres"
	testengine.Open = func(tb testing.TB, clock vetshare.Clock) vetshare.Store {
		tb.Helper()
		return pgtest.Open(tb, postgres.WithClock(clock))
	}
}
