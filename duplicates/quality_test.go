package duplicates_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/duplicates"
	"github.com/vetshare/vetshare/internal/fixture"
	"github.com/vetshare/vetshare/records"
)

var (
	firstNames = []string{"Mary", "John", "Ann", "James", "Linda", "Robert", "Patricia", "Michael", "Barbara", "William",
		"Elizabeth", "David", "Jennifer", "Richard", "Maria", "Joseph", "Susan", "Thomas", "Margaret", "Charles",
		"Dorothy", "Daniel", "Lisa", "Matthew", "Nancy", "Anthony", "Karen", "Mark", "Betty", "Paul",
		"Helen", "Steven", "Sandra", "Andrew", "Donna", "Kenneth", "Carol", "Joshua", "Ruth", "Kevin"}
	lastNames = []string{"Smith", "Johnson", "O'Brien", "Müller", "Garcia", "Miller", "Davis", "Rodríguez", "Martinez", "Hernández",
		"Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee",
		"Perez", "Thompson", "White", "Harris", "Sánchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker",
		"Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green",
		"Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Van der Berg"}
	petNames = []string{"Rex", "Bella", "Max", "Luna", "Charlie", "Lucy", "Cooper", "Daisy", "Milo", "Coco", "Oscar", "Nala"}
	species  = []string{"dog", "cat", "rabbit"}
)

type person struct {
	profile duplicates.Profile
	client  vetshare.Client
}

func randomPerson(r *rand.Rand, i int) person {
	first, last := firstNames[r.IntN(len(firstNames))], lastNames[r.IntN(len(lastNames))]
	phone := fmt.Sprintf("(%03d) %03d-%04d", 200+r.IntN(700), r.IntN(1000), i)
	c := vetshare.Client{FirstName: first, LastName: last, Phone: phone}
	if r.IntN(2) == 0 {
		c.Email = strings.ToLower(strings.Join(strings.Fields(first+" "+last), ".")) + fmt.Sprintf("%d@example.com", i)
	}
	p := duplicates.ProfileOf(c, nil)
	p.Pets = []duplicates.Pet{{Name: petNames[r.IntN(len(petNames))], Species: species[r.IntN(len(species))]}}
	return person{profile: p, client: c}
}

// typo changes one letter of a name of 5 letters or more, or swaps two neighbours.
func typo(r *rand.Rand, s string) string {
	rs := []rune(s)
	if len(rs) < 5 {
		return s
	}
	i := 1 + r.IntN(len(rs)-2)
	if r.IntN(2) == 0 {
		rs[i], rs[i+1] = rs[i+1], rs[i]
	} else {
		rs[i] = 'x'
	}
	return string(rs)
}

// plant returns the same person as the front desk of another clinic typed them, with one kind
// of difference, and the name of that kind.
func plant(r *rand.Rand, p person) (person, string) {
	c := p.client
	var kind string
	switch r.IntN(5) {
	case 0:
		kind = "typo"
		if len([]rune(c.LastName)) >= 5 {
			c.LastName = typo(r, c.LastName)
		} else {
			c.FirstName = typo(r, c.FirstName)
		}
	case 1:
		kind = "swapped names"
		c.FirstName, c.LastName = c.LastName, c.FirstName
	case 2:
		kind = "changed phone"
		c.Phone = fmt.Sprintf("555 %03d %04d", r.IntN(1000), r.IntN(10000))
		if c.Email == "" {
			c.Address = "" // nothing else in common but the name and the pet
		}
	case 3:
		kind = "married name"
		c.LastName = lastNames[r.IntN(len(lastNames))]
	case 4:
		kind = "reformatted"
		c.LastName = strings.ToUpper(c.LastName)
		c.Phone = strings.NewReplacer("(", "", ")", "", "-", ".").Replace(c.Phone)
	}
	q := duplicates.ProfileOf(c, nil)
	q.Pets = p.profile.Pets
	return person{profile: q, client: c}, kind
}

// TestR13_1MatchingQuality, R13.1: on a generated set with known duplicates planted, the
// scoring finds most of them, and grades at most 1 in 1,000 true non-duplicates a match.
func TestR13_1MatchingQuality(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 1))
	const n = 1000
	people := make([]person, n)
	for i := range people {
		people[i] = randomPerson(r, i)
	}
	// 1,000 true non-duplicates, hard ones first: a namesake, a family member at the same
	// phone, then anyone.
	wrong, nonDup := 0, 0
	for i := 0; i < n; i++ {
		a, b := people[i], people[(i+1+r.IntN(n-1))%n]
		switch i % 3 {
		case 0: // a namesake elsewhere
			b.profile.FirstName, b.profile.LastName = a.profile.FirstName, a.profile.LastName
		case 1: // a family member: same surname, phone, pets, another first name
			b.profile.LastName, b.profile.Phone, b.profile.Pets = a.profile.LastName, a.profile.Phone, a.profile.Pets
			if b.profile.FirstName == a.profile.FirstName {
				continue
			}
		}
		nonDup++
		if duplicates.Score(a.profile, b.profile).Grade == duplicates.GradeMatch {
			wrong++
			t.Logf("wrong match: %+v ~ %+v", a.profile, b.profile)
		}
	}
	if wrong > 1 {
		t.Errorf("%d wrong match grades in %d true non-duplicates, want at most 1", wrong, nonDup)
	}
	// Planted duplicates.
	found, foundOrPossible, planted := 0, 0, 0
	missed := map[string]int{}
	for i := 0; i < 500; i++ {
		a := people[r.IntN(n)]
		b, kind := plant(r, a)
		planted++
		switch duplicates.Score(a.profile, b.profile).Grade {
		case duplicates.GradeMatch:
			found++
			foundOrPossible++
		case duplicates.GradePossible:
			foundOrPossible++
			missed[kind]++
		default:
			missed[kind]++
		}
	}
	recall := float64(found) / float64(planted)
	precision := float64(found) / float64(found+wrong)
	t.Logf("Score: %d planted duplicates, %d graded match (recall %.3f, %.3f with possible), %d true non-duplicates, %d graded match (precision %.3f); not graded match by kind: %v",
		planted, found, recall, float64(foundOrPossible)/float64(planted), nonDup, wrong, precision, missed)
	if recall < 0.6 {
		t.Errorf("recall %.3f, want at least 0.6", recall)
	}
}

// TestR13_1ReportQuality, R13.1: the group-wide report, through blocking keys on a store,
// finds the planted duplicates among generated clients of two clinics.
func TestR13_1ReportQuality(t *testing.T) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(13, 2))
	fx := fixture.New(t, fixture.Options{Accounts: 2, Mode: vetshare.ModeManual})
	const n, dups = 300, 60
	planted := map[[2]vetshare.ClientID]bool{}
	fx.Update(t, func(tx *vetshare.Tx) error {
		for i := 0; i < n; i++ {
			p := randomPerson(r, i)
			a, _, err := records.CreateClient(ctx, tx, fx.Actor(0), p.client)
			if err != nil {
				return err
			}
			if i < dups {
				q, _ := plant(r, p)
				b, _, err := records.CreateClient(ctx, tx, fx.Actor(1), q.client)
				if err != nil {
					return err
				}
				planted[[2]vetshare.ClientID{min(a.ID, b.ID), max(a.ID, b.ID)}] = true
			}
		}
		return nil
	})
	if _, err := duplicates.Scan(ctx, fx.Store, fx.Actor(0), duplicates.ScanOptions{BatchSize: 97}); err != nil {
		t.Fatal(err)
	}
	var pairs []duplicates.Pair
	fx.View(t, func(tx *vetshare.Tx) error {
		page := vetshare.Page{Limit: 50}
		for {
			ps, next, err := duplicates.Report(ctx, tx, fx.Actor(0), page)
			if err != nil {
				return err
			}
			pairs = append(pairs, ps...)
			if next == "" {
				return nil
			}
			page.After = next
		}
	})
	tp, fp := 0, 0
	for i, p := range pairs {
		if i > 0 && pairs[i-1].Score < p.Score {
			t.Errorf("report not best first at %d: %v after %v", i, p, pairs[i-1])
		}
		if p.Grade != duplicates.GradeMatch {
			continue
		}
		if planted[[2]vetshare.ClientID{p.A.ID, p.B.ID}] {
			tp++
		} else {
			fp++
		}
	}
	t.Logf("Report: %d pairs listed, %d planted duplicates, %d graded match of them (recall %.3f), %d other pairs graded match (precision %.3f)",
		len(pairs), dups, tp, float64(tp)/dups, fp, float64(tp)/float64(max(tp+fp, 1)))
	if tp < dups/2 {
		t.Errorf("report found %d of %d planted duplicates", tp, dups)
	}
}
