package sqlite

import (
	"strings"
	"testing"
)

// A client's invoices are one range of the index that names the client, in number order: never
// every invoice of the account, kept by client (issue 16; vetshare_invoices_client was ordered
// by issue time, and SQLite read the account's invoices by number instead).
func TestClientInvoicesPlan(t *testing.T) {
	s := planStore(t)
	for _, q := range []string{qClientInvoices, qClientInvoicesAfter} {
		plan := explainPlan(t, s, q, "A", "C", "", 10, "I")
		t.Logf("%s", plan)
		if !strings.Contains(plan, "SEARCH vetshare_invoices USING INDEX vetshare_invoices_client (account_id=? AND client_id=?") ||
			strings.Contains(plan, "TEMP B-TREE") {
			t.Errorf("a client's invoices are not one range of vetshare_invoices_client in number order:\n%s", plan)
		}
	}
}
