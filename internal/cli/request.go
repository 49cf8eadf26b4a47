package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/sharing"
)

const requestHelp = `
Usage:

	vetshare request check   [flags] MESSAGE.eml
	vetshare request approve [flags] MESSAGE.eml
	vetshare request remove  [flags] MESSAGE.eml

A clinic asks for record sharing in writing, by email (R1.2, R1.9). Save the email as a .eml
file ("Save as" or "Download original" in the mail program) and:

  check    reads the message and prints the decision, with every reason it fails, changing
           nothing. Exit 0: it would be approved; 1: it is refused.
  approve  decides an enable request and, when approved, applies it: one transaction creates
           the group or adds the clinics to it. The decision, approved or not, is written to
           the audit log with the raw message and the signature check as evidence.
  remove   decides and applies a request for a clinic to leave its group (R1.7). Nothing
           already shared is unshared; the result says how many clients stay shared.

The sender is the message's From address: it must be a clinic's address on file (R1.4), and
the requester is the user with that email, who must be an active, verified owner or admin of
every clinic named (R1.3). The message must carry a DKIM signature of the sender's domain
that verifies (R1.9): a forged From, a body changed after signing, a signature of another
domain or no signature at all are refused, each with its reason. When a clinic cannot sign its
mail, a support person who has confirmed the request another way may approve it with
--override "why" (and --as their email, recorded): the override is kept in the audit log.

` + requestFormat + `
Keys are looked up in DNS; --dkim-keys FILE answers from a file instead (offline, tests):
one line per key, "SELECTOR._domainkey.DOMAIN TXT-VALUE".

Example:

	$ vetshare request check --db clinic.db request.eml
	Request   enable sharing, automatic mode
	From      Alice Admin <alice@north.example>, user Alice Admin
	Sent      2026-01-05 09:30 UTC
	Clinics   North, South
	Signature verified for north.example (selector s1)
	Decision  would be approved: run "vetshare request approve" to apply it
`

var errDryRun = errors.New("dry run")

func runRequest(ctx context.Context, e *env, args []string) error {
	f0 := newFlags(e, "request", requestHelp, false)
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		if _, err := f0.parse(args); err != nil {
			return err
		}
		return usageErr("request: say check, approve or remove (see vetshare request --help)")
	}
	sub := args[0]
	switch sub {
	case "check", "approve", "remove":
	default:
		return usageErr("request: unknown %q: say check, approve or remove", sub)
	}
	f := newFlags(e, "request "+sub, requestHelp, false)
	keys := f.String("dkim-keys", "", "answer DKIM key lookups from this `file` instead of DNS")
	override := f.String("override", "", "approve although the signature does not verify, for this `reason`")
	as := f.String("as", os.Getenv("VETSHARE_AS"), "who gives --override (`email`, recorded)")
	files, err := f.parse(args[1:])
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return usageErr("request %s: give one message file (see vetshare request --help)", sub)
	}
	if strings.TrimSpace(*override) != "" && strings.TrimSpace(*as) == "" {
		return usageErr("--override needs --as EMAIL: who overrides is recorded")
	}
	m, err := readMessage(files[0])
	if err != nil {
		return err
	}
	switch {
	case sub == "approve" && m.Action == sharing.ActionRemove:
		return usageErr("the message asks to remove a clinic: use vetshare request remove")
	case sub == "remove" && m.Action != sharing.ActionRemove:
		return usageErr("the message asks to %s: use vetshare request approve", m.Action)
	}
	var lookup func(string) ([]string, error)
	if *keys != "" {
		if lookup, err = readKeys(*keys); err != nil {
			return err
		}
	}
	sig := verifySignature(m, lookup)

	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	requester, err := requesterOf(ctx, db, m.FromAddr)
	if err != nil {
		return err
	}
	member := map[vetshare.AccountID]bool{}
	if requester.ID != "" {
		ms, err := db.Directory.Memberships(ctx, requester.ID)
		if err != nil {
			return failed(err)
		}
		for _, mm := range ms {
			member[mm.AccountID] = true
		}
	}
	found, missing, err := findClinics(ctx, db, m.Clinics, func(a vetshare.Account) bool { return member[a.ID] })
	if err != nil {
		return err
	}
	req := sharing.Request{
		Action: m.Action, Mode: m.Mode, Requester: requester.ID, Channel: sharing.ChannelEmail,
		From: m.From, Reference: m.MessageID,
		Evidence: &sharing.Evidence{
			Message: string(m.Raw), Date: m.Date, SignatureVerified: sig.Verified, Verification: sig.Words,
			Override: strings.TrimSpace(*override), OverrideBy: strings.TrimSpace(*as),
		},
	}
	for _, a := range found {
		req.Accounts = append(req.Accounts, a.ID)
	}
	for _, n := range missing {
		req.Accounts = append(req.Accounts, vetshare.AccountID(n))
	}
	if m.Action == sharing.ActionRemove {
		req.Mode = ""
	}

	var d sharing.Decision
	live := -1
	err = db.Store.Update(ctx, func(tx *vetshare.Tx) error {
		var err error
		if m.Action == sharing.ActionRemove {
			var res sharing.RemoveResult
			res, err = sharing.Remove(ctx, tx, req)
			d, live = res.Decision, res.LiveEntries
		} else {
			d, err = sharing.Enable(ctx, tx, req)
		}
		if err != nil {
			return err
		}
		if sub == "check" {
			return errDryRun // nothing is written: not even the decision's audit entry
		}
		return nil
	})
	if err != nil && !errors.Is(err, errDryRun) {
		return err
	}
	out := requestOutput{
		Applied: sub != "check" && d.Approved, Approved: d.Approved, Action: string(m.Action), Mode: string(req.Mode),
		From: m.From, FromAddr: m.FromAddr, Date: m.Date, Subject: m.Subject, MessageID: m.MessageID,
		Signature: sig, Override: req.Evidence.Override, OverrideBy: req.Evidence.OverrideBy, Group: d.Group,
	}
	if live >= 0 && d.Approved {
		out.StillShared = &live
	}
	if requester.ID != "" {
		out.Requester = &userOut{ID: requester.ID, Name: requester.Name, Email: requester.Email}
	}
	for _, a := range found {
		out.Clinics = append(out.Clinics, clinicOut{ID: a.ID, Name: a.Name})
	}
	for _, n := range missing {
		out.Clinics = append(out.Clinics, clinicOut{Name: n, Unknown: true})
	}
	for _, r := range d.Reasons {
		out.Reasons = append(out.Reasons, reasonOf(r, requester))
	}
	if f.json {
		if err := emitJSON(e.stdout, out); err != nil {
			return err
		}
	} else {
		printRequest(e, sub, files[0], out)
	}
	if !d.Approved {
		return silent(exitRefused)
	}
	return nil
}

// requesterOf returns the user whose email is addr: a verified active one first. None is a
// zero user: the decision says the requester is unknown.
func requesterOf(ctx context.Context, db *Database, addr string) (vetshare.User, error) {
	us, err := db.Directory.UsersByEmail(ctx, addr)
	if err != nil {
		return vetshare.User{}, failed(err)
	}
	best := -1
	for i, u := range us {
		score := 0
		if u.EmailVerified {
			score += 2
		}
		if u.Active {
			score++
		}
		if best < 0 || score > scoreOf(us[best]) {
			best = i
		}
	}
	if best < 0 {
		return vetshare.User{}, nil
	}
	return us[best], nil
}

func scoreOf(u vetshare.User) int {
	s := 0
	if u.EmailVerified {
		s += 2
	}
	if u.Active {
		s++
	}
	return s
}

type userOut struct {
	ID    vetshare.UserID `json:"id"`
	Name  string          `json:"name"`
	Email string          `json:"email"`
}

type clinicOut struct {
	ID      vetshare.AccountID `json:"id,omitempty"`
	Name    string             `json:"name"`
	Unknown bool               `json:"unknown,omitempty"`
}

type reasonOut struct {
	Code   string             `json:"code"`
	Text   string             `json:"text"`
	Clinic vetshare.AccountID `json:"clinic,omitempty"`
}

type requestOutput struct {
	Approved    bool             `json:"approved"`
	Applied     bool             `json:"applied"`
	Action      string           `json:"action"`
	Mode        string           `json:"mode,omitempty"`
	From        string           `json:"from"`
	FromAddr    string           `json:"from_address"`
	Requester   *userOut         `json:"requester,omitempty"`
	Date        time.Time        `json:"date"`
	Subject     string           `json:"subject,omitempty"`
	MessageID   string           `json:"message_id,omitempty"`
	Clinics     []clinicOut      `json:"clinics"`
	Signature   signature        `json:"signature"`
	Override    string           `json:"override,omitempty"`
	OverrideBy  string           `json:"override_by,omitempty"`
	Reasons     []reasonOut      `json:"reasons,omitempty"`
	Group       vetshare.GroupID `json:"group,omitempty"`
	StillShared *int             `json:"still_shared,omitempty"`
}

// reasonCodes name the reasons for scripts.
var reasonCodes = []struct {
	err  error
	code string
}{
	{sharing.ErrSignatureInvalid, "signature"},
	{sharing.ErrMalformed, "malformed"},
	{sharing.ErrUnknownAccount, "unknown-clinic"},
	{sharing.ErrOwnersDiffer, "owners-differ"},
	{sharing.ErrNotWritten, "not-written"},
	{sharing.ErrRequesterUnknown, "requester-unknown"},
	{sharing.ErrRequesterInactive, "requester-inactive"},
	{sharing.ErrRequesterUnverified, "requester-unverified"},
	{sharing.ErrRequesterNotAdmin, "requester-not-admin"},
	{sharing.ErrSenderNotOnFile, "sender-not-on-file"},
	{sharing.ErrSenderUnverified, "sender-unverified"},
	{sharing.ErrGroupsDiffer, "groups-differ"},
	{sharing.ErrNotInGroup, "not-in-group"},
}

// reasonOf puts a reason in words, naming the requester and a clinic that does not exist as
// the message wrote it.
func reasonOf(err error, requester vetshare.User) reasonOut {
	out := reasonOut{Code: "other", Text: err.Error()}
	for _, c := range reasonCodes {
		if errors.Is(err, c.err) {
			out.Code = c.code
			break
		}
	}
	var r *sharing.Reason
	if errors.As(err, &r) {
		out.Clinic = r.Account
		switch {
		case errors.Is(err, sharing.ErrUnknownAccount):
			out.Text = fmt.Sprintf("no clinic is named %q", string(r.Account))
			out.Clinic = ""
		case errors.Is(err, sharing.ErrRequesterNotAdmin), errors.Is(err, sharing.ErrRequesterInactive),
			errors.Is(err, sharing.ErrRequesterUnverified):
			if requester.Name != "" {
				out.Text = strings.Replace(out.Text, "the requester", requester.Name+", the requester,", 1)
			}
		case errors.Is(err, sharing.ErrRequesterUnknown):
			out.Text = "no user has the sender's email address: " + out.Text
		}
	}
	return out
}

func printRequest(e *env, sub, file string, o requestOutput) {
	w := e.stdout
	what := "enable sharing"
	if o.Action == string(sharing.ActionRemove) {
		what = "remove a clinic from its group"
	} else if o.Mode != "" {
		what += ", " + o.Mode + " mode"
	}
	t := newTable(w)
	t.row("Request", what)
	from := o.From
	if o.Requester != nil {
		from += ", user " + o.Requester.Name
	} else {
		from += ", no user has this email"
	}
	t.row("From", from)
	t.row("Sent", o.Date.Format("2006-01-02 15:04 MST"))
	var names []string
	for _, c := range o.Clinics {
		if c.Unknown {
			names = append(names, fmt.Sprintf("%q (no such clinic)", c.Name))
		} else {
			names = append(names, c.Name)
		}
	}
	t.row("Clinics", strings.Join(names, ", "))
	t.row("Signature", o.Signature.Words)
	if o.Override != "" {
		t.row("Override", fmt.Sprintf("%q, by %s", o.Override, o.OverrideBy))
	}
	switch {
	case o.Approved && sub == "check":
		t.row("Decision", fmt.Sprintf("would be approved: run \"vetshare request %s %s\" to apply it", map[bool]string{true: "remove", false: "approve"}[o.Action == "remove"], file))
	case o.Approved && o.Action == string(sharing.ActionRemove):
		t.row("Decision", fmt.Sprintf("approved and applied: the clinic left its group; %d of its clients stay shared and keep syncing", derefInt(o.StillShared)))
	case o.Approved:
		t.row("Decision", "approved and applied: "+strings.Join(names, " and ")+" share records")
	case sub == "check":
		t.row("Decision", "would be refused, for every reason below")
	default:
		t.row("Decision", "refused, for every reason below (the decision is in the audit log)")
	}
	t.flush()
	for _, r := range o.Reasons {
		fmt.Fprintf(w, "  - %s\n", r.Text)
	}
}

func derefInt(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}
