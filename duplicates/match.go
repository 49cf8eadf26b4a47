package duplicates

import (
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/match"
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

// Score compares two profiles (R13.1). Names are compared folded and without punctuation
// ([vetshare.FoldName]), with common variants: an initial for a first name, the first and last
// names swapped, one typing mistake in a name of 5 letters or more. The phone agrees on its
// last 7 digits, the email lower-cased, the address folded; the patients by name, then species
// and birth date. A pair is graded [GradeMatch] only when its first names agree too (so two
// members of one family at one address and phone are [GradePossible]).
func Score(a, b Profile) Result { return fromMatch(match.Score(toMatch(a), toMatch(b))) }

// Blocks returns the blocking keys of a client: probes of the search-key index that bring
// every client likely to be graded with it.
func Blocks(c vetshare.Client) []string { return match.Blocks(c) }

// Match is a client that may be the same person (R13.1).
type Match struct {
	Client vetshare.Client
	Result
}

func toMatch(p Profile) match.Profile {
	m := match.Profile{FirstName: p.FirstName, LastName: p.LastName, Phone: p.Phone, Email: p.Email, Address: p.Address}
	for _, x := range p.Pets {
		m.Pets = append(m.Pets, match.Pet(x))
	}
	return m
}

func fromMatch(r match.Result) Result {
	return Result{Score: r.Score, Grade: Grade(r.Grade), Agree: r.Agree}
}

func fromMatches(ms []match.Match) []Match {
	var out []Match
	for _, m := range ms {
		out = append(out, Match{Client: m.Client, Result: fromMatch(m.Result)})
	}
	return out
}
