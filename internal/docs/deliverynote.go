package docs

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"kundportal/internal/repair"
	"kundportal/internal/sv"
)

// DeliveryNote is everything a signed delivery note (Följesedel) shows: who
// did the work, for whom and on which machine, what was done and used, and
// the customer's signature. Amounts are in öre excluding VAT; times are
// shown in Swedish time. Empty text fields are shown as "–" or left out.
type DeliveryNote struct {
	Company         Company
	CaseNumber      string // "2026-00042"; required
	WorkOrderNumber string // "2026-00042-1", the visit that completed the job
	CaseType        string // "Serviceanmälan", "Garantiärende", …

	Customer         string // the customer's name: "Solgårdens Bostäder AB"
	Site             string // where the machine stands: "Tvättstuga Hertig Johans gata 12"
	Street           string
	PostalCode       string // "541 30"
	City             string
	InvoiceReference string // Fakturamärkning
	ContractNumber   string // the service agreement the prices follow; empty for the price list

	Machine    Machine
	Fault      Fault
	Technician string // who did the work and stood beside the customer when they signed
	// StartedAt and FinishedAt are when the visit began and ended on site;
	// either may be zero.
	StartedAt, FinishedAt time.Time

	Actions []NoteAction // customer-visible actions, in the order they are shown
	Lines   []NoteLine   // customer-visible material, time and travel

	SignerName string    // who signed, as they typed or said it; required unless Unsigned
	SignedAt   time.Time // required; also the PDF's creation date
	Signature  Signature // required unless Unsigned
	// Unsigned, when set, says why the customer did not sign on the screen
	// ("Kunden avböjde att skriva under."); the box shows it instead of a
	// signature.
	Unsigned string
	// PaperPhoto, a JPEG or PNG, is a photo of a paper the customer signed
	// instead of the screen; the box shows it.
	PaperPhoto []byte

	// Version counts the work order's delivery notes, 1 for the first; a
	// later one is a correction and Replaces names the one it replaces.
	Version  int
	Replaces string
	// Fingerprint is the SHA-256 of the frozen record the note was made
	// from, printed so that the paper and the record can be compared.
	Fingerprint string
}

// Company is the repair company that issues a document.
type Company struct {
	Name      string // "Skaraborgs Vitvaruservice AB"
	Address   string // one line: "Industrigatan 8, 541 37 Skövde"
	Phone     string // E.164 as stored, "+46500441200"; shown as "0500-44 12 00"
	OrgNumber string // "556789-0123"
}

// Machine is the machine a job was done on. It may be all empty: a fault
// can be reported without choosing a machine.
type Machine struct {
	AssetNumber  string // the company's number on the machine's label
	Kind         string // "Tvättmaskin"
	Brand        string
	Model        string
	SerialNumber string // tillverkningsnummer
}

// Fault is the fault as it was reported, before anyone looked at it.
type Fault struct {
	Title       string
	Description string // may hold line breaks, which are kept
	ReportedBy  string
	ReportedAt  time.Time
}

// NoteAction is one action on a delivery note.
type NoteAction struct {
	Date        time.Time // the day it was done; shown as a date in Swedish time
	Technician  string
	Description string // may be long; it wraps
	Minutes     int
}

// NoteLine is one line of material, time or travel on a delivery note.
type NoteLine struct {
	Article       string // article number; empty for time and travel
	Description   string
	QuantityMilli int64  // thousandths, as repair.CostLine: 1500 is 1,5
	Unit          string // "st", "h"; may be empty
	UnitPriceOre  int64  // ex VAT
	AmountOre     int64  // ex VAT, as stored: the note prints it, never recomputes it
}

// Validate checks what a delivery note cannot do without: a case number,
// and a signature, a signer's name and a signing time, without which it is
// not signed (ErrUnsigned). It returns the first problem.
func (n DeliveryNote) Validate() error {
	var err error
	switch {
	case strings.TrimSpace(n.CaseNumber) == "":
		err = errors.New("no case number")
	case n.Unsigned != "" && n.SignedAt.IsZero():
		err = errors.New("no time")
	case n.Unsigned != "":
	case strings.TrimSpace(n.SignerName) == "":
		err = fmt.Errorf("%w: no signer name", ErrUnsigned)
	case n.SignedAt.IsZero():
		err = fmt.Errorf("%w: no signing time", ErrUnsigned)
	default:
		err = n.Signature.Validate()
	}
	if err != nil {
		return fmt.Errorf("docs: delivery note%s: %w", orEmpty(" ", n.CaseNumber), err)
	}
	return nil
}

// totals sums the lines: the amount ex VAT, the VAT on it (25 %, rounded
// once on the sum, as repair.VAT does for every total the portal shows)
// and the amount to pay.
func (n DeliveryNote) totals() (net, vat, gross int64) {
	for _, l := range n.Lines {
		net += l.AmountOre
	}
	vat = repair.VAT(net)
	return net, vat, net + vat
}

// RenderDeliveryNote writes n as an A4 PDF to w: the company and the
// document's numbers at the top, the customer and the machine, the fault as
// reported, the actions, the material and time with totals ex and incl.
// VAT, and the signature box with the customer's signature, name and the
// time of signing. Long lists continue on further pages, with the table
// headers repeated and "Sida n av N" at the foot of every page.
//
// It returns an error, and writes nothing, if n does not pass Validate.
// The output depends on n alone: the same note gives the same bytes.
func RenderDeliveryNote(w io.Writer, n DeliveryNote) error {
	if err := n.Validate(); err != nil {
		return err
	}
	if err := output(w, func() *fpdf.Fpdf { return layoutDeliveryNote(n) }); err != nil {
		return fmt.Errorf("docs: delivery note %s: %w", n.CaseNumber, err)
	}
	return nil
}

// Row heights in millimetres.
const (
	rowH    = 5.0 // one line of table text at 9 pt
	headH   = 5.5 // a table header
	detailH = 4.5 // the small print of the letterhead and signature block
)

func layoutDeliveryNote(n DeliveryNote) *fpdf.Fpdf {
	p := &page{Fpdf: newPDF("Följesedel "+n.CaseNumber, n.Company.Name, n.SignedAt)}
	p.AddPage()
	letterhead(p, n)
	// Later pages repeat who and what the note is, so that a loose
	// second page still says which job it belongs to.
	p.header = func() {
		p.font("B", 10)
		p.textColor(rgb{})
		p.cell(110, 6, n.Company.Name, "L", false)
		p.cell(0, 6, "Följesedel "+n.CaseNumber+" (forts.)", "R", true)
		rule(p, blue, 0.4)
		p.SetY(p.GetY() + 3)
	}
	parties(p, n)
	fault(p, n.Fault)
	actions(p, n.Actions)
	lines(p, n)
	signatureBlock(p, n)
	p.footers("Följesedel " + n.CaseNumber + orEmpty(" · Arbetsorder ", n.WorkOrderNumber))
	return p.Fpdf
}

// letterhead draws the company on the left and the document on the right.
func letterhead(p *page, n DeliveryNote) {
	p.textColor(rgb{})
	p.font("B", 15)
	p.cell(110, 7, n.Company.Name, "L", false)
	p.font("B", 17)
	p.cell(0, 7, "FÖLJESEDEL", "R", true)

	contact := orEmpty("Tel ", sv.Phone(n.Company.Phone))
	if n.Company.OrgNumber != "" {
		contact = strings.TrimPrefix(contact+" · Org.nr "+n.Company.OrgNumber, " · ")
	}
	left := []string{n.Company.Address, contact, ""}
	right := []string{
		"Ärende " + n.CaseNumber,
		orEmpty("Arbetsorder ", n.WorkOrderNumber),
		"Datum " + sv.Date(n.SignedAt),
	}
	if visit := visitTimes(n.StartedAt, n.FinishedAt); visit != "" {
		left, right = append(left, ""), append(right, "Besök "+visit)
	}
	p.font("", 8.5)
	p.textColor(grey)
	for i := range left {
		p.cell(110, detailH, left[i], "L", false)
		p.cell(0, detailH, right[i], "R", true)
	}
	p.textColor(rgb{})
	p.SetY(p.GetY() + 2)
	rule(p, blue, 0.6)
	p.SetY(p.GetY() + 4)
}

// rule draws a horizontal line across the text width at the current y.
func rule(p *page, c rgb, width float64) {
	p.drawColor(c)
	p.SetLineWidth(width)
	y := p.GetY()
	p.Line(marginLeft, y, marginLeft+textWidth, y)
}

// parties shows the customer and the machine side by side.
func parties(p *page, n DeliveryNote) {
	m := n.Machine
	left := [][2]string{
		{"Kund", n.Customer},
		{"Plats", n.Site},
		{"Adress", n.Street},
		{"", strings.TrimSpace(n.PostalCode + " " + n.City)},
		{"Fakturamärkning", n.InvoiceReference},
	}
	right := [][2]string{
		{"Objekt", strings.TrimSpace(m.AssetNumber + " " + m.Kind)},
		{"Fabrikat", strings.TrimSpace(m.Brand + " " + m.Model)},
		{"Tillv.nr", m.SerialNumber},
		{"Avtal", n.ContractNumber},
		{"Typ", n.CaseType},
	}
	value := func(label, v string) string {
		if v == "" && label != "" {
			return "–"
		}
		return v
	}
	for i := range left {
		p.font("B", 8.5)
		p.cell(33, rowH, left[i][0], "L", false)
		p.font("", 9)
		p.cell(59, rowH, value(left[i][0], left[i][1]), "L", false)
		p.font("B", 8.5)
		p.cell(20, rowH, right[i][0], "L", false)
		p.font("", 9)
		p.cell(0, rowH, value(right[i][0], right[i][1]), "L", true)
	}
}

// section starts a titled part of the note, on a new page if the title
// and the first row of what follows would not fit.
func section(p *page, title string, first float64) {
	p.ensure(4 + 6 + 1 + first)
	p.SetY(p.GetY() + 4)
	p.font("B", 10.5)
	p.textColor(blue)
	p.SetX(marginLeft)
	p.cell(textWidth, 6, title, "L", true)
	p.SetY(p.GetY() - 0.5)
	rule(p, blue, 0.2)
	p.textColor(rgb{})
	p.SetY(p.GetY() + 1.5)
}

// paragraph writes s wrapped to the text width, a page break allowed
// between any two lines.
func paragraph(p *page, s string, lineH float64) {
	for _, l := range p.wrap(s, textWidth) {
		p.ensure(lineH)
		p.SetX(marginLeft)
		p.cell(textWidth, lineH, l, "L", true)
	}
}

// fault shows the fault as reported; nothing when there is no report.
func fault(p *page, f Fault) {
	if strings.TrimSpace(f.Title+f.Description) == "" {
		return
	}
	section(p, "Felanmälan", rowH)
	p.font("B", 9.5)
	paragraph(p, f.Title, rowH)
	p.font("", 9)
	paragraph(p, f.Description, detailH)
	var by []string
	if !f.ReportedAt.IsZero() {
		by = append(by, sv.DateTime(f.ReportedAt))
	}
	if f.ReportedBy != "" {
		by = append(by, "av "+f.ReportedBy)
	}
	if len(by) > 0 {
		p.font("", 8.5)
		p.textColor(grey)
		paragraph(p, "Anmält "+strings.Join(by, " "), rowH)
		p.textColor(rgb{})
	}
}

// actions lists what was done, with the total time.
func actions(p *page, as []NoteAction) {
	t := table{p: p, cols: []column{
		{title: "Datum", width: 22},
		{title: "Tekniker", width: 34},
		{title: "Åtgärd", width: 94, wrap: true},
		{title: "Tid", width: 24, right: true},
	}}
	section(p, "Utförda åtgärder", headH+rowH)
	t.head()
	var minutes int
	for _, a := range as {
		minutes += a.Minutes
		t.row(sv.Date(a.Date), a.Technician, a.Description, sv.Minutes(a.Minutes))
	}
	if len(as) == 0 {
		t.row("", "", "Inga åtgärder redovisade", "")
		return
	}
	t.total("Summa tid", sv.Minutes(minutes))
}

// lines lists material, time and travel with their prices, then the
// totals ex VAT, the VAT and the total incl. VAT. A note without lines
// (a warranty job the manufacturer pays) has no such part.
func lines(p *page, n DeliveryNote) {
	if len(n.Lines) == 0 {
		return
	}
	t := table{p: p, cols: []column{
		{title: "Artikelnr", width: 28},
		{title: "Benämning", width: 68, wrap: true},
		{title: "Antal", width: 22, right: true},
		{title: "À-pris", width: 26, right: true},
		{title: "Belopp", width: 30, right: true},
	}}
	section(p, "Material och tid", headH+rowH)
	t.head()
	for _, l := range n.Lines {
		qty := sv.Quantity(l.QuantityMilli)
		if l.Unit != "" {
			qty += "\u00a0" + l.Unit
		}
		t.row(l.Article, l.Description, qty, sv.Money(l.UnitPriceOre), sv.Money(l.AmountOre))
	}
	net, vat, gross := n.totals()
	// The three totals stay together, on a new page if need be.
	p.ensure(2 + 3*rowH + 1)
	p.SetY(p.GetY() + 2)
	const labelW, valueW = 60.0, 30.0
	x := marginLeft + textWidth - labelW - valueW
	sum := func(label, value string, bold bool) {
		style := ""
		if bold {
			style = "B"
		}
		p.font(style, 9)
		p.SetX(x)
		p.cell(labelW, rowH, label, "R", false)
		p.cell(valueW, rowH, value, "R", true)
	}
	sum("Summa exkl. moms", sv.Money(net), false)
	sum(fmt.Sprintf("Moms %d\u00a0%%", repair.VATRatePercent), sv.Money(vat), false)
	p.drawColor(rgb{})
	p.SetLineWidth(0.3)
	p.Line(x, p.GetY()+0.3, marginLeft+textWidth, p.GetY()+0.3)
	p.SetY(p.GetY() + 1)
	sum("Totalt inkl. moms", sv.Money(gross), true)
}

// Signature block geometry, in millimetres.
const (
	sigBoxW = 82.0 // the customer's signature box, on the left
	sigBoxH = 26.0
	sigGap  = 12.0 // between the customer's and the technician's column
)

// signatureBlock draws the attestation, the customer's signature in its box
// above the signing line, and under it who signed and when, with the
// technician on the right. It is kept on one page and, when there is room,
// placed at the foot of the page, where a signature is looked for.
func signatureBlock(p *page, n DeliveryNote) {
	attest := "Kunden intygar med sin signatur att arbetet ovan är utfört och att maskinen har provkörts " +
		"tillsammans med teknikern."
	// Prices are only mentioned where the note lists some.
	switch {
	case len(n.Lines) == 0:
	case n.ContractNumber != "":
		attest += " Pris enligt avtal " + n.ContractNumber + "."
	default:
		attest += " Pris enligt gällande prislista."
	}
	p.font("", 8.5)
	text := p.wrap(attest, textWidth)
	const textH = 4.2
	height := float64(len(text))*textH + 3 + sigBoxH + 1.5 + 5*detailH
	if !p.ensure(height + 8) {
		p.SetY(max(p.GetY()+8, p.bottom()-height))
	}
	for _, l := range text {
		p.SetX(marginLeft)
		p.cell(textWidth, textH, l, "L", true)
	}
	top := p.GetY() + 3
	base := top + sigBoxH + 1.5 // the signing line
	right := marginLeft + sigBoxW + sigGap
	if len(n.PaperPhoto) > 0 {
		p.drawPhoto(n.PaperPhoto, marginLeft, top, sigBoxW, sigBoxH)
	} else if n.Unsigned != "" {
		p.font("", 10)
		p.SetXY(marginLeft, top+sigBoxH/2-5)
		for _, l := range p.wrap(n.Unsigned, sigBoxW) {
			p.SetX(marginLeft)
			p.cell(sigBoxW, 5, l, "L", true)
		}
	} else {
		p.drawSignature(n.Signature, marginLeft, top, sigBoxW, sigBoxH)
	}
	p.drawColor(rgb{})
	p.SetLineWidth(0.3)
	p.Line(marginLeft, base, marginLeft+sigBoxW, base)
	p.Line(right, base, marginLeft+textWidth, base)
	// The technician signs with their login, not on the pad: their name
	// stands on the line.
	p.font("", 11)
	p.textColor(rgb{40, 40, 40})
	p.SetXY(right, base-6.5)
	p.cell(0, 6, n.Technician, "L", true)
	p.textColor(rgb{})

	p.SetY(base + 1)
	who := n.Company.Name
	if n.Technician != "" {
		who = n.Technician + ", " + who
	}
	when := "Signerat " + sv.DateTime(n.SignedAt) + " på plats"
	if n.Unsigned != "" {
		when = "Avslutat " + sv.DateTime(n.SignedAt) + " på plats"
	}
	rows := [][2]string{
		{"Kundens signatur", "Tekniker"},
		{orDash(n.SignerName), who},
		{when, ""},
	}
	if n.Replaces != "" {
		rows = append(rows, [2]string{"Rättelse: ersätter " + n.Replaces, ""})
	}
	if n.Fingerprint != "" {
		rows = append(rows, [2]string{"Fingeravtryck (SHA-256): " + n.Fingerprint, ""})
	}
	for i, r := range rows {
		style := ""
		if i == 0 {
			style = "B"
		}
		p.font(style, 9)
		if i > 2 {
			p.font("", 7)
		}
		p.SetX(marginLeft)
		if r[1] == "" {
			p.cell(0, detailH, r[0], "L", true)
			continue
		}
		p.cell(sigBoxW+sigGap, detailH, r[0], "L", false)
		p.cell(0, detailH, r[1], "L", true)
	}
}

// orEmpty is prefix+s, or "" when s is empty, for labels such as
// "Arbetsorder 2026-00042-1" that mean nothing without their value.
func orEmpty(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}

// column is one column of a table.
type column struct {
	title string
	width float64
	right bool // right-aligned, for numbers
	wrap  bool // long text wraps onto more lines; in other columns it is shortened with "…"
}

// table draws rows that may wrap, starting a new page, with the header
// repeated, whenever a row would not fit: a row is never split and never
// dropped.
type table struct {
	p    *page
	cols []column
}

func (t table) align(c column) string {
	if c.right {
		return "R"
	}
	return "L"
}

// head draws the column titles on a tinted band.
func (t table) head() {
	p := t.p
	p.font("B", 8.5)
	p.fillColor(lightFill)
	p.SetX(marginLeft)
	for _, c := range t.cols {
		p.CellFormat(c.width, headH, p.fit(c.title, c.width), "", 0, t.align(c), true, 0, "")
	}
	p.Ln(headH)
}

// row draws one row of values, one per column.
func (t table) row(values ...string) {
	p := t.p
	p.font("", 9)
	cells := make([][]string, len(t.cols))
	height := 1
	for i, c := range t.cols {
		if c.wrap {
			cells[i] = p.wrap(values[i], c.width)
		} else {
			cells[i] = []string{p.fit(line(values[i]), c.width)}
		}
		height = max(height, len(cells[i]))
	}
	h := float64(height) * rowH
	if h > p.bottom()-marginTop-headH-15 {
		// Taller than a page: let it run over the page break a line at
		// a time rather than loop on new pages.
		t.tallRow(cells)
		return
	}
	if p.ensure(h) {
		t.head()
		p.font("", 9)
	}
	y := p.GetY()
	x := marginLeft
	for i, c := range t.cols {
		for j, l := range cells[i] {
			p.SetXY(x, y+float64(j)*rowH)
			p.CellFormat(c.width, rowH, l, "", 0, t.align(c), false, 0, "")
		}
		x += c.width
	}
	p.SetXY(marginLeft, y+h)
}

// tallRow draws a row longer than a page line by line, breaking the page
// where it must; the other columns show on the row's first line.
func (t table) tallRow(cells [][]string) {
	p := t.p
	lines := 0
	for _, c := range cells {
		lines = max(lines, len(c))
	}
	for j := range lines {
		if p.ensure(rowH) {
			t.head()
			p.font("", 9)
		}
		p.SetX(marginLeft)
		for i, c := range t.cols {
			l := ""
			if j < len(cells[i]) {
				l = cells[i][j]
			}
			p.CellFormat(c.width, rowH, l, "", 0, t.align(c), false, 0, "")
		}
		p.Ln(rowH)
	}
}

// total draws a bold summary row: label in the second-to-last column's
// place, value in the last, over a thin rule.
func (t table) total(label, value string) {
	p := t.p
	p.ensure(rowH + 1)
	last := t.cols[len(t.cols)-1]
	labelW := textWidth - last.width
	p.drawColor(rgb{})
	p.SetLineWidth(0.2)
	y := p.GetY() + 0.5
	p.Line(marginLeft, y, marginLeft+textWidth, y)
	p.SetY(y + 0.5)
	p.font("B", 9)
	p.SetX(marginLeft)
	p.cell(labelW, rowH, label, "R", false)
	p.cell(last.width, rowH, value, "R", true)
}

// orDash is s, or "–" when it is empty.
func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "–"
	}
	return s
}

// drawPhoto draws a JPEG or PNG fitted into the box, centred.
func (p *page) drawPhoto(img []byte, x, y, w, h float64) {
	typ := "JPG"
	if bytes.HasPrefix(img, []byte("\x89PNG")) {
		typ = "PNG"
	}
	opt := fpdf.ImageOptions{ImageType: typ}
	name := fmt.Sprintf("photo-%x", sha256.Sum256(img))
	info := p.RegisterImageOptionsReader(name, opt, bytes.NewReader(img))
	if info == nil || info.Width() <= 0 || info.Height() <= 0 {
		return // fpdf records the error; RenderDeliveryNote reports it
	}
	scale := min(w/info.Width(), h/info.Height())
	iw, ih := info.Width()*scale, info.Height()*scale
	p.ImageOptions(name, x+(w-iw)/2, y+(h-ih)/2, iw, ih, false, opt, 0, "")
}

// visitTimes is a visit's span on site, "08:12–09:40" (with the dates when
// it ran over midnight), or as much of it as is known.
func visitTimes(start, end time.Time) string {
	switch {
	case start.IsZero() && end.IsZero():
		return ""
	case start.IsZero():
		return "avslutat " + sv.Clock(end)
	case end.IsZero():
		return "påbörjat " + sv.Clock(start)
	case sv.Date(start) != sv.Date(end):
		return sv.DateTime(start) + "–" + sv.DateTime(end)
	}
	return sv.Clock(start) + "–" + sv.Clock(end)
}
