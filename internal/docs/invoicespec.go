package docs

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"kundportal/internal/sv"
)

// InvoiceSpec is an invoice specification (Fakturaspecifikation): what an
// invoice, a credit note or the coming invoicing holds, case by case and
// grouped by Fakturamärkning, with each group's subtotal and the totals.
// Amounts are in öre excluding VAT unless named otherwise. The document
// prints the amounts it is given and never recomputes them, so that the
// paper says what the invoice says.
type InvoiceSpec struct {
	Company Company
	FSkatt  bool // the company is approved for F-skatt; printed with its details
	// Title names the document: "Faktura 100012", "Kreditfaktura 100020",
	// "Fakturaspecifikation 2026-03", "Kommande fakturering". It is also
	// the footer's label and the PDF's title; empty is "Fakturaspecifikation".
	Title string
	// Facts are shown in a box at the top right: Fakturadatum,
	// Förfallodatum, Period, Kundnummer, Avser faktura … At most
	// maxFacts are shown.
	Facts    []Fact
	Customer string // the customer's name, the first line of the address block
	// InvoiceAddress is printed line by line as given, in the window of a
	// window envelope; a first line equal to Customer is not repeated. At
	// most maxAddressLines are shown.
	InvoiceAddress string
	Groups         []SpecGroup // in the order printed; none prints "Inga rader."
	Totals         *SpecTotals // nil when totals mean nothing, as for a list of coming work
	Note           string      // optional text under the title; may hold line breaks
	// At is the document's date, used as the PDF's creation date; it is
	// required because fpdf would put the clock there instead.
	At time.Time
}

// Fact is one label and value in a specification's fact box.
type Fact struct{ Label, Value string }

// SpecGroup is the cases of one Fakturamärkning with their subtotal.
type SpecGroup struct {
	Reference   string // Fakturamärkning; "" prints as "Utan fakturamärkning"
	Cases       []SpecCase
	SubtotalOre int64 // ex VAT
}

// SpecCase is one case's row in a specification.
type SpecCase struct {
	Number      string // Ärendenummer: "2026-00042"
	CompletedOn string // "2026-03-12", as it should print
	City, Title string // printed together in the "Ort / Titel" column: "Skövde / Diskmaskin läcker"
	Asset       string // the machine's asset number
	Street      string
	// WorkOrders are the case's work orders, "2026-00042-1, 2026-00042-2";
	// a number that starts with the case number prints as its suffix
	// ("1, 2"), which is all the narrow AO column has room for.
	WorkOrders  string
	LabourMilli int64 // hours of labour in thousandths: 1500 is 1,5 h
	LabourOre   int64
	PartsOre    int64
	TravelOre   int64
	FeesOre     int64
	TotalOre    int64 // the row's sum ex VAT
}

// SpecTotals are the totals a specification ends with.
type SpecTotals struct {
	ByRate      []RateTotal // one VAT line per rate, in the order printed
	NetOre      int64       // Summa ex moms
	VATOre      int64       // the VAT of all rates; printed as one line only when ByRate is empty
	RoundingOre int64       // Öresavrundning
	ToPayOre    int64       // Att betala, incl. VAT
	// Summary is set for a specification that is not an invoice (a
	// month's work, the work still to be invoiced): it ends in the total
	// with VAT, with no rounding and nothing to pay.
	Summary bool
}

// RateTotal is the VAT at one rate: "Moms 25 % på 1 234,50 kr".
type RateTotal struct {
	Label     string // the rate as printed: "25 %"
	AmountOre int64  // the amount ex VAT the rate applies to
	VATOre    int64
}

// The address block and the fact box are meant for a few lines; an input
// with more is cut rather than let them run into the table below.
const (
	maxAddressLines = 8
	maxFacts        = 10
)

// Validate checks what a specification cannot do without: its date. It
// returns the first problem.
func (s InvoiceSpec) Validate() error {
	if s.At.IsZero() {
		return fmt.Errorf("docs: invoice specification %q: no date", s.Title)
	}
	return nil
}

// RenderInvoiceSpec writes s as an A4 PDF to w: the company's letterhead,
// the customer's invoice address where a window envelope shows it, the
// fact box, the title and note, then one table per Fakturamärkning with
// its subtotal, and the totals. Tables continue on further pages with
// their header repeated, rows are never split, and every page ends with
// "<Title> · Sida n av N".
//
// It returns an error, and writes nothing, if s does not pass Validate.
// The output depends on s alone: the same specification gives the same
// bytes.
func RenderInvoiceSpec(w io.Writer, s InvoiceSpec) error {
	if err := s.Validate(); err != nil {
		return err
	}
	if err := output(w, func() *fpdf.Fpdf { return layoutInvoiceSpec(s) }); err != nil {
		return fmt.Errorf("docs: invoice specification %q: %w", s.Title, err)
	}
	return nil
}

// specTitle is the title printed, in the footer too.
func (s InvoiceSpec) specTitle() string {
	if t := line(s.Title); t != "" {
		return t
	}
	return "Fakturaspecifikation"
}

func layoutInvoiceSpec(s InvoiceSpec) *fpdf.Fpdf {
	title := s.specTitle()
	p := &page{Fpdf: newPDF(title, s.Company.Name, s.At)}
	p.AddPage()
	p.header = func() {
		p.font("B", 10)
		p.textColor(rgb{})
		p.SetX(marginLeft)
		p.cell(100, 6, s.Company.Name, "L", false)
		p.cell(0, 6, title+" (forts.)", "R", true)
		rule(p, blue, 0.4)
		p.SetY(p.GetY() + 3)
	}
	specLetterhead(p, s.Company, s.FSkatt)
	top := p.GetY() + 4
	bottom := max(addressBlock(p, top, s.Customer, s.InvoiceAddress), factBox(p, top, s.Facts))

	p.SetXY(marginLeft, bottom+7)
	p.font("B", 14)
	p.textColor(blue)
	p.cell(textWidth, 7, title, "L", true)
	p.textColor(rgb{})
	if strings.TrimSpace(s.Note) != "" {
		p.SetY(p.GetY() + 0.5)
		p.font("", 9)
		p.textColor(grey)
		paragraph(p, s.Note, detailH)
		p.textColor(rgb{})
	}

	for _, g := range s.Groups {
		specGroupTable(p, g)
	}
	if len(s.Groups) == 0 {
		p.SetY(p.GetY() + 4)
		p.font("", 9)
		p.SetX(marginLeft)
		p.cell(textWidth, rowH, "Inga rader.", "L", true)
	}
	if s.Totals != nil {
		specTotals(p, *s.Totals)
	}
	p.footers(title)
	return p.Fpdf
}

// specLetterhead draws the company's name and details over a rule, as the
// delivery note's letterhead does.
func specLetterhead(p *page, c Company, fSkatt bool) {
	p.textColor(rgb{})
	p.font("B", 15)
	p.SetX(marginLeft)
	p.cell(textWidth, 7, c.Name, "L", true)
	var details []string
	for _, d := range []string{orEmpty("Tel ", sv.Phone(c.Phone)), orEmpty("Org.nr ", c.OrgNumber)} {
		if d != "" {
			details = append(details, d)
		}
	}
	if fSkatt {
		details = append(details, "Godkänd för F-skatt")
	}
	p.font("", 8.5)
	p.textColor(grey)
	for _, l := range []string{c.Address, strings.Join(details, " · ")} {
		p.SetX(marginLeft)
		p.cell(textWidth, detailH, l, "L", true)
	}
	p.textColor(rgb{})
	p.SetY(p.GetY() + 2)
	rule(p, blue, 0.6)
}

// Where the address block stands: inside the window of a C5 or C4
// window envelope (SS 03 33 61 / DIN 5008), 20 mm from the paper's left
// edge and 50 mm from its top, 85 mm wide.
const (
	addressX = 20.0
	addressY = 50.0
	addressW = 85.0
	addressH = 4.6 // line height
)

// addressBlock prints the customer's name and invoice address in the
// envelope's window, no higher than top, and returns the y below it.
func addressBlock(p *page, top float64, customer, address string) float64 {
	lines := strings.Split(printable(strings.TrimSpace(address)), "\n")
	if len(lines) > 0 && line(lines[0]) == line(customer) {
		lines = lines[1:]
	}
	lines = lines[:min(len(lines), maxAddressLines)]
	// fpdf's cell padding would push the text right of the window's edge.
	x := addressX - cellMargin
	p.SetXY(x, max(top, addressY))
	p.textColor(rgb{})
	p.font("B", 10)
	p.cell(addressW, addressH, customer, "L", true)
	p.font("", 10)
	for _, l := range lines {
		p.SetX(x)
		p.cell(addressW, addressH, l, "L", true)
	}
	return p.GetY()
}

// Fact box geometry: the right-hand column beside the address window.
const (
	factX      = 116.0
	factW      = marginLeft + textWidth - factX // to the right margin, 76 mm
	factLabelW = 30.0
	factLineH  = 4.8
	factPad    = 2.0
)

// factBox draws the facts, label and value, on a tinted box at the top
// right, and returns the y below it; with no facts it draws nothing.
func factBox(p *page, top float64, facts []Fact) float64 {
	facts = facts[:min(len(facts), maxFacts)]
	if len(facts) == 0 {
		return top
	}
	// The first fact stands level with the customer's name.
	top = max(top, addressY-factPad)
	h := float64(len(facts))*factLineH + 2*factPad
	p.fillColor(lightFill)
	p.Rect(factX, top, factW, h, "F")
	p.textColor(rgb{})
	for i, f := range facts {
		p.SetXY(factX+factPad-cellMargin, top+factPad+float64(i)*factLineH)
		p.font("B", 8)
		p.cell(factLabelW, factLineH, f.Label, "L", false)
		p.font("", 9)
		p.cell(factW-factLabelW-2*factPad+2*cellMargin, factLineH, f.Value, "L", false)
	}
	return top + h
}

// The specification table is set smaller than the delivery note's, so
// that its twelve columns fit a portrait page; the widths hold a case
// number, a date, a part of a case up to 9 999,99 and a case's sum up to
// 99 999,99 at specSize. Amounts that are wider still are set smaller
// rather than shortened: a number must never lose digits.
const (
	specSize    = 7.0 // pt, the rows
	specHeadPt  = 6.5 // pt, the header
	specLineH   = 3.4 // one line of a row
	specPad     = 0.5 // above and below a row's lines
	specHeadLnH = 3.1 // one line of the header
	specHeadH   = 2*specHeadLnH + 1
	specTotalH  = 5.0 // a subtotal row
	specMaxRows = 2   // lines a wrapping cell may take
	minNumSize  = 4.5 // pt; the smallest an amount is set
	// subtotalW is the room of a group's subtotal, right-aligned under the
	// last column but wider than it: a group's sum has more digits than a
	// case's.
	subtotalW = 24.0
)

// specCol is one column of the specification table. The header has one
// or two lines, set at the bottom of the band.
type specCol struct {
	head  []string
	width float64
	right bool // an amount or quantity: right-aligned, set smaller rather than cut
	wrap  bool // up to specMaxRows lines, the last shortened with "…"
}

var specCols = []specCol{
	{head: []string{"Ärende"}, width: 17.5},
	{head: []string{"Utfört"}, width: 16.5},
	{head: []string{"Ort / Titel"}, width: 24.5, wrap: true},
	{head: []string{"Objekt"}, width: 11.5},
	{head: []string{"Gata"}, width: 20, wrap: true},
	{head: []string{"AO"}, width: 7, wrap: true},
	// "Arbete" is wider than the hours need; as a top line it may reach
	// over the AO column's header, whose one line is at the bottom.
	{head: []string{"Arbete", "h"}, width: 9, right: true},
	{head: []string{"Arbete"}, width: 13, right: true},
	{head: []string{"Reserv-", "delar"}, width: 13.5, right: true},
	{head: []string{"Resor"}, width: 13, right: true},
	{head: []string{"Avgifter"}, width: 13, right: true},
	{head: []string{"Summa", "ex moms"}, width: 15.5, right: true},
}

// specCells are a case's values, one per specCols entry.
func specCells(c SpecCase) []string {
	hours := ""
	if c.LabourMilli != 0 {
		hours = sv.Quantity(c.LabourMilli)
	}
	place := c.Title
	if strings.TrimSpace(c.City) != "" && strings.TrimSpace(c.Title) != "" {
		place = c.City + " / " + c.Title
	} else if strings.TrimSpace(c.City) != "" {
		place = c.City
	}
	return []string{
		c.Number, c.CompletedOn, place, c.Asset, c.Street, workOrderSuffixes(c.Number, c.WorkOrders),
		hours, sv.Amount(c.LabourOre), sv.Amount(c.PartsOre), sv.Amount(c.TravelOre), sv.Amount(c.FeesOre),
		sv.Amount(c.TotalOre),
	}
}

// workOrderSuffixes shortens "2026-00042-1, 2026-00042-2" of case
// 2026-00042 to "1, 2"; numbers of another form print as given.
func workOrderSuffixes(caseNumber, wos string) string {
	var out []string
	for _, wo := range strings.Split(wos, ",") {
		wo = strings.TrimSpace(wo)
		if caseNumber != "" && strings.HasPrefix(wo, caseNumber+"-") && len(wo) > len(caseNumber)+1 {
			wo = wo[len(caseNumber)+1:]
		}
		if wo != "" {
			out = append(out, wo)
		}
	}
	return strings.Join(out, ", ")
}

// groupName is a group's Fakturamärkning as its heading prints it.
func groupName(g SpecGroup) string {
	if r := line(g.Reference); r != "" {
		return "Fakturamärkning: " + r
	}
	return "Utan fakturamärkning"
}

// groupSum is the label of a group's subtotal row.
func groupSum(g SpecGroup) string {
	if r := line(g.Reference); r != "" {
		return "Summa " + r
	}
	return "Summa utan fakturamärkning"
}

// specGroupTable draws one Fakturamärkning: its heading, its cases and its
// subtotal. A page break repeats the heading, marked "(forts.)", and the
// table header; the last case is kept with the subtotal.
func specGroupTable(p *page, g SpecGroup) {
	rows := make([][][]string, len(g.Cases))
	for i, c := range g.Cases {
		rows[i] = specRow(p, specCells(c))
	}
	first := specTotalH
	if len(rows) > 0 {
		first = rowHeight(rows[0])
		if len(rows) == 1 {
			first += specTotalH
		}
	}
	section(p, groupName(g), specHeadH+first)
	specHead(p)
	need := func(h float64) {
		if p.ensure(h) {
			p.font("B", 8.5)
			p.textColor(blue)
			p.SetX(marginLeft)
			p.cell(textWidth, 5, groupName(g)+" (forts.)", "L", true)
			p.textColor(rgb{})
			specHead(p)
		}
	}
	for i, r := range rows {
		h := rowHeight(r)
		if i == len(rows)-1 {
			need(h + specTotalH)
		} else {
			need(h)
		}
		drawSpecRow(p, r, h)
	}
	if len(rows) == 0 {
		need(specTotalH)
	}
	p.drawColor(rgb{})
	p.SetLineWidth(0.25)
	y := p.GetY() + 0.3
	p.Line(marginLeft, y, marginLeft+textWidth, y)
	p.SetXY(marginLeft, y+0.2)
	p.font("B", 7.5)
	p.cell(textWidth-subtotalW, specTotalH-0.5, groupSum(g), "R", false)
	p.amount(subtotalW, specTotalH-0.5, sv.Amount(g.SubtotalOre), "B", 7.5)
	p.SetXY(marginLeft, y+specTotalH)
}

// specRow lays a row's values out in the table font: one line per cell,
// or up to specMaxRows in wrapping columns.
func specRow(p *page, values []string) [][]string {
	p.font("", specSize)
	cells := make([][]string, len(specCols))
	for i, c := range specCols {
		switch {
		case c.right:
			cells[i] = []string{line(values[i])}
		case c.wrap:
			ls := p.wrap(values[i], c.width)
			if len(ls) > specMaxRows {
				ls = append(ls[:specMaxRows-1], p.fit(strings.Join(ls[specMaxRows-1:], " "), c.width))
			}
			cells[i] = ls
		default:
			cells[i] = []string{p.fit(line(values[i]), c.width)}
		}
	}
	return cells
}

// rowHeight is the height of a laid-out row.
func rowHeight(cells [][]string) float64 {
	n := 1
	for _, c := range cells {
		n = max(n, len(c))
	}
	return float64(n)*specLineH + 2*specPad
}

// specHead draws the column titles on a tinted band, bottom-aligned.
func specHead(p *page) {
	y := p.GetY()
	p.fillColor(lightFill)
	p.Rect(marginLeft, y, textWidth, specHeadH, "F")
	p.font("B", specHeadPt)
	p.textColor(rgb{})
	x := marginLeft
	for _, c := range specCols {
		align := "L"
		if c.right {
			align = "R"
		}
		for j, l := range c.head {
			// Not fitted: the titles are fixed, and TestSpecColumnsFit
			// checks that each has room.
			p.SetXY(x, y+0.5+float64(2-len(c.head)+j)*specHeadLnH)
			p.CellFormat(c.width, specHeadLnH, l, "", 0, align, false, 0, "")
		}
		x += c.width
	}
	p.SetXY(marginLeft, y+specHeadH)
}

// drawSpecRow draws a laid-out row h high at the current y, with a faint
// rule under it.
func drawSpecRow(p *page, cells [][]string, h float64) {
	y := p.GetY()
	x := marginLeft
	p.textColor(rgb{})
	for i, c := range specCols {
		for j, l := range cells[i] {
			p.SetXY(x, y+specPad+float64(j)*specLineH)
			if c.right {
				p.amount(c.width, specLineH, l, "", specSize)
				continue
			}
			p.font("", specSize)
			p.CellFormat(c.width, specLineH, l, "", 0, "L", false, 0, "")
		}
		x += c.width
	}
	p.drawColor(rgb{215, 215, 215})
	p.SetLineWidth(0.1)
	p.Line(marginLeft, y+h, marginLeft+textWidth, y+h)
	p.SetXY(marginLeft, y+h)
}

// amount writes a number right-aligned in a cell w wide, set in the given
// style at size points, or smaller, down to minNumSize, if it would not
// fit: shortening it with "…" would change its value.
func (p *page) amount(w, h float64, s, style string, size float64) {
	s = line(s)
	p.font(style, size)
	for sz := size; p.GetStringWidth(s) > w-2*cellMargin && sz > minNumSize; {
		sz = max(sz-0.5, minNumSize)
		p.font(style, sz)
	}
	p.CellFormat(w, h, s, "", 0, "R", false, 0, "")
	p.font(style, size)
}

// specTotals draws the totals at the right, kept together on one page:
// the net, the VAT of each rate on its base, the rounding and, in bold,
// the amount to pay.
func specTotals(p *page, t SpecTotals) {
	type sum struct {
		label, value string
		bold         bool
	}
	rows := []sum{{"Summa ex moms", sv.Money(t.NetOre), false}}
	for _, r := range t.ByRate {
		rows = append(rows, sum{"Moms " + line(r.Label) + " på " + sv.Money(r.AmountOre), sv.Money(r.VATOre), false})
	}
	if len(t.ByRate) == 0 {
		rows = append(rows, sum{"Moms", sv.Money(t.VATOre), false})
	}
	if t.Summary {
		rows = append(rows, sum{"Summa inkl. moms", sv.Money(t.NetOre + t.VATOre), true})
	} else {
		rows = append(rows,
			sum{"Öresavrundning", sv.Money(t.RoundingOre), false},
			sum{"Att betala", sv.Money(t.ToPayOre), true})
	}
	const labelW, valueW, lineH = 66.0, 32.0, 5.0
	p.ensure(6 + float64(len(rows))*lineH + 2)
	p.SetY(p.GetY() + 6)
	x := marginLeft + textWidth - labelW - valueW
	for _, r := range rows {
		style, size := "", 9.0
		if r.bold {
			p.drawColor(rgb{})
			p.SetLineWidth(0.3)
			p.Line(x, p.GetY()+0.5, marginLeft+textWidth, p.GetY()+0.5)
			p.SetY(p.GetY() + 1.5)
			style, size = "B", 10.5
		}
		p.font(style, size)
		p.SetX(x)
		p.cell(labelW, lineH, r.label, "R", false)
		p.amount(valueW, lineH, r.value, style, size)
		p.Ln(lineH)
	}
}
