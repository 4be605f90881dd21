package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestCustomerAddsInformationAndCancels: on a case still Registrerad the
// customer adds information, sees it confirmed and in the history, then
// cancels the case with a reason; a refused empty note keeps the page
// with the message next to the field. axe-core checks every state.
func TestCustomerAddsInformationAndCancels(t *testing.T) {
	b := NewBrowser(t)
	b.Visit(t, "/logga-in")
	b.Login(t, "anna@solgarden.example", demoPassword)
	b.Visit(t, "/sok-arende?status=registered")
	b.Follow(t, `[data-testid=case-row] a[href^="/arenden/"]`)
	casePath := b.Path(t)

	b.Follow(t, "[data-testid=add-note]")
	if b.Count(t, "[data-testid=error-note]") != 1 {
		t.Fatal("an empty note is not refused with a message next to the field")
	}
	b.Do(t, chromedp.SendKeys(chromedp.ID("note-text"), "Portkoden är ändrad till 4321."))
	b.Follow(t, "[data-testid=add-note]")
	confirmed(t, b, "Tack! Informationen är tillagd i ärendet.")
	if !strings.Contains(b.Text(t, "main"), "Portkoden är ändrad till 4321.") {
		t.Error("the note is not in the case's history")
	}

	b.Do(t, chromedp.Click(chromedp.CSS(".cancel-case summary")), chromedp.SendKeys(chromedp.ID("cancel-reason"), "Felet har försvunnit"))
	b.Follow(t, "[data-testid=cancel-case]")
	confirmed(t, b, "Ärendet är avbrutet.")
	if got := b.Text(t, "[data-testid=case-status]"); got != "Avbruten" {
		t.Errorf("after cancelling the status is %q", got)
	}
	if b.Path(t) != casePath {
		t.Errorf("after cancelling: %s, want the case's page %s", b.Path(t), casePath)
	}
}
