package reliability_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/billing"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/vetsharetest"
)

var kills = flag.Int("kills", 30, "how many times TestR11_2CrashLosesNothing kills its writer")

// crashEnv, when set, makes the test binary the writer of TestR11_2CrashLosesNothing: the
// variable holds the writer's crashPlan as JSON.
const crashEnv = "VETSHARE_CRASH_WRITER"

// crashPlan is what the writer is told: the file, the clinics of one automatic group of three
// with their admin and vaccines, the clients it may bill and treat, and its random seed.
type crashPlan struct {
	Path    string // the SQLite file, or the application role's connection string on PostgreSQL
	Inspect string // on PostgreSQL, the owner role's connection string, which reads every row
	Clinics []vetshare.AccountID
	Admin   vetshare.UserID
	Items   []vetshare.ItemID // Items[i] is clinic i's
	Clients []vetshare.ClientID
	Pets    []vetshare.PatientID
	Seed    uint64
}

// R11.2: a process killed at any moment loses no write it was told had committed and leaves no
// operation half done. A writer process (this test binary, run again) loops over multi-statement
// operations (a client shared automatically with three clinics, with its patient; a usage that
// moves stock, schedules two reminders and completes the other clinics' by disable actions; an
// invoice with a payment; a move of a usage to another clinic) and prints each one it got
// acknowledged. The test kills it with SIGKILL at a random moment, -kills times; after each kill
// it opens the file (SQLite recovers it) and checks SQLite's integrity and foreign keys, every
// invariant of checkDatabase (ledgers, balances, no half-done usage, share or payment, the audit
// chain of every owner), and that every acknowledged write is there.
func TestR11_2CrashLosesNothing(t *testing.T) {
	if plan := os.Getenv(crashEnv); plan != "" {
		crashWriter(plan)
		return
	}
	start := time.Now()
	var plan crashPlan
	plan.Path, plan.Inspect = crashTarget(t)
	st, closeStore, err := openTarget(context.Background(), plan.Path)
	if err != nil {
		t.Fatal(err)
	}
	s := &vetsharetest.Store{Engine: st, Clock: vetshare.NewTickClock(vetsharetest.Start())}
	p := s.NewPractice(t, 3, vetshare.ModeAutomatic)
	plan.Clinics, plan.Admin = p.ClinicIDs(), p.Admin.ID
	for _, it := range vaccines(t, s, p) {
		plan.Items = append(plan.Items, it.ID)
	}
	for i := range 6 {
		c, _, pets := s.Client(t, p.Actor(i%3), vetshare.Client{LastName: "Rogers", FirstName: fmt.Sprint("Shaggy ", i)}, vetshare.Patient{Name: fmt.Sprint("Scooby ", i)})
		plan.Clients, plan.Pets = append(plan.Clients, c.ID), append(plan.Pets, pets[0].ID)
	}
	if err := closeStore(); err != nil {
		t.Fatal(err)
	}

	acked := map[string][]string{} // by kind, the acknowledged writes: "client", "usage", "payment", "move"
	ops, midWrite := 0, 0
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 0))
	for kill := range *kills {
		plan.Seed = rng.Uint64()
		// The first kill waits for an acknowledged operation, so that a slow machine, where
		// every kill could land before the writer's first commit, still checks acknowledged
		// writes survive.
		lines, inTx := runAndKill(t, plan, rng, kill == 0)
		if inTx {
			midWrite++
		}
		for _, l := range lines {
			f := strings.Fields(l)
			if len(f) > 1 && f[0] == "ack" {
				acked[f[1]] = append(acked[f[1]], strings.Join(f[2:], " "))
				ops++
			}
		}
		checkAfterCrash(t, plan, acked)
		if t.Failed() {
			t.Fatalf("after kill %d of %d (seed %d)", kill+1, *kills, plan.Seed)
		}
	}
	if ops == 0 {
		t.Fatal("the writer never got an operation acknowledged")
	}
	t.Logf("%s: %d kills (%d inside a transaction), %d acknowledged operations (%d clients, %d usages, %d payments, %d moves), none lost, in %v",
		engineName, *kills, midWrite, ops, len(acked["client"]), len(acked["usage"]), len(acked["payment"]), len(acked["move"]), time.Since(start).Round(time.Millisecond))
}

// runAndKill starts the writer, kills it at a random moment and returns the lines it printed in
// full, and whether it had begun a transaction it had not acknowledged. With afterAck, the
// moment comes after the writer's first acknowledged operation.
func runAndKill(t *testing.T, plan crashPlan, rng *rand.Rand, afterAck bool) (lines []string, inTx bool) {
	t.Helper()
	js, _ := json.Marshal(plan)
	cmd := exec.Command(os.Args[0], "-test.run=^TestR11_2CrashLosesNothing$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnv+"="+string(js))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan struct{})
	firstAck := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(out)
		acked := false
		for sc.Scan() {
			switch l := sc.Text(); {
			case l == "ready":
				close(ready)
			case strings.HasPrefix(l, "ack ") && !acked:
				close(firstAck)
				acked = true
			}
			lines = append(lines, sc.Text())
		}
	}()
	// Most kills land while the writer writes; one in ten while it starts and opens the file.
	if afterAck || rng.IntN(10) > 0 {
		wait, what := ready, "start"
		if afterAck {
			wait, what = firstAck, "acknowledge an operation"
		}
		select {
		case <-wait:
		case <-done:
		case <-time.After(10 * time.Second):
			t.Errorf("the writer did not %s within 10s", what)
		}
		time.Sleep(time.Duration(5_000+rng.IntN(60_000)) * time.Microsecond)
	} else {
		time.Sleep(time.Duration(rng.IntN(30_000)) * time.Microsecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	<-done
	err = cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("the writer ended before it was killed: %v\n%s", err, stderr.String())
	}
	for i := len(lines) - 1; i >= 0; i-- {
		if lines[i] == "begin" {
			return lines, true
		}
		if strings.HasPrefix(lines[i], "ack ") {
			break
		}
	}
	return lines, false
}

// crashWriter is the writer process: it writes until it is killed, printing "begin" before each
// transaction and "ack kind ids..." once it has committed. It exits 1 on any error, which the
// test reports.
func crashWriter(planJSON string) {
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, "writer:", err)
		os.Exit(1)
	}
	var plan crashPlan
	if err := json.Unmarshal([]byte(planJSON), &plan); err != nil {
		fail(err)
	}
	ctx := context.Background()
	s, _, err := openTarget(ctx, plan.Path)
	if err != nil {
		fail(err)
	}
	fmt.Println("ready")
	rng := rand.New(rand.NewPCG(plan.Seed, 1))
	actor := func(i int) vetshare.Actor { return vetshare.Actor{User: plan.Admin, Account: plan.Clinics[i]} }
	type usage struct {
		id     vetshare.RecordID
		clinic int
	}
	var usages []usage // this run's live usages, which it may move
	for n := 0; ; n++ {
		i := rng.IntN(3)
		var ack string
		fmt.Println("begin")
		err := s.Update(ctx, func(tx *vetshare.Tx) error {
			switch op := rng.IntN(4); {
			case op == 0: // a client shared with the three clinics in its transaction (R2.1), with its patient
				c, _, err := records.CreateClient(ctx, tx, actor(i), vetshare.Client{LastName: "Crash", FirstName: fmt.Sprint("Writer ", plan.Seed%1000, " ", n)})
				if err != nil {
					return err
				}
				pet, err := records.AddPatient(ctx, tx, actor(i), vetshare.Patient{ClientID: c.ID, Name: fmt.Sprint("Pet ", n), Species: "cat"})
				ack = fmt.Sprintf("client %s %s", c.ID, pet.ID)
				return err
			case op == 1 || op == 3 && len(usages) == 0: // a usage: stock, two reminders, disable actions
				ch, err := records.AddUsage(ctx, tx, actor(i), vetshare.Record{PatientID: plan.Pets[rng.IntN(len(plan.Pets))],
					ItemID: plan.Items[i], Quantity: int64(1 + rng.IntN(3)), Text: fmt.Sprintf("dose %d-%d", plan.Seed, n)})
				if err != nil {
					return err
				}
				usages = append(usages, usage{ch.Record.ID, i})
				ack = fmt.Sprintf("usage %s", ch.Record.ID)
				return nil
			case op == 2: // an invoice and a payment of part or all of it
				inv, err := billing.CreateInvoice(ctx, tx, actor(i), vetshare.Invoice{ClientID: plan.Clients[rng.IntN(len(plan.Clients))],
					Lines: []vetshare.InvoiceLine{{Description: "Exam", Quantity: 1, UnitPrice: int64(1000 + rng.IntN(9000))}}})
				if err != nil {
					return err
				}
				pay, err := billing.RecordPayment(ctx, tx, actor(i), billing.PaymentRequest{Key: fmt.Sprintf("crash-%d-%d", plan.Seed, n), Invoice: inv.ID,
					Amount: vetshare.Money{Amount: 1 + rng.Int64N(inv.Total), Currency: inv.Currency}, Channel: vetshare.ChannelCounter, Method: "card"})
				ack = fmt.Sprintf("payment %s %s %d", pay.ID, inv.ID, pay.Amount)
				return err
			default: // a move of one of this run's usages to the next clinic (R5.3)
				k := rng.IntN(len(usages))
				u := usages[k]
				to := (u.clinic + 1) % 3
				_, added, err := records.MoveUsage(ctx, tx, actor(u.clinic), u.id, "given at the other clinic", plan.Clinics[to], plan.Items[to])
				if err != nil {
					return err
				}
				usages[k] = usage{added.Record.ID, to}
				ack = fmt.Sprintf("move %s %s", u.id, added.Record.ID)
				return nil
			}
		})
		if err != nil {
			fail(err)
		}
		fmt.Println("ack", ack)
	}
}

// checkAfterCrash opens the file as the next process would and checks it.
func checkAfterCrash(t *testing.T, plan crashPlan, acked map[string][]string) {
	t.Helper()
	s, closeStore, err := openTarget(context.Background(), plan.Path)
	if err != nil {
		t.Fatalf("opening the database after a kill: %v", err)
	}
	defer closeStore()
	db := inspectTarget(t, s, plan.Inspect)
	checkDatabase(t, s, db)

	set := func(query string) map[string]bool {
		m := map[string]bool{}
		for _, v := range column[string](t, db, sq(query)) {
			m[v] = true
		}
		return m
	}
	clients := set(`SELECT c.id || ' ' || p.id FROM vetshare_clients c JOIN vetshare_patients p ON p.client_id = c.id`)
	usages := set(`SELECT id FROM vetshare_records WHERE kind = 'usage'`)
	live := set(`SELECT id FROM vetshare_records WHERE kind = 'usage' AND removed_at IS NULL`)
	payments := set(`SELECT p.id || ' ' || p.invoice_id || ' ' || p.amount FROM vetshare_payments p`)
	for _, a := range acked["client"] {
		if !clients[a] {
			t.Errorf("acknowledged client and patient %s lost", a)
		}
	}
	for _, a := range acked["usage"] {
		if !usages[a] {
			t.Errorf("acknowledged usage %s lost", a)
		}
	}
	for _, a := range acked["payment"] {
		if !payments[a] {
			t.Errorf("acknowledged payment %s lost", a)
		}
	}
	for _, a := range acked["move"] {
		ids := strings.Fields(a)
		if live[ids[0]] || !usages[ids[0]] || !usages[ids[1]] {
			t.Errorf("acknowledged move %s lost: the usage is not removed, or its copy is missing", a)
		}
	}
	// The writer's operations are whole or absent: a client always with its patient, an invoice
	// always with its payment, a removed usage always with its copy at the next clinic.
	for _, inv := range []struct{ name, query string }{
		{"a client without its patient", `SELECT id FROM vetshare_clients c WHERE NOT EXISTS (SELECT 1 FROM vetshare_patients p WHERE p.client_id = c.id)`},
		{"an invoice without its payment", `SELECT id FROM vetshare_invoices v WHERE NOT EXISTS (SELECT 1 FROM vetshare_payments p WHERE p.invoice_id = v.id)`},
		{"a usage removed without its copy at the next clinic", `SELECT r.id FROM vetshare_records r WHERE r.kind = 'usage' AND r.removed_at IS NOT NULL
			AND (SELECT COUNT(*) FROM vetshare_records m WHERE m.kind = 'usage' AND m.text = r.text AND m.patient_id = r.patient_id AND m.created_at = r.removed_at) <> 1`},
		{"a client not shared with all three clinics", `SELECT client_id FROM vetshare_client_entries GROUP BY client_id HAVING COUNT(*) <> 3`},
	} {
		if bad := column[string](t, db, sq(inv.query)); len(bad) > 0 {
			t.Errorf("half done: %s: %d, %.3q", inv.name, len(bad), bad)
		}
	}
}
