package repair

import (
	"strings"
	"testing"
)

// TestMailRedacted: a reset link's token never shows to those who read
// the outbox; other mails show as they are.
func TestMailRedacted(t *testing.T) {
	m := Mail{Event: MailPasswordReset, Text: "Välj här:\nhttps://p.example/aterstall-losenord/abc_DEF-123\nSlut",
		HTML: `<a href="https://p.example/aterstall-losenord/abc_DEF-123">x</a> och https://p.example/aterstall-losenord/zz`}
	r := m.Redacted()
	if strings.Contains(r.Text+r.HTML, "abc_DEF-123") || strings.Contains(r.HTML, "/zz") {
		t.Errorf("redacted: %q, %q", r.Text, r.HTML)
	}
	if r.Text != "Välj här:\nhttps://p.example/aterstall-losenord/…\nSlut" || r.HTML != `<a href="https://p.example/aterstall-losenord/…">x</a> och https://p.example/aterstall-losenord/…` {
		t.Errorf("redacted: %q, %q", r.Text, r.HTML)
	}
	other := Mail{Event: MailDone, Text: "Se ärendet: https://p.example/arenden/12"}
	if other.Redacted().Text != other.Text {
		t.Error("a case mail was changed")
	}
}
