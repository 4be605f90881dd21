package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestSearchFollowUp is the customer's follow-up path: Sök with nothing
// filled in, narrow by status, open Se åtgärder inline, fetch the signed
// delivery note, and open a machine's page from the list.
func TestSearchFollowUp(t *testing.T) {
	b := NewBrowser(t)
	b.Visit(t, "/logga-in")
	b.Login(t, "anna@solgarden.example", demoPassword)
	b.Visit(t, "/sok-arende")
	b.Follow(t, "[data-testid=search-submit]")
	all := b.Count(t, "[data-testid=case-row]")
	if all != 50 {
		t.Errorf("Sök with nothing filled in shows %d rows, want a full page of 50", all)
	}
	if b.Count(t, "[data-testid=next-page]") != 1 {
		t.Error("no next page link for a customer with hundreds of cases")
	}

	// Only invoiced cases: those have actions and signed delivery notes.
	b.Do(t, chromedp.Click(chromedp.ID("status-invoiced")))
	b.Follow(t, "[data-testid=search-submit]")
	if !strings.Contains(b.Path(t), "status=invoiced") {
		t.Errorf("the filter is not in the URL: %s", b.Path(t))
	}
	statuses := Eval[[]string](t, b, `Array.from(document.querySelectorAll('[data-testid=case-row] .status')).map(e => e.textContent)`)
	for _, s := range statuses {
		if s != "Fakturerad" {
			t.Fatalf("status filter Fakturerad shows a case in %q", s)
		}
	}

	// Se åtgärder opens inline, without leaving the list.
	before := b.Path(t)
	b.Do(t, chromedp.Click(chromedp.CSS("[data-testid=see-actions]")))
	b.WaitVisible(t, "[data-testid=inline-actions] [data-testid=case-work]")
	if b.Path(t) != before {
		t.Errorf("Se åtgärder left the list for %s", b.Path(t))
	}
	if got := Eval[string](t, b, `document.querySelector('[data-testid=see-actions]').getAttribute('aria-expanded')`); got != "true" {
		t.Errorf("aria-expanded = %q after opening", got)
	}
	b.CheckA11y(t)

	// The signed delivery note downloads as a PDF with this session.
	pdf := EvalAsync[string](t, b, `(async () => {
		const a = document.querySelector('[data-testid=open-signature]');
		const r = await fetch(a.href);
		const head = new Uint8Array(await r.arrayBuffer()).slice(0, 4);
		return r.status + ' ' + r.headers.get('content-type') + ' ' + String.fromCharCode(...head);
	})()`)
	if pdf != "200 application/pdf %PDF" {
		t.Errorf("Öppna fil signatur fetch = %q, want a 200 PDF", pdf)
	}

	// Se filer, then the machine's page from the list.
	b.Follow(t, "[data-testid=see-files]")
	b.WaitVisible(t, "[data-testid=delivery-note]")
	b.Visit(t, "/sok-arende?status=invoiced")
	b.Follow(t, "[data-testid=case-row] td:nth-child(4) a")
	b.WaitVisible(t, "[data-testid=asset-stats]")
	if n := b.Count(t, "[data-testid=asset-cases] tbody tr"); n == 0 || n > 25 {
		t.Errorf("the machine page lists %d cases, want a page of at most 25", n)
	}
	b.CheckA11y(t)
}
