package web

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// TestFavicon: every page links the icon, which loads, and the address
// browsers ask for by themselves, /favicon.ico, answers with it too.
func TestFavicon(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		c := f.client()
		href, ok := doc(t, f.get(c, "/logga-in")).Find(`head link[rel=icon]`).Attr("href")
		if !ok {
			t.Fatal("the layout links no icon")
		}
		for _, path := range []string{href, "/favicon.ico"} {
			resp := f.get(c, path)
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusOK {
				t.Errorf("GET %s = %d, want 200", path, resp.StatusCode)
				continue
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "image/") {
				t.Errorf("GET %s: Content-Type %q, want an image", path, ct)
			}
			if !strings.HasPrefix(string(body), "<svg") {
				t.Errorf("GET %s: body starts %.20q, want the SVG icon", path, body)
			}
			if resp.Header.Get("Cache-Control") == "" {
				t.Errorf("GET %s: no Cache-Control, want it cached like the other static files", path)
			}
		}
	})
}
