package sqlite

import (
	"strings"
	"testing"
)

// The report queries read one account's entries through a covering index in the report's
// order, with no temporary sort (which would hold every entry before the first row), and probe
// covering indexes for each entry's facts.
func TestReportQueryPlans(t *testing.T) {
	s := planStore(t)
	for _, tc := range []struct {
		name, query, entries string
	}{
		{"ByNumber", reportByNumber, "client_entries_report"},
		{"ByCreation", reportByCreation, "client_entries_created"},
	} {
		rows, err := s.write.Query("EXPLAIN QUERY PLAN "+tc.query, "a", 0, 1, 1, 1)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		all := strings.Join(plan, "\n")
		for _, want := range []string{
			"SEARCH e USING COVERING INDEX vetshare_" + tc.entries,
			"SEARCH c USING PRIMARY KEY",
			"SEARCH r USING COVERING INDEX vetshare_records_report",
			"SEARCH i USING COVERING INDEX vetshare_invoices_report_visit",
			"SEARCH i USING COVERING INDEX vetshare_invoices_report_paid",
		} {
			if !strings.Contains(all, want) {
				t.Errorf("%s: plan lacks %q:\n%s", tc.name, want, all)
			}
		}
		if strings.Contains(all, "TEMP B-TREE") || strings.Contains(all, "SCAN ") {
			t.Errorf("%s: plan sorts or scans:\n%s", tc.name, all)
		}
	}
}
