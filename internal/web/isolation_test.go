package web

import (
	"bytes"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"kundportal/internal/auth"
	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// idFieldPattern picks the form and query fields that carry a record's id
// or number: every such field must be covered by TestIsolationIDsInFields.
var idFieldPattern = regexp.MustCompile(`^(?:[a-z_]*_id|id|objekt|asset_choice|asset_number|key)$`)

// templateFieldNames lists every name="..." of the site's templates.
func templateFieldNames(t *testing.T) map[string]bool {
	t.Helper()
	names := map[string]bool{}
	re := regexp.MustCompile(`name="([a-z_]+)"`)
	err := fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templateFS, p)
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			names[m[1]] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// TestIsolationIDsInFields: an id or number carried in a form or query
// field, not in the path, reaches only what the user may see. Each case
// sends another customer's id and checks that nothing of theirs is shown
// or saved; the walk over the templates makes sure no such field is left
// out.
func TestIsolationIDsInFields(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		anna := f.login(f.anna.Email)
		disp := f.login(f.disp.Email)
		ctx := t.Context()
		theirs := func(t *testing.T, resp *http.Response) {
			t.Helper()
			body := doc(t, resp).Text()
			for _, s := range []string{f.theirCase.Title, f.theirCase.Number, f.theirs.Name} {
				if strings.Contains(body, s) {
					t.Errorf("page shows another customer's %q", s)
				}
			}
		}
		casesBefore := f.caseCount()
		checks := map[string]func(t *testing.T){
			"objekt": func(t *testing.T) {
				// The QR link of another customer's machine reads like an
				// unknown number; the search finds none of their cases.
				resp := f.get(anna, "/nytt-arende?objekt="+url.QueryEscape(f.theirAsset.Number))
				if d := doc(t, resp); d.Find("[data-testid=error-asset]").Length() != 1 || d.Find(`input[name=asset_id][value="`+itoa(f.theirAsset.ID)+`"]`).Length() != 0 {
					t.Error("Nytt ärende took another customer's machine from ?objekt=")
				}
				theirs(t, f.get(anna, "/sok-arende?objekt="+url.QueryEscape(f.theirAsset.Number)))
				resp = f.get(anna, "/sok-arende/export.csv?objekt="+url.QueryEscape(f.theirAsset.Number))
				if body := readAll(t, resp); strings.Contains(body, f.theirCase.Number) {
					t.Error("export lists another customer's case")
				}
			},
			"asset_id": func(t *testing.T) {
				form := validCaseForm(f.formToken(anna))
				form.Set("asset_id", itoa(f.theirAsset.ID))
				if resp := f.post(anna, "/nytt-arende", form); resp.StatusCode != http.StatusUnprocessableEntity {
					t.Errorf("case on another customer's machine = %d, want 422", resp.StatusCode)
				}
			},
			"asset_choice": func(t *testing.T) {
				form := validCaseForm(f.formToken(anna))
				form.Set("action", actionChooseAsset)
				form.Set("asset_choice", itoa(f.theirAsset.ID))
				d := doc(t, f.post(anna, "/nytt-arende", form))
				if d.Find(`input[name=asset_id][value="`+itoa(f.theirAsset.ID)+`"]`).Length() != 0 || d.Find("[data-testid=error-asset]").Length() != 1 {
					t.Error("the picker chose another customer's machine")
				}
			},
			"asset_number": func(t *testing.T) {
				token, _, _ := auth.NewToken()
				form := validCaseForm(token)
				form.Set("customer_id", itoa(f.mine.ID))
				form.Set("type", repair.CaseTypes[0])
				form.Set("asset_number", f.theirAsset.Number)
				if resp := f.post(disp, "/order/nytt-arende", form); resp.StatusCode != http.StatusUnprocessableEntity {
					t.Errorf("office case on another customer's machine = %d, want 422", resp.StatusCode)
				}
			},
			"customer_id": func(t *testing.T) {
				// A customer's own form has no such field; one posted
				// anyway changes nothing: the case is the customer's own.
				form := validCaseForm(f.formToken(anna))
				form.Set("customer_id", itoa(f.theirs.ID))
				loc := f.post(anna, "/nytt-arende", form).Header.Get("Location")
				id, _ := strings.CutPrefix(loc, "/arenden/")
				if _, err := db.Case(ctx, repair.CustomerScope(f.mine.ID), parseInt(id)); err != nil {
					t.Errorf("case filed with a foreign customer_id is not the customer's own: %v (→ %q)", err, loc)
				}
				casesBefore++
			},
			"work_order_id": func(t *testing.T) {
				// A file on my case cannot be tied to another case's work
				// order.
				resp := f.postMultipart(disp, "/order/arenden/"+itoa(f.myCase.ID)+"/filer",
					map[string]string{"kind": "photo", "work_order_id": itoa(f.theirWorkOrder.ID)}, pngBytes(t, 20, 20))
				if resp.StatusCode != http.StatusUnprocessableEntity {
					t.Errorf("file tied to another case's work order = %d, want 422", resp.StatusCode)
				}
				if files, _ := db.CaseFiles(ctx, repair.StaffScope(), f.myCase.ID); len(files) != 1 {
					t.Errorf("%d files on the case, want only the fixture's", len(files))
				}
			},
			"client_id": func(t *testing.T) {
				// A form's one-time id names no record: sent twice it
				// records once, and it never reaches another's record.
				wo := storetest.WorkOrder(t, db, f.myCase.ID, f.tech.ID)
				tech := f.login(f.tech.Email)
				form := url.Values{"client_id": {"same-client-id-0123456789"}, "date": {"2026-03-14"}, "time": {"30"}, "description": {"Bytt filter"}}
				for range 2 {
					if resp := f.post(tech, "/tekniker/arbetsorder/"+itoa(wo.ID)+"/atgard", form); resp.StatusCode != http.StatusSeeOther {
						t.Errorf("action = %d, want 303", resp.StatusCode)
					}
				}
				as, _ := db.Actions(ctx, repair.StaffScope(), f.myCase.ID)
				if len(as) != 1 {
					t.Errorf("%d actions from one form sent twice, want 1", len(as))
				}
				form.Set("kind", "part")
				form.Set("article", "X1")
				form.Set("quantity", "1")
				form.Set("unit_price", "10")
				if resp := f.post(tech, "/tekniker/arbetsorder/"+itoa(wo.ID)+"/kostnad", form); resp.StatusCode != http.StatusUnprocessableEntity {
					t.Errorf("cost reusing an action's form id = %d, want 422", resp.StatusCode)
				}
			},
			"technician_id": func(t *testing.T) {
				// Only a technician can be given a work order or an
				// action; a customer user's id is refused.
				form := url.Values{"technician_id": {itoa(f.olle.ID)}, "date": {"2026-03-16"}, "from": {"08:00"}, "until": {"09:00"}}
				if resp := f.post(disp, "/order/arenden/"+itoa(f.myCase.ID)+"/arbetsorder", form); resp.StatusCode != http.StatusUnprocessableEntity {
					t.Errorf("work order for a customer's user = %d, want 422", resp.StatusCode)
				}
			},
			"id": func(t *testing.T) {
				// Labels for my customer with another customer's machine:
				// never on my sheet.
				resp := f.get(disp, "/order/kunder/"+itoa(f.mine.ID)+"/etiketter?id="+itoa(f.theirAsset.ID))
				if resp.Header.Get("Content-Type") == "application/pdf" {
					t.Error("label sheet printed another customer's machine")
				}
			},
			"key": func(t *testing.T) {
				// The import's stored file is named by its checksum; one
				// that is not a stored inventory is refused.
				resp := f.postMultipart(disp, "/order/kunder/"+itoa(f.mine.ID)+"/import", map[string]string{"key": f.theirFile.SHA256, "confirm": "1"}, nil)
				if resp.StatusCode != http.StatusUnprocessableEntity {
					t.Errorf("import of another customer's file by key = %d, want 422", resp.StatusCode)
				}
			},
		}
		for name := range templateFieldNames(t) {
			if idFieldPattern.MatchString(name) && checks[name] == nil {
				t.Errorf("form field %q carries an id but this test does not cover it", name)
			}
		}
		for name, check := range checks {
			t.Run(name, check)
		}
		if n := f.caseCount(); n != casesBefore {
			t.Errorf("%d cases saved from foreign ids", n-casesBefore)
		}
	})
}

// postMultipart posts fields, and file as "file" when it is not nil, as a
// multipart form.
func (f *fixture) postMultipart(c *http.Client, path string, fields map[string]string, file []byte) *http.Response {
	f.t.Helper()
	return f.postMultipartFile(c, path, fields, "file", "foto.png", file)
}

// postMultipartFile posts fields, and body as the file name in the field
// fileField when it is not nil, as a multipart form.
func (f *fixture) postMultipartFile(c *http.Client, path string, fields map[string]string, fileField, name string, body []byte) *http.Response {
	f.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if body != nil {
		fw, _ := mw.CreateFormFile(fileField, name)
		fw.Write(body)
	}
	mw.Close()
	resp, err := c.Post(f.srv.URL+path, mw.FormDataContentType(), &b)
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func parseInt(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}
