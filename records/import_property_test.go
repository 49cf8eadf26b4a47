package records_test

import (
	"cmp"
	"slices"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/fixture"
	"github.com/vetshare/vetshare/internal/txn"
	"github.com/vetshare/vetshare/inventory"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/reminders"
	"github.com/vetshare/vetshare/reports"
)

// history is a clinic's history of one client's two patients at two clinics of one group: the
// usages as they were given, which of them were removed, and the disable actions configured
// before any of them.
type history struct {
	tracked [2][2]bool
	actions [][2][2]int // item (account, slot) completes item (account, slot)
	usages  []event
}

type event struct {
	account, slot, patient int
	qty                    int64
	given                  time.Time
	removed                bool
}

// world is one store's copy of the setup of a history, by index.
type world struct {
	f        *fixture.Fixture
	client   vetshare.ClientID
	patients [2]vetshare.PatientID
	items    [2][2]vetshare.Item
}

// clinicalOutcome is what a history leaves, by index rather than id, so that two stores compare.
type clinicalOutcome struct {
	// Open are the open reminders by (patient, item, kind, due, source account).
	Open []openReminder
	// OnHand is each item's count on hand.
	OnHand [2][2]int64
	// Rows are the rows of the as-of reports for the client at each account.
	Rows []reportRow
}

type openReminder struct {
	Patient int
	Item    [2]int
	Kind    string
	Due     time.Time
	Source  int
}

type reportRow struct {
	Account   int
	Kind      vetshare.ReportKind
	LastVisit time.Time
}

func setUp(t *rapid.T, f *fixture.Fixture, h history, round int) world {
	w := world{f: f}
	f.Update(t, func(tx *vetshare.Tx) error {
		c, _, err := records.CreateClient(ctx, tx, f.Actor(0), vetshare.Client{LastName: "Import", FirstName: string(rune('A' + round%26))})
		if err != nil {
			return err
		}
		w.client = c.ID
		for i := range w.patients {
			p, err := records.AddPatient(ctx, tx, f.Actor(i), vetshare.Patient{ClientID: c.ID, Name: "Pet", Species: "dog"})
			if err != nil {
				return err
			}
			w.patients[i] = p.ID
		}
		for a := range 2 {
			for slot, rule := range []vetshare.ReminderRule{{Kind: "Rabies", Interval: yearly}, {Kind: "DHPP", Interval: weeks3}} {
				it := vetshare.Item{Name: rule.Kind, Kind: vetshare.ItemProduct, Tracked: h.tracked[a][slot], Reminders: []vetshare.ReminderRule{rule}}
				if w.items[a][slot], err = inventory.CreateItem(ctx, tx, f.Actor(a), it); err != nil {
					return err
				}
			}
		}
		for _, act := range h.actions {
			x, z := act[0], act[1]
			if _, err := reminders.AddDisableAction(ctx, tx, f.Actor(x[0]), w.items[x[0]][x[1]].ID, w.items[z[0]][z[1]].ID); err != nil {
				return err
			}
		}
		return nil
	})
	return w
}

// add records usage i of h through AddUsage.
func (w world) add(t *rapid.T, e event) vetshare.RecordID {
	var id vetshare.RecordID
	w.f.Update(t, func(tx *vetshare.Tx) error {
		ch, err := records.AddUsage(ctx, tx, w.f.Actor(e.account), vetshare.Record{PatientID: w.patients[e.patient],
			ItemID: w.items[e.account][e.slot].ID, Quantity: e.qty, GivenAt: e.given})
		id = ch.Record.ID
		return err
	})
	return id
}

func (w world) remove(t *rapid.T, e event, id vetshare.RecordID) {
	w.f.Update(t, func(tx *vetshare.Tx) error {
		_, err := records.RemoveUsage(ctx, tx, w.f.Actor(e.account), id, "charted in error")
		return err
	})
}

func (w world) outcome(t *rapid.T, asOf vetshare.Date) clinicalOutcome {
	var out clinicalOutcome
	itemIndex := map[vetshare.ItemID][2]int{}
	for a := range 2 {
		for s := range 2 {
			itemIndex[w.items[a][s].ID] = [2]int{a, s}
		}
	}
	w.f.View(t, func(tx *vetshare.Tx) error {
		for pi, p := range w.patients {
			rs, err := txn.D(tx).PatientReminders(ctx, p, vetshare.ReminderOpen)
			if err != nil {
				return err
			}
			for _, r := range rs {
				src := slices.Index(w.f.AccountIDs(), r.AccountID)
				out.Open = append(out.Open, openReminder{pi, itemIndex[r.ItemID], r.Kind, r.Due, src})
			}
		}
		for a := range 2 {
			for s := range 2 {
				it, err := txn.D(tx).Item(ctx, w.items[a][s].ID)
				if err != nil {
					return err
				}
				out.OnHand[a][s] = it.OnHand
			}
			for _, kind := range []vetshare.ReportKind{vetshare.ReportActiveClients, vetshare.ReportInactiveClients, vetshare.ReportLapsedClients} {
				r, err := reports.Open(ctx, tx, w.f.Actor(a), vetshare.ReportParams{Kind: kind, AsOf: asOf})
				if err != nil {
					return err
				}
				if err := r.Each(ctx, func(row vetshare.ReportRow) error {
					if row.ClientID == w.client {
						out.Rows = append(out.Rows, reportRow{a, kind, row.LastVisit})
					}
					return nil
				}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	slices.SortFunc(out.Open, func(x, y openReminder) int {
		return cmp.Or(cmp.Compare(x.Patient, y.Patient), cmp.Compare(x.Item[0], y.Item[0]), cmp.Compare(x.Item[1], y.Item[1]),
			cmp.Compare(x.Kind, y.Kind), x.Due.Compare(y.Due), cmp.Compare(x.Source, y.Source))
	})
	return out
}

// R12.4, R7.4, R7.8: recording a clinic's history through the operations in any order (an
// import, late charting), with its removals anywhere after the usages they remove and a
// disable action configured after the last usage, ends with the same open reminders (by
// patient, item, kind, due date and source account), stock and report rows as recording it
// live, each usage when it was given.
func TestR12_4_PropertyImportInAnyOrderEqualsLive(t *testing.T) {
	live := fixture.New(t, fixture.Options{Accounts: 2, Mode: vetshare.ModeAutomatic})
	imported := fixture.New(t, fixture.Options{Accounts: 2, Mode: vetshare.ModeAutomatic})
	round := 0
	rapid.Check(t, func(rt *rapid.T) {
		round++
		base := fixture.Start().AddDate(0, 0, 400*round) // each round after the last, on both clocks
		var h history
		for a := range 2 {
			for s := range 2 {
				h.tracked[a][s] = rapid.Bool().Draw(rt, "tracked")
			}
		}
		isAction := map[[2][2]int]bool{}
		for xa := range 2 {
			for xs := range 2 {
				for za := range 2 {
					for zs := range 2 {
						if (xa != za || xs != zs) && rapid.IntRange(0, 2).Draw(rt, "action") == 0 {
							h.actions = append(h.actions, [2][2]int{{xa, xs}, {za, zs}})
							isAction[h.actions[len(h.actions)-1]] = true
						}
					}
				}
			}
		}
		// Distinct days given: ties are broken by the recording order, which an import does
		// not keep.
		n := rapid.IntRange(1, 10).Draw(rt, "usages")
		days := rapid.SliceOfNDistinct(rapid.IntRange(0, 120), n, n, rapid.ID[int]).Draw(rt, "days")
		slices.Sort(days)
		for _, d := range days {
			h.usages = append(h.usages, event{
				account: rapid.IntRange(0, 1).Draw(rt, "account"), slot: rapid.IntRange(0, 1).Draw(rt, "slot"),
				patient: rapid.IntRange(0, 1).Draw(rt, "patient"), qty: int64(rapid.IntRange(1, 3).Draw(rt, "qty")),
				given: base.AddDate(0, 0, d).Add(time.Hour), removed: rapid.IntRange(0, 3).Draw(rt, "removed") == 0,
			})
		}
		asOf := vetshare.DateOf(base.AddDate(0, 0, rapid.IntRange(0, 700).Draw(rt, "as of")))

		// Live: each usage recorded when it was given, each removal after a later usage.
		live.Clock.Set(base)
		lw := setUp(rt, live, h, round)
		liveIDs := make([]vetshare.RecordID, n)
		removeAfter := map[int][]int{} // usage index -> the removals recorded after it
		for i, e := range h.usages {
			if e.removed {
				at := rapid.IntRange(i, n-1).Draw(rt, "removed after")
				removeAfter[at] = append(removeAfter[at], i)
			}
		}
		for i, e := range h.usages {
			live.Clock.Set(e.given)
			liveIDs[i] = lw.add(rt, e)
			live.Clock.Add(time.Hour)
			for _, j := range removeAfter[i] {
				lw.remove(rt, h.usages[j], liveIDs[j])
			}
		}

		// Imported: the usages in any order, recorded after all of them were given; each
		// removal anywhere after its usage; a disable action configured after the last usage,
		// which must change nothing a removal decides (R7.8).
		imported.Clock.Set(base)
		iw := setUp(rt, imported, h, round)
		imported.Clock.Set(base.AddDate(0, 0, 200))
		type op struct {
			usage  int
			remove bool
		}
		var ops []op
		order := make([]int, n)
		for i := range order {
			order[i] = i
		}
		for _, i := range rapid.Permutation(order).Draw(rt, "import order") {
			ops = append(ops, op{usage: i})
		}
		for i, e := range h.usages {
			if e.removed {
				added := slices.Index(ops, op{usage: i})
				at := rapid.IntRange(added+1, len(ops)).Draw(rt, "removal at")
				ops = slices.Insert(ops, at, op{usage: i, remove: true})
			}
		}
		importIDs := make([]vetshare.RecordID, n)
		adds := 0
		for _, o := range ops {
			if o.remove {
				iw.remove(rt, h.usages[o.usage], importIDs[o.usage])
				continue
			}
			importIDs[o.usage] = iw.add(rt, h.usages[o.usage])
			if adds++; adds == n {
				x := [2]int{rapid.IntRange(0, 1).Draw(rt, "late x account"), rapid.IntRange(0, 1).Draw(rt, "late x slot")}
				z := [2]int{rapid.IntRange(0, 1).Draw(rt, "late z account"), rapid.IntRange(0, 1).Draw(rt, "late z slot")}
				if x != z && !isAction[[2][2]int{x, z}] {
					imported.Update(rt, func(tx *vetshare.Tx) error {
						_, err := reminders.AddDisableAction(ctx, tx, imported.Actor(x[0]), iw.items[x[0]][x[1]].ID, iw.items[z[0]][z[1]].ID)
						return err
					})
				}
			}
		}

		want, got := lw.outcome(rt, asOf), iw.outcome(rt, asOf)
		if diff := gocmp.Diff(want, got); diff != "" {
			rt.Fatalf("an import differs from recording live (-live +imported):\n%s", diff)
		}
	})
}
