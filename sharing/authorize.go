package sharing

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/vetshare/vetshare"
)

// Channel is how a sharing request reached the vendor.
type Channel string

// The channels. Only written ones are accepted (R1.2).
const (
	ChannelEmail      Channel = "email"
	ChannelLetter     Channel = "letter"
	ChannelSignedForm Channel = "signed-form"
	ChannelPhone      Channel = "phone"
	ChannelChat       Channel = "chat"
	ChannelInPerson   Channel = "in-person"
)

// Written reports whether c is a written channel (R1.2).
func (c Channel) Written() bool {
	return c == ChannelEmail || c == ChannelLetter || c == ChannelSignedForm
}

// Action is what a sharing request asks for.
type Action string

// The actions.
const (
	// ActionEnable asks to share records between the named accounts (R1.6).
	ActionEnable Action = "enable"
	// ActionRemove asks to remove the one named account from its group (R1.7).
	ActionRemove Action = "remove"
)

// Request is a written request to enable or remove sharing, as the host received it.
type Request struct {
	Action   Action
	Accounts []vetshare.AccountID
	// Mode is the mode a new group gets (ActionEnable); an existing group keeps its own.
	Mode      vetshare.Mode
	Requester vetshare.UserID
	Channel   Channel
	// From is the address the request was sent from, as an RFC 5322 address; a display name is
	// ignored.
	From string
	// Reference is the host's reference to the written request (a message id, a scan's file
	// name), kept in the audit log as evidence.
	Reference string
	// RequestID, when set, is the host's own id of the request the decision serves: the
	// decision's audit entry carries it (R10.1), as entries carry [vetshare.Actor.RequestID].
	RequestID string `json:"-"`
	// Evidence, when set, is the email message the request was delivered as (R1.9): the
	// decision's audit entry keeps it. A request with Evidence whose signature did not verify
	// fails with [ErrSignatureInvalid] unless Evidence.Override gives a reason to decide it anyway.
	Evidence *Evidence `json:",omitempty"`
}

// Evidence is a request delivered as an email message (RFC 5322), as the host received and
// verified it (R1.9). The host reads the request from the message (its sender into
// [Request.From], the accounts it names, its date) and checks the message's DKIM signature for
// the sender's domain; the library keeps what it is given with the decision and decides on
// SignatureVerified, without parsing or verifying the message itself.
type Evidence struct {
	// Message is the raw message, as received.
	Message string
	// Date is the date the message says it was sent.
	Date time.Time
	// SignatureVerified reports whether a DKIM signature of the message verified for the domain
	// of the sender's address.
	SignatureVerified bool
	// Verification is the result of the signature check in words, such as "verified for
	// north.example (selector s1)" or "the body was changed after it was signed".
	Verification string
	// Override is why a support user decides a request whose signature did not verify; with it
	// the missing signature is not a reason to refuse. It is kept in the audit log.
	Override string
	// OverrideBy names the support user who gave Override, as the host knows them.
	OverrideBy string
}

// The reasons a request fails (R1.5). A [Decision] lists every one that applies, each as a
// [*Reason] that matches one of these with [errors.Is]. New reasons are only ever appended.
var (
	ErrMalformed           = errors.New("the request is malformed")
	ErrUnknownAccount      = errors.New("the request names an account that does not exist")
	ErrOwnersDiffer        = errors.New("the accounts have different owners")                              // R1.1
	ErrNotWritten          = errors.New("the request was not made in writing")                             // R1.2
	ErrRequesterUnknown    = errors.New("the requester is not a known user")                               // R1.3
	ErrRequesterInactive   = errors.New("the requester is not an active user")                             // R1.3
	ErrRequesterUnverified = errors.New("the requester's email is not verified")                           // R1.3
	ErrRequesterNotAdmin   = errors.New("the requester is not an admin or owner of the account")           // R1.3
	ErrSenderNotOnFile     = errors.New("the request was not sent from an account's email on file")        // R1.4
	ErrSenderUnverified    = errors.New("the account email the request was sent from is not verified")     // R1.4
	ErrGroupsDiffer        = errors.New("the accounts are in different share groups")                      // R1.6
	ErrNotInGroup          = errors.New("the account is not in a share group")                             // R1.7
	ErrSignatureInvalid    = errors.New("the message's signature does not verify for the sender's domain") // R1.9
)

// Reason is one failed reason of a decision, naming the account it concerns where there is one.
type Reason struct {
	Err         error // one of the Err variables of this package
	Account     vetshare.AccountID
	Detail      string // words, never an id
	AccountName string // the account's name, where it is known
}

// Error returns the reason as a sentence, naming the account by its name where known; the
// account's id is the field Account, never in the sentence (R12.7).
func (r *Reason) Error() string {
	s := r.Err.Error()
	if r.AccountName != "" {
		s += " (" + r.AccountName + ")"
	}
	if r.Detail != "" {
		s += ": " + r.Detail
	}
	return s
}

// Unwrap returns the reason's sentinel.
func (r *Reason) Unwrap() error { return r.Err }

// Decision is the outcome of a sharing request: approved, or rejected with every failed reason.
type Decision struct {
	Approved bool
	Reasons  []error // each a *Reason; empty when approved
	// Group is the group the accounts are in after an approved enable, or the group the account
	// left after an approved removal.
	Group vetshare.GroupID
}

// Err returns nil for an approved decision and a [*RejectedError] otherwise.
func (d Decision) Err() error {
	if d.Approved {
		return nil
	}
	return &RejectedError{Reasons: d.Reasons}
}

// RejectedError is a rejected decision as an error: it matches [vetshare.ErrNotPermitted] and
// each of its reasons with [errors.Is].
type RejectedError struct {
	Reasons []error
}

func (e *RejectedError) Error() string {
	var b strings.Builder
	b.WriteString("sharing request rejected")
	for i, r := range e.Reasons {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(r.Error())
	}
	return b.String()
}

// Unwrap returns the reasons and [vetshare.ErrNotPermitted].
func (e *RejectedError) Unwrap() []error {
	return append(append([]error(nil), e.Reasons...), vetshare.ErrNotPermitted)
}

// AccountFacts is what Authorize needs to know of one named account.
type AccountFacts struct {
	Account vetshare.Account
	Found   bool
	// Membership is the requester's membership of the account; nil when there is none.
	Membership *vetshare.Membership
	// Group is the account's current share group; empty when it is in none.
	Group vetshare.GroupID
}

// Facts is what Authorize needs to know, at decision time, beyond the request itself.
type Facts struct {
	Requester      vetshare.User
	RequesterFound bool
	// Accounts holds the facts of each account of the request, in the request's order.
	Accounts []AccountFacts
}

// Authorize decides a sharing request on the facts at decision time (R1.1–R1.4, R1.6, R1.7),
// listing every reason it fails (R1.5). It is a pure function.
//
// An enable request names at least two distinct accounts and a valid mode; a remove request
// names exactly one account, which must be in a group. The requester must be an active user
// with a verified email holding an active owner or admin membership in every named account; the
// request must be written and sent from the verified email on file of one of the named accounts;
// all named accounts must have one owner and (for enable) be in at most one group between them.
func Authorize(req Request, f Facts) Decision {
	var reasons []error
	names := map[vetshare.AccountID]string{}
	for _, af := range f.Accounts {
		if af.Found {
			names[af.Account.ID] = af.Account.Name
		}
	}
	fail := func(err error, account vetshare.AccountID, detail string) {
		reasons = append(reasons, &Reason{Err: err, Account: account, Detail: detail, AccountName: names[account]})
	}

	// The shape of the request.
	seen := map[vetshare.AccountID]bool{}
	for _, a := range req.Accounts {
		if seen[a] {
			fail(ErrMalformed, a, "account named twice")
		}
		seen[a] = true
	}
	switch req.Action {
	case ActionEnable:
		if len(req.Accounts) < 2 {
			fail(ErrMalformed, "", "an enable request names at least two accounts")
		}
		if !req.Mode.Valid() {
			fail(ErrMalformed, "", fmt.Sprintf("mode %q is not automatic or manual", req.Mode))
		}
	case ActionRemove:
		if len(req.Accounts) != 1 {
			fail(ErrMalformed, "", "a remove request names exactly one account")
		}
	default:
		fail(ErrMalformed, "", fmt.Sprintf("action %q is not enable or remove", req.Action))
	}
	if len(f.Accounts) != len(req.Accounts) {
		fail(ErrMalformed, "", "facts do not match the request's accounts")
		return Decision{Reasons: reasons}
	}

	// R1.2: in writing.
	if !req.Channel.Written() {
		fail(ErrNotWritten, "", fmt.Sprintf("channel %q", req.Channel))
	}

	// R1.9: a message's signature, unless a support user overrides it with a reason.
	if e := req.Evidence; e != nil && !e.SignatureVerified && strings.TrimSpace(e.Override) == "" {
		fail(ErrSignatureInvalid, "", e.Verification)
	}

	// R1.3: the requester.
	if !f.RequesterFound {
		fail(ErrRequesterUnknown, "", "")
	} else {
		if !f.Requester.Active {
			fail(ErrRequesterInactive, "", "")
		}
		if !f.Requester.EmailVerified {
			fail(ErrRequesterUnverified, "", "")
		}
	}

	// R1.1, R1.3, R1.4, R1.6, R1.7: the accounts.
	from, fromErr := vetshare.NormalizeEmail("From", req.From)
	var owner vetshare.OwnerID
	ownersDiffer, senderOnFile, senderVerified := false, false, false
	groups := map[vetshare.GroupID]bool{}
	for _, af := range f.Accounts {
		a := af.Account
		if !af.Found {
			fail(ErrUnknownAccount, a.ID, "")
			continue
		}
		if owner == "" {
			owner = a.OwnerID
		} else if a.OwnerID != owner {
			ownersDiffer = true
		}
		if m := af.Membership; f.RequesterFound && (m == nil || !m.Active || (m.Role != vetshare.RoleOwner && m.Role != vetshare.RoleAdmin)) {
			fail(ErrRequesterNotAdmin, a.ID, "")
		}
		if fromErr == nil {
			if onFile, err := vetshare.NormalizeEmail("Email", a.Email); err == nil && onFile == from {
				senderOnFile = true
				senderVerified = senderVerified || a.EmailVerified
			}
		}
		if af.Group != "" {
			groups[af.Group] = true
		}
		if req.Action == ActionRemove && af.Group == "" {
			fail(ErrNotInGroup, a.ID, "")
		}
	}
	if ownersDiffer {
		fail(ErrOwnersDiffer, "", "")
	}
	switch {
	case !senderOnFile:
		fail(ErrSenderNotOnFile, "", req.From)
	case !senderVerified:
		fail(ErrSenderUnverified, "", req.From)
	}
	if req.Action == ActionEnable && len(groups) > 1 {
		fail(ErrGroupsDiffer, "", "")
	}
	if len(reasons) > 0 {
		return Decision{Reasons: reasons}
	}
	d := Decision{Approved: true}
	for g := range groups {
		d.Group = g
	}
	return d
}
