package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// TestCustomerNoteAndCancel: on its own open case the customer adds
// information (refused empty, with the message next to the field and
// nothing saved), which the office then sees on the case and in its
// queue until marked as read; then the customer cancels it with a reason.
func TestCustomerNoteAndCancel(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		anna, disp := f.login(f.anna.Email), f.login(f.disp.Email)
		path := "/arenden/" + itoa(f.myCase.ID)
		d := doc(t, f.get(anna, path))
		for _, sel := range []string{"[data-testid=note-form]", "[data-testid=photo-form]", "[data-testid=cancel-form]"} {
			if d.Find(sel).Length() != 1 {
				t.Errorf("the open case's page lacks %s", sel)
			}
		}
		resp := f.post(anna, path+"/information", url.Values{"note": {"   "}})
		if resp.StatusCode != http.StatusUnprocessableEntity || doc(t, resp).Find("[data-testid=error-note]").Length() != 1 {
			t.Errorf("an empty note: status %d, or no message next to the field", resp.StatusCode)
		}
		resp = f.post(anna, path+"/information", url.Values{"note": {"Portkoden är nu 4321."}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("note: status %d", resp.StatusCode)
		}
		d = doc(t, f.get(anna, resp.Header.Get("Location")))
		if got := d.Find("[data-testid=flash]").Text(); !strings.Contains(got, "Informationen är tillagd") {
			t.Errorf("confirmation %q", got)
		}
		if !strings.Contains(d.Text(), "Portkoden är nu 4321.") {
			t.Error("the note is not in the case's history")
		}

		office := doc(t, f.get(disp, "/order"))
		if n := strings.TrimSpace(office.Find("[data-testid=queue-news] .stat-value").Text()); n != "1" {
			t.Errorf("the office's queue of news from customers says %q, want 1", n)
		}
		oc := doc(t, f.get(disp, "/order/arenden/"+itoa(f.myCase.ID)))
		if oc.Find("[data-testid=customer-news]").Length() != 1 || !strings.Contains(oc.Text(), "Portkoden är nu 4321.") {
			t.Error("the office's case page does not show the customer's news")
		}
		if resp := f.post(disp, "/order/arenden/"+itoa(f.myCase.ID)+"/last", nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("mark read: %d", resp.StatusCode)
		}
		if n := strings.TrimSpace(doc(t, f.get(disp, "/order")).Find("[data-testid=queue-news] .stat-value").Text()); n != "0" {
			t.Errorf("after marking read the queue says %q", n)
		}

		if resp := f.post(anna, path+"/avbryt", url.Values{"reason": {"Felet försvann"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("cancel: %d", resp.StatusCode)
		}
		d = doc(t, f.get(anna, path))
		if !strings.Contains(d.Find("[data-testid=case-status]").Text(), "Avbruten") || d.Find("[data-testid=note-form]").Length() != 0 {
			t.Errorf("after cancelling: status %q, forms still shown: %d", d.Find("[data-testid=case-status]").Text(), d.Find("[data-testid=note-form]").Length())
		}
	})
}
