package records

import (
	"context"
	"strings"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/match"
	"github.com/vetshare/vetshare/internal/txn"
)

// LikelyDuplicate is a client that [CreateClientChecked] found to be likely the person about to
// be created: graded a match by duplicates.Score (R13.1).
type LikelyDuplicate struct {
	Client vetshare.Client
	Score  int      // 0 to 100
	Agree  []string // the fields that agree, as duplicates.Result names them
}

// LikelyDuplicateError is what [CreateClientChecked] returns, creating nothing, when the profile
// about to be created is likely a client the account or its group already has (R13.1), so that
// the host can offer to open or share that client instead. It unwraps to
// [vetshare.ErrConflict]. Matches are best first.
type LikelyDuplicateError struct {
	Name    string // the name of the profile about to be created, "first last"
	Matches []LikelyDuplicate
}

func (e *LikelyDuplicateError) Error() string {
	what := "this client"
	if e.Name != "" {
		what = e.Name
	}
	if len(e.Matches) == 1 {
		return what + " is likely a client the group already has: open or share that client, or create anyway"
	}
	return what + " is likely one of several clients the group already has: open or share one of them, or create anyway"
}

// Unwrap returns [vetshare.ErrConflict].
func (e *LikelyDuplicateError) Unwrap() error { return vetshare.ErrConflict }

// CreateClientChecked is [CreateClient] that first looks for the clients of the account and of
// its group that are likely the same person (R13.1): when duplicates.Score grades one of them
// a match (not merely possible), it creates nothing and returns a [*LikelyDuplicateError]
// listing them. Pairs decided not the same do not apply to a profile that does not exist yet.
// A host that has shown the matches and been told to go ahead creates the client with
// [CreateClient], which never checks. Errors otherwise are those of CreateClient.
func CreateClientChecked(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, c vetshare.Client) (vetshare.Client, []vetshare.ClientEntry, error) {
	const op = "records.CreateClientChecked"
	defer txn.Begin(tx)()
	p, err := checkProfile(c)
	if err != nil {
		return vetshare.Client{}, nil, vetshare.Op(op, err)
	}
	owner, accs, err := match.Visible(ctx, tx, actor)
	if err != nil {
		return vetshare.Client{}, nil, vetshare.Op(op, err)
	}
	p.ID = ""
	ms, err := match.Find(ctx, tx, owner, accs, p, match.ProfileOf(p, nil))
	if err != nil {
		return vetshare.Client{}, nil, vetshare.Op(op, err)
	}
	var likely []LikelyDuplicate
	for _, m := range ms {
		if m.Grade == match.GradeMatch {
			likely = append(likely, LikelyDuplicate{Client: m.Client, Score: m.Score, Agree: m.Agree})
		}
	}
	if len(likely) > 0 {
		name := strings.TrimSpace(p.FirstName + " " + p.LastName)
		return vetshare.Client{}, nil, vetshare.Op(op, &LikelyDuplicateError{Name: name, Matches: likely})
	}
	return CreateClient(ctx, tx, actor, c)
}
