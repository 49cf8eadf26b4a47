package sqlite

import (
	"strings"
	"testing"
)

// A page of candidates reads its entries in the group through the client index, a few rows a
// client: never every entry of the group's accounts (GroupEntriesOf once read all of them,
// 1.5 s at 1M clients).
func TestGroupEntriesPlan(t *testing.T) {
	s := planStore(t)
	plan := explainPlan(t, s, groupEntries, `["C"]`, "A")
	t.Logf("GroupEntriesOf:\n%s", plan)
	if !strings.Contains(plan, "SEARCH e USING INDEX vetshare_client_entries_client (client_id=?)") || strings.Contains(plan, "SEARCH e USING PRIMARY KEY") {
		t.Errorf("GroupEntriesOf does not read the entries by client:\n%s", plan)
	}
}
