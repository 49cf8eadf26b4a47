package postgres_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/audit"
	"github.com/vetshare/vetshare/billing"
	"github.com/vetshare/vetshare/contacts"
	"github.com/vetshare/vetshare/driver"
	"github.com/vetshare/vetshare/gen"
	"github.com/vetshare/vetshare/internal/txn"
	"github.com/vetshare/vetshare/inventory"
	"github.com/vetshare/vetshare/postgres"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/reminders"
	"github.com/vetshare/vetshare/reports"
	"github.com/vetshare/vetshare/sharing"
	"github.com/vetshare/vetshare/tasks"
)

// perOwnerTables are the tables that hold one owner's rows (see the package documentation).
var perOwnerTables = []string{"owners", "accounts", "counters", "share_groups", "group_members", "clients",
	"client_entries", "patients", "records", "audit_log", "items", "stock_movements", "disable_actions",
	"reminders", "usage_targets", "invoices", "invoice_lines", "payments", "balances", "contacts", "tasks"}

// idTables says where to find an id of each type of the other owners, for the arguments of the
// calls below.
var idTables = map[reflect.Type]string{
	reflect.TypeFor[vetshare.GroupID]():    "share_groups",
	reflect.TypeFor[vetshare.ClientID]():   "clients",
	reflect.TypeFor[vetshare.PatientID]():  "patients",
	reflect.TypeFor[vetshare.RecordID]():   "records",
	reflect.TypeFor[vetshare.ItemID]():     "items",
	reflect.TypeFor[vetshare.ReminderID](): "reminders",
	reflect.TypeFor[vetshare.InvoiceID]():  "invoices",
	reflect.TypeFor[vetshare.PaymentID]():  "payments",
	reflect.TypeFor[vetshare.ContactID]():  "contacts",
	reflect.TypeFor[vetshare.TaskID]():     "tasks",
}

// TestRowLevelSecurityAloneKeepsOwnersApart is the test issue 13 asks for: built with
// -tags vetshare_nofilter, the driver issues every statement without its owner filter
// (owner_id = $1 becomes true), so only the row-level security policies stand between owner
// A's transaction and the other owners' rows. On a generated data set of several owners with
// rows in every domain, every method of the driver and every operation of the domain packages
// is called as owner A's admin with the ids of other owners' things: no result may carry an id
// of another owner's row, no error may be anything but a refusal, and no row of another owner
// may have changed when they are done. Built without the tag it runs too, and shows the same
// with the filters in place.
//
//	eval "$(bash .ci/postgres start)"
//	go test -tags vetshare_nofilter -run 'RowLevelSecurity' ./postgres/
func TestRowLevelSecurityAloneKeepsOwnersApart(t *testing.T) {
	if postgres.OwnerFiltersRemoved {
		t.Log("built with -tags vetshare_nofilter: the driver's owner filters are removed; row-level security alone keeps owners apart")
	} else {
		t.Log("built with the driver's owner filters: build with -tags vetshare_nofilter to test row-level security alone")
	}
	clk := vetshare.NewTickClock(gen.End())
	s := MustOpen(t, postgres.WithClock(clk))
	ctx := context.Background()
	size := gen.Size{Name: "rls", BigClients: 30, AutoClients: 20, Owners: 2, OwnerClients: 15, Backfill: 10, Spare: 1,
		Fixtures: 2, HugeRecords: 4, Years: 1, DomainRate: 1, Tasks: 30}
	m, err := gen.Generate(ctx, s, clk, gen.Config{Seed: 7, Size: size})
	if err != nil {
		t.Fatal(err)
	}
	a := m.Owners[m.Big]
	actor := a.Actor(0)

	// The owner role sees every row: it tells the ids of other owners, and what they hold.
	owner, err := pgx.Connect(ctx, dsnFor(t, ownerDSN, s.Pool().Config().ConnConfig.Database))
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close(ctx)
	others := map[string]bool{} // every id-like value of another owner's rows
	where := map[string]string{}
	mine := map[string]bool{}
	snapshot := func() map[string]string {
		out := map[string]string{}
		for _, table := range perOwnerTables {
			var sum *string
			err := owner.QueryRow(ctx, "SELECT md5(string_agg(to_jsonb(t)::text, ',' ORDER BY to_jsonb(t)::text)) FROM vetshare."+table+" t WHERE owner_id <> $1", string(a.ID)).Scan(&sum)
			if err != nil {
				t.Fatal(err)
			}
			out[table] = fmt.Sprint(deref(sum))
		}
		return out
	}
	for _, table := range perOwnerTables {
		rows, err := owner.Query(ctx, "SELECT owner_id, to_jsonb(t)::text FROM vetshare."+table+" t")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var o, doc string
			if err := rows.Scan(&o, &doc); err != nil {
				t.Fatal(err)
			}
			var fields map[string]any
			if err := json.Unmarshal([]byte(doc), &fields); err != nil {
				t.Fatal(err)
			}
			for k, v := range fields {
				if s, ok := v.(string); ok && s != "" && (k == "id" || strings.HasSuffix(k, "_id")) {
					if o == string(a.ID) {
						mine[s] = true
					} else {
						others[s] = true
						where[s] = table + "." + k
					}
				}
			}
		}
		if rows.Err() != nil {
			t.Fatal(rows.Err())
		}
	}
	for s := range mine {
		delete(others, s) // users span owners; an id both hold is not another owner's
	}
	theirs := map[reflect.Type]string{}
	for typ, table := range idTables {
		var id string
		err := owner.QueryRow(ctx, "SELECT id FROM vetshare."+table+" WHERE owner_id <> $1 ORDER BY id LIMIT 1", string(a.ID)).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			t.Logf("the data set has no %s of other owners", table)
			id = "none"
		} else if err != nil {
			t.Fatalf("an id of another owner in %s: %v", table, err)
		}
		theirs[typ] = id
	}
	if len(others) < 100 {
		t.Fatalf("the data set has %d ids of other owners; want a real data set", len(others))
	}
	before := snapshot()
	// An id is another owner's unless a row of A holds it too: the calls below insert rows of A
	// with the ids they are given (ids are an owner's, R12.3), which another owner may hold.
	othersOnly := func(id string) bool {
		for _, table := range perOwnerTables {
			var n int
			err := owner.QueryRow(ctx, "SELECT count(*) FROM vetshare."+table+" t WHERE owner_id = $1 AND strpos(to_jsonb(t)::text, $2) > 0", string(a.ID), id).Scan(&n)
			if err != nil {
				t.Fatal(err)
			}
			if n > 0 {
				return false
			}
		}
		return true
	}

	fill := &filler{actor: actor, owner: a.ID, accounts: a.Accounts, theirs: theirs, now: clk.Now()}
	var calls, answered int
	check := func(name string, out []reflect.Value) {
		calls++
		for _, v := range out {
			if err, ok := v.Interface().(error); ok && err != nil {
				var se *postgres.StoreError
				if errors.As(err, &se) {
					t.Errorf("%s: %v (%v): a failure, not a refusal", name, err, errors.Unwrap(se))
				}
				return
			}
		}
		answered++
		for _, v := range out {
			if leak := find(v, others); leak != "" && othersOnly(leak) {
				t.Errorf("%s as owner A with other owners' ids: the result holds %q, an id of another owner (%s)", name, leak, where[leak])
			}
		}
	}

	// Every method of the driver, each in its own transaction that begins as an operation does,
	// by reading the actor's membership (which makes A the transaction's owner).
	dt := reflect.TypeFor[driver.Tx]()
	for i := range dt.NumMethod() {
		m := dt.Method(i)
		if m.Name == "Now" {
			continue
		}
		err := s.Update(ctx, func(tx *vetshare.Tx) error {
			d := txn.D(tx)
			if _, _, err := d.ActorMembership(ctx, actor.User, actor.Account); err != nil {
				return err
			}
			fn := reflect.ValueOf(d).MethodByName(m.Name)
			fill.leaks = func(v reflect.Value) {
				if leak := find(v, others); leak != "" && othersOnly(leak) {
					t.Errorf("driver %s: its callback got %q, an id of another owner", m.Name, leak)
				}
			}
			check("driver "+m.Name, call(t, fn, fill))
			return nil
		})
		if err != nil {
			t.Fatalf("driver %s: %v", m.Name, err)
		}
	}

	// Every operation of the domain packages that takes an actor, as owner A's admin.
	ops := map[string]any{
		"accounts.Check": accounts.Check, "accounts.Account": accounts.Account, "accounts.Owner": accounts.Owner,
		"accounts.Clinics":   accounts.Clinics,
		"sharing.Candidates": sharing.Candidates, "sharing.Group": sharing.Group, "sharing.SetHomeLocation": sharing.SetHomeLocation,
		"sharing.HomeLocation": sharing.HomeLocation, "sharing.ShareClient": sharing.ShareClient, "sharing.CrossReference": sharing.CrossReference,
		"records.AddPatient": records.AddPatient, "records.Patient": records.Patient, "records.Patients": records.Patients,
		"records.AddRecord": records.AddRecord, "records.Record": records.Record, "records.History": records.History,
		"records.RemoveRecord": records.RemoveRecord, "records.UpdateClient": records.UpdateClient, "records.Client": records.Client,
		"records.ClientByNumber": records.ClientByNumber, "records.Clients": records.Clients, "records.AddUsage": records.AddUsage,
		"records.RemoveUsage": records.RemoveUsage, "records.MoveUsage": records.MoveUsage,
		"reminders.AddDisableAction": reminders.AddDisableAction, "reminders.RemoveDisableAction": reminders.RemoveDisableAction,
		"reminders.DisableActions": reminders.DisableActions, "reminders.PatientReminders": reminders.PatientReminders,
		"reminders.Due": reminders.Due, "reminders.DuplicateReport": reminders.DuplicateReport,
		"tasks.LinkedClinics": tasks.LinkedClinics, "tasks.AssignedToMe": tasks.AssignedToMe, "tasks.AccountTasks": tasks.AccountTasks,
		"tasks.PatientTasks": tasks.PatientTasks, "tasks.Create": tasks.Create, "tasks.Edit": tasks.Edit, "tasks.Start": tasks.Start,
		"tasks.Reopen": tasks.Reopen, "tasks.Complete": tasks.Complete, "tasks.Delete": tasks.Delete, "tasks.Get": tasks.Get,
		"billing.CreateInvoice": billing.CreateInvoice, "billing.Invoice": billing.Invoice, "billing.Invoices": billing.Invoices,
		"billing.VoidInvoice": billing.VoidInvoice, "billing.RecordPayment": billing.RecordPayment, "billing.Payments": billing.Payments,
		"billing.Balance": billing.Balance, "billing.LocationBalances": billing.LocationBalances,
		"inventory.UpdateItem": inventory.UpdateItem, "inventory.Item": inventory.Item, "inventory.SearchItems": inventory.SearchItems,
		"inventory.BelowZero": inventory.BelowZero, "inventory.SearchUsages": inventory.SearchUsages, "inventory.Receive": inventory.Receive,
		"inventory.Adjust": inventory.Adjust, "inventory.Ledger": inventory.Ledger,
		"contacts.Get": contacts.Get, "contacts.Update": contacts.Update, "contacts.List": contacts.List, "contacts.Copy": contacts.Copy,
		"reports.WriteCSV": reports.WriteCSV, "audit.Verify": audit.Verify, "audit.Log": audit.Log,
	}
	names := make([]string, 0, len(ops))
	for n := range ops {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, name := range names {
		err := s.Update(ctx, func(tx *vetshare.Tx) error {
			fill.tx = tx
			fill.leaks = func(v reflect.Value) {
				if leak := find(v, others); leak != "" && othersOnly(leak) {
					t.Errorf("%s: its callback got %q, an id of another owner", name, leak)
				}
			}
			check(name, call(t, reflect.ValueOf(ops[name]), fill))
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	fill.tx = nil

	if diff := mapDiff(before, snapshot()); diff != "" {
		t.Errorf("other owners' rows changed by owner A's transactions: %s", diff)
	}
	t.Logf("%d calls with other owners' ids, %d answered without an error; %d ids of other owners looked for in every result", calls, answered, len(others))
}

// filler makes the arguments of a call: the scoping ids (account, owner, user, actor) are
// owner A's, every other id is another owner's thing.
type filler struct {
	actor    vetshare.Actor
	owner    vetshare.OwnerID
	accounts []vetshare.AccountID
	theirs   map[reflect.Type]string
	now      time.Time
	tx       *vetshare.Tx
	leaks    func(reflect.Value)
}

func (f *filler) value(t reflect.Type) reflect.Value {
	switch t {
	case reflect.TypeFor[context.Context]():
		return reflect.ValueOf(context.Background())
	case reflect.TypeFor[*vetshare.Tx]():
		return reflect.ValueOf(f.tx)
	case reflect.TypeFor[vetshare.Actor]():
		return reflect.ValueOf(f.actor)
	case reflect.TypeFor[vetshare.AccountID]():
		return reflect.ValueOf(f.accounts[len(f.accounts)-1]) // not the actor's: another of A's
	case reflect.TypeFor[vetshare.OwnerID]():
		return reflect.ValueOf(f.owner)
	case reflect.TypeFor[vetshare.UserID]():
		return reflect.ValueOf(f.actor.User)
	case reflect.TypeFor[time.Time]():
		return reflect.ValueOf(f.now)
	case reflect.TypeFor[vetshare.Page]():
		return reflect.ValueOf(vetshare.Page{Limit: 100})
	}
	if id, ok := f.theirs[t]; ok {
		return reflect.ValueOf(id).Convert(t)
	}
	v := reflect.New(t).Elem()
	switch t.Kind() {
	case reflect.Interface:
		if t == reflect.TypeFor[error]() {
			return v
		}
		if reflect.TypeFor[*strings.Builder]().Implements(t) {
			return reflect.ValueOf(&strings.Builder{})
		}
	case reflect.String:
		v.SetString("a")
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(1)
	case reflect.Struct:
		for i := range t.NumField() {
			if t.Field(i).IsExported() {
				v.Field(i).Set(f.value(t.Field(i).Type))
			}
		}
	case reflect.Pointer:
		p := reflect.New(t.Elem())
		p.Elem().Set(f.value(t.Elem()))
		return p
	case reflect.Slice:
		v = reflect.MakeSlice(t, 1, 1)
		v.Index(0).Set(f.value(t.Elem()))
	case reflect.Func:
		return reflect.MakeFunc(t, func(args []reflect.Value) []reflect.Value {
			for _, a := range args {
				f.leaks(a)
			}
			out := make([]reflect.Value, t.NumOut())
			for i := range out {
				out[i] = reflect.Zero(t.Out(i))
			}
			return out
		})
	}
	return v
}

// call calls fn with arguments from f; a panic is the test's failure.
func call(t *testing.T, fn reflect.Value, f *filler) (out []reflect.Value) {
	t.Helper()
	args := make([]reflect.Value, fn.Type().NumIn())
	for i := range args {
		args[i] = f.value(fn.Type().In(i))
	}
	defer func() {
		if p := recover(); p != nil {
			t.Errorf("%v panicked: %v", fn.Type(), p)
			out = nil
		}
	}()
	return fn.Call(args)
}

// find returns a string inside v that is one of ids, "" when there is none.
func find(v reflect.Value, ids map[string]bool) string {
	switch v.Kind() {
	case reflect.String:
		if ids[v.String()] {
			return v.String()
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return find(v.Elem(), ids)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if s := find(v.Field(i), ids); s != "" {
				return s
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if s := find(v.Index(i), ids); s != "" {
				return s
			}
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			if s := find(it.Key(), ids); s != "" {
				return s
			}
			if s := find(it.Value(), ids); s != "" {
				return s
			}
		}
	}
	return ""
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func mapDiff(before, after map[string]string) string {
	var b strings.Builder
	for k, v := range before {
		if after[k] != v {
			fmt.Fprintf(&b, "%s; ", k)
		}
	}
	return b.String()
}
