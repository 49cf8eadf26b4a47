// Package accounts keeps owners, their accounts (one per clinic location), users and their
// memberships, and checks that an actor may act in an account.
//
// Every operation checks its input and returns an error matching [vetshare.ErrInvalid] before
// writing anything: names must not be empty, an account's time zone must be an IANA zone the
// machine knows (the package embeds the zone database, so this does not depend on the host),
// its currency three capital letters, emails must be addresses.
//
// [Account], [Owner] and [Clinics] read the directory as an actor sees it: the owner of the
// account the actor is logged into and that owner's clinics. An account of another owner is not
// found, exactly as one that does not exist (R3.3).
//
// # Setup is the host's administration
//
// [CreateOwner], [CreateAccount], [CreateUser], [UpdateAccount], [UpdateUser], [Grant] and
// [SetTaskSharing] take no actor: they are how the host's own administration (its sign-up,
// its staff screens, its support tools) mirrors into vetshare the owners, clinics, staff and
// roles it already manages and authorizes itself. Every rule that depends on them — an
// account's verified address on file (R1.4), a user's active flag and verified email and
// roles (R1.3), task sharing (R1.8) — is only as strong as the host's control of who may call
// them: keep them off any path a clinic's user can drive. Everything else in vetshare checks
// its actor.
package accounts

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // time zones are validated the same on every machine
	"unicode"
	"unicode/utf8"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/txn"
)

// MaxName is the longest name, in bytes, that operations accept.
const MaxName = 200

// CheckName returns an [*vetshare.InvalidError] for field unless s is a valid UTF-8 name of at
// most [MaxName] bytes once trimmed, with at least one letter or digit and no control
// character (a NUL, a line break): a name made only of a zero-width space or a lone combining
// accent is no name (R11.1).
func CheckName(field, s string) error {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return vetshare.Invalid(field, "empty")
	case len(s) > MaxName:
		return vetshare.Invalid(field, "longer than 200 bytes")
	case !utf8.ValidString(s):
		return vetshare.Invalid(field, "not valid UTF-8")
	case strings.ContainsFunc(s, unicode.IsControl):
		return vetshare.Invalid(field, "holds a control character")
	case !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }):
		return vetshare.Invalid(field, "needs at least one letter or digit")
	}
	return nil
}

// CheckText returns an [*vetshare.InvalidError] for field unless s is valid UTF-8 of at most
// max bytes without control characters other than tab and line breaks, and not blank when
// required. Operations of every package check free text with it.
func CheckText(field, s string, max int, required bool) error {
	switch {
	case required && strings.TrimSpace(s) == "":
		return vetshare.Invalid(field, "empty")
	case len(s) > max:
		return vetshare.Invalid(field, "longer than "+strconv.Itoa(max)+" bytes")
	case !utf8.ValidString(s):
		return vetshare.Invalid(field, "not valid UTF-8")
	case strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' }):
		return vetshare.Invalid(field, "holds a control character")
	}
	return nil
}

// CreateOwner creates an owner named o.Name and returns it with its id and creation time.
// Task sharing starts off unless o.TaskSharing is set. The owner keeps o.ID when the host gives
// one ([vetshare.ErrInvalid] when it is malformed, [vetshare.ErrConflict] when it is taken);
// otherwise it gets a new one (R12.3).
func CreateOwner(ctx context.Context, tx *vetshare.Tx, o vetshare.Owner) (vetshare.Owner, error) {
	const op = "accounts.CreateOwner"
	if err := CheckName("Name", o.Name); err != nil {
		return vetshare.Owner{}, vetshare.Op(op, err)
	}
	id, err := vetshare.IDOrNew("ID", o.ID, tx.Now())
	if err != nil {
		return vetshare.Owner{}, vetshare.Op(op, err)
	}
	o.ID, o.Name, o.CreatedAt = id, strings.TrimSpace(o.Name), tx.Now()
	return o, vetshare.Op(op, txn.IDTaken(txn.D(tx).InsertOwner(ctx, o), "owner", id))
}

// SetTaskSharing turns the limited-release task sharing on or off for an owner (R1.8).
func SetTaskSharing(ctx context.Context, tx *vetshare.Tx, owner vetshare.OwnerID, on bool) error {
	const op = "accounts.SetTaskSharing"
	o, err := txn.D(tx).Owner(ctx, owner)
	if err != nil {
		return vetshare.Op(op, err)
	}
	o.TaskSharing = on
	return vetshare.Op(op, txn.D(tx).UpdateOwner(ctx, o))
}

// CheckAccount validates the fields of an account a host provides.
func CheckAccount(a vetshare.Account) (vetshare.Account, error) {
	if err := CheckName("Name", a.Name); err != nil {
		return a, err
	}
	email, err := vetshare.NormalizeEmail("Email", a.Email)
	if err != nil {
		return a, err
	}
	if a.TimeZone == "" || a.TimeZone == "Local" {
		return a, vetshare.Invalid("TimeZone", "an IANA time zone name is needed")
	}
	if _, err := time.LoadLocation(a.TimeZone); err != nil {
		return a, vetshare.Invalid("TimeZone", "unknown time zone "+a.TimeZone)
	}
	if len(a.Currency) != 3 || strings.ToUpper(a.Currency) != a.Currency || strings.ContainsFunc(a.Currency, func(r rune) bool { return r < 'A' || r > 'Z' }) {
		return a, vetshare.Invalid("Currency", "an ISO 4217 code of three capital letters is needed")
	}
	a.Name, a.Email = strings.TrimSpace(a.Name), email
	return a, nil
}

// CreateAccount creates a clinic account of a.OwnerID and returns it with its id: a.ID when the
// host gives one, a new one otherwise (R12.3). It returns [vetshare.ErrNotFound] for an unknown
// owner, [vetshare.ErrInvalid] for bad fields or a malformed id and [vetshare.ErrConflict] for an
// id that is taken.
func CreateAccount(ctx context.Context, tx *vetshare.Tx, a vetshare.Account) (vetshare.Account, error) {
	const op = "accounts.CreateAccount"
	a, err := CheckAccount(a)
	if err != nil {
		return vetshare.Account{}, vetshare.Op(op, err)
	}
	if !vetshare.ValidID(a.OwnerID) {
		return vetshare.Account{}, vetshare.Op(op, vetshare.Invalid("OwnerID", "malformed id"))
	}
	if _, err := txn.D(tx).Owner(ctx, a.OwnerID); err != nil {
		return vetshare.Account{}, vetshare.Op(op, err)
	}
	if a.ID, err = vetshare.IDOrNew("ID", a.ID, tx.Now()); err != nil {
		return vetshare.Account{}, vetshare.Op(op, err)
	}
	a.CreatedAt = tx.Now()
	return a, vetshare.Op(op, txn.IDTaken(txn.D(tx).InsertAccount(ctx, a), "account", a.ID))
}

// UpdateAccount changes an account's name, email (and its verified flag), time zone and
// currency; the owner never changes.
func UpdateAccount(ctx context.Context, tx *vetshare.Tx, a vetshare.Account) (vetshare.Account, error) {
	const op = "accounts.UpdateAccount"
	a, err := CheckAccount(a)
	if err != nil {
		return vetshare.Account{}, vetshare.Op(op, err)
	}
	old, err := txn.D(tx).Account(ctx, a.ID)
	if err != nil {
		return vetshare.Account{}, vetshare.Op(op, err)
	}
	a.OwnerID, a.CreatedAt = old.OwnerID, old.CreatedAt
	return a, vetshare.Op(op, txn.D(tx).UpdateAccount(ctx, a))
}

// CreateUser creates a staff member and returns it with its id: u.ID when the host gives one, a
// new one otherwise (R12.3). It returns [vetshare.ErrInvalid] for bad fields or a malformed id
// and [vetshare.ErrConflict] for an id that is taken.
func CreateUser(ctx context.Context, tx *vetshare.Tx, u vetshare.User) (vetshare.User, error) {
	const op = "accounts.CreateUser"
	if err := CheckName("Name", u.Name); err != nil {
		return vetshare.User{}, vetshare.Op(op, err)
	}
	email, err := vetshare.NormalizeEmail("Email", u.Email)
	if err != nil {
		return vetshare.User{}, vetshare.Op(op, err)
	}
	if u.ID, err = vetshare.IDOrNew("ID", u.ID, tx.Now()); err != nil {
		return vetshare.User{}, vetshare.Op(op, err)
	}
	u.Name, u.Email, u.CreatedAt = strings.TrimSpace(u.Name), email, tx.Now()
	return u, vetshare.Op(op, txn.IDTaken(txn.D(tx).InsertUser(ctx, u), "user", u.ID))
}

// UpdateUser changes a user's name, email, verified flag and active flag.
func UpdateUser(ctx context.Context, tx *vetshare.Tx, u vetshare.User) (vetshare.User, error) {
	const op = "accounts.UpdateUser"
	if err := CheckName("Name", u.Name); err != nil {
		return vetshare.User{}, vetshare.Op(op, err)
	}
	email, err := vetshare.NormalizeEmail("Email", u.Email)
	if err != nil {
		return vetshare.User{}, vetshare.Op(op, err)
	}
	old, err := txn.D(tx).User(ctx, u.ID)
	if err != nil {
		return vetshare.User{}, vetshare.Op(op, err)
	}
	u.Email, u.CreatedAt = email, old.CreatedAt
	return u, vetshare.Op(op, txn.D(tx).UpdateUser(ctx, u))
}

// Grant creates or replaces a user's membership of an account.
func Grant(ctx context.Context, tx *vetshare.Tx, m vetshare.Membership) error {
	const op = "accounts.Grant"
	if !m.Role.Valid() {
		return vetshare.Op(op, vetshare.Invalid("Role", "must be owner, admin or staff"))
	}
	if _, err := txn.D(tx).User(ctx, m.UserID); err != nil {
		return vetshare.Op(op, err)
	}
	if _, err := txn.D(tx).Account(ctx, m.AccountID); err != nil {
		return vetshare.Op(op, err)
	}
	return vetshare.Op(op, txn.D(tx).PutMembership(ctx, m))
}

// MaxRequestID is the longest host request id, in bytes, that operations accept
// ([vetshare.Actor.RequestID]).
const MaxRequestID = 200

// Check returns the membership by which actor may act in actor.Account. It returns
// [vetshare.ErrNotPermitted] unless the user is active and has an active membership there, and
// [vetshare.ErrInvalid] for malformed ids or a request id that is not valid UTF-8 of at most
// [MaxRequestID] bytes.
func Check(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor) (vetshare.Membership, error) {
	if err := CheckActor(actor); err != nil {
		return vetshare.Membership{}, err
	}
	u, m, err := txn.D(tx).ActorMembership(ctx, actor.User, actor.Account)
	if err != nil && !errors.Is(err, vetshare.ErrNotFound) {
		return vetshare.Membership{}, err
	}
	if err != nil || !m.Active {
		return vetshare.Membership{}, refusal(ctx, tx, actor, u, "%s has no active membership at %s")
	}
	if !u.Active {
		return vetshare.Membership{}, refusal(ctx, tx, actor, u, "%s is not an active user, so cannot act at %s")
	}
	return m, nil
}

// CheckActor returns the [vetshare.ErrInvalid] that [Check] returns for actor's malformed ids
// or request id, reading nothing. A read that checks the membership in its own statement
// (driver.RecordQuery.Member) calls it first, and Check only when the read found nothing.
func CheckActor(actor vetshare.Actor) error {
	if !vetshare.ValidID(actor.User) {
		return vetshare.Invalid("Actor.User", "malformed id")
	}
	if !vetshare.ValidID(actor.Account) {
		return vetshare.Invalid("Actor.Account", "malformed id")
	}
	return CheckText("Actor.RequestID", actor.RequestID, MaxRequestID, false)
}

// refusal returns the [*vetshare.NotPermittedError] of Check, naming the user and the account
// (R12.7). It reads the names it lacks: this is the path of a refused request, not a hot one.
// sentence has two %s, the user's name and the account's.
func refusal(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, u vetshare.User, sentence string) error {
	d := txn.D(tx)
	if u.Name == "" {
		if got, err := d.User(ctx, actor.User); err == nil {
			u = got
		}
	}
	e := &vetshare.NotPermittedError{User: actor.User, UserName: u.Name, Account: actor.Account}
	if a, err := d.Account(ctx, actor.Account); err == nil {
		e.AccountName = a.Name
	}
	e.Reason = fmt.Sprintf(sentence, nameOr(e.UserName, "the user"), nameOr(e.AccountName, "this clinic"))
	return e
}

func nameOr(name, otherwise string) string {
	if name == "" {
		return otherwise
	}
	return name
}
