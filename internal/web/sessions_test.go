package web

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// A client's cookie jar forgets the session cookie when the server clears
// it, so a test that asks the same client again proves nothing about the
// server. These tests keep the raw token and replay it on a fresh request
// instead, as someone who had copied the cookie would: only the server's
// own record of the session can refuse it then.

// sessionToken returns the raw kp_session token that c holds for base.
func sessionToken(t *testing.T, c *http.Client, base string) string {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == sessionCookie && ck.Value != "" {
			return ck.Value
		}
	}
	t.Fatalf("no %s cookie for %s", sessionCookie, base)
	return ""
}

// replay sends method path to base with token as the only cookie (none if
// it is ""), set by hand on a new request through a client without a jar
// that does not follow redirects. A POST carries form.
func replay(t *testing.T, base, token, method, path string, form url.Values) *http.Response {
	t.Helper()
	var body io.Reader = http.NoBody
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, base+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if token != "" {
		req.Header.Set("Cookie", sessionCookie+"="+token)
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// replayGet is replay for a GET.
func replayGet(t *testing.T, base, token, path string) *http.Response {
	t.Helper()
	return replay(t, base, token, http.MethodGet, path, nil)
}

// wantAccepted fails the test unless resp is the page itself (200).
func wantAccepted(t *testing.T, what string, resp *http.Response) {
	t.Helper()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %s %s = %d → %q, want 200 (the token should work)", what, resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, resp.Header.Get("Location"))
	}
}

// wantRefused fails the test unless resp sends the request to the login
// page, as for someone who is not signed in.
func wantRefused(t *testing.T, what string, resp *http.Response) {
	t.Helper()
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/logga-in") {
		t.Errorf("%s: %s %s with the old token = %d → %q, want 303 → /logga-in", what, resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, loc)
	}
}

// TestPasswordChangeEndsSessions: changing one's password ends every
// session of the user, the one that changed it and one on another device,
// and so does a start password set by the office.
func TestPasswordChangeEndsSessions(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		here := f.login(f.anna.Email)
		hereToken := sessionToken(t, here, f.srv.URL)
		otherToken := sessionToken(t, f.login(f.anna.Email), f.srv.URL)
		wantAccepted(t, "before the change", replayGet(t, f.srv.URL, hereToken, "/sok-arende"))
		wantAccepted(t, "other device before the change", replayGet(t, f.srv.URL, otherToken, "/sok-arende"))

		const next = "ett helt nytt lösenord"
		resp := f.post(here, "/byt-losenord", url.Values{"current": {testPassword}, "new": {next}, "again": {next}})
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/logga-in?bytt=1" {
			t.Fatalf("POST /byt-losenord = %d → %q, want 303 → /logga-in?bytt=1", resp.StatusCode, loc)
		}
		wantRefused(t, "after the change, same device", replayGet(t, f.srv.URL, hereToken, "/sok-arende"))
		wantRefused(t, "after the change, other device", replayGet(t, f.srv.URL, otherToken, "/sok-arende"))

		// A start password from the office ends the sessions too.
		c := f.client()
		if resp := f.post(c, "/logga-in", url.Values{"email": {f.anna.Email}, "password": {next}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("login with the new password = %d, want 303", resp.StatusCode)
		}
		token := sessionToken(t, c, f.srv.URL)
		wantAccepted(t, "before the reset", replayGet(t, f.srv.URL, token, "/sok-arende"))
		disp := f.login(f.disp.Email)
		if resp := f.post(disp, "/order/anvandare/"+itoa(f.anna.ID)+"/losenord", url.Values{"password": {"startlösen-42"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("reset = %d, want 303", resp.StatusCode)
		}
		wantRefused(t, "after a start password from the office", replayGet(t, f.srv.URL, token, "/sok-arende"))
	})
}

// TestBlockEndsSessions: blocking a login ends its sessions for good.
// While the user is blocked the store refuses the session anyway, so the
// replay after unblocking is what shows that the session itself is gone.
func TestBlockEndsSessions(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		tests := []struct {
			name    string
			by      string // who blocks
			email   string // whose login
			toggle  string // the block form's action
			landing string
		}{
			{"customer user blocked by a dispatcher", f.disp.Email, f.anna.Email, "/order/anvandare/" + itoa(f.anna.ID) + "/sparr", "/sok-arende"},
			{"technician blocked by an admin", f.admin.Email, f.tech.Email, "/order/personal/" + itoa(f.tech.ID) + "/sparr", "/tekniker"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				token := sessionToken(t, f.login(tt.email), f.srv.URL)
				wantAccepted(t, "before the block", replayGet(t, f.srv.URL, token, tt.landing))
				staff := f.login(tt.by)
				if resp := f.post(staff, tt.toggle, url.Values{"disabled": {"1"}}); resp.StatusCode != http.StatusSeeOther {
					t.Fatalf("block = %d, want 303", resp.StatusCode)
				}
				wantRefused(t, "while blocked", replayGet(t, f.srv.URL, token, tt.landing))
				if resp := f.post(staff, tt.toggle, url.Values{"disabled": {"0"}}); resp.StatusCode != http.StatusSeeOther {
					t.Fatalf("unblock = %d, want 303", resp.StatusCode)
				}
				wantRefused(t, "after unblocking", replayGet(t, f.srv.URL, token, tt.landing))
				// The user can sign in again: the block, not the login, was undone.
				wantAccepted(t, "new login after unblocking", replayGet(t, f.srv.URL, sessionToken(t, f.login(tt.email), f.srv.URL), tt.landing))
			})
		}
	})
}
