package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/sv"
)

// technicianDay is one technician's work orders, day by day.
type technicianDay struct {
	Technician string
	Days       []dayOrders
}

type dayOrders struct {
	Day    string // 2026-03-14
	Label  string // Lördag 2026-03-14
	Orders []store.PlannedWorkOrder
}

type workOrdersPage struct {
	basePage
	Number   int    // the ISO week shown, 49
	Dates    string // its days in words: 30 november – 6 december 2026
	From     string // its Monday, YYYY-MM-DD, for the date field
	Prev     string // the weeks before and after, and this week, as vecka values
	Next     string
	ThisWeek string
	Current  bool // the week shown is this week
	Error    string
	Groups   []technicianDay
	// Unplanned are the work orders without a time or a technician; they
	// show under every week.
	Unplanned []store.PlannedWorkOrder
}

// Messages for a week the URL names wrongly; the page then shows this week.
const (
	msgBadWeek = "Veckan finns inte. Ange den som år och veckonummer, t.ex. 2026-W49. Visar denna vecka."
	msgBadDate = "Ange datum som ÅÅÅÅ-MM-DD. Visar denna vecka."
)

// listWorkOrders is the planning view: every open work order of one ISO
// week, Monday to Sunday in Swedish time, grouped by technician and day,
// and those not yet given a time. The week is ?vecka=2026-W49 (what the
// week links write), or the week of the date ?fran=2026-12-02 (the date
// field); without either, this week.
func (s *server) listWorkOrders(w http.ResponseWriter, r *http.Request) error {
	this := repair.WeekOf(s.now())
	week, msg := this, ""
	// An empty value, such as a cleared date field, asks for nothing.
	vecka, fran := strings.TrimSpace(r.URL.Query().Get("vecka")), strings.TrimSpace(r.URL.Query().Get("fran"))
	switch {
	case vecka != "":
		if p, ok := repair.ParseISOWeek(vecka); ok {
			week = p
		} else {
			msg = msgBadWeek
		}
	case fran != "":
		d, err := time.ParseInLocation(time.DateOnly, fran, repair.Stockholm)
		// Only a week that the week links can name (years 2000–2100).
		if _, ok := repair.ParseISOWeek(repair.WeekOf(d).ISOWeek()); err == nil && ok {
			week = repair.WeekOf(d)
		} else {
			msg = msgBadDate
		}
	}
	p := &workOrdersPage{
		basePage: s.base(r, fmt.Sprintf("Arbetsorder vecka %d", week.WeekNumber())),
		Number:   week.WeekNumber(), Dates: weekDates(week),
		From: week.Start.Format(time.DateOnly),
		Prev: week.Previous().ISOWeek(), Next: repair.WeekOf(week.End()).ISOWeek(), ThisWeek: this.ISOWeek(),
		Current: week.Start.Equal(this.Start), Error: msg,
	}
	status := http.StatusOK
	if msg != "" {
		status = http.StatusBadRequest
	}
	orders, err := s.db.OpenWorkOrders(r.Context(), repair.StaffScope(), week.Start, week.End())
	if err != nil {
		return err
	}
	for _, o := range orders {
		if o.PlannedStart.IsZero() || o.TechnicianID == 0 {
			p.Unplanned = append(p.Unplanned, o)
			continue
		}
		if n := len(p.Groups); n == 0 || p.Groups[n-1].Technician != o.TechnicianName {
			p.Groups = append(p.Groups, technicianDay{Technician: o.TechnicianName})
		}
		g := &p.Groups[len(p.Groups)-1]
		day := sv.Date(o.PlannedStart)
		if n := len(g.Days); n == 0 || g.Days[n-1].Day != day {
			d := repair.Midnight(o.PlannedStart)
			name := swedishDays[d.Weekday()]
			g.Days = append(g.Days, dayOrders{Day: day, Label: strings.ToUpper(name[:1]) + name[1:] + " " + day})
		}
		d := &g.Days[len(g.Days)-1]
		d.Orders = append(d.Orders, o)
	}
	return s.render(w, r, status, "order/work_orders.html", p)
}

// weekDates names a week's Monday to Sunday the way a Swede writes them:
// "7–13 december 2026", "30 november – 6 december 2026", and across New
// Year "28 december 2026 – 3 januari 2027".
func weekDates(p repair.Period) string {
	first, last := p.Start, p.End().AddDate(0, 0, -1)
	switch {
	case first.Month() == last.Month():
		return fmt.Sprintf("%d–%d %s %d", first.Day(), last.Day(), repair.MonthName(last.Month()), last.Year())
	case first.Year() == last.Year():
		return fmt.Sprintf("%d %s – %d %s %d", first.Day(), repair.MonthName(first.Month()), last.Day(), repair.MonthName(last.Month()), last.Year())
	}
	return fmt.Sprintf("%d %s %d – %d %s %d", first.Day(), repair.MonthName(first.Month()), first.Year(), last.Day(), repair.MonthName(last.Month()), last.Year())
}
