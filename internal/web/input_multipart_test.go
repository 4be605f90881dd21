package web

import (
	"bytes"
	"mime/multipart"
	"net/http/httptest"
	"testing"
)

// TestCleanMultipart: a multipart form's NUL and invalid UTF-8 are cleaned
// where handlers read them (FormValue, PostFormValue), not only in the
// parser's own map, which ParseMultipartForm copies from.
func TestCleanMultipart(t *testing.T) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("name", "Anna\x00Berg")
	mw.WriteField("note", "\xff\xfebad")
	fw, _ := mw.CreateFormFile("file", "x.png")
	fw.Write([]byte("not read here"))
	mw.Close()
	r := httptest.NewRequest("POST", "/x", &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		t.Fatal(err)
	}
	if size := cleanMultipart(r); size < len("nameAnna\uFFFDBerg") {
		t.Errorf("size %d", size)
	}
	for _, got := range []string{r.FormValue("name"), r.PostFormValue("name"), r.MultipartForm.Value["name"][0]} {
		if got != "Anna\uFFFDBerg" {
			t.Errorf("name read as %q, want the NUL replaced", got)
		}
	}
	if got := r.PostFormValue("note"); got != "\uFFFDbad" {
		t.Errorf("note read as %q, want the invalid bytes replaced", got)
	}
}
