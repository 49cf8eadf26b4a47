package txn

import (
	"errors"

	"github.com/vetshare/vetshare"
)

// IDTaken returns err, but as a [*vetshare.ConflictError] naming the kind of thing and its id
// when err matches [vetshare.ErrConflict]: inserting a thing whose only key is its id collides
// only with a thing of the same id, which a host gave (R12.3).
func IDTaken[T vetshare.ID](err error, kind string, id T) error {
	if errors.Is(err, vetshare.ErrConflict) {
		return &vetshare.ConflictError{Kind: kind, ID: string(id), Reason: "the id is already taken by another " + kind}
	}
	return err
}
