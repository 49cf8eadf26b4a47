package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/sharing"
)

const groupHelp = `
Usage:

	vetshare group show --clinic NAME_OR_ID --as EMAIL [--json]

Shows the owner of the clinic, all the owner's clinics, and the clinic's share group: its mode
(automatic: new clients are shared at once; manual: the front desk shares them), the clinics
in it now and every clinic that was, with the dates each joined and left, and how many clients
each clinic shares with another. Any active member of the clinic may look.

Example:

	$ vetshare group show --db clinic.db --clinic North --as alice@north.example
	Owner    Riverside Veterinary Group
	Clinics  North, South, East
	Group    automatic mode, since 2026-01-05

	CLINIC  JOINED            LEFT  SHARED CLIENTS
	North   2026-01-05 09:31  -     12
	South   2026-01-05 09:31  -     12
`

func runGroup(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "group show", groupHelp, true)
	if len(args) > 0 && args[0] == "show" {
		args = args[1:]
	} else if len(args) == 0 || args[0] != "--help" && args[0] != "-help" && args[0] != "-h" {
		return usageErr("group: say show (see vetshare group --help)")
	}
	rest, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageErr("group show: unexpected %q", rest[0])
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
	type memberOut struct {
		ID            vetshare.AccountID `json:"id"`
		Name          string             `json:"name"`
		Joined        time.Time          `json:"joined"`
		Left          *time.Time         `json:"left,omitempty"`
		SharedClients int                `json:"shared_clients"`
	}
	var out struct {
		Clinic  clinicOut        `json:"clinic"`
		Owner   string           `json:"owner"`
		Clinics []clinicOut      `json:"clinics"`
		Group   vetshare.GroupID `json:"group,omitempty"`
		Mode    vetshare.Mode    `json:"mode,omitempty"`
		Since   *time.Time       `json:"since,omitempty"`
		Members []memberOut      `json:"members"`
	}
	out.Clinic = clinicOut{ID: acct.ID, Name: acct.Name}
	var g sharing.GroupView
	inGroup := true
	err = db.Store.View(ctx, func(tx *vetshare.Tx) error {
		o, err := accounts.Owner(ctx, tx, actor)
		if err != nil {
			return err
		}
		out.Owner = o.Name
		page := vetshare.Page{Limit: vetshare.MaxLimit}
		for {
			cs, next, err := accounts.Clinics(ctx, tx, actor, page)
			if err != nil {
				return err
			}
			for _, c := range cs {
				out.Clinics = append(out.Clinics, clinicOut{ID: c.ID, Name: c.Name})
			}
			if next == "" {
				break
			}
			page.After = next
		}
		g, err = sharing.Group(ctx, tx, actor)
		if errors.Is(err, vetshare.ErrNotFound) {
			inGroup, err = false, nil
		}
		return err
	})
	if err != nil {
		return err
	}
	shared, err := db.Directory.SharedClients(ctx)
	if err != nil {
		return failed(err)
	}
	if inGroup {
		out.Group, out.Mode, out.Since = g.ID, g.Mode, &g.CreatedAt
		for _, m := range g.History {
			mo := memberOut{ID: m.Account, Name: m.Name, Joined: m.JoinedAt, SharedClients: shared[m.Account]}
			if !m.LeftAt.IsZero() {
				left := m.LeftAt
				mo.Left = &left
			}
			out.Members = append(out.Members, mo)
		}
	}
	if f.json {
		return emitJSON(e.stdout, out)
	}
	t := newTable(e.stdout)
	t.row("Owner", out.Owner)
	var names []string
	for _, c := range out.Clinics {
		names = append(names, c.Name)
	}
	t.row("Clinics", joinNames(names))
	if !inGroup {
		t.row("Group", acct.Name+" is in no share group")
		t.flush()
		return nil
	}
	t.row("Group", fmt.Sprintf("%s mode, since %s", g.Mode, day(g.CreatedAt)))
	t.flush()
	fmt.Fprintln(e.stdout)
	t = newTable(e.stdout, "CLINIC", "JOINED", "LEFT", "SHARED CLIENTS")
	for _, m := range out.Members {
		left := "-"
		if m.Left != nil {
			left = minute(*m.Left)
		}
		t.row(m.Name, minute(m.Joined), left, fmt.Sprint(m.SharedClients))
	}
	t.flush()
	return nil
}

func day(t time.Time) string    { return t.UTC().Format("2006-01-02") }
func minute(t time.Time) string { return t.UTC().Format("2006-01-02 15:04") }

func joinNames(names []string) string {
	if len(names) == 0 {
		return "-"
	}
	s := names[0]
	for _, n := range names[1:] {
		s += ", " + n
	}
	return s
}
