// Package member answers, as accounts.Check does, an operation that let the store check its
// actor in a read (a driver call given the actor as its member) and was refused.
package member

import (
	"context"
	"errors"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
)

// Refusal returns what [accounts.Check] returns for actor when err is the store's refusal of
// the actor as a member (an error matching [vetshare.ErrNotPermitted] from a driver call given
// actor.User as its member): the same [*vetshare.NotPermittedError], with the names, as an
// operation that checks its actor first. Any other err is returned as it is. Check reads again
// only on this path, a refusal's.
func Refusal(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, err error) error {
	if !errors.Is(err, vetshare.ErrNotPermitted) {
		return err
	}
	return First(ctx, tx, actor, err)
}

// First returns Check's refusal of actor when there is one, and err otherwise: for an
// operation that defers the check of its actor to the store's read and meets an error before
// that read (a bad request), so that a refused actor is told so first, as Check first would.
func First(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, err error) error {
	if _, cerr := accounts.Check(ctx, tx, actor); cerr != nil {
		return cerr
	}
	return err
}
