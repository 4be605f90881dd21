package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"kundportal/internal/demo"
	"kundportal/internal/filestore"
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
	login := httptest.NewRequest(http.MethodPost, "/logga-in", nil)
	login.PostForm = url.Values{"email": {"anna@solgarden.example"}, "password": {demo.Password}}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, login)
	cookie := rec.Result().Cookies()[0]
	for _, path := range []string{"/sok-arende", "/sok-arende?status=invoiced&status=completed", "/nytt-arende", "/objekt/1"} {
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
