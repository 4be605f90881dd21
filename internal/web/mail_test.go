package web

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// TestUtskick: the office lists the outbox newest first, filters it by
// state, pages it, reads a mail's text and its HTML in a sandbox, and
// sends a failed mail again; without a mail server the page says mail is
// shown there only.
func TestUtskick(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		disp := f.login(f.disp.Email)
		if err := db.MailFailed(ctx, f.theirMail.ID, "550 5.1.1 No such user here", time.Now(), true); err != nil {
			t.Fatal(err)
		}
		d := doc(t, f.get(disp, "/order/utskick"))
		rows := d.Find("[data-testid=mail-row]")
		if rows.Length() != 2 || !strings.Contains(rows.First().Text(), f.olle.Email) || !strings.Contains(rows.Last().Text(), f.anna.Email) {
			t.Fatalf("rows %q, want olle's (newest) then anna's", rows.Text())
		}
		if !strings.Contains(rows.First().Find("[data-testid=mail-state]").Text(), "Misslyckades") || !strings.Contains(rows.First().Text(), "No such user") {
			t.Errorf("the failed mail's row: %q", rows.First().Text())
		}
		if d.Find("[data-testid=no-mail-server]").Length() != 1 {
			t.Error("no word that no mail server is set")
		}
		if d.Find("label[for=status]").Length() != 1 {
			t.Error("the status filter has no label")
		}
		failed := doc(t, f.get(disp, "/order/utskick?status=failed")).Find("[data-testid=mail-row]")
		if failed.Length() != 1 || !strings.Contains(failed.Text(), f.olle.Email) {
			t.Errorf("filtered by failed: %q", failed.Text())
		}
		for _, q := range []string{"?status=%00", "?status=bogus", "?fore=-1", "?fore=abc"} {
			if resp := f.get(disp, "/order/utskick"+q); resp.StatusCode != http.StatusOK {
				t.Errorf("/order/utskick%s = %d, want the list", q, resp.StatusCode)
			}
		}
		for range 55 {
			storetest.Write(t, db, func(ctx context.Context, tx *store.Tx) error {
				m := f.myMail
				m.ID, m.MessageID = 0, "more-"+time.Now().Format(time.RFC3339Nano)+"@test"
				return tx.EnqueueMail(ctx, &m, 0)
			})
		}
		page := doc(t, f.get(disp, "/order/utskick"))
		next, ok := page.Find("[data-testid=mails-next]").Attr("href")
		if page.Find("[data-testid=mail-row]").Length() != 50 || !ok {
			t.Fatalf("first page: %d rows, next %q", page.Find("[data-testid=mail-row]").Length(), next)
		}
		if n := doc(t, f.get(disp, next)).Find("[data-testid=mail-row]").Length(); n != 7 {
			t.Errorf("second page: %d rows, want 7", n)
		}

		one := doc(t, f.get(disp, "/order/utskick/"+itoa(f.myMail.ID)))
		if one.Find("[data-testid=mail-to]").Text() != f.anna.Email || one.Find("[data-testid=mail-text]").Text() != "Hej Anna" {
			t.Errorf("a mail's page: to %q, text %q", one.Find("[data-testid=mail-to]").Text(), one.Find("[data-testid=mail-text]").Text())
		}
		html := f.get(disp, "/order/utskick/"+itoa(f.myMail.ID)+"/html")
		body, _ := io.ReadAll(html.Body)
		if csp := html.Header.Get("Content-Security-Policy"); !strings.HasPrefix(csp, "sandbox") || !strings.Contains(csp, "default-src 'none'") || string(body) != f.myMail.HTML {
			t.Errorf("the HTML view: CSP %q, body %q", csp, body)
		}

		resp := f.post(disp, "/order/utskick/"+itoa(f.theirMail.ID)+"/forsok-igen", url.Values{})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("retry = %d", resp.StatusCode)
		}
		if m, _ := db.Mail(ctx, repair.StaffScope(), f.theirMail.ID); m.State() != repair.MailWaiting {
			t.Errorf("after retry: %s, want waiting", m.State())
		}
		if log, err := db.AuditLog(ctx, repair.StaffScope(), "mail", f.theirMail.ID); err != nil || len(log) != 1 || log[0].UserID != f.disp.ID {
			t.Errorf("retry audit lines: %+v, %v; want the dispatcher's one", log, err)
		}
	})
}

// TestMailSettingsPage: a customer user chooses its mails per event with
// labelled radio buttons; a choice that is none of the three is refused
// with a message and nothing saved.
func TestMailSettingsPage(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		anna := f.login(f.anna.Email)
		d := doc(t, f.get(anna, "/e-post"))
		radios := d.Find("input[type=radio]")
		if radios.Length() != len(repair.MailEvents)*3 {
			t.Fatalf("%d radio buttons, want three per event", radios.Length())
		}
		radios.Each(func(_ int, r *goquery.Selection) {
			id, _ := r.Attr("id")
			if d.Find("label[for="+id+"]").Length() != 1 {
				t.Errorf("radio %s has no label", id)
			}
		})
		if v, _ := d.Find("input[name=case_done]:checked").Attr("value"); v != "mine" {
			t.Errorf("done's default choice: %q, want mine", v)
		}
		form := url.Values{}
		for _, e := range repair.MailEvents {
			form.Set(string(e), "mine")
		}
		form.Set("case_planned", "all")
		form.Set("case_done", "none")
		form.Set("digest", "1")
		if d.Find("label[for=digest]").Length() != 1 {
			t.Error("the digest's box has no label")
		}
		if resp := f.post(anna, "/e-post", form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("save = %d", resp.StatusCode)
		}
		if u, _ := db.User(ctx, repair.StaffScope(), f.anna.ID); !u.MailDigest {
			t.Error("the digest box did not turn the digest on")
		}
		if !doc(t, f.get(anna, "/e-post")).Find("#digest").Is(":checked") {
			t.Error("the page does not show the digest as chosen")
		}
		s, _ := db.MailSettings(ctx, f.anna.ID)
		if s.For(repair.MailPlanned) != repair.MailAll || s.For(repair.MailDone) != repair.MailNone {
			t.Errorf("saved settings %v", s)
		}
		form.Set("case_received", "kanske")
		form.Set("case_planned", "none")
		resp := f.post(anna, "/e-post", form)
		bad := doc(t, resp)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.Find("#case_received-error").Text(), "Välj") {
			t.Errorf("a bad choice = %d, message %q", resp.StatusCode, bad.Find("#case_received-error").Text())
		}
		if v, _ := bad.Find("input[name=case_planned]:checked").Attr("value"); v != "none" {
			t.Errorf("the refused form shows planned = %q, want what was entered (none)", v)
		}
		if s, _ := db.MailSettings(ctx, f.anna.ID); s.For(repair.MailPlanned) != repair.MailAll {
			t.Errorf("a refused form saved: %v", s)
		}
	})
}

// TestUnsubscribe: the link in a mail asks first (a link scanner's GET
// changes nothing) and stops that event's mails on the button or on a
// mail program's one-click POST, without a login; a forged or changed
// token answers 404, like a missing page.
func TestUnsubscribe(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		c := f.client()
		token := f.ops.UnsubscribeToken(f.anna.ID, repair.MailPlanned)
		ask := doc(t, f.get(c, "/avregistrera/"+token))
		if ask.Find("[data-testid=unsubscribe]").Length() != 1 || !strings.Contains(ask.Text(), f.anna.Email) {
			t.Errorf("the question page: %q", ask.Find("main").Text())
		}
		if s, _ := db.MailSettings(ctx, f.anna.ID); s.For(repair.MailPlanned) != repair.MailMine {
			t.Errorf("a GET unsubscribed: %v", s)
		}
		// A mail program's one-click POST: no cookies, no Origin.
		resp, err := http.Post(f.srv.URL+"/avregistrera/"+token, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("one-click POST = %d, want 200", resp.StatusCode)
		}
		if s, _ := db.MailSettings(ctx, f.anna.ID); s.For(repair.MailPlanned) != repair.MailNone || s.For(repair.MailDone) != repair.MailMine {
			t.Errorf("after unsubscribing from planned: %v", s)
		}
		missing := f.get(c, "/avregistrera/nothing")
		mb, _ := io.ReadAll(missing.Body)
		for _, forged := range []string{token[:len(token)-2] + "xx", f.ops.UnsubscribeToken(f.anna.ID, repair.MailPlanned)[:10], strings.Replace(token, ".", "", 1)} {
			resp := f.get(c, "/avregistrera/"+forged)
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusNotFound || string(b) != string(mb) {
				t.Errorf("forged token %q = %d, want the same 404 as a missing page", forged, resp.StatusCode)
			}
			if r := f.post(c, "/avregistrera/"+forged, url.Values{}); r.StatusCode != http.StatusNotFound {
				t.Errorf("POST with a forged token = %d, want 404", r.StatusCode)
			}
		}
	})
}
