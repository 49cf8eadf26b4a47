// Reminders plays the Scooby story of reminders across two locations of a share group, on a
// fresh SQLite file in a temporary directory: first without the cross-location disable action
// (Scooby ends up with two Rabies reminders, and the setup report flags it), then with it.
//
//	go run ./examples/reminders
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/inventory"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/reminders"
	"github.com/vetshare/vetshare/sharing"
	"github.com/vetshare/vetshare/sqlite"
)

func main() {
	if err := run(context.Background()); err != nil {
		log.Fatal(err)
	}
}

// story holds the cast.
type story struct {
	ctx      context.Context
	store    *sqlite.Store
	clock    *vetshare.FixedClock
	name     map[vetshare.AccountID]string
	itemName map[vetshare.ItemID]string
	north    vetshare.Actor // location A
	south    vetshare.Actor // location B
}

func run(ctx context.Context) error {
	dir, err := os.MkdirTemp("", "vetshare-reminders-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	clock := &vetshare.FixedClock{T: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	store, err := sqlite.Open(ctx, filepath.Join(dir, "vetshare.db"), sqlite.WithClock(clock))
	if err != nil {
		return err
	}
	defer store.Close()
	s := &story{ctx: ctx, store: store, clock: clock, name: map[vetshare.AccountID]string{}, itemName: map[vetshare.ItemID]string{}}

	// Two clinics of one owner share records automatically; each has its own catalogue.
	var dhppN, rabiesN, rabiesS vetshare.Item
	var scooby, scrappy vetshare.Patient
	err = store.Update(ctx, func(tx *vetshare.Tx) error {
		owner, err := accounts.CreateOwner(ctx, tx, vetshare.Owner{Name: "Riverside Veterinary Group"})
		if err != nil {
			return err
		}
		admin, err := accounts.CreateUser(ctx, tx, vetshare.User{Name: "Dr. Ada Park", Email: "ada@riverside.example", EmailVerified: true, Active: true})
		if err != nil {
			return err
		}
		var ids []vetshare.AccountID
		for _, n := range []string{"North", "South"} {
			a, err := accounts.CreateAccount(ctx, tx, vetshare.Account{OwnerID: owner.ID, Name: "Riverside " + n,
				Email: n + "@riverside.example", EmailVerified: true, TimeZone: "America/Chicago", Currency: "USD"})
			if err != nil {
				return err
			}
			if err := accounts.Grant(ctx, tx, vetshare.Membership{UserID: admin.ID, AccountID: a.ID, Role: vetshare.RoleOwner, Permissions: vetshare.PermAll, Active: true}); err != nil {
				return err
			}
			s.name[a.ID] = a.Name
			ids = append(ids, a.ID)
		}
		s.north, s.south = vetshare.Actor{User: admin.ID, Account: ids[0]}, vetshare.Actor{User: admin.ID, Account: ids[1]}
		d, err := sharing.Enable(ctx, tx, sharing.Request{Accounts: ids, Mode: vetshare.ModeAutomatic, Requester: admin.ID,
			Channel: sharing.ChannelEmail, From: "north@riverside.example", Reference: "signed letter 2026-03-01"})
		if err != nil || !d.Approved {
			return fmt.Errorf("enabling sharing: %v %v", err, d.Err())
		}
		year := vetshare.Interval{Count: 1, Unit: vetshare.Years}
		if dhppN, err = s.item(tx, s.north, "DHPP vaccine", "DHPP", vetshare.Interval{Count: 3, Unit: vetshare.Weeks}); err != nil {
			return err
		}
		if rabiesN, err = s.item(tx, s.north, "Rabies vaccine (1 yr)", "Rabies", year); err != nil {
			return err
		}
		if rabiesS, err = s.item(tx, s.south, "Imrab 1yr", "Rabies", year); err != nil {
			return err
		}
		client, _, err := records.CreateClient(ctx, tx, s.north, vetshare.Client{FirstName: "Shaggy", LastName: "Rogers", Phone: "555-0100"})
		if err != nil {
			return err
		}
		if scooby, err = records.AddPatient(ctx, tx, s.north, vetshare.Patient{ClientID: client.ID, Name: "Scooby", Species: "dog"}); err != nil {
			return err
		}
		scrappy, err = records.AddPatient(ctx, tx, s.north, vetshare.Patient{ClientID: client.ID, Name: "Scrappy", Species: "dog"})
		return err
	})
	if err != nil {
		return err
	}
	fmt.Println("Riverside North (A) and Riverside South (B) share records; Shaggy's client profile was created at North.")

	fmt.Println("\n== Without a cross-location disable action")
	if _, err := s.give(scooby, s.north, dhppN); err != nil {
		return err
	}
	clock.Add(7 * 24 * time.Hour)
	if _, err := s.give(scooby, s.south, rabiesS); err != nil {
		return err
	}
	clock.Add(30 * 24 * time.Hour)
	wrong, err := s.give(scooby, s.north, rabiesN)
	if err != nil {
		return err
	}
	if err := s.show(scooby); err != nil {
		return err
	}
	if err := s.due(); err != nil {
		return err
	}
	if err := s.report(); err != nil {
		return err
	}

	fmt.Println("\n== With the disable actions configured at both locations")
	err = store.Update(ctx, func(tx *vetshare.Tx) error {
		if _, err := reminders.AddDisableAction(ctx, tx, s.north, rabiesN.ID, rabiesS.ID); err != nil {
			return err
		}
		_, err := reminders.AddDisableAction(ctx, tx, s.south, rabiesS.ID, rabiesN.ID)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Printf("North: giving %q completes South's %q reminders; South: the other way round.\n", rabiesN.Name, rabiesS.Name)
	if err := s.report(); err != nil {
		return err
	}
	clock.Add(24 * time.Hour)
	if _, err := s.give(scrappy, s.south, rabiesS); err != nil {
		return err
	}
	clock.Add(30 * 24 * time.Hour)
	if _, err := s.give(scrappy, s.north, rabiesN); err != nil {
		return err
	}
	if err := s.show(scrappy); err != nil {
		return err
	}

	fmt.Println("\nScooby's duplicate predates the setup: North removes its Rabies usage and records it again.")
	clock.Add(time.Hour)
	err = store.Update(ctx, func(tx *vetshare.Tx) error {
		rm, err := records.RemoveUsage(ctx, tx, s.north, wrong.Record.ID, "re-recorded after the disable action was set up")
		if err != nil {
			return err
		}
		fmt.Printf("  removed: stock %+d at %s, %d reminder(s) changed\n", rm.Movement.Quantity, s.name[rm.Movement.AccountID], len(rm.Changed))
		return nil
	})
	if err != nil {
		return err
	}
	if _, err := s.give(scooby, s.north, rabiesN); err != nil {
		return err
	}
	if err := s.show(scooby); err != nil {
		return err
	}
	if err := s.report(); err != nil {
		return err
	}
	return s.search(scooby)
}

func (s *story) item(tx *vetshare.Tx, actor vetshare.Actor, name, kind string, iv vetshare.Interval) (vetshare.Item, error) {
	it, err := inventory.CreateItem(s.ctx, tx, actor, vetshare.Item{Name: name, Kind: vetshare.ItemProduct, Tracked: true,
		Reminders: []vetshare.ReminderRule{{Kind: kind, Interval: iv}}})
	if err != nil {
		return it, err
	}
	s.itemName[it.ID] = name
	_, err = inventory.Receive(s.ctx, tx, actor, it.ID, 20, "opening stock")
	return it, err
}

func (s *story) give(p vetshare.Patient, at vetshare.Actor, it vetshare.Item) (records.UsageChange, error) {
	var ch records.UsageChange
	err := s.store.Update(s.ctx, func(tx *vetshare.Tx) error {
		var err error
		ch, err = records.AddUsage(s.ctx, tx, at, vetshare.Record{PatientID: p.ID, ItemID: it.ID, Quantity: 1})
		return err
	})
	if err != nil {
		return ch, err
	}
	fmt.Printf("%s  %s gets %s at %s (stock there now %d)\n", day(ch.Record.CreatedAt), p.Name, it.Name, s.name[at.Account], s.onHand(at, it))
	for _, r := range ch.Scheduled {
		fmt.Printf("             scheduled: %s reminder from %s, due %s\n", r.Kind, s.name[r.AccountID], day(r.Due))
	}
	for _, r := range ch.Changed {
		fmt.Printf("             completed: %s reminder from %s\n", r.Kind, s.name[r.AccountID])
	}
	return ch, nil
}

func (s *story) onHand(at vetshare.Actor, it vetshare.Item) int64 {
	var n int64
	_ = s.store.View(s.ctx, func(tx *vetshare.Tx) error {
		cur, err := inventory.Item(s.ctx, tx, at, it.ID)
		n = cur.OnHand
		return err
	})
	return n
}

func (s *story) show(p vetshare.Patient) error {
	return s.store.View(s.ctx, func(tx *vetshare.Tx) error {
		rs, _, err := reminders.PatientReminders(s.ctx, tx, s.north, p.ID, vetshare.ReminderOpen, vetshare.Page{})
		if err != nil {
			return err
		}
		fmt.Printf("  %s's open reminders:\n", p.Name)
		for _, r := range rs {
			fmt.Printf("    %-6s due %s, from %s (%s)\n", r.Kind, day(r.Due), s.name[r.AccountID], s.itemName[r.ItemID])
		}
		return nil
	})
}

func (s *story) due() error {
	return s.store.View(s.ctx, func(tx *vetshare.Tx) error {
		from := s.clock.Now()
		for _, at := range []vetshare.Actor{s.north, s.south} {
			ds, _, err := reminders.Due(s.ctx, tx, at, from, from.AddDate(2, 0, 0), vetshare.Page{})
			if err != nil {
				return err
			}
			fmt.Printf("  %s will send:", s.name[at.Account])
			for _, d := range ds {
				fmt.Printf(" [%s for %s, %s]", d.Kind, d.PatientName, day(d.Due))
			}
			fmt.Println()
		}
		return nil
	})
}

func (s *story) report() error {
	return s.store.View(s.ctx, func(tx *vetshare.Tx) error {
		rep, err := reminders.DuplicateReport(s.ctx, tx, s.north)
		if err != nil {
			return err
		}
		fmt.Printf("  Setup report: %d missing disable action(s), %d patient(s) with duplicates.\n", len(rep.Gaps), len(rep.Duplicates))
		// The gaps come ordered by account id, which differs at every run; they are printed
		// in the order of their text so that the output reads the same every time.
		var gaps []string
		for _, g := range rep.Gaps {
			gaps = append(gaps, fmt.Sprintf("    %s gives %q (%s) with no action for %s's %q\n", s.name[g.GivenBy.AccountID], g.GivenBy.Name, g.Kind, s.name[g.Item.AccountID], g.Item.Name))
		}
		slices.Sort(gaps)
		fmt.Print(strings.Join(gaps, ""))
		for _, d := range rep.Duplicates {
			fmt.Printf("    duplicate %s reminders for patient %s, from", d.Kind, patientName(s, tx, d.PatientID))
			for _, r := range d.Reminders {
				fmt.Printf(" %s", s.name[r.AccountID])
			}
			fmt.Println()
		}
		return nil
	})
}

func patientName(s *story, tx *vetshare.Tx, id vetshare.PatientID) string {
	p, err := records.Patient(s.ctx, tx, s.north, id)
	if err != nil {
		return string(id)
	}
	return p.Name
}

func (s *story) search(p vetshare.Patient) error {
	return s.store.View(s.ctx, func(tx *vetshare.Tx) error {
		rows, _, err := inventory.SearchUsages(s.ctx, tx, s.south, inventory.UsageSearch{Patient: p.ID}, vetshare.Page{})
		if err != nil {
			return err
		}
		fmt.Printf("\nSouth searches %s's usages (newest first):\n", p.Name)
		for _, r := range rows {
			mark := ""
			if r.Origin != s.south.Account {
				mark = "  <- from another location"
			}
			fmt.Printf("  %s  %-22s at %s%s\n", day(r.Record.CreatedAt), r.ItemName, r.OriginName, mark)
		}
		return nil
	})
}

func day(t time.Time) string { return t.Format("2006-01-02") }
