package sqlite

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A usage asks for the patient's usages given after it (R12.4): one range of the patient's
// usages by time given, in order, not every usage of the patient.
func TestPatientUsagesPlan(t *testing.T) {
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "plan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, after := range []time.Time{{}, time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)} {
		plan := explainPlan(t, s, patientUsagesQuery, "P", givenAfter(after))
		t.Logf("after %v:\n%s", after, plan)
		if want := "SEARCH r USING INDEX vetshare_records_patient_usages (patient_id=? AND given_at>?)"; !strings.Contains(plan, want) {
			t.Errorf("after %v: plan does not read the range %q:\n%s", after, want, plan)
		}
		if strings.Contains(plan, "TEMP B-TREE") {
			t.Errorf("after %v: plan sorts:\n%s", after, plan)
		}
	}
}
