package reports_test

import (
	"context"
	"fmt"
	"os"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/reports"
	"github.com/vetshare/vetshare/vetsharetest"
)

// WriteCSV writes one of the six client reports of a clinic as CSV. This clinic takes no part
// in record sharing, so the rows carry no home location column (R8.3).
func ExampleWriteCSV() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 1, "")
	ctx := context.Background()
	_, _, pets := s.Client(tb, p.Actor(0), vetshare.Client{LastName: "Rogers", FirstName: "Shaggy", Phone: "555-0142"}, vetshare.Patient{Name: "Scooby"})
	s.Client(tb, p.Actor(0), vetshare.Client{LastName: "Blake", FirstName: "Fred"}) // no visit yet
	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		_, err := records.AddRecord(ctx, tx, p.Actor(0), vetshare.Record{PatientID: pets[0].ID, Kind: vetshare.RecordNote, Text: "Annual exam"})
		return err
	})

	s.MustView(tb, func(tx *vetshare.Tx) error {
		n, err := reports.WriteCSV(ctx, tx, p.Actor(0), vetshare.ReportParams{Kind: vetshare.ReportActiveClients,
			AsOf: vetshare.Date{Year: 2026, Month: 1, Day: 31}}, os.Stdout)
		fmt.Println(n, "row")
		return err
	})
	// Output:
	// client_number,last_name,first_name,email,phone,address,client_since,last_visit
	// 1,Rogers,Shaggy,,555-0142,,2026-01-05,2026-01-05
	// 1 row
}
