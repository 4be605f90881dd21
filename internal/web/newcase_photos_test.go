package web

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"testing"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

type upfile struct {
	name string
	body []byte
}

// postCase posts the Nytt ärende form as the page sends it: multipart,
// with the photos in "photos", and an empty file part (as a browser sends
// a file field with nothing chosen) when there are none.
func (f *fixture) postCase(c *http.Client, form url.Values, photos ...upfile) *http.Response {
	f.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if len(photos) == 0 {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="photos"; filename=""`)
		h.Set("Content-Type", "application/octet-stream")
		mw.CreatePart(h)
	}
	for _, p := range photos {
		fw, _ := mw.CreateFormFile("photos", p.name)
		fw.Write(p.body)
	}
	mw.Close()
	resp, err := c.Post(f.srv.URL+"/nytt-arende", mw.FormDataContentType(), &b)
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func (f *fixture) allFiles() int {
	f.t.Helper()
	n := 0
	for _, c := range storetest.Cases(f.t, f.db, repair.StaffScope()) {
		fs, err := f.db.CaseFiles(context.Background(), repair.StaffScope(), c.ID)
		if err != nil {
			f.t.Fatal(err)
		}
		n += len(fs)
	}
	return n
}

func TestCreateCaseMultipartWithoutPhotos(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		anna := f.login(f.anna.Email)
		d := doc(t, f.get(anna, "/nytt-arende"))
		if enc, _ := d.Find("form[data-testid=new-case-form]").Attr("enctype"); enc != "multipart/form-data" {
			t.Errorf("form enctype = %q, want multipart/form-data", enc)
		}
		photos := d.Find("input#photos[type=file][name=photos][multiple]")
		if photos.Length() != 1 || !strings.HasPrefix(photos.AttrOr("accept", ""), "image/") {
			t.Error("no file field for several photos, accepting images")
		}
		form := validCaseForm(f.formToken(anna))
		before, files := f.caseCount(), f.allFiles()
		resp := f.postCase(anna, form)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("multipart POST without photos = %d, want 303", resp.StatusCode)
		}
		if f.caseCount() != before+1 || f.allFiles() != files {
			t.Error("want one case and no files")
		}
		// The values are cleaned as in every other form: a NUL is refused.
		form = validCaseForm(f.formToken(anna))
		form.Set("title", "Skövde\x00")
		if resp := f.postCase(anna, form); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("multipart title with NUL = %d, want 422", resp.StatusCode)
		}
		// And held to the same size as every other form.
		form = validCaseForm(f.formToken(anna))
		form.Set("description", strings.Repeat("x", maxFormBytes))
		if resp := f.postCase(anna, form); resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("multipart form with too much text = %d, want 413", resp.StatusCode)
		}
	})
}

// TestCreateCaseWithPhotos: photos are saved with the case and shown on
// its page and in Se filer, like the office's; resending the form saves
// them once.
func TestCreateCaseWithPhotos(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		anna := f.login(f.anna.Email)
		form := validCaseForm(f.formToken(anna))
		form.Set("asset_id", itoa(f.myAsset.ID))
		photos := []upfile{{"felet.png", pngBytes(t, 400, 300)}, {"typskylt.png", pngBytes(t, 200, 100)}}
		before := f.caseCount()
		resp := f.postCase(anna, form, photos...)
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST with photos = %d: %.400s", resp.StatusCode, readAll(t, resp))
		}
		if again := f.postCase(anna, form, photos...).Header.Get("Location"); again != loc {
			t.Errorf("the same form again → %q, want %q", again, loc)
		}
		if f.caseCount() != before+1 {
			t.Fatalf("%d cases saved, want 1", f.caseCount()-before)
		}
		c := storetest.Cases(t, f.db, repair.CustomerScope(f.mine.ID))[0]
		files, err := f.db.CaseFiles(context.Background(), repair.CustomerScope(f.mine.ID), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(files) != 2 {
			t.Fatalf("case has %d files, want the 2 photos once", len(files))
		}
		for i, fl := range files {
			if fl.Kind != repair.FilePhoto || fl.Name != photos[i].name || fl.ThumbSHA256 == "" || fl.UploadedBy != f.anna.ID {
				t.Errorf("file %d = %+v", i, fl)
			}
		}
		for _, page := range []string{loc, "/arenden/" + itoa(c.ID), "/arenden/" + itoa(c.ID) + "/filer"} {
			d := doc(t, f.get(anna, page))
			list := d.Find("[data-testid=case-files]")
			for _, fl := range files {
				if list.Find(`img[alt="Foto: `+fl.Name+`"][src="/filer/`+itoa(fl.ID)+`/miniatyr"]`).Length() != 1 {
					t.Errorf("%s: no thumbnail of %s", page, fl.Name)
				}
			}
			if !strings.Contains(list.Text(), "Foto") {
				t.Errorf("%s: the files are not shown as Foto", page)
			}
		}
		for _, fl := range files {
			for _, p := range []string{"/filer/" + itoa(fl.ID), "/filer/" + itoa(fl.ID) + "/miniatyr"} {
				if resp := f.get(anna, p); resp.StatusCode != http.StatusOK {
					t.Errorf("GET %s = %d", p, resp.StatusCode)
				}
			}
			if resp := f.get(f.login(f.olle.Email), "/filer/"+itoa(fl.ID)); resp.StatusCode != http.StatusNotFound {
				t.Errorf("another customer's user gets the photo: %d", resp.StatusCode)
			}
		}
	})
}

// TestCreateCaseBadPhoto: one bad file refuses the case with a message
// next to the photos, the values kept and nothing saved.
func TestCreateCaseBadPhoto(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		anna := f.login(f.anna.Email)
		before, files := f.caseCount(), f.allFiles()
		bad := [][]upfile{
			{{"felet.png", pngBytes(t, 40, 30)}, {"skylt.jpg", []byte("<html><script>alert(1)</script></html>")}},
			{{"trasig.png", append(pngBytes(t, 40, 30)[:40], "garbage"...)}},
			{{"manual.pdf", []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")}},
			{{"1.png", pngBytes(t, 4, 4)}, {"2.png", pngBytes(t, 4, 4)}, {"3.png", pngBytes(t, 4, 4)}, {"4.png", pngBytes(t, 4, 4)}, {"5.png", pngBytes(t, 4, 4)}, {"6.png", pngBytes(t, 4, 4)}},
		}
		for _, photos := range bad {
			form := validCaseForm(f.formToken(anna))
			form.Set("asset_id", itoa(f.myAsset.ID))
			resp := f.postCase(anna, form, photos...)
			what := photos[len(photos)-1].name
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("%s: POST = %d, want 422", what, resp.StatusCode)
				continue
			}
			d := doc(t, resp)
			msg := d.Find(".field.photos [data-testid=error-photos]")
			if msg.Text() == "" {
				t.Errorf("%s: no message next to Foton", what)
			}
			if inv, _ := d.Find("#photos").Attr("aria-invalid"); inv != "true" {
				t.Errorf("%s: Foton not marked aria-invalid", what)
			}
			if !strings.Contains(d.Find("[data-testid=error-summary]").Text(), "Foton") {
				t.Errorf("%s: the summary does not name Foton", what)
			}
			for id, v := range map[string]string{"title": form.Get("title"), "street": form.Get("street"), "asset_id": itoa(f.myAsset.ID), "token": form.Get("token")} {
				if got, _ := d.Find("#" + id + ", input[name=" + id + "]").First().Attr("value"); got != v {
					t.Errorf("%s: %s = %q, want %q kept", what, id, got, v)
				}
			}
		}
		if !strings.Contains(bad[0][1].name, "skylt") {
			t.Fatal("test table changed")
		}
		if f.caseCount() != before || f.allFiles() != files {
			t.Errorf("bad photos saved %d cases and %d files", f.caseCount()-before, f.allFiles()-files)
		}
		// The message names the bad file, not the good one.
		form := validCaseForm(f.formToken(anna))
		d := doc(t, f.postCase(anna, form, bad[0]...))
		if msg := d.Find("[data-testid=error-photos]").Text(); !strings.Contains(msg, "Bild 2 (skylt.jpg)") || strings.Contains(msg, "felet.png") {
			t.Errorf("message = %q, want it to name skylt.jpg only", msg)
		}
	})
}

// TestPhotosAskedForAgain: a post that does not save the case (a search
// without JavaScript, another field wrong) cannot keep the photos, and
// says so next to the field.
func TestPhotosAskedForAgain(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		anna := f.login(f.anna.Email)
		form := validCaseForm(f.formToken(anna))
		form.Set("action", actionSearchAsset)
		d := doc(t, f.postCase(anna, form, upfile{"felet.png", pngBytes(t, 40, 30)}))
		if got := d.Find("[data-testid=photos-again]").Text(); !strings.Contains(got, "Välj den igen") {
			t.Errorf("after a search with a photo: notice %q", got)
		}
		if desc, _ := d.Find("#photos").Attr("aria-describedby"); !strings.Contains(desc, "again-photos") {
			t.Errorf("Foton aria-describedby = %q, want the notice", desc)
		}
		form.Set("action", "spara")
		form.Set("street", "")
		d = doc(t, f.postCase(anna, form, upfile{"a.png", pngBytes(t, 40, 30)}, upfile{"b.png", pngBytes(t, 40, 30)}))
		if got := d.Find("[data-testid=photos-again]").Text(); !strings.Contains(got, "De 2 bilder") {
			t.Errorf("after a refused save with 2 photos: notice %q", got)
		}
		if d.Find("[data-testid=error-photos]").Length() != 0 {
			t.Error("good photos got an error message")
		}
		form.Set("action", actionSearchAsset)
		if d := doc(t, f.postCase(anna, form)); d.Find("[data-testid=photos-again]").Length() != 0 {
			t.Error("a notice about photos when none were chosen")
		}
	})
}
