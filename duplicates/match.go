// Package duplicates finds, decides about and merges clients of one owner that are the same
// person (R13); see doc.go.
package duplicates

import (
	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/match"
)

// Grade says how likely two profiles are to be one person.
type Grade = match.Grade

// The grades, most likely first. A pair below GradePossible has no grade ("").
const (
	GradeMatch    = match.GradeMatch
	GradePossible = match.GradePossible
)

// The fields that may agree, as [Result.Agree] names them.
const (
	FieldName      = match.FieldName
	FieldPhone     = match.FieldPhone
	FieldEmail     = match.FieldEmail
	FieldAddress   = match.FieldAddress
	FieldPatients  = match.FieldPatients
	FieldSpecies   = match.FieldSpecies
	FieldBirthDate = match.FieldBirthDate
)

// Pet is what matching uses of a patient.
type Pet = match.Pet

// Profile is what matching uses of a client.
type Profile = match.Profile

// Result is the outcome of [Score].
type Result = match.Result

// Match is a client that may be the same person (R13.1).
type Match = match.Match

// ProfileOf returns the profile of a client and its patients.
func ProfileOf(c vetshare.Client, patients []vetshare.Patient) Profile {
	return match.ProfileOf(c, patients)
}

// Score compares two profiles (R13.1). Names are compared folded and without punctuation
// ([vetshare.FoldName]), with common variants: an initial for a first name, the first and last
// names swapped, one typing mistake in a name of 5 letters or more. The phone agrees on its
// last 7 digits, the email lower-cased, the address folded; the patients by name, then species
// and birth date. A pair is graded [GradeMatch] only when its first names agree too (so two
// members of one family at one address and phone are [GradePossible]).
func Score(a, b Profile) Result { return match.Score(a, b) }

// Blocks returns the blocking keys of a client: probes of the search-key index that bring
// every client likely to be graded with it.
func Blocks(c vetshare.Client) []string { return match.Blocks(c) }
