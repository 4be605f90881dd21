package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"kundportal/internal/storetest"
)

// TestConfirmationAfterEachChange: after the office saves a status, a work
// order, an action or a cost, the page it comes back to says so, in a
// status region, once: a reload shows it no more. A refused form shows no
// confirmation.
func TestConfirmationAfterEachChange(t *testing.T) {
	f := newFixture(t, storetest.Open(t))
	disp := f.login(f.disp.Email)
	caseID, woID := itoa(f.myCase.ID), itoa(f.myWorkOrder.ID)
	for _, tc := range []struct {
		path string
		form url.Values
		want string
	}{
		{"/order/arenden/" + caseID + "/status", url.Values{"status": {"received"}}, "Statusen är ändrad."},
		{"/order/arenden/" + caseID + "/arbetsorder", url.Values{"technician_id": {itoa(f.tech.ID)}, "date": {"2026-03-16"}, "from": {"08:00"}, "until": {"10:00"}}, "Arbetsordern är planerad."},
		{"/order/arbetsorder/" + woID + "/atgard", url.Values{"date": {"2026-03-16"}, "technician_id": {itoa(f.tech.ID)}, "description": {"Bytt pump"}, "time": {"45"}, "visible": {"1"}}, "Åtgärden är sparad."},
		{"/order/arbetsorder/" + woID + "/kostnad", url.Values{"kind": {"part"}, "description": {"Pump"}, "quantity": {"1"}, "unit_price": {"890"}, "visible": {"1"}}, "Kostnaden är sparad."},
	} {
		resp := f.post(disp, tc.path, tc.form)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: status %d, want 303", tc.path, resp.StatusCode)
		}
		to := resp.Header.Get("Location")
		if !strings.Contains(to, "#") {
			t.Errorf("%s: back to %s, not to the part of the page the form was in", tc.path, to)
		}
		d := doc(t, f.get(disp, to))
		if got := d.Find("[data-testid=flash][role=status]").Text(); got != tc.want {
			t.Errorf("%s: confirmation %q, want %q", tc.path, got, tc.want)
		}
		if again := doc(t, f.get(disp, to)); again.Find("[data-testid=flash]").Length() != 0 {
			t.Errorf("%s: the confirmation shows again on reload", tc.path)
		}
	}
	// A refused step: the form's message, and no confirmation.
	resp := f.post(disp, "/order/arbetsorder/"+woID+"/kostnad", url.Values{"kind": {"part"}, "quantity": {"x"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || len(resp.Cookies()) != 0 && resp.Cookies()[0].Name == flashCookie {
		t.Errorf("refused cost: status %d, cookies %v", resp.StatusCode, resp.Cookies())
	}
	// A forged flash cookie shows nothing.
	req, _ := http.NewRequest("GET", f.srv.URL+"/order/arenden/"+caseID, nil)
	req.AddCookie(&http.Cookie{Name: flashCookie, Value: "<script>"})
	for _, c := range disp.Jar.Cookies(req.URL) {
		req.AddCookie(c)
	}
	forged, err := disp.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if doc(t, forged).Find("[data-testid=flash]").Length() != 0 {
		t.Error("a forged flash cookie was shown")
	}
}
