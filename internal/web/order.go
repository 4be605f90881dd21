package web

import (
	"net/http"
	"time"

	"kundportal/internal/repair"
)

type intakePage struct {
	basePage
	Cases []repair.Case
	Now   time.Time // for the age of each case
}

// intake lists the cases that have come in and not yet been received,
// newest first.
func (s *server) intake(w http.ResponseWriter, r *http.Request) error {
	cases, err := s.db.CasesByStatus(r.Context(), repair.StaffScope(), repair.StatusRegistered, 200)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "order/intake.html", &intakePage{basePage: s.base(r, "Inkorg"), Cases: cases, Now: s.now()})
}

func (s *server) technicianHome(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "portal/coming.html", &comingPage{
		basePage: s.base(r, "Mina arbetsorder"),
		Intro:    "Teknikerns vy i telefonen – arbetsorder, åtgärder och signering av följesedel – kommer här.",
	})
}
