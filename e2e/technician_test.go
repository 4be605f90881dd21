package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// tallPhone is the phone the technician's main path is tried on.
var tallPhone = Viewport{Width: 360, Height: 800, Mobile: true}

// customerLogins are the demo customers' logins, by the name a technician
// sees on the work order.
var customerLogins = map[string]string{
	"Solgårdens Bostäder AB":    "anna@solgarden.example",
	"Björkhagens äldreboende":   "berit@bjorkhagen.example",
	"Tvätteriet i Lidköping AB": "lars@tvatteriet.example",
}

// TestTechnicianSignsOnThePhone is the technician's main path at 360 px: open
// the first work order of the list, start it, record an action and a part,
// finish, let the customer sign with a finger on the pad; then the
// customer opens Öppna fil signatur and gets that PDF. Every page passes
// axe-core and fits the screen.
func TestTechnicianSignsOnThePhone(t *testing.T) {
	b := NewBrowserAt(t, tallPhone)
	b.Visit(t, "/logga-in")
	b.Login(t, "tekniker@kundportal.example", demoPassword)
	if got := b.Path(t); got != "/tekniker" {
		t.Fatalf("the technician lands on %s, want /tekniker", got)
	}
	noHorizontalScroll(t, b)
	if n := b.Count(t, "[data-testid=tech-work-order]"); n < 3 {
		t.Fatalf("%d work orders on the list, want today's and more", n)
	}
	b.Follow(t, "[data-testid=open-work-order]")
	noHorizontalScroll(t, b)
	woNumber := strings.Fields(strings.SplitN(b.Text(t, "[data-testid=tech-status]"), "Arbetsorder ", 2)[1])[0]
	customer := ""
	for name := range customerLogins {
		if strings.Contains(b.Text(t, ".tech-facts"), name) {
			customer = name
		}
	}
	if customer == "" {
		t.Fatal("the work order does not name one of the demo customers")
	}

	if b.Count(t, "[data-testid=start-work-order]") == 1 {
		b.Follow(t, "[data-testid=start-work-order]")
	}
	if got := b.Text(t, "[data-testid=wo-status]"); got != "Pågående" {
		t.Errorf("status after Starta = %q, want Pågående", got)
	}
	b.Do(t,
		chromedp.SendKeys(chromedp.ID("action-description"), "Rengjort luddfilter, bytt packning. Provkört 60° utan anmärkning."),
		chromedp.SendKeys(chromedp.ID("action-time"), "1 h 15 min"),
	)
	b.Follow(t, "[data-testid=tech-add-action]")
	if got := b.Text(t, "[data-testid=flash]"); !strings.Contains(got, "Åtgärden är sparad") {
		t.Errorf("after the action: flash %q", got)
	}
	// A part used before: picking its number brings its name and price.
	article := Eval[string](t, b, `document.querySelector('#parts-used option').value`)
	part := Eval[string](t, b, `document.querySelector('#parts-used option').dataset.description`)
	if article == "" || part == "" {
		t.Fatal("the part picker offers no part used before")
	}
	b.Do(t,
		chromedp.SetValue(chromedp.ID("cost-kind"), "part"),
		chromedp.SendKeys(chromedp.ID("cost-article"), article),
		chromedp.Blur(chromedp.ID("cost-article")),
	)
	if got := b.Value(t, "#cost-description"); got != part {
		t.Errorf("after picking %s the description is %q, want %q", article, got, part)
	}
	if b.Value(t, "#cost-unit_price") == "" {
		t.Error("picking a part used before does not bring its price")
	}
	b.Follow(t, "[data-testid=tech-add-cost]")
	b.Follow(t, "[data-testid=tech-finish]")
	if got := b.Text(t, "[data-testid=wo-status]"); got != "Klar" {
		t.Fatalf("status after Avsluta = %q, want Klar", got)
	}

	// The customer signs with a finger; the paper fallback is for phones
	// without JavaScript.
	noHorizontalScroll(t, b)
	b.Do(t, chromedp.SendKeys(chromedp.ID("sign-signer_name"), "Åsa Ängström"))
	r, _ := pad(t, b)
	draw(t, b, r, 20, r.H*0.7, r.W*0.45, r.H*0.2, 12)
	draw(t, b, r, r.W*0.45, r.H*0.2, r.W*0.9, r.H*0.6, 12)
	if inked(t, b) == 0 {
		t.Fatal("the drawing does not show on the pad")
	}
	b.Follow(t, "[data-testid=tech-sign]")
	if got := b.Text(t, "[data-testid=flash]"); !strings.Contains(got, "Följesedeln är sparad") {
		t.Fatalf("after signing: flash %q", got)
	}
	if b.Count(t, "[data-testid=tech-action-form]") != 0 {
		t.Error("the signed work order still offers its forms")
	}

	// The customer finds the case and opens the signed note.
	b.Follow(t, "[data-testid=nav-logga-ut]")
	b.Login(t, customerLogins[customer], demoPassword)
	caseNumber := woNumber[:strings.LastIndex(woNumber, "-")]
	b.Visit(t, "/sok-arende?q="+caseNumber)
	href := Eval[string](t, b, `(a => a ? a.getAttribute('href') : '')(document.querySelector('[data-testid=case-row] [data-testid=open-signature]'))`)
	if href == "" {
		t.Fatalf("Sök ärende shows no Öppna fil signatur for %s", caseNumber)
	}
	got := EvalAsync[string](t, b, `fetch('`+href+`').then(async r => r.status + ' ' + r.headers.get('content-type') + ' ' + (await r.text()).slice(0, 5))`)
	if got != "200 application/pdf %PDF-" {
		t.Errorf("Öppna fil signatur answers %q, want the PDF", got)
	}
	b.Visit(t, "/arenden/"+strings.TrimPrefix(Eval[string](t, b, `document.querySelector('[data-testid=case-row] a').getAttribute('href')`), "/arenden/"))
	if !strings.Contains(b.Text(t, "[data-testid=case-work]"), part) {
		t.Error("the customer's case page does not show the part")
	}
}
