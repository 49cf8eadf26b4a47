package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/txn"
	"github.com/vetshare/vetshare/postgres"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// world is an owner with one account and a user, written with driver methods.
type world struct {
	owner   vetshare.OwnerID
	account vetshare.AccountID
	user    vetshare.UserID
}

func newWorld(t *testing.T, s *postgres.Store) world {
	t.Helper()
	w := world{owner: vetshare.NewID[vetshare.OwnerID](t0), account: vetshare.NewID[vetshare.AccountID](t0), user: vetshare.NewID[vetshare.UserID](t0)}
	ctx := context.Background()
	err := s.Update(ctx, func(tx *vetshare.Tx) error {
		d := txn.D(tx)
		if err := d.InsertOwner(ctx, vetshare.Owner{ID: w.owner, Name: "Owner", CreatedAt: t0}); err != nil {
			return err
		}
		if err := d.InsertUser(ctx, vetshare.User{ID: w.user, Name: "U", Email: "u@x.example", Active: true, CreatedAt: t0}); err != nil {
			return err
		}
		return d.InsertAccount(ctx, vetshare.Account{ID: w.account, OwnerID: w.owner, Name: "Clinic", Email: "c@x.example",
			TimeZone: "UTC", Currency: "USD", CreatedAt: t0})
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// addClient inserts a client with its entry at w.account in tx and returns the entry's number.
func (w world) addClient(ctx context.Context, tx *vetshare.Tx, last string) (vetshare.ClientID, int64, error) {
	d := txn.D(tx)
	c := vetshare.Client{ID: vetshare.NewID[vetshare.ClientID](tx.Now()), OwnerID: w.owner, LastName: last, FirstName: "F",
		OriginAccount: w.account, HomeAccount: w.account, CreatedAt: t0, UpdatedAt: t0, Version: 1}
	if err := d.InsertClient(ctx, c); err != nil {
		return "", 0, err
	}
	e := vetshare.ClientEntry{AccountID: w.account, ClientID: c.ID, Via: vetshare.ViaCreated, CreatedAt: t0}
	err := d.InsertClientEntry(ctx, &e)
	return c.ID, e.Number, err
}

// 8 writers × 500 transactions on one account's client numbers: every number from 1 to 4000
// exactly once, whatever the interleaving, and a rolled-back transaction gives its number back.
func TestClientNumbersConcurrent(t *testing.T) {
	s := MustOpen(t)
	w := newWorld(t, s)
	ctx := context.Background()
	const writers, ops = 8, 500
	var mu sync.Mutex
	var numbers []int64
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	rollback := errors.New("rolled back on purpose")
	for g := range writers {
		wg.Go(func() {
			for i := range ops {
				var n int64
				err := s.Update(ctx, func(tx *vetshare.Tx) error {
					var err error
					_, n, err = w.addClient(ctx, tx, fmt.Sprintf("W%d-%d", g, i))
					if err == nil && i%50 == 7 {
						return rollback // the number is given back
					}
					return err
				})
				if errors.Is(err, rollback) {
					continue
				}
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				numbers = append(numbers, n)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	slices.Sort(numbers)
	gaps, dups := 0, 0
	for i, n := range numbers {
		if i > 0 && n == numbers[i-1] {
			dups++
		} else if want := int64(i + 1 - dups); n != want {
			gaps++
		}
	}
	want := writers * (ops - ops/50)
	if len(numbers) != want || gaps != 0 || dups != 0 || numbers[len(numbers)-1] != int64(want) {
		t.Errorf("%d numbers (want %d), %d gaps, %d duplicates, highest %d", len(numbers), want, gaps, dups, numbers[len(numbers)-1])
	}
	t.Logf("%d numbers, 0 gaps, 0 duplicates", len(numbers))
}

// 8 goroutines edit one client, each re-reading it and retrying when the version moved on: no
// update is lost, and no error but the documented version conflict is met.
func TestSharedClientNoLostUpdates(t *testing.T) {
	s := MustOpen(t)
	w := newWorld(t, s)
	ctx := context.Background()
	var id vetshare.ClientID
	if err := s.Update(ctx, func(tx *vetshare.Tx) (err error) { id, _, err = w.addClient(ctx, tx, "Shared"); return err }); err != nil {
		t.Fatal(err)
	}
	const editors, edits = 8, 50
	var wg sync.WaitGroup
	var mu sync.Mutex
	conflicts := 0
	errs := make(chan error, editors)
	for range editors {
		wg.Go(func() {
			for range edits {
				for {
					err := s.Update(ctx, func(tx *vetshare.Tx) error {
						d := txn.D(tx)
						c, err := d.Client(ctx, w.account, id)
						if err != nil {
							return err
						}
						n, _ := strconv.Atoi(c.Address)
						c.Address = strconv.Itoa(n + 1)
						return d.UpdateClient(ctx, c)
					})
					var ce *vetshare.ConflictError
					if errors.As(err, &ce) {
						mu.Lock()
						conflicts++
						mu.Unlock()
						continue
					}
					if err != nil {
						errs <- err
						return
					}
					break
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	err := s.View(ctx, func(tx *vetshare.Tx) error {
		c, err := txn.D(tx).Client(ctx, w.account, id)
		if err != nil {
			return err
		}
		if c.Address != strconv.Itoa(editors*edits) || c.Version != 1+editors*edits {
			t.Errorf("after %d edits: count %s, version %d; want %d and %d", editors*edits, c.Address, c.Version, editors*edits, 1+editors*edits)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d edits, 0 lost, %d version conflicts retried", editors*edits, conflicts)
}

// A host's transaction holds its own rows and vetshare's: commit keeps both, rollback neither.
func TestHostTx(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, s.Pool().Config().ConnConfig.ConnString())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE TEMP TABLE host_orders (id text PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	for _, commit := range []bool{true, false} {
		t.Run(map[bool]string{true: "Commit", false: "Rollback"}[commit], func(t *testing.T) {
			owner := vetshare.NewID[vetshare.OwnerID](t0)
			tx, err := conn.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tx.Exec(ctx, "INSERT INTO host_orders (id) VALUES ($1)", string(owner)); err != nil {
				t.Fatal(err)
			}
			vt, err := s.Tx(ctx, tx)
			if err != nil {
				t.Fatal(err)
			}
			if err := txn.D(vt).InsertOwner(ctx, vetshare.Owner{ID: owner, Name: "Host's", CreatedAt: t0}); err != nil {
				t.Fatal(err)
			}
			if commit {
				err = tx.Commit(ctx)
			} else {
				err = tx.Rollback(ctx)
			}
			if err != nil {
				t.Fatal(err)
			}
			var host int
			if err := conn.QueryRow(ctx, "SELECT count(*) FROM host_orders WHERE id = $1", string(owner)).Scan(&host); err != nil {
				t.Fatal(err)
			}
			err = s.View(ctx, func(tx *vetshare.Tx) error {
				_, err := txn.D(tx).Owner(ctx, owner)
				return err
			})
			if commit && (host != 1 || err != nil) {
				t.Errorf("after commit: host rows %d, vetshare's owner: %v; want both", host, err)
			}
			if !commit && (host != 0 || !errors.Is(err, vetshare.ErrNotFound)) {
				t.Errorf("after rollback: host rows %d, vetshare's owner: %v; want neither", host, err)
			}
		})
	}
}

// A context cancelled while the transaction runs leaves nothing written and returns its error.
func TestCancelledUpdate(t *testing.T) {
	s := MustOpen(t)
	w := newWorld(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	var id vetshare.ClientID
	err := s.Update(ctx, func(tx *vetshare.Tx) (err error) {
		if id, _, err = w.addClient(ctx, tx, "Gone"); err != nil {
			return err
		}
		cancel()
		_, _, err = w.addClient(ctx, tx, "Never")
		return err
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Update: %v, want context.Canceled", err)
	}
	bg := context.Background()
	err = s.View(bg, func(tx *vetshare.Tx) error {
		_, err := txn.D(tx).Client(bg, w.account, id)
		return err
	})
	if !errors.Is(err, vetshare.ErrNotFound) {
		t.Errorf("the client written before the cancellation: %v, want not found", err)
	}
}

// Writers of different owners never wait on each other: one owner's transaction holding its
// account's client counter does not hold up another owner's.
func TestOwnersDoNotWait(t *testing.T) {
	s := MustOpen(t)
	a, b := newWorld(t, s), newWorld(t, s)
	ctx := context.Background()
	holding, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- s.Update(ctx, func(tx *vetshare.Tx) error {
			if _, _, err := a.addClient(ctx, tx, "Holder"); err != nil {
				return err
			}
			close(holding)
			<-release
			return nil
		})
	}()
	<-holding
	wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	err := s.Update(wctx, func(tx *vetshare.Tx) error { _, _, err := b.addClient(wctx, tx, "Other"); return err })
	close(release)
	if err != nil {
		t.Errorf("a writer of another owner, while the first holds its counter: %v", err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
