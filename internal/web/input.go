package web

import (
	"mime"
	"net/http"
	"net/url"
	"strings"

	"kundportal/internal/repair"
)

// Bounds on what a request may carry before any handler sees it.
const (
	// maxQuery bounds the query string: no link of the site comes near
	// it, and it is copied into redirects (the login's ?next=).
	maxQuery = 4 << 10
	// maxFormBytes bounds a posted form without files; the longest legal
	// form is far smaller.
	maxFormBytes = 64 << 10
)

// checkInput is the one place where every value a request carries is
// made safe to pass on: the query string and a posted form are parsed
// here, and any value that is not valid UTF-8, or holds a NUL, has the bad
// bytes replaced by U+FFFD. PostgreSQL would refuse such bytes with an
// error page; replaced, they reach validation, which refuses U+FFFD in
// every text field with a message next to it, and a search for them finds
// nothing. Multipart forms are parsed by their handlers, which pass them
// to cleanMultipart; file names are made safe by upload.SafeName.
func (s *server) checkInput(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(r.URL.RawQuery) > maxQuery {
			s.renderMessage(w, r, http.StatusRequestURITooLong, "För lång adress",
				"Adressen var för lång för att tas emot. Gå tillbaka och försök igen med en kortare sökning.")
			return
		}
		if r.URL.RawQuery != "" {
			q, _ := url.ParseQuery(r.URL.RawQuery)
			if cleanValues(q) {
				r.URL.RawQuery = q.Encode()
			}
		}
		if r.Method == http.MethodPost && isURLEncoded(r) {
			r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
			if err := r.ParseForm(); err != nil {
				s.renderMessage(w, r, http.StatusRequestEntityTooLarge, "För stort formulär",
					"Formuläret innehöll för mycket text och sparades inte. Gå tillbaka, korta texten och försök igen.")
				return
			}
			cleanValues(r.PostForm)
			cleanValues(r.Form)
		}
		h.ServeHTTP(w, r)
	})
}

func isURLEncoded(r *http.Request) bool {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return ct == "application/x-www-form-urlencoded"
}

// cleanValues replaces, in place, every key and value of v that is not
// valid UTF-8 or holds a NUL with its bytes made valid (U+FFFD for each
// bad run and each NUL), and reports whether it changed anything.
func cleanValues(v url.Values) bool {
	changed := false
	for k, vs := range v {
		for i, s := range vs {
			if !repair.CleanText(s) {
				vs[i], changed = cleanText(s), true
			}
		}
		if !repair.CleanText(k) {
			delete(v, k)
			v[cleanText(k)], changed = vs, true
		}
	}
	return changed
}

// cleanMultipart cleans a parsed multipart form's values as cleanValues
// does: the parser's own map and the copies it made in Form and PostForm,
// which FormValue and PostFormValue read. It returns the values' size in
// bytes, for a bound on the text beside the files.
func cleanMultipart(r *http.Request) (size int) {
	cleanValues(r.MultipartForm.Value)
	cleanValues(r.PostForm)
	cleanValues(r.Form)
	for k, vs := range r.MultipartForm.Value {
		for _, v := range vs {
			size += len(k) + len(v)
		}
	}
	return size
}

func cleanText(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}

// renderMessage shows a page with a heading and a message, for requests
// refused before any handler.
func (s *server) renderMessage(w http.ResponseWriter, r *http.Request, status int, heading, msg string) {
	if err := s.render(w, r, status, "error.html", &errorPage{basePage: s.base(r, heading), Status: status, Heading: heading, Message: msg}); err != nil {
		s.log.Error("render message", "err", err)
		http.Error(w, heading, status)
	}
}
