// Package duplicates finds, decides about and merges clients of one owner that are the same
// person (R13).
//
// # Rules
//
// [Score] is the pure rule (R13.1): two profiles in, a score, a grade ([GradeMatch],
// [GradePossible] or none) and the fields that agree out; a host can call it on its own data.
// [Find] and [FindFor] list the clients that may be the same person as a client or as a profile
// about to be created, through blocking keys (an exact last name, the names swapped, the last 7
// digits of the phone, the email) probed on the owner's search-key index, never comparing
// every pair. [DecideNotSame] keeps a decision that two clients are not the same person, with
// who and why, and that pair is never proposed again (R13.2). [PreviewMerge] and [Merge] merge
// two clients irreversibly (R13.3, R13.4).
package duplicates

import (
	"strings"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
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
// ([vetshare.FoldName]), with common variants: an initial for a first name, the first and last
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
