package web

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

func pngBytes(t *testing.T, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := 0; x < w; x++ {
		img.Set(x, h/2, color.RGBA{200, 0, 0, 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// postFile sends a multipart upload as a browser would.
func (f *fixture) postFile(c *http.Client, path, kind, name string, body []byte) *http.Response {
	f.t.Helper()
	return f.postMultipartFile(c, path, map[string]string{"kind": kind}, "file", name, body)
}

func TestUploadFiles(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		disp := f.login(f.disp.Email)
		path := "/order/arenden/" + itoa(f.myCase.ID) + "/filer"
		before, _ := f.db.CaseFiles(ctx, repair.StaffScope(), f.myCase.ID)

		hostile := []struct {
			kind, name string
			body       []byte
		}{
			{"photo", "bild.jpg", []byte("<html><script>alert(1)</script></html>")},
			{"photo", "bild.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`)},
			{"attachment", "virus.exe", []byte("MZ\x90\x00\x03\x00\x00\x00")},
			{"photo", "trasig.png", append(pngBytes(t, 10, 10)[:40], []byte("garbage")...)},
			{"delivery_note", "foljesedel.pdf", pngBytes(t, 10, 10)},
			{"photo", "dokument.pdf", []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")},
			{"hemlig", "bild.png", pngBytes(t, 10, 10)},
			{"photo", "tom.png", nil},
		}
		for _, h := range hostile {
			resp := f.postFile(disp, path, h.kind, h.name, h.body)
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("%s as %s = %d, want 422", h.name, h.kind, resp.StatusCode)
				continue
			}
			if msg := doc(t, resp).Find("[data-testid=error-file]").Text(); msg == "" {
				t.Errorf("%s: no message next to the file field", h.name)
			}
		}
		if after, _ := f.db.CaseFiles(ctx, repair.StaffScope(), f.myCase.ID); len(after) != len(before) {
			t.Fatalf("hostile uploads stored %d files", len(after)-len(before))
		}

		resp := f.postFile(disp, path, "photo", "../../etc/trasig pump.PNG", pngBytes(t, 800, 400))
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("photo upload = %d", resp.StatusCode)
		}
		after, _ := f.db.CaseFiles(ctx, repair.StaffScope(), f.myCase.ID)
		photo := after[len(after)-1]
		if photo.Name != "trasig pump.PNG" || photo.ContentType != "image/png" || photo.ThumbSHA256 == "" || photo.Kind != repair.FilePhoto {
			t.Errorf("stored photo = %+v", photo)
		}
		// The customer sees it, with its thumbnail.
		anna := f.login(f.anna.Email)
		th := f.get(anna, "/filer/"+itoa(photo.ID)+"/miniatyr")
		b, _ := io.ReadAll(th.Body)
		cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
		if th.StatusCode != http.StatusOK || err != nil || format != "jpeg" || cfg.Width != 320 || cfg.Height != 160 {
			t.Errorf("thumbnail = %d, %s %dx%d, %v; want a 320×160 JPEG", th.StatusCode, format, cfg.Width, cfg.Height, err)
		}
		page := doc(t, f.get(anna, "/arenden/"+itoa(f.myCase.ID)))
		if src, _ := page.Find(".thumb img").Last().Attr("src"); !strings.HasSuffix(src, "/miniatyr") {
			t.Errorf("case page image src = %q, want the thumbnail", src)
		}
		if resp := f.get(f.login(f.olle.Email), "/filer/"+itoa(photo.ID)+"/miniatyr"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("other customer's thumbnail = %d, want 404", resp.StatusCode)
		}
		// A signed delivery note as PDF.
		pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
		if resp := f.postFile(disp, path, "delivery_note", "följesedel.pdf", pdf); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("delivery note upload = %d", resp.StatusCode)
		}
		// The customer's list offers it on the case's row.
		files, _ := f.db.CaseFiles(ctx, repair.StaffScope(), f.myCase.ID)
		note := files[len(files)-1]
		list := doc(t, f.get(anna, "/sok-arende"))
		row := list.Find("[data-testid=case-row]").FilterFunction(func(_ int, s *goquery.Selection) bool {
			return s.Find(`a[href="/arenden/`+itoa(f.myCase.ID)+`"]`).Length() > 0
		})
		if href, _ := row.Find("[data-testid=open-signature]").Attr("href"); note.Kind != repair.FileDeliveryNote || href != "/filer/"+itoa(note.ID) {
			t.Errorf("the case's row links Öppna fil signatur to %q, want the uploaded note %d", href, note.ID)
		}
		if row.Find("[data-testid=see-files]").Length() != 1 {
			t.Error("the case's row offers no Se filer")
		}
	})
}

func TestImportAndLabels(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		disp := f.login(f.disp.Email)
		path := "/order/kunder/" + itoa(f.mine.ID) + "/import"
		bad := "Objektnummer;Maskin;Postnummer\n400001;Kyl;54130\n400001;Frys;5413\n" + f.theirAsset.Number + ";Spis;\n"
		resp := f.postFile(disp, path, "", "inventering.csv", []byte(bad))
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad inventory = %d, want 422", resp.StatusCode)
		}
		d := doc(t, resp)
		if n := d.Find("[data-testid=import-rows] tr.row-error").Length(); n != 3 {
			t.Errorf("%d rows marked wrong, want 3 (two duplicates, one taken number)", n)
		}
		if d.Find("[data-testid=import-confirm]").Length() != 0 {
			t.Error("a file with errors can be imported")
		}
		if _, err := f.db.AssetByNumber(ctx, repair.StaffScope(), "400001"); err == nil {
			t.Fatal("a preview saved a machine")
		}
		good := "\ufeffObjektnummer;Maskin;Fabrikat;Gata;Postnr / ort\n400001;Kyl;Cylinda;Åsgatan 1;541 30 Skövde\n400002;Frys;ASKO;Åsgatan 1;541 30 Skövde\n"
		resp = f.postFile(disp, path, "", "inventering.csv", []byte(good))
		d = doc(t, resp)
		if resp.StatusCode != http.StatusOK || d.Find("[data-testid=import-confirm]").Length() != 1 {
			t.Fatalf("good preview = %d, no confirm button", resp.StatusCode)
		}
		key, _ := d.Find("input[name=key]").Attr("value")
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		mw.WriteField("key", key)
		mw.WriteField("confirm", "1")
		mw.Close()
		cr, err := disp.Post(f.srv.URL+path, mw.FormDataContentType(), &b)
		if err != nil {
			t.Fatal(err)
		}
		cr.Body.Close()
		if cr.StatusCode != http.StatusSeeOther {
			t.Fatalf("confirm import = %d", cr.StatusCode)
		}
		a, err := f.db.AssetByNumber(ctx, repair.CustomerScope(f.mine.ID), "400002")
		if err != nil || a.City != "Skövde" || a.PostalCode != "541 30" {
			t.Errorf("imported asset = %+v, %v", a, err)
		}
		// Labels: a PDF for the chosen machines; another customer's id is skipped.
		lr := f.get(disp, "/order/kunder/"+itoa(f.mine.ID)+"/etiketter?id="+itoa(a.ID)+"&id="+itoa(f.theirAsset.ID))
		body, _ := io.ReadAll(lr.Body)
		if lr.StatusCode != http.StatusOK || !bytes.HasPrefix(body, []byte("%PDF")) {
			t.Fatalf("labels = %d, %.10q", lr.StatusCode, body)
		}
		if resp := f.get(disp, "/order/kunder/"+itoa(f.mine.ID)+"/etiketter?id="+itoa(f.theirAsset.ID)); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("labels of only a foreign machine = %d, want back to the list", resp.StatusCode)
		}
	})
}
