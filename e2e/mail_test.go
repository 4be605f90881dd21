package e2e

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kundportal/internal/mailtest"
	"kundportal/internal/notify"
	"kundportal/internal/repair"
	"kundportal/internal/worker"
)

// TestForgotPasswordByMail: on a phone, a customer admin who forgot the
// password asks for a link from the login page; the outbox worker sends it
// through a real SMTP server; the link, opened in the browser, sets a new
// password, which then signs in. The new pages pass axe-core (every
// Visit and Follow runs it): Glömt lösenord, the reset page, E-post,
// Användare, the mail log, Tvåstegsverifiering, and the office's
// Utskick, which shows the reset mail without its token.
func TestForgotPasswordByMail(t *testing.T) {
	b := NewBrowserAt(t, Phone)
	smtp := mailtest.Start(t)
	cfg, err := notify.ParseSMTPURL(smtp.URL())
	if err != nil {
		t.Fatal(err)
	}
	sender, err := notify.NewSMTP(cfg, "kundportal@vitvaru.example", "Skaraborgs Vitvaruservice AB")
	if err != nil {
		t.Fatal(err)
	}
	const email = "emma@tvatteriet.example"

	b.Visit(t, "/logga-in")
	b.Follow(t, "[data-testid=forgot-link]")
	b.Do(t, chromedp.SendKeys(chromedp.ID("email"), email))
	if got := b.Follow(t, "[data-testid=forgot-submit]"); got != 200 {
		t.Fatalf("Skicka länk = %d", got)
	}
	if got := b.Text(t, "[data-testid=reset-sent]"); !strings.Contains(got, email) || !strings.Contains(got, "30 minuter") {
		t.Errorf("the answer: %q", got)
	}

	// The worker sends what waits, the link among it.
	out := &worker.Outbox{DB: b.site.db, Sender: sender}
	for {
		n, err := out.RunOnce(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
	}
	var mail mailtest.Message
	for _, m := range smtp.Wait(t, 1, 10*time.Second) {
		if len(m.To) == 1 && m.To[0] == email && strings.Contains(m.Subject(), "lösenord") {
			mail = m
		}
	}
	link := regexp.MustCompile(regexp.QuoteMeta(b.base) + `(` + repair.ResetPath + `[A-Za-z0-9_-]+)`).FindStringSubmatch(mail.Text)
	if link == nil {
		t.Fatalf("no reset link to this site in the mail to %s:\n%s", email, mail.Text)
	}
	if !strings.Contains(mail.HTML, link[0]) {
		t.Error("the mail's HTML part lacks the link")
	}

	b.Visit(t, link[1])
	const newPassword = "Emmas nya lösenord i tvätteriet"
	b.Do(t, chromedp.SendKeys(chromedp.ID("new"), newPassword), chromedp.SendKeys(chromedp.ID("again"), newPassword))
	b.Follow(t, "[data-testid=reset-submit]")
	if got := b.Path(t); got != "/logga-in?bytt=1" {
		t.Fatalf("after the new password: %s", got)
	}
	if got := b.Login(t, email, newPassword); got != 200 || b.Path(t) != "/nytt-arende" {
		t.Fatalf("login with the new password = %d at %s", got, b.Path(t))
	}
	for _, page := range []string{"/e-post", "/anvandare", "/anvandare/utskick", "/tvastegs"} {
		if got := b.Visit(t, page); got != 200 {
			t.Errorf("%s = %d", page, got)
		}
	}
	if n := b.Count(t, "[data-testid=totp-qr]"); n != 1 {
		t.Error("Tvåstegsverifiering shows no QR code to set it up")
	}
	// The link works once.
	b.Visit(t, link[1])
	if n := b.Count(t, "[data-testid=reset-gone]"); n != 1 {
		t.Error("the used link still shows its form")
	}

	office := NewBrowser(t)
	office.Visit(t, "/logga-in")
	office.Login(t, "disp@kundportal.example", demoPassword)
	office.Visit(t, "/order/utskick")
	if !strings.Contains(office.Text(t, "[data-testid=mail-list]"), email) {
		t.Fatal("Utskick does not list the reset mail")
	}
	office.Follow(t, "[data-testid=mail-subject]")
	text := office.Text(t, "[data-testid=mail-text]")
	if strings.Contains(text, strings.TrimPrefix(link[1], repair.ResetPath)) && strings.Contains(text, "lösenord") {
		t.Error("the office reads the reset link's token")
	}
}
