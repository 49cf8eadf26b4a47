package duplicates_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/duplicates"
	"github.com/vetshare/vetshare/internal/fixture"
	"github.com/vetshare/vetshare/records"
)

// reportAll pages through the whole report seen by actor, limit pairs a page.
func reportAll(t *testing.T, fx *fixture.Fixture, actor vetshare.Actor, limit int) []string {
	t.Helper()
	var out []string
	fx.View(t, func(tx *vetshare.Tx) error {
		page := vetshare.Page{Limit: limit}
		for {
			ps, next, err := duplicates.Report(context.Background(), tx, actor, page)
			if err != nil {
				return err
			}
			if len(ps) > limit {
				t.Errorf("a page of %d pairs, limit %d", len(ps), limit)
			}
			for _, p := range ps {
				out = append(out, fmt.Sprintf("%s %s ~ %s %s %s", p.A.FirstName, p.A.LastName, p.B.FirstName, p.B.LastName, p.Grade))
			}
			if next == "" {
				return nil
			}
			page.After = next
		}
	})
	return out
}

// TestR13_1ScanThenReport, R13.1: the scan finds the pairs through blocking keys, in batches
// of any size with the same result (a block longer than a batch included), and the report pages
// through them best first, showing each account only the pairs of clients it may see; the
// pairs go once decided not the same (R13.2) or merged (R13.3). Namesakes with nothing else in
// common are not listed.
func TestR13_1ScanThenReport(t *testing.T) {
	ctx := context.Background()
	fx := fixture.New(t, fixture.Options{Accounts: 3})
	acc := fx.AccountIDs()
	fx.Enable(t, vetshare.ModeManual, acc[0], acc[1]) // the third clinic is in no group
	ids := map[string]vetshare.ClientID{}
	fx.Update(t, func(tx *vetshare.Tx) error {
		for _, c := range []struct {
			at   int
			name string
			c    vetshare.Client
		}{
			{0, "mary", vetshare.Client{LastName: "O'Brien", FirstName: "Mary", Phone: "555 123 4567", Email: "mary@example.com"}},
			{1, "mary2", vetshare.Client{LastName: "OBrien", FirstName: "mary", Phone: "(555) 123-4567"}},
			{1, "hans", vetshare.Client{LastName: "Müller", FirstName: "Hans"}},
			{0, "hans2", vetshare.Client{LastName: "Muller", FirstName: "Hans"}},
			{0, "spouse", vetshare.Client{LastName: "Jones", FirstName: "Bob", Email: "home@example.com", Phone: "555 000 1111"}},
			{1, "wife", vetshare.Client{LastName: "Jones", FirstName: "Ann", Email: "home@example.com", Phone: "555 000 1111"}},
			{2, "lee", vetshare.Client{LastName: "Lee", FirstName: "Kim", Phone: "555 777 8888"}},
			{2, "lee2", vetshare.Client{LastName: "Lee", FirstName: "Kim", Phone: "555 777 8888"}},
			{0, "stranger", vetshare.Client{LastName: "Lee", FirstName: "Ann"}},
		} {
			cl, _, err := records.CreateClient(ctx, tx, fx.Actor(c.at), c.c)
			if err != nil {
				return err
			}
			ids[c.name] = cl.ID
		}
		// A common name: more clients than a batch, one block.
		for i := range 12 {
			if _, _, err := records.CreateClient(ctx, tx, fx.Actor(i%2), vetshare.Client{LastName: "Smith", FirstName: fmt.Sprint("Kid", i%3), Phone: fmt.Sprint("555 100 000", i%3)}); err != nil {
				return err
			}
		}
		return nil
	})

	want := reportAfterScan(t, fx, 0, fx.Actor(0), 1000)
	t.Logf("the report from the first clinic: %q", want)
	if len(want) == 0 || !slices.Contains(want, "Mary O'Brien ~ mary OBrien match") && !slices.Contains(want, "mary OBrien ~ Mary O'Brien match") {
		t.Fatalf("report from the first clinic = %q, want the O'Briens as a match", want)
	}
	for _, p := range want {
		if slices.Contains([]string{"Kim Lee ~ Kim Lee match"}, p) {
			t.Errorf("the first clinic is shown %q, a pair only the third clinic has", p)
		}
		// Namesakes with nothing else in common are left to Find: not in the report.
		if strings.Contains(p, "Hans") {
			t.Errorf("the report lists the namesakes %q", p)
		}
	}
	if n := len(want); n != 2+18 {
		t.Errorf("the report lists %d pairs, want 20 (the O'Briens, the Joneses, 18 pairs of Smith kids)", n)
	}
	for _, batch := range []int{2, 3, 7} {
		if got := reportAfterScan(t, fx, batch, fx.Actor(0), 3); !slices.Equal(got, want) {
			t.Errorf("scan in batches of %d, report in pages of 3 =\n%q, want\n%q", batch, got, want)
		}
	}
	if got := reportAll(t, fx, fx.Actor(2), 10); !slices.Equal(got, []string{"Kim Lee ~ Kim Lee match"}) {
		t.Errorf("report from the third clinic = %q, want its two Kim Lees only", got)
	}

	// Decided not the same, and merged: those pairs go.
	fx.Update(t, func(tx *vetshare.Tx) error {
		if _, err := duplicates.DecideNotSame(ctx, tx, fx.Actor(0), ids["hans"], ids["hans2"], "two people"); err != nil {
			return err
		}
		_, err := duplicates.Merge(ctx, tx, fx.Actor(0), ids["mary"], ids["mary2"])
		return err
	})
	for _, p := range reportAll(t, fx, fx.Actor(0), 100) {
		if p == "Hans Müller ~ Hans Muller possible" || p == "Hans Muller ~ Hans Müller possible" || slices.Contains([]string{"Mary O'Brien ~ mary OBrien match", "mary OBrien ~ Mary O'Brien match"}, p) {
			t.Errorf("after the decision and the merge, the report still lists %q", p)
		}
	}
	if got, n := reportAll(t, fx, fx.Actor(0), 100), len(want)-1; len(got) != n {
		t.Errorf("after the decision and the merge the report lists %d pairs, want %d: %q", len(got), n, got)
	}
}

// reportAfterScan scans from the start in batches of batch keys (0: the default) as the admin
// of the first clinic, then returns the report seen by actor in pages of limit.
func reportAfterScan(t *testing.T, fx *fixture.Fixture, batch int, actor vetshare.Actor, limit int) []string {
	t.Helper()
	var progress []duplicates.ScanProgress
	p, err := duplicates.Scan(context.Background(), fx.Store, fx.Actor(0), duplicates.ScanOptions{BatchSize: batch,
		Progress: func(p duplicates.ScanProgress) { progress = append(progress, p) }})
	if err != nil || !p.Done || p.Keys == 0 || p.Cursor == "" {
		t.Fatalf("Scan = %+v, %v", p, err)
	}
	if batch > 0 && len(progress) < 3 {
		t.Errorf("a scan in batches of %d reported %d batches", batch, len(progress))
	}
	return reportAll(t, fx, actor, limit)
}

// TestR13_1ScanResumes, R13.1: a scan stopped by its context returns its progress and the
// error; resumed from the progress's cursor it ends with the pairs of a scan never stopped.
func TestR13_1ScanResumes(t *testing.T) {
	fx := fixture.New(t, fixture.Options{Accounts: 2, Mode: vetshare.ModeManual})
	for i := range 30 {
		fx.Client(t, i%2, fmt.Sprint("Name", i%7), fmt.Sprint("First", i%5))
	}
	want := reportAfterScan(t, fx, 0, fx.Actor(0), 1000)
	if len(want) == 0 {
		t.Fatal("no pairs to find")
	}
	ctx, cancel := context.WithCancel(context.Background())
	batches := 0
	p, err := duplicates.Scan(ctx, fx.Store, fx.Actor(0), duplicates.ScanOptions{BatchSize: 4, Progress: func(duplicates.ScanProgress) {
		if batches++; batches == 3 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) || p.Done || p.Cursor == "" {
		t.Fatalf("Scan cancelled after 3 batches = %+v, %v; want its progress and context.Canceled", p, err)
	}
	q, err := duplicates.Scan(context.Background(), fx.Store, fx.Actor(0), duplicates.ScanOptions{BatchSize: 4, After: p.Cursor})
	if err != nil || !q.Done {
		t.Fatalf("Scan resumed = %+v, %v", q, err)
	}
	if got := reportAll(t, fx, fx.Actor(0), 1000); !slices.Equal(got, want) {
		t.Errorf("report after a resumed scan =\n%q, want\n%q", got, want)
	}
}

// TestR13_1ScanRefusals: a scan needs an owner or admin, a sane batch size and a cursor of a
// scan, and changes nothing when refused; the report refuses a cursor of another list.
func TestR13_1ScanRefusals(t *testing.T) {
	ctx := context.Background()
	fx := fixture.New(t, fixture.Options{Accounts: 2, Mode: vetshare.ModeManual})
	fx.Client(t, 0, "Lee", "Kim")
	fx.Client(t, 1, "Lee", "Kim")
	staff := fx.User(t, "sam", vetshare.RoleStaff, vetshare.PermAll, 0)
	asStaff := vetshare.Actor{User: staff.ID, Account: fx.AccountIDs()[0]}
	for _, tc := range []struct {
		name  string
		actor vetshare.Actor
		opts  duplicates.ScanOptions
		want  error
	}{
		{"staff", asStaff, duplicates.ScanOptions{}, vetshare.ErrNotPermitted},
		{"negative batch", fx.Actor(0), duplicates.ScanOptions{BatchSize: -1}, vetshare.ErrInvalid},
		{"another list's cursor", fx.Actor(0), duplicates.ScanOptions{After: "nonsense"}, vetshare.ErrInvalid},
		{"unknown user", vetshare.Actor{User: "nobody", Account: fx.AccountIDs()[0]}, duplicates.ScanOptions{}, vetshare.ErrNotPermitted},
	} {
		if _, err := duplicates.Scan(ctx, fx.Store, tc.actor, tc.opts); !errors.Is(err, tc.want) {
			t.Errorf("%s: Scan = %v, want %v", tc.name, err, tc.want)
		}
		if got := reportAll(t, fx, fx.Actor(0), 10); len(got) != 0 {
			t.Errorf("%s: a refused scan left pairs %q", tc.name, got)
		}
	}
	if _, err := duplicates.Scan(ctx, nil, fx.Actor(0), duplicates.ScanOptions{}); !errors.Is(err, vetshare.ErrInvalid) {
		t.Errorf("Scan without a store = %v, want ErrInvalid", err)
	}
	fx.View(t, func(tx *vetshare.Tx) error {
		if _, _, err := duplicates.Report(ctx, tx, fx.Actor(0), vetshare.Page{After: "nonsense"}); !errors.Is(err, vetshare.ErrInvalid) {
			t.Errorf("Report with a bad cursor = %v, want ErrInvalid", err)
		}
		return nil
	})
}
