package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"kundportal/internal/repair"
)

// fileCaseAndFindInIntake is the portal's main path: a customer files a
// service request through the real form, first with nothing filled in (and
// sees what is missing), then choosing a machine by typing its number, and
// a dispatcher finds the case in the order system's intake.
func fileCaseAndFindInIntake(t *testing.T, b *Browser, backend string) {
	const anna = "anna@solgarden.example"
	ctx := context.Background()
	db := servers[backend].db
	u, err := db.UserByEmail(ctx, anna)
	if err != nil {
		t.Fatal(err)
	}
	assets, err := db.SearchAssets(ctx, repair.CustomerScope(u.CustomerID), "", 1)
	if err != nil || len(assets) == 0 {
		t.Fatalf("no demo asset for %s: %v", anna, err)
	}
	asset := assets[0]

	b.Visit(t, "/logga-in")
	b.Login(t, anna, demoPassword)
	b.Visit(t, "/nytt-arende")
	b.do(t, "clear the defaults", chromedp.Evaluate[chromedp.Void](`document.getElementById('reporter_name').value = ''`))

	// Spara with required fields empty: the form comes back with messages.
	if status := b.Follow(t, "[data-testid=save-case]"); status != 422 {
		t.Errorf("Spara on an empty form: status %d, want 422", status)
	}
	b.WaitVisible(t, "[data-testid=error-summary]")
	for _, f := range []string{"title", "description", "street", "reporter_name", "postal_code"} {
		if b.Count(t, "[data-testid=error-"+f+"]") != 1 {
			t.Errorf("no message next to %s", f)
		}
	}

	// Choose the machine by typing its number into Objekt.
	b.Do(t, chromedp.SendKeys(chromedp.ID("asset_query"), asset.Number))
	b.WaitVisible(t, "[data-testid=asset-suggestion]")
	b.Do(t, chromedp.Click(chromedp.CSS("[data-testid=asset-suggestion]")))
	b.WaitVisible(t, "[data-testid=chosen-asset]")
	if got := b.Value(t, "#street"); got != asset.Street {
		t.Errorf("after choosing %s, Gata = %q, want %q", asset.Number, got, asset.Street)
	}
	if got := b.Value(t, "#postal_code"); got != asset.PostalCode {
		t.Errorf("after choosing %s, Postnr = %q, want %q", asset.Number, got, asset.PostalCode)
	}
	b.CheckA11y(t)

	b.Do(t,
		chromedp.SendKeys(chromedp.ID("title"), asset.City+" "+asset.Kind+" låter konstigt"),
		chromedp.SendKeys(chromedp.ID("description"), "Hyresgäst har kollat sil. Ring innan."),
		chromedp.SendKeys(chromedp.ID("reporter_name"), "Anna Lindqvist"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('reporter_phone').value = '070-123 45 67'`),
	)
	if status := b.Follow(t, "[data-testid=save-case]"); status != 200 {
		t.Fatalf("Spara: status %d, want 200 after the redirect", status)
	}
	b.WaitVisible(t, "[data-testid=case-confirmation]")
	number := b.Text(t, "[data-testid=case-number]")
	if !strings.Contains(b.Text(t, "[data-testid=case-fields]"), asset.Number) {
		t.Errorf("the confirmation's summary lacks the machine %s", asset.Number)
	}

	b.Follow(t, logoutTab)
	b.Login(t, "disp@kundportal.example", demoPassword)
	b.Visit(t, "/order")
	if intake := b.Text(t, "[data-testid=intake-list]"); !strings.Contains(intake, number) {
		t.Errorf("case %s is not in the intake list", number)
	}
}

func TestFileCaseThroughPortal(t *testing.T) {
	fileCaseAndFindInIntake(t, NewBrowser(t), "sqlite")
}

func TestFileCaseThroughPortalPostgres(t *testing.T) {
	fileCaseAndFindInIntake(t, NewBrowserOnPostgres(t), "postgres")
}
