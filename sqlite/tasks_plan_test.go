package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// planOf returns the EXPLAIN QUERY PLAN of a task list query, one line per step.
func planOf(t *testing.T, s *Store, query string) string {
	t.Helper()
	return explainPlan(t, s, query,
		sql.Named("u", "U"), sql.Named("a", "A"), sql.Named("v", "P"), sql.Named("c", 0), sql.Named("s", "A"),
		sql.Named("d", 0), sql.Named("p", 0), sql.Named("i", ""), sql.Named("n", 51))
}

// explainPlan returns the EXPLAIN QUERY PLAN of query with args, one line per step.
// planStore opens a new, empty store for a test of query plans, closed when the test ends.
func planStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "plan.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func explainPlan(t *testing.T, s *Store, query string, args ...any) string {
	t.Helper()
	rows, err := s.write.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, detail)
	}
	return strings.Join(lines, "\n")
}

// Every task list is one range of its index, read in list order: no sort, no table scan; Assigned
// To Me over several clinics reads its index alone (issue 16).
func TestTaskQueryPlans(t *testing.T) {
	s := planStore(t)
	for _, q := range []struct{ name, query, index string }{
		{"assigned, one clinic", tasksAssignedOne, "INDEX vetshare_tasks_assignee_account (assignee_id=? AND account_id=? AND done=? AND due>?)"},
		{"assigned, several clinics", tasksAssignedMany, "COVERING INDEX vetshare_tasks_assignee (assignee_id=? AND done=? AND due>?)"},
		{"account", tasksAccount, "INDEX vetshare_tasks_account (account_id=? AND done=? AND due>?)"},
		{"patient", tasksPatient, "INDEX vetshare_tasks_patient (patient_id=? AND account_id=? AND done=? AND due>?)"},
	} {
		plan := planOf(t, s, q.query)
		t.Logf("%s:\n%s", q.name, plan)
		if !strings.Contains(plan, "SEARCH t USING "+q.index) {
			t.Errorf("%s: plan does not search %s:\n%s", q.name, q.index, plan)
		}
		if strings.Contains(plan, "TEMP B-TREE") || strings.Contains(plan, "SCAN t") {
			t.Errorf("%s: plan sorts or scans:\n%s", q.name, plan)
		}
	}
}
