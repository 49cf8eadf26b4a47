package reports_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/reports"
	"github.com/vetshare/vetshare/sqlite"
)

// The benchmark store: 1,000,000 clients of one owner in ten accounts. Account "big" has
// 100,000 client entries, account "small" 10,000, and the eight others share the rest. Every
// client has a patient (a third of big's and small's have two); big's and small's clients have
// three records each at their account (one in ten of the latest removed) and two invoices (one
// paid, one open or void); the others one record each. Visits are spread over three years
// before the as-of date, so every report has rows. big and small are in a share group, so rows
// carry the home location.
const (
	benchClients = 1_000_000
	benchBig     = 100_000
	benchSmall   = 10_000
)

var (
	benchOnce  sync.Once
	benchDir   string
	benchStore *sqlite.Store
	benchRead  *sql.DB // a read pool like the store's, for the plain-SQL baseline
	benchErr   error
	benchAsOf  = vetshare.Date{Year: 2026, Month: 6, Day: 15}
)

func TestMain(m *testing.M) {
	code := m.Run()
	if benchRead != nil {
		benchRead.Close()
	}
	if benchStore != nil {
		benchStore.Close()
	}
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// benchID returns a valid id (see vetshare.ValidID) that starts with prefix.
func benchID(prefix string, i int) string { return fmt.Sprintf("%s%0*d", prefix, 26-len(prefix), i) }

var (
	benchOwner = vetshare.OwnerID(benchID("0B", 0))
	benchUser  = vetshare.UserID(benchID("0D", 0))
	bigAcct    = vetshare.AccountID(benchID("0A", 0))
	smallAcct  = vetshare.AccountID(benchID("0A", 1))
)

// benchData builds the benchmark store once per run, with plain SQL in one transaction.
func benchData(b *testing.B) *sqlite.Store {
	b.Helper()
	benchOnce.Do(func() {
		start := time.Now()
		benchDir, benchErr = os.MkdirTemp("", "vetshare-reports-bench-")
		if benchErr != nil {
			return
		}
		ctx := context.Background()
		benchStore, benchErr = sqlite.Open(ctx, filepath.Join(benchDir, "bench.db"))
		if benchErr != nil {
			return
		}
		if benchErr = buildBench(ctx, benchStore); benchErr != nil {
			return
		}
		benchRead, benchErr = sql.Open("sqlite", sqlite.DSN(filepath.Join(benchDir, "bench.db"), false))
		if benchErr == nil {
			benchErr = warm(filepath.Join(benchDir, "bench.db"))
		}
		b.Logf("built the benchmark store of %d clients in %v", benchClients, time.Since(start).Round(time.Second))
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchStore
}

func buildBench(ctx context.Context, s *sqlite.Store) error {
	asOf := benchAsOf.AddDays(1).Start(time.UTC).UnixMicro()
	base := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
	const day = int64(24 * time.Hour / time.Microsecond)
	tx, err := s.DB().BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// acct(i) is the account of client i: 0 big, 1 small, 2..9 the others.
	const acct = `printf('0A%024d', CASE WHEN i < 100000 THEN 0 WHEN i < 110000 THEN 1 ELSE 2 + i % 8 END)`
	const number = `(CASE WHEN i < 100000 THEN i + 1 WHEN i < 110000 THEN i - 100000 + 1 ELSE (i - 110000) / 8 + 1 END)`
	const seq = `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?1 - 1) `
	// last is the day offset of client i's last visit before the as-of date: 0 to 1,099 days.
	const last = `((i * 7) % 1100)`
	stmts := []struct {
		q    string
		args []any
	}{
		{`INSERT INTO vetshare_owners (id, name, task_sharing, created_at) VALUES (?, 'Bench', 0, ?)`, []any{benchOwner, base}},
		{`INSERT INTO vetshare_users (id, name, email, email_verified, active, created_at) VALUES (?, 'Dana', 'dana@bench.example', 1, 1, ?)`,
			[]any{benchUser, base}},
		{`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 9)
		INSERT INTO vetshare_accounts (id, owner_id, name, email, email_verified, time_zone, currency, created_at)
		SELECT printf('0A%024d', i), ?1, 'Clinic ' || i, 'c' || i || '@bench.example', 1, 'America/Chicago', 'USD', ?2 FROM n`,
			[]any{benchOwner, base}},
		{`INSERT INTO vetshare_memberships (user_id, account_id, role, permissions, active) SELECT ?1, id, 'admin', 0, 1 FROM vetshare_accounts`, []any{benchUser}},
		{`INSERT INTO vetshare_share_groups (id, owner_id, mode, created_at) VALUES (?1, ?2, 'manual', ?3)`, []any{benchID("G", 0), benchOwner, base}},
		{`INSERT INTO vetshare_group_members (group_id, account_id, joined_at) VALUES (?1, ?2, ?4), (?1, ?3, ?4)`,
			[]any{benchID("G", 0), bigAcct, smallAcct, base}},
		{seq + `INSERT INTO vetshare_clients (id, owner_id, first_name, last_name, name_key, first_key, email, phone, address,
			origin_account, home_account, created_at, updated_at, version)
		SELECT printf('C%025d', i), ?2, 'First' || i, 'Last' || i, 'last' || i || ', first' || i, 'first' || i,
			'client' || i || '@mail.example', '555-' || i, i || ' Main Street', ` + acct + `, ` + acct + `,
			?3 + (i % 100000) * 1500000000, ?3 + (i % 100000) * 1500000000, 1 FROM n`,
			[]any{benchClients, benchOwner, base}},
		{seq + `INSERT INTO vetshare_client_entries (account_id, client_id, number, via, created_at)
		SELECT ` + acct + `, printf('C%025d', i), ` + number + `, 'created', ?2 + (i % 100000) * 1500000000 FROM n`,
			[]any{benchClients, base}},
		{seq + `INSERT INTO vetshare_patients (id, client_id, name, species, breed, birth_date, origin_account, created_by, created_at)
		SELECT printf('P%025d', i), printf('C%025d', i), 'Rex' || i, 'dog', '', NULL, ` + acct + `, ?2, ?3 FROM n`,
			[]any{benchClients, benchUser, base}},
		{seq + `INSERT INTO vetshare_patients (id, client_id, name, species, breed, birth_date, origin_account, created_by, created_at)
		SELECT printf('Q%025d', i), printf('C%025d', i), 'Tom' || i, 'cat', '', NULL, ` + acct + `, ?2, ?3 FROM n WHERE i % 3 = 0`,
			[]any{benchBig + benchSmall, benchUser, base}},
		// Three records per client of big and small: the last visit, 90 days before (on the
		// second patient where there is one) and 400 days before; one in ten last visits removed.
		{seq + `, k(j, off) AS (VALUES (0, 0), (1, 90), (2, 400))
		INSERT INTO vetshare_records (id, patient_id, account_id, user_id, kind, text, item_id, quantity, created_at, removed_at, removed_by,
			removed_account, removed_reason, given_at, seq)
		SELECT printf('R%d%024d', j, i), CASE WHEN j = 1 AND i % 3 = 0 THEN printf('Q%025d', i) ELSE printf('P%025d', i) END,
			` + acct + `, ?2, 'note', 'exam', NULL, 0, ?3 - (` + last + ` + off) * ?4,
			CASE WHEN j = 0 AND i % 10 = 0 THEN ?3 END, CASE WHEN j = 0 AND i % 10 = 0 THEN ?2 END,
			CASE WHEN j = 0 AND i % 10 = 0 THEN ` + acct + ` END, CASE WHEN j = 0 AND i % 10 = 0 THEN 'wrong patient' END,
			?3 - (` + last + ` + off) * ?4, 3 * i + j + 1
		FROM n, k`, []any{benchBig + benchSmall, benchUser, asOf, day}},
		{`WITH RECURSIVE n(i) AS (SELECT 110000 UNION ALL SELECT i + 1 FROM n WHERE i < ?1 - 1)
		INSERT INTO vetshare_records (id, patient_id, account_id, user_id, kind, text, item_id, quantity, created_at, given_at, seq)
		SELECT printf('R9%024d', i), printf('P%025d', i), ` + acct + `, ?2, 'note', 'exam', NULL, 0, ?3 - ` + last + ` * ?4,
			?3 - ` + last + ` * ?4, 10000000 + i FROM n`,
			[]any{benchClients, benchUser, asOf, day}},
		// Two invoices per client of big and small: one paid five days after it was issued, 10
		// days before the last visit; one open (void for one in five) issued up to 700 days back.
		{seq + `INSERT INTO vetshare_invoices (id, account_id, client_id, number, status, currency, total, paid, issued_at, paid_at, voided_at,
			created_by, note)
		SELECT printf('I%025d', i), ` + acct + `, printf('C%025d', i), 2 * ` + number + `, 'paid', 'USD', 5000, 5000,
			?3 - (` + last + ` + 10) * ?4, ?3 - (` + last + ` + 5) * ?4, NULL, ?2, '' FROM n`,
			[]any{benchBig + benchSmall, benchUser, asOf, day}},
		{seq + `INSERT INTO vetshare_invoices (id, account_id, client_id, number, status, currency, total, paid, issued_at, paid_at, voided_at,
			created_by, note)
		SELECT printf('J%025d', i), ` + acct + `, printf('C%025d', i), 2 * ` + number + ` + 1,
			CASE WHEN i % 5 = 0 THEN 'void' ELSE 'open' END, 'USD', 3000, 0,
			?3 - ((i * 13) % 700) * ?4, NULL, CASE WHEN i % 5 = 0 THEN ?3 END, ?2, '' FROM n`,
			[]any{benchBig + benchSmall, benchUser, asOf, day}},
	}
	for _, st := range stmts {
		if _, err := tx.ExecContext(ctx, st.q, st.args...); err != nil {
			return fmt.Errorf("%.80s: %w", st.q, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	// Move the write-ahead log into the database file, as a host's store would be between
	// bulk loads.
	_, err = s.DB().ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return err
}

// warm reads the database file once, so that the first benchmark does not pay for loading it
// into the system's cache and the baseline compares with the reports on equal terms.
func warm(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(io.Discard, f)
	return err
}

// heapPeak samples the heap in use while a report runs, to show that its memory does not grow
// with its rows. peak is the most HeapInuse rose above its level before the run, sampled every
// 1,024 rows (it includes garbage the collector has not yet taken, so it is bounded by the
// pacer's target, not by the rows); live is the most the heap held after a collection, sampled
// the same way in one extra, untimed run.
type heapPeak struct {
	gc         bool // collect before each sample: measures live memory
	base, peak uint64
	ms         runtime.MemStats
}

func (h *heapPeak) start() {
	runtime.GC()
	runtime.ReadMemStats(&h.ms)
	h.base, h.peak = h.ms.HeapInuse, h.ms.HeapInuse
}

func (h *heapPeak) sample() {
	if h.gc {
		runtime.GC()
	}
	runtime.ReadMemStats(&h.ms)
	h.peak = max(h.peak, h.ms.HeapInuse)
}

// measure runs run once to warm the caches, then in b.Loop, then once more collecting at every
// sample, and reports rows/op, peak-heap-B and live-heap-B. run calls sample every 1,024 rows
// and returns the rows it read.
func measure(b *testing.B, run func(sample func()) (int, error)) {
	if _, err := run(func() {}); err != nil {
		b.Fatal(err)
	}
	var h heapPeak
	n := 0
	for b.Loop() {
		h.start()
		var err error
		if n, err = run(h.sample); err != nil {
			b.Fatal(err)
		}
	}
	peak := h.peak - h.base
	live := heapPeak{gc: true}
	live.start()
	if _, err := run(live.sample); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(n), "rows/op")
	b.ReportMetric(float64(peak), "peak-heap-B")
	b.ReportMetric(float64(live.peak-live.base), "live-heap-B")
}

// BenchmarkReports runs each report over the account of 100,000 client entries and the one of
// 10,000, in the store of 1,000,000 clients, with a plain-SQL baseline that only lists the
// account's entries with their clients, and the Inactive list written as CSV. The period of
// the "new" reports covers every entry. The heap metrics (see heapPeak) stay the same from
// 10,000 rows to 100,000.
//
//	go test ./reports -run '^$' -bench Reports -benchtime 3x
func BenchmarkReports(b *testing.B) {
	s := benchData(b)
	ctx := context.Background()
	sizes := []struct {
		name string
		acct vetshare.AccountID
	}{{"entries=100k", bigAcct}, {"entries=10k", smallAcct}}
	for _, size := range sizes {
		actor := vetshare.Actor{User: benchUser, Account: size.acct}
		b.Run("baseline/"+size.name, func(b *testing.B) {
			measure(b, func(sample func()) (int, error) {
				tx, err := benchRead.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
				if err != nil {
					return 0, err
				}
				defer tx.Rollback()
				rows, err := tx.QueryContext(ctx, `SELECT e.number, c.first_name, c.last_name, c.email, c.phone, c.address,
					e.created_at, c.home_account FROM vetshare_client_entries e JOIN vetshare_clients c ON c.id = e.client_id
					WHERE e.account_id = ? ORDER BY e.number`, size.acct)
				if err != nil {
					return 0, err
				}
				defer rows.Close()
				var num, created int64
				var first, last, email, phone, addr, home string
				n := 0
				for rows.Next() {
					if err := rows.Scan(&num, &first, &last, &email, &phone, &addr, &created, &home); err != nil {
						return n, err
					}
					if n++; n%1024 == 0 {
						sample()
					}
				}
				return n, rows.Err()
			})
		})
		for _, kind := range vetshare.ReportKinds() {
			p := vetshare.ReportParams{Kind: kind, AsOf: benchAsOf, PeriodFrom: vetshare.Date{Year: 2021, Month: 1, Day: 1}, PeriodTo: benchAsOf}
			b.Run(string(kind)+"/"+size.name, func(b *testing.B) {
				measure(b, func(sample func()) (n int, err error) {
					err = s.View(ctx, func(tx *vetshare.Tx) error {
						r, err := reports.Open(ctx, tx, actor, p)
						if err != nil {
							return err
						}
						for _, err := range r.Rows(ctx) {
							if err != nil {
								return err
							}
							if n++; n%1024 == 0 {
								sample()
							}
						}
						return nil
					})
					return n, err
				})
			})
		}
		b.Run("csv-new-clients/"+size.name, func(b *testing.B) {
			p := vetshare.ReportParams{Kind: vetshare.ReportNewClients, PeriodFrom: vetshare.Date{Year: 2021, Month: 1, Day: 1}, PeriodTo: benchAsOf}
			measure(b, func(sample func()) (n int, err error) {
				err = s.View(ctx, func(tx *vetshare.Tx) error {
					n, err = reports.WriteCSV(ctx, tx, actor, p, &sampler{w: io.Discard, sample: sample})
					return err
				})
				return n, err
			})
		})
	}
}

// sampler samples the heap every 64 writes the CSV writer flushes (4 KiB each, about 1,000 rows).
type sampler struct {
	w      io.Writer
	sample func()
	n      int
}

func (s *sampler) Write(p []byte) (int, error) {
	if s.n++; s.n%64 == 0 {
		s.sample()
	}
	return s.w.Write(p)
}
