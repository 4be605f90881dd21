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

// BenchmarkPages measures whole page requests, session to HTML, on the demo
// data (a customer with about 400 cases), through the real handler.
func BenchmarkPages(b *testing.B) {
	db := storetest.Open(b)
	files, _ := filestore.NewDisk(b.TempDir())
	if err := demo.Load(context.Background(), db, files, time.Now()); err != nil {
		b.Fatal(err)
	}
	h, err := New(Options{DB: db, Files: files, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	cookieOf := func(email string) *http.Cookie {
		login := httptest.NewRequest(http.MethodPost, "/logga-in", nil)
		login.PostForm = url.Values{"email": {email}, "password": {demo.Password}}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, login)
		return rec.Result().Cookies()[0]
	}
	customer, technician := cookieOf("anna@solgarden.example"), cookieOf("tekniker@kundportal.example")
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
		b.Run(path, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				req.AddCookie(cookie)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("%s = %d", path, rec.Code)
				}
			}
		})
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
	h, err := New(Options{DB: db, Files: files, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	login := httptest.NewRequest(http.MethodPost, "/logga-in", nil)
	login.PostForm = url.Values{"email": {user.Email}, "password": {testPassword}}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, login)
	cookie := rec.Result().Cookies()[0]
	path := "/objekt/" + strconv.FormatInt(asset.ID, 10)
	size := 0
	b.ReportAllocs()
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
//	  go test ./internal/web -run X -bench PagesOnData -cpuprofile /tmp/cpu.out
func BenchmarkPagesOnData(b *testing.B) {
	dir := os.Getenv("KUNDPORTAL_BENCH_DATA_DIR")
	if dir == "" {
		b.Skip("set KUNDPORTAL_BENCH_DATA_DIR to a seeded data directory to run")
	}
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, filepath.Join(dir, "kundportal.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	files, err := filestore.NewDisk(filepath.Join(dir, "files"))
	if err != nil {
		b.Fatal(err)
	}
	h, err := New(Options{DB: db, Files: files, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	login := httptest.NewRequest(http.MethodPost, "/logga-in", nil)
	login.PostForm = url.Values{"email": {"kund1@seed.example"}, "password": {os.Getenv("KUNDPORTAL_BENCH_PASSWORD")}}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, login)
	if len(rec.Result().Cookies()) == 0 {
		b.Fatalf("login as kund1@seed.example: %d", rec.Code)
	}
	cookie := rec.Result().Cookies()[0]
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
	for _, path := range []string{"/sok-arende", "/sok-arende?status=completed", "/sok-arende?objekt=" + url.QueryEscape(c.AssetNumber),
		"/arenden/" + strconv.FormatInt(c.ID, 10), "/objekt/" + strconv.FormatInt(c.AssetID, 10)} {
		b.Run(strings.TrimPrefix(path, "/"), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				req.AddCookie(cookie)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("%s = %d", path, rec.Code)
				}
			}
		})
	}
}
