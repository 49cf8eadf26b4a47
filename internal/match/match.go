// Package match is the matching of duplicates (R13.1) that both records (before creating a
// client) and duplicates (finding, reporting) use: the pure [Score] and the candidates a profile
// brings through blocking keys. duplicates re-exports what a host sees.
package match

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/driver"
	"github.com/vetshare/vetshare/internal/txn"
)

// Grade says how likely two profiles are to be one person.
type Grade string

// The grades, most likely first. A pair below GradePossible has no grade ("").
const (
	GradeMatch    Grade = "match"
	GradePossible Grade = "possible"
)

// The fields that may agree, as [Result.Agree] names them.
const (
	FieldName      = "name"
	FieldPhone     = "phone"
	FieldEmail     = "email"
	FieldAddress   = "address"
	FieldPatients  = "patients"
	FieldSpecies   = "species"
	FieldBirthDate = "birth dates"
)

// Pet is what matching uses of a patient.
type Pet struct {
	Name      string
	Species   string
	BirthDate time.Time // zero when unknown
}

// Profile is what matching uses of a client.
type Profile struct {
	FirstName, LastName string
	Phone, Email        string
	Address             string
	Pets                []Pet
}

// ProfileOf returns the profile of a client and its patients.
func ProfileOf(c vetshare.Client, patients []vetshare.Patient) Profile {
	p := Profile{FirstName: c.FirstName, LastName: c.LastName, Phone: c.Phone, Email: c.Email, Address: c.Address}
	for _, pt := range patients {
		p.Pets = append(p.Pets, Pet{Name: pt.Name, Species: pt.Species, BirthDate: pt.BirthDate})
	}
	return p
}

// Result is the outcome of [Score].
type Result struct {
	Score int      // 0 to 100
	Grade Grade    // GradeMatch, GradePossible or ""
	Agree []string // the fields that agree, in the order of the Field constants
}

// Thresholds of the grades.
const (
	matchScore    = 70
	possibleScore = 45
)

// Score compares two profiles (R13.1). Names are compared folded and without punctuation
// (vetshare.FoldName), with common variants: an initial for a first name, the first and last
// names swapped, one typing mistake in a name of 5 letters or more. The phone agrees on its
// last 7 digits, the email lower-cased, the address folded; the patients by name, then species
// and birth date. A pair is graded [GradeMatch] only when its first names agree too (so two
// members of one family at one address and phone are [GradePossible]).
func Score(a, b Profile) Result {
	la, fa := joined(a.LastName), joined(a.FirstName)
	lb, fb := joined(b.LastName), joined(b.FirstName)
	score, firstAgrees, lastAgrees := 0, false, false
	switch {
	case la != "" && la == lb:
		score, lastAgrees = score+30, true
	case la != "" && la == fb && fa == lb && fa != "":
		score, lastAgrees, firstAgrees = score+45, true, true
	case len(la) >= 5 && within1(la, lb):
		score, lastAgrees = score+22, true
	}
	if !firstAgrees {
		switch {
		case fa != "" && fa == fb:
			score, firstAgrees = score+20, true
		case len(fa) >= 5 && within1(fa, fb):
			score, firstAgrees = score+14, true
		case fa != "" && fb != "" && (len(fa) == 1 || len(fb) == 1) && fa[0] == fb[0]:
			score, firstAgrees = score+8, true
		}
	}
	var agree []string
	if lastAgrees && firstAgrees {
		agree = append(agree, FieldName)
	}
	if pa, pb := driver.PhoneDigits(a.Phone), driver.PhoneDigits(b.Phone); len(pa) >= 7 && len(pb) >= 7 && pa[len(pa)-7:] == pb[len(pb)-7:] {
		score += 30
		agree = append(agree, FieldPhone)
	}
	if ea, eb := strings.ToLower(strings.TrimSpace(a.Email)), strings.ToLower(strings.TrimSpace(b.Email)); ea != "" && ea == eb {
		score += 35
		agree = append(agree, FieldEmail)
	}
	if aa, ab := strings.Join(driver.SplitWords(a.Address), " "), strings.Join(driver.SplitWords(b.Address), " "); aa != "" && aa == ab {
		score += 15
		agree = append(agree, FieldAddress)
	}
	var pets, species, births bool
	for _, x := range a.Pets {
		for _, y := range b.Pets {
			if n := joined(x.Name); n == "" || n != joined(y.Name) {
				continue
			}
			pets = true
			if s := vetshare.FoldName(x.Species); s != "" && s == vetshare.FoldName(y.Species) {
				species = true
			}
			if !x.BirthDate.IsZero() && x.BirthDate.UTC().Format(time.DateOnly) == y.BirthDate.UTC().Format(time.DateOnly) {
				births = true
			}
		}
	}
	if pets {
		score += 12
		agree = append(agree, FieldPatients)
	}
	if species {
		score += 3
		agree = append(agree, FieldSpecies)
	}
	if births {
		score += 8
		agree = append(agree, FieldBirthDate)
	}
	score = min(score, 100)
	r := Result{Score: score, Agree: agree}
	switch {
	case score >= matchScore && firstAgrees:
		r.Grade = GradeMatch
	case score >= possibleScore:
		r.Grade = GradePossible
	}
	return r
}

// joined is a name folded, without punctuation or spaces.
func joined(name string) string { return strings.Join(driver.SplitWords(name), "") }

// within1 reports whether a and b differ by at most one edit (a letter changed, added,
// dropped, or two neighbours swapped).
func within1(a, b string) bool {
	if a == b {
		return true
	}
	ra, rb := []rune(a), []rune(b)
	if len(ra) < len(rb) {
		ra, rb = rb, ra
	}
	switch len(ra) - len(rb) {
	case 0:
		var diff []int
		for i := range ra {
			if ra[i] != rb[i] {
				diff = append(diff, i)
			}
		}
		if len(diff) == 1 {
			return true
		}
		return len(diff) == 2 && diff[1] == diff[0]+1 && ra[diff[0]] == rb[diff[1]] && ra[diff[1]] == rb[diff[0]]
	case 1:
		i := 0
		for i < len(rb) && ra[i] == rb[i] {
			i++
		}
		return string(ra[i+1:]) == string(rb[i:])
	}
	return false
}

// Match is a client that may be the same person (R13.1).
type Match struct {
	Client vetshare.Client
	Result
}

// blockLimit bounds the clients one blocking key brings.
const blockLimit = 50

// Blocks returns the blocking keys of a client: probes of the search-key index that bring
// every client likely to be graded with it.
func Blocks(c vetshare.Client) []string {
	var keys []string
	if l := joined(c.LastName); l != "" {
		keys = append(keys, driver.KeyLast+l)
	}
	if f := joined(c.FirstName); f != "" {
		keys = append(keys, driver.KeyLast+f) // first and last swapped
	}
	if d := driver.PhoneDigits(c.Phone); len(d) >= 7 {
		keys = append(keys, driver.KeyPhone+d[len(d)-7:])
	}
	if e := strings.ToLower(strings.TrimSpace(c.Email)); e != "" {
		keys = append(keys, driver.KeyEmail+e)
	}
	return keys
}

// Find returns the clients of owner with an entry in one of accs that [Score] grades with p
// (the profile of c), found through the [Blocks] of c, best first, leaving out c itself and the
// clients decided not the same as c (R13.2).
func Find(ctx context.Context, tx *vetshare.Tx, owner vetshare.OwnerID, accs []vetshare.AccountID, c vetshare.Client, p Profile) ([]Match, error) {
	d := txn.D(tx)
	seen := map[vetshare.ClientID]bool{}
	var found []vetshare.Client
	for _, k := range Blocks(c) {
		cs, err := d.SearchClients(ctx, driver.ClientSearch{Owner: owner, Probe: k, Exact: true, Not: c.ID, Limit: blockLimit})
		if err != nil {
			return nil, err
		}
		for _, x := range cs {
			if !seen[x.ID] {
				seen[x.ID] = true
				found = append(found, x.Client)
			}
		}
	}
	if len(found) == 0 {
		return nil, nil
	}
	decided := map[vetshare.ClientID]bool{}
	if c.ID != "" {
		ns, err := d.NotSameOf(ctx, owner, c.ID)
		if err != nil {
			return nil, err
		}
		for _, n := range ns {
			decided[n.A], decided[n.B] = true, true
		}
	}
	ids := make([]vetshare.ClientID, len(found))
	for i, x := range found {
		ids[i] = x.ID
	}
	shown, byClient, err := Shown(ctx, d, ids, accs)
	if err != nil {
		return nil, err
	}
	var out []Match
	for _, x := range found {
		if !shown[x.ID] || decided[x.ID] {
			continue
		}
		if r := Score(p, ProfileOf(x, byClient[x.ID])); r.Grade != "" {
			out = append(out, Match{Client: x, Result: r})
		}
	}
	slices.SortStableFunc(out, func(a, b Match) int {
		if a.Score != b.Score {
			return b.Score - a.Score
		}
		return strings.Compare(string(a.Client.ID), string(b.Client.ID))
	})
	return out, nil
}

// Visible returns the owner and the accounts whose clients the actor's account may be shown:
// its own and those of the current members of its group.
func Visible(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor) (vetshare.OwnerID, []vetshare.AccountID, error) {
	if _, err := accounts.Check(ctx, tx, actor); err != nil {
		return "", nil, err
	}
	a, err := txn.D(tx).Account(ctx, actor.Account)
	if err != nil {
		return "", nil, err
	}
	accs := []vetshare.AccountID{a.ID}
	_, members, err := txn.D(tx).GroupOfAccount(ctx, actor.Account)
	if err != nil && !errors.Is(err, vetshare.ErrNotFound) {
		return "", nil, err
	}
	for _, m := range members {
		if m.AccountID != a.ID {
			accs = append(accs, m.AccountID)
		}
	}
	return a.OwnerID, accs, nil
}

// Shown returns, in two reads, which of the clients have an entry in one of accs (those the
// actor's group may be shown), and the patients of each client: what matching needs to grade
// and describe them.
func Shown(ctx context.Context, d driver.Tx, ids []vetshare.ClientID, accs []vetshare.AccountID) (shown map[vetshare.ClientID]bool, patients map[vetshare.ClientID][]vetshare.Patient, err error) {
	entries, err := d.ClientEntriesOf(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	shown = map[vetshare.ClientID]bool{}
	for _, e := range entries {
		if slices.Contains(accs, e.AccountID) {
			shown[e.ClientID] = true
		}
	}
	pats, err := d.PatientsOf(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	patients = map[vetshare.ClientID][]vetshare.Patient{}
	for _, pt := range pats {
		patients[pt.ClientID] = append(patients[pt.ClientID], pt)
	}
	return shown, patients, nil
}
