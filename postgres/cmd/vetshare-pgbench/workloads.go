package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/gen"
	"github.com/vetshare/vetshare/postgres"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/sharing"
)

// env is what workloads run on: the generated data set, its store and the baseline's plain SQL
// on the same database.
type env struct {
	m     *gen.Manifest
	st    *postgres.Store
	p     *plain
	runs  int
	scale float64
}

// workload is one hot operation and its baseline, as in cmd/vetshare-bench. Each run times
// iters operations and iters baseline operations; i counts a side's operations over all runs,
// so that workloads that consume fixtures never reuse one.
type workload struct {
	name, desc  string
	iters, warm int
	// prepare, when set, runs untimed before each side of each run.
	prepare func(ctx context.Context, side string, run int) error
	op      func(ctx context.Context, i int) (rows int, err error)
	base    func(ctx context.Context, i int) (rows int, err error)
}

// workloads returns every workload ported to PostgreSQL, in the order of cmd/vetshare-bench.
func (e *env) workloads() []*workload {
	return []*workload{e.createClient(), e.shareClient("share-client-small", e.m.ShareSmall), e.shareClient("share-client-huge", e.m.ShareHuge),
		e.candidates(), e.history(), e.usage(), e.payment(), e.assignedToMe(),
		e.report(vetshare.ReportNewClients), e.report(vetshare.ReportActiveClients), e.backfill()}
}

func (e *env) n(full int) int { return max(int(float64(full)*e.scale), 10) }

// staff returns the first staff member of account a of o, acting there.
func staff(o *gen.Owner, a int) vetshare.Actor {
	return vetshare.Actor{User: o.Staff[a][0], Account: o.Accounts[a]}
}

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
		name: "create-client-auto10", desc: "records.CreateClient in a 10-account automatic group (client, 10 entries, audit)",
		iters: e.n(2000), warm: 20,
		op: func(ctx context.Context, i int) (int, error) {
			return 12, e.st.Update(ctx, func(tx *vetshare.Tx) error {
				_, _, err := records.CreateClient(ctx, tx, actor(i), person(i))
				return err
			})
		},
		base: func(ctx context.Context, i int) (int, error) {
			a, c := actor(i), person(-i-1)
			return 12, e.p.update(ctx, func(q *ptx) error {
				if _, _, err := q.actor(a); err != nil {
					return err
				}
				_, mode, members, err := q.group(a.Account)
				if err != nil || mode != vetshare.ModeAutomatic {
					return fmt.Errorf("baseline: group: %v %s", err, mode)
				}
				id := vetshare.NewID[vetshare.ClientID](q.now)
				if _, err := q.exec(qInsClient, q.owner, id, c.FirstName, c.LastName, vetshare.NameKey(c.LastName, c.FirstName), vetshare.FoldName(c.FirstName),
					c.Email, c.Phone, c.Address, a.Account, a.Account, micros(q.now), micros(q.now), 1); err != nil {
					return err
				}
				if _, err := q.entry(a.Account, id, vetshare.ViaCreated); err != nil {
					return err
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
				return q.audit(a, "client.share", "client:"+string(id), map[string]any{"via": vetshare.ViaAutomatic, "to": to})
			})
		},
	}
}

// shareClient: sharing.ShareClient of a client of the big owner's first account into its
// second. The baseline writes the link rows, the entry with the account's next number and the
// audit entry, after the same reads.
func (e *env) shareClient(name string, pool []vetshare.ClientID) *workload {
	o := e.m.Owners[e.m.Big]
	actor := o.Actor(1)
	per := max((len(pool)/2)/max(e.runs, 1), 1)
	warm := min(5, per/4)
	iters := per - warm
	if iters < 1 {
		iters, warm = per, 0
	}
	opPool, basePool := evens(pool), odds(pool)
	records := 6
	if name == "share-client-huge" {
		records = e.m.Size.HugeRecords
	}
	return &workload{
		name: name, iters: iters, warm: warm,
		desc: fmt.Sprintf("sharing.ShareClient, client with 3 patients and %d records (link-row baseline)", records),
		op: func(ctx context.Context, i int) (int, error) {
			if i >= len(opPool) {
				return 0, errOutOfFixtures
			}
			return 2, e.st.Update(ctx, func(tx *vetshare.Tx) error {
				en, err := sharing.ShareClient(ctx, tx, actor, opPool[i])
				if err == nil && en.Via != vetshare.ViaManual {
					err = errors.New("fixture was already shared")
				}
				return err
			})
		},
		base: func(ctx context.Context, i int) (int, error) {
			if i >= len(basePool) {
				return 0, errOutOfFixtures
			}
			c := basePool[i]
			return 2, e.p.update(ctx, func(q *ptx) error {
				if _, _, err := q.actor(actor); err != nil {
					return err
				}
				has, err := q.entries(c)
				if err != nil {
					return err
				}
				if slices.Contains(has, actor.Account) {
					return errors.New("baseline: fixture already shared")
				}
				_, _, members, err := q.group(actor.Account)
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
				return q.audit(actor, "client.share", "client:"+string(c),
					map[string]any{"via": vetshare.ViaManual, "to": []vetshare.AccountID{actor.Account}, "number": n})
			})
		},
	}
}

func evens[T any](s []T) []T {
	var out []T
	for i := 0; i < len(s); i += 2 {
		out = append(out, s[i])
	}
	return out
}

func odds[T any](s []T) []T {
	var out []T
	for i := 1; i < len(s); i += 2 {
		out = append(out, s[i])
	}
	return out
}

const (
	clientCols    = `c.id, c.first_name, c.last_name, c.email, c.phone, c.address, c.origin_account, c.home_account, c.created_at, c.version`
	qCandidatesBy = `SELECT ` + clientCols + ` FROM vetshare.clients c
		WHERE c.owner_id = $1 AND c.%[1]s >= $3 AND c.%[1]s < $4
		  AND NOT EXISTS (SELECT 1 FROM vetshare.client_entries e WHERE e.owner_id = $1 AND e.account_id = $2 AND e.client_id = c.id)
		  AND EXISTS (SELECT 1 FROM vetshare.client_entries e WHERE e.owner_id = $1 AND e.client_id = c.id AND e.account_id = ANY ($5))
		ORDER BY c.%[1]s, c.id LIMIT $6`
	qEntriesOf = `SELECT e.client_id, e.account_id, a.name FROM unnest($2::text[]) WITH ORDINALITY AS j (id, n)
		JOIN vetshare.client_entries e ON e.owner_id = $1 AND e.client_id = j.id
		JOIN vetshare.accounts a ON a.owner_id = $1 AND a.id = e.account_id
		ORDER BY j.n, e.created_at, e.seq`
	qPatientsOf = `SELECT p.client_id, p.id, p.name, p.species FROM vetshare.patients p WHERE p.owner_id = $1 AND p.client_id = ANY ($2)
		ORDER BY p.client_id, p.created_at, p.name, p.id`
)

var (
	qCandidatesName  = fmt.Sprintf(qCandidatesBy, "name_key")
	qCandidatesFirst = fmt.Sprintf(qCandidatesBy, "first_key")
)

// candidates: sharing.Candidates for a 3-letter prefix in an account of the big owner's
// 10-account manual group, the first 10 with their accounts and patients.
func (e *env) candidates() *workload {
	o := e.m.Owners[e.m.Big]
	actor := func(i int) vetshare.Actor { return o.Actor(i % 10) }
	prefixes := gen.Prefixes()
	prefix := func(i int) string { return prefixes[(i/10)%len(prefixes)] }
	return &workload{
		name: "candidates-prefix3", desc: fmt.Sprintf("sharing.Candidates, 3-letter prefix, first 10, %d clients in a 10-account manual group", o.Clients),
		iters: e.n(2000), warm: 50,
		op: func(ctx context.Context, i int) (int, error) {
			var n int
			return n, e.st.View(ctx, func(tx *vetshare.Tx) error {
				cs, _, err := sharing.Candidates(ctx, tx, actor(i), prefix(i), vetshare.Page{Limit: 10})
				n = len(cs)
				return err
			})
		},
		base: func(ctx context.Context, i int) (int, error) {
			a, typed := actor(i), vetshare.FoldName(prefix(i))
			var n int
			return n, e.p.view(ctx, func(q *ptx) error {
				if _, _, err := q.actor(a); err != nil {
					return err
				}
				_, _, members, err := q.group(a.Account)
				if err != nil {
					return err
				}
				var from []string
				for _, m := range members {
					if m != a.Account {
						from = append(from, string(m))
					}
				}
				var ids []string
				seen := map[string]bool{}
				for _, query := range []string{qCandidatesName, qCandidatesFirst} {
					err := q.each(query, []any{q.owner, a.Account, typed, typed + "\U0010FFFF", from, 10}, func(r pgx.Rows) error {
						var c vetshare.Client
						var created int64
						if err := r.Scan(&c.ID, &c.FirstName, &c.LastName, &c.Email, &c.Phone, &c.Address, &c.OriginAccount, &c.HomeAccount, &created, &c.Version); err != nil {
							return err
						}
						if !seen[string(c.ID)] && len(ids) < 10 {
							seen[string(c.ID)] = true
							ids = append(ids, string(c.ID))
						}
						return nil
					})
					if err != nil {
						return err
					}
					if len(ids) >= 10 {
						break
					}
				}
				if len(ids) == 0 {
					return nil
				}
				accounts := map[string][]string{}
				err = q.each(qEntriesOf, []any{q.owner, ids}, func(r pgx.Rows) error {
					var c, acct, name string
					if err := r.Scan(&c, &acct, &name); err != nil {
						return err
					}
					if slices.Contains(members, vetshare.AccountID(acct)) {
						accounts[c] = append(accounts[c], name)
					}
					return nil
				})
				if err != nil {
					return err
				}
				patients := map[string][]string{}
				err = q.each(qPatientsOf, []any{q.owner, ids}, func(r pgx.Rows) error {
					var c, id, name, species string
					err := r.Scan(&c, &id, &name, &species)
					patients[c] = append(patients[c], name)
					return err
				})
				n = len(ids)
				return err
			})
		},
	}
}

const (
	qPatientIn = `SELECT p.client_id FROM vetshare.patients p
		JOIN vetshare.client_entries e ON e.owner_id = $1 AND e.client_id = p.client_id AND e.account_id = $2
		WHERE p.owner_id = $1 AND p.id = $3`
	qRecords = `SELECT r.id, r.patient_id, r.account_id, r.user_id, r.kind, r.text, r.item_id, r.quantity, r.given_at, r.created_at,
		r.removed_at, r.removed_by, r.removed_account, r.removed_reason
		FROM vetshare.records r WHERE r.owner_id = $1 AND r.patient_id = $2 AND r.removed_at IS NULL ORDER BY r.given_at, r.seq LIMIT $3`
)

// history: records.History, first page, of a patient of the 10-account automatic group, read
// from an account other than the one that created it.
func (e *env) history() *workload {
	o := e.m.Owners[e.m.Auto]
	ref := func(i int) (vetshare.Actor, vetshare.PatientID) {
		h := e.m.History[i%len(e.m.History)]
		return staff(o, (h.Origin+1+i%9)%10), h.Patient
	}
	return &workload{
		name: "history-non-origin", desc: "records.History (first page) of a patient, from an account that did not create it",
		iters: e.n(3000), warm: 50,
		op: func(ctx context.Context, i int) (int, error) {
			a, p := ref(i)
			var n int
			return n, e.st.View(ctx, func(tx *vetshare.Tx) error {
				rs, _, err := records.History(ctx, tx, a, records.HistoryQuery{Patient: p}, vetshare.Page{})
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
				if err := q.row(qPatientIn, []any{q.owner, a.Account, p}, &client); err != nil {
					return err
				}
				err := q.each(qRecords, []any{q.owner, p, 101}, func(rows pgx.Rows) error {
					var r vetshare.Record
					var item, by, acct, reason *string
					var given, created int64
					var removed *int64
					n++
					return rows.Scan(&r.ID, &r.PatientID, &r.AccountID, &r.UserID, &r.Kind, &r.Text, &item, &r.Quantity, &given, &created,
						&removed, &by, &acct, &reason)
				})
				n = min(n, 100)
				return err
			})
		},
	}
}
