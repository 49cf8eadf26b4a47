package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/duplicates"
)

const duplicatesHelp = `
Usage:

	vetshare duplicates scan --clinic NAME_OR_ID --as EMAIL [--batch-size N] [--after CURSOR] [--json]
	vetshare duplicates list --clinic NAME_OR_ID --as EMAIL [--limit N] [--after CURSOR] [--json]

The day a group starts sharing, the same family often exists as separate clients at two
clinics (R13.1). scan finds the pairs of the owner's clients that may be the same person,
comparing the clients that share an email, a phone (its last 7 digits) or a last and first
name, and keeps them; it needs an owner or admin of the clinic. It works in batches, each its
own transaction, printing one line per batch; Ctrl-C stops it after the batch in hand and
prints the cursor that --after resumes from. A scan without --after starts over.

list shows the pairs the last scan found that the clinic may see, best first: the grade
(match or possible), the score from 0 to 100, both clients and the fields that agree. It shows
--limit pairs (default 20) and, when there are more, the cursor of the next page. Any active
member of the clinic may list. Decide a pair, or merge it, in the practice software.

Example:

	$ vetshare duplicates scan --db clinic.db --clinic North --as alice@north.example
	scan: 12 search keys read, 1 pair graded
	scan done: 12 search keys read, 1 pair graded
	$ vetshare duplicates list --db clinic.db --clinic North --as alice@north.example
	GRADE  SCORE  CLIENT                            CLIENT                              AGREE
	match  80     Mary Walsh (555 123 4567)         mary walsh ((555) 123-4567)         name, phone
`

func runDuplicates(ctx context.Context, e *env, args []string) error {
	sub := ""
	switch {
	case len(args) > 0 && (args[0] == "scan" || args[0] == "list"):
		sub, args = args[0], args[1:]
	case len(args) == 0 || args[0] != "--help" && args[0] != "-help" && args[0] != "-h":
		return usageErr("duplicates: say scan or list (see vetshare duplicates --help)")
	}
	f := newFlags(e, strings.TrimSpace("duplicates "+sub), duplicatesHelp, true)
	after := f.String("after", "", "resume after this cursor (scan) or show the page after it (list)")
	batch := f.Int("batch-size", 5000, "search keys read per transaction (scan)")
	limit := f.Int("limit", 20, "pairs per page (list)")
	rest, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageErr("duplicates %s: unexpected %q", sub, rest[0])
	}
	if *batch < 1 {
		return usageErr("duplicates scan: --batch-size must be at least 1")
	}
	if *limit < 1 || *limit > vetshare.MaxLimit {
		return usageErr("duplicates list: --limit must be from 1 to %d", vetshare.MaxLimit)
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	actor, _, _, err := actorFor(ctx, db, f.as, f.clnc)
	if err != nil {
		return err
	}
	if sub == "scan" {
		return scanDuplicates(ctx, e, f, db.Store, actor, vetshare.Cursor(*after), *batch)
	}
	return listDuplicates(ctx, e, f, db.Store, actor, vetshare.Cursor(*after), *limit)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

func scanDuplicates(ctx context.Context, e *env, f *flags, store vetshare.Store, actor vetshare.Actor, after vetshare.Cursor, batch int) error {
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stopped := false
	progress := func(p duplicates.ScanProgress) {
		if f.json {
			_ = json.NewEncoder(e.stdout).Encode(map[string]any{"keys": p.Keys, "pairs": p.Pairs, "cursor": p.Cursor, "done": p.Done})
		} else if !p.Done {
			fmt.Fprintf(e.stdout, "scan: %s read, %s graded\n", plural(p.Keys, "search key", "search keys"), plural(p.Pairs, "pair", "pairs"))
		}
		select {
		case <-e.stop:
			stopped = true
			cancel() // stop after this batch: the next one does not begin
		default:
		}
	}
	p, err := duplicates.Scan(sctx, store, actor, duplicates.ScanOptions{After: after, BatchSize: batch, Progress: progress})
	if err != nil {
		if stopped || errors.Is(err, context.Canceled) {
			fmt.Fprintf(e.stderr, "duplicates scan: stopped after %s; resume with --after %s\n", plural(p.Keys, "search key", "search keys"), p.Cursor)
			return silent(exitInterrupted)
		}
		return err
	}
	if !f.json {
		fmt.Fprintf(e.stdout, "scan done: %s read, %s graded\n", plural(p.Keys, "search key", "search keys"), plural(p.Pairs, "pair", "pairs"))
	}
	return nil
}

func listDuplicates(ctx context.Context, e *env, f *flags, store vetshare.Store, actor vetshare.Actor, after vetshare.Cursor, limit int) error {
	var pairs []duplicates.Pair
	var next vetshare.Cursor
	err := store.View(ctx, func(tx *vetshare.Tx) error {
		var err error
		pairs, next, err = duplicates.Report(ctx, tx, actor, vetshare.Page{Limit: limit, After: after})
		return err
	})
	if err != nil {
		return err
	}
	if f.json {
		type clientOut struct {
			ID    vetshare.ClientID `json:"id"`
			Name  string            `json:"name"`
			Phone string            `json:"phone,omitempty"`
			Email string            `json:"email,omitempty"`
		}
		type pairOut struct {
			Grade duplicates.Grade `json:"grade"`
			Score int              `json:"score"`
			A     clientOut        `json:"a"`
			B     clientOut        `json:"b"`
			Agree []string         `json:"agree"`
		}
		out := struct {
			Pairs []pairOut       `json:"pairs"`
			Next  vetshare.Cursor `json:"next,omitempty"`
		}{Pairs: []pairOut{}, Next: next}
		for _, p := range pairs {
			c := func(x vetshare.Client) clientOut {
				return clientOut{ID: x.ID, Name: strings.TrimSpace(x.FirstName + " " + x.LastName), Phone: x.Phone, Email: x.Email}
			}
			out.Pairs = append(out.Pairs, pairOut{Grade: p.Grade, Score: p.Score, A: c(p.A), B: c(p.B), Agree: p.Agree})
		}
		return json.NewEncoder(e.stdout).Encode(out)
	}
	if len(pairs) == 0 {
		fmt.Fprintln(e.stdout, "no pairs: none found, or no scan yet (vetshare duplicates scan)")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "GRADE\tSCORE\tCLIENT\tCLIENT\tAGREE")
	who := func(c vetshare.Client) string {
		s := strings.TrimSpace(c.FirstName + " " + c.LastName)
		if c.Phone != "" {
			s += " (" + c.Phone + ")"
		}
		return s
	}
	for _, p := range pairs {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\n", p.Grade, p.Score, who(p.A), who(p.B), strings.Join(p.Agree, ", "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if next != "" {
		fmt.Fprintf(e.stdout, "more: --after %s\n", next)
	}
	return nil
}
