package web

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"kundportal/internal/orders"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// TestLoginAsksForEmptyFields: a field left empty gets its own message
// next to it, and is no failed login: it neither counts towards the
// throttle nor shows the message of a wrong combination.
func TestLoginAsksForEmptyFields(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		failures := func() int {
			t.Helper()
			n := 0
			for _, key := range []string{"account:" + f.anna.Email, "account:", "address:127.0.0.1"} {
				c, err := db.LoginFailures(ctx, key, time.Now().Add(-time.Hour))
				if err != nil {
					t.Fatal(err)
				}
				n += c
			}
			return n
		}
		const askEmail, askPassword = "Ange din e-postadress.", "Ange ditt lösenord."
		tests := []struct {
			name            string
			email, password string
			wantEmail       string // the message next to each field, "" for none
			wantPassword    string
		}{
			{"both empty", "", "", askEmail, askPassword},
			{"no password", f.anna.Email, "", "", askPassword},
			{"no e-mail", "  ", testPassword, askEmail, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				resp := f.post(f.client(), "/logga-in", url.Values{"email": {tt.email}, "password": {tt.password}})
				if resp.StatusCode != http.StatusUnprocessableEntity {
					t.Errorf("POST = %d, want 422", resp.StatusCode)
				}
				d := doc(t, resp)
				if msg := d.Find("[data-testid=login-error]").Text(); msg != "" {
					t.Errorf("login error = %q, want none for a field left empty", msg)
				}
				for field, want := range map[string]string{"email": tt.wantEmail, "password": tt.wantPassword} {
					msg := d.Find("[data-testid=error-" + field + "]")
					input := d.Find("#" + field)
					if msg.Text() != want {
						t.Errorf("message next to %s = %q, want %q", field, msg.Text(), want)
					}
					invalid := input.AttrOr("aria-invalid", "") == "true"
					if invalid != (want != "") || (want != "" && input.AttrOr("aria-describedby", "") != msg.AttrOr("id", "-")) {
						t.Errorf("%s: aria-invalid %v, aria-describedby %q; want it marked and described by its message when empty",
							field, invalid, input.AttrOr("aria-describedby", ""))
					}
				}
				if v := d.Find("#email").AttrOr("value", ""); v != tt.email {
					t.Errorf("e-mail field = %q, want the entered %q kept", v, tt.email)
				}
			})
		}
		if n := failures(); n != 0 {
			t.Errorf("%d failed logins recorded for empty fields, want none", n)
		}
		// However often the password is left empty, the account stays open.
		for range orders.MaxAccountFailures + 1 {
			f.post(f.client(), "/logga-in", url.Values{"email": {f.anna.Email}, "password": {""}})
		}
		if resp := f.post(f.client(), "/logga-in", url.Values{"email": {f.anna.Email}, "password": {testPassword}}); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("login after %d empty passwords = %d, want 303", orders.MaxAccountFailures+1, resp.StatusCode)
		}
		// A wrong combination still gets the one message, and counts.
		resp := f.post(f.client(), "/logga-in", url.Values{"email": {f.anna.Email}, "password": {"fel-lösenord"}})
		d := doc(t, resp)
		if resp.StatusCode != http.StatusUnauthorized || d.Find("[data-testid=login-error]").Text() != msgBadLogin {
			t.Errorf("wrong password = %d %q, want 401 %q", resp.StatusCode, d.Find("[data-testid=login-error]").Text(), msgBadLogin)
		}
		if d.Find(".field-error").Length() != 0 {
			t.Error("a wrong password shows a message next to a field; it must not say which part was wrong")
		}
		if n := failures(); n == 0 {
			t.Error("a wrong password recorded no failed login")
		}
	})
}

// TestChangePasswordAsksForEmptyFields: an empty Byt lösenord asks for
// each field next to it instead of calling the password wrong; a wrong
// current password is still called wrong.
func TestChangePasswordAsksForEmptyFields(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		c := f.login(f.anna.Email)
		const next = "ett nytt långt lösenord"
		tests := []struct {
			name string
			form url.Values
			want map[string]string // field → message; the others have none
		}{
			{"empty", url.Values{}, map[string]string{
				"current": "Ange ditt nuvarande lösenord.", "new": "Ange ett nytt lösenord.", "again": "Ange det nya lösenordet en gång till."}},
			{"only the current", url.Values{"current": {testPassword}}, map[string]string{
				"new": "Ange ett nytt lösenord.", "again": "Ange det nya lösenordet en gång till."}},
			{"no repetition", url.Values{"current": {testPassword}, "new": {next}}, map[string]string{
				"again": "Ange det nya lösenordet en gång till."}},
			{"wrong current", url.Values{"current": {"fel-lösenord"}, "new": {next}, "again": {next}}, map[string]string{
				"current": "Fel lösenord."}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				resp := f.post(c, "/byt-losenord", tt.form)
				if resp.StatusCode != http.StatusUnprocessableEntity {
					t.Fatalf("POST = %d, want 422", resp.StatusCode)
				}
				d := doc(t, resp)
				for _, field := range []string{"current", "new", "again"} {
					msg := d.Find("[data-testid=error-" + field + "]").Text()
					if msg != tt.want[field] {
						t.Errorf("message next to %s = %q, want %q", field, msg, tt.want[field])
					}
					if invalid := d.Find("#"+field).AttrOr("aria-invalid", "") == "true"; invalid != (tt.want[field] != "") {
						t.Errorf("%s marked invalid = %v, want %v", field, invalid, tt.want[field] != "")
					}
				}
			})
		}
		// Still signed in with the old password: nothing was changed.
		if resp := f.get(c, "/sok-arende"); resp.StatusCode != http.StatusOK {
			t.Errorf("after the refused changes GET = %d, want 200", resp.StatusCode)
		}
	})
}
