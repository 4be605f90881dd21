package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"kundportal/internal/auth"
	"kundportal/internal/filestore"
	"kundportal/internal/orders"
	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

const testPassword = "rätt-lösenord-1"

// fixture is a running site on a temporary SQLite database with two
// customers, each with a user, an asset, a case and a file, plus staff.
type fixture struct {
	t     *testing.T
	db    *store.DB
	files filestore.Store
	srv   *httptest.Server
	hash  string

	mine, theirs        repair.Customer
	anna, olle          repair.User // customer users of mine and theirs
	karin               repair.User // mine's customer admin
	disp, tech, admin   repair.User
	myCase, theirCase   repair.Case
	myAsset, theirAsset repair.Asset
	myFile, theirFile   repair.File

	myWorkOrder, theirWorkOrder repair.WorkOrder
	myContract, theirContract   repair.Contract
	myMail, theirMail           repair.Mail // in the outbox, to anna and olle

	ops  *orders.Ops                     // the server's operations
	now  func() time.Time                // the server's clock
	totp map[int64]orders.TOTPEnrollment // the secrets of staff who sign in with a code
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	f := &fixture{t: t, db: db, totp: map[int64]orders.TOTPEnrollment{}, now: time.Now}
	var err error
	f.files = storetest.Files(t, db)
	if f.hash, err = auth.HashPassword(testPassword); err != nil {
		t.Fatal(err)
	}
	f.mine = storetest.Customer(t, f.db, "Solgårdens Bostäder AB")
	f.theirs = storetest.Customer(t, f.db, "Björkhagens äldreboende")
	f.anna = storetest.User(t, f.db, f.mine.ID, repair.RoleCustomerUser, "anna@solgarden.example", f.hash)
	f.olle = storetest.User(t, f.db, f.theirs.ID, repair.RoleCustomerUser, "olle@bjorkhagen.example", f.hash)
	f.karin = storetest.User(t, f.db, f.mine.ID, repair.RoleCustomerAdmin, "karin@solgarden.example", f.hash)
	f.disp = storetest.User(t, f.db, 0, repair.RoleDispatcher, "disp@kundportal.example", f.hash)
	f.tech = storetest.User(t, f.db, 0, repair.RoleTechnician, "tekniker@kundportal.example", f.hash)
	f.admin = storetest.User(t, f.db, 0, repair.RoleAdmin, "admin@kundportal.example", f.hash)
	f.myAsset = storetest.Asset(t, f.db, f.mine.ID)
	f.theirAsset = storetest.Asset(t, f.db, f.theirs.ID)
	f.myCase = storetest.Case(t, f.db, f.mine.ID, f.myAsset.ID, "Skövde Diskmaskin tömmer inte")
	f.theirCase = storetest.Case(t, f.db, f.theirs.ID, f.theirAsset.ID, "Mariestad Kyl varm")
	f.myFile = f.storeFile(f.myCase.ID, "följesedel.pdf", "%PDF-1.4 mine")
	f.myContract = repair.Contract{CustomerID: f.mine.ID, Number: "AV-1", HourlyRateOre: 59000}
	f.theirContract = repair.Contract{CustomerID: f.theirs.ID, Number: "AV-1"}
	for _, k := range []*repair.Contract{&f.myContract, &f.theirContract} {
		storetest.Write(t, f.db, func(ctx context.Context, tx *store.Tx) error { return tx.CreateContract(ctx, k) })
	}
	f.myWorkOrder = repair.WorkOrder{CaseID: f.myCase.ID}
	f.theirWorkOrder = repair.WorkOrder{CaseID: f.theirCase.ID}
	for _, wo := range []*repair.WorkOrder{&f.myWorkOrder, &f.theirWorkOrder} {
		storetest.Write(t, f.db, func(ctx context.Context, tx *store.Tx) error { return tx.CreateWorkOrder(ctx, wo) })
	}
	f.theirFile = f.storeFile(f.theirCase.ID, "theirs.pdf", "%PDF-1.4 theirs")
	f.myMail = repair.Mail{MessageID: "mine@test", Event: repair.MailReceived, CustomerID: f.mine.ID, CaseID: f.myCase.ID,
		UserID: f.anna.ID, Recipient: f.anna.Email, Subject: "Ärende " + f.myCase.Number + ": mottaget", Text: "Hej Anna", HTML: "<p>Hej Anna</p>"}
	f.theirMail = repair.Mail{MessageID: "theirs@test", Event: repair.MailReceived, CustomerID: f.theirs.ID, CaseID: f.theirCase.ID,
		UserID: f.olle.ID, Recipient: f.olle.Email, Subject: "Ärende " + f.theirCase.Number + ": mottaget", Text: "Hej Olle", HTML: "<p>Hej Olle</p>"}
	for _, m := range []*repair.Mail{&f.myMail, &f.theirMail} {
		storetest.Write(t, f.db, func(ctx context.Context, tx *store.Tx) error { return tx.EnqueueMail(ctx, m, 0) })
	}

	f.ops = orders.New(f.db, f.files, nil)
	h, err := New(Options{DB: f.db, Files: f.files, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Ops: f.ops})
	if err != nil {
		t.Fatal(err)
	}
	f.srv = httptest.NewServer(h)
	t.Cleanup(f.srv.Close)
	return f
}

// invoice issues an invoice to customer k for a work order on a case of
// its own, made for it so that the fixture's other work stays open.
func (f *fixture) invoice(k repair.Customer) repair.Invoice {
	f.t.Helper()
	c := storetest.Case(f.t, f.db, k.ID, 0, "Fakturerat arbete")
	wo := storetest.WorkOrder(f.t, f.db, c.ID, 0)
	inv := repair.Invoice{CustomerID: k.ID, InvoiceDate: "2026-03-31", DueDate: "2026-04-30", PeriodFrom: "2026-03-01", PeriodTo: "2026-03-31",
		CustomerName: k.Name, OrgNumber: "556677-8899", InvoiceAddress: k.Name + "\nBox 12\n541 21 Skövde",
		Lines: []repair.InvoicedLine{{WorkOrderID: wo.ID, CaseID: c.ID, CaseNumber: c.Number, WorkOrderNumber: wo.Number,
			CaseTitle: c.Title, Kind: repair.CostPart, Description: "Pump", InvoiceLine: repair.InvoiceLine{QuantityMilli: 1000, UnitPriceOre: 89000, Rate: repair.VATStandard}, AmountOre: 89000}}}
	inv.Totals, _ = repair.Totals([]repair.InvoiceLine{inv.Lines[0].InvoiceLine})
	storetest.Write(f.t, f.db, func(ctx context.Context, tx *store.Tx) error { return tx.CreateInvoice(ctx, &inv, []int64{wo.ID}) })
	return inv
}

func (f *fixture) storeFile(caseID int64, name, body string) repair.File {
	f.t.Helper()
	sum, size, err := f.files.Put(strings.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	thumb, _, err := f.files.Put(strings.NewReader("thumb of " + body))
	if err != nil {
		f.t.Fatal(err)
	}
	file := repair.File{CaseID: caseID, Kind: repair.FileDeliveryNote, Name: name, ContentType: "application/pdf", Size: size, SHA256: sum, ThumbSHA256: thumb}
	storetest.Write(f.t, f.db, func(ctx context.Context, tx *store.Tx) error { return tx.CreateFile(ctx, &file) })
	return file
}

// client is a browser-like client with its own cookie jar that does not
// follow redirects, so tests can see them.
func (f *fixture) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// login signs in as email and returns the client holding the session. A
// user whose role needs two-factor login has it set up first (a secret
// kept by the fixture) and passes the code's step.
func (f *fixture) login(email string) *http.Client {
	f.t.Helper()
	c := f.client()
	secret := f.totpReady(email)
	resp := f.post(c, "/logga-in", url.Values{"email": {email}, "password": {testPassword}})
	if resp.StatusCode != http.StatusSeeOther {
		f.t.Fatalf("login %s: status %d, want 303", email, resp.StatusCode)
	}
	if strings.HasPrefix(resp.Header.Get("Location"), "/logga-in/kod") {
		if secret == "" {
			f.t.Fatalf("login %s asks for a code the fixture does not have", email)
		}
		code, err := auth.TOTPCode(secret, f.now())
		if err != nil {
			f.t.Fatal(err)
		}
		if resp := f.post(c, "/logga-in/kod", url.Values{"code": {code}}); resp.StatusCode != http.StatusSeeOther {
			f.t.Fatalf("login %s, code: status %d, want 303", email, resp.StatusCode)
		}
	}
	return c
}

// totpReady gives the user of email two-factor login, if its role needs
// it, with a secret the fixture keeps, and lets its next code be taken
// (a test signs one user in many times within one time step); it returns
// the secret, or "" for a user without.
func (f *fixture) totpReady(email string) string {
	f.t.Helper()
	ctx := context.Background()
	u, err := f.db.UserByEmail(ctx, email)
	if err != nil || !f.ops.TOTPRequired(u) && !u.TOTPEnabled {
		return ""
	}
	k, ok := f.totp[u.ID]
	if !ok {
		if k, err = f.ops.StartTOTP(u); err != nil {
			f.t.Fatal(err)
		}
		f.totp[u.ID] = k
	}
	storetest.Write(f.t, f.db, func(ctx context.Context, tx *store.Tx) error { return tx.SetTOTP(ctx, u.ID, k.Sealed, 0, nil) })
	return k.Secret
}

func (f *fixture) get(c *http.Client, path string) *http.Response {
	f.t.Helper()
	resp, err := c.Get(f.srv.URL + path)
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func (f *fixture) post(c *http.Client, path string, form url.Values) *http.Response {
	f.t.Helper()
	resp, err := c.PostForm(f.srv.URL+path, form)
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func doc(t *testing.T, resp *http.Response) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestLoginLandsByRole(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		tests := []struct {
			email string
			home  string
			nav   string
		}{
			{f.anna.Email, "/nytt-arende", "nav[data-testid=portal-tabs]"},
			{f.disp.Email, "/order", "nav[data-testid=staff-nav]"},
			{f.admin.Email, "/order", "nav[data-testid=staff-nav]"},
			{f.tech.Email, "/tekniker", "nav[data-testid=technician-nav]"},
		}
		for _, tt := range tests {
			t.Run(tt.email, func(t *testing.T) {
				c := f.client()
				secret := f.totpReady(tt.email)
				resp := f.post(c, "/logga-in", url.Values{"email": {strings.ToUpper(tt.email)}, "password": {testPassword}})
				if secret != "" {
					// Staff who see every customer pass a code first.
					if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/logga-in/kod" {
						t.Fatalf("login = %d → %q, want 303 → the code's page", resp.StatusCode, loc)
					}
					for _, ck := range resp.Cookies() {
						if ck.Name == sessionCookie && ck.Value != "" {
							t.Error("a session cookie before the code")
						}
					}
					code, _ := auth.TOTPCode(secret, time.Now())
					resp = f.post(c, "/logga-in/kod", url.Values{"code": {code}})
				}
				if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != tt.home {
					t.Fatalf("login = %d → %q, want 303 → %q", resp.StatusCode, loc, tt.home)
				}
				var cookie *http.Cookie
				for _, ck := range resp.Cookies() {
					if ck.Name == sessionCookie {
						cookie = ck
					}
				}
				if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode {
					t.Errorf("session cookie = %+v, want HttpOnly SameSite=Lax", cookie)
				}
				page := f.get(c, tt.home)
				if page.StatusCode != http.StatusOK {
					t.Fatalf("GET %s = %d, want 200", tt.home, page.StatusCode)
				}
				if doc(t, page).Find(tt.nav).Length() != 1 {
					t.Errorf("GET %s has no %s", tt.home, tt.nav)
				}
			})
		}
	})
}

func TestPortalTabs(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		d := doc(t, f.get(f.login(f.anna.Email), "/sok-arende"))
		var tabs []string
		d.Find("nav[data-testid=portal-tabs] li").Each(func(_ int, s *goquery.Selection) {
			tabs = append(tabs, strings.TrimSpace(s.Text()))
		})
		want := []string{"Nytt ärende", "Sök ärende", "Fakturaspecifikation", "Dashboard", "Logga ut"}
		if strings.Join(tabs, "|") != strings.Join(want, "|") {
			t.Errorf("tabs = %q, want %q", tabs, want)
		}
		if cur := d.Find(`nav a[aria-current=page]`).Text(); cur != "Sök ärende" {
			t.Errorf("current tab = %q, want Sök ärende", cur)
		}
		// Objekt is one click away beside the name, from every page, and
		// not a sixth tab; the office has no such link.
		for _, path := range []string{"/sok-arende", "/nytt-arende", "/dashboard", "/arenden/" + itoa(f.myCase.ID)} {
			if href, _ := doc(t, f.get(f.login(f.anna.Email), path)).Find("header [data-testid=header-objekt]").Attr("href"); href != "/objekt" {
				t.Errorf("%s: no Objekt link in the header", path)
			}
		}
		if doc(t, f.get(f.login(f.disp.Email), "/order")).Find("[data-testid=header-objekt]").Length() != 0 {
			t.Error("the office's header links to the portal's Objekt")
		}
		// The customer's own case is listed; the other customer's is not.
		list := d.Find("[data-testid=case-list]").Text()
		if !strings.Contains(list, f.myCase.Number) || strings.Contains(list, f.theirCase.Title) {
			t.Errorf("case list = %q, want own case %s only", list, f.myCase.Number)
		}
	})
}

func TestWrongPasswordAndUnknownUserLookAlike(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		var bodies []string
		for _, email := range []string{f.anna.Email, "ingen@example.se"} {
			resp := f.post(f.client(), "/logga-in", url.Values{"email": {email}, "password": {"fel"}})
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("login %s with wrong password = %d, want 401", email, resp.StatusCode)
			}
			d := doc(t, resp)
			msg := d.Find("[data-testid=login-error]").Text()
			if msg != msgBadLogin {
				t.Errorf("login error = %q, want %q", msg, msgBadLogin)
			}
			if v, _ := d.Find("#email").Attr("value"); v != email {
				t.Errorf("email field = %q, want the entered %q kept", v, email)
			}
			bodies = append(bodies, msg)
		}
		if bodies[0] != bodies[1] {
			t.Errorf("messages differ: %q vs %q", bodies[0], bodies[1])
		}
	})
}

func TestLoginThrottling(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		for i := 0; i < orders.MaxAccountFailures; i++ {
			f.post(f.client(), "/logga-in", url.Values{"email": {f.anna.Email}, "password": {"fel"}})
		}
		// Now even the right password is refused, with a clear message.
		resp := f.post(f.client(), "/logga-in", url.Values{"email": {f.anna.Email}, "password": {testPassword}})
		if resp.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("login after %d failures = %d, want 429", orders.MaxAccountFailures, resp.StatusCode)
		}
		if msg := doc(t, resp).Find("[data-testid=login-error]").Text(); msg != msgThrottled {
			t.Errorf("message = %q, want %q", msg, msgThrottled)
		}
		// Another account from the same address still works (address limit is higher).
		if resp := f.post(f.client(), "/logga-in", url.Values{"email": {f.disp.Email}, "password": {testPassword}}); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("other account login = %d, want 303", resp.StatusCode)
		}
		// Failures from one address across many accounts are throttled too.
		for i := 0; i < orders.MaxAddressFailures; i++ {
			f.post(f.client(), "/logga-in", url.Values{"email": {"x" + string(rune('a'+i%26)) + "@example.se"}, "password": {"fel"}})
		}
		if resp := f.post(f.client(), "/logga-in", url.Values{"email": {f.admin.Email}, "password": {testPassword}}); resp.StatusCode != http.StatusTooManyRequests {
			t.Errorf("login from a throttled address = %d, want 429", resp.StatusCode)
		}
	})
}

func TestLogoutEndsSession(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		c := f.login(f.anna.Email)
		token := sessionToken(t, c, f.srv.URL)
		wantAccepted(t, "before logout", replayGet(t, f.srv.URL, token, "/sok-arende"))
		resp := f.post(c, "/logga-ut", nil)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/logga-in?utloggad=1" {
			t.Fatalf("logout = %d → %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		if flash := doc(t, f.get(c, "/logga-in?utloggad=1")).Find("[data-testid=flash]").Text(); flash != "Du är utloggad." {
			t.Errorf("flash = %q", flash)
		}
		// The jar dropped the cleared cookie, so asking c again would pass
		// even if the server kept the session: replay the old token by hand.
		wantRefused(t, "after logout", replayGet(t, f.srv.URL, token, "/sok-arende"))
		wantRefused(t, "after logout", replayGet(t, f.srv.URL, token, "/arenden/"+itoa(f.myCase.ID)))
	})
}

func TestSessionIDChangesAtLogin(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		c := f.login(f.anna.Email)
		u, _ := url.Parse(f.srv.URL)
		first := c.Jar.Cookies(u)[0].Value
		f.post(c, "/logga-in", url.Values{"email": {f.anna.Email}, "password": {testPassword}})
		second := c.Jar.Cookies(u)[0].Value
		if first == second {
			t.Error("session token unchanged by a new login")
		}
		// The old token no longer works.
		old := f.client()
		old.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: first}})
		if resp := f.get(old, "/sok-arende"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("old token GET = %d, want redirect to login", resp.StatusCode)
		}
	})
}

func TestTamperedCookie(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		u, _ := url.Parse(f.srv.URL)
		for _, v := range []string{"garbage", strings.Repeat("A", 43), strings.Repeat("x", 5000), "%00%ff"} {
			c := f.client()
			c.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: v}})
			resp := f.get(c, "/sok-arende")
			if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/logga-in") {
				t.Errorf("cookie %.20q: GET = %d → %q, want redirect to login", v, resp.StatusCode, resp.Header.Get("Location"))
			}
		}
	})
}

func TestCrossSitePostRefused(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		c := f.login(f.anna.Email)
		req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/logga-ut", nil)
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("cross-site POST = %d, want 403", resp.StatusCode)
		}
		if h := doc(t, resp).Find("h1").Text(); h != "Begäran nekades" {
			t.Errorf("403 page heading = %q", h)
		}
		// The session survived: the forged logout did nothing.
		if resp := f.get(c, "/sok-arende"); resp.StatusCode != http.StatusOK {
			t.Errorf("after forged logout GET = %d, want 200", resp.StatusCode)
		}
	})
}

func TestNotFoundPage(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		for _, path := range []string{"/finns-inte", "/arenden/abc", "/arenden/-1", "/arenden/99999999999999999999", "/static/nope.css"} {
			resp := f.get(f.login(f.anna.Email), path)
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s = %d, want 404", path, resp.StatusCode)
				continue
			}
			if path == "/static/nope.css" {
				continue
			}
			d := doc(t, resp)
			if h := d.Find("h1").Text(); h != "Sidan finns inte" {
				t.Errorf("GET %s heading = %q, want Swedish 404", path, h)
			}
		}
	})
}

// TestIsolationEveryIDRoute walks the route table: every route that takes
// an id in its path (whatever the parameter is called) must answer another
// customer's record exactly like a missing one, for customers and for a
// technician without work orders, and staff routes must be 404 for
// customers and technicians.
func TestIsolationEveryIDRoute(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		anna := f.login(f.anna.Email)
		karin := f.login(f.karin.Email)
		tech := f.login(f.tech.Email)
		disp := f.login(f.disp.Email)

		myInv, theirInv := f.invoice(f.mine), f.invoice(f.theirs)
		// For each id route: the owner's id, another customer's id.
		ids := map[string][2]int64{
			"/order/fakturor/{id}":             {myInv.ID, theirInv.ID},
			"/order/fakturor/{id}/kreditera":   {myInv.ID, theirInv.ID},
			"/order/fakturor/{id}/export.pdf":  {myInv.ID, theirInv.ID},
			"/order/fakturor/{id}/export.xlsx": {myInv.ID, theirInv.ID},
			"/order/fakturor/{id}/export.csv":  {myInv.ID, theirInv.ID},
			"/order/fakturor/{id}/export.xml":  {myInv.ID, theirInv.ID},
			"/arenden/{id}":                    {f.myCase.ID, f.theirCase.ID},
			"/arenden/{id}/atgarder":           {f.myCase.ID, f.theirCase.ID},
			"/arenden/{id}/filer":              {f.myCase.ID, f.theirCase.ID},
			"/arenden/{id}/information":        {f.myCase.ID, f.theirCase.ID},
			"/arenden/{id}/foto":               {f.myCase.ID, f.theirCase.ID},
			"/arenden/{id}/avbryt":             {f.myCase.ID, f.theirCase.ID},
			"/order/arenden/{id}/last":         {f.myCase.ID, f.theirCase.ID},
			"/objekt/{id}":                     {f.myAsset.ID, f.theirAsset.ID},
			"/objekt/{id}/export.csv":          {f.myAsset.ID, f.theirAsset.ID},
			"/objekt/{id}/export.xlsx":         {f.myAsset.ID, f.theirAsset.ID},
			"/filer/{id}/miniatyr":             {f.myFile.ID, f.theirFile.ID},
			"/order/arenden/{id}/filer":        {f.myCase.ID, f.theirCase.ID},
			"/filer/{id}":                      {f.myFile.ID, f.theirFile.ID},
			"/order/arenden/{id}":              {f.myCase.ID, f.theirCase.ID},
			"/order/arenden/{id}/status":       {f.myCase.ID, f.theirCase.ID},
			"/order/arenden/{id}/huvudnyckel":  {f.myCase.ID, f.theirCase.ID},
			"/order/arenden/{id}/arbetsorder":  {f.myCase.ID, f.theirCase.ID},
			"/order/arbetsorder/{id}/status":   {f.myWorkOrder.ID, f.theirWorkOrder.ID},
			"/order/arbetsorder/{id}/atgard":   {f.myWorkOrder.ID, f.theirWorkOrder.ID},
			"/order/arbetsorder/{id}/kostnad":  {f.myWorkOrder.ID, f.theirWorkOrder.ID},
			"/order/arbetsorder/{id}/oppna":    {f.myWorkOrder.ID, f.theirWorkOrder.ID},
			"/order/kunder/{id}":               {f.mine.ID, f.theirs.ID},
			"/order/kunder/{id}/anvandare":     {f.mine.ID, f.theirs.ID},
			"/order/kunder/{id}/avtal":         {f.mine.ID, f.theirs.ID},
			"/order/kunder/{id}/objekt":        {f.mine.ID, f.theirs.ID},
			"/order/personal/{id}/sparr":       {f.tech.ID, f.disp.ID},
			"/order/avtal/{id}":                {f.myContract.ID, f.theirContract.ID},
			"/order/kunder/{id}/import":        {f.mine.ID, f.theirs.ID},
			"/order/kunder/{id}/etiketter":     {f.mine.ID, f.theirs.ID},
			"/order/objekt/{id}":               {f.myAsset.ID, f.theirAsset.ID},
			"/order/anvandare/{id}/sparr":      {f.anna.ID, f.olle.ID},
			"/order/anvandare/{id}/losenord":   {f.anna.ID, f.olle.ID},
			"/order/utskick/{id}":              {f.myMail.ID, f.theirMail.ID},
			"/order/utskick/{id}/html":         {f.myMail.ID, f.theirMail.ID},
			"/order/utskick/{id}/forsok-igen":  {f.myMail.ID, f.theirMail.ID},
			"/anvandare/{id}/sparr":            {f.anna.ID, f.olle.ID},
			"/anvandare/{id}/roll":             {f.anna.ID, f.olle.ID},
			"/order/personal/{id}/tvastegs":    {f.tech.ID, f.tech.ID}, // an empty form resets: not the dispatcher's
			"/order/personal/{id}/losenord":    {f.tech.ID, f.disp.ID},
		}
		// The technician's own work order on my case, for its routes; a
		// work order of theirs is the foreign one.
		techWO := storetest.WorkOrder(t, db, f.myCase.ID, f.tech.ID)
		techFresh := f.login(f.tech.Email)
		for _, rt := range (&server{}).routeTable() {
			_, path, _ := strings.Cut(rt.pattern, " ")
			if strings.HasPrefix(path, "/tekniker/arbetsorder/{id}") {
				ids[path] = [2]int64{techWO.ID, f.theirWorkOrder.ID}
			}
		}
		s := &server{}
		param := regexp.MustCompile(`\{[A-Za-z_]+(?:\.\.\.)?\}`)
		for _, rt := range s.routeTable() {
			if !param.MatchString(rt.pattern) {
				continue
			}
			method, path, _ := strings.Cut(rt.pattern, " ")
			if strings.Contains(path, "{token}") {
				// A token is no record's id but its own permission;
				// TestUnsubscribe refuses forged ones like a missing one.
				continue
			}
			pair, ok := ids[path]
			if !ok {
				t.Errorf("route %q takes an id but this test does not cover it", rt.pattern)
				continue
			}
			t.Run(method+" "+path, func(t *testing.T) {
				at := func(id int64) string { return param.ReplaceAllString(path, itoa(id)) }
				call := func(c *http.Client, path string) *http.Response {
					if method == http.MethodPost {
						return f.post(c, path, url.Values{})
					}
					return f.get(c, path)
				}
				// A customer's admin routes are tried by the customer's
				// admin: another customer's people are not found either.
				customer := anna
				if rt.access == customerAdmin {
					customer = karin
				}
				missing := call(customer, at(987654))
				foreign := call(customer, at(pair[1]))
				mb, _ := io.ReadAll(missing.Body)
				fb, _ := io.ReadAll(foreign.Body)
				if missing.StatusCode != http.StatusNotFound || foreign.StatusCode != http.StatusNotFound {
					t.Errorf("customer: missing = %d, foreign = %d; want 404 both", missing.StatusCode, foreign.StatusCode)
				}
				if string(mb) != string(fb) {
					t.Error("customer: a foreign id answers differently from a missing one")
				}
				if strings.Contains(string(fb), f.theirCase.Title) || strings.Contains(string(fb), f.theirAsset.Number) {
					t.Error("customer: the 404 page reveals the foreign record")
				}
				// A technician without work orders sees no customer's
				// records, on every route: the same 404 as for a missing id.
				tm, tf := call(tech, at(987654)), call(tech, at(pair[1]))
				tmb, _ := io.ReadAll(tm.Body)
				tfb, _ := io.ReadAll(tf.Body)
				if tm.StatusCode != http.StatusNotFound || tf.StatusCode != http.StatusNotFound || string(tmb) != string(tfb) {
					t.Errorf("technician: missing = %d, foreign = %d; want the same 404", tm.StatusCode, tf.StatusCode)
				}
				if rt.access == staff || rt.access == adminOnly {
					office := disp
					refused := map[string]*http.Client{"customer": anna, "technician": tech}
					if rt.access == adminOnly {
						office, refused["dispatcher"] = f.login(f.admin.Email), disp
					}
					for name, c := range refused {
						if resp := call(c, at(pair[0])); resp.StatusCode != http.StatusNotFound {
							t.Errorf("%s on staff route: %d, want 404", name, resp.StatusCode)
						}
					}
					// Staff reach every customer's records; an empty form is
					// refused with messages (or is a no-op), never an error.
					if resp := call(office, at(pair[1])); resp.StatusCode == http.StatusNotFound || resp.StatusCode >= 500 {
						t.Errorf("office: %d, want the record reached", resp.StatusCode)
					}
					if resp := call(office, at(987654)); resp.StatusCode != http.StatusNotFound {
						t.Errorf("office, missing id: %d, want 404", resp.StatusCode)
					}
					return
				}
				if rt.access == technician {
					if method == http.MethodGet {
						if own := f.get(techFresh, at(pair[0])); own.StatusCode != http.StatusOK {
							t.Errorf("technician, own work order: %d, want 200", own.StatusCode)
						}
					}
					return
				}
				if method != http.MethodGet {
					// The customer's own forms reach the record: an empty
					// form is refused with messages, never a 404 or an error.
					if own := call(customer, at(pair[0])); own.StatusCode == http.StatusNotFound || own.StatusCode >= 500 {
						t.Errorf("customer, own id: %d, want the record reached", own.StatusCode)
					}
					return
				}
				if own := f.get(anna, at(pair[0])); own.StatusCode != http.StatusOK {
					t.Errorf("customer, own id: %d, want 200", own.StatusCode)
				}
			})
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestFileDownload(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		resp := f.get(f.login(f.anna.Email), "/filer/"+itoa(f.myFile.ID))
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK || string(body) != "%PDF-1.4 mine" {
			t.Fatalf("download = %d %q", resp.StatusCode, body)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "application/pdf" {
			t.Errorf("Content-Type = %q", ct)
		}
		if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "inline;") || !strings.Contains(cd, "f%C3%B6ljesedel.pdf") {
			t.Errorf("Content-Disposition = %q, want inline with the encoded name", cd)
		}

		// An uploaded PDF may carry scripts the browser's viewer would
		// run: it is saved, not shown, unlike the product's own notes.
		sum, size, err := f.files.Put(strings.NewReader("%PDF-1.4 /JavaScript (app.alert(1))"))
		if err != nil {
			t.Fatal(err)
		}
		upload := repair.File{CaseID: f.myCase.ID, Kind: repair.FileAttachment, Name: "ritning.pdf", ContentType: "application/pdf", Size: size, SHA256: sum}
		storetest.Write(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.CreateFile(ctx, &upload) })
		resp = f.get(f.login(f.anna.Email), "/filer/"+itoa(upload.ID))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("uploaded PDF: %d", resp.StatusCode)
		}
		if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "ritning.pdf") {
			t.Errorf("uploaded PDF: Content-Disposition = %q, want attachment", cd)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "application/octet-stream" {
			t.Errorf("uploaded PDF: Content-Type = %q, want application/octet-stream", ct)
		}
	})
}

// Every response, a page or a file, turns off the browser features the
// site does not use and isolates its windows from other sites'.
func TestSecurityHeaders(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		anna := f.login(f.anna.Email)
		for _, path := range []string{"/logga-in", "/sok-arende", "/filer/" + itoa(f.myFile.ID), "/finns-inte"} {
			c := f.client()
			if path != "/logga-in" {
				c = anna
			}
			h := f.get(c, path).Header
			if got := h.Get("Cross-Origin-Opener-Policy"); got != "same-origin" {
				t.Errorf("%s: Cross-Origin-Opener-Policy = %q", path, got)
			}
			pp := h.Get("Permissions-Policy")
			for _, feature := range []string{"camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"} {
				if !strings.Contains(pp, feature) {
					t.Errorf("%s: Permissions-Policy %q lacks %s", path, pp, feature)
				}
			}
			if !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'self'") {
				t.Errorf("%s: no content security policy", path)
			}
		}
	})
}

func TestSafeNext(t *testing.T) {
	tests := map[string]string{
		"/arenden/1":           "/arenden/1",
		"/sok-arende?x=1":      "/sok-arende?x=1",
		"//evil.example":       "",
		"https://evil.example": "",
		"/\\evil.example":      "",
		"javascript:alert(1)":  "",
		"":                     "",
	}
	for in, want := range tests {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLoginRedirectsBack(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		c := f.client()
		resp := f.get(c, "/arenden/"+itoa(f.myCase.ID))
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/logga-in?next=") {
			t.Fatalf("anonymous GET = %d → %q", resp.StatusCode, loc)
		}
		d := doc(t, f.get(c, loc))
		next, _ := d.Find("input[name=next]").Attr("value")
		resp = f.post(c, "/logga-in", url.Values{"email": {f.anna.Email}, "password": {testPassword}, "next": {next}})
		if got := resp.Header.Get("Location"); got != "/arenden/"+itoa(f.myCase.ID) {
			t.Errorf("login with next → %q, want the case page", got)
		}
	})
}

func TestEveryLabelHasItsInput(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		d := doc(t, f.get(f.client(), "/logga-in"))
		d.Find("label").Each(func(_ int, l *goquery.Selection) {
			id, _ := l.Attr("for")
			if id == "" || d.Find("#"+id).Length() != 1 {
				t.Errorf("label %q has for=%q with no matching input", l.Text(), id)
			}
		})
	})
}

func TestClientAddress(t *testing.T) {
	req := httptest.NewRequest(http.MethodPost, "/logga-in", nil)
	req.RemoteAddr = "10.0.0.5:4321"
	req.Header.Add("X-Forwarded-For", "1.2.3.4, 203.0.113.9")
	direct, behind := &server{}, &server{trustProxy: true}
	if got := direct.clientAddress(req); got != "10.0.0.5" {
		t.Errorf("without a trusted proxy = %q, want the peer", got)
	}
	if got := behind.clientAddress(req); got != "203.0.113.9" {
		t.Errorf("behind a trusted proxy = %q, want the entry the proxy added", got)
	}
	req.Header.Set("X-Forwarded-For", "not-an-ip")
	if got := behind.clientAddress(req); got != "10.0.0.5" {
		t.Errorf("garbage header = %q, want the peer", got)
	}
}
