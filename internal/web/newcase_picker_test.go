package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// addAsset registers a machine for the customer.
func (f *fixture) addAsset(customerID int64, a repair.Asset) repair.Asset {
	f.t.Helper()
	a.CustomerID = customerID
	storetest.Write(f.t, f.db, func(ctx context.Context, tx *store.Tx) error { return tx.CreateAsset(ctx, &a) })
	return a
}

// lookAlikes are two of the customer's machines of the same kind and
// brand at the same address, told apart by model, serial number and
// label.
func (f *fixture) lookAlikes() (repair.Asset, repair.Asset) {
	f.t.Helper()
	a := f.addAsset(f.mine.ID, repair.Asset{Number: "710001", Kind: "Torktumlare", Brand: "Miele", Model: "T1 Classic",
		SerialNumber: "SN-4711", Street: "Ängsvägen 3", PostalCode: "541 45", City: "Skövde", Location: "Tvättstuga A"})
	b := f.addAsset(f.mine.ID, repair.Asset{Number: "710002", Kind: "Torktumlare", Brand: "Miele", Model: "T1 Eco",
		SerialNumber: "SN-0815", Street: "Ängsvägen 3", PostalCode: "541 45", City: "Skövde", Location: "Tvättstuga A"})
	return a, b
}

func (f *fixture) searchJSON(c *http.Client, q string) assetSearchJSON {
	f.t.Helper()
	resp := f.get(c, "/nytt-arende/objekt?q="+q)
	var got assetSearchJSON
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		f.t.Fatal(err)
	}
	return got
}

// TestAssetPickerCount: the picker lists at most 20 machines and says so
// when there are more, with and without JavaScript; below the cap it
// gives the exact count.
func TestAssetPickerCount(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		anna := f.login(f.anna.Email)
		const capped = "Visar de 20 första träffarna – skriv mer för att smalna av"
		search := func() *goquery.Document {
			form := validCaseForm(f.formToken(anna))
			form.Set("action", actionSearchAsset)
			form.Set("asset_query", "tvättmaskin")
			return doc(t, f.post(anna, "/nytt-arende", form))
		}
		// The fixture's machine and 19 more: exactly the cap.
		for i := range 19 {
			f.addAsset(f.mine.ID, repair.Asset{Number: fmt.Sprintf("72%04d", i), Kind: "Tvättmaskin", Brand: "Electrolux", Street: "Storgatan 1", PostalCode: "541 30", City: "Skövde"})
		}
		d := search()
		if got := d.Find("[data-testid=asset-hits]").Text(); got != "20 träffar" {
			t.Errorf("20 matches: hits = %q, want %q", got, "20 träffar")
		}
		if n := d.Find("input[name=asset_choice]").Length(); n != 20 {
			t.Errorf("20 matches: %d choices", n)
		}
		if got := f.searchJSON(anna, "tvättmaskin"); got.Hits != "20 träffar" || got.More || len(got.Assets) != 20 {
			t.Errorf("JSON with 20 matches = %q, more %v, %d machines", got.Hits, got.More, len(got.Assets))
		}
		// One more: the list is cut at 20 and says so.
		f.addAsset(f.mine.ID, repair.Asset{Number: "729999", Kind: "Tvättmaskin", Brand: "Electrolux", Street: "Storgatan 1", PostalCode: "541 30", City: "Skövde"})
		d = search()
		if got := d.Find("[data-testid=asset-hits]").Text(); got != capped {
			t.Errorf("21 matches: hits = %q, want %q", got, capped)
		}
		if n := d.Find("input[name=asset_choice]").Length(); n != 20 {
			t.Errorf("21 matches: %d choices, want 20", n)
		}
		if got := f.searchJSON(anna, "tvättmaskin"); got.Hits != capped || !got.More || len(got.Assets) != 20 {
			t.Errorf("JSON with 21 matches = %q, more %v, %d machines", got.Hits, got.More, len(got.Assets))
		}
		// And one match is one träff.
		if got := f.searchJSON(anna, "729999"); got.Hits != "1 träff" || len(got.Assets) != 1 {
			t.Errorf("JSON with 1 match = %q, %d machines", got.Hits, len(got.Assets))
		}
	})
}

// TestAssetPickerTellsLookAlikesApart: each entry shows the model, the
// serial number and the label's number, and nothing is chosen for the
// person.
func TestAssetPickerTellsLookAlikesApart(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		anna := f.login(f.anna.Email)
		a, b := f.lookAlikes()
		form := validCaseForm(f.formToken(anna))
		form.Set("street", "")
		form.Set("action", actionSearchAsset)
		form.Set("asset_query", "ängsvägen torktumlare")
		d := doc(t, f.post(anna, "/nytt-arende", form))
		results := d.Find("[data-testid=asset-result]")
		if results.Length() != 2 {
			t.Fatalf("%d results, want the 2 look-alikes", results.Length())
		}
		for i, m := range []repair.Asset{a, b} {
			text := results.Eq(i).Text()
			for _, want := range []string{m.Model, "Serienr " + m.SerialNumber, "Objektnr " + m.Number, m.Location, m.Street} {
				if !strings.Contains(text, want) {
					t.Errorf("entry %d = %q, lacks %q", i, text, want)
				}
			}
		}
		if n := d.Find("input[name=asset_choice][checked]").Length(); n != 0 {
			t.Errorf("%d machines preselected, want none", n)
		}
		js := f.searchJSON(anna, "ängsvägen")
		if len(js.Assets) != 2 {
			t.Fatalf("JSON: %d machines", len(js.Assets))
		}
		for i, m := range []repair.Asset{a, b} {
			e := js.Assets[i]
			line := e.Title + " " + e.Details + " " + e.Place
			if e.ID != m.ID || !strings.Contains(line, m.Model) || !strings.Contains(line, m.SerialNumber) || !strings.Contains(line, m.Number) {
				t.Errorf("JSON entry %d = %+v, want %s with model, serial and number", i, e, m.Number)
			}
		}

		// Välj objekt with nothing chosen chooses nothing and keeps the list.
		form.Set("action", actionChooseAsset)
		resp := f.post(anna, "/nytt-arende", form)
		d = doc(t, resp)
		if d.Find("[data-testid=error-asset]").Text() == "" {
			t.Error("choosing with nothing selected gave no message")
		}
		if v, _ := d.Find("#asset_id").Attr("value"); v != "" {
			t.Errorf("choosing with nothing selected chose %q", v)
		}
		if n := d.Find("input[name=asset_choice]").Length(); n != 2 {
			t.Errorf("after a choice without a selection the list has %d entries, want it back", n)
		}
		if v, _ := d.Find("#street").Attr("value"); v != "" {
			t.Errorf("Gata = %q, want still empty", v)
		}
	})
}

// TestAssetPickerKeepsTypedValues: choosing a machine without JavaScript
// fills only empty fields; a typed value that differs stays, with the
// machine's offered next to it, and taking the offer takes that field
// only.
func TestAssetPickerKeepsTypedValues(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		anna := f.login(f.anna.Email)
		m := f.addAsset(f.mine.ID, repair.Asset{Number: "730001", Kind: "Diskmaskin", Brand: "Bosch", Model: "SMV4",
			SiteName: "Lgh 1101 Berg", Street: "Storgatan 1", PostalCode: "541 30", City: "Skövde", ContractID: f.myContract.ID})
		form := validCaseForm(f.formToken(anna))
		form.Set("site_name", "Lgh 1102 Svensson")
		form.Set("street", "Hertig Johans gata 12")
		form.Set("postal_code", "54130") // the machine's, written without the space
		form.Set("city", "")
		form.Set("contract_number", "")
		form.Set("action", actionChooseAsset)
		form.Set("asset_choice", itoa(m.ID))
		d := doc(t, f.post(anna, "/nytt-arende", form))
		want := map[string]string{"site_name": "Lgh 1102 Svensson", "street": "Hertig Johans gata 12", "postal_code": "54130", "city": "Skövde", "contract_number": "AV-1"}
		for id, v := range want {
			if got, _ := d.Find("#" + id).Attr("value"); got != v {
				t.Errorf("after choosing, %s = %q, want %q", id, got, v)
			}
		}
		for field, v := range map[string]string{"site_name": m.SiteName, "street": m.Street} {
			offer := d.Find("[data-testid=offer-" + field + "]")
			if got := strings.TrimSpace(offer.Find("button").Text()); got != "Använd objektets: "+v {
				t.Errorf("offer next to %s = %q, want %q", field, got, "Använd objektets: "+v)
			}
			if offer.ParentFiltered(".field").Find("#"+field).Length() != 1 {
				t.Errorf("offer for %s is not next to its field", field)
			}
			if desc, _ := d.Find("#" + field).Attr("aria-describedby"); !strings.Contains(desc, "offer-"+field) {
				t.Errorf("%s aria-describedby = %q, want the offer", field, desc)
			}
		}
		for _, field := range []string{"postal_code", "city", "contract_number"} {
			if d.Find("[data-testid=offer-"+field+"]").Length() != 0 {
				t.Errorf("an offer for %s, whose value is the machine's", field)
			}
		}

		// Taking the offer for Gata takes Gata only.
		form.Set("asset_id", itoa(m.ID))
		form.Set("city", "Skövde")
		form.Set("contract_number", "AV-1")
		form.Set("action", actionUseAsset+"street")
		d = doc(t, f.post(anna, "/nytt-arende", form))
		if v, _ := d.Find("#street").Attr("value"); v != m.Street {
			t.Errorf("after taking the offer, Gata = %q, want %q", v, m.Street)
		}
		if v, _ := d.Find("#site_name").Attr("value"); v != "Lgh 1102 Svensson" {
			t.Errorf("taking Gata changed Kund to %q", v)
		}
		if d.Find("[data-testid=offer-street]").Length() != 0 || d.Find("[data-testid=offer-site_name]").Length() != 1 {
			t.Error("after taking Gata, want the offer for Kund only")
		}

		// Saved, the case keeps what the person typed.
		form.Set("street", "Hertig Johans gata 12")
		form.Set("action", "spara")
		before := f.caseCount()
		if resp := f.post(anna, "/nytt-arende", form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("Spara = %d", resp.StatusCode)
		}
		if f.caseCount() != before+1 {
			t.Fatal("no case saved")
		}
		c := storetest.Cases(t, f.db, repair.CustomerScope(f.mine.ID))[0]
		if c.Street != "Hertig Johans gata 12" || c.SiteName != "Lgh 1102 Svensson" || c.AssetID != m.ID || c.City != "Skövde" {
			t.Errorf("saved case = %q, %q, asset %d, %q", c.Street, c.SiteName, c.AssetID, c.City)
		}
	})
}

// TestAssetPickerForeignMachine: another customer's machine can be
// neither chosen nor used for an offer, posted back or saved.
func TestAssetPickerForeignMachine(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		anna := f.login(f.anna.Email)
		theirs := f.addAsset(f.theirs.ID, repair.Asset{Number: "740001", Kind: "Kyl", Brand: "Electrolux", SerialNumber: "HEMLIG-1",
			SiteName: "Avd Regnbågen", Street: "Hemliga vägen 9", PostalCode: "542 30", City: "Mariestad"})
		form := validCaseForm(f.formToken(anna))
		form.Set("street", "")
		form.Set("action", actionChooseAsset)
		form.Set("asset_choice", itoa(theirs.ID))
		d := doc(t, f.post(anna, "/nytt-arende", form))
		if d.Find("[data-testid=error-asset]").Text() == "" || strings.Contains(d.Text(), "Hemliga vägen") || strings.Contains(d.Text(), "HEMLIG") {
			t.Error("choosing another customer's machine: no message, or its data shown")
		}
		form.Set("asset_id", itoa(theirs.ID))
		form.Set("action", actionUseAsset+"street")
		d = doc(t, f.post(anna, "/nytt-arende", form))
		if v, _ := d.Find("#street").Attr("value"); v != "" || strings.Contains(d.Text(), "Hemliga vägen") {
			t.Errorf("an offer from another customer's machine filled Gata with %q", v)
		}
		if d.Find("[data-testid=error-asset]").Text() == "" {
			t.Error("another customer's machine id posted back: no message")
		}
		before := f.caseCount()
		form.Set("street", "Storgatan 1")
		form.Set("action", "spara")
		resp := f.postCase(anna, form)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("saving with another customer's machine = %d, want 422", resp.StatusCode)
		}
		// The summary's link leads to the picker's field.
		d = doc(t, resp)
		links := d.Find("[data-testid=error-summary] a")
		if links.Length() == 0 {
			t.Error("no summary of the refused machine")
		}
		links.Each(func(_ int, a *goquery.Selection) {
			if href := a.AttrOr("href", ""); d.Find(href).Length() != 1 {
				t.Errorf("summary link %q leads nowhere", href)
			}
		})
		if f.caseCount() != before {
			t.Error("a case was saved with another customer's machine")
		}
		if got := f.searchJSON(anna, "740001"); len(got.Assets) != 0 || got.Hits != "0 träffar" {
			t.Errorf("JSON search found another customer's machine: %+v", got)
		}
	})
}

// TestPortkod: Portkod is a one-line field, sent and saved with the choice
// Portkod only; a code with another choice is refused, not dropped.
func TestPortkod(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		anna := f.login(f.anna.Email)
		d := doc(t, f.get(anna, "/nytt-arende"))
		code := d.Find("#door_code")
		if code.Length() != 1 || goquery.NodeName(code) != "input" || code.AttrOr("type", "") != "text" || code.HasClass("short") {
			t.Errorf("Portkod is <%s type=%q class=%q>, want a plain one-line text input", goquery.NodeName(code), code.AttrOr("type", ""), code.AttrOr("class", ""))
		}
		// Without JavaScript it is shown, and its help says when it applies.
		field := d.Find("#door-code-field")
		if _, hidden := field.Attr("hidden"); hidden || !strings.Contains(field.Find(".help").Text(), "när Huvudnyckel är Portkod") {
			t.Error("Portkod hidden without JavaScript, or no help saying when it is needed")
		}
		if desc, _ := code.Attr("aria-describedby"); desc != "help-door_code" {
			t.Errorf("Portkod aria-describedby = %q", desc)
		}

		before := f.caseCount()
		for _, access := range []string{"Ja", "Nej", ""} {
			form := validCaseForm(f.formToken(anna))
			form.Set("access", access)
			form.Set("door_code", "1234")
			resp := f.post(anna, "/nytt-arende", form)
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("Huvudnyckel %q with a door code = %d, want 422", access, resp.StatusCode)
				continue
			}
			d := doc(t, resp)
			if d.Find("[data-testid=error-door_code]").Text() == "" {
				t.Errorf("Huvudnyckel %q with a door code: no message next to Portkod", access)
			}
			if v, _ := d.Find("#door_code").Attr("value"); v != "1234" {
				t.Errorf("the refused code was not kept for correction: %q", v)
			}
		}
		if f.caseCount() != before {
			t.Error("a code with Ja, Nej or no choice saved a case")
		}
		for access, want := range map[string]string{"Nej": "••••", "Portkod": "Portkod ••••"} {
			form := validCaseForm(f.formToken(anna))
			form.Set("access", access)
			form.Set("door_code", map[string]string{"Nej": "  ", "Portkod": "4711"}[access])
			loc := f.post(anna, "/nytt-arende", form).Header.Get("Location")
			if !strings.HasPrefix(loc, "/arenden/") {
				t.Errorf("Huvudnyckel %s: not saved (%q)", access, loc)
				continue
			}
			if got := doc(t, f.get(anna, loc)).Find("[data-testid=case-access]").Text(); !strings.Contains(got, want) {
				t.Errorf("Huvudnyckel %s shows %q, want %q", access, got, want)
			}
		}
	})
}
