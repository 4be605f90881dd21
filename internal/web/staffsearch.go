package web

import (
	"html/template"
	"net/http"
	"net/url"
	"time"

	"kundportal/internal/repair"
)

// The office's case search (/order/arenden): Sök ärende over every
// customer, with the office's own filters (Kund, Tekniker, age, no work
// order, planned on a day), and the queues on the Inkorg that lead into it.

type staffSearchPage struct {
	searchPage
	Customers   []repair.Customer
	Technicians []repair.User
}

func (s *server) staffSearch(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	scope := repair.ScopeFor(userOf(r))
	p := &staffSearchPage{searchPage: searchPage{basePage: s.base(r, "Sök ärenden"), Form: parseSearchForm(r.URL.Query(), true),
		Statuses: repair.Statuses, Base: "/order/arenden"}}
	p.Wide = true
	var err error
	if p.Customers, err = s.db.Customers(ctx, scope); err != nil {
		return err
	}
	if p.Technicians, err = s.db.UsersByRole(ctx, scope, repair.RoleTechnician); err != nil {
		return err
	}
	status, err := s.runSearch(r, scope, &p.searchPage)
	if err != nil {
		return err
	}
	customerOf := make(map[int64]string, len(p.Customers)) // the rows' Kund
	for _, c := range p.Customers {
		customerOf[c.ID] = c.Name
	}
	p.RowsHTML = staffRows(p.Rows, customerOf, s.now())
	if key, ok := staffSearchFormKey(p); ok {
		if p.FormHTML, err = s.staffSearchForms.get(key, func() (template.HTML, error) {
			return s.renderHTML("order/search.html", "staff-search-form", p)
		}); err != nil {
			return err
		}
	}
	return s.render(w, r, status, "order/search.html", p)
}

// queue is one of the Inkorg's queues: a name, its count, and its list.
type queue struct {
	Label, URL, TestID string
	Count              int
	Capped             bool
}

// queues are the office's work lists, each counted exactly as the search
// it links to counts it.
func (s *server) queues(r *http.Request) ([]queue, error) {
	today := s.now().In(repair.Stockholm).Format(time.DateOnly)
	defs := []struct {
		label, testID string
		params        url.Values
	}{
		{"Nya (Registrerad)", "queue-new", url.Values{"status": {string(repair.StatusRegistered)}}},
		{"Nytt från kunden", "queue-news", url.Values{"nytt_fran_kund": {"1"}}},
		{"Mottagna utan arbetsorder", "queue-unplanned", url.Values{"status": {string(repair.StatusReceived)}, "utan_arbetsorder": {"1"}}},
		{"Väntar på reservdel", "queue-parts", url.Values{"status": {string(repair.StatusAwaitingPart)}}},
		{"Planerade i dag", "queue-today", url.Values{"planerad": {today}}},
		{"Utförda, ej fakturerade", "queue-uninvoiced", url.Values{"status": {string(repair.StatusCompleted)}}},
	}
	scope := repair.ScopeFor(userOf(r))
	var out []queue
	for _, d := range defs {
		f, fe := parseSearchForm(d.params, true).filter(s.now())
		if len(fe) > 0 {
			panic("web: a queue's own filter is invalid: " + d.params.Encode())
		}
		n, capped, err := s.db.CountCases(r.Context(), scope, f)
		if err != nil {
			return nil, err
		}
		out = append(out, queue{Label: d.label, TestID: d.testID, URL: "/order/arenden?" + d.params.Encode(), Count: n, Capped: capped})
	}
	return out, nil
}
