package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestLoginEmptyFields: Logga in with nothing filled in asks for each
// field next to it; a wrong password gets the one generic message. The
// page also has its icon, at the address browsers ask for by themselves.
func TestLoginEmptyFields(t *testing.T) {
	b := NewBrowserAt(t, Phone)
	b.Visit(t, "/logga-in")
	if got := b.Follow(t, "[data-testid=login-submit]"); got != 422 {
		t.Errorf("empty login = %d, want 422", got)
	}
	if got := b.Text(t, "[data-testid=error-email]"); got != "Ange din e-postadress." {
		t.Errorf("next to E-post: %q", got)
	}
	if got := b.Text(t, "[data-testid=error-password]"); got != "Ange ditt lösenord." {
		t.Errorf("next to Lösenord: %q", got)
	}
	if got := Eval[string](t, b, `document.activeElement.id`); got != "email" {
		t.Errorf("the focus is on %q, want the first empty field", got)
	}
	if n := b.Count(t, "[data-testid=login-error]"); n != 0 {
		t.Error("an empty login shows the message for a wrong combination")
	}
	b.Do(t, chromedp.SendKeys(chromedp.ID("email"), "disp@kundportal.example"))
	b.Follow(t, "[data-testid=login-submit]")
	if n := b.Count(t, "[data-testid=error-email]"); n != 0 {
		t.Error("the filled-in e-mail address is still asked for")
	}
	if got := Eval[string](t, b, `document.activeElement.id`); got != "password" {
		t.Errorf("the focus is on %q, want the password", got)
	}
	if got := b.Login(t, "disp@kundportal.example", "fel-lösenord"); got != 401 {
		t.Errorf("wrong password = %d, want 401", got)
	}
	if got := b.Text(t, "[data-testid=login-error]"); got != "Fel e-postadress eller lösenord." {
		t.Errorf("wrong password says %q", got)
	}
	for _, path := range []string{"/favicon.ico", Eval[string](t, b, `document.querySelector('link[rel=icon]').getAttribute('href')`)} {
		got := EvalAsync[string](t, b, `fetch('`+path+`').then(r => r.status + ' ' + r.headers.get('Content-Type'))`)
		if got != "200 image/svg+xml" {
			t.Errorf("GET %s = %q, want 200 image/svg+xml", path, got)
		}
	}
}

// TestPasswordEmptyFields: an empty Byt lösenord asks for each field.
func TestPasswordEmptyFields(t *testing.T) {
	b := NewBrowser(t)
	b.Visit(t, "/logga-in")
	b.Login(t, "admin@kundportal.example", demoPassword)
	b.Visit(t, "/byt-losenord")
	if got := b.Follow(t, "[data-testid=change-password]"); got != 422 {
		t.Errorf("empty Byt lösenord = %d, want 422", got)
	}
	for id, want := range map[string]string{
		"current": "Ange ditt nuvarande lösenord.", "new": "Ange ett nytt lösenord.", "again": "Ange det nya lösenordet en gång till.",
	} {
		if got := b.Text(t, "[data-testid=error-"+id+"]"); got != want {
			t.Errorf("next to %s: %q, want %q", id, got, want)
		}
	}
}
