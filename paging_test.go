package vetshare_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/billing"
	"github.com/vetshare/vetshare/contacts"
	"github.com/vetshare/vetshare/internal/fixture"
	"github.com/vetshare/vetshare/inventory"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/reminders"
	"github.com/vetshare/vetshare/sharing"
	"github.com/vetshare/vetshare/tasks"
)

// lister reads one page of a list and returns the ids of its rows.
type lister func(ctx context.Context, tx *vetshare.Tx, page vetshare.Page) ([]string, vetshare.Cursor, error)

func ids[T any](rows []T, next vetshare.Cursor, err error, id func(T) string) ([]string, vetshare.Cursor, error) {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = id(r)
	}
	return out, next, err
}

// pagingLists builds, in f, enough rows for three pages of two (five rows) in every list, and
// returns how to read each list, by the list's name.
func pagingLists(t *testing.T, f *fixture.Fixture) map[string]lister {
	ctx := context.Background()
	const n = 5
	a, b := f.Actor(0), f.Actor(1)
	var (
		client   vetshare.ClientID
		patient  vetshare.PatientID
		patients []vetshare.PatientID
		ledger   vetshare.ItemID
		disabler vetshare.ItemID
		invoice  vetshare.InvoiceID
	)
	for i := range n {
		f.Client(t, 0, "Paging", fmt.Sprintf("Client %d", i))
		f.Client(t, 0, "Candor", fmt.Sprintf("Candidate %d", i)) // not shared with B: B's candidates
	}
	c, _ := f.Client(t, 0, "Owner", "Pet")
	client = c.ID
	patient = f.Patient(t, 0, client, "Rex", "dog").ID
	for i := range n {
		f.Note(t, 0, patient, fmt.Sprintf("note %d", i))
		patients = append(patients, f.Patient(t, 0, client, fmt.Sprintf("Pup %d", i), "dog").ID)
	}
	f.Update(t, func(tx *vetshare.Tx) error {
		for i := range n {
			if _, err := inventory.CreateItem(ctx, tx, a, vetshare.Item{Name: fmt.Sprintf("Pagitem %d", i), Kind: vetshare.ItemProduct}); err != nil {
				return err
			}
			it, err := inventory.CreateItem(ctx, tx, a, vetshare.Item{Name: fmt.Sprintf("Short %d", i), Kind: vetshare.ItemProduct, Tracked: true})
			if err != nil {
				return err
			}
			if _, err := inventory.Adjust(ctx, tx, a, it.ID, -1, "miscount"); err != nil {
				return err
			}
			if _, err := contacts.Create(ctx, tx, a, vetshare.Contact{Kind: vetshare.ContactPerson, Name: fmt.Sprintf("Pagcontact %d", i)}); err != nil {
				return err
			}
			if _, err := tasks.Create(ctx, tx, a, tasks.Draft{Title: fmt.Sprintf("task %d", i), Assignee: f.Admin.ID, PatientID: patient,
				Due: fixture.Start().Add(time.Duration(i%3) * 24 * time.Hour), Priority: vetshare.Priority(1 + i%2)}); err != nil {
				return err
			}
			if _, err := billing.CreateInvoice(ctx, tx, a, vetshare.Invoice{ClientID: client, Lines: []vetshare.InvoiceLine{
				{Description: "exam", Quantity: 1, UnitPrice: 1000 * n}}}); err != nil {
				return err
			}
		}
		it, err := inventory.CreateItem(ctx, tx, a, vetshare.Item{Name: "Ledgered", Kind: vetshare.ItemProduct, Tracked: true})
		if err != nil {
			return err
		}
		ledger = it.ID
		for range n {
			if _, err := inventory.Receive(ctx, tx, a, ledger, 10, "delivery"); err != nil {
				return err
			}
		}
		vax, err := inventory.CreateItem(ctx, tx, a, vetshare.Item{Name: "Rabies", Kind: vetshare.ItemProduct,
			Reminders: []vetshare.ReminderRule{{Kind: "Rabies", Interval: vetshare.Interval{Count: 1, Unit: vetshare.Years}}}})
		if err != nil {
			return err
		}
		var rules []vetshare.ReminderRule
		for i := range n {
			rules = append(rules, vetshare.ReminderRule{Kind: fmt.Sprintf("Combo %d", i), Interval: vetshare.Interval{Count: i + 1, Unit: vetshare.Months}})
		}
		combo, err := inventory.CreateItem(ctx, tx, a, vetshare.Item{Name: "Combo", Kind: vetshare.ItemProduct, Reminders: rules})
		if err != nil {
			return err
		}
		if _, err := records.AddUsage(ctx, tx, a, vetshare.Record{PatientID: patient, ItemID: combo.ID, Quantity: 1}); err != nil {
			return err
		}
		dis, err := inventory.CreateItem(ctx, tx, a, vetshare.Item{Name: "Disabler", Kind: vetshare.ItemProduct})
		if err != nil {
			return err
		}
		disabler = dis.ID
		for i := range n {
			target, err := inventory.CreateItem(ctx, tx, a, vetshare.Item{Name: fmt.Sprintf("Target %d", i), Kind: vetshare.ItemProduct,
				Reminders: []vetshare.ReminderRule{{Kind: "Target", Interval: vetshare.Interval{Count: 1, Unit: vetshare.Years}}}})
			if err != nil {
				return err
			}
			if _, err := reminders.AddDisableAction(ctx, tx, a, disabler, target.ID); err != nil {
				return err
			}
		}
		for _, p := range patients {
			if _, err := records.AddUsage(ctx, tx, a, vetshare.Record{PatientID: p, ItemID: vax.ID, Quantity: 1}); err != nil {
				return err
			}
		}
		invs, _, err := billing.Invoices(ctx, tx, a, client, "", vetshare.Page{})
		if err != nil {
			return err
		}
		invoice = invs[0].ID
		for i := range n {
			if _, err := billing.RecordPayment(ctx, tx, a, billing.PaymentRequest{Key: fmt.Sprintf("pay-%d", i), Invoice: invoice,
				Amount: vetshare.Money{Amount: 1000, Currency: "USD"}, Channel: vetshare.ChannelCounter}); err != nil {
				return err
			}
		}
		return nil
	})

	clientRow := func(r records.ClientRow) string { return string(r.ID) }
	item := func(it vetshare.Item) string { return string(it.ID) }
	taskRow := func(r tasks.Row) string { return string(r.Task.ID) }
	return map[string]lister{
		"vetshare_records.Clients": func(ctx context.Context, tx *vetshare.Tx, p vetshare.Page) ([]string, vetshare.Cursor, error) {
			rows, next, err := records.Clients(ctx, tx, a, "paging", p)
			return ids(rows, next, err, clientRow)
		},
		"vetshare_records.History": func(ctx context.Context, tx *vetshare.Tx, p vetshare.Page) ([]string, vetshare.Cursor, error) {
			rows, next, err := records.History(ctx, tx, a, records.HistoryQuery{Patient: patient}, p)
			return ids(rows, next, err, func(r vetshare.Record) string { return string(r.ID) })
		},
		"vetshare_records.Patients": func(ctx context.Context, tx *vetshare.Tx, p vetshare.Page) ([]string, vetshare.Cursor, error) {
			rows, next, err := records.Patients(ctx, tx, a, client, p)
			return ids(rows, next, err, func(p vetshare.Patient) string { return string(p.ID) })
		},
		"vetshare_reminders.PatientReminders": func(ctx context.Context, tx *vetshare.Tx, p vetshare.Page) ([]string, vetshare.Cursor, error) {
			rows, next, err := reminders.PatientReminders(ctx, tx, a, patient, "", p)
			return ids(rows, next, err, func(r vetshare.Reminder) string { return string(r.ID) })
		},
		"inventory.SearchItems": func(ctx context.Context, tx *vetshare.Tx, p vetshare.Page) ([]string, vetshare.Cursor, error) {
			rows, next, err := inventory.SearchItems(ctx, tx, a, "pagitem", p)
			return ids(rows, next, err, item)
		},
		"inventory.BelowZero": func(ctx context.Context, tx *vetshare.Tx, p vetshare.Page) ([]string, vetshare.Cursor, error) {
			rows, next, err := inventory.BelowZero(ctx, tx, a, p)
			return ids(rows, next, err, item)
		},
		"inventory.Ledger": func(ctx context.Context, tx *vetshare.Tx, p vetshare.Page) ([]string, vetshare.Cursor, error) {
			rows, next, err := inventory.Ledger(ctx, tx, a, ledger, p)
			return ids(rows, next, err, func(m vetshare.StockMovement) string { return string(m.ID) })
		},
		"inventory.SearchUsages": func(ctx context.Context, tx *vetshare.Tx, p vetshare.Page) ([]string, vetshare.Cursor, error) {
			rows, next, err := inventory.SearchUsages(ctx, tx, a, inventory.UsageSearch{Prefix: "rabies"}, p)
			return ids(rows, next, err, func(r vetshare.UsageRow) string { return string(r.Record.ID) })
		},
		"vetshare_reminders.DisableActions": func(ctx context.Context, tx *vetshare.Tx, p vetshare.Page) ([]string, vetshare.Cursor, error) {
			rows, next, err := reminders.DisableActions(ctx, tx, a, disabler, p)
			return ids(rows, next, err, func(d vetshare.DisableAction) string { return string(d.TargetItemID) })
		},
		"vetshare_reminders.Due": func(ctx context.Context, tx *vetshare.Tx, p vetshare.Page) ([]string, vetshare.Cursor, error) {
			rows, next, err := reminders.Due(ctx, tx, a, fixture.Start(), fixture.Start().AddDate(5, 0, 0), p)
			return ids(rows, next, err, func(r vetshare.DueReminder) string { return string(r.ID) })
		},
		"billing.Invoices": func(ctx context.Context, tx *vetshare.Tx, p vetshare.Page) ([]string, vetshare.Cursor, error) {
			rows, next, err := billing.Invoices(ctx, tx, a, client, "", p)
			return ids(rows, next, err, func(inv vetshare.Invoice) string { return string(inv.ID) })
		},
		"billing.Payments": func(ctx context.Context, tx *vetshare.Tx, p vetshare.Page) ([]string, vetshare.Cursor, error) {
			rows, next, err := billing.Payments(ctx, tx, a, invoice, p)
			return ids(rows, next, err, func(pm vetshare.Payment) string { return string(pm.ID) })
		},
		"vetshare_contacts.List": func(ctx context.Context, tx *vetshare.Tx, p vetshare.Page) ([]string, vetshare.Cursor, error) {
			rows, next, err := contacts.List(ctx, tx, a, contacts.ListQuery{Prefix: "pagcontact"}, p)
			return ids(rows, next, err, func(c vetshare.Contact) string { return string(c.ID) })
		},
		"vetshare_tasks.AssignedToMe": func(ctx context.Context, tx *vetshare.Tx, p vetshare.Page) ([]string, vetshare.Cursor, error) {
			res, err := tasks.AssignedToMe(ctx, tx, a, tasks.AssignedQuery{}, p)
			return ids(res.Rows, res.Next, err, taskRow)
		},
		"vetshare_tasks.AccountTasks": func(ctx context.Context, tx *vetshare.Tx, p vetshare.Page) ([]string, vetshare.Cursor, error) {
			rows, next, err := tasks.AccountTasks(ctx, tx, a, tasks.ListQuery{}, p)
			return ids(rows, next, err, taskRow)
		},
		"vetshare_tasks.PatientTasks": func(ctx context.Context, tx *vetshare.Tx, p vetshare.Page) ([]string, vetshare.Cursor, error) {
			rows, next, err := tasks.PatientTasks(ctx, tx, a, patient, tasks.ListQuery{}, p)
			return ids(rows, next, err, taskRow)
		},
		"sharing.Candidates": func(ctx context.Context, tx *vetshare.Tx, p vetshare.Page) ([]string, vetshare.Cursor, error) {
			rows, next, err := sharing.Candidates(ctx, tx, b, "cand", p)
			return ids(rows, next, err, func(c sharing.Candidate) string { return string(c.Client.ID) })
		},
	}
}

// R12.6: every list pages the same way: a limit and an opaque cursor in, the rows and the cursor
// of the next page out, empty at the end; the pages together are the whole list, once; a cursor
// of another list and a limit out of bounds are refused with ErrInvalid.
func TestR12_6_EveryListPagesTheSameWay(t *testing.T) {
	ctx := context.Background()
	f := fixture.New(t, fixture.Options{Accounts: 2, Mode: vetshare.ModeManual})
	lists := pagingLists(t, f)
	const limit = 2

	// The cursor of each list's first page, to hand to another list.
	firsts := map[string]vetshare.Cursor{}
	f.View(t, func(tx *vetshare.Tx) error {
		for name, list := range lists {
			_, next, err := list(ctx, tx, vetshare.Page{Limit: limit})
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			firsts[name] = next
		}
		return nil
	})

	for name, list := range lists {
		t.Run(name, func(t *testing.T) {
			f.View(t, func(tx *vetshare.Tx) error {
				all, next, err := list(ctx, tx, vetshare.Page{Limit: vetshare.MaxLimit})
				if err != nil {
					return err
				}
				if len(all) <= 2*limit || next != "" {
					t.Fatalf("the whole list: %d rows, next %q; want more than %d rows and no next", len(all), next, 2*limit)
				}
				var paged []string
				page := vetshare.Page{Limit: limit}
				for i := 0; ; i++ {
					rows, next, err := list(ctx, tx, page)
					if err != nil {
						return fmt.Errorf("page %d: %w", i, err)
					}
					if i == 0 && (len(rows) != limit || next == "") {
						t.Errorf("first page: %d rows, next %q; want %d rows and a cursor", len(rows), next, limit)
					}
					paged = append(paged, rows...)
					if next == "" {
						if len(rows) == 0 {
							t.Errorf("page %d: the last page is empty; the page before should have had no cursor", i)
						}
						break
					}
					if len(rows) != limit {
						t.Errorf("page %d: %d rows with a next cursor, want %d", i, len(rows), limit)
					}
					if i > len(all) {
						t.Fatalf("more pages than rows: the cursor does not move")
					}
					page.After = next
				}
				if d := cmp.Diff(all, paged); d != "" {
					t.Errorf("the pages together, against the whole list (-want +got):\n%s", d)
				}
				for other, c := range firsts {
					if other == name || c == "" {
						continue
					}
					if _, _, err := list(ctx, tx, vetshare.Page{Limit: limit, After: c}); !errors.Is(err, vetshare.ErrInvalid) {
						t.Errorf("cursor of %s: err = %v, want ErrInvalid", other, err)
					}
				}
				for _, bad := range []int{-1, vetshare.MaxLimit + 1} {
					if _, _, err := list(ctx, tx, vetshare.Page{Limit: bad}); !errors.Is(err, vetshare.ErrInvalid) {
						t.Errorf("Limit %d: err = %v, want ErrInvalid", bad, err)
					}
				}
				if _, _, err := list(ctx, tx, vetshare.Page{After: "not a cursor"}); !errors.Is(err, vetshare.ErrInvalid) {
					t.Errorf("a made-up cursor: err = %v, want ErrInvalid", err)
				}
				return nil
			})
		})
	}
}
