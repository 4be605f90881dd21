package e2e

import (
	"fmt"
	"strings"
	"testing"
)

// portalTabs are the customer portal's tabs, in order, with the seed's words.
// Logga ut is not a link: signing out changes state, so it is a POST form.
var portalTabs = []struct {
	testID, text, path string
}{
	{"tab-nytt-arende", "Nytt ärende", "/nytt-arende"},
	{"tab-sok-arende", "Sök ärende", "/sok-arende"},
	{"tab-fakturaspecifikation", "Fakturaspecifikation", "/fakturaspecifikation"},
	{"tab-dashboard", "Dashboard", "/dashboard"},
}

const (
	portalNav  = "nav[data-testid=portal-tabs]"
	staffNav   = "nav[data-testid=staff-nav]"
	logoutTab  = "[data-testid=tab-logga-ut]"
	loginError = "[data-testid=login-error]"
)

// tabControl describes one interactive element of the portal's tab bar.
type tabControl struct {
	Tag        string `json:"tag"`
	TestID     string `json:"testid"`
	Text       string `json:"text"`
	Href       string `json:"href"`
	Type       string `json:"type"`
	FormMethod string `json:"formMethod"`
	FormAction string `json:"formAction"`
	Visible    bool   `json:"visible"`
}

const readTabs = `Array.from(document.querySelectorAll(
	'nav[data-testid=portal-tabs] a, nav[data-testid=portal-tabs] button, nav[data-testid=portal-tabs] input[type=submit]'
)).map(e => ({
	tag: e.tagName.toLowerCase(),
	testid: e.dataset.testid || '',
	text: (e.innerText || e.value || '').trim(),
	href: e.tagName === 'A' ? new URL(e.href).pathname : '',
	type: e.tagName === 'A' ? '' : e.type,
	formMethod: e.form ? e.form.method : '',
	formAction: e.form ? new URL(e.form.action).pathname : '',
	visible: e.checkVisibility(),
}))`

// checkTabs fails the test unless the tab bar holds exactly the four tab
// links and the Logga ut button, in the seed's order and words.
func checkTabs(t testing.TB, b *Browser) {
	t.Helper()
	got := Eval[[]tabControl](t, b, readTabs)
	var texts []string
	for _, c := range got {
		texts = append(texts, c.Text)
	}
	want := []string{"Nytt ärende", "Sök ärende", "Fakturaspecifikation", "Dashboard", "Logga ut"}
	if strings.Join(texts, "|") != strings.Join(want, "|") {
		t.Fatalf("portal tabs = %q, want %q", texts, want)
	}
	for i, tab := range portalTabs {
		c := got[i]
		if c.Tag != "a" || c.TestID != tab.testID || c.Href != tab.path || !c.Visible {
			t.Errorf("tab %q = <%s data-testid=%q href=%q> visible=%v, want a visible <a data-testid=%q href=%q>",
				tab.text, c.Tag, c.TestID, c.Href, c.Visible, tab.testID, tab.path)
		}
	}
	out := got[len(got)-1]
	if out.Tag != "button" || out.Type != "submit" || out.TestID != "tab-logga-ut" ||
		out.FormMethod != "post" || out.FormAction != "/logga-ut" || !out.Visible {
		t.Errorf("Logga ut = <%s type=%q data-testid=%q> in <form method=%q action=%q> visible=%v, want a visible <button type=submit data-testid=tab-logga-ut> in <form method=post action=/logga-ut>",
			out.Tag, out.Type, out.TestID, out.FormMethod, out.FormAction, out.Visible)
	}
}

// walkCustomerPortal signs in as a customer user, checks the tab bar, opens
// every tab, signs out and checks that the session is gone. Every page
// gets axe-core's check on the way (Visit and Follow); check runs on every
// page as well.
func walkCustomerPortal(t *testing.T, b *Browser, check func(t testing.TB, b *Browser)) {
	b.Visit(t, "/logga-in")
	check(t, b)
	if status := b.Login(t, "anna@solgarden.example", demoPassword); status != 200 {
		t.Fatalf("login as anna@solgarden.example: status %d, want 200", status)
	}
	b.WaitVisible(t, portalNav)
	check(t, b)
	checkTabs(t, b)

	for _, tab := range portalTabs {
		sel := fmt.Sprintf("[data-testid=%s]", tab.testID)
		if status := b.Follow(t, sel); status != 200 {
			t.Errorf("tab %q: status %d, want 200", tab.text, status)
		}
		if got := b.Path(t); got != tab.path {
			t.Errorf("tab %q opened %s, want %s", tab.text, got, tab.path)
		}
		b.WaitVisible(t, portalNav)
		if current := Eval[string](t, b, fmt.Sprintf(`document.querySelector(%q).getAttribute('aria-current') || ''`, sel)); current != "page" {
			t.Errorf("on %s, tab %q has aria-current=%q, want \"page\"", tab.path, tab.text, current)
		}
		check(t, b)
	}

	if status := b.Follow(t, logoutTab); status != 200 {
		t.Errorf("Logga ut: status %d, want 200", status)
	}
	b.WaitVisible(t, "#email")
	if got := b.Path(t); !strings.HasPrefix(got, "/logga-in") {
		t.Errorf("after Logga ut the browser is at %s, want the login page /logga-in", got)
	}
	if n := b.Count(t, portalNav); n != 0 {
		t.Errorf("after Logga ut the page still has the portal tabs")
	}
	check(t, b)

	// The session must be gone on the server, not only the cookie hidden:
	// a portal page now answers with the login form.
	b.Visit(t, "/sok-arende")
	b.WaitVisible(t, "#email")
	if n := b.Count(t, portalNav); n != 0 {
		t.Errorf("after Logga ut, /sok-arende still shows the portal tabs")
	}
}

func TestCustomerLoginTabsLogout(t *testing.T) {
	b := NewBrowser(t)
	walkCustomerPortal(t, b, func(testing.TB, *Browser) {})
}

// TestCustomerLoginTabsLogoutPostgres walks the same path on a site that
// runs on PostgreSQL.
func TestCustomerLoginTabsLogoutPostgres(t *testing.T) {
	b := NewBrowserOnPostgres(t)
	walkCustomerPortal(t, b, func(testing.TB, *Browser) {})
}

// TestCustomerPortalOnPhone walks the portal on a 360 px wide phone, where
// nothing may need horizontal scrolling.
func TestCustomerPortalOnPhone(t *testing.T) {
	b := NewBrowserAt(t, Phone)
	walkCustomerPortal(t, b, noHorizontalScroll)
}

// wideElements lists, for a page that scrolls sideways, up to five of the
// elements that stick out to the right, so that the message says what to fix.
const wideElements = `Array.from(document.querySelectorAll('body *'))
	.filter(e => e.getBoundingClientRect().right > %d + 0.5)
	.slice(0, 5)
	.map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
		(typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\s+/).join('.') : '') +
		' (right edge ' + Math.round(e.getBoundingClientRect().right) + ' px)')`

// noHorizontalScroll fails the test when the page is wider than the phone.
func noHorizontalScroll(t testing.TB, b *Browser) {
	t.Helper()
	// Without this a broken emulation would make the check pass anywhere.
	// (Not innerWidth: a phone widens the layout viewport to fit a page
	// that is too wide, and that is what the check below is after.)
	if w := Eval[int](t, b, `screen.width`); w != Phone.Width {
		t.Fatalf("screen.width = %d, want %d: the phone emulation did not apply", w, Phone.Width)
	}
	w := Eval[int](t, b, `document.documentElement.scrollWidth`)
	if w <= Phone.Width {
		return
	}
	wide := Eval[[]string](t, b, fmt.Sprintf(wideElements, Phone.Width))
	t.Errorf("%s: document.documentElement.scrollWidth = %d, want <= %d (no horizontal scrolling on a phone); too wide: %s",
		b.Path(t), w, Phone.Width, strings.Join(wide, ", "))
}

func TestLoginWrongPassword(t *testing.T) {
	b := NewBrowser(t)
	const email = "lars@tvatteriet.example"
	b.Visit(t, "/logga-in")
	status := b.Login(t, email, "not-the-password")
	if status < 400 || status >= 500 {
		t.Errorf("login with a wrong password: status %d, want a 4xx status", status)
	}
	b.WaitVisible(t, loginError)
	if msg := b.Text(t, loginError); msg == "" {
		t.Errorf("%s is empty, want a message saying the login failed", loginError)
	}
	if got := b.Value(t, "#email"); got != email {
		t.Errorf("after a failed login #email = %q, want the entered %q", got, email)
	}
	if got := b.Value(t, "#password"); got != "" {
		t.Errorf("after a failed login #password = %q, want it empty (never echo a password)", got)
	}
	if n := b.Count(t, portalNav); n != 0 {
		t.Errorf("after a failed login the page shows the portal tabs")
	}
}

func TestStaffLandsInOrderSystem(t *testing.T) {
	b := NewBrowser(t)
	b.Visit(t, "/logga-in")
	if status := b.Login(t, "disp@kundportal.example", demoPassword); status != 200 {
		t.Fatalf("login as disp@kundportal.example: status %d, want 200", status)
	}
	b.WaitVisible(t, staffNav)
	if n := b.Count(t, portalNav); n != 0 {
		t.Errorf("a dispatcher's landing page %s shows the customer portal tabs", b.Path(t))
	}
}
