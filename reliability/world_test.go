package reliability_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/billing"
	"github.com/vetshare/vetshare/contacts"
	"github.com/vetshare/vetshare/inventory"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/reminders"
	"github.com/vetshare/vetshare/sharing"
	"github.com/vetshare/vetshare/tasks"
	"github.com/vetshare/vetshare/vetsharetest"
)

// world is the state the fault and cancellation tests start from: an owner with three clinics
// in an automatic group, each with a tracked vaccine that schedules two reminders and whose
// disable actions complete the other clinics' vaccines' reminders (R7.3), and an owner with two
// clinics in a manual group.
type world struct {
	s      *vetsharetest.Store
	auto   *vetsharetest.Practice
	manual *vetsharetest.Practice
	items  []vetshare.Item // items[i] is clinic i's vaccine in auto
	n      int             // names what each scenario makes
}

func newWorld(tb testing.TB, s *vetsharetest.Store) *world {
	tb.Helper()
	w := &world{s: s}
	w.auto = s.NewPracticeNamed(tb, "Riverside Veterinary Group", 3, vetshare.ModeAutomatic)
	w.manual = s.NewPracticeNamed(tb, "Hillside Animal Clinics", 2, vetshare.ModeManual)
	w.items = vaccines(tb, s, w.auto)
	return w
}

// vaccines gives each clinic of p a tracked vaccine with two reminder rules, 50 doses in stock,
// and a disable action for each other clinic's vaccine.
func vaccines(tb testing.TB, s *vetsharetest.Store, p *vetsharetest.Practice) []vetshare.Item {
	tb.Helper()
	rules := []vetshare.ReminderRule{
		{Kind: "Rabies", Interval: vetshare.Interval{Count: 1, Unit: vetshare.Years}},
		{Kind: "Rabies booster check", Interval: vetshare.Interval{Count: 11, Unit: vetshare.Months}},
	}
	items := make([]vetshare.Item, len(p.Clinics))
	for i := range p.Clinics {
		items[i] = s.Item(tb, p.Actor(i), vetshare.Item{Name: fmt.Sprintf("Rabies vaccine %c", 'A'+i), Tracked: true, Reminders: rules})
	}
	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		ctx := context.Background()
		for i, it := range items {
			if _, err := inventory.Receive(ctx, tx, p.Actor(i), it.ID, 50, "opening stock"); err != nil {
				return err
			}
			for j, target := range items {
				if j == i {
					continue
				}
				if _, err := reminders.AddDisableAction(ctx, tx, p.Actor(i), it.ID, target.ID); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return items
}

// op is one operation call, run in the transaction given.
type op func(ctx context.Context, tx *vetshare.Tx) error

// scenario makes, in transactions it commits, what one operation needs, and returns the call.
type scenario struct {
	name    string
	prepare func(tb testing.TB, w *world) op
}

// client creates a client with one patient at clinic i of the automatic group, shared with all
// three, and returns it and the patient.
func (w *world) client(tb testing.TB, i int) (vetshare.Client, vetshare.Patient) {
	tb.Helper()
	w.n++
	c, _, pets := w.s.Client(tb, w.auto.Actor(i), vetshare.Client{LastName: "Rogers", FirstName: fmt.Sprint("Shaggy ", w.n), Phone: "555-0100"},
		vetshare.Patient{Name: fmt.Sprint("Scooby ", w.n)})
	return c, pets[0]
}

// usage records clinic i's vaccine for the patient at clinic i.
func (w *world) usage(tb testing.TB, i int, pet vetshare.PatientID) vetshare.Record {
	tb.Helper()
	var ch records.UsageChange
	w.s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		var err error
		ch, err = records.AddUsage(context.Background(), tx, w.auto.Actor(i), vetshare.Record{PatientID: pet, ItemID: w.items[i].ID, Quantity: 1})
		return err
	})
	return ch.Record
}

// invoice issues an invoice of 8500 at clinic i, with paid of it already paid at the counter.
func (w *world) invoice(tb testing.TB, i int, client vetshare.ClientID, paid int64) vetshare.Invoice {
	tb.Helper()
	var inv vetshare.Invoice
	w.s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		ctx := context.Background()
		var err error
		inv, err = billing.CreateInvoice(ctx, tx, w.auto.Actor(i), vetshare.Invoice{ClientID: client,
			Lines: []vetshare.InvoiceLine{{Description: "Wellness exam", Quantity: 1, UnitPrice: 6500}, {Description: "Rabies vaccine", Quantity: 1, UnitPrice: 2000}}})
		if err != nil || paid == 0 {
			return err
		}
		w.n++
		_, err = billing.RecordPayment(ctx, tx, w.auto.Actor(i), billing.PaymentRequest{Key: fmt.Sprint("prepaid-", w.n), Invoice: inv.ID,
			Amount: vetshare.Money{Amount: paid, Currency: "USD"}, Channel: vetshare.ChannelCounter, Method: "card"})
		return err
	})
	return inv
}

// refusal returns nil when err is the refusal want (matched with errors.Is) and wraps no
// injected failure: a scenario whose operation is refused counts the refusal as its success, so
// that a storage failure reported as that refusal shows as an operation that did not fail.
func refusal(err, want error) error {
	var inj *injectedError
	if errors.Is(err, want) && !errors.As(err, &inj) {
		return nil
	}
	if err == nil {
		return errors.New("not refused")
	}
	return err
}

// scenarios are the operations that make more than one storage call, each from a state where it
// writes in several tables (and, where it can, several accounts and the audit log).
var scenarios = []scenario{
	{"records.CreateClient/automatic group of 3", func(tb testing.TB, w *world) op {
		w.n++
		name := fmt.Sprint("Velma ", w.n)
		return func(ctx context.Context, tx *vetshare.Tx) error {
			_, _, err := records.CreateClient(ctx, tx, w.auto.Actor(1), vetshare.Client{LastName: "Dinkley", FirstName: name, Email: "velma@mystery.example"})
			return err
		}
	}},
	{"records.AddPatient/shared client", func(tb testing.TB, w *world) op {
		c, _ := w.client(tb, 0)
		return func(ctx context.Context, tx *vetshare.Tx) error {
			_, err := records.AddPatient(ctx, tx, w.auto.Actor(2), vetshare.Patient{ClientID: c.ID, Name: "Scrappy", Species: "dog"})
			return err
		}
	}},
	{"records.UpdateClient/shared client", func(tb testing.TB, w *world) op {
		c, _ := w.client(tb, 0)
		return func(ctx context.Context, tx *vetshare.Tx) error {
			c := c
			c.Phone = "555-0199"
			_, err := records.UpdateClient(ctx, tx, w.auto.Actor(1), c)
			return err
		}
	}},
	{"records.AddUsage/reminders and disable actions", func(tb testing.TB, w *world) op {
		_, pet := w.client(tb, 0)
		w.usage(tb, 0, pet.ID) // A's own reminders, completed by A's next usage
		w.usage(tb, 1, pet.ID) // B's, completed by A's disable action: a cross-account write
		w.usage(tb, 2, pet.ID) // C's likewise
		return func(ctx context.Context, tx *vetshare.Tx) error {
			_, err := records.AddUsage(ctx, tx, w.auto.Actor(0), vetshare.Record{PatientID: pet.ID, ItemID: w.items[0].ID, Quantity: 2, Text: "booster"})
			return err
		}
	}},
	{"records.RemoveUsage/reopens completed reminders", func(tb testing.TB, w *world) op {
		_, pet := w.client(tb, 0)
		w.usage(tb, 1, pet.ID)
		u := w.usage(tb, 0, pet.ID) // completes B's reminders, which the removal reopens
		return func(ctx context.Context, tx *vetshare.Tx) error {
			_, err := records.RemoveUsage(ctx, tx, w.auto.Actor(0), u.ID, "recorded at the wrong clinic")
			return err
		}
	}},
	{"records.MoveUsage/to another clinic", func(tb testing.TB, w *world) op {
		_, pet := w.client(tb, 0)
		w.usage(tb, 2, pet.ID)
		u := w.usage(tb, 0, pet.ID)
		return func(ctx context.Context, tx *vetshare.Tx) error {
			_, _, err := records.MoveUsage(ctx, tx, w.auto.Actor(0), u.ID, "given at Clinic B", w.auto.Clinics[1].ID, w.items[1].ID)
			return err
		}
	}},
	{"records.RemoveRecord/note", func(tb testing.TB, w *world) op {
		_, pet := w.client(tb, 0)
		var r vetshare.Record
		w.s.MustUpdate(tb, func(tx *vetshare.Tx) error {
			var err error
			r, err = records.AddRecord(context.Background(), tx, w.auto.Actor(1), vetshare.Record{PatientID: pet.ID, Kind: vetshare.RecordNote, Text: "limping"})
			return err
		})
		return func(ctx context.Context, tx *vetshare.Tx) error {
			_, err := records.RemoveRecord(ctx, tx, w.auto.Actor(1), r.ID, "wrong patient")
			return err
		}
	}},
	{"billing.CreateInvoice", func(tb testing.TB, w *world) op {
		c, _ := w.client(tb, 0)
		return func(ctx context.Context, tx *vetshare.Tx) error {
			_, err := billing.CreateInvoice(ctx, tx, w.auto.Actor(1), vetshare.Invoice{ClientID: c.ID,
				Lines: []vetshare.InvoiceLine{{Description: "Exam", Quantity: 1, UnitPrice: 6500}, {Description: "Nail trim", Quantity: 2, UnitPrice: 900}}})
			return err
		}
	}},
	{"billing.RecordPayment/counter, pays the rest", func(tb testing.TB, w *world) op {
		c, _ := w.client(tb, 0)
		inv := w.invoice(tb, 0, c.ID, 1000)
		w.n++
		key := fmt.Sprint("pos-", w.n)
		return func(ctx context.Context, tx *vetshare.Tx) error {
			_, err := billing.RecordPayment(ctx, tx, w.auto.Actor(0), billing.PaymentRequest{Key: key, Invoice: inv.ID,
				Amount: vetshare.Money{Amount: 7500, Currency: "USD"}, Channel: vetshare.ChannelCounter, Method: "card"})
			return err
		}
	}},
	{"billing.RecordPayment/app, another clinic's invoice", func(tb testing.TB, w *world) op {
		c, _ := w.client(tb, 0)
		inv := w.invoice(tb, 0, c.ID, 0)
		w.n++
		key := fmt.Sprint("app-", w.n)
		return func(ctx context.Context, tx *vetshare.Tx) error {
			_, err := billing.RecordPayment(ctx, tx, w.auto.Actor(2), billing.PaymentRequest{Key: key, Invoice: inv.ID,
				Amount: vetshare.Money{Amount: 3000, Currency: "USD"}, Channel: vetshare.ChannelApp, Method: "card"})
			return err
		}
	}},
	{"billing.VoidInvoice/open", func(tb testing.TB, w *world) op {
		c, _ := w.client(tb, 0)
		inv := w.invoice(tb, 0, c.ID, 0)
		return func(ctx context.Context, tx *vetshare.Tx) error {
			_, err := billing.VoidInvoice(ctx, tx, w.auto.Actor(0), inv.ID)
			return err
		}
	}},
	{"sharing.Enable/new group", func(tb testing.TB, w *world) op {
		w.n++
		p := w.s.NewPracticeNamed(tb, fmt.Sprint("Lakeside ", w.n), 2, "")
		return func(ctx context.Context, tx *vetshare.Tx) error {
			_, err := sharing.Enable(ctx, tx, p.Request(sharing.ActionEnable, vetshare.ModeAutomatic, p.ClinicIDs()...))
			return err
		}
	}},
	{"sharing.Enable/join a group", func(tb testing.TB, w *world) op {
		w.n++
		p := w.s.NewPracticeNamed(tb, fmt.Sprint("Meadow ", w.n), 2, vetshare.ModeManual)
		var d vetshare.Account
		w.s.MustUpdate(tb, func(tx *vetshare.Tx) error {
			ctx := context.Background()
			var err error
			if d, err = accounts.CreateAccount(ctx, tx, vetshare.Account{OwnerID: p.Owner.ID, Name: "Clinic D", Email: "clinicd@riverside.example",
				EmailVerified: true, TimeZone: "America/Chicago", Currency: "USD"}); err != nil {
				return err
			}
			return accounts.Grant(ctx, tx, vetshare.Membership{UserID: p.Admin.ID, AccountID: d.ID, Role: vetshare.RoleOwner, Permissions: vetshare.PermAll, Active: true})
		})
		return func(ctx context.Context, tx *vetshare.Tx) error {
			_, err := sharing.Enable(ctx, tx, p.Request(sharing.ActionEnable, vetshare.ModeManual, p.Clinics[0].ID, d.ID))
			return err
		}
	}},
	{"sharing.Remove/leaves the group", func(tb testing.TB, w *world) op {
		w.n++
		p := w.s.NewPracticeNamed(tb, fmt.Sprint("Brookside ", w.n), 2, vetshare.ModeAutomatic)
		w.s.Client(tb, p.Actor(0), vetshare.Client{LastName: "Rogers"})
		return func(ctx context.Context, tx *vetshare.Tx) error {
			_, err := sharing.Remove(ctx, tx, p.Request(sharing.ActionRemove, "", p.Clinics[1].ID))
			return err
		}
	}},
	{"sharing.ShareClient/manual group", func(tb testing.TB, w *world) op {
		w.n++
		c, _, _ := w.s.Client(tb, w.manual.Actor(0), vetshare.Client{LastName: "Blake", FirstName: fmt.Sprint("Daphne ", w.n)}, vetshare.Patient{Name: "Rex"})
		return func(ctx context.Context, tx *vetshare.Tx) error {
			_, err := sharing.ShareClient(ctx, tx, w.manual.Actor(1), c.ID)
			return err
		}
	}},
	{"sharing.SetHomeLocation", func(tb testing.TB, w *world) op {
		c, _ := w.client(tb, 0)
		return func(ctx context.Context, tx *vetshare.Tx) error {
			_, err := sharing.SetHomeLocation(ctx, tx, w.auto.Actor(1), c.ID, w.auto.Clinics[2].ID)
			return err
		}
	}},
	{"tasks.Complete/repeating", func(tb testing.TB, w *world) op {
		t := w.s.Task(tb, w.auto.Actor(0), tasks.Draft{Title: "Check the controlled-drugs log", DueOn: "2026-01-09",
			Repeat: vetshare.RepeatRule{Every: 1, Unit: vetshare.RepeatWeek}})
		return func(ctx context.Context, tx *vetshare.Tx) error {
			_, _, err := tasks.Complete(ctx, tx, w.auto.Actor(0), t.ID)
			return err
		}
	}},
	{"contacts.Copy", func(tb testing.TB, w *world) op {
		var c vetshare.Contact
		w.s.MustUpdate(tb, func(tx *vetshare.Tx) error {
			var err error
			c, err = contacts.Create(context.Background(), tx, w.auto.Actor(0), vetshare.Contact{Kind: vetshare.ContactPerson, Name: "Dr. Ruth Okafor", Category: "referring vet"})
			return err
		})
		return func(ctx context.Context, tx *vetshare.Tx) error {
			_, err := contacts.Copy(ctx, tx, w.auto.Actor(0), c.ID, w.auto.Clinics[1].ID)
			return err
		}
	}},
	{"reminders.AddDisableAction", func(tb testing.TB, w *world) op {
		w.n++
		it := w.s.Item(tb, w.auto.Actor(1), vetshare.Item{Name: fmt.Sprint("DHPP ", w.n), Tracked: true,
			Reminders: []vetshare.ReminderRule{{Kind: "DHPP", Interval: vetshare.Interval{Count: 1, Unit: vetshare.Years}}}})
		return func(ctx context.Context, tx *vetshare.Tx) error {
			_, err := reminders.AddDisableAction(ctx, tx, w.auto.Actor(1), it.ID, w.items[0].ID)
			return err
		}
	}},
	{"contacts.Create/person at a company", func(tb testing.TB, w *world) op {
		var co vetshare.Contact
		w.s.MustUpdate(tb, func(tx *vetshare.Tx) error {
			var err error
			co, err = contacts.Create(context.Background(), tx, w.auto.Actor(0), vetshare.Contact{Kind: vetshare.ContactCompany, Name: "Prairie Diagnostics", Category: "lab"})
			return err
		})
		return func(ctx context.Context, tx *vetshare.Tx) error {
			_, err := contacts.Create(ctx, tx, w.auto.Actor(0), vetshare.Contact{Kind: vetshare.ContactPerson, Name: "Lee Chen", CompanyID: co.ID, Category: "lab"})
			return err
		}
	}},
	// The refusals below read more than one thing before refusing: a storage failure on the way
	// must come back as itself, never as the refusal (the op treats only the refusal as success).
	{"reminders.AddDisableAction/refused: item of another owner", func(tb testing.TB, w *world) op {
		w.n++
		other := w.s.Item(tb, w.manual.Actor(0), vetshare.Item{Name: fmt.Sprint("Imrab ", w.n)})
		return func(ctx context.Context, tx *vetshare.Tx) error {
			_, err := reminders.AddDisableAction(ctx, tx, w.auto.Actor(0), w.items[0].ID, other.ID)
			return refusal(err, vetshare.ErrNotFound)
		}
	}},
	{"records.AddUsage/refused: item of another clinic", func(tb testing.TB, w *world) op {
		_, pet := w.client(tb, 0)
		return func(ctx context.Context, tx *vetshare.Tx) error {
			_, err := records.AddUsage(ctx, tx, w.auto.Actor(0), vetshare.Record{PatientID: pet.ID, ItemID: w.items[1].ID, Quantity: 1})
			var wrong *inventory.WrongAccountError
			if errors.As(err, &wrong) {
				return refusal(err, err)
			}
			return err
		}
	}},
	{"billing.RecordPayment/refused: client not shared", func(tb testing.TB, w *world) op {
		w.n++
		c, _, _ := w.s.Client(tb, w.manual.Actor(0), vetshare.Client{LastName: "Jones", FirstName: fmt.Sprint("Fred ", w.n)})
		var inv vetshare.Invoice
		w.s.MustUpdate(tb, func(tx *vetshare.Tx) error {
			var err error
			inv, err = billing.CreateInvoice(context.Background(), tx, w.manual.Actor(0), vetshare.Invoice{ClientID: c.ID,
				Lines: []vetshare.InvoiceLine{{Description: "Exam", Quantity: 1, UnitPrice: 6500}}})
			return err
		})
		return func(ctx context.Context, tx *vetshare.Tx) error {
			_, err := billing.RecordPayment(ctx, tx, w.manual.Actor(1), billing.PaymentRequest{Key: fmt.Sprint("app-x-", w.n), Invoice: inv.ID,
				Amount: vetshare.Money{Amount: 100, Currency: "USD"}, Channel: vetshare.ChannelApp, Method: "card"})
			return refusal(err, vetshare.ErrNotFound)
		}
	}},
	{"inventory.Receive", func(tb testing.TB, w *world) op {
		return func(ctx context.Context, tx *vetshare.Tx) error {
			_, err := inventory.Receive(ctx, tx, w.auto.Actor(2), w.items[2].ID, 12, "delivery")
			return err
		}
	}},
}
