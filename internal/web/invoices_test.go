package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// TestInvoiceRunAndSpecification: the office previews and issues a run
// for a customer's done work; the customer's Fakturaspecifikation shows it
// grouped by Fakturamärkning with the subtotal and the total to pay, and
// Kommande what is done but not invoiced; the other customer gets a 404
// for it; the office credits it once.
func TestInvoiceRunAndSpecification(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.addWork(f.myCase) // a work order with a visible part of 890 kr and a hidden fee
		var wos []repair.WorkOrder
		wos, _ = db.WorkOrders(context.Background(), repair.StaffScope(), f.myCase.ID)
		storetest.Write(t, db, func(ctx context.Context, tx *store.Tx) error {
			return tx.SetWorkOrderStatus(ctx, wos[len(wos)-1].ID, repair.WorkOrderDone)
		})
		anna, olle, disp := f.login(f.anna.Email), f.login(f.olle.Email), f.login(f.disp.Email)

		if up := doc(t, f.get(anna, "/fakturaspecifikation?visa=kommande")); !strings.Contains(up.Find("[data-testid=spec-case]").Text(), f.myCase.Number) {
			t.Error("Kommande does not show the done, uninvoiced case")
		}
		today := time.Now().In(repair.Stockholm).Format(time.DateOnly)
		run := url.Values{"kund": {itoa(f.mine.ID)}, "fran": {today}, "till": {today}}
		preview := doc(t, f.get(disp, "/order/fakturering?"+run.Encode()))
		if got := preview.Find("[data-testid=spec-subtotal]").Text(); got != "890,00\u00a0kr" {
			t.Errorf("the run's subtotal %q, want the visible 890,00 kr", got)
		}
		resp := f.post(disp, "/order/fakturering", run)
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/order/fakturor/") {
			t.Fatalf("issue: %d → %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		invPath := resp.Header.Get("Location")
		id := strings.TrimPrefix(invPath, "/order/fakturor/")

		spec := doc(t, f.get(anna, "/fakturaspecifikation"))
		if got := spec.Find("[data-testid=spec-to-pay]").Text(); got != "1\u00a0113,00\u00a0kr" {
			t.Errorf("to pay %q, want 1 113,00 kr (890 + 25 %% VAT, rounded)", got)
		}
		if !strings.Contains(spec.Find("[data-testid=spec-totals]").Text(), "Moms 25 %222,50") {
			t.Errorf("totals %q lack the VAT at 25 %%", spec.Find("[data-testid=spec-totals]").Text())
		}
		if !strings.Contains(spec.Find("[data-testid=spec-group] h3").Text(), f.myCase.InvoiceReference) {
			t.Errorf("the group is %q, want the case's Fakturamärkning", spec.Find("[data-testid=spec-group] h3").Text())
		}
		if up := doc(t, f.get(anna, "/fakturaspecifikation?visa=kommande")); up.Find("[data-testid=spec-case]").Length() != 0 {
			t.Error("the invoiced case is still under Kommande")
		}
		if resp := f.get(olle, "/fakturaspecifikation?faktura="+id); resp.StatusCode != http.StatusNotFound {
			t.Errorf("another customer's invoice: %d, want 404", resp.StatusCode)
		}
		if strings.Contains(doc(t, f.get(olle, "/fakturaspecifikation")).Text(), f.myCase.Number) {
			t.Error("another customer's specification shows the case")
		}
		if resp := f.post(disp, invPath+"/kreditera", nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("credit: %d", resp.StatusCode)
		}
		if resp := f.post(disp, invPath+"/kreditera", nil); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("a second credit: %d, want 422", resp.StatusCode)
		}
	})
}
