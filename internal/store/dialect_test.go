package store

import (
	"slices"
	"testing"

	"kundportal/internal/repair"
)

// TestStatusIsWritesOnlyKnownStatuses: a known status is written into the
// SQL, anything else (a status from a crafted URL) is passed as a
// parameter, so it cannot change the statement.
func TestStatusIsWritesOnlyKnownStatuses(t *testing.T) {
	for _, tc := range []struct {
		in   []repair.Status
		cond string
		args []any
	}{
		{[]repair.Status{repair.StatusCompleted}, "c.status = 'completed'", nil},
		{[]repair.Status{repair.StatusRegistered, repair.StatusInProgress}, "c.status IN ('registered', 'in_progress')", nil},
		{[]repair.Status{"x' OR 'a'='a"}, "c.status = ?", []any{repair.Status("x' OR 'a'='a")}},
		{[]repair.Status{repair.StatusPlanned, "Planerad"}, "c.status IN ('planned', ?)", []any{repair.Status("Planerad")}},
	} {
		cond, args := statusIs("c.status", tc.in...)
		if cond != tc.cond || !slices.Equal(args, tc.args) {
			t.Errorf("statusIs(%q) = %q %v, want %q %v", tc.in, cond, args, tc.cond, tc.args)
		}
	}
}
