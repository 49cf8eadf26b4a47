package gen

import (
	"context"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/inventory"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/reminders"
)

// catalogue is the items every account sells: vaccines with reminder rules, a tracked drug, a
// service.
var catalogue = []vetshare.Item{
	{Name: "DHPP vaccine", Kind: vetshare.ItemProduct, Tracked: true, Reminders: []vetshare.ReminderRule{{Kind: "DHPP", Interval: vetshare.Interval{Count: 1, Unit: vetshare.Years}}}},
	{Name: "Rabies vaccine", Kind: vetshare.ItemProduct, Tracked: true, Reminders: []vetshare.ReminderRule{{Kind: "Rabies", Interval: vetshare.Interval{Count: 1, Unit: vetshare.Years}}}},
	{Name: "FVRCP vaccine", Kind: vetshare.ItemProduct, Tracked: true, Reminders: []vetshare.ReminderRule{{Kind: "FVRCP", Interval: vetshare.Interval{Count: 1, Unit: vetshare.Years}}}},
	{Name: "Carprofen 75 mg", Kind: vetshare.ItemProduct, Tracked: true},
	{Name: "Wellness exam", Kind: vetshare.ItemService},
}

// vaccines are the catalogue's items with reminder rules.
var vaccines = []string{"DHPP vaccine", "Rabies vaccine", "FVRCP vaccine"}

// inventoryOwner gives each account of o the catalogue, stock of its tracked items, and
// disable actions completing the other accounts' reminders of the same vaccine (R7.3): in
// every account of the big and auto owners, in every other account of the other owners, so
// that their setup has gaps (R7.5).
func inventoryOwner(ctx context.Context, g *generator, o *Owner) error {
	o.Items = make([]map[string]vetshare.ItemID, len(o.Accounts))
	err := g.update(ctx, g.m.Start.AddDate(0, 0, -58), func(tx *vetshare.Tx) error {
		for a := range o.Accounts {
			o.Items[a] = map[string]vetshare.ItemID{}
			for _, it := range catalogue {
				it.Reminders = append([]vetshare.ReminderRule(nil), it.Reminders...)
				made, err := inventory.CreateItem(ctx, tx, o.Actor(a), it)
				if err != nil {
					return err
				}
				o.Items[a][it.Name] = made.ID
				g.count("items", 1)
				if it.Tracked {
					if _, err := inventory.Receive(ctx, tx, o.Actor(a), made.ID, 100_000, "opening stock"); err != nil {
						return err
					}
					g.count("stock movements", 1)
				}
				g.m.Counts.Ops += 2
			}
		}
		for a := 0; a < o.Grouped; a++ {
			if o.Role == "other" && a%2 == 1 {
				continue
			}
			for b := 0; b < o.Grouped; b++ {
				if a == b {
					continue
				}
				for _, v := range vaccines {
					if _, err := reminders.AddDisableAction(ctx, tx, o.Actor(a), o.Items[a][v], o.Items[b][v]); err != nil {
						return err
					}
					g.count("disable actions", 1)
					g.m.Counts.Audit++
					g.m.Counts.Ops++
				}
			}
		}
		return nil
	})
	return err
}

// inventoryVisit gives some patients of a visit a vaccine of their species, or a drug, with
// records.AddUsage: the usage moves the account's stock, schedules the vaccine's reminder from
// the account and completes the open ones its disable actions name (R5.2, R7.2, R7.4).
func inventoryVisit(ctx context.Context, g *generator, tx *vetshare.Tx, v *Visit, origin int) error {
	if !v.Full || v.Owner.Items == nil {
		return nil
	}
	items := v.Owner.Items[v.Account]
	for i, p := range v.Patients {
		var name string
		x := v.Rand.IntN(100)
		switch v.Species[i] {
		case "Canine":
			switch {
			case x < 35:
				name = "DHPP vaccine"
			case x < 55:
				name = "Rabies vaccine"
			case x < 65:
				name = "Carprofen 75 mg"
			}
		case "Feline":
			switch {
			case x < 35:
				name = "FVRCP vaccine"
			case x < 50:
				name = "Rabies vaccine"
			}
		}
		if name == "" {
			continue
		}
		ch, err := records.AddUsage(ctx, tx, v.Actor, vetshare.Record{PatientID: p, ItemID: items[name], Quantity: 1})
		if err != nil {
			return err
		}
		g.m.Counts.Records++
		g.m.Counts.Ops++
		if ch.Movement.ID != "" {
			g.count("stock movements", 1)
		}
		g.count("reminders", int64(len(ch.Scheduled)))
	}
	return nil
}

// inventoryWarm gives a vaccine at two accounts, the second completing the first's reminder.
func inventoryWarm(ctx context.Context, tx *vetshare.Tx, o *Owner, c vetshare.ClientID, p vetshare.PatientID) error {
	for a := range 2 {
		if _, err := records.AddUsage(ctx, tx, o.Actor(a), vetshare.Record{PatientID: p, ItemID: o.Items[a]["Rabies vaccine"], Quantity: 1}); err != nil {
			return err
		}
	}
	return nil
}
