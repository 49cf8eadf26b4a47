package reports_test

import (
	"context"
	"testing"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/billing"
	"github.com/vetshare/vetshare/internal/fixture"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/reports"
)

// R12.4, R8.2: a visit charted late counts at the time given, not the time it was recorded: a
// note and an invoice recorded today but given 14 and 13 months ago make their clients lapsed,
// not active this month.
func TestR12_4_ReportsCountLateChartedVisitByGivenTime(t *testing.T) {
	ctx := context.Background()
	f := fixture.New(t, fixture.Options{Accounts: 1})
	noted, _ := f.Client(t, 0, "Noted", "Nora")
	billed, _ := f.Client(t, 0, "Billed", "Bill")
	p := f.Patient(t, 0, noted.ID, "Rex", "dog")
	f.Clock.Add(20 * 30 * 24 * time.Hour) // some 20 months on
	now := f.Clock.Now()
	noteGiven, invoiceGiven := now.AddDate(0, -14, 0), now.AddDate(0, -13, 0)
	f.Update(t, func(tx *vetshare.Tx) error {
		if _, err := records.AddRecord(ctx, tx, f.Actor(0), vetshare.Record{PatientID: p.ID, Kind: vetshare.RecordNote,
			Text: "exam, charted from paper", GivenAt: noteGiven}); err != nil {
			return err
		}
		_, err := billing.CreateInvoice(ctx, tx, f.Actor(0), vetshare.Invoice{ClientID: billed.ID, GivenAt: invoiceGiven,
			Lines: []vetshare.InvoiceLine{{Description: "Exam", Quantity: 1, UnitPrice: 100}}})
		return err
	})
	f.View(t, func(tx *vetshare.Tx) error {
		r, err := reports.Open(ctx, tx, f.Actor(0), vetshare.ReportParams{Kind: vetshare.ReportLapsedClients})
		if err != nil {
			return err
		}
		got := map[vetshare.ClientID]time.Time{}
		if err := r.Each(ctx, func(row vetshare.ReportRow) error {
			got[row.ClientID] = row.LastVisit
			return nil
		}); err != nil {
			return err
		}
		for id, want := range map[vetshare.ClientID]time.Time{noted.ID: noteGiven, billed.ID: invoiceGiven} {
			if v, ok := got[id]; !ok || !v.Equal(want) {
				t.Errorf("Lapsed Clients: client %s last visit %v (listed %t); want listed, last visit %v", id, v, ok, want)
			}
		}
		return nil
	})
}
