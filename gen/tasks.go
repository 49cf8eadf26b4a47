package gen

import (
	"context"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/tasks"
)

var taskKinds = []struct {
	kind  vetshare.TaskKind
	title string
}{
	{vetshare.TaskLabResultReview, "Review lab results"},
	{vetshare.TaskCallback, "Call the client back"},
	{vetshare.TaskPrescriptionRequest, "Refill request: Carprofen"},
	{vetshare.TaskMessage, "Message from the Pet Care app"},
	{vetshare.TaskGeneral, "Order more DHPP vaccine"},
}

// tasksVisit leaves a follow-up task for one visit in twenty, about its first patient,
// assigned to whoever saw it.
func tasksVisit(ctx context.Context, g *generator, tx *vetshare.Tx, v *Visit, origin int) error {
	if !v.Full || len(v.Patients) == 0 || v.Rand.IntN(20) != 0 {
		return nil
	}
	k := taskKinds[v.Rand.IntN(2)]
	_, err := tasks.Create(ctx, tx, v.Actor, tasks.Draft{Kind: k.kind, Title: k.title, Assignee: v.Actor.User,
		Due: v.At.Add(time.Duration(1+v.Rand.IntN(14)) * 24 * time.Hour), PatientID: v.Patients[0]})
	if err != nil {
		return err
	}
	g.count("tasks", 1)
	g.m.Counts.Ops++
	return nil
}

// tasksBacklog turns task sharing on for the big owner (R1.8) and gives its ten accounts
// Size.Tasks tasks, mostly assigned to the vets who work at every location (so that their
// Assigned To Me spans ten clinics), due around the end of the history; a third are completed.
func tasksBacklog(ctx context.Context, g *generator) error {
	o := g.m.Owners[g.m.Big]
	n := g.m.Size.Tasks
	if n <= 0 {
		return nil
	}
	if err := g.update(ctx, g.m.End.AddDate(0, -6, 0), func(tx *vetshare.Tx) error {
		return accounts.SetTaskSharing(ctx, tx, o.ID, true)
	}); err != nil {
		return err
	}
	const batch = 5000
	chunks := (n + batch - 1) / batch
	for c := range chunks {
		r := g.rand(5, uint64(c))
		at := g.m.End.AddDate(0, -6, 0).Add(time.Duration(c) * 180 * 24 * time.Hour / time.Duration(chunks))
		err := g.update(ctx, at, func(tx *vetshare.Tx) error {
			for i := c * batch; i < min(n, (c+1)*batch); i++ {
				a := i % len(o.Accounts)
				assignee := o.Staff[a][r.IntN(len(o.Staff[a]))]
				if x := r.IntN(10); x < 6 && len(o.Roaming) > 0 {
					assignee = o.Roaming[min(x/2, len(o.Roaming)-1)]
				}
				k := taskKinds[r.IntN(len(taskKinds))]
				d := tasks.Draft{Kind: k.kind, Title: k.title, Assignee: assignee, Priority: vetshare.Priority(1 + r.IntN(4))}
				if r.IntN(10) > 0 {
					d.Due = at.Add(time.Duration(r.IntN(120*24)-30*24) * time.Hour)
				}
				t, err := tasks.Create(ctx, tx, o.Actor(a), d)
				if err != nil {
					return err
				}
				g.count("tasks", 1)
				g.m.Counts.Ops++
				if r.IntN(3) == 0 {
					if _, _, err := tasks.Complete(ctx, tx, o.Actor(a), t.ID); err != nil {
						return err
					}
					g.m.Counts.Ops++
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		g.report("tasks", min(n, (c+1)*batch), n, false)
	}
	g.report("tasks", n, n, true)
	return nil
}

// tasksWarm creates a task about a patient and one about nothing, and completes the second.
func tasksWarm(ctx context.Context, tx *vetshare.Tx, o *Owner, c vetshare.ClientID, p vetshare.PatientID) error {
	if _, err := tasks.Create(ctx, tx, o.Actor(0), tasks.Draft{Title: "Warm", Assignee: o.Admin, PatientID: p}); err != nil {
		return err
	}
	t, err := tasks.Create(ctx, tx, o.Actor(0), tasks.Draft{Title: "Warm", Assignee: o.Admin, Due: tx.Now().Add(time.Hour), Priority: vetshare.PriorityHigh})
	if err != nil {
		return err
	}
	_, _, err = tasks.Complete(ctx, tx, o.Actor(0), t.ID)
	return err
}
