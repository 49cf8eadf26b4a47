package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/reminders"
)

const setupHelp = `
Usage:

	vetshare setup-report --clinic NAME_OR_ID --as EMAIL [--json]

Explains a group's reminder setup (R7.5), to read to a clinic before it shares. A reminder
comes from the clinic where the item was given. When a patient gets, say, Rabies at South and
later at North, North must have a "disable reminder" action for South's Rabies item, or South's
reminder stays open and the client is reminded twice.

The report lists each missing action: the clinic that must add it, on which of its items, for
which item of the other clinic. Then the patients who have duplicate reminders open now.
It needs an owner or admin of the clinic.

Example:

	$ vetshare setup-report --db clinic.db --clinic North --as alice@north.example
	Missing disable-reminder actions: 2

	KIND    AT CLINIC  WHEN GIVING      ADD AN ACTION COMPLETING  FROM CLINIC
	Rabies  North      Rabies vaccine   Rabies 1yr                South
	Rabies  South      Rabies 1yr       Rabies vaccine            North

	Patients with duplicate reminders now: 1

	PATIENT  KIND    OPEN REMINDERS
	Scooby   Rabies  North due 2027-01-05, South due 2027-01-12
`

func runSetupReport(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "setup-report", setupHelp, true)
	rest, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageErr("setup-report: unexpected %q", rest[0])
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	actor, _, _, err := actorFor(ctx, db, f.as, f.clnc)
	if err != nil {
		return err
	}
	names, err := clinicNames(ctx, db)
	if err != nil {
		return err
	}
	type gapOut struct {
		Kind         string `json:"kind"`
		Clinic       string `json:"clinic"`
		WhenGiving   string `json:"when_giving"`
		Completing   string `json:"add_action_completing"`
		ItemOfClinic string `json:"of_clinic"`
	}
	type remOut struct {
		Clinic string    `json:"clinic"`
		Due    time.Time `json:"due"`
	}
	type dupOut struct {
		Patient   string   `json:"patient"`
		PatientID string   `json:"patient_id"`
		Kind      string   `json:"kind"`
		Reminders []remOut `json:"reminders"`
	}
	var out struct {
		Gaps       []gapOut `json:"missing_actions"`
		Duplicates []dupOut `json:"duplicates"`
	}
	out.Gaps, out.Duplicates = []gapOut{}, []dupOut{}
	err = db.Store.View(ctx, func(tx *vetshare.Tx) error {
		rep, err := reminders.DuplicateReport(ctx, tx, actor)
		if err != nil {
			return err
		}
		for _, g := range rep.Gaps {
			// GivenBy's clinic gives its item without completing Item's reminders: the action
			// belongs at GivenBy's clinic, on GivenBy, naming Item.
			out.Gaps = append(out.Gaps, gapOut{Kind: g.Kind, Clinic: names[g.GivenBy.AccountID], WhenGiving: g.GivenBy.Name,
				Completing: g.Item.Name, ItemOfClinic: names[g.Item.AccountID]})
		}
		for _, d := range rep.Duplicates {
			name := string(d.PatientID)
			if p, err := records.Patient(ctx, tx, actor, d.PatientID); err == nil {
				name = p.Name
			}
			do := dupOut{Patient: name, PatientID: string(d.PatientID), Kind: d.Kind}
			for _, r := range d.Reminders {
				do.Reminders = append(do.Reminders, remOut{Clinic: names[r.AccountID], Due: r.Due})
			}
			out.Duplicates = append(out.Duplicates, do)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if f.json {
		return emitJSON(e.stdout, out)
	}
	fmt.Fprintf(e.stdout, "Missing disable-reminder actions: %d\n", len(out.Gaps))
	if len(out.Gaps) > 0 {
		fmt.Fprintln(e.stdout)
		t := newTable(e.stdout, "KIND", "AT CLINIC", "WHEN GIVING", "ADD AN ACTION COMPLETING", "FROM CLINIC")
		for _, g := range out.Gaps {
			t.row(g.Kind, g.Clinic, g.WhenGiving, g.Completing, g.ItemOfClinic)
		}
		t.flush()
	}
	fmt.Fprintf(e.stdout, "\nPatients with duplicate reminders now: %d\n", len(out.Duplicates))
	if len(out.Duplicates) > 0 {
		fmt.Fprintln(e.stdout)
		t := newTable(e.stdout, "PATIENT", "KIND", "OPEN REMINDERS")
		for _, d := range out.Duplicates {
			var rs []string
			for _, r := range d.Reminders {
				rs = append(rs, fmt.Sprintf("%s due %s", r.Clinic, day(r.Due)))
			}
			t.row(d.Patient, d.Kind, joinNames(rs))
		}
		t.flush()
	}
	return nil
}

// clinicNames maps every account to its name.
func clinicNames(ctx context.Context, db *Database) (map[vetshare.AccountID]string, error) {
	all, err := db.Directory.Accounts(ctx)
	if err != nil {
		return nil, failed(err)
	}
	m := map[vetshare.AccountID]string{}
	for _, a := range all {
		m[a.ID] = a.Name
	}
	return m, nil
}
