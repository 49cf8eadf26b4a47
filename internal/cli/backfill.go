package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/sharing"
)

const backfillHelp = `
Usage:

	vetshare backfill --clinic NAME_OR_ID --as EMAIL [--batch-size N] [--restart] [--json]

Shares the historical clients of the clinic's share group (R2.9): clients created before a
clinic joined are not shared automatically, and this gives every clinic of the group an entry
for every client some clinic of the group has, each with that clinic's next client number.
It needs an owner or admin of the clinic.

It works in batches, each its own transaction, and prints its progress: a bar with the rate and
the time left on a terminal, one line per batch elsewhere. Ctrl-C stops it after the batch in
hand; the point reached is kept in a file beside the database (FILE.backfill-CLINIC.json; on
PostgreSQL, in your configuration directory, under vetshare/) and the same command
resumes from it. Clients shared already are never shared twice, so running it again, or with
--restart from the beginning, is always safe.

Example:

	$ vetshare backfill --db clinic.db --clinic North --as alice@north.example
	backfill: 500 of 2400 clients examined, 500 shared, 1830/s, about 1s left
	...
	backfill done: 2400 clients examined, 2400 client entries created
`

// backfillState is what a stopped backfill keeps to resume.
type backfillState struct {
	Clinic  vetshare.AccountID `json:"clinic"`
	Cursor  vetshare.ClientID  `json:"cursor"`
	Clients int                `json:"clients"`
	Shared  int                `json:"shared"`
	Saved   time.Time          `json:"saved"`
}

func runBackfill(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "backfill", backfillHelp, true)
	batch := f.Int("batch-size", 500, "clients examined per transaction")
	restart := f.Bool("restart", false, "ignore a saved resume point and start from the first client")
	rest, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageErr("backfill: unexpected %q", rest[0])
	}
	if *batch < 1 {
		return usageErr("backfill: --batch-size must be at least 1")
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	actor, _, acct, err := actorFor(ctx, db, f.as, f.clnc)
	if err != nil {
		return err
	}
	statePath := db.StatePath + ".backfill-" + safeName(string(acct.ID)) + ".json"
	var st backfillState
	resumed := false
	if !*restart {
		if b, err := os.ReadFile(statePath); err == nil {
			if err := json.Unmarshal(b, &st); err != nil || st.Clinic != acct.ID {
				return usageErr("%s is not a resume point of %s: remove it or give --restart", statePath, acct.Name)
			}
			resumed = true
		} else if !errors.Is(err, fs.ErrNotExist) {
			return usageErr("%v", err)
		}
	}
	if resumed && !f.json {
		fmt.Fprintf(e.stdout, "backfill: resuming where it stopped (%d clients examined before)\n", st.Clients)
	}

	var members []vetshare.AccountID
	err = db.Store.View(ctx, func(tx *vetshare.Tx) error {
		g, err := sharing.Group(ctx, tx, actor)
		for _, m := range g.Members {
			members = append(members, m.Account)
		}
		return err
	})
	if err != nil {
		if errors.Is(err, vetshare.ErrNotFound) {
			return &exitError{exitRefused, fmt.Errorf("%s is in no share group: there is nothing to backfill", acct.Name)}
		}
		return err
	}
	total, err := db.Directory.Unshared(ctx, members, st.Cursor)
	if err != nil {
		return failed(err)
	}

	bar := isTerminal(e.stdout) && !f.json
	bctx, cancel := context.WithCancel(ctx)
	defer cancel()
	start := time.Now()
	stopped := false
	save := func(p sharing.BackfillProgress) {
		s := backfillState{Clinic: acct.ID, Cursor: p.Cursor, Clients: st.Clients + p.Clients, Shared: st.Shared + p.Shared, Saved: time.Now().UTC()}
		if b, err := json.Marshal(s); err == nil {
			_ = os.MkdirAll(filepath.Dir(statePath), 0o755)
			_ = os.WriteFile(statePath, b, 0o644)
		}
	}
	progress := func(p sharing.BackfillProgress) {
		if !p.Done {
			save(p) // the resume point, after each committed batch
		}
		rate := float64(p.Clients) / max(time.Since(start).Seconds(), 1e-3)
		left := ""
		if remaining := total - p.Clients; remaining > 0 && rate > 0 && !p.Done {
			left = fmt.Sprintf(", about %s left", (time.Duration(float64(remaining) / rate * float64(time.Second))).Round(time.Second))
		}
		switch {
		case f.json:
			_ = json.NewEncoder(e.stdout).Encode(map[string]any{"clients": p.Clients, "of": total, "shared": p.Shared, "rate": int(rate), "cursor": p.Cursor, "done": p.Done})
		case bar:
			const width = 30
			frac := 1.0
			if total > 0 && !p.Done {
				frac = min(float64(p.Clients)/float64(total), 1)
			}
			n := int(frac * width)
			fmt.Fprintf(e.stdout, "\r[%s%s] %3d%% %d/%d clients, %d shared, %.0f/s%s   ", strings.Repeat("=", n), strings.Repeat(" ", width-n), int(frac*100), p.Clients, total, p.Shared, rate, left)
		default:
			fmt.Fprintf(e.stdout, "backfill: %d of %d clients examined, %d shared, %.0f/s%s\n", p.Clients, total, p.Shared, rate, left)
		}
		select {
		case <-e.stop:
			stopped = true
			cancel() // stop after this batch: the next one does not begin
		default:
		}
	}
	p, err := sharing.Backfill(bctx, db.Store, actor, sharing.BackfillOptions{After: st.Cursor, BatchSize: *batch, Progress: progress})
	if bar {
		fmt.Fprintln(e.stdout)
	}
	if err != nil {
		if stopped || errors.Is(err, context.Canceled) {
			if p.Cursor != "" {
				save(p)
			}
			fmt.Fprintf(e.stderr, "backfill: stopped after %d clients (%d shared); run the same command to resume\n", st.Clients+p.Clients, st.Shared+p.Shared)
			return silent(exitInterrupted)
		}
		return err
	}
	_ = os.Remove(statePath)
	if f.json {
		return nil
	}
	fmt.Fprintf(e.stdout, "backfill done: %d clients examined, %d client entries created\n", st.Clients+p.Clients, st.Shared+p.Shared)
	return nil
}

// safeName keeps the letters, digits, '-' and '_' of an id for a file name.
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, s)
}

// isTerminal reports whether w is a terminal.
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
