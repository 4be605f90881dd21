package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// TestPhoneCaseErrorList: a refused Registrera ärende lists every message
// at the top, in the fields' order, each a link to its field, as the
// portal's Nytt ärende does; and each field is marked and described by
// its message.
func TestPhoneCaseErrorList(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		disp := f.login(f.disp.Email)
		empty := url.Values{"token": {"tok-empty"}, "access": {"Portkod"}}
		wrong := validCaseForm("tok-wrong")
		wrong.Set("customer_id", itoa(f.mine.ID))
		wrong.Set("type", "Hackat ärende")
		wrong.Set("asset_number", "FINNS-INTE")
		wrong.Set("reporter_phone", "ring mig")
		wrong.Set("postal_code", "5413")
		wrong.Set("access", "Portkod")
		wrong.Set("contract_number", "AV-999")
		tests := []struct {
			name   string
			form   url.Values
			fields []string // in page order
		}{
			{"empty", empty, []string{"customer_id", "type", "title", "description", "street", "postal_code", "city", "reporter_name", "reporter_phone", "door_code"}},
			{"wrong", wrong, []string{"type", "asset_number", "postal_code", "reporter_phone", "door_code", "contract_number"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				resp := f.post(disp, "/order/nytt-arende", tt.form)
				if resp.StatusCode != http.StatusUnprocessableEntity {
					t.Fatalf("POST = %d, want 422", resp.StatusCode)
				}
				d := doc(t, resp)
				summary := d.Find("[data-testid=error-summary]")
				if summary.Length() != 1 || summary.AttrOr("role", "") != "alert" {
					t.Fatalf("error summary: %d, role %q; want one alert", summary.Length(), summary.AttrOr("role", ""))
				}
				if strings.Contains(summary.Text(), "Rätta det som är markerat") {
					t.Error("the summary still only says to correct what is marked")
				}
				var targets []string
				summary.Find("li a").Each(func(_ int, a *goquery.Selection) {
					href := a.AttrOr("href", "")
					id := strings.TrimPrefix(href, "#")
					targets = append(targets, id)
					field := d.Find("#" + id)
					if !strings.HasPrefix(href, "#") || field.Length() != 1 || !field.Is("input, select, textarea") {
						t.Errorf("summary link %q (%q) leads to no form field", href, a.Text())
						return
					}
					if field.AttrOr("aria-invalid", "") != "true" {
						t.Errorf("field #%s linked from the summary is not marked invalid", id)
					}
					// The link says what the message next to the field says.
					msg := d.Find("#" + field.AttrOr("aria-describedby", "-") + ", #err-" + id).First().Text()
					if msg == "" || !strings.HasSuffix(a.Text(), ": "+msg) {
						t.Errorf("summary link %q; the field's message is %q", a.Text(), msg)
					}
				})
				if strings.Join(targets, " ") != strings.Join(tt.fields, " ") {
					t.Errorf("summary links to %q, want %q", targets, tt.fields)
				}
				// Nothing is shown next to a field that the summary leaves out.
				if n := d.Find(".field-error").Length(); n != len(targets) {
					t.Errorf("%d messages next to fields, %d in the summary", n, len(targets))
				}
			})
		}
		if d := doc(t, f.get(disp, "/order/nytt-arende")); d.Find("[data-testid=error-summary]").Length() != 0 {
			t.Error("an empty form shows an error summary")
		}
	})
}
