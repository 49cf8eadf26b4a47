package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/gen"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/sharing"
	"github.com/vetshare/vetshare/sqlite"
)

// env is what workloads run on: the generated data set, its store (with the system clock) and
// the baseline's plain SQL on the same file.
type env struct {
	m     *gen.Manifest
	st    *sqlite.Store
	p     *plain
	runs  int
	scale float64 // 1 for the full sizes; smaller sizes run fewer operations per run
	path  string
	// extra are further figures for the report (memory of the reports, ...).
	extra map[string]any
	// reportEntries is the number of client entries of the account the reports list.
	reportEntries int
	// rst is a store over p.r, the pool every side of a read reads through (readPool): the
	// read workloads' operations run on it, their writes (-after-write) on st.
	rst *sqlite.Store
	// taInputs are the typed texts of each type-ahead workload (typeahead.go).
	taInputs map[string][]taInput
	// plans are the query plans the report shows (plans.go).
	plans []queryPlan
	// cal is the calibration's write, timed in the blocks of a workload with an absolute
	// target (workload.absolute).
	cal *calWriter
	// samples, when set (-samples), receives every timed sample as a CSV line, its start
	// counted from samplesT0.
	samples   *bufio.Writer
	samplesT0 time.Time
}

// workloadNames are the workloads, in the order they run.
var workloadNames = []string{"create-client-auto10", "share-client-small", "share-client-huge", "candidates-prefix3", "history-non-origin",
	"typeahead-surname", "typeahead-last-first", "typeahead-first-last", "typeahead-phone", "typeahead-email",
	"usage", "payment", "assigned-to-me", "report-new-clients", "report-new-engaged-clients", "report-active-clients",
	"report-active-engaged-clients", "report-inactive-clients", "report-lapsed-clients", "backfill", "duplicate-scan", "duplicate-report"}

// workload is one hot operation and its baseline. Each run times iters operations, then iters
// baseline operations; i counts a side's operations over all runs, so that workloads that
// consume fixtures never reuse one.
type workload struct {
	name   string
	desc   string
	target string
	// iters is the number of operations per run and side; warm of them are run first, untimed.
	iters, warm int
	// block is how many operations a side runs before the next side's turn; 0 is ten.
	block int
	// rows is the number of rows an operation writes (or reads, for a read), for rows/s.
	rows int
	// prepare, when set, runs untimed before each side of each run.
	prepare func(ctx context.Context, side string, run int) error
	op      func(ctx context.Context, i int) (rows int, err error)
	base    func(ctx context.Context, i int) (rows int, err error)
	// limit, when set, is the same work in tuned raw SQL with the fewest statements (limit.go).
	limit func(ctx context.Context, i int) (rows int, err error)
	// judge says whether the target is met, given this workload's result and the others'.
	judge func(r *result, all map[string]*result) (bool, string)
	// verify, when set, runs untimed before each run with the index of the run's first
	// operation, and fails when the sides do not give the same result for that input.
	verify func(ctx context.Context, i int) error
	// afterWrite, when set, adds a second row, name-after-write: the same sides, each sample
	// taken right after a one-row write transaction committed on the store's file (measure).
	afterWrite bool
	// absolute, when set, marks a target in absolute time (p99AtMost): the calibration's
	// write is timed first in each of the workload's blocks, so that the target is scaled by
	// the machine's speed while the workload ran, not at the start of the run.
	absolute bool
	// beside, when set, times the calibration's write in the blocks as absolute does, for a
	// write workload: its p99/p50 beside the operation's tells what share of a write's tail
	// (target: p99 ≤ 3× p50) is the machine's own. It judges nothing.
	beside bool
}

func ratioAtMost(limit float64) func(r *result, _ map[string]*result) (bool, string) {
	return func(r *result, _ map[string]*result) (bool, string) {
		return r.Ratio <= limit, ""
	}
}

// referenceWriteTx is the one-row write transaction, in µs, of the machine issue 16 sets its
// absolute targets on; on a slower machine they are the same multiple of its calibration.
const referenceWriteTx = 20.0

// p99AtMost judges an absolute target: the op's p99 at most limitMicros on the reference
// machine, scaled by the calibration timed in the workload's own blocks (workload.absolute)
// when the machine was slower while it ran.
func p99AtMost(limitMicros float64) func(r *result, _ map[string]*result) (bool, string) {
	return func(r *result, _ map[string]*result) (bool, string) {
		if c := r.CalWriteTx; c > referenceWriteTx {
			allowed := limitMicros * c / referenceWriteTx
			return r.Op.P99 <= allowed, fmt.Sprintf("%s scaled by the write of %s timed beside it: %s", dur(limitMicros), dur(c), dur(allowed))
		}
		return r.Op.P99 <= limitMicros, ""
	}
}

// workloads returns every workload, in the order they run.
func (e *env) workloads() []*workload {
	var ws []*workload
	ws = append(ws, e.createClient(), e.shareClient("share-client-small", e.m.ShareSmall), e.shareClient("share-client-huge", e.m.ShareHuge),
		e.candidates(), e.history())
	for _, k := range taKinds {
		ws = append(ws, e.typeahead(k))
	}
	ws = append(ws, e.domainWorkloads()...)
	ws = append(ws, e.backfill())
	ws = append(ws, e.duplicateWorkloads()...)
	return ws
}

func (e *env) n(full int) int { return max(int(float64(full)*e.scale), 10) }

// createClient: records.CreateClient in a 10-account automatic group: the client, its entry in
// every account, and the audit entry of the automatic share, in one transaction.
func (e *env) createClient() *workload {
	o := e.m.Owners[e.m.Auto]
	person := func(i int) vetshare.Client {
		r := rand.New(rand.NewPCG(uint64(i), 7))
		names := []string{"Okafor", "Lindqvist", "Brandão", "Nguyễn", "Smith", "García", "Côté"}
		firsts := []string{"Chidi", "Åsa", "João", "Thảo", "Anna", "José", "Zoë"}
		return vetshare.Client{LastName: names[r.IntN(len(names))], FirstName: firsts[r.IntN(len(firsts))],
			Email: fmt.Sprintf("bench%d@example.com", i), Phone: "+1 555 010 0000", Address: "1 Bench Rd"}
	}
	actor := func(i int) vetshare.Actor { return vetshare.Actor{User: o.Staff[i%10][0], Account: o.Accounts[i%10]} }
	return &workload{
		name: "create-client-auto10", desc: "vetshare_records.CreateClient in a 10-account automatic group (client, 10 entries, audit)",
		target: "ratio ≤ 1.3", iters: e.n(2000), warm: 20, rows: 12, judge: ratioAtMost(1.3), beside: true,
		op: func(ctx context.Context, i int) (int, error) {
			return 12, e.st.Update(ctx, func(tx *vetshare.Tx) error {
				_, _, err := records.CreateClient(ctx, tx, actor(i), person(i))
				return err
			})
		},
		base: func(ctx context.Context, i int) (int, error) {
			a, c := actor(i), person(-i-1)
			return 12, e.p.update(ctx, func(q *ptx) error {
				_, owner, err := q.actor(a)
				if err != nil {
					return err
				}
				id := vetshare.NewID[vetshare.ClientID](q.now)
				if _, err := q.exec(qInsClient, id, owner, c.FirstName, c.LastName, vetshare.NameKey(c.LastName, c.FirstName), vetshare.FoldName(c.FirstName),
					c.Email, c.Phone, c.Address, a.Account, a.Account, micros(q.now), micros(q.now), 1); err != nil {
					return err
				}
				if err := q.insClientKeys(owner, id, c); err != nil {
					return err
				}
				if _, err := q.entry(a.Account, id, vetshare.ViaCreated); err != nil {
					return err
				}
				_, gOwner, mode, members, err := q.group(a.Account)
				if err != nil || mode != vetshare.ModeAutomatic {
					return fmt.Errorf("baseline: group: %v %s", err, mode)
				}
				var to []vetshare.AccountID
				for _, m := range members {
					if m == a.Account {
						continue
					}
					if _, err := q.entry(m, id, vetshare.ViaAutomatic); err != nil {
						return err
					}
					to = append(to, m)
				}
				return q.audit(gOwner, a, "client.share", "client:"+string(id), map[string]any{"via": vetshare.ViaAutomatic, "to": to})
			})
		},
		limit: func(ctx context.Context, i int) (int, error) {
			return 12, e.p.update(ctx, func(q *ptx) error { return q.limitCreateClient(actor(i), person(1_000_000+i)) })
		},
	}
}

// shareClient: sharing.ShareClient of a client of the big owner's first account into its
// second, one client per operation. The baseline writes the link rows: the entry, with the
// account's next number, and the audit entry, after the same reads.
func (e *env) shareClient(name string, pool []vetshare.ClientID) *workload {
	o := e.m.Owners[e.m.Big]
	actor := o.Actor(1)
	per := max((len(pool)/3)/max(e.runs, 1), 1)
	warm := min(5, per/4)
	iters := per - warm
	if iters < 1 {
		iters, warm = per, 0
	}
	opPool, basePool, limPool := every(pool, 3, 0), every(pool, 3, 1), every(pool, 3, 2)
	w := &workload{
		name: name, rows: 2, iters: iters, warm: warm, beside: true,
		op: func(ctx context.Context, i int) (int, error) {
			if i >= len(opPool) {
				return 0, errors.New("out of fixtures")
			}
			return 2, e.st.Update(ctx, func(tx *vetshare.Tx) error {
				en, err := sharing.ShareClient(ctx, tx, actor, opPool[i])
				// The entry must be made now: a fixture shared before (-reuse) would time a no-op.
				if err == nil && (en.Via != vetshare.ViaManual || !en.CreatedAt.Equal(tx.Now())) {
					err = errors.New("fixture was already shared (fixtures are used up: generate a fresh data set)")
				}
				return err
			})
		},
		base: func(ctx context.Context, i int) (int, error) {
			if i >= len(basePool) {
				return 0, errors.New("out of fixtures")
			}
			c := basePool[i]
			return 2, e.p.update(ctx, func(q *ptx) error {
				if _, _, err := q.actor(actor); err != nil {
					return err
				}
				var has []vetshare.AccountID
				err := q.each(qEntries, []any{c}, func(r *sql.Rows) error {
					var a vetshare.AccountID
					var n int64
					err := r.Scan(&a, &n)
					has = append(has, a)
					return err
				})
				if err != nil {
					return err
				}
				if slices.Contains(has, actor.Account) {
					return errors.New("baseline: fixture already shared")
				}
				_, owner, _, members, err := q.group(actor.Account)
				if err != nil {
					return err
				}
				found := false
				for _, a := range has {
					found = found || slices.Contains(members, a)
				}
				if !found {
					return errors.New("baseline: client not in the group")
				}
				n, err := q.entry(actor.Account, c, vetshare.ViaManual)
				if err != nil {
					return err
				}
				return q.audit(owner, actor, "client.share", "client:"+string(c),
					map[string]any{"via": vetshare.ViaManual, "to": []vetshare.AccountID{actor.Account}, "number": n})
			})
		},
		limit: func(ctx context.Context, i int) (int, error) {
			if i >= len(limPool) {
				return 0, errors.New("out of fixtures")
			}
			return 2, e.p.update(ctx, func(q *ptx) error { return q.limitShare(actor, limPool[i]) })
		},
	}
	if name == "share-client-huge" {
		w.desc = fmt.Sprintf("sharing.ShareClient, client with 3 patients and %d records (link-row baseline)", e.m.Size.HugeRecords)
		w.target = "ratio ≤ 1.5; huge/small ≤ 1.2"
		w.judge = func(r *result, all map[string]*result) (bool, string) {
			small := all["share-client-small"]
			if small == nil {
				return r.Ratio <= 1.5, ""
			}
			// Both rows' baselines write the same link rows whatever the history, so dividing
			// each row's p50 by its own baseline's takes out the load the two periods met.
			raw := r.Op.P50 / small.Op.P50
			hs := r.Ratio / small.Ratio
			return r.Ratio <= 1.5 && hs <= 1.2, fmt.Sprintf("huge/small p50 %.2f; %.2f raw", hs, raw)
		}
	} else {
		w.desc = "sharing.ShareClient, client with 3 patients and 6 records (link-row baseline)"
		w.target = "ratio ≤ 1.5"
		w.judge = ratioAtMost(1.5)
	}
	return w
}

// every returns s[k], s[k+n], s[k+2n], ...
func every[T any](s []T, n, k int) []T {
	var out []T
	for i := k; i < len(s); i += n {
		out = append(out, s[i])
	}
	return out
}

// candidates: sharing.Candidates for a 3-letter prefix in an account of the big owner's
// 10-account manual group, the first 10 with their accounts and patients.
func (e *env) candidates() *workload {
	o := e.m.Owners[e.m.Big]
	actor := func(i int) vetshare.Actor { return o.Actor(i % 10) }
	prefixes := gen.Prefixes()
	prefix := func(i int) string { return prefixes[(i/10)%len(prefixes)] }
	return &workload{
		name: "candidates-prefix3", desc: fmt.Sprintf("sharing.Candidates, 3-letter prefix, first 10, %d clients in a 10-account manual group", o.Clients),
		target: "p99 ≤ 0.5 ms", iters: e.n(2000), warm: 50, judge: p99AtMost(500), absolute: true,
		op: func(ctx context.Context, i int) (int, error) {
			var n int
			return n, e.rst.View(ctx, func(tx *vetshare.Tx) error {
				cs, _, err := sharing.Candidates(ctx, tx, actor(i), prefix(i), vetshare.Page{Limit: 10})
				n = len(cs)
				return err
			})
		},
		base: func(ctx context.Context, i int) (int, error) {
			var n int
			return n, e.p.view(ctx, func(q *ptx) error {
				out, err := q.baseCandidates(actor(i), prefix(i))
				n = len(out)
				return err
			})
		},
		limit: func(ctx context.Context, i int) (int, error) {
			var n int
			return n, e.p.view(ctx, func(q *ptx) error {
				out, err := q.limitCandidates(actor(i), prefix(i))
				n = len(out)
				return err
			})
		},
		// The sides must find the same page, accounts and patients included: checked before
		// each run on the input the run starts with.
		verify: func(ctx context.Context, i int) error {
			var want []string
			err := e.rst.View(ctx, func(tx *vetshare.Tx) error {
				cs, _, err := sharing.Candidates(ctx, tx, actor(i), prefix(i), vetshare.Page{Limit: 10})
				for _, c := range cs {
					var as, ps [][3]any
					for _, a := range c.Accounts {
						as = append(as, [3]any{string(a.ID), a.Name, float64(a.Number)})
					}
					for _, p := range c.Patients {
						ps = append(ps, [3]any{string(p.ID), p.Name, p.Species})
					}
					want = append(want, candKey(c.Client.ID, as, ps))
				}
				return err
			})
			if err != nil {
				return err
			}
			if len(want) == 0 {
				return fmt.Errorf("%q in %s found no candidate", prefix(i), actor(i).Account)
			}
			sides := map[string]func(q *ptx) ([]string, error){
				"baseline": func(q *ptx) ([]string, error) { return q.baseCandidates(actor(i), prefix(i)) },
				"limit":    func(q *ptx) ([]string, error) { return q.limitCandidates(actor(i), prefix(i)) },
			}
			for side, f := range sides {
				var got []string
				err := e.p.view(ctx, func(q *ptx) error {
					var err error
					got, err = f(q)
					return err
				})
				if err != nil {
					return fmt.Errorf("%s: %w", side, err)
				}
				if !slices.Equal(got, want) {
					return fmt.Errorf("%s found other candidates for %q than the operation:\n  op   %v\n  %s %v", side, prefix(i), want, side, got)
				}
			}
			return nil
		},
	}
}

// historyPage is the page of history-non-origin's three sides: 50 records, read as 51 to
// know whether there is a next page. (The operation read the default page of 100 while the
// limit read 51: on charts of more than 50 records it did twice the limit's work.)
const historyPage = 50

// history: records.History, first page, of a patient of the 10-account automatic group, read
// from an account other than the one that created it.
func (e *env) history() *workload {
	o := e.m.Owners[e.m.Auto]
	ref := func(i int) (vetshare.Actor, vetshare.PatientID) {
		h := e.m.History[i%len(e.m.History)]
		return staff(o, (h.Origin+1+i%9)%10), h.Patient
	}
	return &workload{
		name: "history-non-origin", desc: "vetshare_records.History (first page) of a patient, from an account that did not create it",
		target: "ratio ≤ 1.3", iters: e.n(3000), warm: 50, judge: ratioAtMost(1.3), afterWrite: true,
		op: func(ctx context.Context, i int) (int, error) {
			a, p := ref(i)
			var n int
			return n, e.rst.View(ctx, func(tx *vetshare.Tx) error {
				rs, _, err := records.History(ctx, tx, a, records.HistoryQuery{Patient: p}, vetshare.Page{Limit: historyPage})
				n = len(rs)
				return err
			})
		},
		base: func(ctx context.Context, i int) (int, error) {
			a, p := ref(i)
			var n int
			return n, e.p.view(ctx, func(q *ptx) error {
				if _, _, err := q.actor(a); err != nil {
					return err
				}
				var client vetshare.ClientID
				if err := q.row(qPatientIn, []any{a.Account, p}, &client); err != nil {
					return err
				}
				var out []vetshare.Record
				err := q.each(qRecords, []any{p, "", 0, historyPage + 1}, func(rows *sql.Rows) error {
					var r vetshare.Record
					var item, by, acct, reason sql.NullString
					var created int64
					var removed sql.NullInt64
					err := rows.Scan(&r.ID, &r.PatientID, &r.AccountID, &r.UserID, &r.Kind, &r.Text, &item, &r.Quantity, &created,
						&removed, &by, &acct, &reason)
					out = append(out, r)
					return err
				})
				n = len(out)
				return err
			})
		},
		limit: func(ctx context.Context, i int) (int, error) {
			a, p := ref(i)
			var n int
			return n, e.p.view(ctx, func(q *ptx) error {
				var err error
				n, err = q.limitHistory(a, p)
				return err
			})
		},
	}
}

// backfill: sharing.Backfill of the backfill owner's historical clients into an account that
// has just joined the group (made untimed before each side): every client gets an entry. The
// baseline does the same batches of 500 with the same statements.
func (e *env) backfill() *workload {
	o := e.m.Owners[e.m.Backfill]
	actor := o.Actor(0)
	joined := 0
	join := func(ctx context.Context, side string, run int) error {
		// The next spare account that has never joined: a data set reused with -reuse may have
		// spent some in an earlier run, and backfilling into one of those would share nothing.
		k := -1
		for ; 2+joined < len(o.Accounts) && k < 0; joined++ {
			var used bool
			if err := e.p.r.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM vetshare_group_members WHERE account_id = ?1)
				OR EXISTS (SELECT 1 FROM vetshare_client_entries WHERE account_id = ?1)`, o.Accounts[2+joined]).Scan(&used); err != nil {
				return err
			}
			if !used {
				k = 2 + joined
			}
		}
		if k < 0 {
			return errors.New("no spare account left for another backfill (lower -runs, or generate a fresh data set)")
		}
		err := e.st.Update(ctx, func(tx *vetshare.Tx) error {
			d, err := sharing.Enable(ctx, tx, o.EnableRequest(vetshare.ModeManual, 0, k))
			if err == nil && !d.Approved {
				err = d.Err()
			}
			return err
		})
		if err != nil {
			return err
		}
		// Each side starts with an empty log: without this checkpoint, the one the store's
		// checkpointer runs beside the operation (its commits wake it; the other sides write
		// through the store's DB and do not) copied the previous side's 2,000 entries too.
		return e.st.Checkpoint(ctx)
	}
	// did checks that a side shared every historical client into the joining account: one
	// entry each, no more, no fewer.
	did := func(f func(ctx context.Context, i int) (int, error)) func(ctx context.Context, i int) (int, error) {
		return func(ctx context.Context, i int) (int, error) {
			n, err := f(ctx, i)
			if err == nil && n != o.Clients {
				err = fmt.Errorf("backfill shared %d entries, want %d (one per historical client)", n, o.Clients)
			}
			return n, err
		}
	}
	return &workload{
		name: "backfill", desc: fmt.Sprintf("sharing.Backfill of %d historical clients into an account joining the group", o.Clients),
		target: "≥ 50% of baseline rows/s (ratio ≤ 2)", iters: 1, rows: o.Clients, judge: ratioAtMost(2), prepare: join,
		op: did(func(ctx context.Context, i int) (int, error) {
			p, err := sharing.Backfill(ctx, e.st, actor, sharing.BackfillOptions{})
			return p.Shared, err
		}),
		limit: did(func(ctx context.Context, i int) (int, error) {
			return e.limitBackfill(ctx, actor)
		}),
		base: did(func(ctx context.Context, i int) (int, error) {
			shared := 0
			var cursor vetshare.ClientID
			for done := false; !done; {
				err := e.p.update(ctx, func(q *ptx) error {
					role, owner, err := q.actor(actor)
					if err != nil || (role != vetshare.RoleOwner && role != vetshare.RoleAdmin) {
						return fmt.Errorf("baseline: not admin: %v", err)
					}
					g, _, _, members, err := q.group(actor.Account)
					if err != nil {
						return err
					}
					list, _ := json.Marshal(members)
					var ids []vetshare.ClientID
					err = q.each(qUnshared, []any{owner, cursor, string(list), len(members), 500}, func(r *sql.Rows) error {
						var id vetshare.ClientID
						err := r.Scan(&id)
						ids = append(ids, id)
						return err
					})
					if err != nil {
						return err
					}
					done = len(ids) < 500
					for _, c := range ids {
						cursor = c
						has := map[vetshare.AccountID]bool{}
						err := q.each(qEntries, []any{c}, func(r *sql.Rows) error {
							var a vetshare.AccountID
							var n int64
							err := r.Scan(&a, &n)
							has[a] = true
							return err
						})
						if err != nil {
							return err
						}
						for _, m := range members {
							if !has[m] {
								if _, err := q.entry(m, c, vetshare.ViaBackfill); err != nil {
									return err
								}
								shared++
							}
						}
					}
					if len(ids) == 0 {
						return nil
					}
					return q.audit(owner, actor, "client.share", "group:"+string(g), map[string]any{"via": vetshare.ViaBackfill, "clients": ids})
				})
				if err != nil {
					return shared, err
				}
			}
			return shared, nil
		}),
	}
}

// staff returns the first staff member of account a of o, acting there.
func staff(o *gen.Owner, a int) vetshare.Actor {
	return vetshare.Actor{User: o.Staff[a][0], Account: o.Accounts[a]}
}

// domainWorkloads are the workloads of the areas built on the foundation.
func (e *env) domainWorkloads() []*workload {
	ws := []*workload{e.usage(), e.payment(), e.assignedToMe()}
	for _, k := range vetshare.ReportKinds() {
		ws = append(ws, e.report(k))
	}
	return ws
}

// setupDomains prepares what the domain workloads need, untimed.
func (e *env) setupDomains(ctx context.Context) error {
	e.extra = map[string]any{}
	if err := e.setupTypeahead(ctx); err != nil {
		return err
	}
	if err := e.explainPlans(ctx); err != nil {
		return err
	}
	return e.reportsSetup(ctx)
}

var domainWriteQueries = []string{qInvoice, qInsPayment, qUsagePatient, qItem, qActions, qLater, qOpenOf, qInsRecord, qInsTarget, qOnHand, qInsMovement,
	qComplete, qInsReminder}
var domainReadQueries = []string{qTaskActor, qLinked, qAssigned, qReportByNumber, qReportByCreation, qReportAccount, qOwnerAccounts}
