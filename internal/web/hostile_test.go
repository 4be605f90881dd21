package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

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
		for _, q := range []string{"q=%00", "gata=Storgatan%00", "fakturamarkning=%ff%fe", "objekt=1%00",
			"ort=Sk%00vde", "objekttyp=%ff", "fabrikat=Miele%00"} {
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
		var found assetSearchJSON
		if err := json.NewDecoder(resp.Body).Decode(&found); err != nil || resp.StatusCode != http.StatusOK || len(found.Assets) != 0 {
			t.Errorf("machine picker with NUL = %d, %v, %d machines; want 200 and none", resp.StatusCode, err, len(found.Assets))
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

// TestTechnicianFormsHostile posts a NUL, bytes that are not UTF-8 and a
// megabyte of text into every field of the technician's forms and the
// office's new ones, one field at a time, on both databases: each is
// refused with a message (or, for a form too large, a 413), never a 500,
// and nothing is saved.
func TestTechnicianFormsHostile(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := t.Context()
		wo := f.planFor(f.myCase.ID, f.tech.ID, repair.Midnight(time.Now()).Add(8*time.Hour))
		tech := f.login(f.tech.Email)
		disp := f.login(f.disp.Email)
		base := "/tekniker/arbetsorder/" + itoa(wo.ID)
		today := time.Now().Format(time.DateOnly)
		bad := map[string]string{"NUL": "a\x00b", "not UTF-8": "\xff\xfe", "a megabyte": strings.Repeat("x", 1<<20)}
		refused := func(t *testing.T, what string, resp *http.Response) {
			t.Helper()
			if resp.StatusCode != http.StatusUnprocessableEntity && resp.StatusCode != http.StatusRequestEntityTooLarge {
				t.Errorf("%s = %d, want 422 or 413", what, resp.StatusCode)
			}
		}
		forms := []struct {
			client *http.Client
			path   string
			valid  url.Values
		}{
			{tech, base + "/atgard", url.Values{"description": {"Bytt pump"}, "time": {"30 min"}, "date": {today}, "client_id": {"id-1"}}},
			{tech, base + "/kostnad", url.Values{"kind": {"part"}, "article": {"EL-1"}, "description": {"Pump"}, "quantity": {"1"}, "unit_price": {"100"}, "client_id": {"id-2"}}},
			{tech, base + "/reservdel", url.Values{"part_note": {"Pump EL-1"}}},
			{tech, base + "/klar", url.Values{"outcome": {string(repair.OutcomeNoOneHome)}, "outcome_note": {"Ingen öppnade."}}},
			{disp, "/order/arbetsorder/" + itoa(wo.ID) + "/oppna", url.Values{"reason": {"Fel tid"}}},
		}
		for _, form := range forms {
			for field := range form.valid {
				for name, v := range bad {
					sent := url.Values{}
					for k, vs := range form.valid {
						sent[k] = vs
					}
					sent.Set(field, v)
					refused(t, form.path+" with "+name+" in "+field, f.post(form.client, form.path, sent))
				}
			}
		}
		if as, _ := db.Actions(ctx, repair.StaffScope(), f.myCase.ID); len(as) != 0 {
			t.Errorf("%d actions saved from hostile input", len(as))
		}
		if ls, _ := db.CostLines(ctx, repair.StaffScope(), f.myCase.ID); len(ls) != 0 {
			t.Errorf("%d cost lines saved from hostile input", len(ls))
		}
		if c, _ := db.Case(ctx, repair.StaffScope(), f.myCase.ID); c.Status != repair.StatusRegistered {
			t.Errorf("case after hostile input = %s, want unchanged", c.Status)
		}
		if w, _ := db.WorkOrder(ctx, repair.StaffScope(), wo.ID); w.Status != repair.WorkOrderPlanned {
			t.Errorf("work order after hostile input = %s, want unchanged", w.Status)
		}

		// The multipart forms: a photo, and the signature once the visit
		// is finished.
		for name, v := range bad {
			refused(t, "photo with "+name+" in client_id", f.postMultipart(tech, base+"/foto", map[string]string{"client_id": v}, pngBytes(t, 20, 20)))
		}
		f.post(tech, base+"/atgard", url.Values{"description": {"Bytt pump"}, "time": {"30 min"}, "date": {today}})
		if resp := f.post(tech, base+"/klar", url.Values{"outcome": {""}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("finish = %d", resp.StatusCode)
		}
		sign := map[string]string{"outcome": "signed", "signer_name": "Åsa Ängström", "signature": `{"width":300,"height":100,"strokes":[[[10,50],[40,20],[70,70]]]}`, "client_id": "id-3"}
		for field := range sign {
			for name, v := range bad {
				sent := map[string]string{}
				for k, x := range sign {
					sent[k] = x
				}
				sent[field] = v
				refused(t, "sign with "+name+" in "+field, f.postMultipart(tech, base+"/signera", sent, nil))
			}
		}
		if files, _ := db.CaseFiles(ctx, repair.StaffScope(), f.myCase.ID); len(files) != 1 {
			t.Errorf("%d files on the case after hostile photos and signatures, want only the fixture's", len(files))
		}
		if notes, _ := db.DeliveryNotes(ctx, repair.StaffScope(), wo.ID); len(notes) != 0 {
			t.Errorf("%d delivery notes from hostile input", len(notes))
		}
	})
}

// TestNewFormsHostile: this session's forms and parameters (the customer's
// information and cancellation, the office's invoice run, the Dashboard and
// the office's case search) refuse NUL, invalid UTF-8 and a megabyte of
// text with a message or a size answer, never a 500, and save nothing.
func TestNewFormsHostile(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := t.Context()
		anna, disp := f.login(f.anna.Email), f.login(f.disp.Email)
		karin, admin := f.login(f.karin.Email), f.login(f.admin.Email)
		// A login between its password and its code.
		challenged := f.client()
		f.totpReady(f.disp.Email)
		f.post(challenged, "/logga-in", url.Values{"email": {f.disp.Email}, "password": {testPassword}})
		mailForm := url.Values{}
		for _, e := range repair.MailEvents {
			mailForm.Set(string(e), string(repair.MailAll))
		}
		bad := map[string]string{"NUL": "a\x00b", "not UTF-8": "\xff\xfe", "a megabyte": strings.Repeat("x", 1<<20)}
		caseBase := "/arenden/" + itoa(f.myCase.ID)
		for _, form := range []struct {
			client *http.Client
			path   string
			valid  url.Values
			ok     []int // the answers that refuse
		}{
			{anna, caseBase + "/information", url.Values{"note": {"Portkod 1234"}}, []int{422, 413}},
			{anna, caseBase + "/avbryt", url.Values{"reason": {"Felet försvann"}}, []int{422, 413}},
			// A run whose parameters cannot be read goes back to the run's
			// page, which says what is wrong.
			{disp, "/order/fakturering", url.Values{"kund": {itoa(f.mine.ID)}, "fran": {"2026-03-01"}, "till": {"2026-03-31"}}, []int{303, 413}},
			// Mail, accounts and two-factor login. Glömt lösenord answers
			// every address alike; a start password of odd characters is
			// a password.
			{f.client(), "/glomt-losenord", url.Values{"email": {f.anna.Email}}, []int{200, 413}},
			{f.client(), repair.ResetPath + f.resetToken(f.olle.Email), url.Values{"new": {"ett långt lösenord"}, "again": {"ett långt lösenord"}}, []int{422, 413}},
			{anna, "/e-post", mailForm, []int{422, 413}},
			{anna, "/tvastegs", url.Values{"sealed": {"v1:x"}, "code": {"123456"}}, []int{422, 413}},
			{karin, "/anvandare", url.Values{"name": {"David Ek"}, "email": {"david@solgarden.example"}, "phone": {"070-123 45 67"}, "role": {"customer_user"}}, []int{422, 413}},
			{karin, "/anvandare/" + itoa(f.anna.ID) + "/roll", url.Values{"role": {"customer_admin"}}, []int{422, 413}},
			{admin, "/order/personal/" + itoa(f.tech.ID) + "/losenord", url.Values{"password": {"ett nytt startlösenord"}}, []int{303, 422, 413}},
			{challenged, "/logga-in/kod", url.Values{"code": {"123456"}}, []int{401, 413, 429}},
		} {
			for field := range form.valid {
				for name, v := range bad {
					sent := url.Values{}
					for k, vs := range form.valid {
						sent[k] = vs
					}
					sent.Set(field, v)
					resp := f.post(form.client, form.path, sent)
					if !slices.Contains(form.ok, resp.StatusCode) {
						t.Errorf("%s with %s in %s = %d, want one of %v", form.path, name, field, resp.StatusCode, form.ok)
					}
				}
			}
		}
		if c, _ := db.Case(ctx, repair.StaffScope(), f.myCase.ID); c.Status != repair.StatusRegistered || !c.CustomerNewsAt.IsZero() {
			t.Errorf("hostile input changed the case: %s, news %v", c.Status, c.CustomerNewsAt)
		}
		if invs, _ := db.Invoices(ctx, repair.StaffScope(), f.mine.ID); len(invs) != 0 {
			t.Errorf("%d invoices issued from hostile input", len(invs))
		}
		if ms, _ := db.MailSettings(ctx, f.anna.ID); len(ms) != 0 {
			t.Errorf("hostile input saved mail settings %v", ms)
		}
		if us, _ := db.CustomerUsers(ctx, repair.StaffScope(), f.mine.ID); len(us) != 2 {
			t.Errorf("hostile input changed the customer's logins: %d, want anna and karin", len(us))
		}
		if u, _ := db.User(ctx, repair.StaffScope(), f.anna.ID); u.Role != repair.RoleCustomerUser || u.TOTPEnabled {
			t.Errorf("hostile input changed anna's login: %+v", u)
		}
		// The customer's invoices-for-admins box: only "1" turns it on;
		// anything else is a box left empty, and too much is refused.
		in := f.mine.Input()
		for name, v := range bad {
			resp := f.post(disp, "/order/kunder/"+itoa(f.mine.ID), url.Values{"number": {in.Number}, "name": {in.Name},
				"hourly_rate": {in.HourlyRate}, "invoices_admins_only": {v}})
			if resp.StatusCode != 303 && resp.StatusCode != 413 {
				t.Errorf("the invoices-for-admins box with %s = %d, want 303 (left empty) or 413", name, resp.StatusCode)
			}
			if k, _ := db.Customer(ctx, repair.StaffScope(), f.mine.ID); k.InvoicesAdminsOnly {
				t.Errorf("the invoices-for-admins box with %s turned the setting on", name)
			}
		}
		// Utskick and the mail log read a status and a cursor they do not
		// know as none: the whole list, newest first (or 414).
		for _, get := range []struct {
			client *http.Client
			path   string
			fields []string
		}{{disp, "/order/utskick?", []string{"status", "fore"}}, {karin, "/anvandare/utskick?", []string{"fore"}}} {
			for _, field := range get.fields {
				for name, v := range bad {
					if resp := f.get(get.client, get.path+field+"="+url.QueryEscape(v)); resp.StatusCode != 200 && resp.StatusCode != 414 {
						t.Errorf("GET %s with %s in %s = %d, want the list (or 414)", get.path, name, field, resp.StatusCode)
					}
				}
			}
		}
		// Query parameters: the page says what is wrong (400), or the
		// query is too long to read (414).
		for _, get := range []struct {
			client *http.Client
			path   string
			fields []string
		}{
			{anna, "/dashboard?grupp=plats&", []string{"ort", "period", "matt"}},
			{anna, "/dashboard?grupp=maskin&objekttyp=Kyl&", []string{"fabrikat"}},
			{anna, "/sok-arende?", []string{"ort", "objekttyp", "fabrikat", "utford_fran", "utford_till"}},
			{disp, "/order/arenden?", []string{"kund", "tekniker", "aldre_an", "planerad", "ort", "q"}},
			{disp, "/order/fakturering?", []string{"kund", "fran", "till"}},
			{anna, "/fakturaspecifikation?", []string{"faktura", "period", "fakturamarkning"}},
			{anna, "/fakturaspecifikation?visa=kommande&", []string{"fakturamarkning"}},
			{anna, "/fakturaspecifikation/export.pdf?", []string{"faktura", "period"}},
			{anna, "/fakturaspecifikation/export.xlsx?", []string{"faktura", "period"}},
			{anna, "/fakturaspecifikation/export.xml?", []string{"faktura"}},
			// A machine's older cases: a cursor that is not the store's.
			{anna, "/objekt/" + itoa(f.myAsset.ID) + "?", []string{"fore"}},
		} {
			for _, field := range get.fields {
				for name, v := range bad {
					resp := f.get(get.client, get.path+field+"="+url.QueryEscape(v))
					loc := resp.Header.Get("Location")
					explained := resp.StatusCode == 303 && strings.HasPrefix(loc, "/fakturaspecifikation?") // a file's choice: the page explains
					if resp.StatusCode != 400 && resp.StatusCode != 414 && resp.StatusCode != 404 && !explained {
						t.Errorf("GET %s with %s in %s = %d → %q, want 400 (or 414 for the megabyte, 404 for an id, 303 to the page for a file)", get.path, name, field, resp.StatusCode, loc)
					}
				}
			}
		}
	})
}
