package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// TestColleaguesPage: a customer's admin sees its colleagues with a
// button each to block and to change role, none for itself; an
// invitation with a bad address comes back with the message next to the
// field and what was typed; a good one is sent and listed; blocking a
// colleague ends its session; the mail log lists the invitation.
func TestColleaguesPage(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		karin, anna := f.login(f.karin.Email), f.login(f.anna.Email)
		d := doc(t, f.get(karin, "/anvandare"))
		rows := d.Find("[data-testid=colleague-row]")
		if rows.Length() != 2 {
			t.Fatalf("%d colleagues listed, want anna and karin", rows.Length())
		}
		if d.Find("[data-testid=toggle-colleague-"+itoa(f.karin.ID)+"]").Length() != 0 || d.Find("[data-testid=toggle-colleague-"+itoa(f.anna.ID)+"]").Length() != 1 {
			t.Error("buttons: want one to block anna and none for karin herself")
		}
		for _, id := range []string{"invite-name", "invite-email", "invite-phone", "invite-role"} {
			if d.Find("label[for="+id+"]").Length() != 1 {
				t.Errorf("field %s has no label", id)
			}
		}
		if h := doc(t, f.get(karin, "/nytt-arende")).Find("[data-testid=header-anvandare]"); h.Length() != 1 {
			t.Error("the customer admin's header does not link to Användare")
		}
		if h := doc(t, f.get(anna, "/nytt-arende")).Find("[data-testid=header-anvandare]"); h.Length() != 0 {
			t.Error("a customer's user sees the link to Användare")
		}

		resp := f.post(karin, "/anvandare", url.Values{"name": {"David Ek"}, "email": {"david@"}, "role": {"customer_user"}})
		bad := doc(t, resp)
		if resp.StatusCode != http.StatusUnprocessableEntity || bad.Find("#invite-email").AttrOr("value", "") != "david@" || !strings.Contains(bad.Find(".field-error").Text(), "e-postadress") {
			t.Errorf("a bad invitation = %d, value %q, message %q", resp.StatusCode, bad.Find("#invite-email").AttrOr("value", ""), bad.Find(".field-error").Text())
		}
		resp = f.post(karin, "/anvandare", url.Values{"name": {"David Ek"}, "email": {"david@solgarden.example"}, "role": {"customer_user"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("invitation = %d", resp.StatusCode)
		}
		if n := doc(t, f.get(karin, "/anvandare")).Find("[data-testid=colleague-row]").Length(); n != 3 {
			t.Errorf("%d colleagues after the invitation, want 3", n)
		}
		log := doc(t, f.get(karin, "/anvandare/utskick")).Find("[data-testid=customer-mail-row]")
		if !strings.Contains(log.Text(), "david@solgarden.example") || !strings.Contains(log.Text(), "Inbjudan") || !strings.Contains(log.Text(), f.anna.Email) {
			t.Errorf("mail log: %q, want the invitation and anna's mail", log.Text())
		}
		if strings.Contains(log.Text(), f.olle.Email) {
			t.Error("the mail log shows another customer's mail")
		}

		if resp := f.post(karin, "/anvandare/"+itoa(f.anna.ID)+"/sparr", url.Values{"disabled": {"1"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("block = %d", resp.StatusCode)
		}
		if resp := f.get(anna, "/sok-arende"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("the blocked colleague's session = %d, want it ended", resp.StatusCode)
		}
		resp = f.post(karin, "/anvandare/"+itoa(f.karin.ID)+"/sparr", url.Values{"disabled": {"1"}})
		if d := doc(t, resp); resp.StatusCode != http.StatusUnprocessableEntity || d.Find("[data-testid=error-change]").Length() != 1 {
			t.Errorf("blocking oneself = %d, want 422 with a message", resp.StatusCode)
		}
		if u, _ := db.User(t.Context(), repair.StaffScope(), f.karin.ID); u.Disabled {
			t.Error("karin blocked herself")
		}
	})
}
