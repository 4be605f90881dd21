package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// TestBytesThatAreNotText: NUL and invalid UTF-8 in query parameters and
// form fields never reach the database (PostgreSQL would refuse them with
// an error page): a form gets a message next to the field and saves
// nothing, a search says what is wrong and lists nothing, a login fails
// like any wrong login.
func TestBytesThatAreNotText(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		anna := f.login(f.anna.Email)
		for _, q := range []string{"q=%00", "gata=Storgatan%00", "fakturamarkning=%ff%fe", "objekt=1%00"} {
			resp := f.get(anna, "/sok-arende?"+q)
			if resp.StatusCode != http.StatusBadRequest {
				t.Errorf("GET /sok-arende?%s = %d, want 400", q, resp.StatusCode)
				continue
			}
			d := doc(t, resp)
			field, _, _ := strings.Cut(q, "=")
			if d.Find("[data-testid=error-"+field+"]").Length() != 1 {
				t.Errorf("GET /sok-arende?%s: no message next to %s", q, field)
			}
			if d.Find("[data-testid=case-row]").Length() != 0 {
				t.Errorf("GET /sok-arende?%s listed cases", q)
			}
		}
		resp := f.get(anna, "/nytt-arende/objekt?q=%00%ff")
		var found []assetJSON
		if err := json.NewDecoder(resp.Body).Decode(&found); err != nil || resp.StatusCode != http.StatusOK || len(found) != 0 {
			t.Errorf("machine picker with NUL = %d, %v, %d machines; want 200 and none", resp.StatusCode, err, len(found))
		}
		for _, email := range []string{"anna@solgarden.example\x00", "\xff@x.se", strings.Repeat("a", 60_000)} {
			resp := f.post(f.client(), "/logga-in", url.Values{"email": {email}, "password": {testPassword}})
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("login with e-mail %.20q = %d, want 401", email, resp.StatusCode)
			}
		}

		disp := f.login(f.disp.Email)
		wo := "/order/arbetsorder/" + itoa(f.myWorkOrder.ID)
		action := url.Values{"date": {"2026-03-14"}, "technician_id": {itoa(f.tech.ID)}, "time": {"30"}, "description": {"Bytt\x00pump"}}
		if resp := f.post(disp, wo+"/atgard", action); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("action with NUL = %d, want 422", resp.StatusCode)
		} else if doc(t, resp).Find("[data-testid=error-description]").Length() == 0 {
			t.Error("action with NUL: no message next to the description")
		}
		cost := url.Values{"kind": {"part"}, "description": {"Pump"}, "article": {"A\x00\xff"}, "quantity": {"1"}, "unit_price": {"100"}}
		if resp := f.post(disp, wo+"/kostnad", cost); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("cost with NUL = %d, want 422", resp.StatusCode)
		}
		if as, _ := db.Actions(t.Context(), repair.StaffScope(), f.myCase.ID); len(as) != 0 {
			t.Errorf("%d actions saved from hostile input", len(as))
		}
		if ls, _ := db.CostLines(t.Context(), repair.StaffScope(), f.myCase.ID); len(ls) != 0 {
			t.Errorf("%d cost lines saved from hostile input", len(ls))
		}
		edit := url.Values{"number": {f.mine.Number}, "name": {f.mine.Name}, "invoice_address": {"Box 1\x00\r\n541 30 Skövde"}}
		if resp := f.post(disp, "/order/kunder/"+itoa(f.mine.ID), edit); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("invoice address with NUL = %d, want 422", resp.StatusCode)
		}
	})
}

// TestLongAddressRefused: a query string far longer than any link of the
// site is refused before it is copied anywhere (into the login's ?next=).
func TestLongAddressRefused(t *testing.T) {
	f := newFixture(t, storetest.Open(t))
	resp := f.get(f.client(), "/sok-arende?q="+strings.Repeat("x", 60_000))
	if resp.StatusCode != http.StatusRequestURITooLong {
		t.Errorf("60 000-character query = %d, want 414", resp.StatusCode)
	}
	if loc := resp.Header.Get("Location"); len(loc) > maxNext {
		t.Errorf("redirect carries %d characters", len(loc))
	}
	resp = f.get(f.client(), "/sok-arende?q="+strings.Repeat("x", maxQuery-10))
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || len(loc) > maxNext+20 {
		t.Errorf("long query signed out = %d → %d characters, want a short redirect to the login", resp.StatusCode, len(loc))
	}
}

// TestTechnicianFiles: a technician opens the files of cases it has a work
// order on, and gets the same 404 as for a missing file otherwise.
func TestTechnicianFiles(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		tech := f.login(f.tech.Email)
		missing := f.get(tech, "/filer/999999")
		if missing.StatusCode != http.StatusNotFound {
			t.Fatalf("missing file = %d, want 404", missing.StatusCode)
		}
		if resp := f.get(tech, "/filer/"+itoa(f.myFile.ID)); resp.StatusCode != http.StatusNotFound {
			t.Errorf("file of a case without the technician's work order = %d, want 404", resp.StatusCode)
		}
		storetest.WorkOrder(t, db, f.myCase.ID, f.tech.ID)
		if resp := f.get(tech, "/filer/"+itoa(f.myFile.ID)); resp.StatusCode != http.StatusOK {
			t.Errorf("file of the technician's own work order's case = %d, want 200", resp.StatusCode)
		}
		if resp := f.get(tech, "/filer/"+itoa(f.theirFile.ID)); resp.StatusCode != http.StatusNotFound {
			t.Errorf("another customer's file = %d, want 404", resp.StatusCode)
		}
	})
}
