package repair

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// The Dashboard counts a customer's completed cases: every measure is
// about the cases completed (Utförd, later perhaps Fakturerad) in a
// period, so the cases behind any bar are one Sök ärende list away and
// the bar and the list always agree. Work orders, costs and lead times
// are those of the same cases.

// Measure is what the Dashboard's bars show.
type Measure string

// The seed's four measures.
const (
	MeasureCases      Measure = "arenden"         // completed cases
	MeasureWorkOrders Measure = "arbetsorder"     // their work orders (not cancelled)
	MeasureCosts      Measure = "kostnader"       // their customer-visible costs, öre ex VAT
	MeasureLeadTimes  Measure = "genomloppstider" // registered → completed
)

// Measures lists the measures in the order the drop-down offers them.
var Measures = []Measure{MeasureCases, MeasureWorkOrders, MeasureCosts, MeasureLeadTimes}

// Label is the measure's Swedish name.
func (m Measure) Label() string {
	switch m {
	case MeasureCases:
		return "Ärenden"
	case MeasureWorkOrders:
		return "Arbetsorder"
	case MeasureCosts:
		return "Kostnader"
	case MeasureLeadTimes:
		return "Genomloppstider"
	}
	return string(m)
}

// Valid reports whether m is one of the four measures.
func (m Measure) Valid() bool {
	for _, x := range Measures {
		if m == x {
			return true
		}
	}
	return false
}

// Grouping is what the bars are split by; each has its levels, from the
// top down.
type Grouping string

// Groupings of the Dashboard.
const (
	GroupTime      Grouping = "tid"             // year → month (or ISO week) → day
	GroupPlace     Grouping = "plats"           // Ort → Gata → Objekt
	GroupMachine   Grouping = "maskin"          // Objekttyp → Fabrikat → Objekt
	GroupReference Grouping = "fakturamarkning" // Fakturamärkning
)

// Groupings lists the groupings in the order the form offers them.
var Groupings = []Grouping{GroupTime, GroupPlace, GroupMachine, GroupReference}

// Label is the grouping's Swedish name.
func (g Grouping) Label() string {
	switch g {
	case GroupTime:
		return "Tid"
	case GroupPlace:
		return "Plats (Ort, Gata, Objekt)"
	case GroupMachine:
		return "Maskin (Objekttyp, Fabrikat, Objekt)"
	case GroupReference:
		return "Fakturamärkning"
	}
	return string(g)
}

// Valid reports whether g is one of the groupings.
func (g Grouping) Valid() bool {
	for _, x := range Groupings {
		if g == x {
			return true
		}
	}
	return false
}

// Level is what one bar stands for.
type Level string

// Dashboard levels.
const (
	LevelYear      Level = "year"
	LevelMonth     Level = "month"
	LevelWeek      Level = "week"
	LevelDay       Level = "day"
	LevelCity      Level = "city"
	LevelStreet    Level = "street"
	LevelKind      Level = "kind"
	LevelBrand     Level = "brand"
	LevelAsset     Level = "asset"
	LevelReference Level = "reference"
)

// Label is the level's column heading, as in Sök ärende where it has one.
func (l Level) Label() string {
	switch l {
	case LevelYear:
		return "År"
	case LevelMonth:
		return "Månad"
	case LevelWeek:
		return "Vecka"
	case LevelDay:
		return "Dag"
	case LevelCity:
		return "Ort"
	case LevelStreet:
		return "Gata"
	case LevelKind:
		return "Objekttyp"
	case LevelBrand:
		return "Fabrikat"
	case LevelAsset:
		return "Objekt"
	case LevelReference:
		return "Fakturamärkning"
	}
	return string(l)
}

// Time reports whether the level's bars are periods.
func (l Level) Time() bool {
	return l == LevelYear || l == LevelMonth || l == LevelWeek || l == LevelDay
}

// NoValue is the filter value that stands for "not filled in": the bar of
// cases without an Ort, a Fabrikat or a machine links to Sök ärende with
// it, so that those cases are one click away like all others.
const NoValue = "-"

// NoValueLabel is how a bar of cases without the value is named.
const NoValueLabel = "Ej angivet"

// PeriodKind is the length of a Dashboard period.
type PeriodKind int

// Period lengths.
const (
	PeriodAll PeriodKind = iota
	PeriodYear
	PeriodMonth
	PeriodWeek // ISO 8601 week, Monday to Sunday
	PeriodDay
)

// Period is a span of completion days in Stockholm time: all time, a
// year, a month, an ISO week or a day.
type Period struct {
	Kind PeriodKind
	// Start is the first day at midnight in Stockholm; zero for all time.
	Start time.Time
}

// Earliest and latest years a period may name: outside them nothing was
// completed, and a URL asking for year 99999 gets a message, not a scan.
const (
	periodMinYear = 2000
	periodMaxYear = 2100
)

// ErrPeriod is why a period could not be read; its text is Swedish.
type ErrPeriod string

func (e ErrPeriod) Error() string { return string(e) }

// ParsePeriod reads a period as the URL writes it: "" (all time), "2026",
// "2026-03", "2026-V10" (ISO week) or "2026-03-14".
func ParsePeriod(s string) (Period, error) {
	const msg = ErrPeriod("Perioden finns inte. Ange ett år (2026), en månad (2026-03), en vecka (2026-V10) eller en dag (2026-03-14).")
	if s == "" {
		return Period{}, nil
	}
	year := func(v string) (int, bool) {
		y, err := strconv.Atoi(v)
		return y, err == nil && len(v) == 4 && y >= periodMinYear && y <= periodMaxYear
	}
	switch {
	case len(s) == 4:
		y, ok := year(s)
		if !ok {
			return Period{}, msg
		}
		return Period{Kind: PeriodYear, Start: time.Date(y, 1, 1, 0, 0, 0, 0, Stockholm)}, nil
	case len(s) == 7 && s[4] == '-' && s[5] != 'V':
		y, ok := year(s[:4])
		m, err := strconv.Atoi(s[5:])
		if !ok || err != nil || m < 1 || m > 12 {
			return Period{}, msg
		}
		return Period{Kind: PeriodMonth, Start: time.Date(y, time.Month(m), 1, 0, 0, 0, 0, Stockholm)}, nil
	case (len(s) == 7 || len(s) == 8) && s[4:6] == "-V":
		y, ok := year(s[:4])
		w, err := strconv.Atoi(s[6:])
		if !ok || err != nil || w < 1 || w > isoWeeks(y) {
			return Period{}, msg
		}
		return Period{Kind: PeriodWeek, Start: isoWeekStart(y, w)}, nil
	case len(s) == 10:
		t, err := time.ParseInLocation(time.DateOnly, s, Stockholm)
		if _, ok := year(s[:4]); err != nil || !ok {
			return Period{}, msg
		}
		return Period{Kind: PeriodDay, Start: t}, nil
	}
	return Period{}, msg
}

// isoWeekStart is the Monday of ISO week w of year y.
func isoWeekStart(y, w int) time.Time {
	// 4 January is always in week 1.
	jan4 := time.Date(y, 1, 4, 0, 0, 0, 0, Stockholm)
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
	return monday.AddDate(0, 0, 7*(w-1))
}

// isoWeeks is the number of ISO weeks in year y (52 or 53).
func isoWeeks(y int) int {
	_, w := time.Date(y, 12, 28, 0, 0, 0, 0, Stockholm).ISOWeek()
	return w
}

// PeriodOf is the period of kind k that holds the instant t.
func PeriodOf(k PeriodKind, t time.Time) Period {
	t = t.In(Stockholm)
	switch k {
	case PeriodYear:
		return Period{Kind: k, Start: time.Date(t.Year(), 1, 1, 0, 0, 0, 0, Stockholm)}
	case PeriodMonth:
		return Period{Kind: k, Start: time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, Stockholm)}
	case PeriodWeek:
		y, w := t.ISOWeek()
		return Period{Kind: k, Start: isoWeekStart(y, w)}
	case PeriodDay:
		return Period{Kind: k, Start: time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, Stockholm)}
	}
	return Period{}
}

// End is the midnight after the period's last day; zero for all time.
func (p Period) End() time.Time {
	switch p.Kind {
	case PeriodYear:
		return p.Start.AddDate(1, 0, 0)
	case PeriodMonth:
		return p.Start.AddDate(0, 1, 0)
	case PeriodWeek:
		return p.Start.AddDate(0, 0, 7)
	case PeriodDay:
		return p.Start.AddDate(0, 0, 1)
	}
	return time.Time{}
}

// Previous is the period of the same length just before p; all time has
// none and returns itself.
func (p Period) Previous() Period {
	switch p.Kind {
	case PeriodYear:
		return Period{Kind: p.Kind, Start: p.Start.AddDate(-1, 0, 0)}
	case PeriodMonth:
		return Period{Kind: p.Kind, Start: p.Start.AddDate(0, -1, 0)}
	case PeriodWeek:
		return Period{Kind: p.Kind, Start: p.Start.AddDate(0, 0, -7)}
	case PeriodDay:
		return Period{Kind: p.Kind, Start: p.Start.AddDate(0, 0, -1)}
	}
	return p
}

// String is the period as the URL writes it; ParsePeriod reads it back.
func (p Period) String() string {
	switch p.Kind {
	case PeriodYear:
		return p.Start.Format("2006")
	case PeriodMonth:
		return p.Start.Format("2006-01")
	case PeriodWeek:
		y, w := p.Start.ISOWeek()
		return fmt.Sprintf("%d-V%02d", y, w)
	case PeriodDay:
		return p.Start.Format(time.DateOnly)
	}
	return ""
}

var monthNames = [...]string{"januari", "februari", "mars", "april", "maj", "juni", "juli",
	"augusti", "september", "oktober", "november", "december"}

// MonthName is the Swedish name of m, in lower case as Swedish writes it.
func MonthName(m time.Month) string { return monthNames[m-1] }

// Label is the period in Swedish words: "2026", "mars 2026", "vecka 10
// 2026", "14 mars 2026", "Alla år".
func (p Period) Label() string {
	switch p.Kind {
	case PeriodYear:
		return p.String()
	case PeriodMonth:
		return MonthName(p.Start.Month()) + " " + p.Start.Format("2006")
	case PeriodWeek:
		y, w := p.Start.ISOWeek()
		return fmt.Sprintf("vecka %d %d", w, y)
	case PeriodDay:
		return fmt.Sprintf("%d %s %d", p.Start.Day(), MonthName(p.Start.Month()), p.Start.Year())
	}
	return "Alla år"
}

// DashboardQuery is one Dashboard view: what to count, how to split it,
// for which period, and how far it has been drilled into.
type DashboardQuery struct {
	Measure  Measure
	Grouping Grouping
	Period   Period
	// Weeks splits a year into ISO weeks instead of months.
	Weeks bool
	// The drill path: Ort and Gata (place), Objekttyp and Fabrikat
	// (machine), Fakturamärkning. NoValue stands for "not filled in".
	City, Street, Kind, Brand, Reference string
}

// Level is what each bar of q stands for, or "" when q is already at the
// bottom: a single day, or a single Fakturamärkning, whose cases are a
// list and not a chart.
func (q DashboardQuery) Level() Level {
	switch q.Grouping {
	case GroupTime:
		switch q.Period.Kind {
		case PeriodAll:
			return LevelYear
		case PeriodYear:
			if q.Weeks {
				return LevelWeek
			}
			return LevelMonth
		case PeriodMonth, PeriodWeek:
			return LevelDay
		}
		return ""
	case GroupPlace:
		switch {
		case q.City == "":
			return LevelCity
		case q.Street == "":
			return LevelStreet
		}
		return LevelAsset
	case GroupMachine:
		switch {
		case q.Kind == "":
			return LevelKind
		case q.Brand == "":
			return LevelBrand
		}
		return LevelAsset
	case GroupReference:
		if q.Reference == "" {
			return LevelReference
		}
	}
	return ""
}

// Validate checks q as it came from a URL, with a Swedish message per
// wrong part; the keys are the URL parameters.
func (q DashboardQuery) Validate() FieldErrors {
	fe := FieldErrors{}
	if !q.Measure.Valid() {
		fe.Add("matt", "Okänt mått. Välj Ärenden, Arbetsorder, Kostnader eller Genomloppstider.")
	}
	if !q.Grouping.Valid() {
		fe.Add("grupp", "Okänd gruppering. Välj Tid, Plats, Maskin eller Fakturamärkning.")
	}
	if q.Street != "" && q.City == "" {
		fe.Add("gata", "Välj en ort innan du väljer gata.")
	}
	if q.Brand != "" && q.Kind == "" {
		fe.Add("fabrikat", "Välj en objekttyp innan du väljer fabrikat.")
	}
	for k, v := range map[string]string{"ort": q.City, "gata": q.Street, "objekttyp": q.Kind, "fabrikat": q.Brand, "fakturamarkning": q.Reference} {
		if len(v) > 120 || strings.ContainsAny(v, "\uFFFD\x00") {
			fe.Add(k, "Värdet är för långt eller innehåller ogiltiga tecken.")
		}
	}
	if q.Grouping.Valid() && len(fe) == 0 && q.Level() == "" {
		switch q.Grouping {
		case GroupTime:
			fe.Add("period", "En dag delas inte upp vidare. Välj en månad, en vecka eller ett år, eller se dagens ärenden i Sök ärende.")
		default:
			fe.Add("fakturamarkning", "En fakturamärkning delas inte upp vidare. Se dess ärenden i Sök ärende.")
		}
	}
	return fe
}

// CaseFilter is the Sök ärende filter for the cases behind q: the same
// cases the Dashboard counted, so the list's length equals the bar.
func (q DashboardQuery) CaseFilter() CaseFilter {
	f := CaseFilter{
		City: q.City, Street: q.Street, StreetExact: q.Street != "", Kind: q.Kind, Brand: q.Brand,
		InvoiceReference: q.Reference, Completed: true, Sort: SortCompleted,
	}
	f.CompletedFrom, f.CompletedTo = q.Period.Start, q.Period.End()
	return f
}

// Drill is q narrowed to the bar with key at q's level: a period, an
// Ort, a Gata, an Objekttyp, a Fabrikat or a Fakturamärkning. At the
// asset level key is the machine's number, which CaseFilter cannot take
// from a DashboardQuery; callers add it to the filter themselves.
func (q DashboardQuery) Drill(key string) (DashboardQuery, error) {
	switch q.Level() {
	case LevelYear, LevelMonth, LevelWeek, LevelDay:
		p, err := ParsePeriod(key)
		if err != nil {
			return q, err
		}
		q.Period = p
	case LevelCity:
		q.City = key
	case LevelStreet:
		q.Street = key
	case LevelKind:
		q.Kind = key
	case LevelBrand:
		q.Brand = key
	case LevelReference:
		q.Reference = key
	}
	return q, nil
}

// Bucket is one bar: the cases completed in it and what they add up to.
type Bucket struct {
	// Key is the bar's value in a URL (a period, a folded Ort, an asset
	// number, or NoValue); Label is how it is shown.
	Key, Label string
	Cases      int64
	// Repeats counts the cases filed within 90 days of an earlier case on
	// the same machine being completed.
	Repeats    int64
	WorkOrders int64
	// Costs are customer-visible, öre ex VAT, per kind in CostKinds order.
	Costs [4]int64
	// Lead counts the cases per lead-time bin (see LeadBin).
	Lead LeadHistogram
}

// Add adds o's numbers to b.
func (b *Bucket) Add(o Bucket) {
	b.Cases += o.Cases
	b.Repeats += o.Repeats
	b.WorkOrders += o.WorkOrders
	for i := range b.Costs {
		b.Costs[i] += o.Costs[i]
	}
	b.Lead.Merge(o.Lead)
}

// CostOre is the bucket's total cost, öre ex VAT.
func (b Bucket) CostOre() int64 { return CostTotal(b.Costs) }

// Value is the bucket's number for measure m, for bar lengths: a count,
// öre, or for lead times the median in hours.
func (b Bucket) Value(m Measure) float64 {
	switch m {
	case MeasureWorkOrders:
		return float64(b.WorkOrders)
	case MeasureCosts:
		return float64(b.CostOre())
	case MeasureLeadTimes:
		d, ok := b.Lead.Percentile(0.5)
		if !ok {
			return 0
		}
		return d.Hours()
	}
	return float64(b.Cases)
}

// CostIndex is the position of kind k in Bucket.Costs.
func CostIndex(k CostKind) int {
	for i, x := range CostKinds {
		if x == k {
			return i
		}
	}
	return -1
}

// RepeatWindow is how soon after a completed case on the same machine a
// new case counts as a repeat fault.
const RepeatWindow = 90 * 24 * time.Hour

// leadBounds are the lead-time bins' upper bounds in hours: bin i holds
// lead times of at least leadBounds[i-1] and less than leadBounds[i]
// hours; the last bin holds everything from a year up. They are finest
// where repairs usually end: hourly at first, then at most a fifth of the
// value wide up to a month and a third beyond, so that a month's
// histogram is a few dozen rows however many cases it holds, and the
// median and 90th percentile are read off it to within one bin.
var leadBounds = [...]int{
	1, 2, 3, 4, 6, 8, 10, 12, 15, 18, 21, 24,
	30, 36, 42, 48, 54, 60, 66, 72, 84, 96, 108, 120, 132, 144, 156, 168,
	192, 216, 240, 264, 288, 312, 336, 384, 432, 480, 552, 624, 720,
	840, 1008, 1176, 1344, 1512, 1680, 2016, 2184, 2880, 3600, 4320, 6480, 8760,
}

// LeadBins is the number of lead-time bins.
const LeadBins = len(leadBounds) + 1

// LeadBin is the bin of a lead time d (negative counts as zero).
func LeadBin(d time.Duration) int {
	h := int(math.Floor(d.Hours()))
	for i, b := range leadBounds {
		if h < b {
			return i
		}
	}
	return len(leadBounds)
}

// LeadBinUpper is the upper bound of bin i, the value a percentile in that
// bin is reported as ("within"); the last bin has none and reports a year.
func LeadBinUpper(i int) time.Duration {
	if i >= len(leadBounds) {
		return time.Duration(leadBounds[len(leadBounds)-1]) * time.Hour
	}
	return time.Duration(leadBounds[i]) * time.Hour
}

// LeadHistogram counts cases per lead-time bin. An array, not a map: a
// page of kept Dashboard bars is copied for each request, and copying
// maps was a fifth of a month's allocations.
type LeadHistogram [LeadBins]int64

// Add counts n cases in bin; a bin beyond the last counts in the last
// (a year and more), one below the first in the first.
func (h *LeadHistogram) Add(bin int, n int64) {
	h[min(max(bin, 0), LeadBins-1)] += n
}

// Merge adds o's counts to h.
func (h *LeadHistogram) Merge(o LeadHistogram) {
	for bin, n := range o {
		h[bin] += n
	}
}

// Count is the number of cases in h.
func (h LeadHistogram) Count() int64 {
	var n int64
	for _, c := range h {
		n += c
	}
	return n
}

// Percentile is the p-quantile (0 < p ≤ 1) of the lead times in h by the
// nearest-rank method, as the upper bound of the bin it falls in: the
// smallest bin such that at least p of the cases are in it or below. ok is
// false for an empty histogram. Never a mean: one case that waited a year
// for a part does not move it.
func (h LeadHistogram) Percentile(p float64) (d time.Duration, ok bool) {
	n := h.Count()
	if n == 0 {
		return 0, false
	}
	rank := int64(math.Ceil(p * float64(n)))
	rank = max(rank, 1)
	var seen int64
	for bin := 0; bin < LeadBins; bin++ {
		seen += h[bin]
		if seen >= rank {
			return LeadBinUpper(bin), true
		}
	}
	return LeadBinUpper(LeadBins - 1), true
}
