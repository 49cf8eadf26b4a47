package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
	"github.com/vetshare/vetshare/internal/fixture"
	"github.com/vetshare/vetshare/internal/txn"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/sharing"
	"github.com/vetshare/vetshare/sqlite"
)

var bctx = context.Background()

// percentiles reports p50 and p99 of the durations as metrics.
func percentiles(b *testing.B, ds []time.Duration) {
	if len(ds) == 0 {
		return
	}
	slices.Sort(ds)
	b.ReportMetric(float64(ds[len(ds)/2].Nanoseconds())/1e3, "p50-µs")
	b.ReportMetric(float64(ds[len(ds)*99/100].Nanoseconds())/1e3, "p99-µs")
}

// BenchmarkCreateClientAutomatic10 creates a client in an automatic group of 10 accounts (one
// client row, ten entries, one audit row), against a baseline writing the same rows with plain
// SQL in one transaction.
func BenchmarkCreateClientAutomatic10(b *testing.B) {
	f := fixture.New(b, fixture.Options{Accounts: 10, Mode: vetshare.ModeAutomatic})
	b.Run("op", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			f.Update(b, func(tx *vetshare.Tx) error {
				_, _, err := records.CreateClient(bctx, tx, f.Actor(i%10), vetshare.Client{LastName: "Bench", FirstName: fmt.Sprint(i)})
				return err
			})
		}
	})
	b.Run("baseline", func(b *testing.B) {
		db := f.SQLite.DB()
		ids := f.AccountIDs()
		for i := 0; b.Loop(); i++ {
			now := time.Now()
			tx := begin(b, db)
			id := vetshare.NewID[vetshare.ClientID](now)
			us := now.UnixMicro()
			must(b, tx, `INSERT INTO vetshare_clients (id, owner_id, first_name, last_name, name_key, first_key, email, phone, address, origin_account, home_account, created_at, updated_at, version)
				VALUES (?, ?, ?, 'Bench', ?, ?, '', '', '', ?, ?, ?, ?, 1)`, id, f.Owner.ID, fmt.Sprint(i), "bench, "+fmt.Sprint(i), fmt.Sprint(i), ids[0], ids[0], us, us)
			for _, a := range ids {
				must(b, tx, entryInsert, a, id, "automatic", us)
			}
			auditRow(b, tx, f.Owner.ID, us)
			commit(b, tx)
		}
	})
}

// entryInsert is a client entry with the account's next number, as a baseline writes it.
const entryInsert = `INSERT INTO vetshare_client_entries (account_id, client_id, number, via, created_at)
	SELECT ?1, ?2, COALESCE(MAX(number), 0) + 1, ?3, ?4 FROM vetshare_client_entries WHERE account_id = ?1`

// prepared holds the baselines' statements, prepared once on the pool as the store does, so the
// baselines pay no more per statement than the operations.
var prepared sync.Map // map[*sql.DB]map[string]*sql.Stmt, keyed by db then query

func stmt(b *testing.B, tx *sql.Tx, q string) *sql.Stmt {
	b.Helper()
	db := txDB[tx]
	m, _ := prepared.LoadOrStore(db, &sync.Map{})
	if st, ok := m.(*sync.Map).Load(q); ok {
		return tx.StmtContext(bctx, st.(*sql.Stmt))
	}
	st, err := tx.PrepareContext(bctx, q) // first use: on the transaction; the pool copy comes after commit
	if err != nil {
		b.Fatal(err)
	}
	pendingPrep = append(pendingPrep, [2]any{db, q})
	return st
}

var (
	txDB        = map[*sql.Tx]*sql.DB{}
	pendingPrep [][2]any
)

// begin starts a baseline transaction on db.
func begin(b *testing.B, db *sql.DB) *sql.Tx {
	b.Helper()
	tx, err := db.BeginTx(bctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	txDB[tx] = db
	return tx
}

// commit commits a baseline transaction and prepares on the pool what it prepared for itself.
func commit(b *testing.B, tx *sql.Tx) {
	b.Helper()
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	delete(txDB, tx)
	for _, p := range pendingPrep {
		db, q := p[0].(*sql.DB), p[1].(string)
		st, err := db.Prepare(q)
		if err != nil {
			b.Fatal(err)
		}
		m, _ := prepared.Load(db)
		m.(*sync.Map).Store(q, st)
	}
	pendingPrep = nil
}

func must(b *testing.B, tx *sql.Tx, q string, args ...any) {
	b.Helper()
	if _, err := stmt(b, tx, q).ExecContext(bctx, args...); err != nil {
		b.Fatal(err)
	}
}

func auditRow(b *testing.B, tx *sql.Tx, owner vetshare.OwnerID, us int64) {
	b.Helper()
	var seq int64
	var prev []byte
	err := stmt(b, tx, `SELECT seq, hash FROM vetshare_audit_log WHERE owner_id = ? ORDER BY seq DESC LIMIT 1`).QueryRowContext(bctx, owner).Scan(&seq, &prev)
	if err != nil && err != sql.ErrNoRows {
		b.Fatal(err)
	}
	e := vetshare.AuditEntry{OwnerID: owner, Seq: seq + 1, At: time.UnixMicro(us), Action: "client.share", Subject: "bench", Outcome: "ok", Detail: "{}", PrevHash: prev}
	must(b, tx, `INSERT INTO vetshare_audit_log (owner_id, seq, at, user_id, account_id, action, subject, outcome, detail, prev_hash, hash) VALUES (?, ?, ?, '', '', ?, ?, ?, ?, ?, ?)`,
		owner, e.Seq, us, e.Action, e.Subject, e.Outcome, e.Detail, []byte{}, vetshare.AuditHash(e))
}

// shareFixture builds a manual group of two accounts and n clients at A, each with three
// patients of records records each, written with plain SQL for speed.
func shareFixture(b *testing.B, clients, recs int) (*fixture.Fixture, []vetshare.ClientID) {
	f := fixture.New(b, fixture.Options{Accounts: 2, Mode: vetshare.ModeManual})
	var ids []vetshare.ClientID
	f.Update(b, func(tx *vetshare.Tx) error {
		for i := range clients {
			c, _, err := records.CreateClient(bctx, tx, f.Actor(0), vetshare.Client{LastName: "Share", FirstName: fmt.Sprint(i)})
			if err != nil {
				return err
			}
			ids = append(ids, c.ID)
			for range 3 {
				if _, err := records.AddPatient(bctx, tx, f.Actor(0), vetshare.Patient{ClientID: c.ID, Name: "P", Species: "dog"}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	db := f.SQLite.DB()
	tx, err := db.BeginTx(bctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	// Three patients each get a record: ids differ by the patient id suffix; given when
	// recorded, and numbered in the recording order (R12.4) after every record there is.
	st, err := tx.PrepareContext(bctx, `INSERT INTO vetshare_records (id, patient_id, account_id, user_id, kind, text, created_at, given_at, seq)
		SELECT ?1 || substr(p.id, 17), p.id, ?2, ?3, 'note', 'history', ?4, ?4,
			(SELECT coalesce(max(seq), 0) FROM vetshare_records) + row_number() OVER (ORDER BY p.id)
		FROM vetshare_patients p WHERE p.client_id = ?5`)
	if err != nil {
		b.Fatal(err)
	}
	t := fixture.Start()
	for _, c := range ids {
		for range recs {
			t = t.Add(time.Microsecond)
			if _, err := st.ExecContext(bctx, string(vetshare.NewID[vetshare.RecordID](t))[:16], f.Accounts[0].ID, f.Admin.ID, t.UnixMicro(), c); err != nil {
				b.Fatal(err)
			}
		}
	}
	st.Close()
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return f, ids
}

// BenchmarkShareClient shares a client with three patients into a second account, for small
// (10 records a patient) and huge (10,000) histories: sharing makes link rows and never copies
// records, so the two cost the same. The baseline writes the same link rows with plain SQL.
// Each iteration's entry is deleted again, outside the timer, so one client serves every
// iteration.
func BenchmarkShareClient(b *testing.B) {
	for _, recs := range []int{10, 10000} {
		f, ids := shareFixture(b, 1, recs)
		db := f.SQLite.DB()
		unshare := func() {
			b.StopTimer()
			if _, err := db.Exec(`DELETE FROM vetshare_client_entries WHERE account_id = ?`, f.Accounts[1].ID); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		b.Run(fmt.Sprintf("records=%d/op", recs), func(b *testing.B) {
			for b.Loop() {
				f.Update(b, func(tx *vetshare.Tx) error {
					_, err := sharing.ShareClient(bctx, tx, f.Actor(1), ids[0])
					return err
				})
				unshare()
			}
		})
		b.Run(fmt.Sprintf("records=%d/baseline", recs), func(b *testing.B) {
			for b.Loop() {
				us := time.Now().UnixMicro()
				tx := begin(b, db)
				must(b, tx, entryInsert, f.Accounts[1].ID, ids[0], "manual", us)
				auditRow(b, tx, f.Owner.ID, us)
				commit(b, tx)
				unshare()
			}
		})
	}
}

// BenchmarkHistoryNonOrigin reads a patient's 100 records from an account that is not the
// client's origin, against a baseline of the same SELECT in plain SQL.
func BenchmarkHistoryNonOrigin(b *testing.B) {
	f, ids := shareFixture(b, 1, 100)
	f.Update(b, func(tx *vetshare.Tx) error { _, err := sharing.ShareClient(bctx, tx, f.Actor(1), ids[0]); return err })
	var patient vetshare.PatientID
	f.View(b, func(tx *vetshare.Tx) error {
		ps, err := txn.D(tx).Patients(bctx, f.Accounts[1].ID, ids[0])
		patient = ps[0].ID
		return err
	})
	b.Run("op", func(b *testing.B) {
		for b.Loop() {
			f.View(b, func(tx *vetshare.Tx) error {
				rs, _, err := records.History(bctx, tx, f.Actor(1), records.HistoryQuery{Patient: patient}, vetshare.Page{})
				if len(rs) != 100 {
					b.Fatalf("%d records", len(rs))
				}
				return err
			})
		}
	})
	b.Run("baseline", func(b *testing.B) {
		db := f.SQLite.DB()
		for b.Loop() {
			rows, err := db.QueryContext(bctx, `SELECT r.id, r.patient_id, r.account_id, r.user_id, r.kind, r.text, r.item_id, r.quantity, r.created_at,
				r.removed_at, r.removed_by, r.removed_account, r.removed_reason FROM vetshare_records r JOIN vetshare_patients p ON p.id = r.patient_id
				JOIN vetshare_client_entries e ON e.client_id = p.client_id AND e.account_id = ? WHERE r.patient_id = ? AND r.removed_at IS NULL ORDER BY r.id LIMIT 100`,
				f.Accounts[1].ID, patient)
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for rows.Next() {
				var id, pid, acct, user, kind, text string
				var item, by, racct, reason sql.NullString
				var qty, created int64
				var removed sql.NullInt64
				rows.Scan(&id, &pid, &acct, &user, &kind, &text, &item, &qty, &created, &removed, &by, &racct, &reason)
				n++
			}
			rows.Close()
			if n != 100 {
				b.Fatalf("%d rows", n)
			}
		}
	})
}

var (
	bigOnce sync.Once
	big     fixture.Fixture // the data set's owner, accounts and admin; its store is reopened per benchmark
	bigErr  error
)

// candidatesFixture is a 10-account manual group whose accounts hold 1,000,000 clients between
// them (100,000 each, none shared), written with plain SQL in bulk and kept for the whole run.
func candidatesFixture(b *testing.B) *fixture.Fixture {
	bigOnce.Do(func() {
		dir, err := os.MkdirTemp("", "vetshare-bench-")
		if err != nil {
			bigErr = err
			return
		}
		f := fixture.New(b, fixture.Options{Accounts: 10, Mode: vetshare.ModeManual, Path: filepath.Join(dir, "candidates.db")})
		bigErr = bulkClients(f, 1_000_000)
		big = *f
	})
	if bigErr != nil {
		b.Fatal(bigErr)
	}
	f := big
	s, err := sqlite.Open(bctx, f.Path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	f.Store = s
	return &f
}

var lastNames = []string{"Smith", "Johnson", "Williams", "Brown", "Jones", "García", "Miller", "Davis", "Rodríguez", "Martínez",
	"Hernández", "López", "González", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Pérez",
	"Thompson", "White", "Harris", "Sánchez", "Clark", "Ramírez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King",
	"Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell",
	"Mitchell", "Carter", "Roberts", "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Dubois",
	"Lefèvre", "Moreau", "Laurent", "Simon", "Michel", "Ødegaard", "Johansson", "Nilsson", "Kowalski", "Nowak", "Novák"}
var firstNames = []string{"James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William", "Élodie",
	"David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen", "José", "María", "Zoë",
	"Chloé", "Noël", "André", "Søren", "Łukasz", "Ana", "Luis"}

func bulkClients(f *fixture.Fixture, n int) error {
	db := f.SQLite.DB()
	rng := rand.New(rand.NewPCG(1, 2))
	tx, err := db.BeginTx(bctx, nil)
	if err != nil {
		return err
	}
	ins, err := tx.PrepareContext(bctx, `INSERT INTO vetshare_clients (id, owner_id, first_name, last_name, name_key, first_key, email, phone, address, origin_account, home_account, created_at, updated_at, version)
		VALUES (?, ?, ?, ?, ?, ?, '', '', '', ?, ?, ?, ?, 1)`)
	if err != nil {
		return err
	}
	ent, err := tx.PrepareContext(bctx, `INSERT INTO vetshare_client_entries (account_id, client_id, number, via, created_at) VALUES (?, ?, ?, 'created', ?)`)
	if err != nil {
		return err
	}
	// The search keys the store's IndexClient writes, before the entry whose insert copies the
	// pair keys to the account (vetshare_account_keys).
	key, err := tx.PrepareContext(bctx, `INSERT INTO vetshare_client_keys (owner_id, key, client_id) VALUES (?, ?, ?)`)
	if err != nil {
		return err
	}
	t := fixture.Start().Add(-24 * time.Hour * 365)
	for i := range n {
		t = t.Add(time.Microsecond)
		a := f.Accounts[i%len(f.Accounts)].ID
		last, first := lastNames[rng.IntN(len(lastNames))], firstNames[rng.IntN(len(firstNames))]
		id := vetshare.NewID[vetshare.ClientID](t)
		if _, err := ins.ExecContext(bctx, id, f.Owner.ID, first, last, vetshare.NameKey(last, first), vetshare.FoldName(first), a, a, t.UnixMicro(), t.UnixMicro()); err != nil {
			return err
		}
		for _, k := range driver.ClientSearchKeys(vetshare.Client{FirstName: first, LastName: last}) {
			if _, err := key.ExecContext(bctx, f.Owner.ID, k, id); err != nil {
				return err
			}
		}
		if _, err := ent.ExecContext(bctx, a, id, i/len(f.Accounts)+1, t.UnixMicro()); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	_, err = db.ExecContext(bctx, `ANALYZE`)
	return err
}

// BenchmarkCandidates1M asks for manual-share candidates with 3-letter prefixes over 1,000,000
// clients in a 10-account group, reporting p50 and p99; the baseline is the same indexed prefix
// search in plain SQL. Run it with -benchtime=2000x; building the data takes a while.
func BenchmarkCandidates1M(b *testing.B) {
	if testing.Short() {
		b.Skip("builds 1,000,000 clients")
	}
	f := candidatesFixture(b)
	prefixes := []string{"smi", "gar", "mul", "mül", "lef", "ode", "now", "jos", "mar", "wil", "nov", "tho"}
	b.Run("op", func(b *testing.B) {
		var ds []time.Duration
		for i := 0; b.Loop(); i++ {
			start := time.Now()
			f.View(b, func(tx *vetshare.Tx) error {
				cs, _, err := sharing.Candidates(bctx, tx, f.Actor(i%10), prefixes[i%len(prefixes)], vetshare.Page{Limit: 10})
				if err == nil && len(cs) == 0 {
					b.Fatalf("no candidates for %q", prefixes[i%len(prefixes)])
				}
				return err
			})
			ds = append(ds, time.Since(start))
		}
		percentiles(b, ds)
	})
	b.Run("baseline", func(b *testing.B) {
		db := f.SQLite.DB()
		var ds []time.Duration
		for i := 0; b.Loop(); i++ {
			start := time.Now()
			p := vetshare.FoldName(prefixes[i%len(prefixes)])
			rows, err := db.QueryContext(bctx, `SELECT c.id, c.first_name, c.last_name FROM vetshare_clients c
				WHERE c.owner_id = ? AND c.name_key >= ? AND c.name_key < ? ORDER BY c.name_key LIMIT 10`, f.Owner.ID, p, p+"\xff")
			if err != nil {
				b.Fatal(err)
			}
			for rows.Next() {
				var id, fn, ln string
				rows.Scan(&id, &fn, &ln)
			}
			rows.Close()
			ds = append(ds, time.Since(start))
		}
		percentiles(b, ds)
	})
}
