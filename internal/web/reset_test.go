package web

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"kundportal/internal/auth"
	"kundportal/internal/orders"
	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

var resetLink = regexp.MustCompile(`(https?://[^/\s]+)` + repair.ResetPath + `([A-Za-z0-9_-]+)`)

// resetToken asks for a reset link for email and returns its token, read
// from the mail in the outbox.
func (f *fixture) resetToken(email string) string {
	f.t.Helper()
	ctx := context.Background()
	if err := f.ops.RequestPasswordReset(ctx, orders.ResetRequest{Email: email, Address: "192.0.2.9"}); err != nil {
		f.t.Fatal(err)
	}
	ms, _, err := f.db.Mails(ctx, repair.StaffScope(), store.MailFilter{State: repair.MailWaiting})
	if err != nil {
		f.t.Fatal(err)
	}
	for _, m := range ms {
		if m.Event == repair.MailPasswordReset && m.Recipient == email {
			if l := resetLink.FindStringSubmatch(m.Text); l != nil {
				return l[2]
			}
		}
	}
	f.t.Fatalf("no reset mail to %s", email)
	return ""
}

// TestForgotPassword: Glömt lösenord answers the same for an address with
// an account and without, mails the one that has one a link built from
// the site's address (never from a forged Host), which sets a new
// password once, ends the user's sessions and then no longer works; the
// office's Utskick never shows the link's token.
func TestForgotPassword(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.ops.UseMail("https://portal.example")
		old := f.login(f.anna.Email)
		c := f.client()
		if d := doc(t, f.get(c, "/logga-in")); d.Find("a[href='/glomt-losenord']").Length() != 1 {
			t.Error("the login page does not link to Glömt lösenord")
		}
		answer := func(email string, host string) (int, string) {
			req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/glomt-losenord", strings.NewReader(url.Values{"email": {email}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if host != "" {
				req.Host = host
				req.Header.Set("X-Forwarded-Host", host)
			}
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			d := doc(t, resp)
			return resp.StatusCode, strings.ReplaceAll(d.Find("[data-testid=reset-sent]").Text(), email, "ADDRESS")
		}
		knownStatus, knownText := answer(f.anna.Email, "evil.example")
		unknownStatus, unknownText := answer("ingen@solgarden.example", "")
		if knownStatus != http.StatusOK || knownStatus != unknownStatus || knownText != unknownText || knownText == "" {
			t.Errorf("answers: %d %q and %d %q, want the same", knownStatus, knownText, unknownStatus, unknownText)
		}
		ms, _, _ := db.Mails(ctx, repair.StaffScope(), store.MailFilter{State: repair.MailWaiting})
		var reset repair.Mail
		for _, m := range ms {
			if m.Event == repair.MailPasswordReset {
				if reset.ID != 0 {
					t.Fatalf("two reset mails; want one, to %s", f.anna.Email)
				}
				reset = m
			}
		}
		l := resetLink.FindStringSubmatch(reset.Text)
		if reset.Recipient != f.anna.Email || l == nil || l[1] != "https://portal.example" || strings.Contains(reset.Text+reset.HTML, "evil.example") {
			t.Fatalf("reset mail to %s: %q", reset.Recipient, reset.Text)
		}
		token := l[2]
		if u, err := db.PasswordResetUser(ctx, token); err == nil {
			t.Errorf("the token itself finds user %d: it must be stored hashed", u.ID)
		}
		if u, err := db.PasswordResetUser(ctx, auth.HashToken(token)); err != nil || u.ID != f.anna.ID {
			t.Errorf("the token's hash: %v, %v", u.ID, err)
		}

		// The office reads the mail without the token.
		disp := f.login(f.disp.Email)
		page := f.get(disp, "/order/utskick/"+itoa(reset.ID))
		body, _ := io.ReadAll(page.Body)
		html := f.get(disp, "/order/utskick/"+itoa(reset.ID)+"/html")
		hbody, _ := io.ReadAll(html.Body)
		if strings.Contains(string(body)+string(hbody), token) || !strings.Contains(string(body), repair.ResetPath+"…") {
			t.Error("the Utskick page shows the reset link's token")
		}

		// The link: a form, then the password, once.
		form := doc(t, f.get(c, repair.ResetPath+token))
		if form.Find("input#new").Length() != 1 || form.Find("label[for=new]").Length() != 1 || !strings.Contains(form.Text(), f.anna.Email) {
			t.Fatalf("the reset page: %q", form.Find("main").Text())
		}
		resp := f.post(c, repair.ResetPath+token, url.Values{"new": {"kort"}, "again": {"kort"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || doc(t, resp).Find("[data-testid=error-new]").Length() != 1 {
			t.Errorf("a short password = %d, want 422 with a message", resp.StatusCode)
		}
		const newPassword = "ett nytt långt lösenord"
		resp = f.post(c, repair.ResetPath+token, url.Values{"new": {newPassword}, "again": {newPassword}})
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/logga-in?bytt=1" {
			t.Fatalf("reset = %d → %q", resp.StatusCode, loc)
		}
		if resp := f.get(old, "/sok-arende"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("the old session after the reset = %d, want it ended (303 to login)", resp.StatusCode)
		}
		if r := f.post(f.client(), "/logga-in", url.Values{"email": {f.anna.Email}, "password": {newPassword}}); r.StatusCode != http.StatusSeeOther {
			t.Errorf("login with the new password = %d", r.StatusCode)
		}
		for _, again := range []string{repair.ResetPath + token, repair.ResetPath + "x" + token[1:], repair.ResetPath + "kort"} {
			resp := f.get(c, again)
			if d := doc(t, resp); resp.StatusCode != http.StatusNotFound || d.Find("[data-testid=reset-gone]").Length() != 1 {
				t.Errorf("%s after use = %d, want 404 saying the link is gone", again, resp.StatusCode)
			}
			if r := f.post(c, again, url.Values{"new": {"ett annat långt lösenord"}, "again": {"ett annat långt lösenord"}}); r.StatusCode != http.StatusNotFound {
				t.Errorf("POST %s after use = %d, want 404", again, r.StatusCode)
			}
		}
		if r := f.post(f.client(), "/logga-in", url.Values{"email": {f.anna.Email}, "password": {"ett annat långt lösenord"}}); r.StatusCode == http.StatusSeeOther {
			t.Error("a used link set the password again")
		}

		// An empty field is asked for; many requests are throttled, for
		// an account and without one alike.
		if r := f.post(c, "/glomt-losenord", url.Values{"email": {""}}); r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("no address = %d, want 422", r.StatusCode)
		}
		for _, email := range []string{f.olle.Email, "ingen2@solgarden.example"} {
			codes := []int{}
			for range orders.MaxAccountFailures + 1 {
				codes = append(codes, f.post(c, "/glomt-losenord", url.Values{"email": {email}}).StatusCode)
			}
			if codes[orders.MaxAccountFailures-1] != http.StatusOK || codes[orders.MaxAccountFailures] != http.StatusTooManyRequests {
				t.Errorf("%s: answers %v, want %d × 200 then 429", email, codes, orders.MaxAccountFailures)
			}
		}
	})
}
