package duplicates_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/duplicates"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/vetsharetest"
)

// Score is a pure rule: a host can grade its own data.
func ExampleScore() {
	a := duplicates.Profile{FirstName: "Mary", LastName: "O'Brien", Phone: "+1 555 123 4567"}
	for _, b := range []duplicates.Profile{
		{FirstName: "mary", LastName: "OBrien", Phone: "(555) 123-4567"},
		{FirstName: "John", LastName: "O'Brien", Phone: "555 123 4567"},
		{FirstName: "Mary", LastName: "Smith", Phone: "555 000 1111"},
	} {
		r := duplicates.Score(a, b)
		fmt.Printf("%s %s: %q %d %v\n", b.FirstName, b.LastName, r.Grade, r.Score, r.Agree)
	}
	// Output:
	// mary OBrien: "match" 80 [name phone]
	// John O'Brien: "possible" 60 [phone]
	// Mary Smith: "" 20 []
}

// twoClinics returns a store with two clinics sharing manually and Mary O'Brien, typed at
// each, and prints nothing.
func twoClinics(tb *vetsharetest.ExampleTB) (*vetsharetest.Store, *vetsharetest.Practice, [2]vetshare.Client) {
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 2, vetshare.ModeManual)
	var mary [2]vetshare.Client
	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		var err error
		ctx := context.Background()
		if mary[0], _, err = records.CreateClient(ctx, tx, p.Actor(0), vetshare.Client{LastName: "O'Brien", FirstName: "Mary", Phone: "555 123 4567"}); err != nil {
			return err
		}
		mary[1], _, err = records.CreateClient(ctx, tx, p.Actor(1), vetshare.Client{LastName: "OBrien", FirstName: "Mary", Phone: "(555) 123-4567"})
		return err
	})
	return s, p, mary
}

// Clinic A finds that Clinic B has Mary O'Brien too.
func ExampleFind() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s, p, mary := twoClinics(tb)
	s.MustView(tb, func(tx *vetshare.Tx) error {
		ms, err := duplicates.Find(context.Background(), tx, p.Actor(0), mary[0].ID)
		for _, m := range ms {
			fmt.Printf("%s %s: %s, %d, agree on %v\n", m.Client.FirstName, m.Client.LastName, m.Grade, m.Score, m.Agree)
		}
		return err
	})
	// Output:
	// Mary OBrien: match, 80, agree on [name phone]
}

// A decision that two clients are not the same person is kept, and the pair is not proposed
// again.
func ExampleDecideNotSame() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s, p, mary := twoClinics(tb)
	ctx := context.Background()
	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		d, err := duplicates.DecideNotSame(ctx, tx, p.Actor(0), mary[0].ID, mary[1].ID, "mother and daughter, one phone")
		if err != nil {
			return err
		}
		fmt.Println("decided:", d.Reason)
		ms, err := duplicates.Find(ctx, tx, p.Actor(0), mary[0].ID)
		fmt.Println("proposed now:", len(ms))
		_, err2 := duplicates.DecideNotSame(ctx, tx, p.Actor(1), mary[1].ID, mary[0].ID, "again")
		fmt.Println("deciding again is a conflict:", errors.Is(err2, vetshare.ErrConflict))
		return err
	})
	// Output:
	// decided: mother and daughter, one phone
	// proposed now: 0
	// deciding again is a conflict: true
}

// After a merge, Clinic B's old client id and number open the survivor.
func ExampleMerge() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s, p, mary := twoClinics(tb)
	ctx := context.Background()
	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		pv, err := duplicates.PreviewMerge(ctx, tx, p.Actor(0), mary[0].ID, mary[1].ID)
		if err != nil {
			return err
		}
		fmt.Printf("preview: %s %s stays, with %d client entries\n", pv.Survivor.FirstName, pv.Survivor.LastName, len(pv.Entries))
		_, err = duplicates.Merge(ctx, tx, p.Actor(0), mary[0].ID, mary[1].ID)
		return err
	})
	s.MustView(tb, func(tx *vetshare.Tx) error {
		c, e, err := records.Client(ctx, tx, p.Actor(1), mary[1].ID)
		fmt.Printf("Clinic B's old id opens %s %s, client #%d, the survivor: %v\n", c.FirstName, c.LastName, e.Number, c.ID == mary[0].ID)
		return err
	})
	// Output:
	// preview: Mary O'Brien stays, with 2 client entries
	// Clinic B's old id opens Mary O'Brien, client #1, the survivor: true
}
