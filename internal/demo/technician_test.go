package demo

import (
	"context"
	"strings"
	"testing"
	"time"

	"kundportal/internal/repair"
	"kundportal/internal/store"
)

// TestTechnicianSchedule: a technician who logs in to the demo has a day's
// work today, work on the next working days and none at the weekend, and
// yesterday's unfinished visit, all on open cases, as the technician's view
// lists them.
func TestTechnicianSchedule(t *testing.T) {
	nows := []struct {
		name string
		now  time.Time
		next time.Time // the next working day
	}{
		{"wednesday morning", time.Date(2026, time.March, 18, 7, 30, 0, 0, stockholm), time.Date(2026, time.March, 19, 0, 0, 0, 0, stockholm)},
		{"friday afternoon", time.Date(2026, time.March, 20, 15, 0, 0, 0, stockholm), time.Date(2026, time.March, 23, 0, 0, 0, 0, stockholm)},
	}
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) {
			for _, n := range nows {
				t.Run(n.name, func(t *testing.T) {
					db, _ := load(t, d.open, n.now)
					testSchedule(t, db, n.now, n.next)
				})
			}
		})
	}
}

func testSchedule(t *testing.T, db *store.DB, now, next time.Time) {
	ctx := context.Background()
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, stockholm)
	yesterday := today.AddDate(0, 0, -1)
	staff := repair.StaffScope()

	open := func(t *testing.T, scope repair.Scope, from, to time.Time) []store.PlannedWorkOrder {
		t.Helper()
		wos, err := db.OpenWorkOrders(ctx, scope, from, to)
		if err != nil {
			t.Fatal(err)
		}
		var out []store.PlannedWorkOrder
		for _, w := range wos {
			if !w.PlannedStart.IsZero() { // OpenWorkOrders also lists unplanned ones
				out = append(out, w)
			}
		}
		return out
	}
	caseOf := func(t *testing.T, w store.PlannedWorkOrder) repair.Case {
		t.Helper()
		c, err := db.Case(ctx, staff, w.CaseID)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}

	tech, err := db.UserByEmail(ctx, "tekniker@kundportal.example")
	if err != nil {
		t.Fatal(err)
	}
	scope := repair.TechnicianScope(tech.ID)

	t.Run("today", func(t *testing.T) {
		wos := open(t, scope, today, today.AddDate(0, 0, 1))
		if len(wos) < 3 {
			t.Fatalf("OpenWorkOrders(%s, today %s) = %d, want at least 3", tech.Email, today.Format(time.DateOnly), len(wos))
		}
		for i, w := range wos {
			c := caseOf(t, w)
			if !c.Status.Open() {
				t.Errorf("work order %s today is on case %s in %s, want an open case", w.Number, c.Number, c.Status)
			}
			if h := w.PlannedStart.In(stockholm).Hour(); h < openHour || h >= closeHour || !w.PlannedEnd.After(w.PlannedStart) {
				t.Errorf("work order %s planned %v–%v, want in working hours", w.Number, w.PlannedStart, w.PlannedEnd)
			}
			// The first visit of the day is under way once now is past its
			// start; before that, nothing is.
			wantBegun := i == 0 && now.After(w.PlannedStart)
			if begun := w.Status == repair.WorkOrderInProgress; begun != wantBegun {
				t.Errorf("work order %s at %v on %v is %s, want in progress %v", w.Number, w.PlannedStart, now, w.Status, wantBegun)
			}
			if wantBegun && c.Status != repair.StatusInProgress {
				t.Errorf("case %s of the work order under way is %s, want %s", c.Number, c.Status, repair.StatusInProgress)
			}
		}
	})

	t.Run("next working day", func(t *testing.T) {
		if wos := open(t, scope, next, next.AddDate(0, 0, 1)); len(wos) < 2 {
			t.Errorf("OpenWorkOrders(%s, %s) = %d, want at least 2", tech.Email, next.Format("Monday 2006-01-02"), len(wos))
		}
	})

	week := open(t, scope, yesterday, today.AddDate(0, 0, 8))
	t.Run("no weekend work", func(t *testing.T) {
		for _, w := range week {
			if wd := w.PlannedStart.In(stockholm).Weekday(); wd == time.Saturday || wd == time.Sunday {
				t.Errorf("work order %s planned on a %v (%v)", w.Number, wd, w.PlannedStart)
			}
		}
	})

	t.Run("yesterday unfinished", func(t *testing.T) {
		var left int
		for _, w := range open(t, scope, yesterday, today) {
			if w.Status == repair.WorkOrderPlanned && caseOf(t, w).Status == repair.StatusPlanned {
				left++
			}
		}
		if left == 0 {
			t.Errorf("no work order of %s from %s is still planned on a planned case", tech.Email, yesterday.Format(time.DateOnly))
		}
	})

	t.Run("door codes", func(t *testing.T) {
		codes := map[int64]string{}
		for _, w := range week {
			if c := caseOf(t, w); strings.HasPrefix(c.Access, repair.AccessDoorCode+" ") {
				codes[c.ID] = c.Access
			}
		}
		if len(codes) < 2 {
			t.Errorf("%d of the cases on %s's week have a door code (%v), want at least 2", len(codes), tech.Email, codes)
		}
	})

	// The technician records what is done; nothing is recorded on a visit
	// that has not been made.
	t.Run("nothing recorded ahead", func(t *testing.T) {
		for _, w := range open(t, scope, today, today.AddDate(0, 0, 8)) {
			actions, err := db.Actions(ctx, staff, w.CaseID)
			if err != nil {
				t.Fatal(err)
			}
			costs, err := db.CostLines(ctx, staff, w.CaseID)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range actions {
				if a.WorkOrderID == w.ID {
					t.Errorf("work order %s planned %v has an action: %q", w.Number, w.PlannedStart, a.Description)
				}
			}
			for _, l := range costs {
				if l.WorkOrderID == w.ID {
					t.Errorf("work order %s planned %v has a cost line: %q", w.Number, w.PlannedStart, l.Description)
				}
			}
		}
	})

	t.Run("every technician", func(t *testing.T) {
		techs, err := db.UsersByRole(ctx, staff, repair.RoleTechnician)
		if err != nil {
			t.Fatal(err)
		}
		if len(techs) < 2 {
			t.Fatalf("%d demo technicians, want several", len(techs))
		}
		for _, u := range techs {
			if n := len(open(t, repair.TechnicianScope(u.ID), today, today.AddDate(0, 0, 1))); n < 2 {
				t.Errorf("%s has %d open work orders today, want at least 2", u.Email, n)
			}
		}
	})
}

// TestPlanSchedule checks, without a database, that the technician's days
// have the planned load whatever day the demo is loaded: a weekend, a
// holiday, the turn of the year. The schedule skips days off, so on one
// there is nothing today and the coming working days are full.
func TestPlanSchedule(t *testing.T) {
	nows := []time.Time{
		testNow,
		time.Date(2026, time.March, 15, 23, 50, 0, 0, stockholm), // Sunday night
		time.Date(2026, time.January, 1, 0, 5, 0, 0, stockholm),  // New Year's night
		time.Date(2025, time.June, 20, 12, 0, 0, 0, stockholm),   // midsommarafton
		time.Date(2026, time.April, 3, 7, 0, 0, 0, stockholm),    // långfredag
		time.Date(2026, time.April, 2, 16, 45, 0, 0, time.UTC),   // skärtorsdag evening
	}
	for _, now := range nows {
		t.Run(now.Format("2006-01-02T15:04"), func(t *testing.T) {
			g := plan(now)
			tech := g.technician[0]
			if tech.Email != "tekniker@kundportal.example" {
				t.Fatalf("first technician is %s, want tekniker@kundportal.example", tech.Email)
			}
			open := map[string]int{} // by day
			for _, cp := range g.cases {
				for _, v := range cp.visits {
					if v.tech == tech && (v.status == repair.WorkOrderPlanned || v.status == repair.WorkOrderInProgress) {
						open[v.start.In(stockholm).Format(time.DateOnly)]++
					}
				}
			}
			day := func(d time.Time) int { return open[d.Format(time.DateOnly)] }
			check := func(d time.Time, lo, hi int) {
				t.Helper()
				if n := day(d); n < lo || n > hi {
					t.Errorf("%s has %d open visits on %s, want %d–%d", tech.Name, n, d.Format("Monday 2006-01-02"), lo, hi)
				}
			}
			if workday(g.today) {
				check(g.today, 3, 4)
			} else {
				check(g.today, 0, 0)
			}
			last := g.today.AddDate(0, 0, -1)
			for !workday(last) {
				check(last, 0, 0)
				last = last.AddDate(0, 0, -1)
			}
			if day(last) < 1 {
				t.Errorf("%s has no open visit left from %s", tech.Name, last.Format("Monday 2006-01-02"))
			}
			for d, n := g.today.AddDate(0, 0, 1), 0; n < aheadDays; d = d.AddDate(0, 0, 1) {
				if !workday(d) {
					check(d, 0, 0)
					continue
				}
				check(d, 2, 3)
				n++
			}
		})
	}
}
