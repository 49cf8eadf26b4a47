//go:build vetshare_nofilter

package postgres

import (
	"context"
	"regexp"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// This file builds only with the tag vetshare_nofilter: the driver then issues every statement
// with its owner filters removed, so that the test of row-level security shows what the
// policies alone let through. Never build a real program with it.
//
// Every owner filter the driver writes is "owner_id = $1" (or "alias.owner_id = $1"); each
// becomes "$1::text IS NOT NULL", true for every row, keeping $1 referenced so the statement
// still takes the same arguments. The owner is still set for the transaction with set_config:
// that is row-level security's input, not a filter.

const ownerFiltersRemoved = true

var ownerFilter = regexp.MustCompile(`\b(?:[a-z_]+\.)?owner_id = \$1\b`)

func removeOwnerFilters(sql string) string {
	return ownerFilter.ReplaceAllString(sql, `$$1::text IS NOT NULL`)
}

func statements(tx pgx.Tx) pgx.Tx { return unfiltered{tx} }

// unfiltered is a pgx.Tx whose Exec, Query and QueryRow (the only methods the driver issues
// statements with) run the statement without its owner filters.
type unfiltered struct{ pgx.Tx }

func (u unfiltered) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	return u.Tx.Exec(ctx, removeOwnerFilters(sql), args...)
}

func (u unfiltered) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	return u.Tx.Query(ctx, removeOwnerFilters(sql), args...)
}

func (u unfiltered) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return u.Tx.QueryRow(ctx, removeOwnerFilters(sql), args...)
}
