package sqlite

import (
	"strings"
	"testing"
	"time"
)

// A usage asks for the patient's usages given after it (R12.4): one range of the patient's
// usages by time given, in order, not every usage of the patient.
func TestPatientUsagesPlan(t *testing.T) {
	s := planStore(t)
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

// A usage asks for the patient's open reminders of its item and of the items its disable
// actions name (R7.3, R7.4): one statement however many items, each a probe of the patient's
// open reminders of that item, whether the list is a few placeholders or a JSON array.
func TestOpenRemindersPlan(t *testing.T) {
	s := planStore(t)
	for name, c := range map[string]struct {
		query string
		args  []any
	}{
		"few":  {qOpenRemindersFew, []any{"P", "I1", "I2", "I3", "I4", "I5", "I6", "I7", "I8"}},
		"list": {qOpenRemindersList, []any{"P", `["I1","I2","I3","I4","I5","I6","I7","I8","I9","I10"]`}},
	} {
		plan := explainPlan(t, s, c.query, c.args...)
		t.Logf("%s:\n%s", name, plan)
		if want := "SEARCH r USING INDEX vetshare_reminders_open (patient_id=? AND item_id=?)"; !strings.Contains(plan, want) {
			t.Errorf("%s: plan does not probe the open reminders of each item %q:\n%s", name, want, plan)
		}
		if strings.Contains(plan, "SCAN r") {
			t.Errorf("%s: plan scans the reminders:\n%s", name, plan)
		}
	}
}

// An item is read with its disable actions (DisableActions then reads nothing): one probe of
// the item and one range of its actions by the primary key, without a sorter on every read.
func TestItemPlan(t *testing.T) {
	s := planStore(t)
	plan := explainPlan(t, s, qItem, "I")
	t.Logf("\n%s", plan)
	for _, want := range []string{"SEARCH i USING PRIMARY KEY (id=?)", "SEARCH d USING PRIMARY KEY (item_id=?)"} {
		if !strings.Contains(plan, want) {
			t.Errorf("plan does not hold %q:\n%s", want, plan)
		}
	}
	if strings.Contains(plan, "TEMP B-TREE") {
		t.Errorf("plan sorts:\n%s", plan)
	}
}
