package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"kundportal/internal/auth"
	"kundportal/internal/demo"
	"kundportal/internal/filestore"
	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// benchHandler is the site on db and files, logging nothing.
func benchHandler(b *testing.B, db *store.DB, files filestore.Store) http.Handler {
	b.Helper()
	h, err := New(Options{DB: db, Files: files, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	return h
}

// benchLogin signs in through the login form and returns the session
// cookie.
func benchLogin(b *testing.B, h http.Handler, email, password string) *http.Cookie {
	b.Helper()
	login := httptest.NewRequest(http.MethodPost, "/logga-in", nil)
	login.PostForm = url.Values{"email": {email}, "password": {password}}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, login)
	if len(rec.Result().Cookies()) == 0 {
		b.Fatalf("login as %s: %d", email, rec.Code)
	}
	return rec.Result().Cookies()[0]
}

// benchGet requests path with cookie, b.N times, and returns the last
// page's size.
func benchGet(b *testing.B, h http.Handler, path string, cookie *http.Cookie) int {
	b.Helper()
	b.ReportAllocs()
	size := 0
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.AddCookie(cookie)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("%s = %d", path, rec.Code)
		}
		size = rec.Body.Len()
	}
	return size
}

// BenchmarkPages measures whole page requests, session to HTML, on the demo
// data (a customer with about 400 cases), through the real handler.
func BenchmarkPages(b *testing.B) {
	db := storetest.Open(b)
	files, _ := filestore.NewDisk(b.TempDir())
	if err := demo.Load(context.Background(), db, files, time.Now()); err != nil {
		b.Fatal(err)
	}
	h := benchHandler(b, db, files)
	customer, technician := benchLogin(b, h, "anna@solgarden.example", demo.Password), benchLogin(b, h, "tekniker@kundportal.example", demo.Password)
	tech, err := db.UserByEmail(context.Background(), "tekniker@kundportal.example")
	if err != nil {
		b.Fatal(err)
	}
	today := repair.Midnight(time.Now())
	agenda, err := db.Agenda(context.Background(), repair.ScopeFor(tech), today.AddDate(0, 0, agendaDays), today)
	if err != nil || len(agenda) == 0 {
		b.Fatalf("technician's agenda: %d, %v", len(agenda), err)
	}
	pages := []struct {
		path   string
		cookie *http.Cookie
	}{
		{"/sok-arende", customer}, {"/sok-arende?status=invoiced&status=completed", customer}, {"/nytt-arende", customer}, {"/objekt/1", customer},
		{"/tekniker", technician}, {"/tekniker/arbetsorder/" + strconv.FormatInt(agenda[0].WorkOrder.ID, 10), technician},
	}
	for _, pg := range pages {
		path, cookie := pg.path, pg.cookie
		b.Run(path, func(b *testing.B) { benchGet(b, h, path, cookie) })
	}
}

// BenchmarkAssetPage measures a machine's page, session to HTML, for a
// machine with 365 cases over five years, each with a work order, actions
// and costs: what the page costs must not grow with the machine's age.
// B/page is the size of the HTML.
func BenchmarkAssetPage(b *testing.B) {
	db := storetest.Open(b)
	hash, err := auth.HashPassword(testPassword)
	if err != nil {
		b.Fatal(err)
	}
	cust := storetest.Customer(b, db, "Solgårdens Bostäder AB")
	user := storetest.User(b, db, cust.ID, repair.RoleCustomerUser, "anna@solgarden.example", hash)
	tech := storetest.User(b, db, 0, repair.RoleTechnician, "tekniker@kundportal.example", hash)
	asset := storetest.Asset(b, db, cust.ID)
	storetest.History(b, db, cust.ID, asset.ID, tech.ID, 365)
	files, err := filestore.NewDisk(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	h := benchHandler(b, db, files)
	cookie := benchLogin(b, h, user.Email, testPassword)
	size := benchGet(b, h, "/objekt/"+strconv.FormatInt(asset.ID, 10), cookie)
	b.ReportMetric(float64(size), "B/page")
}

// BenchmarkPagesOnData measures Sök ärende and the case and machine pages,
// session to HTML, on a seeded data directory (kundportal seed) named by
// KUNDPORTAL_BENCH_DATA_DIR, as kund1@seed.example with the password in
// KUNDPORTAL_BENCH_PASSWORD: what a request costs beyond its SQL, with a
// CPU profile at hand (-cpuprofile). The directory is written to
// (sessions): use a copy.
//
//	KUNDPORTAL_BENCH_DATA_DIR=/tmp/load100k KUNDPORTAL_BENCH_PASSWORD=loadtest1234 [KUNDPORTAL_BENCH_OBJEKT=201325] \
//	  [KUNDPORTAL_BENCH_DATABASE_URL=postgres://...] go test ./internal/web -run X -bench PagesOnData -cpuprofile /tmp/cpu.out
func BenchmarkPagesOnData(b *testing.B) {
	dir := os.Getenv("KUNDPORTAL_BENCH_DATA_DIR")
	if dir == "" {
		b.Skip("set KUNDPORTAL_BENCH_DATA_DIR to a seeded data directory to run")
	}
	ctx := context.Background()
	// KUNDPORTAL_BENCH_DATABASE_URL names a PostgreSQL database seeded
	// alike (kundportal seed with KUNDPORTAL_DATABASE_URL), for the
	// same pages on PostgreSQL; the files stay in the directory.
	db, err := store.Open(ctx, os.Getenv("KUNDPORTAL_BENCH_DATABASE_URL"), filepath.Join(dir, "kundportal.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	files, err := filestore.NewDisk(filepath.Join(dir, "files"))
	if err != nil {
		b.Fatal(err)
	}
	h := benchHandler(b, db, files)
	cookie := benchLogin(b, h, "kund1@seed.example", os.Getenv("KUNDPORTAL_BENCH_PASSWORD"))
	u, err := db.UserByEmail(ctx, "kund1@seed.example")
	if err != nil {
		b.Fatal(err)
	}
	res, err := db.SearchCases(ctx, repair.ScopeFor(u), repair.CaseFilter{Statuses: []repair.Status{repair.StatusInvoiced}})
	if err != nil || len(res.Cases) == 0 {
		b.Fatalf("an invoiced case: %v", err)
	}
	c := res.Cases[0]
	// KUNDPORTAL_BENCH_OBJEKT names the machine for the Objekt filter and
	// the machine page (the load script's is the customer's machine with
	// the most cases); by default the invoiced case's.
	if number := os.Getenv("KUNDPORTAL_BENCH_OBJEKT"); number != "" {
		res, err := db.SearchCases(ctx, repair.ScopeFor(u), repair.CaseFilter{AssetNumber: number, Limit: 1})
		if err != nil || len(res.Cases) == 0 {
			b.Fatalf("machine %s: %v", number, err)
		}
		c.AssetID, c.AssetNumber = res.Cases[0].AssetID, number
	}
	month := time.Now().AddDate(0, -1, 0).Format("2006-01")
	for _, path := range []string{"/sok-arende", "/sok-arende?status=completed", "/sok-arende?objekt=" + url.QueryEscape(c.AssetNumber),
		"/arenden/" + strconv.FormatInt(c.ID, 10), "/objekt/" + strconv.FormatInt(c.AssetID, 10),
		"/dashboard", "/dashboard?grupp=plats", "/dashboard?period=" + month,
		"/sok-arende?q=torktumlare", "/sok-arende?q=zebrafink", "/sok-arende?gata=" + url.QueryEscape("Ängsvägen"),
		"/fakturaspecifikation?period=" + month, "/fakturaspecifikation?period=" + month + "&fakturamarkning=" + url.QueryEscape(c.InvoiceReference)} {
		b.Run(strings.TrimPrefix(path, "/"), func(b *testing.B) { benchGet(b, h, path, cookie) })
	}
	// The office's pages as disp1, with a session made in the store: a
	// login through the form would need a new two-factor step each run.
	disp, err := db.UserByEmail(ctx, "disp1@seed.example")
	if err != nil {
		b.Fatal(err)
	}
	token, hash, err := auth.NewToken()
	if err != nil {
		b.Fatal(err)
	}
	storetest.Write(b, db, func(ctx context.Context, tx *store.Tx) error {
		return tx.CreateSession(ctx, hash, disp.ID, time.Now().Add(time.Hour))
	})
	staff := &http.Cookie{Name: sessionCookie, Value: token}
	for _, path := range []string{"/order", "/order/arenden", "/order/arenden?status=completed", "/order/arenden/" + strconv.FormatInt(c.ID, 10)} {
		b.Run(strings.TrimPrefix(path, "/"), func(b *testing.B) { benchGet(b, h, path, staff) })
	}
}
