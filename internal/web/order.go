package web

import (
	"html/template"
	"net/http"

	"kundportal/internal/repair"
)

type intakePage struct {
	basePage
	Queues []queue
	Cases  []repair.Case
	Rows   template.HTML // Cases as HTML (caserows.go)
	More   bool          // more new cases than shown: the rest are in Sök ärenden
}

// intakeRows is how many new cases the Inkorg lists; the rest are a page
// of Sök ärenden away.
const intakeRows = 50

// intake lists the cases that have come in and not yet been received,
// newest first.
func (s *server) intake(w http.ResponseWriter, r *http.Request) error {
	cases, err := s.db.CasesByStatus(r.Context(), repair.StaffScope(), repair.StatusRegistered, intakeRows+1)
	if err != nil {
		return err
	}
	more := len(cases) > intakeRows
	if more {
		cases = cases[:intakeRows]
	}
	queues, err := s.queues(r)
	if err != nil {
		return err
	}
	p := &intakePage{basePage: s.base(r, "Inkorg"), Queues: queues, Cases: cases, Rows: newCaseRows(cases, s.now()), More: more}
	return s.render(w, r, http.StatusOK, "order/intake.html", p)
}

// serviceWorker serves the technician view's service worker from under
// /tekniker/, so that its scope is the technician's pages and nothing else.
func (s *server) serviceWorker(w http.ResponseWriter, r *http.Request) error {
	js, err := staticFS.ReadFile("static/tekniker-sw.js")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	// The scope /tekniker/ would leave out the list itself, /tekniker.
	w.Header().Set("Service-Worker-Allowed", "/tekniker")
	_, err = w.Write(js)
	return err
}
