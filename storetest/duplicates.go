package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
	"github.com/vetshare/vetshare/internal/txn"
)

func init() {
	Register("Duplicates", testDuplicates)
	Register("PatientMerge", testPatientMerge)
}

// testDuplicates checks the search keys, decisions and merges of clients (R2.3, R13).
func testDuplicates(t *testing.T, h Harness) {
	s := open(t, h)
	w := newWorld(t, s, 3)
	a, b := w.accounts[0].ID, w.accounts[1].ID
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		d := txn.D(tx)
		obrien, err := w.client(ctx, tx, 0, "O'Brien", "Seán")
		if err != nil {
			return err
		}
		obrien.Phone, obrien.Email = "+1 (555) 123-4567", "sean@x.example"
		smith, err := w.client(ctx, tx, 0, "Smith", "Anna")
		if err != nil {
			return err
		}
		obrecht, err := w.client(ctx, tx, 1, "Obrecht", "Zoe")
		if err != nil {
			return err
		}
		eb := vetshare.ClientEntry{AccountID: b, ClientID: obrien.ID, Via: vetshare.ViaManual, CreatedAt: t0}
		if err := d.InsertClientEntry(ctx, &eb); err != nil {
			return err
		}
		ea, err := d.ClientEntry(ctx, a, obrien.ID)
		if err != nil {
			return err
		}
		for _, c := range []vetshare.Client{obrien, smith, obrecht} {
			if err := d.IndexClient(ctx, c); err != nil {
				return err
			}
		}
		wantErr(t, "IndexClient unknown", d.IndexClient(ctx, vetshare.Client{ID: "nope", OwnerID: w.owner.ID, LastName: "X"}), vetshare.ErrNotFound)

		ids := func(cs []driver.ClientRow, err error) []vetshare.ClientID {
			t.Helper()
			if err != nil {
				t.Errorf("SearchClients: %v", err)
			}
			return rowIDs(cs)
		}
		for _, tc := range []struct {
			name string
			q    driver.ClientSearch
			want []vetshare.ClientID
		}{
			{"prefix", driver.ClientSearch{Account: a, Probe: "l:obr"}, []vetshare.ClientID{obrien.ID}},
			{"prefix in b", driver.ClientSearch{Account: b, Probe: "l:obr"}, []vetshare.ClientID{obrecht.ID, obrien.ID}},
			{"exact", driver.ClientSearch{Probe: "l:obrien", Exact: true}, []vetshare.ClientID{obrien.ID}},
			{"exact is not prefix", driver.ClientSearch{Probe: "l:obr", Exact: true}, nil},
			{"also", driver.ClientSearch{Probe: "l:o", Also: [][]string{{"f:zz", "f:se"}}}, []vetshare.ClientID{obrien.ID}},
			{"also fails", driver.ClientSearch{Probe: "l:o", Also: [][]string{{"f:zz"}}}, nil},
			{"phone tail", driver.ClientSearch{Probe: "p:5551234"}, []vetshare.ClientID{obrien.ID}},
			{"email", driver.ClientSearch{Probe: "e:sean@"}, []vetshare.ClientID{obrien.ID}},
			{"not", driver.ClientSearch{Probe: "l:ob", Not: obrien.ID}, []vetshare.ClientID{obrecht.ID}},
			{"candidates", driver.ClientSearch{To: b, From: []vetshare.AccountID{a}, Probe: "l:"}, []vetshare.ClientID{smith.ID}},
			{"limit", driver.ClientSearch{Probe: "l:", Limit: 1}, []vetshare.ClientID{obrecht.ID}},
			{"last, first", driver.ClientSearch{Account: b, Probe: "n:obrecht z"}, []vetshare.ClientID{obrecht.ID}},
			{"both cut short", driver.ClientSearch{Account: b, Probe: "n:obr", Then: "z"}, []vetshare.ClientID{obrecht.ID}},
			{"both cut short, owner", driver.ClientSearch{Probe: "n:obr", Then: "se"}, []vetshare.ClientID{obrien.ID}},
			{"any first name", driver.ClientSearch{Account: a, Probe: "m:", Then: "smi"}, []vetshare.ClientID{smith.ID}},
			{"any first name, all", driver.ClientSearch{Probe: "m:", Then: "o"}, []vetshare.ClientID{obrien.ID, obrecht.ID}},
			{"candidates cut short", driver.ClientSearch{To: b, From: []vetshare.AccountID{a}, Probe: "m:an", Then: "s"}, []vetshare.ClientID{smith.ID}},
			{"tiers in order", driver.ClientSearch{Tiers: []driver.SearchTier{{Probe: "l:smith", Exact: true}, {Probe: "l:obrien", Exact: true}, {Probe: "l:"}}},
				[]vetshare.ClientID{smith.ID, obrien.ID, obrecht.ID}},
			{"tiers in an account", driver.ClientSearch{Account: a, Tiers: []driver.SearchTier{{Probe: "n:obr", Then: "s"}, {Probe: "l:"}}}, []vetshare.ClientID{obrien.ID, smith.ID}},
			{"tiers stop at limit", driver.ClientSearch{Limit: 2, Tiers: []driver.SearchTier{{Probe: "l:obrecht"}, {Probe: "l:"}}}, []vetshare.ClientID{obrecht.ID, obrien.ID}},
		} {
			q := tc.q
			q.Owner = w.owner.ID
			if q.Limit == 0 {
				q.Limit = 10
			}
			rows, err := d.SearchClients(ctx, q)
			if got := ids(rows, err); !slices.Equal(got, tc.want) {
				t.Errorf("SearchClients %s: got %v, want %v", tc.name, got, tc.want)
			}
			// Each row is the stored client, with its entry in q.Account when there is one.
			for _, r := range rows {
				var want vetshare.ClientEntry
				if q.Account != "" {
					if want, err = d.ClientEntry(ctx, q.Account, r.ID); err != nil {
						return err
					}
				}
				c, err := d.Client(ctx, a, r.ID)
				if errors.Is(err, vetshare.ErrNotFound) {
					c, err = d.Client(ctx, b, r.ID)
				}
				if err != nil {
					return err
				}
				if diff := cmp.Diff(driver.ClientRow{Client: c, Entry: want}, r); diff != "" {
					t.Errorf("SearchClients %s: row of %s (-want +got):\n%s", tc.name, r.ID, diff)
				}
			}
		}
		_, err = d.SearchClients(ctx, driver.ClientSearch{Owner: w.owner.ID, Probe: "", Limit: 1})
		wantErr(t, "SearchClients without probe", err, vetshare.ErrInvalid)
		_, err = d.SearchClients(ctx, driver.ClientSearch{Owner: w.owner.ID, Probe: "l:", Limit: 0})
		wantErr(t, "SearchClients limit 0", err, vetshare.ErrInvalid)
		for _, q := range []driver.ClientSearch{
			{Probe: "l:obr", Then: "s"},
			{Probe: "n:obr", Then: "s", Exact: true},
			{Probe: "n:obrien s", Then: "s"},
			{Probe: "l:o", Tiers: []driver.SearchTier{{Probe: "l:o"}}},
			{Tiers: []driver.SearchTier{{Probe: "l:o"}, {Probe: ""}}},
		} {
			q.Owner, q.Limit = w.owner.ID, 5
			_, err = d.SearchClients(ctx, q)
			wantErr(t, fmt.Sprintf("SearchClients %+v", q), err, vetshare.ErrInvalid)
		}

		// Decisions.
		x, y := min(obrien.ID, obrecht.ID), max(obrien.ID, obrecht.ID)
		ns := driver.NotSame{Owner: w.owner.ID, A: x, B: y, Account: a, User: w.user.ID, Reason: "different people", At: t0}
		if err := d.InsertNotSame(ctx, ns); err != nil {
			return err
		}
		wantErr(t, "InsertNotSame twice", d.InsertNotSame(ctx, ns), vetshare.ErrConflict)
		for _, id := range []vetshare.ClientID{x, y} {
			got, err := d.NotSameOf(ctx, w.owner.ID, id)
			if err != nil {
				return err
			}
			if len(got) != 1 || got[0] != ns {
				t.Errorf("NotSameOf %s: got %+v, want [%+v]", id, got, ns)
			}
		}
		if got, err := d.NotSameOf(ctx, w.owner.ID, smith.ID); err != nil || len(got) != 0 {
			t.Errorf("NotSameOf undecided: %v, %v", got, err)
		}
		all, err := d.OwnerClients(ctx, w.owner.ID, "", 10)
		if err != nil {
			return err
		}
		want := []vetshare.ClientID{obrien.ID, smith.ID, obrecht.ID}
		slices.Sort(want)
		var got []vetshare.ClientID
		for _, c := range all {
			got = append(got, c.ID)
		}
		if !slices.Equal(got, want) {
			t.Errorf("OwnerClients: got %v, want %v", got, want)
		}

		// Merge O'Brien (in a and b) into Smith (in a).
		if err := d.MergeClients(ctx, driver.ClientMerge{Owner: w.owner.ID, Survivor: smith.ID, Merged: obrien.ID, At: t0}); err != nil {
			return err
		}
		if got, err := d.ReplacedBy(ctx, w.owner.ID, obrien.ID); err != nil || got != smith.ID {
			t.Errorf("ReplacedBy: %v, %v; want %s", got, err, smith.ID)
		}
		_, err = d.ReplacedBy(ctx, w.owner.ID, smith.ID)
		wantErr(t, "ReplacedBy of a survivor", err, vetshare.ErrNotFound)
		if got, err := d.NumberAlias(ctx, a, ea.Number); err != nil || got != smith.ID {
			t.Errorf("NumberAlias: %v, %v; want %s", got, err, smith.ID)
		}
		_, err = d.NumberAlias(ctx, a, 999)
		wantErr(t, "NumberAlias unknown", err, vetshare.ErrNotFound)
		if e, err := d.ClientEntry(ctx, b, smith.ID); err != nil || e.Number != eb.Number {
			t.Errorf("b's entry after merge: %+v, %v; want number %d", e, err, eb.Number)
		}
		_, err = d.ClientEntry(ctx, a, obrien.ID)
		wantErr(t, "merged-away entry", err, vetshare.ErrNotFound)
		if got := ids(d.SearchClients(ctx, driver.ClientSearch{Owner: w.owner.ID, Probe: "l:obrien", Limit: 5})); len(got) != 0 {
			t.Errorf("merged-away client still found: %v", got)
		}
		wantErr(t, "MergeClients unknown", d.MergeClients(ctx, driver.ClientMerge{Owner: w.owner.ID, Survivor: smith.ID, Merged: "nope", At: t0}), vetshare.ErrNotFound)
		return nil
	})

	// A merged-away number is never given again, even when it was the account's highest and
	// the next entry is made in a later transaction (R13.3).
	var last int64
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		d := txn.D(tx)
		keep, err := w.client(ctx, tx, 2, "Keep", "K")
		if err != nil {
			return err
		}
		gone, err := w.client(ctx, tx, 2, "Gone", "G")
		if err != nil {
			return err
		}
		e, err := d.ClientEntry(ctx, w.accounts[2].ID, gone.ID)
		if err != nil {
			return err
		}
		last = e.Number
		return d.MergeClients(ctx, driver.ClientMerge{Owner: w.owner.ID, Survivor: keep.ID, Merged: gone.ID, At: t0})
	})
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		c, err := w.client(ctx, tx, 2, "Next", "N")
		if err != nil {
			return err
		}
		e, err := txn.D(tx).ClientEntry(ctx, w.accounts[2].ID, c.ID)
		if err != nil {
			return err
		}
		if e.Number <= last {
			t.Errorf("the entry after a merge got number %d; the merged-away number was %d", e.Number, last)
		}
		return nil
	})
}

// testPatientMerge checks MergePatients and PatientReplacedBy (R13.5).
func testPatientMerge(t *testing.T, h Harness) {
	s := open(t, h)
	w := newWorld(t, s, 2)
	a := w.accounts[0].ID
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		d := txn.D(tx)
		pm := d
		cl, err := w.client(ctx, tx, 0, "Doo", "Scooby")
		if err != nil {
			return err
		}
		var ps [3]vetshare.Patient
		for i := range ps {
			ps[i] = vetshare.Patient{ID: vetshare.NewID[vetshare.PatientID](t0), ClientID: cl.ID, Name: fmt.Sprint("Rex ", i), Species: "dog",
				OriginAccount: a, CreatedBy: w.user.ID, CreatedAt: t0.Add(time.Duration(i) * time.Second)}
			if err := d.InsertPatient(ctx, ps[i]); err != nil {
				return err
			}
			r := vetshare.Record{ID: vetshare.NewID[vetshare.RecordID](t0), PatientID: ps[i].ID, AccountID: a, UserID: w.user.ID,
				Kind: vetshare.RecordNote, Text: fmt.Sprint("note ", i), CreatedAt: t0}
			if err := d.InsertRecord(ctx, &r); err != nil {
				return err
			}
		}
		// 2 into 1, then 1 into 0: 2 is replaced by 0 now.
		for _, m := range [][2]int{{1, 2}, {0, 1}} {
			if err := pm.MergePatients(ctx, driver.PatientMerge{Owner: w.owner.ID, Survivor: ps[m[0]].ID, Merged: ps[m[1]].ID, At: t0}); err != nil {
				return err
			}
		}
		for _, i := range []int{1, 2} {
			if got, err := pm.PatientReplacedBy(ctx, w.owner.ID, ps[i].ID); err != nil || got != ps[0].ID {
				t.Errorf("PatientReplacedBy %d: %v, %v; want %s", i, got, err, ps[0].ID)
			}
			_, err := d.Patient(ctx, a, ps[i].ID)
			wantErr(t, "Patient merged away", err, vetshare.ErrNotFound)
			_, _, err = d.PatientWithClient(ctx, a, ps[i].ID, "")
			wantErr(t, "PatientWithClient merged away", err, vetshare.ErrNotFound)
		}
		_, err = pm.PatientReplacedBy(ctx, w.owner.ID, ps[0].ID)
		wantErr(t, "PatientReplacedBy of a survivor", err, vetshare.ErrNotFound)
		if got, err := d.Patients(ctx, a, cl.ID); err != nil || len(got) != 1 || got[0].ID != ps[0].ID {
			t.Errorf("Patients after merges: %+v, %v", got, err)
		}
		if got, err := d.PatientsOf(ctx, []vetshare.ClientID{cl.ID}); err != nil || len(got) != 1 {
			t.Errorf("PatientsOf after merges: %+v, %v", got, err)
		}
		if got, err := d.PatientNamesOf(ctx, []vetshare.ClientID{cl.ID}); err != nil || len(got) != 1 || got[0].ID != ps[0].ID {
			t.Errorf("PatientNamesOf after merges: %+v, %v; want %s alone", got, err, ps[0].ID)
		}
		wantErr(t, "MergePatients of a merged-away patient", pm.MergePatients(ctx, driver.PatientMerge{Owner: w.owner.ID, Survivor: ps[0].ID, Merged: ps[2].ID, At: t0}), vetshare.ErrNotFound)
		wantErr(t, "MergePatients unknown", pm.MergePatients(ctx, driver.PatientMerge{Owner: w.owner.ID, Survivor: ps[0].ID, Merged: "nope", At: t0}), vetshare.ErrNotFound)
		return nil
	})
}

// rowIDs returns the ids of a search's rows, in order.
func rowIDs(rows []driver.ClientRow) []vetshare.ClientID {
	var out []vetshare.ClientID
	for _, r := range rows {
		out = append(out, r.ID)
	}
	return out
}
