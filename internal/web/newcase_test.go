package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

func validCaseForm(token string) url.Values {
	return url.Values{
		"token": {token}, "title": {"Skövde Diskmaskin tömmer inte"}, "description": {"Hyresgäst har kollat sil. Har hund, ring innan."},
		"site_name": {"Lgh 1102 Svensson"}, "street": {"Hertig Johans gata 12"}, "reporter_name": {"Anna Lindqvist"},
		"reporter_phone": {"070-123 45 67"}, "site_phone1": {"0500-41 23 45"}, "site_phone2": {""}, "postal_code": {"54130"},
		"city": {"Skövde"}, "access": {"Ja"}, "contract_number": {"AV-1"}, "invoice_reference": {"KST 4410"}, "action": {"spara"},
	}
}

// formToken fetches a fresh form and returns its idempotency token.
func (f *fixture) formToken(c *http.Client) string {
	f.t.Helper()
	tok, _ := doc(f.t, f.get(c, "/nytt-arende")).Find("input[name=token]").Attr("value")
	if len(tok) != 43 {
		f.t.Fatalf("form token = %q", tok)
	}
	return tok
}

func (f *fixture) caseCount() int {
	f.t.Helper()
	return len(storetest.Cases(f.t, f.db, repair.StaffScope()))
}

func TestNewCaseFormLabels(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		d := doc(t, f.get(f.login(f.anna.Email), "/nytt-arende"))
		form := d.Find("form[data-testid=new-case-form]")
		var labels []string
		form.Find("label").Each(func(_ int, l *goquery.Selection) {
			if l.HasClass("visually-hidden") || l.ParentFiltered(".radio").Length() > 0 {
				return
			}
			labels = append(labels, strings.TrimSuffix(l.Text(), " *"))
			id, _ := l.Attr("for")
			if id == "" || d.Find("#"+id).Length() != 1 {
				t.Errorf("label %q: for=%q matches no single element", l.Text(), id)
			}
		})
		want := "Ort / Titel|Beskrivning|Objekt|Typ|Kund|Gata|Anmälare|Tel anmälare|Tel 1 kund|Tel 2 kund|Postnr / ort|Huvudnyckel|Portkod|Avtal|Fakturamärkning|Foton"
		if got := strings.Join(labels, "|"); got != want {
			t.Errorf("labels =\n %s\nwant\n %s", got, want)
		}
		if v, _ := d.Find("#type").Attr("value"); v != repair.PortalCaseType || d.Find("#type[readonly]").Length() != 1 || d.Find("#type[name]").Length() != 0 {
			t.Errorf("Typ = %q; want %q, read-only and not submitted", v, repair.PortalCaseType)
		}
		if v, _ := d.Find("#reporter_name").Attr("value"); v != f.anna.Name {
			t.Errorf("Anmälare default = %q, want the user's name %q", v, f.anna.Name)
		}
		if strings.TrimSpace(d.Find("button[data-testid=save-case]").Text()) != "Spara" {
			t.Error("no Spara button")
		}
	})
}

func TestCreateCase(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		anna := f.login(f.anna.Email)
		form := validCaseForm(f.formToken(anna))
		form.Set("asset_id", itoa(f.myAsset.ID))
		form.Set("type", "Garantiärende") // forged: the portal sets Typ itself
		before := f.caseCount()
		resp := f.post(anna, "/nytt-arende", form)
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/arenden/") {
			body, _ := io.ReadAll(resp.Body)
			t.Fatalf("POST = %d → %q; body %.500s", resp.StatusCode, loc, body)
		}
		if f.caseCount() != before+1 {
			t.Fatalf("case count %d → %d, want one more", before, f.caseCount())
		}
		cs := storetest.Cases(t, f.db, repair.CustomerScope(f.mine.ID))
		c := cs[0]
		if c.Type != repair.PortalCaseType || c.Status != repair.StatusRegistered || c.ReportedBy != f.anna.ID ||
			c.ReporterPhone != "+46701234567" || c.SitePhone1 != "+4650041234" && c.SitePhone1 != "+46500412345" ||
			c.PostalCode != "541 30" || c.AssetID != f.myAsset.ID || c.CustomerID != f.mine.ID {
			t.Errorf("stored case = %+v", c)
		}
		// The confirmation page shows the number and the summary, once:
		// not on a reload or from a bookmark.
		d := doc(t, f.get(anna, loc))
		if got := d.Find("[data-testid=case-number]").Text(); got != c.Number {
			t.Errorf("confirmation number = %q, want %q", got, c.Number)
		}
		if again := doc(t, f.get(anna, loc)); again.Find("[data-testid=case-confirmation]").Length() != 0 {
			t.Error("the thank-you shows again on reload")
		}
		if !strings.Contains(d.Find("[data-testid=case-fields]").Text(), "070-123 45 67") {
			t.Error("summary lacks the formatted reporter phone")
		}
		// It is in the order system's intake at once.
		if !strings.Contains(doc(t, f.get(f.login(f.disp.Email), "/order")).Find("[data-testid=intake-list]").Text(), c.Number) {
			t.Error("new case missing from the intake list")
		}
		// The status history has its first entry.
		h, _ := f.db.StatusHistory(context.Background(), repair.StaffScope(), c.ID)
		if len(h) != 1 || h[0].Status != repair.StatusRegistered || h[0].ChangedBy != f.anna.Name {
			t.Errorf("history = %+v", h)
		}
		// Next time the form offers the Fakturamärkning and remembers the reporter.
		d = doc(t, f.get(anna, "/nytt-arende"))
		if d.Find(`#reference-options option[value="KST 4410"]`).Length() != 1 {
			t.Error("earlier Fakturamärkning not offered")
		}
		if v, _ := d.Find("#reporter_phone").Attr("value"); v != "070-123 45 67" {
			t.Errorf("Tel anmälare default = %q, want the last one entered", v)
		}
	})
}

func TestCreateCaseDoubleSubmit(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		anna := f.login(f.anna.Email)
		form := validCaseForm(f.formToken(anna))
		before := f.caseCount()
		first := f.post(anna, "/nytt-arende", form).Header.Get("Location")
		second := f.post(anna, "/nytt-arende", form).Header.Get("Location")
		if first == "" || first != second {
			t.Errorf("two submits → %q and %q, want the same case", first, second)
		}
		if n := f.caseCount(); n != before+1 {
			t.Errorf("two submits created %d cases, want 1", n-before)
		}
	})
}

func TestCreateCaseInvalidKeepsValues(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		anna := f.login(f.anna.Email)
		form := validCaseForm(f.formToken(anna))
		form.Set("reporter_phone", "ring mig")
		form.Set("postal_code", "5413")
		form.Set("street", "")
		before := f.caseCount()
		resp := f.post(anna, "/nytt-arende", form)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("POST invalid = %d, want 422", resp.StatusCode)
		}
		d := doc(t, resp)
		for _, field := range []string{"reporter_phone", "postal_code", "street"} {
			if d.Find("[data-testid=error-"+field+"]").Length() != 1 {
				t.Errorf("no message next to %s", field)
			}
			if inv, _ := d.Find("#" + field).Attr("aria-invalid"); inv != "true" {
				t.Errorf("%s not marked aria-invalid", field)
			}
		}
		if d.Find("[data-testid=error-summary] li").Length() != 3 {
			t.Errorf("summary has %d entries, want 3", d.Find("[data-testid=error-summary] li").Length())
		}
		if v, _ := d.Find("#title").Attr("value"); v != form.Get("title") {
			t.Errorf("title not kept: %q", v)
		}
		if v := d.Find("#description").Text(); v != form.Get("description") {
			t.Errorf("description not kept: %q", v)
		}
		if v, _ := d.Find("#reporter_phone").Attr("value"); v != "ring mig" {
			t.Errorf("wrong phone not kept for correction: %q", v)
		}
		if d.Find(`#access option[value="Ja"][selected]`).Length() != 1 {
			t.Error("Huvudnyckel choice not kept")
		}
		if tok, _ := d.Find("input[name=token]").Attr("value"); tok != form.Get("token") {
			t.Error("token changed on re-render; a corrected resubmit would not be idempotent")
		}
		if f.caseCount() != before {
			t.Error("an invalid form saved a case")
		}
	})
}

func TestCreateCaseForeignAsset(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		anna := f.login(f.anna.Email)
		before := f.caseCount()
		var msgs []string
		for _, id := range []int64{f.theirAsset.ID, 999999} {
			form := validCaseForm(f.formToken(anna))
			form.Set("asset_id", itoa(id))
			resp := f.post(anna, "/nytt-arende", form)
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("asset %d: POST = %d, want 422", id, resp.StatusCode)
			}
			d := doc(t, resp)
			msgs = append(msgs, d.Find("[data-testid=error-asset]").Text())
			if strings.Contains(d.Text(), f.theirAsset.Street) && id == f.theirAsset.ID && f.theirAsset.Street != f.myAsset.Street {
				t.Error("the page reveals the foreign asset")
			}
		}
		if msgs[0] == "" || msgs[0] != msgs[1] {
			t.Errorf("foreign asset message %q vs missing %q; want the same, non-empty", msgs[0], msgs[1])
		}
		if f.caseCount() != before {
			t.Error("a case was saved with a foreign asset")
		}
	})
}

func TestNewCaseFromQRLink(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		anna := f.login(f.anna.Email)
		d := doc(t, f.get(anna, "/nytt-arende?objekt="+f.myAsset.Number))
		if v, _ := d.Find("#asset_id").Attr("value"); v != itoa(f.myAsset.ID) {
			t.Errorf("asset_id = %q, want %d", v, f.myAsset.ID)
		}
		if v, _ := d.Find("#street").Attr("value"); v != f.myAsset.Street {
			t.Errorf("Gata = %q, want the machine's %q", v, f.myAsset.Street)
		}
		if !strings.Contains(d.Find("[data-testid=chosen-asset]").Text(), f.myAsset.Number) {
			t.Error("chosen asset not shown")
		}
		foreign := doc(t, f.get(anna, "/nytt-arende?objekt="+f.theirAsset.Number))
		missing := doc(t, f.get(anna, "/nytt-arende?objekt=000000"))
		fm, mm := foreign.Find("[data-testid=error-asset]").Text(), missing.Find("[data-testid=error-asset]").Text()
		if fm == "" || fm != mm {
			t.Errorf("foreign label %q vs missing %q; want the same message", fm, mm)
		}
		if v, _ := foreign.Find("#asset_id").Attr("value"); v != "" {
			t.Errorf("foreign asset chosen: %q", v)
		}
		// Not signed in: the label's link survives the login.
		resp := f.get(f.client(), "/nytt-arende?objekt="+f.myAsset.Number)
		if loc := resp.Header.Get("Location"); !strings.Contains(loc, url.QueryEscape("/nytt-arende?objekt="+f.myAsset.Number)) {
			t.Errorf("anonymous QR link → %q, want login with next", loc)
		}
	})
}

func TestAssetPickerWithoutJavaScript(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		anna := f.login(f.anna.Email)
		form := validCaseForm(f.formToken(anna))
		form.Set("street", "")
		form.Set("asset_query", f.myAsset.Number)
		form.Set("action", actionSearchAsset)
		d := doc(t, f.post(anna, "/nytt-arende", form))
		choice := d.Find("[data-testid=asset-results] input[name=asset_choice]")
		if choice.Length() != 1 || choice.AttrOr("value", "") != itoa(f.myAsset.ID) {
			t.Fatalf("search results = %d choices, want the one machine", choice.Length())
		}
		if v, _ := d.Find("#title").Attr("value"); v != form.Get("title") {
			t.Error("search lost the entered title")
		}
		if d.Find("[data-testid=error-summary]").Length() != 0 {
			t.Error("searching showed validation errors")
		}
		form.Set("action", actionChooseAsset)
		form.Set("asset_choice", itoa(f.myAsset.ID))
		d = doc(t, f.post(anna, "/nytt-arende", form))
		if v, _ := d.Find("#street").Attr("value"); v != f.myAsset.Street {
			t.Errorf("after choosing, Gata = %q, want %q", v, f.myAsset.Street)
		}
		if v, _ := d.Find("#asset_id").Attr("value"); v != itoa(f.myAsset.ID) {
			t.Errorf("after choosing, asset_id = %q", v)
		}
		// Another customer's machine is never found.
		form.Set("action", actionSearchAsset)
		form.Set("asset_query", f.theirAsset.Number)
		d = doc(t, f.post(anna, "/nytt-arende", form))
		if d.Find("input[name=asset_choice]").Length() != 0 {
			t.Error("search found another customer's machine")
		}
		form.Set("action", actionChooseAsset)
		form.Set("asset_choice", itoa(f.theirAsset.ID))
		d = doc(t, f.post(anna, "/nytt-arende", form))
		if v, _ := d.Find("#street").Attr("value"); v == f.theirAsset.Street && v != f.myAsset.Street {
			t.Error("choosing a foreign machine filled its address")
		}
	})
}

func TestAssetSearchJSONScoped(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		resp := f.get(f.login(f.anna.Email), "/nytt-arende/objekt?q=")
		var got assetSearchJSON
		if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
			t.Fatal(err)
		}
		if len(got.Assets) != 1 || got.Assets[0].ID != f.myAsset.ID || got.Hits != "1 träff" {
			t.Errorf("JSON search = %+v, want only the customer's own machine", got)
		}
	})
}

// TestCreateCaseHostileInput posts bad and nasty values into every field:
// never a 500, invalid ones save nothing, and what is saved is shown
// escaped.
func TestCreateCaseHostileInput(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		anna := f.login(f.anna.Email)
		invalid := []struct{ field, value string }{
			{"title", ""}, {"title", strings.Repeat("A", 121)}, {"title", "a\x00b"}, {"title", "\x1b[31mröd"},
			{"title", "\xc3\x28"}, {"title", "rad\nbrytning"}, {"title", "Skövde \u202egnimlöv"},
			{"description", strings.Repeat("ö", 4001)}, {"description", "nul\x00"}, {"description", "  "},
			{"street", "\u2028"}, {"street", strings.Repeat("g", 121)}, {"site_name", "bell\x07"},
			{"reporter_name", ""}, {"reporter_name", strings.Repeat("n", 81)},
			{"reporter_phone", "'; DROP TABLE cases;--"}, {"reporter_phone", "+1"}, {"reporter_phone", "0701234567890123"},
			{"reporter_phone", "<script>"}, {"site_phone1", "abc"}, {"site_phone2", "070-12"},
			{"postal_code", "1234"}, {"postal_code", "123456"}, {"postal_code", "00000"}, {"postal_code", "<b>123 45</b>"},
			{"city", ""}, {"city", strings.Repeat("c", 61)}, {"access", "Kanske"}, {"access", "Portkod"},
			{"door_code", strings.Repeat("9", 21)}, {"contract_number", strings.Repeat("A", 41)},
			{"invoice_reference", strings.Repeat("K", 61)}, {"asset_id", "-1"}, {"asset_id", "1 OR 1=1"},
			{"asset_id", itoa(f.theirAsset.ID)},
		}
		before := f.caseCount()
		for _, tt := range invalid {
			form := validCaseForm(f.formToken(anna))
			if tt.field == "door_code" {
				form.Set("access", "Portkod")
			}
			form.Set(tt.field, tt.value)
			resp := f.post(anna, "/nytt-arende", form)
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("%s=%.30q: %d, want 422", tt.field, tt.value, resp.StatusCode)
			}
		}
		if n := f.caseCount(); n != before {
			t.Errorf("invalid input saved %d cases", n-before)
		}

		// Valid but nasty text is stored as written and shown escaped.
		form := validCaseForm(f.formToken(anna))
		form.Set("title", `<script>alert("x")</script> '; DROP TABLE cases;--`)
		form.Set("description", "Rad 1\nRad 2 & <b>fet</b>")
		loc := f.post(anna, "/nytt-arende", form).Header.Get("Location")
		resp := f.get(anna, loc)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK || strings.Contains(string(body), "<script>alert") || !strings.Contains(string(body), "&lt;script&gt;") {
			t.Errorf("nasty title not escaped on the case page (status %d)", resp.StatusCode)
		}

		// Oversized bodies and a forged action are refused cleanly.
		big := validCaseForm(f.formToken(anna))
		big.Set("description", strings.Repeat("x", maxFormBytes))
		if resp := f.post(anna, "/nytt-arende", big); resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("oversized form = %d, want 413", resp.StatusCode)
		}
		odd := validCaseForm("not-a-token")
		odd.Set("action", "drop")
		if resp := f.post(anna, "/nytt-arende", odd); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("unknown action with a valid form = %d, want it saved (303)", resp.StatusCode)
		}
	})
}

// TestIntakeIsBounded: the Inkorg lists the 50 newest new cases and sends
// the office to Sök ärenden for the rest.
func TestIntakeIsBounded(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		for i := range 55 {
			storetest.Case(t, db, f.mine.ID, 0, fmt.Sprintf("Skövde Ny %d", i))
		}
		page := doc(t, f.get(f.login(f.disp.Email), "/order"))
		if n := page.Find("[data-testid=intake-list] tbody tr").Length(); n != 50 {
			t.Errorf("the Inkorg lists %d cases, want the 50 newest", n)
		}
		if href, _ := page.Find("[data-testid=intake-more] a").Attr("href"); href != "/order/arenden?status=registered" {
			t.Errorf("the link to the rest is %q", href)
		}
	})
}
