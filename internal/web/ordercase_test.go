package web

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
	"kundportal/internal/sv"
)

func TestOrderCaseStatus(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		disp := f.login(f.disp.Email)
		path := "/order/arenden/" + itoa(f.myCase.ID)
		resp := f.post(disp, path+"/status", url.Values{"status": {"completed"}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("Registrerad → Utförd = %d, want 422", resp.StatusCode)
		}
		if msg := doc(t, resp).Find("[data-testid=error-status]").Text(); !strings.Contains(msg, "kan inte gå från Registrerad till Utförd") {
			t.Errorf("message = %q", msg)
		}
		resp = f.post(disp, path+"/status", url.Values{"status": {"received"}, "note": {"Ringt kunden"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("Registrerad → Mottagen = %d, want 303", resp.StatusCode)
		}
		c, _ := f.db.Case(context.Background(), repair.StaffScope(), f.myCase.ID)
		if c.Status != repair.StatusReceived {
			t.Errorf("status = %s, want received", c.Status)
		}
		h, _ := f.db.StatusHistory(context.Background(), repair.StaffScope(), c.ID)
		if last := h[len(h)-1]; last.Status != repair.StatusReceived || last.ChangedBy != f.disp.Name || last.Note != "Ringt kunden" {
			t.Errorf("last history entry = %+v", last)
		}
		if log := doc(t, f.get(disp, path)).Find("[data-testid=audit-log]").Text(); !strings.Contains(log, "Registrerad → Mottagen") || !strings.Contains(log, f.disp.Name) {
			t.Errorf("audit log = %q", log)
		}
	})
}

func TestOrderWorkOrderActionsCosts(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		disp := f.login(f.disp.Email)
		path := "/order/arenden/" + itoa(f.myCase.ID)

		bad := []url.Values{
			{"technician_id": {itoa(f.tech.ID)}, "date": {"2026-13-01"}, "from": {"08:00"}, "until": {"10:00"}},
			{"technician_id": {itoa(f.tech.ID)}, "date": {"2026-03-14"}, "from": {"10:00"}, "until": {"08:00"}},
			{"technician_id": {itoa(f.anna.ID)}, "date": {"2026-03-14"}, "from": {"08:00"}, "until": {"10:00"}},
		}
		before, _ := f.db.WorkOrders(ctx, repair.StaffScope(), f.myCase.ID)
		for _, form := range bad {
			if resp := f.post(disp, path+"/arbetsorder", form); resp.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("work order %v = %d, want 422", form, resp.StatusCode)
			}
		}
		resp := f.post(disp, path+"/arbetsorder", url.Values{"technician_id": {itoa(f.tech.ID)}, "date": {"2026-03-14"}, "from": {"08:00"}, "until": {"10:00"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("plan work order = %d", resp.StatusCode)
		}
		wos, _ := f.db.WorkOrders(ctx, repair.StaffScope(), f.myCase.ID)
		if len(wos) != len(before)+1 {
			t.Fatalf("work orders %d → %d, want one more (and none from the bad forms)", len(before), len(wos))
		}
		wo := wos[len(wos)-1]
		if wo.TechnicianID != f.tech.ID || sv.DateTime(wo.PlannedStart) != "2026-03-14 08:00" || sv.DateTime(wo.PlannedEnd) != "2026-03-14 10:00" {
			t.Errorf("work order = %+v", wo)
		}
		if c, _ := f.db.Case(ctx, repair.StaffScope(), f.myCase.ID); c.Status != repair.StatusPlanned {
			t.Errorf("case status after planning = %s, want planned", c.Status)
		}

		woPath := "/order/arbetsorder/" + itoa(wo.ID)
		if resp := f.post(disp, woPath+"/atgard", url.Values{"date": {"2026-03-14"}, "technician_id": {itoa(f.tech.ID)}, "description": {"Bytt pump"}, "time": {"lång"}}); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("action with bad time = %d, want 422", resp.StatusCode)
		} else if d := doc(t, resp); d.Find("[data-testid=error-time]").Length() != 1 || d.Find("textarea[name=description]").Text() != "Bytt pump" {
			t.Error("action form came back without its message or entered text")
		}
		for _, form := range []url.Values{
			{"date": {"2026-03-14"}, "technician_id": {itoa(f.tech.ID)}, "description": {"Bytt avloppspump, provkört OK"}, "time": {"1:30"}, "visible": {"1"}},
			{"date": {"2026-03-14"}, "technician_id": {itoa(f.tech.ID)}, "description": {"Kunden var otrevlig"}, "time": {"5"}},
		} {
			if resp := f.post(disp, woPath+"/atgard", form); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("add action = %d", resp.StatusCode)
			}
		}
		if resp := f.post(disp, woPath+"/kostnad", url.Values{"kind": {"part"}, "description": {"Avloppspump"}, "quantity": {"1"}, "unit_price": {"-5"}, "visible": {"1"}}); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("negative price = %d, want 422", resp.StatusCode)
		}
		for _, form := range []url.Values{
			{"kind": {"labour"}, "quantity": {"1,5"}, "unit_price": {""}, "visible": {"1"}},
			{"kind": {"part"}, "description": {"Avloppspump"}, "article": {"EL-140000"}, "quantity": {"1"}, "unit_price": {"1 234,50"}, "visible": {"1"}},
		} {
			if resp := f.post(disp, woPath+"/kostnad", form); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("add cost %v = %d", form, resp.StatusCode)
			}
		}
		costs, _ := f.db.CostLines(ctx, repair.CustomerScope(f.mine.ID), f.myCase.ID)
		if len(costs) != 2 || costs[0].AmountOre != 97500 || costs[1].AmountOre != 123450 {
			t.Errorf("costs = %+v; want labour 1,5 h × the customer's 650 kr = 975 kr and a part at 1 234,50 kr", costs)
		}

		// The customer sees the visible action and the costs, not the internal note.
		anna := f.login(f.anna.Email)
		body, _ := io.ReadAll(f.get(anna, "/arenden/"+itoa(f.myCase.ID)+"/atgarder").Body)
		if s := string(body); !strings.Contains(s, "Bytt avloppspump") || strings.Contains(s, "otrevlig") || !strings.Contains(s, "2\u00a0209,50") {
			t.Error("customer's Se åtgärder: want the visible action and the 2 209,50 kr total, not the internal note")
		}
		// Utförd sets the completion time the customer sees.
		for _, st := range []string{"in_progress", "completed"} {
			if resp := f.post(disp, "/order/arenden/"+itoa(f.myCase.ID)+"/status", url.Values{"status": {st}}); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("status %s = %d", st, resp.StatusCode)
			}
		}
		if c, _ := f.db.Case(ctx, repair.StaffScope(), f.myCase.ID); c.CompletedAt.IsZero() {
			t.Error("Utförd did not set the completion time")
		}
	})
}

func TestWorkOrderList(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		disp := f.login(f.disp.Email)
		day := time.Now().In(repair.Stockholm).Format(time.DateOnly)
		f.post(disp, "/order/arenden/"+itoa(f.myCase.ID)+"/arbetsorder", url.Values{"technician_id": {itoa(f.tech.ID)}, "date": {day}, "from": {"13:00"}, "until": {"14:30"}})
		d := doc(t, f.get(disp, "/order/arbetsorder"))
		g := d.Find("[data-testid=technician-group]")
		if g.Length() != 1 || !strings.Contains(g.Text(), f.tech.Name) || !strings.Contains(g.Text(), "13:00–14:30") || !strings.Contains(g.Text(), f.myCase.Number) {
			t.Errorf("planning list = %q, want the technician's 13:00–14:30 visit on %s", g.Text(), f.myCase.Number)
		}
		if !strings.Contains(d.Find("[data-testid=unplanned]").Text(), f.theirCase.Number) {
			t.Error("a work order without a time is not listed as unplanned")
		}
		next := doc(t, f.get(disp, "/order/arbetsorder?fran="+time.Now().AddDate(0, 0, 8).Format(time.DateOnly)))
		if next.Find("[data-testid=technician-group]").Length() != 0 {
			t.Error("next week shows this week's visit")
		}
		if resp := f.get(disp, "/order/arbetsorder?fran=igår"); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("bad date = %d, want 400", resp.StatusCode)
		}
		if resp := f.get(f.login(f.tech.Email), "/order/arbetsorder"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("technician on the staff list = %d, want 404", resp.StatusCode)
		}
	})
}

func TestCustomerRegister(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		disp := f.login(f.disp.Email)
		bad := f.post(disp, "/order/kunder", url.Values{"number": {"K 9"}, "name": {""}, "org_number": {"556036-0794"}, "hourly_rate": {"mycket"}})
		if bad.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad customer = %d, want 422", bad.StatusCode)
		}
		d := doc(t, bad)
		for _, f := range []string{"number", "name", "org_number", "hourly_rate"} {
			if d.Find("#new-"+f+"[aria-invalid=true]").Length() != 1 {
				t.Errorf("field %s not marked invalid", f)
			}
		}
		if v, _ := d.Find("#new-number").Attr("value"); v != "K 9" {
			t.Errorf("entered number not kept: %q", v)
		}
		resp := f.post(disp, "/order/kunder", url.Values{"number": {"k9"}, "name": {"Åkerbo Fastigheter"}, "org_number": {"5560360793"}, "hourly_rate": {"700"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("create customer = %d", resp.StatusCode)
		}
		loc := resp.Header.Get("Location")
		if dup := f.post(disp, "/order/kunder", url.Values{"number": {"K9"}, "name": {"Dubblett"}}); dup.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("duplicate customer number = %d, want 422", dup.StatusCode)
		}
		id := strings.TrimPrefix(loc, "/order/kunder/")
		if resp := f.post(disp, loc+"/anvandare", url.Values{"name": {"Eva Ek"}, "email": {"eva@akerbo.example"}, "role": {"admin"}, "password": {"kort"}}); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("user with staff role and short password = %d, want 422", resp.StatusCode)
		}
		if resp := f.post(disp, loc+"/anvandare", url.Values{"name": {"Eva Ek"}, "email": {"eva@akerbo.example"}, "role": {"customer_user"}, "password": {"startlösen-123"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("create user = %d", resp.StatusCode)
		}
		eva, err := f.db.UserByEmail(ctx, "eva@akerbo.example")
		if err != nil || !eva.MustChangePassword || itoa(eva.CustomerID) != id {
			t.Fatalf("eva = %+v, %v; want a user of the new customer who must change password", eva, err)
		}
		if resp := f.post(disp, loc+"/avtal", url.Values{"number": {"AV-9"}, "valid_from": {"2026-01-01"}, "valid_to": {"2025-01-01"}}); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("contract ending before start = %d, want 422", resp.StatusCode)
		}
		if resp := f.post(disp, loc+"/avtal", url.Values{"number": {"AV-9"}, "name": {"Service"}, "valid_from": {"2026-01-01"}}); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("create contract = %d", resp.StatusCode)
		}
		// Disabling a login ends its sessions at once.
		anna := f.login(f.anna.Email)
		if resp := f.post(disp, "/order/anvandare/"+itoa(f.anna.ID)+"/sparr", url.Values{"disabled": {"1"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("disable = %d", resp.StatusCode)
		}
		if resp := f.get(anna, "/sok-arende"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("disabled user still signed in: %d", resp.StatusCode)
		}
		if resp := f.post(f.client(), "/logga-in", url.Values{"email": {f.anna.Email}, "password": {testPassword}}); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("disabled user can log in: %d", resp.StatusCode)
		}
		page := doc(t, f.get(disp, loc)).Find("[data-testid=audit-log]").Text()
		for _, want := range []string{"Kund skapad", "Inloggning skapad: eva@akerbo.example", "Avtal skapat: AV-9"} {
			if !strings.Contains(page, want) {
				t.Errorf("audit log lacks %q: %q", want, page)
			}
		}
		// Staff accounts are not managed here.
		if resp := f.post(disp, "/order/anvandare/"+itoa(f.admin.ID)+"/sparr", url.Values{"disabled": {"1"}}); resp.StatusCode != http.StatusNotFound {
			t.Errorf("disabling an admin through the customer register = %d, want 404", resp.StatusCode)
		}
	})
}

func TestStartPasswordMustBeChanged(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		disp := f.login(f.disp.Email)
		if resp := f.post(disp, "/order/anvandare/"+itoa(f.anna.ID)+"/losenord", url.Values{"password": {"startlösen-42"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("reset = %d", resp.StatusCode)
		}
		c := f.client()
		f.post(c, "/logga-in", url.Values{"email": {f.anna.Email}, "password": {"startlösen-42"}})
		resp := f.get(c, "/sok-arende")
		if loc := resp.Header.Get("Location"); loc != "/byt-losenord" {
			t.Fatalf("with a start password GET /sok-arende → %q, want /byt-losenord", loc)
		}
		bad := f.post(c, "/byt-losenord", url.Values{"current": {"fel"}, "new": {"kort"}, "again": {"annat"}})
		if bad.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("bad change = %d, want 422", bad.StatusCode)
		}
		d := doc(t, bad)
		if d.Find("[data-testid=error-current]").Length() != 1 || d.Find("[data-testid=error-new]").Length() != 1 {
			t.Error("messages missing next to the fields")
		}
		ok := f.post(c, "/byt-losenord", url.Values{"current": {"startlösen-42"}, "new": {"mitt eget lösenord"}, "again": {"mitt eget lösenord"}})
		if ok.StatusCode != http.StatusSeeOther || ok.Header.Get("Location") != "/logga-in?bytt=1" {
			t.Fatalf("change = %d → %q", ok.StatusCode, ok.Header.Get("Location"))
		}
		c2 := f.client()
		if resp := f.post(c2, "/logga-in", url.Values{"email": {f.anna.Email}, "password": {"mitt eget lösenord"}}); resp.Header.Get("Location") != "/nytt-arende" {
			t.Errorf("login with the new password → %q", resp.Header.Get("Location"))
		}
		if resp := f.get(c2, "/sok-arende"); resp.StatusCode != http.StatusOK {
			t.Errorf("after the change GET /sok-arende = %d", resp.StatusCode)
		}
	})
}

func TestAssetRegister(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		disp := f.login(f.disp.Email)
		path := "/order/kunder/" + itoa(f.mine.ID) + "/objekt"
		if resp := f.post(disp, path, url.Values{"number": {f.theirAsset.Number}, "kind": {"Kyl"}}); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("duplicate asset number = %d, want 422", resp.StatusCode)
		}
		if resp := f.post(disp, path, url.Values{"number": {"300001"}, "kind": {"Kyl"}, "contract_number": {"NOPE"}}); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("unknown contract = %d, want 422", resp.StatusCode)
		}
		if resp := f.post(disp, path, url.Values{"number": {"300001"}, "kind": {"Kyl"}, "brand": {"Cylinda"}, "street": {"Östra Ängsvägen 2"}, "postal_code": {"54130"}, "city": {"Skövde"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("create asset = %d", resp.StatusCode)
		}
		a, err := f.db.AssetByNumber(ctx, repair.CustomerScope(f.mine.ID), "300001")
		if err != nil || a.PostalCode != "541 30" {
			t.Fatalf("asset = %+v, %v", a, err)
		}
		// The customer finds it by a Swedish word in the picker.
		if as, _ := f.db.SearchAssets(ctx, repair.CustomerScope(f.mine.ID), "ÄNGSV", 10); len(as) != 1 {
			t.Errorf("new asset not found by its street: %d", len(as))
		}
		resp := f.post(disp, "/order/objekt/"+itoa(a.ID), url.Values{"number": {"300001"}, "kind": {"Kyl/frys"}, "postal_code": {"1"}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("bad postal code on edit = %d", resp.StatusCode)
		}
		if v, _ := doc(t, resp).Find("#asset-kind").Attr("value"); v != "Kyl/frys" {
			t.Errorf("edit form lost the entered kind: %q", v)
		}
		if resp := f.post(disp, "/order/objekt/"+itoa(a.ID), url.Values{"number": {"300001"}, "kind": {"Kyl/frys"}, "street": {"Storgatan 9"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit = %d", resp.StatusCode)
		}
		a, _ = f.db.Asset(ctx, repair.StaffScope(), a.ID)
		if a.Kind != "Kyl/frys" || a.Street != "Storgatan 9" {
			t.Errorf("edited asset = %+v", a)
		}
		if as, _ := f.db.SearchAssets(ctx, repair.CustomerScope(f.mine.ID), "KYL/FRYS storgatan", 10); len(as) != 1 {
			t.Error("search text not updated by the edit")
		}
		if log := doc(t, f.get(disp, "/order/objekt/"+itoa(a.ID))).Find("[data-testid=audit-log]").Text(); !strings.Contains(log, "Objektuppgifter ändrade") {
			t.Errorf("audit = %q", log)
		}
	})
}

func TestPhoneCase(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		disp := f.login(f.disp.Email)
		form := validCaseForm("")
		form.Set("customer_id", itoa(f.theirs.ID))
		form.Set("type", "Hackat ärende")
		form.Set("asset_number", f.myAsset.Number) // another customer's machine
		resp := f.post(disp, "/order/nytt-arende", form)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad phone case = %d, want 422", resp.StatusCode)
		}
		d := doc(t, resp)
		if d.Find("[data-testid=error-asset_number]").Length() != 1 {
			t.Error("another customer's machine accepted")
		}
		form.Set("type", "Telefonärende")
		form.Set("asset_number", f.theirAsset.Number)
		resp = f.post(disp, "/order/nytt-arende", form)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("phone case = %d", resp.StatusCode)
		}
		cs := storetest.Cases(t, f.db, repair.CustomerScope(f.theirs.ID))
		if c := cs[0]; c.Type != "Telefonärende" || c.AssetID != f.theirAsset.ID || c.ReportedBy != f.disp.ID || c.Status != repair.StatusRegistered {
			t.Errorf("phone case = %+v", c)
		}
		if u, _ := f.db.User(ctx, repair.StaffScope(), f.disp.ID); u.ReporterName != "" {
			t.Error("a phone case changed the dispatcher's own reporter defaults")
		}
		// The customer sees it in the portal.
		if !strings.Contains(doc(t, f.get(f.login(f.olle.Email), "/sok-arende")).Find("[data-testid=case-list]").Text(), cs[0].Number) {
			t.Error("the customer does not see the phoned-in case")
		}
		if resp := f.get(f.login(f.anna.Email), "/order/nytt-arende"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("customer on the office form = %d", resp.StatusCode)
		}
	})
}

func TestWorkOrderStatus(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		disp := f.login(f.disp.Email)
		path := "/order/arbetsorder/" + itoa(f.myWorkOrder.ID) + "/status"
		if resp := f.post(disp, path, url.Values{"status": {"done"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("Planerad → Klar = %d", resp.StatusCode)
		}
		wos, _ := f.db.WorkOrders(ctx, repair.StaffScope(), f.myCase.ID)
		if wos[0].Status != repair.WorkOrderDone || wos[0].CompletedAt.IsZero() {
			t.Errorf("work order = %+v, want done with a time", wos[0])
		}
		resp := f.post(disp, path, url.Values{"status": {"cancelled"}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("Klar → Avbruten = %d, want 422", resp.StatusCode)
		}
		if msg := doc(t, resp).Find("[data-testid=error-wo-status]").Text(); !strings.Contains(msg, "kan inte gå från Klar till Avbruten") {
			t.Errorf("message = %q", msg)
		}
	})
}

func TestEditContract(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		disp := f.login(f.disp.Email)
		path := "/order/avtal/" + itoa(f.myContract.ID)
		if v, _ := doc(t, f.get(disp, path)).Find("#contract-hourly_rate").Attr("value"); v != "590,00" {
			t.Errorf("rate shown as %q, want 590,00", v)
		}
		if resp := f.post(disp, path, url.Values{"number": {"AV-1"}, "valid_from": {"2026-05-01"}, "valid_to": {"2026-01-01"}}); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("bad period = %d, want 422", resp.StatusCode)
		}
		if resp := f.post(disp, path, url.Values{"number": {"AV-2"}, "name": {"Service plus"}, "hourly_rate": {"610"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit = %d", resp.StatusCode)
		}
		k, _ := f.db.Contract(context.Background(), repair.StaffScope(), f.myContract.ID)
		if k.Number != "AV-2" || k.HourlyRateOre != 61000 || k.CustomerID != f.mine.ID {
			t.Errorf("contract = %+v", k)
		}
	})
}

func TestBlockStaff(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		admin := f.login(f.admin.Email)
		tech := f.login(f.tech.Email)
		if resp := f.post(admin, "/order/personal/"+itoa(f.tech.ID)+"/sparr", url.Values{"disabled": {"1"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("block technician = %d", resp.StatusCode)
		}
		if resp := f.get(tech, "/tekniker"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("blocked technician still signed in: %d", resp.StatusCode)
		}
		resp := f.post(admin, "/order/personal/"+itoa(f.admin.ID)+"/sparr", url.Values{"disabled": {"1"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || doc(t, resp).Find("[data-testid=error-block]").Length() != 1 {
			t.Errorf("admin blocking self = %d, want 422 with a message", resp.StatusCode)
		}
		if resp := f.post(admin, "/order/personal/"+itoa(f.anna.ID)+"/sparr", url.Values{"disabled": {"1"}}); resp.StatusCode != http.StatusNotFound {
			t.Errorf("a customer's login through the staff page = %d, want 404", resp.StatusCode)
		}
	})
}
