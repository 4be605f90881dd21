package web

import (
	"html/template"
	"strconv"
	"strings"

	"kundportal/internal/repair"
	"kundportal/internal/sv"
)

// A case page shows some 150 values (the case's fields, its status
// history, its work orders' actions and costs, its files), and as
// template pipelines html/template ran each through its escaper by
// reflection: 46 % of the page's CPU (BenchmarkPagesOnData/arenden).
// Written here into strings instead, as Sök ärende's rows are (see
// caserows.go), every value escaped. The markup is what the partials
// wrote; TestCaseHTMLEscapes holds it to that.

// Fields is the case's fields, one "<div><dt>…</dt><dd>…</dd></div>"
// line each, for the facts' <dl>.
func (v caseFactsView) Fields() template.HTML {
	c := v.Case
	esc := template.HTMLEscapeString
	var b strings.Builder
	b.Grow(1500 + len(c.Description))
	field := func(label, value string) {
		b.WriteString("  <div><dt>" + label + "</dt><dd>" + value + "</dd></div>\n")
	}
	field("Ort / Titel", esc(c.Title))
	b.WriteString(`  <div class="wide"><dt>Beskrivning</dt><dd class="pre">` + esc(c.Description) + "</dd></div>\n")
	switch {
	case c.AssetID == 0:
		field("Objekt", "–")
	case v.AssetURL != "":
		field("Objekt", `<a href="`+esc(v.AssetURL)+`">`+esc(c.AssetNumber)+`</a>`)
	default:
		field("Objekt", esc(c.AssetNumber))
	}
	field("Typ", esc(c.Type))
	field("Kund", esc(c.SiteName))
	field("Gata", esc(c.Street))
	field("Anmälare", esc(c.ReporterName))
	field("Tel anmälare", esc(sv.Phone(c.ReporterPhone)))
	field("Tel 1 kund", esc(sv.Phone(c.SitePhone1)))
	field("Tel 2 kund", esc(sv.Phone(c.SitePhone2)))
	field("Postnr / ort", esc(c.PostalCode)+" "+esc(c.City))
	// Huvudnyckel: in full once asked for, else as stored (masked where
	// sealed), with the button to ask for readers who may.
	b.WriteString(`  <div><dt>Huvudnyckel</dt><dd data-testid="case-access">`)
	if v.Access != "" {
		b.WriteString("<strong>" + esc(v.Access) + "</strong>")
	} else {
		b.WriteString(esc(c.Access))
	}
	if v.RevealURL != "" && c.Access != "" && v.Access == "" {
		b.WriteString("\n    " + `<form method="post" action="` + esc(v.RevealURL) + `" class="inline-form"><button type="submit" class="link" data-testid="reveal-access">Visa</button></form>`)
	}
	b.WriteString("</dd></div>\n")
	field("Avtal", esc(c.ContractNumber))
	field("Fakturamärkning", esc(c.InvoiceReference))
	field("Registrerad", esc(sv.DateTime(c.RegisteredAt)))
	done := "–"
	if !c.CompletedAt.IsZero() {
		done = esc(sv.DateTime(c.CompletedAt))
	}
	field("Utförd", done)
	return template.HTML(b.String()) //nolint:gosec // every value is escaped
}

// HistoryItems is the case's status history, one <li> a change.
func (v caseFactsView) HistoryItems() template.HTML {
	esc := template.HTMLEscapeString
	var b strings.Builder
	b.Grow(120 * len(v.History))
	for _, h := range v.History {
		b.WriteString(`<li><span class="status s-` + esc(string(h.Status)) + `">` + esc(h.Status.Label()) + `</span> <time>` + esc(sv.DateTime(h.ChangedAt)) + `</time>`)
		if h.ChangedBy != "" {
			b.WriteString(" · " + esc(h.ChangedBy))
		}
		if h.Note != "" {
			b.WriteString(" – " + esc(h.Note))
		}
		b.WriteString("</li>")
	}
	return template.HTML(b.String()) //nolint:gosec // every value is escaped
}

// ActionRows is the work order's actions, one <tr> each.
func (wo workOrderView) ActionRows() template.HTML {
	esc := template.HTMLEscapeString
	var b strings.Builder
	b.Grow(220 * len(wo.Actions))
	for _, a := range wo.Actions {
		b.WriteString(`<tr><td data-label="Datum">` + esc(a.PerformedOn) + `</td><td data-label="Tekniker">` + esc(a.TechnicianName) + `</td>`)
		b.WriteString(`<td data-label="Åtgärd">` + esc(a.Description) + `</td><td class="num" data-label="Tid">` + esc(sv.Minutes(a.Minutes)) + `</td></tr>`)
	}
	return template.HTML(b.String()) //nolint:gosec // every value is escaped
}

// CostRows is the work order's cost lines, one <tr> each.
func (wo workOrderView) CostRows() template.HTML {
	esc := template.HTMLEscapeString
	var b strings.Builder
	b.Grow(300 * len(wo.Costs))
	for _, l := range wo.Costs {
		b.WriteString(`<tr><td data-label="Typ">` + esc(l.Kind.Label()) + `</td><td data-label="Beskrivning">` + esc(l.Description))
		if l.Article != "" {
			b.WriteString(` <span class="muted">(` + esc(l.Article) + `)</span>`)
		}
		b.WriteString(`</td><td class="num" data-label="Antal">` + esc(sv.Quantity(l.QuantityMilli)) + `</td>`)
		b.WriteString(`<td class="num" data-label="À-pris">` + esc(sv.Money(l.UnitPriceOre)) + `</td>`)
		b.WriteString(`<td class="num" data-label="Belopp exkl. moms">` + esc(sv.Money(l.AmountOre)) + `</td></tr>`)
	}
	return template.HTML(b.String()) //nolint:gosec // every value is escaped
}

// fileItems is a case's files, one <li> each: a thumbnail for an image,
// the link, and what the file is.
func fileItems(files []repair.File) template.HTML {
	esc := template.HTMLEscapeString
	var b strings.Builder
	b.Grow(300 * len(files))
	for _, f := range files {
		href := "/filer/" + strconv.FormatInt(f.ID, 10)
		b.WriteString("<li>")
		if strings.HasPrefix(f.ContentType, "image/") {
			src := href
			if f.ThumbSHA256 != "" {
				src += "/miniatyr"
			}
			b.WriteString(`<a href="` + href + `" class="thumb"><img src="` + src + `" alt="Foto: ` + esc(f.Name) + `" loading="lazy" width="160"></a>`)
		}
		note := f.Kind == repair.FileDeliveryNote
		b.WriteString(`<a href="` + href + `"`)
		if note {
			b.WriteString(` data-testid="delivery-note">Öppna fil signatur: `)
		} else {
			b.WriteString(">")
		}
		b.WriteString(esc(f.Name) + `</a> <span class="muted">· ` + esc(f.Kind.Label()) + ` · ` + esc(sv.Bytes(f.Size)) + ` · ` + esc(sv.Date(f.CreatedAt)) + `</span></li>`)
	}
	return template.HTML(b.String()) //nolint:gosec // every value is escaped
}
