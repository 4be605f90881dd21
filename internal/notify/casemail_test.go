package notify

import (
	htmltemplate "html/template"
	"strings"
	"testing"
	texttemplate "text/template"

	"kundportal/internal/repair"
)

// TestCaseMailMatchesTemplates holds the case mail written in Go to the
// templates it replaced (testdata/case.txt and case.html), for every
// event, with and without each optional part, and hostile text in every
// value a user or the office typed. html/template also writes a plus
// sign as &#43;, which reads the same; that is the one difference allowed.
func TestCaseMailMatchesTemplates(t *testing.T) {
	text := texttemplate.Must(texttemplate.ParseFiles("testdata/case.txt"))
	html := htmltemplate.Must(htmltemplate.ParseFiles("testdata/case.html"))
	hostile := `<script>alert("x")</script> & 'Åsa' "lgh 1102" +46`
	full := CaseMail{
		Company: hostile, Name: hostile, CaseNumber: "2026-00042", Title: hostile,
		Machine: "Objekt " + hostile, Address: hostile + ", 541 30 Skövde",
		Window: "måndag 2026-03-16 kl. 08:00–12:00", Note: hostile + "\nrad två",
		CaseURL: "https://portal.example/arenden/42", NoteURL: "https://portal.example/filer/7",
		SettingsURL: "https://portal.example/e-post", UnsubscribeURL: "https://portal.example/avregistrera/NDJ8cmVjZWl2ZWQ.a-b_c",
	}
	bare := CaseMail{Company: "Service AB", Name: "Åsa", CaseNumber: "2026-00001",
		CaseURL: "http://localhost:8080/arenden/1", SettingsURL: "http://localhost:8080/e-post", UnsubscribeURL: "http://localhost:8080/avregistrera/x.y"}
	events := []repair.MailEvent{repair.MailReceived, repair.MailPlanned, repair.MailAwaitingPart, repair.MailDone, repair.MailCancelled}
	for _, e := range events {
		for name, m := range map[string]CaseMail{"full": full, "bare": bare} {
			m.Event = e
			var wantText, wantHTML strings.Builder
			if err := text.ExecuteTemplate(&wantText, "case.txt", m); err != nil {
				t.Fatal(err)
			}
			if err := html.ExecuteTemplate(&wantHTML, "case.html", m); err != nil {
				t.Fatal(err)
			}
			subject, gotText, gotHTML, err := m.Render()
			if err != nil {
				t.Fatal(err)
			}
			if subject != m.Subject() {
				t.Errorf("%s %s: subject %q, want %q", e, name, subject, m.Subject())
			}
			if gotText != wantText.String() {
				t.Errorf("%s %s: text\n%s\nwant\n%s", e, name, gotText, wantText.String())
			}
			if want := strings.ReplaceAll(wantHTML.String(), "&#43;", "+"); gotHTML != want {
				t.Errorf("%s %s: HTML\n%s\nwant\n%s", e, name, gotHTML, want)
			}
		}
	}
	if _, _, h, _ := full.Render(); strings.Contains(h, "<script>") || !strings.Contains(h, "&lt;script&gt;") {
		t.Errorf("the HTML part does not escape the case's text:\n%s", h)
	}
}
