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
		h, _ := f.db.StatusHistory(context.Background(), c.ID)
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
		before, _ := f.db.WorkOrders(ctx, f.myCase.ID)
		for _, form := range bad {
			if resp := f.post(disp, path+"/arbetsorder", form); resp.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("work order %v = %d, want 422", form, resp.StatusCode)
			}
		}
		resp := f.post(disp, path+"/arbetsorder", url.Values{"technician_id": {itoa(f.tech.ID)}, "date": {"2026-03-14"}, "from": {"08:00"}, "until": {"10:00"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("plan work order = %d", resp.StatusCode)
		}
		wos, _ := f.db.WorkOrders(ctx, f.myCase.ID)
		if len(wos) != len(before)+1 {
			t.Fatalf("work orders %d → %d, want one more (and none from the bad forms)", len(before), len(wos))
		}
		wo := wos[len(wos)-1]
		if wo.TechnicianID != f.tech.ID || formatDateTime(wo.PlannedStart) != "2026-03-14 08:00" || formatDateTime(wo.PlannedEnd) != "2026-03-14 10:00" {
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
		costs, _ := f.db.CostLines(ctx, f.myCase.ID, true)
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
