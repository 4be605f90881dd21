// Package labels prints object labels ("objekt-lappar") for machines: an A4
// PDF sheet of self-adhesive labels, each with a QR code that opens the
// portal's fault-report page for the machine, and the machine's asset number
// in large print.
//
// The sheet layout is Avery Zweckform 3474 (70 × 37 mm, 3 columns × 8 rows,
// 24 labels per A4 sheet, no side margins). Eight rows of 37 mm take 296 of
// the page's 297 mm, so the grid starts 0.5 mm from the top edge, centred
// as on the sheet. (The 4.5 mm top margin sometimes quoted goes with the
// 70 × 36 mm sheet, Avery 3475, which this package does not print.)
//
// Each label keeps a few millimetres of white inside its own edges, so a
// label that is die-cut slightly off, or a printer that cannot print to the
// edge of the paper, does not clip the code or the text. The labels have no
// printed outline.
package labels

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
	qrcode "github.com/skip2/go-qrcode"
)

// Label is one machine's label.
type Label struct {
	Number string // asset number, printed large, e.g. "100001"
	Kind   string // "Tvättmaskin"
	Brand  string // "Electrolux"
	Place  string // short location, e.g. "Hertig Johans gata 12, Tvättstuga" (may be long: truncated to fit)
	URL    string // what the QR code opens, e.g. "https://portal.example/nytt-arende?objekt=100001"
}

// MaxLabels is the most labels one call to Sheet prints (84 pages), which
// bounds the work a single request can cause.
const MaxLabels = 2000

// Header is the small line at the top of each label's text.
const Header = "Felanmälan: skanna koden"

// Sheet geometry in millimetres: Avery Zweckform 3474, 70 × 37 mm.
const (
	pageW, pageH = 210.0, 297.0
	cols, rows   = 3, 8
	perPage      = cols * rows
	labelW       = 70.0
	labelH       = 37.0
	// gridTop centres the 8 × 37 = 296 mm grid on the 297 mm page.
	gridTop  = (pageH - rows*labelH) / 2
	gridLeft = (pageW - cols*labelW) / 2 // 0: the labels span the width

	qrSize = 27.0 // the QR symbol itself; its quiet zone is the white around it
	qrLeft = 4.0  // from the label's left edge
	qrGap  = 3.5  // between the symbol and the text: ≥ 4 modules of at most 0.82 mm
	padR   = 3.0  // white to the label's right edge
	textX  = qrLeft + qrSize + qrGap
	textW  = labelW - textX - padR // 32.5 mm
	qrTop  = (labelH - qrSize) / 2 // 5 mm above and below the symbol
)

// Text baselines, in mm from the label's top edge. The block runs from the
// top of the QR symbol to its bottom.
const (
	headerSize, headerBase = 6.5, qrTop + 2.3
	numberMax, numberMin   = 20.0, 12.0
	numberBase             = qrTop + 10.8
	kindSize, kindBase     = 8.0, qrTop + 16.3
	placeSize, placeBase   = 7.0, qrTop + 20.3
	placeLead              = 3.1 // line distance of the place lines
	placeLines             = 2
)

// fixedDate is written as the PDF's creation and modification date, so that
// the same labels always give the same bytes.
var fixedDate = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Sheet writes an A4 PDF with the labels in a grid of 3 columns × 8 rows
// (Avery Zweckform 3474, 70 × 37 mm), starting a new page after every 24
// labels. Each label has a QR code for its URL on the left (error-correction
// level Medium) and, on the right, the header "Felanmälan: skanna koden",
// the asset number in large bold print, "Kind Brand", and the place, on up
// to two lines and shortened with "…" when it does not fit.
//
// It returns an error, and writes nothing, for no labels, for more than
// MaxLabels, or for a label whose URL is empty or too long for a QR code
// that is readable at this size (over about 210 bytes).
// The output is deterministic: the same labels give the same bytes.
func Sheet(w io.Writer, labels []Label) error {
	// The PDF is made in memory, so that an error leaves w untouched; 2000
	// labels make about 3 MB.
	var buf bytes.Buffer
	if err := render(&buf, labels, false); err != nil {
		return err
	}
	_, err := buf.WriteTo(w)
	return err
}

// render lays out the labels and writes the PDF to w.
func render(w io.Writer, labels []Label, guides bool) (err error) {
	// fpdf reports most trouble through pdf.Error, but a few of its paths
	// panic on unexpected input; a label sheet is not worth a crashed
	// request.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("labels: pdf: %v", r)
		}
	}()
	pdf, err := build(labels, guides)
	if err != nil {
		return err
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("labels: write pdf: %w", err)
	}
	return nil
}

// build lays out the labels. guides draws each label's outline, for
// checking the layout by eye; real sheets are printed without it.
func build(labels []Label, guides bool) (*fpdf.Fpdf, error) {
	switch {
	case len(labels) == 0:
		return nil, errors.New("labels: no labels to print")
	case len(labels) > MaxLabels:
		return nil, fmt.Errorf("labels: %d labels, at most %d per sheet", len(labels), MaxLabels)
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCreationDate(fixedDate)
	pdf.SetModificationDate(fixedDate)
	pdf.SetCatalogSort(true) // resources in a fixed order, not map order
	pdf.SetTitle("Objektlappar", true)
	pdf.SetCreator("Kundportal", true)
	pdf.SetMargins(0, 0, 0)
	pdf.SetAutoPageBreak(false, 0)
	// Built per call: the translator writes into a buffer of its own and
	// must not be shared between goroutines.
	tr := pdf.UnicodeTranslatorFromDescriptor("")

	for i, l := range labels {
		qr, err := qrModules(l.URL)
		if err != nil {
			return nil, fmt.Errorf("labels: label %d (%q): %w", i+1, l.Number, err)
		}
		slot := i % perPage
		if slot == 0 {
			pdf.AddPage()
		}
		x := gridLeft + float64(slot%cols)*labelW
		y := gridTop + float64(slot/cols)*labelH
		drawLabel(pdf, tr, l, qr, x, y, guides)
		if err := pdf.Error(); err != nil {
			return nil, fmt.Errorf("labels: label %d (%q): %w", i+1, l.Number, err)
		}
	}
	return pdf, nil
}

// drawLabel draws one label with its top-left corner at (x, y).
func drawLabel(pdf *fpdf.Fpdf, tr func(string) string, l Label, qr [][]bool, x, y float64, guides bool) {
	if guides {
		pdf.SetDrawColor(180, 180, 180)
		pdf.SetLineWidth(0.1)
		pdf.Rect(x, y, labelW, labelH, "D")
	}
	drawQR(pdf, qr, x+qrLeft, y+qrTop, qrSize)

	tx := x + textX
	pdf.SetTextColor(70, 70, 70)
	pdf.SetFont("Helvetica", "", headerSize)
	pdf.Text(tx, y+headerBase, fit(pdf, tr(Header), textW))

	// The number shrinks before it is shortened: a cut-off asset number
	// is a wrong one.
	pdf.SetTextColor(0, 0, 0)
	number := tr(clean(l.Number))
	size := numberMax
	pdf.SetFont("Helvetica", "B", size)
	for size > numberMin && pdf.GetStringWidth(number) > textW {
		size--
		pdf.SetFont("Helvetica", "B", size)
	}
	pdf.Text(tx, y+numberBase, fit(pdf, number, textW))

	pdf.SetFont("Helvetica", "B", kindSize)
	pdf.Text(tx, y+kindBase, fit(pdf, tr(clean(l.Kind+" "+l.Brand)), textW))

	pdf.SetFont("Helvetica", "", placeSize)
	for j, line := range wrap(pdf, tr(clean(l.Place)), textW, placeLines) {
		pdf.Text(tx, y+placeBase+float64(j)*placeLead, line)
	}
}

// QR code versions (sizes) used. Below version 4 the modules would be
// bigger than 0.82 mm and the 3.5 mm between code and text less than the
// 4-module quiet zone, so short URLs get a version-4 code too, and every
// label's code has the same module size. Above version 10 (57 modules, 0.47
// mm each: about 210 bytes of URL at level M) a printed code gets hard to
// scan, so longer URLs are refused.
const minVersion, maxVersion = 4, 10

// qrModules encodes url as a QR code with error-correction level Medium and
// returns its modules, bits[row][col] true for dark, without the quiet zone:
// the label's white margin around the code is the quiet zone.
func qrModules(url string) ([][]bool, error) {
	url = strings.TrimSpace(url)
	if url == "" {
		return nil, errors.New("no URL for the QR code")
	}
	q, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("qr code: %w", err)
	}
	if q.VersionNumber > maxVersion {
		return nil, fmt.Errorf("URL of %d bytes too long for a readable QR code", len(url))
	}
	if q.VersionNumber < minVersion {
		if q, err = qrcode.NewWithForcedVersion(url, minVersion, qrcode.Medium); err != nil {
			return nil, fmt.Errorf("qr code: %w", err)
		}
	}
	q.DisableBorder = true
	return q.Bitmap(), nil
}

// drawQR draws the modules as a size × size mm square with its top-left
// corner at (x, y), in vector form: one filled path of a rectangle per
// horizontal run of dark modules. Vector modules print sharp at any printer
// resolution, and a single fill leaves no hairline seams between them when
// rendered with anti-aliasing. (It is not an embedded PNG for a further
// reason: fpdf's catalog sort orders images by width only, so equally sized
// QR images come out in map order and the PDF's bytes would vary.)
//
// The path is written as raw PDF operators inside q … Q, so fpdf's notion of
// the current colours is left as it was.
func drawQR(pdf *fpdf.Fpdf, bits [][]bool, x, y, size float64) {
	k := pdf.GetConversionRatio()
	_, ph := pdf.GetPageSize()
	m := size / float64(len(bits))
	var b strings.Builder
	b.WriteString("q 0 g\n")
	for r, row := range bits {
		for c := 0; c < len(row); {
			if !row[c] {
				c++
				continue
			}
			start := c
			for c < len(row) && row[c] {
				c++
			}
			fmt.Fprintf(&b, "%.2f %.2f %.2f %.2f re\n",
				(x+float64(start)*m)*k, (ph-y-float64(r+1)*m)*k, float64(c-start)*m*k, m*k)
		}
	}
	b.WriteString("f Q\n")
	pdf.RawWriteStr(b.String())
}

// clean folds every run of white space, line breaks included, into one
// space and trims the ends.
func clean(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// ellipsis is "…" in cp1252, the code page the translator produces.
const ellipsis = "\x85"

// fit returns s, already translated to cp1252, shortened with "…" so that it
// is at most w wide in the current font. It measures bytes, one per
// character in cp1252, and never uses fpdf's SplitText, which indexes its
// width table by rune and panics on translated text (bytes ≥ 0x80 decode as
// U+FFFD).
func fit(pdf *fpdf.Fpdf, s string, w float64) string {
	if pdf.GetStringWidth(s) <= w {
		return s
	}
	for n := len(s) - 1; n > 0; n-- {
		t := strings.TrimRight(s[:n], " ,;:-") + ellipsis
		if pdf.GetStringWidth(t) <= w {
			return t
		}
	}
	return ellipsis
}

// wrap breaks s, already translated to cp1252, into at most maxLines lines
// of at most w in the current font, at spaces where it can and inside a word
// that is wider than a line on its own. What does not fit on the last line
// is cut with "…".
func wrap(pdf *fpdf.Fpdf, s string, w float64, maxLines int) []string {
	var lines []string
	for s != "" {
		if len(lines) == maxLines-1 || pdf.GetStringWidth(s) <= w {
			return append(lines, fit(pdf, s, w))
		}
		// The longest prefix that fits, then back to the last space in it.
		n := 1
		for n < len(s) && pdf.GetStringWidth(s[:n+1]) <= w {
			n++
		}
		if sp := strings.LastIndexByte(s[:n+1], ' '); sp > 0 {
			n = sp
		}
		lines = append(lines, strings.TrimRight(s[:n], " "))
		s = strings.TrimLeft(s[n:], " ")
	}
	return lines
}
