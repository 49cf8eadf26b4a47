package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/audit"
)

const auditHelp = `
Usage:

	vetshare audit verify --clinic NAME_OR_ID --as EMAIL [--json]
	vetshare audit show   --clinic NAME_OR_ID --as EMAIL [--limit N] [--raw] [--json]

The audit log (R10) records every sharing decision, group change, client share and
cross-clinic write of an owner, each entry chained to the one before by a hash, so a change to
a stored entry shows.

  verify  recomputes the chain of the clinic's owner. Exit 0: it holds; 1: it is broken, and
          the first broken entry is named.
  show    lists the entries, newest last, with their evidence: for a sharing request, the
          sender, the signature check, an override and its reason, and every refusal reason.
          --raw prints the whole email message kept with the decision.

Reading the log needs an owner or admin of a clinic of the owner.

Example:

	$ vetshare audit verify --db clinic.db --clinic North --as alice@north.example
	The audit log of Riverside Veterinary Group holds: 42 entries, each chained to the one before.
`

func runAudit(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || (args[0] != "verify" && args[0] != "show") {
		f := newFlags(e, "audit", auditHelp, true)
		if _, err := f.parse(args); err != nil {
			return err
		}
		return usageErr("audit: say verify or show (see vetshare audit --help)")
	}
	sub := args[0]
	f := newFlags(e, "audit "+sub, auditHelp, true)
	limit := f.Int("limit", 0, "show the last `n` entries only (0: all)")
	raw := f.Bool("raw", false, "print the email messages kept as evidence in full")
	rest, err := f.parse(args[1:])
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageErr("audit %s: unexpected %q", sub, rest[0])
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
	if sub == "verify" {
		var n int64
		var owner vetshare.Owner
		verr := db.Store.View(ctx, func(tx *vetshare.Tx) error {
			var err error
			if owner, err = accounts.Owner(ctx, tx, actor); err != nil {
				return err
			}
			n, err = audit.Verify(ctx, tx, actor)
			return err
		})
		if verr != nil && owner.Name == "" {
			return verr
		}
		if f.json {
			out := map[string]any{"owner": owner.Name, "entries": n, "ok": verr == nil}
			if verr != nil {
				out["problem"] = verr.Error()
			}
			if err := emitJSON(e.stdout, out); err != nil {
				return err
			}
		} else if verr == nil {
			fmt.Fprintf(e.stdout, "The audit log of %s holds: %d entries, each chained to the one before.\n", owner.Name, n)
		} else {
			fmt.Fprintf(e.stdout, "The audit log of %s is BROKEN after %d good entries: %v\n", owner.Name, n, verr)
		}
		if verr != nil {
			return silent(classify(verr))
		}
		return nil
	}

	names, err := clinicNames(ctx, db)
	if err != nil {
		return err
	}
	var entries []vetshare.AuditEntry
	err = db.Store.View(ctx, func(tx *vetshare.Tx) error {
		page := vetshare.Page{Limit: vetshare.MaxLimit}
		for {
			es, next, err := audit.Log(ctx, tx, actor, page)
			if err != nil {
				return err
			}
			entries = append(entries, es...)
			if next == "" {
				return nil
			}
			page.After = next
		}
	})
	if err != nil {
		return err
	}
	if *limit > 0 && len(entries) > *limit {
		entries = entries[len(entries)-*limit:]
	}
	users := map[vetshare.UserID]string{}
	userName := func(id vetshare.UserID) string {
		if id == "" {
			return "vetshare"
		}
		if n, ok := users[id]; ok {
			return n
		}
		n := string(id)
		if u, err := db.Directory.User(ctx, id); err == nil {
			n = u.Name
		}
		users[id] = n
		return n
	}
	type entryOut struct {
		Seq       int64              `json:"seq"`
		At        time.Time          `json:"at"`
		User      string             `json:"user"`
		UserID    vetshare.UserID    `json:"user_id,omitempty"`
		Clinic    string             `json:"clinic"`
		ClinicID  vetshare.AccountID `json:"clinic_id,omitempty"`
		Action    string             `json:"action"`
		Subject   string             `json:"subject"`
		Outcome   string             `json:"outcome"`
		Operation string             `json:"operation,omitempty"`
		Evidence  json.RawMessage    `json:"evidence,omitempty"`
	}
	var outs []entryOut
	for _, en := range entries {
		o := entryOut{Seq: en.Seq, At: en.At, User: userName(en.UserID), UserID: en.UserID, Clinic: names[en.AccountID], ClinicID: en.AccountID,
			Action: en.Action, Subject: en.Subject, Outcome: en.Outcome, Operation: string(en.OperationID)}
		if json.Valid([]byte(en.Detail)) {
			o.Evidence = json.RawMessage(en.Detail)
		}
		outs = append(outs, o)
	}
	if f.json {
		return emitJSON(e.stdout, outs)
	}
	for _, o := range outs {
		fmt.Fprintf(e.stdout, "#%d  %s  %s  %s  by %s at %s\n", o.Seq, minute(o.At), o.Action, o.Outcome, o.User, orDash(o.Clinic))
		printEvidence(e, o.Evidence, *raw)
	}
	fmt.Fprintf(e.stdout, "%d entries\n", len(outs))
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// printEvidence prints an entry's detail: a sharing decision's request and evidence in words,
// anything else as its JSON.
func printEvidence(e *env, detail json.RawMessage, raw bool) {
	if len(detail) == 0 {
		return
	}
	var d struct {
		Request *struct {
			From      string
			Reference string
			Evidence  *struct {
				Message           string
				Date              time.Time
				SignatureVerified bool
				Verification      string
				Override          string
				OverrideBy        string
			}
		} `json:"request"`
		Reasons []string `json:"reasons"`
	}
	if err := json.Unmarshal(detail, &d); err != nil || d.Request == nil {
		fmt.Fprintf(e.stdout, "    %s\n", detail)
		return
	}
	r := d.Request
	fmt.Fprintf(e.stdout, "    request from %s", r.From)
	if r.Reference != "" {
		fmt.Fprintf(e.stdout, ", message %s", r.Reference)
	}
	fmt.Fprintln(e.stdout)
	if ev := r.Evidence; ev != nil {
		fmt.Fprintf(e.stdout, "    sent %s; signature: %s\n", minute(ev.Date), ev.Verification)
		if ev.Override != "" {
			fmt.Fprintf(e.stdout, "    OVERRIDE by %s: %q\n", ev.OverrideBy, ev.Override)
		}
		if raw {
			fmt.Fprintln(e.stdout, "    message as received:")
			for _, l := range strings.Split(strings.ReplaceAll(ev.Message, "\r\n", "\n"), "\n") {
				fmt.Fprintf(e.stdout, "    | %s\n", l)
			}
		} else {
			fmt.Fprintf(e.stdout, "    message kept: %d bytes (--raw prints it)\n", len(ev.Message))
		}
	}
	for _, reason := range d.Reasons {
		fmt.Fprintf(e.stdout, "    refused: %s\n", reason)
	}
}
