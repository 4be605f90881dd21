package notify

import (
	htmltemplate "html/template"
	"strings"
)

// A case's mail is written in Go rather than through templates: it is
// drafted for every case filed and every status change that mails, and
// executing the two templates was most of the drafting's time and 6–7 %
// of a filed case's CPU at a million cases (docs/PERFORMANCE.md). The
// text is what the templates now in testdata/ (case.txt, case.html)
// wrote, each value escaped for the HTML part;
// TestCaseMailMatchesTemplates holds it to that.

// caseText is the mail's plain-text body.
func (m CaseMail) caseText() string {
	var b strings.Builder
	b.Grow(600 + len(m.Title) + len(m.Note))
	b.WriteString("Hej " + m.Name + ",\n\n" + m.Headline() + ": ärende " + m.CaseNumber)
	if m.Title != "" {
		b.WriteString(", " + m.Title)
	}
	b.WriteString(".\n")
	line := func(label, v string) {
		if v != "" {
			b.WriteString("\n" + label + ": " + v)
		}
	}
	line("Maskin", m.Machine)
	line("Adress", m.Address)
	line("Besök", m.Window)
	line("Meddelande", m.Note)
	b.WriteString("\n\n" + m.NextStep() + "\n\nSe ärendet: " + m.CaseURL)
	line("Signerad följesedel", m.NoteURL)
	b.WriteString("\n\nMed vänliga hälsningar\n" + m.Company + "\n\n--\n" +
		"Du får det här meddelandet för att du följer ärendet i kundportalen.\n" +
		"Välj vilka meddelanden du får: " + m.SettingsURL + "\n" +
		"Avsluta meddelanden av det här slaget: " + m.UnsubscribeURL + "\n")
	return b.String()
}

// The HTML part's fixed markup.
const (
	caseHTMLHead = `<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>`
	caseHTMLBody = `</title>
</head>
<body style="margin:0;padding:16px;background:#f4f5f7;font-family:Arial,Helvetica,sans-serif;color:#1b1f24;font-size:16px;line-height:1.5">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border:1px solid #d0d5dc;border-radius:6px;padding:20px">
<p style="margin:0 0 12px">Hej `
	caseHTMLRow  = `<tr><th scope="row" style="text-align:left;padding:2px 12px 2px 0;font-weight:bold">`
	caseHTMLFoot = `<p style="max-width:560px;margin:12px auto 0;font-size:13px;color:#4a5260">Du får det här meddelandet för att du följer ärendet i kundportalen.
<a href="`
)

// caseHTML is the mail's HTML body, titled subject. The links are the site's own
// (orders.Ops.link: a checked base address and paths of digits and
// base64url), so escaping them as attribute text is all they need.
func (m CaseMail) caseHTML(subject string) string {
	esc := htmltemplate.HTMLEscapeString
	var b strings.Builder
	b.Grow(2400 + len(m.Title) + len(m.Note))
	b.WriteString(caseHTMLHead + esc(subject) + caseHTMLBody + esc(m.Name) + ",</p>\n")
	b.WriteString(`<h1 style="font-size:20px;margin:0 0 12px">` + esc(m.Headline()) + "</h1>\n")
	b.WriteString(`<p style="margin:0 0 12px">Ärende <strong>` + esc(m.CaseNumber) + "</strong>")
	if m.Title != "" {
		b.WriteString(", " + esc(m.Title))
	}
	b.WriteString("</p>\n" + `<table role="presentation" style="border-collapse:collapse;margin:0 0 12px">`)
	row := func(label, v string) {
		if v != "" {
			b.WriteString(caseHTMLRow + label + "</th><td>" + esc(v) + "</td></tr>")
		}
	}
	row("Maskin", m.Machine)
	row("Adress", m.Address)
	row("Besök", m.Window)
	row("Meddelande", m.Note)
	b.WriteString("\n</table>\n" + `<p style="margin:0 0 16px">` + esc(m.NextStep()) + "</p>\n")
	b.WriteString(`<p style="margin:0 0 16px"><a href="` + esc(m.CaseURL) +
		`" style="display:inline-block;background:#0b5394;color:#ffffff;text-decoration:none;padding:10px 16px;border-radius:4px">Se ärendet</a>`)
	if m.NoteURL != "" {
		b.WriteString(` <a href="` + esc(m.NoteURL) + `" style="color:#0b5394">Signerad följesedel</a>`)
	}
	b.WriteString("</p>\n" + `<p style="margin:0">Med vänliga hälsningar<br>` + esc(m.Company) + "</p>\n</div>\n")
	b.WriteString(caseHTMLFoot + esc(m.SettingsURL) + `" style="color:#4a5260">Välj vilka meddelanden du får</a> eller` + "\n" +
		`<a href="` + esc(m.UnsubscribeURL) + `" style="color:#4a5260">avsluta meddelanden av det här slaget</a>.</p>` + "\n</body>\n</html>\n")
	return b.String()
}
