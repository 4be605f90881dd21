package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kundportal/internal/repair"
)

// TestOfficeInvoicesCustomerReads is the invoicing path: the office runs
// an invoice for a customer's completed cases of the past year, reviews
// and issues it; the customer opens Fakturaspecifikation, picks the month
// of one of its cases, sees it under its Fakturamärkning with the
// subtotal and the new invoice's number, opens the invoice and downloads
// the Excel file and the PDF. axe-core checks every view (Visit and
// Follow run it), Kommande too.
func TestOfficeInvoicesCustomerReads(t *testing.T) {
	b := NewBrowser(t)
	b.Visit(t, "/logga-in")
	b.Login(t, "disp@kundportal.example", demoPassword)
	b.Visit(t, "/order/fakturering")
	now := time.Now().In(repair.Stockholm)
	setSelectByText(t, b, "#kund", "Tvätteriet i Lidköping AB")
	b.Do(t,
		chromedp.SetValue(chromedp.ID("fran"), now.AddDate(-1, 0, 0).Format(time.DateOnly)),
		chromedp.SetValue(chromedp.ID("till"), now.Format(time.DateOnly)),
	)
	b.Follow(t, "[data-testid=run-preview]")
	if b.Count(t, "[data-testid=spec-group]") == 0 {
		t.Fatal("the run shows nothing to invoice for the customer's completed cases")
	}
	// The first case of the run: its number, month, reference and subtotal.
	number := b.Text(t, "[data-testid=spec-case] td:nth-child(1)")
	completed := b.Text(t, "[data-testid=spec-case] td:nth-child(2)")
	reference := strings.TrimPrefix(b.Text(t, "[data-testid=spec-group] h3"), "Fakturamärkning: ")
	b.Follow(t, "[data-testid=issue-invoice]")
	confirmed(t, b, "Fakturan är skapad.")
	invoice := strings.TrimPrefix(b.Text(t, "h1"), "Faktura ")
	b.Follow(t, "[data-testid=nav-logga-ut]")

	b.Login(t, "lars@tvatteriet.example", demoPassword)
	b.Visit(t, "/fakturaspecifikation")
	if b.Count(t, "#period option[selected]") != 1 {
		t.Error("the month list has no month chosen by default")
	}
	month := completed[:7]
	setSelect(t, b, "#period", month)
	b.Follow(t, "[data-testid=spec-period-show]")
	if got := b.Text(t, "[data-testid=spec-title]"); got != "Fakturaspecifikation "+month {
		t.Errorf("the month's title %q", got)
	}
	row := Eval[string](t, b, fmt.Sprintf(`(() => {
		for (const r of document.querySelectorAll('[data-testid=spec-case]')) if (r.querySelector('td').textContent.trim() === %q) return r.textContent;
		return '';
	})()`, number))
	if !strings.Contains(row, invoice) {
		t.Errorf("the month's row for %s is %q, want it to name invoice %s", number, row, invoice)
	}
	groups := b.Text(t, "main")
	if !strings.Contains(groups, "Fakturamärkning: "+reference) || !strings.Contains(groups, "Summa "+reference) {
		t.Errorf("the month does not show %s with its subtotal", reference)
	}

	setSelectByText(t, b, "#faktura", invoice)
	b.Follow(t, "[data-testid=spec-invoice-show]")
	if got := b.Text(t, "[data-testid=spec-title]"); got != "Faktura "+invoice {
		t.Errorf("the chosen invoice's title %q", got)
	}
	if b.Text(t, "[data-testid=spec-to-pay]") == "" {
		t.Error("the invoice shows no amount to pay")
	}
	// The files download with the session: Excel is a zip, the PDF a PDF.
	for sel, want := range map[string]string{
		"[data-testid=export-xlsx]": "200 application/vnd.openxmlformats-officedocument.spreadsheetml.sheet PK",
		"[data-testid=export-pdf]":  "200 application/pdf %P",
	} {
		got := EvalAsync[string](t, b, fmt.Sprintf(`(async () => {
			const r = await fetch(document.querySelector(%q).href);
			const head = new Uint8Array(await r.arrayBuffer()).slice(0, 2);
			return r.status + ' ' + r.headers.get('content-type') + ' ' + String.fromCharCode(...head);
		})()`, sel))
		if got != want {
			t.Errorf("%s: %q, want %q", sel, got, want)
		}
	}
	b.Follow(t, "[data-testid=spec-upcoming]")
	if got := b.Text(t, "[data-testid=spec-title]"); got != "Kommande fakturering" {
		t.Errorf("Kommande's title %q", got)
	}
	if strings.Contains(b.Text(t, "main"), number+" ") {
		t.Errorf("the invoiced case %s is still under Kommande", number)
	}
}

// setSelectByText chooses the option of the select sel whose text
// contains text.
func setSelectByText(t *testing.T, b *Browser, sel, text string) {
	t.Helper()
	ok := Eval[bool](t, b, fmt.Sprintf(`(() => {
		const s = document.querySelector(%q);
		for (const o of s.options) if (o.textContent.includes(%q)) { s.value = o.value; return true; }
		return false;
	})()`, sel, text))
	if !ok {
		t.Fatalf("%s has no option %q", sel, text)
	}
}
