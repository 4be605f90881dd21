// Package docs renders the documents the company hands to its customers as
// PDF: today the signed delivery note (Följesedel) that a customer signs on
// the technician's phone when a job is done. Invoice specifications can
// join it, and the object labels (internal/labels, still on fpdf's cp1252
// core fonts) can move here, sharing its fonts and layout helpers.
//
// Every document is made from a typed input and nothing else: no clock, no
// randomness, no map order. The same input gives the same bytes, because
// stored files are addressed by their SHA-256 and a signed document must
// not change when it is rendered again.
//
// Text is set in DejaVu Sans, embedded in the binary, so that å, ä, ö and
// everything else a Swedish name or address holds print as typed; fpdf
// embeds only the glyphs a document uses.
package docs

import (
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-pdf/fpdf"

	"kundportal/internal/sv"
)

// The fonts are DejaVu Sans 2.37 as Debian ships it (fonts/LICENSE). Only
// the regular and bold faces: the documents need no italics, and each face
// adds about 0.7 MB to the binary.
var (
	//go:embed fonts/DejaVuSans.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	fontBold []byte
)

// family is the name the fonts are registered under in every document.
const family = "DejaVu"

// A4 in millimetres, and the margins every document keeps. The bottom
// margin leaves room for the page footer.
const (
	pageW, pageH = 210.0, 297.0
	marginLeft   = 18.0
	marginRight  = 18.0
	marginTop    = 16.0
	marginBottom = 20.0
	textWidth    = pageW - marginLeft - marginRight // 174 mm
	footerBase   = pageH - 10.0                     // baseline of the footer line
	cellMargin   = 1.0                              // fpdf's padding inside a cell, left and right
)

// Colours: the company blue for rules and headings, greys for secondary
// text, and the ink of a signature.
var (
	blue      = rgb{30, 70, 120}
	grey      = rgb{90, 90, 90}
	lightFill = rgb{230, 236, 243}
	ink       = rgb{20, 40, 120}
)

type rgb struct{ r, g, b int }

// newPDF starts an A4 document with the fonts registered, the metadata set
// and every source of varying bytes fixed: the creation and modification
// dates are at (the moment the document is about, never the clock), and
// fpdf writes its resources sorted rather than in map order.
func newPDF(title, author string, at time.Time) *fpdf.Fpdf {
	// fpdf writes the date's wall clock without a zone; make it the
	// Swedish one the document prints, whatever zone at came in.
	at = at.In(sv.Stockholm)
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCreationDate(at)
	pdf.SetModificationDate(at)
	pdf.SetCatalogSort(true)
	pdf.SetTitle(title, true)
	pdf.SetAuthor(author, true)
	pdf.SetCreator("Kundportal", true)
	pdf.SetLang("sv-SE")
	pdf.SetMargins(marginLeft, marginTop, marginRight)
	pdf.SetCellMargin(cellMargin)
	// Page breaks are placed by the layout, which knows which rows belong
	// together and repeats table headers; fpdf's automatic break would
	// split a wrapped row and cannot draw the footer's page count.
	pdf.SetAutoPageBreak(false, marginBottom)
	pdf.AddUTF8FontFromBytes(family, "", fontRegular)
	pdf.AddUTF8FontFromBytes(family, "B", fontBold)
	return pdf
}

// page wraps a document under construction with the layout helpers every
// document uses. The fpdf calls record their errors in the document, which
// render checks once at the end.
type page struct {
	*fpdf.Fpdf
	header func() // drawn at the top of every page after the first; may be nil
}

// bottom is the lowest y that content may reach.
func (p *page) bottom() float64 { return pageH - marginBottom }

// ensure starts a new page unless h millimetres still fit below the
// current position, and reports whether it did.
func (p *page) ensure(h float64) bool {
	if p.GetY()+h <= p.bottom() {
		return false
	}
	p.AddPage()
	if p.header != nil {
		p.header()
	}
	return true
}

// font selects the regular ("") or bold ("B") face at size points.
func (p *page) font(style string, size float64) { p.SetFont(family, style, size) }

func (p *page) textColor(c rgb) { p.SetTextColor(c.r, c.g, c.b) }
func (p *page) drawColor(c rgb) { p.SetDrawColor(c.r, c.g, c.b) }
func (p *page) fillColor(c rgb) { p.SetFillColor(c.r, c.g, c.b) }

// cell writes one line of text, shortened with "…" to fit w, and moves
// right (ln false) or to the next line (ln true).
func (p *page) cell(w, h float64, s, align string, ln bool) {
	if w == 0 {
		w = pageW - marginRight - p.GetX()
	}
	next := 0
	if ln {
		next = 1
	}
	p.CellFormat(w, h, p.fit(line(s), w), "", next, align, false, 0, "")
}

// footers writes "label · Sida n av N" at the foot of every page. It runs
// after the layout, when the page count is known: fpdf's page-count alias
// would be replaced by digits that the font subset may lack.
func (p *page) footers(label string) {
	n := p.PageCount()
	for i := 1; i <= n; i++ {
		p.SetPage(i)
		p.font("", 7.5)
		// Text and fill colour differ, so fpdf writes the colour into
		// this page's content instead of trusting the state left by the
		// page drawn last.
		p.fillColor(rgb{255, 255, 255})
		p.textColor(grey)
		p.SetXY(marginLeft, footerBase-3)
		p.CellFormat(textWidth, 4, line(fmt.Sprintf("%s · Sida %d av %d", label, i, n)), "", 0, "C", false, 0, "")
	}
}

// line makes s safe to print on one line: every run of white space, line
// breaks included, becomes one space, and what the font tables cannot
// index becomes U+FFFD.
func line(s string) string { return strings.Join(strings.Fields(printable(s)), " ") }

// printable replaces control characters (other than line breaks), invalid
// UTF-8 and runes outside the Basic Multilingual Plane, such as emoji, with
// U+FFFD. fpdf's UTF-8 width table has 65 536 entries and indexes it by
// rune, so a rune beyond it would panic, and a control character would
// reach the PDF as an invisible glyph.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r == utf8.RuneError, r > 0xFFFF, unicode.IsControl(r):
			return '\uFFFD'
		}
		return r
	}, strings.ReplaceAll(s, "\r\n", "\n"))
}

// ellipsis marks shortened text.
const ellipsis = "…"

// fit returns s shortened with "…" so that it fits a cell w wide in the
// current font.
func (p *page) fit(s string, w float64) string {
	avail := w - 2*cellMargin
	if p.GetStringWidth(s) <= avail {
		return s
	}
	r := []rune(s)
	for n := len(r) - 1; n > 0; n-- {
		t := strings.TrimRight(string(r[:n]), " ,;:-") + ellipsis
		if p.GetStringWidth(t) <= avail {
			return t
		}
	}
	return ellipsis
}

// wrap breaks s into lines that fit a cell w wide in the current font: at
// spaces where it can, inside a word that is wider than a line on its own,
// and at every line break s has. It never drops text and returns at least
// one line.
func (p *page) wrap(s string, w float64) []string {
	avail := w - 2*cellMargin
	var out []string
	for _, para := range strings.Split(printable(s), "\n") {
		words := strings.Fields(para)
		cur := ""
		for _, word := range words {
			try := word
			if cur != "" {
				try = cur + " " + word
			}
			if p.GetStringWidth(try) <= avail {
				cur = try
				continue
			}
			if cur != "" {
				out = append(out, cur)
			}
			// A word too long for a line of its own is cut into pieces
			// that fit, each at least one rune long.
			cur = word
			for p.GetStringWidth(cur) > avail {
				r := []rune(cur)
				n := 1
				for n < len(r) && p.GetStringWidth(string(r[:n+1])) <= avail {
					n++
				}
				out = append(out, string(r[:n]))
				cur = string(r[n:])
			}
		}
		if cur != "" || len(words) == 0 {
			out = append(out, cur)
		}
	}
	// Blank lines at the end add height and say nothing.
	for len(out) > 1 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

// output lays a document out with build and writes the PDF to w. The PDF
// is made in memory first, so that an error leaves w untouched.
func output(w io.Writer, build func() *fpdf.Fpdf) (err error) {
	// fpdf reports most trouble through its Error method, but a few of
	// its paths panic on unexpected input; one bad document is not worth
	// a crashed request or demo load.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("pdf: %v", r)
		}
	}()
	pdf := build()
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	_, err = buf.WriteTo(w)
	return err
}
