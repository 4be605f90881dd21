package web

import (
	"net/http"
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
	Orders []store.PlannedWorkOrder
}

type workOrdersPage struct {
	basePage
	From, To   string // the week shown, YYYY-MM-DD
	Prev, Next string
	Error      string
	Groups     []technicianDay
	Unplanned  []store.PlannedWorkOrder
}

// listWorkOrders is the planning view: every open work order of a week,
// grouped by technician and day, and those not yet given a time.
func (s *server) listWorkOrders(w http.ResponseWriter, r *http.Request) error {
	today := s.now().In(repair.Stockholm)
	from := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, repair.Stockholm)
	p := &workOrdersPage{basePage: s.base(r, "Arbetsorder")}
	status := http.StatusOK
	if v := r.URL.Query().Get("fran"); v != "" {
		d, err := time.ParseInLocation(time.DateOnly, v, repair.Stockholm)
		if err != nil {
			p.Error = "Ange datum som ÅÅÅÅ-MM-DD. Visar veckan från i dag."
			status = http.StatusBadRequest
		} else {
			from = d
		}
	}
	to := from.AddDate(0, 0, 7)
	p.From, p.To = from.Format(time.DateOnly), to.AddDate(0, 0, -1).Format(time.DateOnly)
	p.Prev, p.Next = from.AddDate(0, 0, -7).Format(time.DateOnly), to.Format(time.DateOnly)
	orders, err := s.db.OpenWorkOrders(r.Context(), repair.StaffScope(), from, to)
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
			g.Days = append(g.Days, dayOrders{Day: day})
		}
		d := &g.Days[len(g.Days)-1]
		d.Orders = append(d.Orders, o)
	}
	return s.render(w, r, status, "order/work_orders.html", p)
}
