package vetsharetest_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/tasks"
	"github.com/vetshare/vetshare/vetsharetest"
)

var ctx = context.Background()

func TestPractice(t *testing.T) {
	s := vetsharetest.Open(t)

	t.Run("OK", func(t *testing.T) {
		p := s.NewPractice(t, 3, vetshare.ModeAutomatic)
		if got := []string{p.Clinics[0].Name, p.Clinics[1].Name, p.Clinics[2].Name}; !cmp.Equal(got, []string{"Clinic A", "Clinic B", "Clinic C"}) {
			t.Errorf("clinics: %v", got)
		}
		if p.Group == "" {
			t.Fatal("no share group")
		}
		// R2.1: a client created at A reaches C in automatic mode, with its patients.
		c, e, pets := p.Client(t, p.Actor(0), vetshare.Client{FirstName: "Shaggy"}, vetshare.Patient{Name: "Scooby"}, vetshare.Patient{Name: "Tom", Species: "cat"})
		if e.Number != 1 || len(pets) != 2 || pets[1].Species != "cat" || pets[0].Species != "dog" {
			t.Errorf("client entry %+v, patients %+v", e, pets)
		}
		p.MustView(t, func(tx *vetshare.Tx) error {
			for _, pet := range pets {
				if got, err := records.Patient(ctx, tx, p.Actor(2), pet.ID); err != nil || got.ClientID != c.ID {
					t.Errorf("clinic C reads patient %s: %+v, %v", pet.Name, got, err)
				}
			}
			return nil
		})
	})

	t.Run("NoGroup", func(t *testing.T) {
		p := s.NewPractice(t, 2, "")
		c, _, _ := p.Client(t, p.Actor(0), vetshare.Client{})
		p.MustView(t, func(tx *vetshare.Tx) error {
			if _, _, err := records.Client(ctx, tx, p.Actor(1), c.ID); !errors.Is(err, vetshare.ErrNotFound) {
				t.Errorf("clinic B reads a client of A without sharing: %v", err)
			}
			return nil
		})
	})

	t.Run("UserRoles", func(t *testing.T) {
		p := s.NewPractice(t, 2, vetshare.ModeManual)
		sam := p.User(t, "sam", vetshare.RoleStaff, vetshare.PermTaskCreate, 1)
		p.Client(t, vetshare.Actor{User: sam.ID, Account: p.Clinics[1].ID}, vetshare.Client{})
		err := s.Update(ctx, func(tx *vetshare.Tx) error {
			_, _, err := records.CreateClient(ctx, tx, vetshare.Actor{User: sam.ID, Account: p.Clinics[0].ID}, vetshare.Client{LastName: "Blake"})
			return err
		})
		if !errors.Is(err, vetshare.ErrNotFound) && !errors.Is(err, vetshare.ErrNotPermitted) {
			t.Errorf("staff of B only created a client at A: %v", err)
		}
	})

	t.Run("ItemAndTask", func(t *testing.T) {
		p := s.NewPractice(t, 1, "")
		rabies := p.Item(t, p.Actor(0), vetshare.Item{Name: "Rabies vaccine", Reminders: []vetshare.ReminderRule{{Kind: "Rabies", Interval: vetshare.Interval{Count: 1, Unit: vetshare.Years}}}})
		if rabies.Kind != vetshare.ItemProduct || len(rabies.Reminders) != 1 {
			t.Errorf("item %+v", rabies)
		}
		task := p.Task(t, p.Actor(0), tasks.Draft{})
		if task.Title != "Call back" || task.Assignee != p.Admin.ID || task.Status != vetshare.TaskOpen {
			t.Errorf("task %+v", task)
		}
	})
}

// The clock starts at Start, moves by a microsecond at every transaction, and as far as the
// test moves it.
func TestClock(t *testing.T) {
	s := vetsharetest.Open(t)
	p := s.NewPractice(t, 1, "")
	s.Clock.Set(vetsharetest.Start().Add(48 * time.Hour))
	c, _, _ := p.Client(t, p.Actor(0), vetshare.Client{})
	if d := c.CreatedAt.Sub(vetsharetest.Start()); d < 48*time.Hour || d > 48*time.Hour+time.Millisecond {
		t.Errorf("client created %v after Start, want 48h", d)
	}
}

// ExampleTB's Close runs the cleanups, closing the store, and removes the directory.
func TestExampleTB(t *testing.T) {
	tb := vetsharetest.NewExampleTB()
	s := vetsharetest.Open(tb)
	s.NewPractice(tb, 1, "")
	tb.Close()
	if _, err := os.Stat(s.Path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("after Close, the database file is still there: %v", err)
	}
	defer func() {
		if recover() == nil {
			t.Error("Fatal did not panic")
		}
	}()
	tb.Fatal("stop")
}

// A host's test builds an owner's two clinics in an automatic share group and a client with a
// patient, then checks what its own code sees. An Example has no *testing.T; ExampleTB stands in.
func Example() {
	t := vetsharetest.NewExampleTB() // in a test: the *testing.T
	defer t.Close()

	s := vetsharetest.Open(t)
	p := s.NewPractice(t, 2, vetshare.ModeAutomatic)
	shaggy, _, pets := p.Client(t, p.Actor(0), vetshare.Client{LastName: "Rogers", FirstName: "Shaggy"}, vetshare.Patient{Name: "Scooby"})
	s.Clock.Add(7 * 24 * time.Hour) // a week later

	p.MustView(t, func(tx *vetshare.Tx) error {
		c, e, err := records.Client(ctx, tx, p.Actor(1), shaggy.ID)
		fmt.Printf("%s sees %s %s (%s) as its client #%d on %s\n", p.Clinics[1].Name, c.FirstName, c.LastName, pets[0].Name, e.Number, tx.Now().Format("2 January 2006"))
		return err
	})
	// Output:
	// Clinic B sees Shaggy Rogers (Scooby) as its client #1 on 12 January 2026
}
