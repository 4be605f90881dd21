package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"kundportal/internal/repair"
)

// The Nytt ärende form's machine picker: the lines that list a machine,
// the hit count, the offers of a chosen machine's values, and the
// type-ahead's JSON. Choosing and posting back are in newcase.go.

// assetPickerLimit is how many machines the picker lists, with and
// without JavaScript; the store is asked for one more, to know whether
// the list is cut.
const assetPickerLimit = 20

// assetOffer is the chosen machine's value for a field whose typed value
// differs, offered next to the field.
type assetOffer struct{ Field, Value string }

// Offer is the offer for field, or nil when there is none: no machine
// chosen, the field empty, or the same value as the machine's.
func (p *newCasePage) Offer(field string) *assetOffer {
	if p.Asset == nil {
		return nil
	}
	if v, ok := p.Form.AssetOffers(*p.Asset)[field]; ok {
		return &assetOffer{field, v}
	}
	return nil
}

// offerField is a text field with the machine's offer next to it.
type offerField struct {
	fieldView
	Offer *assetOffer
}

// DescribedBy is the ids for the input's aria-describedby: its help, its
// message and the offer.
func (f offerField) DescribedBy() string {
	var ids []string
	if f.Help != "" {
		ids = append(ids, "help-"+f.ID)
	}
	if f.Error != "" {
		ids = append(ids, "err-"+f.ID)
	}
	if f.Offer != nil {
		ids = append(ids, "offer-"+f.ID)
	}
	return strings.Join(ids, " ")
}

// WithOffer is f with its offer, for the page's "offer-text" template.
func (p *newCasePage) WithOffer(f fieldView) offerField { return offerField{f, p.Offer(f.Name)} }

// hitsText says how many machines a search found or, when the list is
// cut at n, that there are more: both surfaces of the picker use it.
func hitsText(n int, more bool) string {
	switch {
	case more:
		return fmt.Sprintf("Visar de %d första träffarna – skriv mer för att smalna av", n)
	case n == 1:
		return "1 träff"
	}
	return fmt.Sprintf("%d träffar", n)
}

// Hits is hitsText for the search without JavaScript.
func (p *newCasePage) Hits() string { return hitsText(len(p.AssetResults), p.AssetMore) }

// Entry is a as the picker lists it, for the template.
func (p *newCasePage) Entry(a repair.Asset) assetEntry { return entryOf(a) }

// assetEntry is a machine as the picker lists it: enough to tell apart
// machines of the same kind and brand at the same address.
type assetEntry struct {
	Title   string // Tvättmaskin Electrolux W455H
	Details string // Objektnr 900123 · Serienr 12345
	Place   string // Tvättstuga, källarplan · Lgh 1102 · Storgatan 1, 541 30 Skövde
}

// entryOf is the picker's description of a.
func entryOf(a repair.Asset) assetEntry {
	join := func(sep string, parts ...string) string {
		var out []string
		for _, p := range parts {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
		return strings.Join(out, sep)
	}
	e := assetEntry{Title: join(" ", a.Kind, a.Brand, a.Model), Details: "Objektnr " + a.Number}
	if a.SerialNumber != "" {
		e.Details += " · Serienr " + a.SerialNumber
	}
	e.Place = join(" · ", a.Location, a.SiteName, join(", ", a.Street, join(" ", a.PostalCode, a.City)))
	return e
}

// assetJSON is one machine for the picker's script: what it lists
// (Entry) and what choosing it fills in.
type assetJSON struct {
	ID             int64  `json:"id"`
	Number         string `json:"number"`
	Title          string `json:"title"`
	Details        string `json:"details"`
	Place          string `json:"place"`
	SiteName       string `json:"site_name"`
	Street         string `json:"street"`
	PostalCode     string `json:"postal_code"`
	City           string `json:"city"`
	ContractNumber string `json:"contract_number"`
}

// assetSearchJSON is the picker's answer: the machines, and the line that
// says how many, in the same words as without JavaScript.
type assetSearchJSON struct {
	Assets []assetJSON `json:"assets"`
	Hits   string      `json:"hits"`
	More   bool        `json:"more"`
}

// searchAssetsJSON serves the picker's type-ahead: the customer's machines
// matching q.
func (s *server) searchAssetsJSON(w http.ResponseWriter, r *http.Request) error {
	q := truncate(r.URL.Query().Get("q"), 100)
	as, err := s.db.SearchAssets(r.Context(), repair.ScopeFor(userOf(r)), q, assetPickerLimit+1)
	if err != nil {
		return err
	}
	out := assetSearchJSON{Assets: make([]assetJSON, 0, len(as))}
	if len(as) > assetPickerLimit {
		as, out.More = as[:assetPickerLimit], true
	}
	for _, a := range as {
		e := entryOf(a)
		out.Assets = append(out.Assets, assetJSON{a.ID, a.Number, e.Title, e.Details, e.Place,
			a.SiteName, a.Street, a.PostalCode, a.City, a.ContractNumber})
	}
	out.Hits = hitsText(len(as), out.More)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	return json.NewEncoder(w).Encode(out)
}
