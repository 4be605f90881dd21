package demo

import (
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"kundportal/internal/repair"
)

// The technicians' days around now. The simulated year leaves a technician
// with a visit here and there in the coming days, or none; the technician's
// phone view should have a full day to try the moment someone logs in. So
// every demo technician gets a schedule: visits booked today and on the
// next working days, on open cases at real demo machines, and one from the
// last working day that was never done, which the view keeps on top.

// aheadDays is how many working days after today the schedule covers.
const aheadDays = 4

// visitLength is how long a scheduled visit is booked for, 08:00–09:30 in
// the first slot: the time windows the dispatchers give the customers.
const visitLength = 90 * time.Minute

// workload is how many visits a technician has on the last working day
// (left open), today and each of the next working days, as [min, max].
type workload struct{ overdue, today, ahead [2]int }

// workloads are the technicians' loads in people order: the first is
// tekniker@kundportal.example, the technician login DESIGN.md names, with
// full days; the other technicians' are lighter.
var workloads = []workload{
	{overdue: [2]int{1, 1}, today: [2]int{3, 4}, ahead: [2]int{2, 3}},
	{overdue: [2]int{0, 1}, today: [2]int{2, 3}, ahead: [2]int{1, 2}},
}

// slot is a visit reserved for a technician's schedule.
type slot struct {
	tech  *repair.User
	start time.Time
	first bool // the technician's first visit today, begun if now is past it
}

// reserveSchedule books the technicians' schedule slots before the year's
// cases are simulated, so that the schedule is there whatever the
// simulation did. Today and the days ahead are blocked whole: a simulated
// visit that would have fallen in them is booked after them, and a day has
// the visits the workload says. The numbers of visits and their hours come
// from a random source of their own: drawing them from g.r here would
// change every case of the year.
func (g *generator) reserveSchedule() {
	r := rand.New(rand.NewPCG(0x6b756e64706f7274, 0x7363686564756c65))
	count := func(span [2]int) int { return span[0] + r.IntN(span[1]-span[0]+1) }
	overdue := g.today.AddDate(0, 0, -1)
	for !workday(overdue) {
		overdue = overdue.AddDate(0, 0, -1)
	}
	var ahead []time.Time
	for day := g.today.AddDate(0, 0, 1); len(ahead) < aheadDays; day = day.AddDate(0, 0, 1) {
		if workday(day) {
			ahead = append(ahead, day)
		}
	}
	for i, tech := range g.technician {
		w := workloads[min(i, len(workloads)-1)]
		// Yesterday's unfinished visit is the last of that day, the one
		// a technician runs out of time for.
		n := count(w.overdue)
		g.reserve(tech, overdue, slotHours[len(slotHours)-n:], false)
		if workday(g.today) {
			g.block(tech, g.today)
			g.reserve(tech, g.today, slotHours[:count(w.today)], true)
		}
		for _, day := range ahead {
			g.block(tech, day)
			hours := r.Perm(len(slotHours))[:count(w.ahead)]
			slices.Sort(hours)
			for j, h := range hours {
				hours[j] = slotHours[h]
			}
			g.reserve(tech, day, hours, false)
		}
	}
}

// block books every visit slot of tech on day.
func (g *generator) block(tech *repair.User, day time.Time) {
	for _, h := range slotHours {
		g.booked[booking{tech, time.Date(day.Year(), day.Month(), day.Day(), h, 0, 0, 0, stockholm).Unix()}] = true
	}
}

// reserve books tech on day at hours for the schedule.
func (g *generator) reserve(tech *repair.User, day time.Time, hours []int, today bool) {
	for j, h := range hours {
		s := slot{tech: tech, start: time.Date(day.Year(), day.Month(), day.Day(), h, 0, 0, 0, stockholm), first: today && j == 0}
		g.booked[booking{tech, s.start.Unix()}] = true
		g.schedule = append(g.schedule, s)
	}
}

// planSchedule writes a case for every reserved slot, on a machine that has
// no open case yet, and files it among the year's cases in registration
// order, so that case numbers still follow registration. Its random choices
// come from g.r after every case of the year has drawn its own.
func (g *generator) planSchedule() {
	busy := map[*assetPlan]bool{}
	for _, cp := range g.cases {
		if cp.asset != nil && cp.status.Open() {
			busy[cp.asset] = true
		}
	}
	nth := map[*repair.User]int{}
	for _, s := range g.schedule {
		ti := slices.Index(g.technician, s.tech)
		k := nth[s.tech]
		nth[s.tech]++
		ap := g.machineFor(ti, k, busy)
		busy[ap] = true
		g.cases = append(g.cases, g.scheduledCase(ap, s))
	}
	slices.SortStableFunc(g.cases, func(a, b *casePlan) int { return a.c.RegisteredAt.Compare(b.c.RegisteredAt) })
}

// machineFor picks the machine for technician ti's k-th scheduled visit.
// The visits go round the customers, more often to those with machines in
// the technician's area, and every fourth is to a site with a door code so
// that the technician sees one in the first days. A machine in the area
// comes first; the conditions are dropped one by one until one fits.
func (g *generator) machineFor(ti, k int, busy map[*assetPlan]bool) *assetPlan {
	area := g.techCities[ti]
	inArea := func(ap *assetPlan) bool { return slices.Contains(area, ap.site.city) }
	var home, away []int
	for ci, cp := range g.customers {
		if slices.ContainsFunc(g.assets, func(ap *assetPlan) bool { return ap.site.cust == cp && inArea(ap) }) {
			home = append(home, ci)
		} else {
			away = append(away, ci)
		}
	}
	rotation := slices.Concat(home, home, away)
	cust := g.customers[rotation[k%len(rotation)]]
	ofCust := func(ap *assetPlan) bool { return ap.site.cust == cust }
	code := func(ap *assetPlan) bool { return strings.HasPrefix(ap.site.access, repair.AccessDoorCode+" ") }
	all := func(conds ...func(*assetPlan) bool) func(*assetPlan) bool {
		return func(ap *assetPlan) bool {
			for _, c := range conds {
				if !c(ap) {
					return false
				}
			}
			return true
		}
	}
	tiers := []func(*assetPlan) bool{all(ofCust, inArea), all(ofCust), all(inArea), all()}
	if k%4 == 0 {
		tiers = []func(*assetPlan) bool{all(code, ofCust, inArea), all(code, inArea), all(code, ofCust), all(code), all(inArea), all()}
	}
	for _, fits := range tiers {
		var match []*assetPlan
		for _, ap := range g.assets {
			if !busy[ap] && fits(ap) {
				match = append(match, ap)
			}
		}
		if len(match) > 0 {
			return match[g.r.IntN(len(match))]
		}
	}
	// Every machine has an open case: share one rather than fail.
	return g.assets[g.r.IntN(len(g.assets))]
}

// scheduledCase is the open case behind a scheduled visit: a fault
// reported a few working days before and planned by the office, with the
// visit still to be done, or under way if it is today's first and now is
// past its start. It has no actions or costs: the technician records them.
func (g *generator) scheduledCase(ap *assetPlan, s slot) *casePlan {
	r := g.r
	faults := faultsFor(ap.a.Kind)
	f := &faults[r.IntN(len(faults))]
	cp := &casePlan{
		cust: ap.site.cust, asset: ap, site: ap.site, kind: ap.a.Kind, brand: ap.a.Brand,
		fix: &f.fixes[r.IntN(len(f.fixes))], tech: s.tech, rateOre: rate(ap.site.cust, ap.contract),
		bookings: []booking{{s.tech, s.start.Unix()}},
	}
	cp.phone = r.Float64() < 0.17
	// Everything before the visit happened before now and before the
	// visit's start; a case filed late in a day may only be planned the
	// next, so go back a day more if the first try runs past the deadline.
	deadline := s.start
	if g.now.Before(deadline) {
		deadline = g.now
	}
	back := 3 + r.IntN(4)
	var at, received, planned time.Time
	for ; ; back++ {
		day := deadline
		for n := 0; n < back; {
			if day = day.AddDate(0, 0, -1); workday(day) {
				n++
			}
		}
		at = g.clock(day, cp.phone)
		received = at
		if !cp.phone {
			received = g.work(at.Add(between(r, 5*time.Minute, 3*time.Hour)))
		}
		planned = g.work(received.Add(between(r, 20*time.Minute, 20*time.Hour)))
		if planned.Before(deadline) {
			break
		}
	}
	g.request(cp, f, ap.contract, at)
	if !cp.phone {
		cp.events = append(cp.events, event{at: received, status: repair.StatusReceived, by: g.dispatcher})
	}
	cp.events = append(cp.events, event{at: planned, status: repair.StatusPlanned, by: g.dispatcher,
		note: "Bokad: " + s.tech.Name + " " + s.start.Format("2006-01-02 15:04")})
	v := &visit{tech: s.tech, created: planned, start: s.start, end: s.start.Add(visitLength), status: repair.WorkOrderPlanned}
	if s.first && g.now.After(s.start) {
		arrived := s.start.Add(between(r, 0, min(20*time.Minute, g.now.Sub(s.start))))
		cp.events = append(cp.events, event{at: arrived, status: repair.StatusInProgress, by: s.tech})
		v.status = repair.WorkOrderInProgress
	}
	cp.visits = []*visit{v}
	cp.status = cp.events[len(cp.events)-1].status
	return cp
}
