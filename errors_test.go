package vetshare_test

import (
	"context"
	"errors"
	"regexp"
	"testing"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/billing"
	"github.com/vetshare/vetshare/internal/fixture"
	"github.com/vetshare/vetshare/inventory"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/reminders"
	"github.com/vetshare/vetshare/sharing"
	"github.com/vetshare/vetshare/tasks"
)

// refusals is the world the refusals of TestR12_7ErrorMessages happen in: three clinics of one
// owner, A and B in an automatic share group and C outside it, with a client shared by A and
// B, one of C, items, an invoice, a note and a task at A, and two users who may do little.
type refusals struct {
	f                 *fixture.Fixture
	a, b, c           vetshare.Actor // the admin at each clinic
	client, atC       vetshare.Client
	patient           vetshare.Patient
	rabies, distemp   vetshare.Item // Rabies vaccine at A, Distemper vaccine at C
	dhpp              vetshare.Item // DHPP vaccine at A, whose reminders Rabies completes
	invoice           vetshare.Invoice
	note, removed     vetshare.Record
	task              vetshare.Task
	staff, inactive   vetshare.User // Sam Staff: staff at A without permissions; Ivy Inactive
	staffA, inactiveA vetshare.Actor
}

func newRefusals(t *testing.T) *refusals {
	t.Helper()
	ctx := context.Background()
	f := fixture.New(t, fixture.Options{Accounts: 3})
	r := &refusals{f: f, a: f.Actor(0), b: f.Actor(1), c: f.Actor(2)}
	f.Enable(t, vetshare.ModeAutomatic, f.Accounts[0].ID, f.Accounts[1].ID)
	r.client, _ = f.Client(t, 0, "Smith", "Jane")
	r.atC, _ = f.Client(t, 2, "Jones", "Ann")
	r.patient = f.Patient(t, 0, r.client.ID, "Scooby", "dog")
	r.note = f.Note(t, 0, r.patient.ID, "Bright and alert")
	r.removed = f.Note(t, 0, r.patient.ID, "Entered by mistake")
	f.Update(t, func(tx *vetshare.Tx) error {
		var err error
		if r.rabies, err = inventory.CreateItem(ctx, tx, r.a, vetshare.Item{Name: "Rabies vaccine", Kind: vetshare.ItemProduct, Tracked: true}); err != nil {
			return err
		}
		if r.dhpp, err = inventory.CreateItem(ctx, tx, r.a, vetshare.Item{Name: "DHPP vaccine", Kind: vetshare.ItemProduct}); err != nil {
			return err
		}
		if _, err = reminders.AddDisableAction(ctx, tx, r.a, r.rabies.ID, r.dhpp.ID); err != nil {
			return err
		}
		if r.distemp, err = inventory.CreateItem(ctx, tx, r.c, vetshare.Item{Name: "Distemper vaccine", Kind: vetshare.ItemProduct}); err != nil {
			return err
		}
		r.invoice, err = billing.CreateInvoice(ctx, tx, r.a, vetshare.Invoice{ClientID: r.client.ID,
			Lines: []vetshare.InvoiceLine{{Description: "Exam", Quantity: 1, UnitPrice: 5000, Amount: 5000}}})
		if err != nil {
			return err
		}
		if _, err = records.RemoveRecord(ctx, tx, r.a, r.removed.ID, "entered by mistake"); err != nil {
			return err
		}
		if err := accounts.SetTaskSharing(ctx, tx, f.Owner.ID, true); err != nil {
			return err
		}
		if r.task, err = tasks.Create(ctx, tx, r.a, tasks.Draft{Title: "Call the owner", Assignee: f.Admin.ID}); err != nil {
			return err
		}
		if r.staff, err = accounts.CreateUser(ctx, tx, vetshare.User{Name: "Sam Staff", Email: "sam@riverside.example", EmailVerified: true, Active: true}); err != nil {
			return err
		}
		r.staffA = vetshare.Actor{User: r.staff.ID, Account: f.Accounts[0].ID}
		if err := accounts.Grant(ctx, tx, vetshare.Membership{UserID: r.staff.ID, AccountID: f.Accounts[0].ID, Role: vetshare.RoleStaff, Active: true}); err != nil {
			return err
		}
		if r.inactive, err = accounts.CreateUser(ctx, tx, vetshare.User{Name: "Ivy Inactive", Email: "ivy@riverside.example", EmailVerified: true}); err != nil {
			return err
		}
		r.inactiveA = vetshare.Actor{User: r.inactive.ID, Account: f.Accounts[0].ID}
		return accounts.Grant(ctx, tx, vetshare.Membership{UserID: r.inactive.ID, AccountID: f.Accounts[0].ID, Role: vetshare.RoleAdmin, Permissions: vetshare.PermAll, Active: true})
	})
	// A second edit of the client makes version 1 stale.
	f.Update(t, func(tx *vetshare.Tx) error {
		c := r.client
		c.Phone = "555-0199"
		_, err := records.UpdateClient(ctx, tx, r.a, c)
		return err
	})
	return r
}

// try runs fn in a write transaction of the store and returns its error; the transaction rolls
// back when there is one.
func (r *refusals) try(fn func(ctx context.Context, tx *vetshare.Tx) error) error {
	ctx := context.Background()
	return r.f.Store.Update(ctx, func(tx *vetshare.Tx) error { return fn(ctx, tx) })
}

// R12.7: the twenty commonest refusals, each by a real operation on a real SQLite store, give
// the exact sentence a host may show, match their sentinel with errors.Is, and are typed errors
// with their ids in fields for errors.As. R11.1: each is typed and testable.
func TestR12_7ErrorMessages(t *testing.T) {
	r := newRefusals(t)
	f := r.f
	A, B, C := f.Accounts[0], f.Accounts[1], f.Accounts[2]
	usd := func(n int64) vetshare.Money { return vetshare.Money{Amount: n, Currency: "USD"} }
	key := 0
	pay := func(actor vetshare.Actor, amount int64) func(ctx context.Context, tx *vetshare.Tx) error {
		return func(ctx context.Context, tx *vetshare.Tx) error {
			key++
			_, err := billing.RecordPayment(ctx, tx, actor, billing.PaymentRequest{Key: "k" + string(rune('0'+key)),
				Invoice: r.invoice.ID, Amount: usd(amount), Channel: vetshare.ChannelCounter})
			return err
		}
	}

	tests := []struct {
		name     string
		do       func(ctx context.Context, tx *vetshare.Tx) error
		view     bool // run do in a read-only transaction
		want     string
		sentinel error
		check    func(t *testing.T, err error) // errors.As to the typed error, with its id fields
	}{
		{
			name: "NoMembership",
			do: func(ctx context.Context, tx *vetshare.Tx) error {
				_, _, err := records.CreateClient(ctx, tx, vetshare.Actor{User: r.staff.ID, Account: B.ID}, vetshare.Client{LastName: "Brown"})
				return err
			},
			want: "Sam Staff has no active membership at Clinic B", sentinel: vetshare.ErrNotPermitted,
			check: notPermitted(vetshare.NotPermittedError{User: r.staff.ID, UserName: "Sam Staff", Account: B.ID, AccountName: "Clinic B"}),
		},
		{
			name: "InactiveUser",
			do: func(ctx context.Context, tx *vetshare.Tx) error {
				_, _, err := records.CreateClient(ctx, tx, r.inactiveA, vetshare.Client{LastName: "Brown"})
				return err
			},
			want: "Ivy Inactive is not an active user, so cannot act at Clinic A", sentinel: vetshare.ErrNotPermitted,
			check: notPermitted(vetshare.NotPermittedError{User: r.inactive.ID, UserName: "Ivy Inactive", Account: A.ID, AccountName: "Clinic A"}),
		},
		{
			name: "EmptyLastName",
			do: func(ctx context.Context, tx *vetshare.Tx) error {
				_, _, err := records.CreateClient(ctx, tx, r.a, vetshare.Client{FirstName: "Jane"})
				return err
			},
			want: "last name: empty", sentinel: vetshare.ErrInvalid,
			check: invalid("LastName"),
		},
		{
			name: "ClientNotShared",
			do: func(ctx context.Context, tx *vetshare.Tx) error {
				_, _, err := records.Client(ctx, tx, r.a, r.atC.ID)
				return err
			},
			want: "client not found", sentinel: vetshare.ErrNotFound,
			check: notFound("client", string(r.atC.ID)),
		},
		{
			name: "PatientOfUnsharedClient",
			do: func(ctx context.Context, tx *vetshare.Tx) error {
				_, err := records.AddPatient(ctx, tx, r.a, vetshare.Patient{ClientID: r.atC.ID, Name: "Rex", Species: "dog"})
				return err
			},
			want: "client not found", sentinel: vetshare.ErrNotFound,
			check: notFound("client", string(r.atC.ID)),
		},
		{
			name: "BirthDateInTheFuture",
			do: func(ctx context.Context, tx *vetshare.Tx) error {
				_, err := records.AddPatient(ctx, tx, r.a, vetshare.Patient{ClientID: r.client.ID, Name: "Rex", Species: "dog",
					BirthDate: fixture.Start().AddDate(1, 0, 0)})
				return err
			},
			want: "birth date: in the future", sentinel: vetshare.ErrInvalid,
			check: invalid("BirthDate"),
		},
		{
			name: "StaleClientEdit",
			do: func(ctx context.Context, tx *vetshare.Tx) error {
				c := r.client // version 1; the store holds version 2
				c.Phone = "555-0142"
				_, err := records.UpdateClient(ctx, tx, r.b, c)
				return err
			},
			want:     `the client "Jane Smith" was changed by someone else since it was read: read it again and retry`,
			sentinel: vetshare.ErrConflict,
			check: func(t *testing.T, err error) {
				var ce *vetshare.ConflictError
				if !errors.As(err, &ce) || ce.Kind != "client" || ce.ID != string(r.client.ID) || ce.Version != 1 || ce.Current != 2 {
					t.Errorf("errors.As: %#v, want a client conflict of %s from version 1 at 2", ce, r.client.ID)
				}
			},
		},
		{
			name: "UsageOfAnotherClinicsItem",
			do: func(ctx context.Context, tx *vetshare.Tx) error {
				_, err := records.AddUsage(ctx, tx, r.b, vetshare.Record{PatientID: r.patient.ID, Kind: vetshare.RecordUsage, ItemID: r.rabies.ID, Quantity: 1})
				return err
			},
			want:     `"Rabies vaccine" is an item of Clinic A, not of Clinic B: record the usage at Clinic A`,
			sentinel: vetshare.ErrNotPermitted,
			check: func(t *testing.T, err error) {
				var we *inventory.WrongAccountError
				if !errors.As(err, &we) || we.Item != r.rabies.ID || we.ItemAccount != A.ID || we.Account != B.ID {
					t.Errorf("errors.As: %#v, want item %s of %s at %s", we, r.rabies.ID, A.ID, B.ID)
				}
			},
		},
		{
			name: "RemoveAnotherClinicsRecord",
			do: func(ctx context.Context, tx *vetshare.Tx) error {
				_, err := records.RemoveRecord(ctx, tx, r.b, r.note.ID, "wrong patient")
				return err
			},
			want: "the record was added at Clinic A: only Clinic A may remove it", sentinel: vetshare.ErrNotPermitted,
			check: notPermitted(vetshare.NotPermittedError{User: f.Admin.ID, Account: A.ID, AccountName: "Clinic A"}),
		},
		{
			name: "RecordAlreadyRemoved",
			do: func(ctx context.Context, tx *vetshare.Tx) error {
				_, err := records.RemoveRecord(ctx, tx, r.a, r.removed.ID, "again")
				return err
			},
			want: "the record was already removed", sentinel: vetshare.ErrConflict,
			check: func(t *testing.T, err error) {
				var ce *vetshare.ConflictError
				if !errors.As(err, &ce) || ce.Kind != "record" || ce.ID != string(r.removed.ID) {
					t.Errorf("errors.As: %#v, want record %s", ce, r.removed.ID)
				}
			},
		},
		{
			name: "InvoiceWithoutLines",
			do: func(ctx context.Context, tx *vetshare.Tx) error {
				_, err := billing.CreateInvoice(ctx, tx, r.a, vetshare.Invoice{ClientID: r.client.ID})
				return err
			},
			want:     "lines: an invoice needs at least one line",
			sentinel: vetshare.ErrInvalid,
			check:    invalid("Lines"),
		},
		{
			name:     "CounterPaysAnotherClinicsInvoice",
			do:       pay(r.b, 1000),
			want:     "a payment taken at the counter of Clinic B cannot pay an invoice of Clinic A: take it at Clinic A's counter or through the app",
			sentinel: vetshare.ErrNotPermitted,
			check: func(t *testing.T, err error) {
				want := billing.CounterError{Invoice: r.invoice.ID, Counter: B.ID, InvoiceAccount: A.ID, CounterName: "Clinic B", InvoiceAccountName: "Clinic A"}
				var ce *billing.CounterError
				if !errors.As(err, &ce) || *ce != want {
					t.Errorf("errors.As: %#v, want %#v", ce, want)
				}
			},
		},
		{
			name:     "Overpayment",
			do:       pay(r.a, 6000),
			want:     "a payment of USD 60.00 exceeds the USD 50.00 outstanding on the invoice",
			sentinel: vetshare.ErrInvalid,
			check: func(t *testing.T, err error) {
				var oe *billing.OverpaymentError
				if !errors.As(err, &oe) || oe.Invoice != r.invoice.ID || oe.Amount != usd(6000) || oe.Outstanding != usd(5000) {
					t.Errorf("errors.As: %#v, want invoice %s", oe, r.invoice.ID)
				}
			},
		},
		{
			name: "TaskWithoutPermission",
			do: func(ctx context.Context, tx *vetshare.Tx) error {
				_, err := tasks.Create(ctx, tx, r.staffA, tasks.Draft{Title: "Order gloves", Assignee: r.staff.ID})
				return err
			},
			want: "your permissions do not let you create tasks at Clinic A", sentinel: vetshare.ErrNotPermitted,
			check: notPermitted(vetshare.NotPermittedError{User: r.staff.ID, Account: A.ID, AccountName: "Clinic A"}),
		},
		{
			name: "TaskEditFromAnotherClinic",
			do: func(ctx context.Context, tx *vetshare.Tx) error {
				title := "Call the owner today"
				_, err := tasks.Edit(ctx, tx, r.b, r.task.ID, tasks.Change{Title: &title})
				return err
			},
			want:     "the task belongs to Clinic A: from another clinic only Repeat and Notes may change, not Title",
			sentinel: vetshare.ErrNotPermitted,
			check: func(t *testing.T, err error) {
				var re *tasks.EditRefusedError
				if !errors.As(err, &re) || re.Task != r.task.ID || re.From != B.ID || re.Owner != A.ID || re.OwnerName != "Clinic A" {
					t.Errorf("errors.As: %#v, want task %s of %s edited from %s", re, r.task.ID, A.ID, B.ID)
				}
			},
		},
		{
			name: "ItemWithoutName",
			do: func(ctx context.Context, tx *vetshare.Tx) error {
				_, err := inventory.CreateItem(ctx, tx, r.a, vetshare.Item{Name: "  ", Kind: vetshare.ItemProduct})
				return err
			},
			want: "name: empty", sentinel: vetshare.ErrInvalid,
			check: invalid("Name"),
		},
		{
			name: "DisableActionOutsideGroup",
			do: func(ctx context.Context, tx *vetshare.Tx) error {
				_, err := reminders.AddDisableAction(ctx, tx, r.a, r.rabies.ID, r.distemp.ID)
				return err
			},
			want:     `"Distemper vaccine" belongs to Clinic C, which is not in the share group of Clinic A`,
			sentinel: vetshare.ErrNotPermitted,
			check: func(t *testing.T, err error) {
				var oe *reminders.OutsideGroupError
				if !errors.As(err, &oe) || oe.Account != A.ID || oe.Target != r.distemp.ID || oe.TargetAccount != C.ID {
					t.Errorf("errors.As: %#v, want target %s of %s from %s", oe, r.distemp.ID, C.ID, A.ID)
				}
			},
		},
		{
			name: "HomeLocationNotShared",
			do: func(ctx context.Context, tx *vetshare.Tx) error {
				_, err := sharing.SetHomeLocation(ctx, tx, r.a, r.client.ID, C.ID)
				return err
			},
			want: "home: the client is not shared with that clinic", sentinel: vetshare.ErrInvalid,
			check: invalid("home"),
		},
		{
			name: "SharingRequestByPhone",
			do: func(ctx context.Context, tx *vetshare.Tx) error {
				req := f.Request(sharing.ActionEnable, vetshare.ModeManual, B.ID, C.ID)
				req.Channel = "phone"
				d, err := sharing.Enable(ctx, tx, req)
				if err != nil {
					return err
				}
				return d.Err()
			},
			want: `sharing request rejected: the request was not made in writing: channel "phone"`, sentinel: vetshare.ErrNotPermitted,
			check: func(t *testing.T, err error) {
				var re *sharing.RejectedError
				if !errors.As(err, &re) || !errors.Is(err, sharing.ErrNotWritten) {
					t.Errorf("errors.As: %#v, want a rejection for ErrNotWritten", re)
				}
			},
		},
		{
			name: "WriteInReadOnlyTransaction",
			view: true,
			do: func(ctx context.Context, tx *vetshare.Tx) error {
				_, _, err := records.CreateClient(ctx, tx, r.a, vetshare.Client{LastName: "Brown"})
				return err
			},
			want: "a read-only transaction cannot write", sentinel: vetshare.ErrNotPermitted,
			check: func(t *testing.T, err error) {
				var oe *vetshare.OpError
				var pe *vetshare.NotPermittedError
				if !errors.As(err, &oe) || oe.Op != "records.CreateClient" || !errors.As(err, &pe) {
					t.Errorf("errors.As: %#v, want a NotPermittedError of records.CreateClient", err)
				}
			},
		},
		{
			name: "DisableActionTwice",
			do: func(ctx context.Context, tx *vetshare.Tx) error {
				_, err := reminders.AddDisableAction(ctx, tx, r.a, r.rabies.ID, r.dhpp.ID)
				return err
			},
			want: "this item already completes the reminders of that item here", sentinel: vetshare.ErrConflict,
			check: func(t *testing.T, err error) {
				var ce *vetshare.ConflictError
				if !errors.As(err, &ce) || ce.Kind != "disable action" {
					t.Errorf("errors.As: %#v, want a disable action conflict", ce)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.view {
				err = f.Store.View(context.Background(), func(tx *vetshare.Tx) error { return tt.do(context.Background(), tx) })
			} else {
				err = r.try(tt.do)
			}
			if err == nil {
				t.Fatal("no error")
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("message\n got %q\nwant %q", got, tt.want)
			}
			if !errors.Is(err, tt.sentinel) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.sentinel)
			}
			tt.check(t, err)
			checkSentence(t, err.Error())
		})
	}
}

func notPermitted(want vetshare.NotPermittedError) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var pe *vetshare.NotPermittedError
		if !errors.As(err, &pe) {
			t.Fatalf("errors.As(%v, *NotPermittedError) = false", err)
		}
		got := *pe
		got.Reason = ""
		if got != want {
			t.Errorf("errors.As: %#v, want %#v", got, want)
		}
	}
}

func notFound(kind, id string) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var ne *vetshare.NotFoundError
		if !errors.As(err, &ne) || ne.Kind != kind || ne.ID != id {
			t.Errorf("errors.As: %#v, want %s %s", ne, kind, id)
		}
	}
}

func invalid(field string) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var ie *vetshare.InvalidError
		if !errors.As(err, &ie) || ie.Field != field {
			t.Errorf("errors.As: %#v, want field %s", ie, field)
		}
	}
}

var (
	idPattern   = regexp.MustCompile(`\b[0-9A-HJKMNP-TV-Z]{26}\b`) // a generated id (ULID alphabet)
	rulePattern = regexp.MustCompile(`R\d+\.\d+`)
	goOpPattern = regexp.MustCompile(`\b[a-z]+\.[A-Z][A-Za-z]+\b`) // records.CreateClient
)

// checkSentence fails unless msg is free of ids, rule numbers and Go operation names (R12.7).
func checkSentence(t *testing.T, msg string) {
	t.Helper()
	for _, p := range []*regexp.Regexp{idPattern, rulePattern, goOpPattern} {
		if m := p.FindString(msg); m != "" {
			t.Errorf("message %q holds %q", msg, m)
		}
	}
}

// R12.7: no message of the typed errors holds an id or a rule number, whatever ids their fields
// carry, and Op does not prefix the operation's name.
func TestR12_7MessagesHoldNoIDs(t *testing.T) {
	id := vetshare.NewID[vetshare.ClientID](time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC))
	if !idPattern.MatchString(string(id)) {
		t.Fatalf("the id pattern does not match a generated id %s", id)
	}
	errs := []error{
		vetshare.NotFound("client", id),
		&vetshare.NotFoundError{Kind: "item", ID: string(id), Name: "Rabies vaccine"},
		vetshare.Invalid("ClientID", "malformed id"),
		&vetshare.ConflictError{Kind: "client", ID: string(id), Version: 1, Current: 2},
		&vetshare.NotPermittedError{Reason: "not allowed", User: "01JB0000000000000000000000", Account: vetshare.AccountID(id)},
		vetshare.Op("records.CreateClient", vetshare.NotFound("client", id)),
		&billing.CounterError{Invoice: "01JB0000000000000000000001", Counter: "01JB0000000000000000000002", InvoiceAccount: "01JB0000000000000000000003"},
		&billing.StatusError{Invoice: "01JB0000000000000000000001", Status: vetshare.InvoicePaid, Action: "pay"},
		&billing.OverpaymentError{Invoice: "01JB0000000000000000000001", Amount: vetshare.Money{Amount: 2, Currency: "USD"}, Outstanding: vetshare.Money{Amount: 1, Currency: "USD"}},
		&inventory.WrongAccountError{Item: "01JB0000000000000000000001", ItemAccount: "01JB0000000000000000000002", Account: "01JB0000000000000000000003"},
		&reminders.OutsideGroupError{Account: "01JB0000000000000000000001", Target: "01JB0000000000000000000002", TargetAccount: "01JB0000000000000000000003"},
		&tasks.EditRefusedError{Task: "01JB0000000000000000000001", From: "01JB0000000000000000000002", Owner: "01JB0000000000000000000003", Fields: []string{"Title"}},
		&sharing.Reason{Err: sharing.ErrRequesterNotAdmin, Account: vetshare.AccountID(id)},
	}
	for _, err := range errs {
		checkSentence(t, err.Error())
	}
	if got := vetshare.Op("records.CreateClient", vetshare.NotFound("client", id)).Error(); got != "client not found" {
		t.Errorf("Op(...).Error() = %q, want the wrapped sentence alone", got)
	}
}
