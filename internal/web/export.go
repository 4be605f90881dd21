package web

import (
	"errors"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"kundportal/internal/export"
	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/sv"
)

// maxExportRows bounds one export; a customer with more narrows the search
// first. It keeps one export's memory to tens of megabytes.
const maxExportRows = 100_000

// exportCases writes every case matching the current search (not just the
// page shown) as CSV or Excel.
func (s *server) exportCases(format string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		u := userOf(r)
		scope := repair.ScopeFor(u)
		staff := u.Role.IsStaff()
		form := parseSearchForm(r.URL.Query(), staff)
		filter, fe := form.filter(s.now())
		if len(fe) > 0 {
			// The search page explains what is wrong with the filters.
			page := "/sok-arende?"
			if staff {
				page = "/order/arenden?"
			}
			http.Redirect(w, r, page+r.URL.RawQuery, http.StatusSeeOther)
			return nil
		}
		customers := map[int64]string{}
		if staff {
			all, err := s.db.Customers(ctx, scope)
			if err != nil {
				return err
			}
			for _, c := range all {
				customers[c.ID] = c.Name
			}
		}
		filter.Cursor, filter.Before, filter.Limit, filter.NoCount = "", false, 500, true
		t := export.Table{Sheet: "Ärenden", Header: []string{
			"Ärende", "Registrerad", "Ort / Titel", "Beskrivning", "Objekt", "Typ", "Kund", "Gata", "Postnr", "Ort",
			"Status", "Fakturamärkning", "Avtal", "Anmälare", "Tel anmälare", "Utförd",
			"Åtgärder", "Arbete", "Reservdelar", "Resor", "Avgifter", "Totalt ex moms",
		}}
		if staff {
			// Kund above is the site's name on the case; the office's list
			// spans customers, so it leads with the customer company.
			t.Header = append([]string{"Kundföretag"}, t.Header...)
		}
		for len(t.Rows) < maxExportRows {
			res, err := s.db.SearchCases(ctx, scope, filter)
			if errors.Is(err, store.ErrBadCursor) {
				return errNotFound
			}
			if err != nil {
				return err
			}
			ids := make([]int64, len(res.Cases))
			for i, c := range res.Cases {
				ids[i] = c.ID
			}
			extras, err := s.db.CaseExtras(ctx, scope, ids)
			if err != nil {
				return err
			}
			for _, c := range res.Cases {
				var row []string
				if staff {
					row = []string{customers[c.CustomerID]}
				}
				t.Rows = append(t.Rows, append(row,
					c.Number, sv.DateTime(c.RegisteredAt), c.Title, c.Description, c.AssetNumber, c.Type, c.SiteName,
					c.Street, c.PostalCode, c.City, c.Status.Label(), c.InvoiceReference, c.ContractNumber,
					c.ReporterName, sv.Phone(c.ReporterPhone), sv.DateTime(c.CompletedAt),
					strconv.Itoa(extras[c.ID].Actions), sv.Amount(c.Costs[0]), sv.Amount(c.Costs[1]), sv.Amount(c.Costs[2]),
					sv.Amount(c.Costs[3]), sv.Amount(repair.CostTotal(c.Costs)),
				))
			}
			if res.Next == "" {
				break
			}
			filter.Cursor = res.Next
		}
		return writeTable(w, t, "arenden", s.db.Now(), format)
	}
}

// exportAssets writes the customer's machines matching the Objekt
// search (up to maxExportRows) as CSV or Excel.
func (s *server) exportAssets(format string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		q := truncate(strings.TrimSpace(r.URL.Query().Get("q")), 100)
		as, err := s.db.SearchAssets(r.Context(), repair.ScopeFor(userOf(r)), q, maxExportRows)
		if err != nil {
			return err
		}
		t := export.Table{Sheet: "Objekt", Header: []string{"Objektnummer", "Maskin", "Fabrikat", "Modell", "Serienummer",
			"Kund", "Gata", "Postnr", "Ort", "Placering", "Avtal", "Installerad"}}
		for _, a := range as {
			t.Rows = append(t.Rows, []string{a.Number, a.Kind, a.Brand, a.Model, a.SerialNumber,
				a.SiteName, a.Street, a.PostalCode, a.City, a.Location, a.ContractNumber, a.InstalledOn})
		}
		return writeTable(w, t, "objekt", s.db.Now(), format)
	}
}

// exportAssetHistory writes one machine's cases with their costs.
func (s *server) exportAssetHistory(format string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		scope := repair.ScopeFor(userOf(r))
		a, err := s.db.Asset(r.Context(), scope, id)
		if err != nil {
			return err
		}
		cases, err := s.db.AssetCases(r.Context(), scope, a.ID)
		if err != nil {
			return err
		}
		t := export.Table{Sheet: "Objekt " + a.Number, Header: []string{"Ärende", "Registrerad", "Ort / Titel", "Status", "Utförd",
			"Fakturamärkning", "Arbete", "Reservdelar", "Resor", "Avgifter", "Totalt ex moms"}}
		for _, c := range cases {
			t.Rows = append(t.Rows, []string{c.Number, sv.DateTime(c.RegisteredAt), c.Title, c.Status.Label(), sv.DateTime(c.CompletedAt),
				c.InvoiceReference, sv.Amount(c.Costs[0]), sv.Amount(c.Costs[1]), sv.Amount(c.Costs[2]), sv.Amount(c.Costs[3]),
				sv.Amount(repair.CostTotal(c.Costs))})
		}
		return writeTable(w, t, "objekt-"+a.Number, s.db.Now(), format)
	}
}

// writeTable sends t as a download named after base and the day, as CSV
// or Excel.
func writeTable(w http.ResponseWriter, t export.Table, base string, now time.Time, format string) error {
	name := export.Filename(base, now.In(repair.Stockholm), format)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("Cache-Control", "private, no-store")
	if format == "csv" {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		return export.WriteCSV(w, t)
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	return export.WriteXLSX(w, t)
}
