package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"kundportal/internal/export"
	"kundportal/internal/repair"
	"kundportal/internal/sv"
)

// The Dashboard: a customer's completed cases counted by time, place,
// machine or Fakturamärkning. The whole view lives in the URL; every bar
// drills one level down or, at the bottom, opens Sök ärende with the same
// filter, whose list is exactly as long as the bar's count.

// periodAll is the period parameter for all years; without a parameter
// the view is the current year.
const periodAll = "alla"

// maxChartBars bounds the chart; the table below it lists every row.
const maxChartBars = 40

// dashboardForm is the view's parameters as the URL has them.
type dashboardForm struct {
	Measure, Grouping, Period            string
	Weeks                                bool
	City, Street, Kind, Brand, Reference string
}

func parseDashboardForm(q url.Values) dashboardForm {
	get := func(k string) string { return truncate(strings.TrimSpace(q.Get(k)), 121) }
	return dashboardForm{
		Measure: get("matt"), Grouping: get("grupp"), Period: get("period"), Weeks: q.Get("vecka") == "1",
		City: get("ort"), Street: get("gata"), Kind: get("objekttyp"), Brand: get("fabrikat"), Reference: get("fakturamarkning"),
	}
}

// query validates the form into a Dashboard query, with a Swedish message
// per wrong parameter. Filters that do not belong to the grouping are
// left out, so a shared link always means one thing.
func (f dashboardForm) query(now time.Time) (repair.DashboardQuery, repair.FieldErrors) {
	q := repair.DashboardQuery{Measure: repair.Measure(f.Measure), Grouping: repair.Grouping(f.Grouping)}
	if q.Measure == "" {
		q.Measure = repair.MeasureCases
	}
	if q.Grouping == "" {
		q.Grouping = repair.GroupTime
	}
	fe := repair.FieldErrors{}
	switch f.Period {
	case "":
		q.Period = repair.PeriodOf(repair.PeriodYear, now)
	case periodAll:
	default:
		p, err := repair.ParsePeriod(f.Period)
		if err != nil {
			fe.Add("period", err.Error())
		}
		q.Period = p
	}
	switch q.Grouping {
	case repair.GroupTime:
		q.Weeks = f.Weeks && q.Period.Kind == repair.PeriodYear
	case repair.GroupPlace:
		q.City, q.Street = f.City, f.Street
	case repair.GroupMachine:
		q.Kind, q.Brand = f.Kind, f.Brand
	case repair.GroupReference:
		q.Reference = f.Reference
	}
	for k, v := range q.Validate() {
		fe.Add(k, v)
	}
	return q, fe
}

// dashboardValues is q as URL parameters; parseDashboardForm reads them back.
func dashboardValues(q repair.DashboardQuery) url.Values {
	v := url.Values{}
	v.Set("matt", string(q.Measure))
	v.Set("grupp", string(q.Grouping))
	if p := q.Period.String(); p != "" {
		v.Set("period", p)
	} else {
		v.Set("period", periodAll)
	}
	if q.Weeks {
		v.Set("vecka", "1")
	}
	for k, s := range map[string]string{"ort": q.City, "gata": q.Street, "objekttyp": q.Kind, "fabrikat": q.Brand, "fakturamarkning": q.Reference} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v
}

func dashboardURL(q repair.DashboardQuery) string { return "/dashboard?" + dashboardValues(q).Encode() }

// listURL is Sök ärende with the filter of f, as its form writes it.
func listURL(f repair.CaseFilter) string {
	form := searchForm{InvoiceReference: f.InvoiceReference, AssetNumber: f.AssetNumber, Street: f.Street,
		City: f.City, Kind: f.Kind, Brand: f.Brand, Repeat: f.Repeat}
	if f.StreetExact && f.Street != "" {
		form.Street = `"` + f.Street + `"`
	}
	for _, s := range f.Statuses {
		form.Statuses = append(form.Statuses, string(s))
	}
	day := func(t time.Time) string { return t.In(repair.Stockholm).Format(time.DateOnly) }
	if !f.CompletedFrom.IsZero() {
		form.DoneFrom = day(f.CompletedFrom)
	}
	if !f.CompletedTo.IsZero() {
		form.DoneTo = day(f.CompletedTo.AddDate(0, 0, -1)) // Utförd till is inclusive
	}
	if f.Sort != "" {
		// values() leaves out the order the dates imply; all time sorted by
		// completion is what keeps the list to completed cases.
		form.Sort = string(f.Sort)
	}
	return "/sok-arende?" + form.values().Encode()
}

type crumb struct{ Label, URL string }

// barView is one bar and its table row.
type barView struct {
	Label string
	Title string // the exact value, for the bar's tooltip
	Value string // the measure, formatted
	Width string // the bar's length as an SVG percentage
	// URL is where the bar leads: one level down, or the list at the
	// bottom; ListURL is always the list.
	URL, ListURL string
	Cells        []string // the table's cells after the label
	Cases        int64    // the cases behind the bar: its list's length
}

// figureView is a key figure above the chart.
type figureView struct {
	Label, Value, URL, TestID string
	// Before is the previous period's value and Delta the change, empty
	// for all years (there is no period before).
	Before, Delta string
}

type dashboardPage struct {
	basePage
	Form      dashboardForm
	Query     repair.DashboardQuery
	Errors    repair.FieldErrors
	Measures  []repair.Measure
	Groupings []repair.Grouping
	Periods   []string // suggestions for the period field
	Level     repair.Level
	Crumbs    []crumb
	Figures   []figureView
	Bars      []barView // the chart, at most maxChartBars
	Rows      []barView // the table, every bar
	// BarsHTML and RowsHTML are Bars and Rows as HTML (dashrows.go).
	BarsHTML, RowsHTML template.HTML
	Hidden             int      // bars in the table but not in the chart
	Header             []string // the table's headings after the level's
	Total              []string // the table's total row
	Caption            string
	ListURL            string // every case of the view
	Export             string // the view's parameters, for the export links
	PeriodTxt          string
	Lead               bool
}

func (s *server) dashboard(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userOf(r)
	scope := repair.ScopeFor(u)
	now := s.db.Now()
	form := parseDashboardForm(r.URL.Query())
	q, fe := form.query(now)
	p := &dashboardPage{basePage: s.base(r, "Dashboard"), Form: form, Query: q, Errors: fe,
		Measures: repair.Measures, Groupings: repair.Groupings, Periods: periodSuggestions(now)}
	p.Wide = true
	if form.Period == "" {
		p.Form.Period = q.Period.String()
	}
	if len(fe) > 0 {
		return s.render(w, r, http.StatusBadRequest, "portal/dashboard.html", p)
	}
	bars, err := s.db.Dashboard(ctx, scope, q)
	if err != nil {
		return err
	}
	p.Level = q.Level()
	p.PeriodTxt = q.Period.Label()
	p.Lead = q.Measure == repair.MeasureLeadTimes
	p.Crumbs = dashboardCrumbs(q)
	p.ListURL = listURL(q.CaseFilter())
	p.Export = dashboardValues(q).Encode()
	p.Caption = fmt.Sprintf("%s per %s, %s", q.Measure.Label(), strings.ToLower(p.Level.Label()), p.PeriodTxt)
	if p.Figures, err = s.dashboardFigures(r, q, bars); err != nil {
		return err
	}
	p.Header, p.Rows, p.Total = dashboardTable(q, bars)
	p.Bars = p.Rows
	if !p.Level.Time() {
		p.Bars = slices.Clone(p.Rows)
		order := make([]int, len(bars))
		for i := range order {
			order[i] = i
		}
		// Other than time, the biggest first.
		slices.SortStableFunc(order, func(a, b int) int {
			va, vb := bars[a].Value(q.Measure), bars[b].Value(q.Measure)
			switch {
			case va > vb:
				return -1
			case va < vb:
				return 1
			}
			return 0
		})
		for i, j := range order {
			p.Bars[i] = p.Rows[j]
		}
		if len(p.Bars) > maxChartBars {
			p.Hidden = len(p.Bars) - maxChartBars
			p.Bars = p.Bars[:maxChartBars]
		}
	}
	p.BarsHTML, p.RowsHTML = chartBars(p.Bars), tableRows(p.Rows)
	return s.render(w, r, http.StatusOK, "portal/dashboard.html", p)
}

// periodSuggestions are the periods offered beside the field: all years,
// the last five years, and this year's months so far.
func periodSuggestions(now time.Time) []string {
	now = now.In(repair.Stockholm)
	out := []string{periodAll}
	for y := now.Year(); y > now.Year()-5; y-- {
		out = append(out, fmt.Sprint(y))
	}
	for m := now.Month(); m >= 1; m-- {
		out = append(out, fmt.Sprintf("%d-%02d", now.Year(), m))
	}
	return out
}

// dashboardCrumbs is the way back up from q: each level above it.
func dashboardCrumbs(q repair.DashboardQuery) []crumb {
	var out []crumb
	add := func(label string, to repair.DashboardQuery) {
		out = append(out, crumb{Label: label, URL: dashboardURL(to)})
	}
	top := q
	top.City, top.Street, top.Kind, top.Brand, top.Reference = "", "", "", "", ""
	switch q.Grouping {
	case repair.GroupTime:
		all := top
		all.Period, all.Weeks = repair.Period{}, false
		add("Alla år", all)
		if q.Period.Kind != repair.PeriodAll {
			year := all
			year.Period = repair.PeriodOf(repair.PeriodYear, q.Period.Start)
			year.Weeks = q.Weeks || q.Period.Kind == repair.PeriodWeek
			add(year.Period.Label(), year)
		}
		if q.Period.Kind == repair.PeriodMonth || q.Period.Kind == repair.PeriodWeek {
			add(q.Period.Label(), q)
		}
	case repair.GroupPlace:
		drillCrumbs(add, "Alla orter", top, q, q.City, q.Street, func(d *repair.DashboardQuery) { d.City = q.City })
	case repair.GroupMachine:
		drillCrumbs(add, "Alla objekttyper", top, q, q.Kind, q.Brand, func(d *repair.DashboardQuery) { d.Kind = q.Kind })
	case repair.GroupReference:
		add("Alla fakturamärkningar", top)
	}
	return out
}

// drillCrumbs adds the crumbs of a two-key drill-down (Ort and Gata,
// Objekttyp and Fabrikat): all of them, the first key, the second.
func drillCrumbs(add func(string, repair.DashboardQuery), all string, top, q repair.DashboardQuery, first, second string, keepFirst func(*repair.DashboardQuery)) {
	add(all, top)
	if first != "" {
		one := top
		keepFirst(&one)
		add(valueLabel(first), one)
	}
	if second != "" {
		add(valueLabel(second), q)
	}
}

func valueLabel(v string) string {
	if v == repair.NoValue {
		return repair.NoValueLabel
	}
	return v
}

// barFilter is the Sök ärende filter of the cases behind bar b of q.
func barFilter(q repair.DashboardQuery, b repair.Bucket) (repair.CaseFilter, repair.DashboardQuery, bool) {
	if q.Level() == repair.LevelAsset {
		f := q.CaseFilter()
		f.AssetNumber = b.Key
		return f, q, false
	}
	d, err := q.Drill(b.Key)
	if err != nil {
		return q.CaseFilter(), q, false
	}
	return d.CaseFilter(), d, d.Level() != ""
}

// measureText is bucket b's value for measure m, as the bar and the first
// column show it.
func measureText(m repair.Measure, b repair.Bucket) string {
	switch m {
	case repair.MeasureWorkOrders:
		return sv.Integer(b.WorkOrders)
	case repair.MeasureCosts:
		return sv.Money(b.CostOre())
	case repair.MeasureLeadTimes:
		return percentileText(b, 0.5)
	}
	return sv.Integer(b.Cases)
}

func percentileText(b repair.Bucket, p float64) string {
	d, ok := b.Lead.Percentile(p)
	if !ok {
		return "–"
	}
	return "högst " + sv.Hours(d)
}

// dashboardTable is the table of the bars: headings, a row per bar (in
// the store's order) and the total.
func dashboardTable(q repair.DashboardQuery, bars []repair.Bucket) (header []string, rows []barView, total []string) {
	cells := func(b repair.Bucket) []string {
		switch q.Measure {
		case repair.MeasureWorkOrders:
			return []string{sv.Integer(b.WorkOrders), sv.Integer(b.Cases)}
		case repair.MeasureCosts:
			return []string{sv.Money(b.Costs[0]), sv.Money(b.Costs[1]), sv.Money(b.Costs[2]), sv.Money(b.Costs[3]), sv.Money(b.CostOre()), sv.Integer(b.Cases)}
		case repair.MeasureLeadTimes:
			return []string{percentileText(b, 0.5), percentileText(b, 0.9), sv.Integer(b.Cases)}
		}
		return []string{sv.Integer(b.Cases), sv.Integer(b.Repeats)}
	}
	switch q.Measure {
	case repair.MeasureWorkOrders:
		header = []string{"Arbetsorder", "Ärenden"}
	case repair.MeasureCosts:
		header = []string{"Arbete", "Reservdelar", "Resor", "Avgifter", "Totalt ex moms", "Ärenden"}
	case repair.MeasureLeadTimes:
		header = []string{"Median", "90:e percentilen", "Ärenden"}
	default:
		header = []string{"Utförda ärenden", "Återkommande fel"}
	}
	var peak float64
	var sum repair.Bucket
	for _, b := range bars {
		peak = max(peak, b.Value(q.Measure))
		sum.Add(b)
	}
	for _, b := range bars {
		f, down, deeper := barFilter(q, b)
		v := barView{Label: b.Label, Value: measureText(q.Measure, b), ListURL: listURL(f), Cells: cells(b), Cases: b.Cases}
		v.URL = v.ListURL
		if deeper {
			v.URL = dashboardURL(down)
		}
		v.Width = "0%"
		if peak > 0 {
			v.Width = fmt.Sprintf("%.1f%%", 100*b.Value(q.Measure)/peak)
		}
		v.Title = fmt.Sprintf("%s: %s, %s %s", b.Label, v.Value, sv.Integer(b.Cases), casesWord(b.Cases))
		if q.Measure == repair.MeasureCosts {
			v.Title += fmt.Sprintf(" (arbete %s, reservdelar %s, resor %s, avgifter %s)", sv.Money(b.Costs[0]), sv.Money(b.Costs[1]), sv.Money(b.Costs[2]), sv.Money(b.Costs[3]))
		}
		rows = append(rows, v)
	}
	return header, rows, cells(sum)
}

func casesWord(n int64) string {
	if n == 1 {
		return "ärende"
	}
	return "ärenden"
}

// dashboardFigures are the key figures of the view's period: completed
// cases, open cases now, median lead time, total cost and repeat faults,
// each beside the period before and each a link to its list.
func (s *server) dashboardFigures(r *http.Request, q repair.DashboardQuery, bars []repair.Bucket) ([]figureView, error) {
	ctx := r.Context()
	scope := repair.ScopeFor(userOf(r))
	var cur, prev repair.Bucket
	for _, b := range bars {
		cur.Add(b)
	}
	hasPrev := q.Period.Kind != repair.PeriodAll
	if hasPrev {
		pq := q
		pq.Period = q.Period.Previous()
		before, err := s.db.Dashboard(ctx, scope, pq)
		if err != nil {
			return nil, err
		}
		for _, b := range before {
			prev.Add(b)
		}
	}
	prevLabel := q.Period.Previous().Label()
	list := q.CaseFilter()
	open := repair.CaseFilter{City: q.City, Street: q.Street, StreetExact: q.Street != "", Kind: q.Kind, Brand: q.Brand,
		InvoiceReference: q.Reference}
	for _, st := range repair.Statuses {
		if st.Open() {
			open.Statuses = append(open.Statuses, st)
		}
	}
	openN, openCapped, err := s.db.CountCases(ctx, scope, open)
	if err != nil {
		return nil, err
	}
	openText := sv.Integer(int64(openN))
	if openCapped {
		openText = "fler än " + openText
	}
	repeats := list
	repeats.Repeat = true
	count := func(label, testID string, now, before int64, f repair.CaseFilter, format func(int64) string) figureView {
		fv := figureView{Label: label, Value: format(now), URL: listURL(f), TestID: testID}
		if hasPrev {
			fv.Before = prevLabel + ": " + format(before)
			fv.Delta = delta(now, before)
		}
		return fv
	}
	median := figureView{Label: "Median genomloppstid", Value: percentileText(cur, 0.5), URL: listURL(list), TestID: "figure-lead"}
	if hasPrev {
		median.Before = prevLabel + ": " + percentileText(prev, 0.5)
	}
	return []figureView{
		count("Utförda ärenden", "figure-completed", cur.Cases, prev.Cases, list, sv.Integer),
		{Label: "Öppna ärenden nu", Value: openText, URL: listURL(open), TestID: "figure-open"},
		median,
		count("Kostnad ex moms", "figure-cost", cur.CostOre(), prev.CostOre(), list, sv.Money),
		count("Återkommande fel", "figure-repeats", cur.Repeats, prev.Repeats, repeats, sv.Integer),
	}, nil
}

// delta is the change from before to now in per cent, "+12 %", or empty
// when there was nothing before to compare with.
func delta(now, before int64) string {
	if before == 0 {
		return ""
	}
	pct := float64(now-before) * 100 / float64(before)
	if pct >= 0 {
		return fmt.Sprintf("+%.0f\u00a0%%", pct)
	}
	return fmt.Sprintf("−%.0f\u00a0%%", -pct)
}

// exportDashboard writes the view's table as CSV or Excel.
func (s *server) exportDashboard(format string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		q, fe := parseDashboardForm(r.URL.Query()).query(s.db.Now())
		if len(fe) > 0 {
			http.Redirect(w, r, "/dashboard?"+r.URL.RawQuery, http.StatusSeeOther)
			return nil
		}
		bars, err := s.db.Dashboard(r.Context(), repair.ScopeFor(userOf(r)), q)
		if err != nil {
			return err
		}
		header, rows, total := dashboardTable(q, bars)
		t := export.Table{Sheet: q.Measure.Label(), Header: append([]string{q.Level().Label()}, header...)}
		for _, row := range rows {
			t.Rows = append(t.Rows, append([]string{row.Label}, row.Cells...))
		}
		t.Rows = append(t.Rows, append([]string{"Totalt"}, total...))
		return writeTable(w, t, "dashboard-"+string(q.Measure), s.db.Now(), format)
	}
}
