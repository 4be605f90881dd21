package web

import (
	"errors"
	"mime"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"time"

	"kundportal/internal/export"
	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/sv"
)

// maxExportRows bounds one export; a customer with more narrows the search
// first. Exports stream, so the bound is on the file's size and the time it
// takes, not on the server's memory.
const maxExportRows = 100_000

// exportPage is how many rows an export reads at a time. Each page is a
// short read, written out before the next is fetched, so that an export
// holds one page, not all its rows, and a slow download holds no read
// open.
const exportPage = 500

// exportCollectRows is how many rows an export writes between the
// collections it asks for (collectExportGarbage).
const exportCollectRows = 2_500

// collectExportGarbage collects the heap when an export's rows, written
// after a page of page rows, pass a multiple of exportCollectRows. Its
// pages are garbage once written, and left to the server's collector
// setting (cmd/kundportal's tuneGC lets the heap grow to five times what
// is live) an export of 100 000 cases grew the process from 42 to 69 MB
// of them; with a collection every 2 500 rows to 53 MB, for 5-7 % of the
// export's time (docs/PERFORMANCE.md).
func collectExportGarbage(written, page int) {
	if written/exportCollectRows != (written-page)/exportCollectRows {
		runtime.GC()
	}
}

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
		filter.Cursor, filter.Before, filter.Limit, filter.NoCount = "", false, exportPage, true
		header := []string{
			"Ärende", "Registrerad", "Ort / Titel", "Beskrivning", "Objekt", "Typ", "Kund", "Gata", "Postnr", "Ort",
			"Status", "Fakturamärkning", "Avtal", "Anmälare", "Tel anmälare", "Utförd",
			"Åtgärder", "Arbete", "Reservdelar", "Resor", "Avgifter", "Totalt ex moms",
		}
		if staff {
			// Kund above is the site's name on the case; the office's list
			// spans customers, so it leads with the customer company.
			header = append([]string{"Kundföretag"}, header...)
		}
		ew, err := newExport(w, format, "arenden", "Ärenden", header, s.db.Now())
		if err != nil {
			return err
		}
		defer ew.Abort()
		// Each page of 500 goes to the writer before the next is fetched,
		// so an export holds one page, not all its rows.
		row := make([]string, 0, len(header))
		for n := 0; n < maxExportRows; {
			res, err := s.db.SearchCases(ctx, scope, filter)
			if errors.Is(err, store.ErrBadCursor) {
				return errNotFound
			}
			if err != nil {
				return err
			}
			for _, c := range res.Cases {
				row = row[:0]
				if staff {
					row = append(row, customers[c.CustomerID])
				}
				row = append(row,
					c.Number, sv.DateTime(c.RegisteredAt), c.Title, c.Description, c.AssetNumber, c.Type, c.SiteName,
					c.Street, c.PostalCode, c.City, c.Status.Label(), c.InvoiceReference, c.ContractNumber,
					c.ReporterName, sv.Phone(c.ReporterPhone), sv.DateTime(c.CompletedAt),
					strconv.Itoa(c.VisibleActions), sv.Amount(c.Costs[0]), sv.Amount(c.Costs[1]), sv.Amount(c.Costs[2]),
					sv.Amount(c.Costs[3]), sv.Amount(repair.CostTotal(c.Costs)),
				)
				if err := ew.Row(row...); err != nil {
					return err
				}
			}
			n += len(res.Cases)
			if res.Next == "" {
				break
			}
			filter.Cursor = res.Next
			collectExportGarbage(n, len(res.Cases))
		}
		return ew.Close()
	}
}

// exportAssets writes the customer's machines matching the Objekt
// search (up to maxExportRows) as CSV or Excel.
func (s *server) exportAssets(format string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		q := truncate(strings.TrimSpace(r.URL.Query().Get("q")), 100)
		scope := repair.ScopeFor(userOf(r))
		ew, err := newExport(w, format, "objekt", "Objekt", []string{"Objektnummer", "Maskin", "Fabrikat", "Modell",
			"Serienummer", "Kund", "Gata", "Postnr", "Ort", "Placering", "Avtal", "Installerad"}, s.db.Now())
		if err != nil {
			return err
		}
		defer ew.Abort()
		// A page at a time, as exportCases.
		after := ""
		for n := 0; n < maxExportRows; {
			as, err := s.db.SearchAssetsAfter(r.Context(), scope, q, after, min(exportPage, maxExportRows-n))
			if err != nil {
				return err
			}
			for _, a := range as {
				if err := ew.Row(a.Number, a.Kind, a.Brand, a.Model, a.SerialNumber,
					a.SiteName, a.Street, a.PostalCode, a.City, a.Location, a.ContractNumber, a.InstalledOn); err != nil {
					return err
				}
			}
			if len(as) < exportPage {
				break
			}
			n += len(as)
			after = as[len(as)-1].Number
			collectExportGarbage(n, len(as))
		}
		return ew.Close()
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
		ew, err := newExport(w, format, "objekt-"+a.Number, "Objekt "+a.Number, []string{"Ärende", "Registrerad",
			"Ort / Titel", "Status", "Utförd", "Fakturamärkning", "Arbete", "Reservdelar", "Resor", "Avgifter",
			"Totalt ex moms"}, s.db.Now())
		if err != nil {
			return err
		}
		defer ew.Abort()
		for _, c := range cases {
			if err := ew.Row(c.Number, sv.DateTime(c.RegisteredAt), c.Title, c.Status.Label(), sv.DateTime(c.CompletedAt),
				c.InvoiceReference, sv.Amount(c.Costs[0]), sv.Amount(c.Costs[1]), sv.Amount(c.Costs[2]), sv.Amount(c.Costs[3]),
				sv.Amount(repair.CostTotal(c.Costs))); err != nil {
				return err
			}
		}
		return ew.Close()
	}
}

// writeTable sends t, a small table held in memory, as a download named
// after base and the day, as CSV or Excel.
func writeTable(w http.ResponseWriter, t export.Table, base string, now time.Time, format string) error {
	setDownload(w, base, now, format)
	if format == "csv" {
		return export.WriteCSV(w, t)
	}
	return export.WriteXLSX(w, t)
}

// newExport sets the headers of a download named after base and the day
// and returns a writer of format, "csv" or "xlsx", for its rows.
//
// The headers are set before the first byte, and the writer buffers (CSV
// the first 64 KB, XLSX everything until Close), so an error early on
// still becomes a clean error page. An error after the first byte cannot:
// the handler returns it and handle aborts the response (see handle), so
// the download fails instead of ending short.
func newExport(w http.ResponseWriter, format, base, sheet string, header []string, now time.Time) (export.Writer, error) {
	ew, err := export.New(w, format, sheet, header)
	if err != nil {
		return nil, err
	}
	setDownload(w, base, now, format)
	return ew, nil
}

// setDownload sets the headers of a download in format named after base
// and the day.
func setDownload(w http.ResponseWriter, base string, now time.Time, format string) {
	name := export.Filename(base, now.In(repair.Stockholm), format)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("Cache-Control", "private, no-store")
	if format == "csv" {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	} else {
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	}
}
