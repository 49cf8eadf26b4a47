package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/txn"
)

// R12.7: SQLite's failures reach a host as the library's errors, told apart by SQLite's result
// code, each with a fixed sentence and none of SQLite's own text; a write in a View matches
// ErrNotPermitted.
func TestR12_7TranslateByCode(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "vetshare.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Update(ctx, func(tx *vetshare.Tx) error {
		_, err := txn.D(tx).(*dtx).exec(ctx, `INSERT INTO vetshare_owners (id, name, created_at) VALUES ('o1', 'Riverside', 1)`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		query    string
		view     bool
		want     string
		sentinel error
		target   any
	}{
		{"Unique", `INSERT INTO vetshare_owners (id, name, created_at) VALUES ('o1', 'Again', 2)`, false,
			"this would duplicate something already stored", vetshare.ErrConflict, new(*vetshare.ConflictError)},
		{"ForeignKey", `INSERT INTO vetshare_memberships (user_id, account_id, role, permissions, active) VALUES ('nobody', 'nowhere', 'staff', 0, 1)`, false,
			"something this refers to not found", vetshare.ErrNotFound, new(*vetshare.NotFoundError)},
		{"NotNull", `INSERT INTO vetshare_owners (id, name, created_at) VALUES ('o2', NULL, 2)`, false,
			"a value is missing or out of range", vetshare.ErrInvalid, new(*vetshare.InvalidError)},
		{"Check", `INSERT INTO vetshare_items (id, account_id, name, name_key, kind, tracked, created_at) VALUES ('i1', 'nowhere', 'x', 'x', 'gadget', 0, 1)`, false,
			"a value is missing or out of range", vetshare.ErrInvalid, new(*vetshare.InvalidError)},
		{"WriteInView", `INSERT INTO vetshare_owners (id, name, created_at) VALUES ('o3', 'Riverside', 3)`, true,
			"a read-only transaction cannot write", vetshare.ErrNotPermitted, new(*vetshare.NotPermittedError)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run := s.Update
			if tt.view {
				run = s.View
			}
			err := run(ctx, func(tx *vetshare.Tx) error {
				_, err := txn.D(tx).(*dtx).exec(ctx, tt.query)
				return err
			})
			if err == nil {
				t.Fatal("no error")
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("message %q, want %q", got, tt.want)
			}
			if strings.Contains(strings.ToLower(err.Error()), "constraint") || strings.Contains(err.Error(), "SQL") {
				t.Errorf("message %q holds SQLite's text", err)
			}
			if !errors.Is(err, tt.sentinel) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.sentinel)
			}
			if !errors.As(err, tt.target) {
				t.Errorf("errors.As(%v, %T) = false", err, tt.target)
			}
		})
	}
}
