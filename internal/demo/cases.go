package demo

import (
	"context"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"kundportal/internal/repair"
	"kundportal/internal/store"
)

// Case types besides repair.PortalCaseType, for cases the office registers.
const (
	phoneCaseType    = "Telefonärende"
	warrantyCaseType = "Garantiärende"
)

// Fixed prices, öre ex VAT.
const (
	travelOre = 39500 // Resa, one visit anywhere in Skaraborg
	smallsOre = 6500  // Småmaterial
)

// casePlan is one case with everything that happens to it.
type casePlan struct {
	c        repair.Case
	cust     *customerPlan
	asset    *assetPlan // nil when the reporter chose no machine
	site     *site
	kind     string
	brand    string
	fix      *fix
	phone    bool // registered by the office rather than in the portal
	warranty bool
	reporter *repair.User // who the history names as registering it
	tech     *repair.User
	rateOre  int64
	photo    bool // someone took a photo of the fault
	seed     uint64

	// stopAt, when set, holds the case in that status even if the
	// simulated work would have gone further, so that every status is
	// present whatever now is.
	stopAt repair.Status

	// What simulate worked out.
	status      repair.Status
	events      []event
	visits      []*visit
	completedAt time.Time
	bookings    []booking
}

// event is one status change after registration.
type event struct {
	at     time.Time
	status repair.Status
	by     *repair.User
	note   string
}

// visit is a work order with what was done on it.
type visit struct {
	tech                *repair.User
	created, start, end time.Time
	done                time.Time
	status              repair.WorkOrderStatus
	actions             []plannedAction
	costs               []repair.CostLine
	wo                  repair.WorkOrder // set when written
}

type plannedAction struct {
	on      time.Time
	text    string
	minutes int
	visible bool
}

// planCases makes the year of cases: a few per machine, depending on how
// hard the machine is used, and some where the reporter chose no machine.
func (g *generator) planCases() {
	for _, ap := range g.assets {
		span := casesPerYear[ap.site.kind]
		for range span[0] + g.r.IntN(span[1]-span[0]+1) {
			g.cases = append(g.cases, g.newCase(ap.site, ap, ap.a.Kind))
		}
	}
	for range 45 {
		// The reporter did not pick the machine from the list; the
		// technician finds out its make on site.
		ap := g.assets[g.r.IntN(len(g.assets))]
		cp := g.newCase(ap.site, nil, ap.a.Kind)
		cp.brand = ap.a.Brand
		g.cases = append(g.cases, cp)
	}
	// Case numbers follow registration, as they do when people file them.
	slices.SortStableFunc(g.cases, func(a, b *casePlan) int { return a.c.RegisteredAt.Compare(b.c.RegisteredAt) })
	for i, cp := range g.cases {
		cp.seed = uint64(i)
		g.simulate(cp)
	}
	g.fillQueues()
}

// newCase writes a service request about a fault on a kind of machine at s.
func (g *generator) newCase(s *site, ap *assetPlan, kind string) *casePlan {
	r := g.r
	faults := faultsFor(kind)
	f := &faults[r.IntN(len(faults))]
	cp := &casePlan{cust: s.cust, asset: ap, site: s, kind: kind, fix: &f.fixes[r.IntN(len(f.fixes))], tech: g.techFor(s.city)}
	cp.phone = r.Float64() < 0.17
	at := g.registered(cp.phone)
	var contract *repair.Contract
	if ap != nil {
		contract = ap.contract
		cp.brand = ap.a.Brand
		installed, _ := time.ParseInLocation(time.DateOnly, ap.a.InstalledOn, stockholm)
		if !cp.phone && at.Sub(installed) < 2*365*24*time.Hour && r.IntN(2) == 0 {
			// The office registers warranty cases, in working hours.
			if w := g.work(at); w.Before(g.now) {
				cp.warranty, at = true, w
			}
		}
	}
	cp.rateOre = rate(s.cust, contract)
	cp.photo = r.Float64() < 0.04
	g.request(cp, f, contract, at)
	return cp
}

// request fills in cp.c, the service request as the Nytt ärende form
// takes it, from the site and the machine, and who filed it: the office
// for a phoned-in or warranty case, otherwise one of the site's reporters.
func (g *generator) request(cp *casePlan, f *fault, contract *repair.Contract, at time.Time) {
	r, s := g.r, cp.site
	c := repair.Case{
		Type:             repair.PortalCaseType,
		Title:            s.city + " " + cp.kind + " " + f.title,
		Description:      g.description(s, cp.asset, f),
		SiteName:         s.name,
		Street:           s.street,
		SitePhone1:       s.phone1,
		SitePhone2:       s.phone2,
		PostalCode:       s.postal,
		City:             s.city,
		Access:           s.access,
		InvoiceReference: s.ref,
		RegisteredAt:     at,
	}
	if contract != nil {
		c.ContractNumber = contract.Number
	}
	if r.IntN(4) == 0 {
		c.InvoiceReference = s.cust.row.refs[r.IntN(len(s.cust.row.refs))]
	}
	switch {
	case cp.phone || cp.warranty:
		c.Type = phoneCaseType
		if cp.warranty {
			c.Type = warrantyCaseType
		}
		c.ReporterName, c.ReporterPhone = s.contact, s.phone1
		cp.reporter = g.dispatcher
	default:
		u := s.reporters[r.IntN(len(s.reporters))]
		c.ReporterName, c.ReporterPhone = u.Name, u.Phone
		cp.reporter = u
	}
	cp.c = c
}

// faultsFor lists the faults a kind of machine can have.
func faultsFor(kind string) []fault {
	var out []fault
	for _, kf := range faultTable {
		if slices.Contains(kf.kinds, kind) {
			out = append(out, kf.faults...)
		}
	}
	return out
}

// description is the Beskrivning as the reporter would write it: the fault,
// a note or two about the site, and the make and model.
func (g *generator) description(s *site, ap *assetPlan, f *fault) string {
	var notes []string
	switch s.kind {
	case apartment:
		notes = tenantNotes
	case laundryRoom:
		notes = laundryNotes
	case department, careKitchen, careRoom:
		notes = careNotes
	default:
		notes = businessNotes
	}
	parts := []string{f.text}
	first := -1
	for range g.r.IntN(3) {
		i := g.r.IntN(len(notes))
		if i != first {
			parts = append(parts, notes[i])
			first = i
		}
	}
	switch {
	case ap == nil && g.r.IntN(2) == 0:
		parts = append(parts, "Objektlapp saknas.")
	case ap == nil:
		parts = append(parts, "Vet ej fabrikat.")
	case g.r.IntN(5) == 0:
		parts = append(parts, fmt.Sprintf("Fabrikat %s, objektnummer %s.", ap.a.Brand, ap.a.Number))
	default:
		parts = append(parts, fmt.Sprintf("Fabrikat %s %s.", ap.a.Brand, ap.a.Model))
	}
	return strings.Join(parts, " ")
}

// techFor picks the technician for a town: usually the one whose area it
// is, sometimes another who has time.
func (g *generator) techFor(city string) *repair.User {
	if g.r.IntN(7) == 0 {
		return g.technician[g.r.IntN(len(g.technician))]
	}
	for i, cities := range g.techCities {
		if slices.Contains(cities, city) {
			return g.technician[i]
		}
	}
	return g.technician[0]
}

// registered is when a case was filed: on a day in the year before now,
// fewer at weekends and in July; the office takes calls in working hours,
// the portal is also used in the evening.
func (g *generator) registered(office bool) time.Time {
	for {
		day := g.today.AddDate(0, 0, -g.r.IntN(365))
		w := 1.0
		switch {
		case day.Weekday() == time.Saturday:
			w = 0.3
		case day.Weekday() == time.Sunday:
			w = 0.2
		case !workday(day):
			w = 0.25
		}
		if day.Month() == time.July {
			w *= 0.6
		}
		if (office && !workday(day)) || g.r.Float64() >= w {
			continue
		}
		if t := g.clock(day, office); t.Before(g.now.Add(-10 * time.Minute)) {
			return t
		}
	}
}

// clock is a time on day when a case gets filed: in office hours by the
// office, mostly in working hours but also in the evening in the portal,
// and in the daytime at weekends and on holidays.
func (g *generator) clock(day time.Time, office bool) time.Time {
	var minute int
	switch {
	case !workday(day):
		minute = 9*60 + g.r.IntN(12*60)
	case office || g.r.Float64() < 0.8:
		minute = 7*60 + g.r.IntN(9*60+30)
	default:
		minute = 17*60 + g.r.IntN(5*60)
	}
	return time.Date(day.Year(), day.Month(), day.Day(), minute/60, minute%60, g.r.IntN(60), 0, stockholm)
}

// simulate walks the case through the order system: received by the office,
// planned, visited, perhaps waiting for a part and visited again, completed
// and invoiced. Whatever would happen after now, or after stopAt, does not
// happen. Each case has its own random source, so simulating one case again
// with another stopAt changes nothing else.
func (g *generator) simulate(cp *casePlan) {
	r := rand.New(rand.NewPCG(cp.seed, 0x73696d756c617465))
	cp.status, cp.events, cp.visits, cp.completedAt = repair.StatusRegistered, nil, nil, time.Time{}
	for _, b := range cp.bookings {
		delete(g.booked, b)
	}
	cp.bookings = nil
	stop := cp.stopAt
	emit := func(at time.Time, s repair.Status, by *repair.User, note string) bool {
		if !at.Before(g.now) {
			return false
		}
		cp.events = append(cp.events, event{at: at, status: s, by: by, note: note})
		cp.status = s
		return s != stop
	}
	if stop == repair.StatusRegistered {
		return
	}
	t := cp.c.RegisteredAt
	if !cp.phone {
		// A phoned-in case is planned at once; portal cases first land in
		// the intake queue.
		t = g.work(t.Add(between(r, 5*time.Minute, 3*time.Hour)))
		if !emit(t, repair.StatusReceived, g.dispatcher, "") {
			return
		}
	}
	if stop == "" && r.Float64() < 0.025 {
		emit(g.work(t.Add(between(r, time.Hour, 48*time.Hour))), repair.StatusCancelled, g.dispatcher, cancelNotes[r.IntN(len(cancelNotes))])
		return
	}
	orderPart := cp.fix.diagnose != "" && (stop == repair.StatusAwaitingPart || (stop == "" && r.Float64() < 0.3))
	var end time.Time
	for round := 0; ; round++ {
		planned := g.work(t.Add(between(r, 20*time.Minute, 20*time.Hour)))
		earliest := planned.Add(between(r, 18*time.Hour, 4*24*time.Hour))
		if stop == repair.StatusPlanned && earliest.Before(g.now) {
			earliest = g.now.Add(between(r, 2*time.Hour, 3*24*time.Hour))
		}
		if !planned.Before(g.now) {
			return
		}
		start := g.book(cp, r, earliest)
		v := &visit{tech: cp.tech, created: planned, start: start, end: start.Add(2 * time.Hour), status: repair.WorkOrderPlanned}
		cp.visits = append(cp.visits, v)
		if !emit(planned, repair.StatusPlanned, g.dispatcher, "Bokad: "+cp.tech.Name+" "+start.Format("2006-01-02 15:04")) {
			return
		}
		if round == 0 && stop == "" && r.Float64() < 0.012 {
			at := g.work(planned.Add(between(r, 2*time.Hour, 24*time.Hour)))
			if at.Before(start) && at.Before(g.now) {
				emit(at, repair.StatusCancelled, g.dispatcher, "Besöket avbokat av kunden")
				v.status = repair.WorkOrderCancelled
				return
			}
		}
		arrived := start.Add(between(r, 0, 40*time.Minute))
		if !arrived.Before(g.now) {
			return
		}
		// The visit is under way before the case may stop at Pågående,
		// so that a case held there has its work order under way too.
		v.status = repair.WorkOrderInProgress
		if !emit(arrived, repair.StatusInProgress, cp.tech, "") {
			return
		}
		if round == 0 && orderPart {
			minutes := 30 + 5*r.IntN(7)
			end = arrived.Add(time.Duration(minutes) * time.Minute)
			if !end.Before(g.now) {
				return
			}
			g.finish(r, cp, v, end, minutes, cp.fix.diagnose+", reservdel beställd.", false)
			if !emit(end, repair.StatusAwaitingPart, cp.tech, "Beställt: "+cp.fix.part) {
				return
			}
			// The part comes in and the office books a new visit.
			t = g.work(end.Add(between(r, 2*24*time.Hour, 10*24*time.Hour)))
			continue
		}
		minutes := min(180, max(30, cp.fix.minutes*(80+r.IntN(46))/100/5*5))
		end = arrived.Add(time.Duration(minutes) * time.Minute)
		if !end.Before(g.now) {
			return
		}
		g.finish(r, cp, v, end, minutes, cp.fix.action, cp.fix.part != "")
		if !emit(end, repair.StatusCompleted, cp.tech, "") {
			return
		}
		cp.completedAt = end
		break
	}
	if cp.warranty {
		return // the manufacturer pays; nothing to invoice the customer
	}
	emit(g.work(end.Add(between(r, 3*24*time.Hour, 20*24*time.Hour))), repair.StatusInvoiced, g.dispatcher, "")
}

// finish closes a visit at end with its action and cost lines.
func (g *generator) finish(r *rand.Rand, cp *casePlan, v *visit, end time.Time, minutes int, action string, withPart bool) {
	v.status, v.done = repair.WorkOrderDone, end
	v.actions = append(v.actions, plannedAction{on: end, text: action, minutes: minutes, visible: true})
	if r.IntN(12) == 0 {
		v.actions = append(v.actions, plannedAction{on: end, text: "Intern notering: " + internalNotes[r.IntN(len(internalNotes))], minutes: 15})
	}
	quarters := (minutes + 14) / 15
	v.costs = append(v.costs,
		repair.CostLine{Kind: repair.CostLabour, Description: "Arbetstid", QuantityMilli: int64(quarters) * 250, UnitPriceOre: cp.rateOre, CustomerVisible: true},
		repair.CostLine{Kind: repair.CostTravel, Description: "Resa " + cp.site.city, QuantityMilli: 1000, UnitPriceOre: travelOre, CustomerVisible: true},
	)
	if withPart {
		v.costs = append(v.costs, repair.CostLine{Kind: repair.CostPart, Description: cp.fix.part, Article: article(cp.brand, cp.fix.part),
			QuantityMilli: 1000, UnitPriceOre: cp.fix.priceKr * 100, CustomerVisible: true})
	}
	if r.IntN(10) == 0 {
		v.costs = append(v.costs, repair.CostLine{Kind: repair.CostFee, Description: "Småmaterial", QuantityMilli: 1000, UnitPriceOre: smallsOre, CustomerVisible: r.IntN(3) > 0})
	}
}

// article is a stable spare-part number for a brand's part, so the same
// part of the same brand always has the same number.
func article(brand, part string) string {
	prefix := "RD"
	for _, p := range partPrefix {
		if p.brand == brand {
			prefix = p.prefix
		}
	}
	h := fnv.New32a()
	h.Write([]byte(brand + "/" + part))
	n := h.Sum32()
	return fmt.Sprintf("%s-%06d-%03d", prefix, n%1_000_000, (n/1_000_000)%1000)
}

// queueMinimum is how many cases each open status should have at least, so
// that every queue in the order system and every filter has something.
var queueMinimum = []struct {
	status repair.Status
	n      int
	within time.Duration
}{
	{repair.StatusRegistered, 4, 7 * 24 * time.Hour},
	{repair.StatusReceived, 5, 30 * 24 * time.Hour},
	{repair.StatusPlanned, 8, 30 * 24 * time.Hour},
	{repair.StatusInProgress, 4, 30 * 24 * time.Hour},
	{repair.StatusAwaitingPart, 6, 45 * 24 * time.Hour},
}

// fillQueues holds some of the newest finished cases in an open status
// where the simulation left too few: the office is never that quick in
// reality, and a demo needs something in every queue whatever now is.
func (g *generator) fillQueues() {
	// Every customer's portal has a case it may still add to or cancel,
	// whichever customers the queues' newest cases are of.
	for _, c := range g.customers {
		g.fillQueue(repair.StatusRegistered, 1, 7*24*time.Hour, c)
	}
	for _, q := range queueMinimum {
		g.fillQueue(q.status, q.n, q.within, nil)
	}
}

// fillQueue holds some of the newest finished cases (of cust, if not
// nil) filed within the time before now in status s, until n are in it.
func (g *generator) fillQueue(s repair.Status, n int, within time.Duration, cust *customerPlan) {
	in := 0
	for _, cp := range g.cases {
		if cp.status == s && (cust == nil || cp.cust == cust) {
			in++
		}
	}
	for i := len(g.cases) - 1; i >= 0 && in < n; i-- {
		cp := g.cases[i]
		if g.now.Sub(cp.c.RegisteredAt) > within {
			break
		}
		if (cust != nil && cp.cust != cust) || cp.stopAt != "" || cp.status == repair.StatusCancelled ||
			(s != repair.StatusRegistered && cp.status.Open()) ||
			(s == repair.StatusReceived && cp.phone) ||
			(s == repair.StatusAwaitingPart && cp.fix.diagnose == "") {
			continue
		}
		cp.stopAt = s
		g.simulate(cp)
		if cp.status != s {
			cp.stopAt = ""
			g.simulate(cp)
			continue
		}
		in++
	}
}

// writeCase inserts the case, walks its status history and writes its work
// orders with their actions and costs.
func (g *generator) writeCase(ctx context.Context, tx *store.Tx, cp *casePlan) error {
	cp.c.CustomerID = cp.cust.c.ID
	if cp.asset != nil {
		cp.c.AssetID = cp.asset.a.ID
	}
	cp.c.ReportedBy = cp.reporter.ID
	if err := tx.CreateCase(ctx, &cp.c); err != nil {
		return err
	}
	for _, e := range cp.events {
		if err := tx.SetCaseStatus(ctx, cp.c.ID, e.status, e.by.ID, e.note, e.at); err != nil {
			return err
		}
	}
	for _, v := range cp.visits {
		v.wo = repair.WorkOrder{
			CaseID: cp.c.ID, TechnicianID: v.tech.ID, Status: v.status,
			PlannedStart: v.start, PlannedEnd: v.end, CreatedAt: v.created, CompletedAt: v.done,
		}
		if err := tx.CreateWorkOrder(ctx, &v.wo); err != nil {
			return err
		}
		for _, pa := range v.actions {
			a := repair.Action{
				WorkOrderID: v.wo.ID, PerformedOn: pa.on.Format(time.DateOnly), TechnicianID: v.tech.ID,
				Description: pa.text, Minutes: pa.minutes, CustomerVisible: pa.visible, CreatedAt: pa.on,
			}
			if err := tx.AddAction(ctx, &a); err != nil {
				return err
			}
		}
		for i := range v.costs {
			v.costs[i].WorkOrderID = v.wo.ID
			v.costs[i].CreatedAt = v.start
			if err := tx.AddCostLine(ctx, &v.costs[i]); err != nil {
				return err
			}
		}
	}
	return nil
}
