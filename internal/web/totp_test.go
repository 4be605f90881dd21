package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"kundportal/internal/auth"
	"kundportal/internal/orders"
	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// TestTwoFactorLogin: a dispatcher without two-factor login sees nothing
// but the page that sets it up, which takes a code from the app before
// it turns it on and then shows ten recovery codes once; from then on the
// password alone starts no session; a code is taken once, a recovery code
// once; wrong codes are throttled like passwords; an admin's reset and
// new start password send the dispatcher back to the beginning; a
// customer's user may turn it on and off, a dispatcher may not turn it
// off. Each step is in the audit log.
func TestTwoFactorLogin(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		nils := storetest.User(t, db, 0, repair.RoleDispatcher, "nils@kundportal.example", f.hash)
		password := func(c *http.Client) *http.Response {
			return f.post(c, "/logga-in", url.Values{"email": {nils.Email}, "password": {testPassword}})
		}
		c := f.client()
		if resp := password(c); resp.Header.Get("Location") != "/order" {
			t.Fatalf("first login → %q, want /order", resp.Header.Get("Location"))
		}
		if resp := f.get(c, "/order"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/tvastegs" {
			t.Fatalf("the office without two-factor login = %d → %q, want /tvastegs", resp.StatusCode, resp.Header.Get("Location"))
		}
		setup := doc(t, f.get(c, "/tvastegs"))
		secret := setup.Find("[data-testid=totp-secret]").Text()
		sealed, _ := setup.Find("input[name=sealed]").Attr("value")
		if setup.Find("[data-testid=totp-required]").Length() != 1 || len(secret) < 32 || setup.Find("img[data-testid=totp-qr]").AttrOr("alt", "") == "" {
			t.Fatalf("the set-up page: secret %q, %q", secret, setup.Find("main").Text())
		}
		if src, _ := setup.Find("img[data-testid=totp-qr]").Attr("src"); !strings.HasPrefix(src, "data:image/png;base64,") {
			t.Errorf("QR code %q, want a PNG in the page", src[:min(len(src), 40)])
		}
		if resp := f.post(c, "/tvastegs", url.Values{"sealed": {sealed}, "code": {"000000"}}); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("a wrong code at set-up = %d, want 422", resp.StatusCode)
		}
		code, _ := auth.TOTPCode(secret, time.Now())
		on := doc(t, f.post(c, "/tvastegs", url.Values{"sealed": {sealed}, "code": {code}}))
		codes := on.Find("[data-testid=recovery-codes] li").Map(func(_ int, s *goquery.Selection) string { return strings.TrimSpace(s.Text()) })
		if len(codes) != orders.RecoveryCodeCount {
			t.Fatalf("%d recovery codes shown, want %d", len(codes), orders.RecoveryCodeCount)
		}
		if resp := f.get(c, "/order"); resp.StatusCode != http.StatusOK {
			t.Errorf("the office after set-up = %d, want 200", resp.StatusCode)
		}

		// The password alone starts no session.
		c2 := f.client()
		resp := password(c2)
		if resp.Header.Get("Location") != "/logga-in/kod" {
			t.Fatalf("login → %q, want the code's page", resp.Header.Get("Location"))
		}
		if r := f.get(c2, "/order"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/logga-in") {
			t.Errorf("the office between password and code = %d → %q, want the login", r.StatusCode, r.Header.Get("Location"))
		}
		if r := f.post(c2, "/logga-in/kod", url.Values{"code": {code}}); r.StatusCode != http.StatusUnauthorized {
			t.Errorf("the set-up's code again = %d, want 401 (a code is taken once)", r.StatusCode)
		}
		if r := f.post(c2, "/logga-in/kod", url.Values{"code": {codes[0]}}); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/order" {
			t.Fatalf("a recovery code = %d → %q", r.StatusCode, r.Header.Get("Location"))
		}
		c3 := f.client()
		password(c3)
		if r := f.post(c3, "/logga-in/kod", url.Values{"code": {strings.ToUpper(codes[0])}}); r.StatusCode != http.StatusUnauthorized {
			t.Errorf("a recovery code used twice = %d, want 401", r.StatusCode)
		}
		for range orders.MaxAccountFailures - 1 {
			f.post(c3, "/logga-in/kod", url.Values{"code": {"123456"}})
		}
		if r := f.post(c3, "/logga-in/kod", url.Values{"code": {codes[1]}}); r.StatusCode != http.StatusTooManyRequests {
			t.Errorf("after %d wrong codes = %d, want 429 even for a right one", orders.MaxAccountFailures, r.StatusCode)
		}
		if r := f.post(f.client(), "/logga-in/kod", url.Values{"code": {codes[1]}}); r.Header.Get("Location") != "/logga-in?igen=1" {
			t.Errorf("a code without a login's first step → %q", r.Header.Get("Location"))
		}

		// The admin resets it, for a lost phone.
		admin := f.login(f.admin.Email)
		if r := f.post(admin, "/order/personal/"+itoa(nils.ID)+"/tvastegs", url.Values{}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("reset = %d", r.StatusCode)
		}
		if r := f.get(c, "/order"); r.Header.Get("Location") != "/tvastegs" {
			t.Errorf("after the admin's reset the office → %q, want set-up again", r.Header.Get("Location"))
		}
		if r := f.post(admin, "/order/personal/"+itoa(f.admin.ID)+"/tvastegs", url.Values{}); r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("the admin resets its own = %d, want 422", r.StatusCode)
		}
		if r := f.post(admin, "/order/personal/"+itoa(nils.ID)+"/losenord", url.Values{"password": {"kort"}}); r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("a short start password = %d, want 422", r.StatusCode)
		}
		if r := f.post(admin, "/order/personal/"+itoa(nils.ID)+"/losenord", url.Values{"password": {"ett nytt startlösenord"}}); r.StatusCode != http.StatusSeeOther {
			t.Errorf("a start password = %d", r.StatusCode)
		}
		if u, _ := db.User(ctx, repair.StaffScope(), nils.ID); !u.MustChangePassword || u.TOTPEnabled {
			t.Errorf("after the admin's resets: %+v", u)
		}
		if r := f.post(admin, "/order/personal/"+itoa(f.anna.ID)+"/losenord", url.Values{"password": {"ett nytt startlösenord"}}); r.StatusCode != http.StatusNotFound {
			t.Errorf("the staff page on a customer's login = %d, want 404", r.StatusCode)
		}
		log, _ := db.AuditLog(ctx, repair.StaffScope(), "user", nils.ID)
		var actions []string
		for _, e := range log {
			actions = append(actions, e.Detail)
		}
		for _, want := range []string{"Tvåstegsverifiering påslagen", "Inloggning med reservkod", "Tvåstegsverifiering återställd av administratör", "Nytt startlösenord av administratör"} {
			if !strings.Contains(strings.Join(actions, "|"), want) {
				t.Errorf("audit log %q lacks %q", actions, want)
			}
		}

		// A customer's user may turn it on, and off again; a dispatcher
		// may not turn it off.
		anna := f.login(f.anna.Email)
		page := doc(t, f.get(anna, "/tvastegs"))
		if page.Find("[data-testid=totp-required]").Length() != 0 {
			t.Error("a customer's user is told it must")
		}
		s := page.Find("[data-testid=totp-secret]").Text()
		sl, _ := page.Find("input[name=sealed]").Attr("value")
		ac, _ := auth.TOTPCode(s, time.Now())
		f.post(anna, "/tvastegs", url.Values{"sealed": {sl}, "code": {ac}})
		if u, _ := db.User(ctx, repair.StaffScope(), f.anna.ID); !u.TOTPEnabled {
			t.Fatal("anna's two-factor login is not on")
		}
		if r := f.post(anna, "/tvastegs/stang-av", url.Values{}); r.StatusCode != http.StatusSeeOther {
			t.Errorf("anna turns it off = %d", r.StatusCode)
		}
		if u, _ := db.User(ctx, repair.StaffScope(), f.anna.ID); u.TOTPEnabled {
			t.Error("anna's two-factor login is still on")
		}
		disp := f.login(f.disp.Email)
		if r := f.post(disp, "/tvastegs/stang-av", url.Values{}); r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("a dispatcher turns it off = %d, want 422", r.StatusCode)
		}
	})
}
