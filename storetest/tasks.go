package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/txn"
)

func init() { Register("Tasks", testTasks) }

// testTasks checks the contract of [driver.TasksTx]: tasks round-trip, updates are
// versioned, lists select and order as [vetshare.TaskQuery] says and page by [vetshare.TaskKey].
func testTasks(t *testing.T, h Harness) {
	s := open(t, h)
	w := newWorld(t, s, 3)
	a, b, c := w.accounts[0].ID, w.accounts[1].ID, w.accounts[2].ID
	other := vetshare.User{ID: vetshare.NewID[vetshare.UserID](t0.Add(time.Second)), Name: "V", Email: "v@x.example", Active: true, CreatedAt: t0}
	var client vetshare.Client
	var patient vetshare.Patient
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		if err := txn.D(tx).InsertUser(ctx, other); err != nil {
			return err
		}
		var err error
		if client, err = w.client(ctx, tx, 0, "Rivera", "Ana"); err != nil {
			return err
		}
		patient = vetshare.Patient{ID: vetshare.NewID[vetshare.PatientID](t0), ClientID: client.ID, Name: "Rex", Species: "dog",
			OriginAccount: a, CreatedBy: w.user.ID, CreatedAt: t0}
		return txn.D(tx).InsertPatient(ctx, patient)
	})

	n := 0
	mk := func(acct vetshare.AccountID, assignee vetshare.UserID, due time.Time, p vetshare.Priority, st vetshare.TaskStatus) vetshare.Task {
		n++
		return vetshare.Task{
			ID: vetshare.NewID[vetshare.TaskID](t0.Add(time.Duration(n) * time.Millisecond)), AccountID: acct, Kind: vetshare.TaskMessage,
			Title: "task", Assignee: assignee, Due: due, Priority: p, Status: st, CreatedBy: w.user.ID, CreatedAt: t0, UpdatedAt: t0, Version: 1,
		}
	}
	full := mk(a, w.user.ID, t0.Add(time.Hour), vetshare.PriorityHigh, vetshare.TaskCompleted)
	full.Notes, full.ClientID, full.PatientID, full.CompletedAt = "notes", client.ID, patient.ID, t0.Add(time.Minute)
	full.Repeat = vetshare.RepeatRule{Every: 2, Unit: vetshare.RepeatWeek, Until: t0.AddDate(1, 0, 0)}
	full.Previous, full.Next = vetshare.NewID[vetshare.TaskID](t0), vetshare.NewID[vetshare.TaskID](t0)

	t.Run("RoundTrip", func(t *testing.T) {
		update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
			if err := txn.D(tx).InsertTask(ctx, full); err != nil {
				return err
			}
			got, err := txn.D(tx).Task(ctx, full.ID)
			if diff := cmp.Diff(full, got); diff != "" {
				t.Errorf("Task after InsertTask (-want +got):\n%s", diff)
			}
			wantErr(t, "InsertTask with a taken id", txn.D(tx).InsertTask(ctx, full), vetshare.ErrConflict)
			bad := mk(a, vetshare.NewID[vetshare.UserID](t0), time.Time{}, vetshare.PriorityLow, vetshare.TaskOpen)
			wantErr(t, "InsertTask with an unknown assignee", txn.D(tx).InsertTask(ctx, bad), vetshare.ErrNotFound)
			_, nf := txn.D(tx).Task(ctx, vetshare.NewID[vetshare.TaskID](t0))
			wantErr(t, "Task of an unknown id", nf, vetshare.ErrNotFound)
			return err
		})
	})

	t.Run("Update", func(t *testing.T) {
		update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
			u := full
			u.Title, u.Status, u.CompletedAt, u.Due, u.UpdatedAt = "changed", vetshare.TaskOpen, time.Time{}, time.Time{}, t0.Add(time.Hour)
			if err := txn.D(tx).UpdateTask(ctx, u); err != nil {
				return err
			}
			got, err := txn.D(tx).Task(ctx, full.ID)
			if err != nil {
				return err
			}
			u.Version = 2
			if diff := cmp.Diff(u, got); diff != "" {
				t.Errorf("Task after UpdateTask (-want +got):\n%s", diff)
			}
			var ce *vetshare.ConflictError
			if err := txn.D(tx).UpdateTask(ctx, full); !errors.As(err, &ce) || ce.Current != 2 {
				t.Errorf("UpdateTask from a stale version = %v, want a *ConflictError at version 2", err)
			}
			gone := mk(a, w.user.ID, time.Time{}, vetshare.PriorityLow, vetshare.TaskOpen)
			wantErr(t, "UpdateTask of an unknown task", txn.D(tx).UpdateTask(ctx, gone), vetshare.ErrNotFound)
			wantErr(t, "DeleteTask of an unknown task", txn.D(tx).DeleteTask(ctx, gone.ID), vetshare.ErrNotFound)
			if err := txn.D(tx).DeleteTask(ctx, full.ID); err != nil {
				return err
			}
			_, err = txn.D(tx).Task(ctx, full.ID)
			wantErr(t, "Task after DeleteTask", err, vetshare.ErrNotFound)
			return nil
		})
	})

	t.Run("Lists", func(t *testing.T) {
		me, you := w.user.ID, other.ID
		open, done := vetshare.TaskOpen, vetshare.TaskCompleted
		all := []vetshare.Task{
			mk(a, me, t0.Add(2*time.Hour), vetshare.PriorityLow, open),      // 0
			mk(b, me, t0.Add(time.Hour), vetshare.PriorityLow, open),        // 1
			mk(a, me, t0.Add(time.Hour), vetshare.PriorityUrgent, open),     // 2
			mk(c, me, t0, vetshare.PriorityNormal, vetshare.TaskInProgress), // 3
			mk(a, me, time.Time{}, vetshare.PriorityHigh, open),             // 4
			mk(a, you, t0, vetshare.PriorityLow, open),                      // 5
			mk(a, me, t0, vetshare.PriorityLow, done),                       // 6
			mk(b, me, t0.Add(-time.Hour), vetshare.PriorityLow, done),       // 7
		}
		all[0].ClientID, all[0].PatientID = client.ID, patient.ID
		all[1].ClientID = client.ID
		list := func(q vetshare.TaskQuery) (ids []int, shared []bool) {
			t.Helper()
			view(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
				return txn.D(tx).Tasks(ctx, q, func(r vetshare.TaskRow) error {
					for i, k := range all {
						if k.ID == r.ID {
							ids, shared = append(ids, i), append(shared, r.ClientShared)
							if diff := cmp.Diff(listed(k), r.Task); diff != "" {
								t.Errorf("row %d (-want +got):\n%s", i, diff)
							}
						}
					}
					return nil
				})
			})
			return ids, shared
		}
		update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
			for _, k := range all {
				if err := txn.D(tx).InsertTask(ctx, k); err != nil {
					return err
				}
			}
			return nil
		})
		tests := []struct {
			name   string
			q      vetshare.TaskQuery
			want   []int
			shared []bool
		}{
			{"assigned in one account", vetshare.TaskQuery{Accounts: []vetshare.AccountID{a}, Assignee: me, Limit: 10, SharedWith: b},
				[]int{2, 0, 4}, []bool{true, false, true}},
			{"assigned in several", vetshare.TaskQuery{Accounts: []vetshare.AccountID{a, b, c}, Assignee: me, Limit: 10, SharedWith: a},
				[]int{3, 2, 1, 0, 4}, []bool{true, true, true, true, true}},
			{"assigned in two", vetshare.TaskQuery{Accounts: []vetshare.AccountID{c, b}, Assignee: me, Limit: 10}, []int{3, 1}, []bool{true, false}},
			{"completed", vetshare.TaskQuery{Accounts: []vetshare.AccountID{a, b}, Assignee: me, Completed: true, Limit: 10}, []int{7, 6}, []bool{true, true}},
			{"account", vetshare.TaskQuery{Accounts: []vetshare.AccountID{a}, Limit: 10, SharedWith: a}, []int{5, 2, 0, 4}, []bool{true, true, true, true}},
			{"patient", vetshare.TaskQuery{Accounts: []vetshare.AccountID{a}, Patient: patient.ID, Limit: 10, SharedWith: a}, []int{0}, []bool{true}},
			{"patient elsewhere", vetshare.TaskQuery{Accounts: []vetshare.AccountID{b}, Patient: patient.ID, Limit: 10}, nil, nil},
			{"limit", vetshare.TaskQuery{Accounts: []vetshare.AccountID{a, b, c}, Assignee: me, Limit: 2}, []int{3, 2}, []bool{true, true}},
			{"after", vetshare.TaskQuery{Accounts: []vetshare.AccountID{a, b, c}, Assignee: me, Limit: 10, After: keyOf(all[2].Key())}, []int{1, 0, 4}, []bool{false, false, true}},
			{"after in one", vetshare.TaskQuery{Accounts: []vetshare.AccountID{a}, Assignee: me, Limit: 10, After: keyOf(all[0].Key())}, []int{4}, []bool{true}},
			{"after the last", vetshare.TaskQuery{Accounts: []vetshare.AccountID{a}, Assignee: me, Limit: 10, After: keyOf(all[4].Key())}, nil, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				ids, shared := list(tt.q)
				if diff := cmp.Diff(tt.want, ids); diff != "" {
					t.Errorf("Tasks (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(tt.shared, shared); diff != "" {
					t.Errorf("ClientShared (-want +got):\n%s", diff)
				}
			})
		}
		view(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
			called := 0
			fn := func(vetshare.TaskRow) error { called++; return nil }
			err := txn.D(tx).Tasks(ctx, vetshare.TaskQuery{Limit: 1}, fn)
			wantErr(t, "Tasks without accounts", err, vetshare.ErrInvalid)
			err = txn.D(tx).Tasks(ctx, vetshare.TaskQuery{Accounts: []vetshare.AccountID{a}}, fn)
			wantErr(t, "Tasks without a limit", err, vetshare.ErrInvalid)
			if called != 0 {
				t.Errorf("Tasks refused its query but gave %d rows", called)
			}
			// fn's error stops the list at that row and comes back as it is.
			stop := errors.New("enough")
			err = txn.D(tx).Tasks(ctx, vetshare.TaskQuery{Accounts: []vetshare.AccountID{a, b, c}, Assignee: me, Limit: 10}, func(vetshare.TaskRow) error {
				called++
				return stop
			})
			if err != stop || called != 1 {
				t.Errorf("Tasks with fn failing at its first row: %v after %d rows, want %v after 1", err, called, stop)
			}
			return nil
		})
	})
}

func keyOf(k vetshare.TaskKey) *vetshare.TaskKey { return &k }

// listed returns the fields of k that [driver.TasksTx.Tasks] fills.
func listed(k vetshare.Task) vetshare.Task {
	return vetshare.Task{ID: k.ID, AccountID: k.AccountID, Kind: k.Kind, Title: k.Title, Assignee: k.Assignee, Due: k.Due,
		Priority: k.Priority, Status: k.Status, ClientID: k.ClientID, PatientID: k.PatientID, CreatedAt: k.CreatedAt}
}
