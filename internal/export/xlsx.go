package export

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"
)

const (
	// maxSheetName is Excel's limit on sheet names, in UTF-16 code units.
	maxSheetName = 31
	// defaultSheetName is what Swedish Excel calls the first sheet.
	defaultSheetName = "Blad1"

	minColWidth = 8  // Excel's default is 8.43
	maxColWidth = 60 // cap so one long comment does not make a huge column

	// maxFittedCols is how many columns get a fitted width; the rest keep
	// Excel's default. No real export is that wide, and setting a width
	// looks through the widths set before it.
	maxFittedCols = 256
)

// SanitizeSheetName turns s into a name Excel accepts for a worksheet:
//
//   - / \ and : become '-', [ and ] become ( and ), * and ? are dropped;
//   - control characters are dropped and surrounding white space trimmed;
//   - apostrophes are dropped at the start and end (Excel forbids them
//     there) and replaced by ’ (U+2019) inside, because the autofilter's
//     defined name quotes the sheet name with apostrophes;
//   - the result is cut to 31 UTF-16 code units without splitting a
//     character;
//   - an empty result becomes "Blad1", and the reserved name "History"
//     becomes "History-1".
func SanitizeSheetName(s string) string {
	s = strings.ToValidUTF8(s, "")
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '/', '\\', ':':
			b.WriteByte('-')
		case '[':
			b.WriteByte('(')
		case ']':
			b.WriteByte(')')
		case '*', '?':
		default:
			if unicode.IsControl(r) {
				continue
			}
			b.WriteRune(r)
		}
	}
	name := trimSheetName(b.String())
	// Cut to 31 UTF-16 units, never inside a surrogate pair.
	units := 0
	for i, r := range name {
		units += utf16.RuneLen(r)
		if units > maxSheetName {
			name = trimSheetName(name[:i])
			break
		}
	}
	switch {
	case name == "":
		return defaultSheetName
	case strings.EqualFold(name, "History"):
		return name + "-1"
	}
	// Same length in UTF-16 units, so the limit still holds.
	return strings.ReplaceAll(name, "'", "’")
}

// trimSheetName trims white space and the apostrophes that Excel forbids at
// either end of a sheet name.
func trimSheetName(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\''
	})
}

// widthSample is how many rows, after the header, an XLSXWriter holds back
// to fit its column widths. A streamed sheet's <cols> come before its
// rows, so widths cannot wait for the last row; the header and the first
// 200 rows are a fair sample of an export's columns, and holding them costs
// little. A longer cell further down is still shown, in a narrower column.
const widthSample = 200

// XLSXWriter writes an .xlsx workbook with a single sheet row by row. The
// header row is bold, frozen and carries an autofilter covering all rows;
// column widths are fitted roughly to the header and the first 200 rows
// (between 8 and 60 characters) for the first 256 columns.
//
// Every cell is written as an inline string, verbatim: string cells are
// never evaluated by Excel, so there is no formula injection and, unlike
// CSVWriter, no leading-quote neutralisation. Empty cells are left blank.
// Excel's limits apply: at most 1 048 576 rows including the header and
// 16 384 columns (an error is returned beyond them), and cell text longer
// than 32 767 characters (UTF-16 units) is cut there.
//
// excelize makes the workbook around the rows: its styles, the sheet's
// panes, column widths and autofilter, the workbook's parts. The rows
// themselves go straight into the zipped sheet as they come, so that an
// export holds one row, not the sheet: excelize's StreamWriter keeps up
// to 16 MB of sheet XML in memory (a constant, StreamChunkSize), which at
// 100 000 rows took a server's peak RSS from 53 MB for the CSV to 93 MB
// (docs/PERFORMANCE.md). The parts that do not depend on the number of
// rows are written when the first rows are, the sheet's rows as they come,
// and the sheet's end and the workbook (whose autofilter covers the rows)
// at Close.
type XLSXWriter struct {
	w      io.Writer
	zw     *zip.Writer
	f      *excelize.File // the workbook around the rows
	sheet  string
	header []string
	bold   int
	cols   []string // the columns' names, A, B, ...
	// sample holds the first rows until the column widths are set; nil
	// once they are.
	sample  [][]string
	started bool
	out     io.Writer // the sheet's entry in zw, once started
	rows    int       // rows written, the header included
	buf     []byte    // one row's XML, reused
	closed  bool
}

// NewXLSX returns an XLSXWriter for a sheet named SanitizeSheetName(sheet)
// with the given header, which fixes the number of columns.
func NewXLSX(w io.Writer, sheet string, header []string) (*XLSXWriter, error) {
	ncol := len(header)
	if ncol > excelize.MaxColumns {
		return nil, fmt.Errorf("export: %d columns exceed Excel's limit of %d", ncol, excelize.MaxColumns)
	}
	xw := &XLSXWriter{w: w, f: excelize.NewFile(), sheet: SanitizeSheetName(sheet), header: header, cols: make([]string, ncol)}
	for i := range xw.cols {
		xw.cols[i], _ = excelize.ColumnNumberToName(i + 1)
	}
	if err := xw.open(); err != nil {
		xw.f.Close()
		return nil, err
	}
	return xw, nil
}

// open names the sheet, sets its style, filter and panes.
func (xw *XLSXWriter) open() error {
	f, sheet := xw.f, xw.sheet
	if first := f.GetSheetName(0); first != sheet {
		if err := f.SetSheetName(first, sheet); err != nil {
			return fmt.Errorf("export: sheet name %q: %w", sheet, err)
		}
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("export: header style: %w", err)
	}
	xw.bold = bold
	if len(xw.header) > 0 {
		// Over the header until Close knows the rows: the filter marks
		// the sheet as filtered (<sheetPr>), ahead of the rows.
		if err := xw.autoFilter(1); err != nil {
			return err
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{
		Freeze:      true,
		YSplit:      1,
		TopLeftCell: "A2",
		ActivePane:  "bottomLeft",
		Selection:   []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	}); err != nil {
		return fmt.Errorf("export: freeze header: %w", err)
	}
	return nil
}

// autoFilter sets the sheet's autofilter over the header's columns and
// rows rows.
func (xw *XLSXWriter) autoFilter(rows int) error {
	last, err := excelize.CoordinatesToCellName(len(xw.header), rows)
	if err != nil {
		return fmt.Errorf("export: autofilter: %w", err)
	}
	if err := xw.f.AutoFilter(xw.sheet, "A1:"+last, nil); err != nil {
		return fmt.Errorf("export: autofilter: %w", err)
	}
	return nil
}

// Row writes one row, padded to the header's width. The first 200 rows
// are held back until the column widths are known.
func (xw *XLSXWriter) Row(cells ...string) error {
	if xw.closed {
		return errClosed
	}
	if len(cells) > len(xw.header) {
		return tooWide(len(cells), len(xw.header))
	}
	if !xw.started {
		xw.sample = append(xw.sample, slices.Clone(cells))
		if len(xw.sample) < widthSample {
			return nil
		}
		return xw.start()
	}
	return xw.writeRow(cells, 0)
}

// The parts of the package that start() and Close() treat apart.
const (
	sheetPart    = "xl/worksheets/sheet1.xml"
	workbookPart = "xl/workbook.xml"
)

// start fits the column widths to the header and the rows held back,
// writes the workbook's parts that do not depend on the rows and the
// sheet up to its rows, then the header and the rows held back.
func (xw *XLSXWriter) start() error {
	xw.started = true
	for i, w := range columnWidths(xw.header, xw.sample) {
		if err := xw.f.SetColWidth(xw.sheet, xw.cols[i], xw.cols[i], w); err != nil {
			return fmt.Errorf("export: column width: %w", err)
		}
	}
	parts, head, _, err := xw.workbook()
	if err != nil {
		return err
	}
	xw.zw = zip.NewWriter(xw.w)
	sheet := &zip.FileHeader{Name: sheetPart, Method: zip.Deflate}
	for _, p := range parts.File {
		switch p.Name {
		case sheetPart:
			sheet.Modified = p.Modified // excelize's, so that the same rows make the same file
		case workbookPart:
		default:
			if err := xw.zw.Copy(p); err != nil {
				return fmt.Errorf("export: write workbook: %w", err)
			}
		}
	}
	if xw.out, err = xw.zw.CreateHeader(sheet); err != nil {
		return fmt.Errorf("export: write sheet: %w", err)
	}
	if _, err := io.WriteString(xw.out, head); err != nil {
		return fmt.Errorf("export: write sheet: %w", err)
	}
	if len(xw.header) > 0 {
		if err := xw.writeRow(xw.header, xw.bold); err != nil {
			return fmt.Errorf("export: header row: %w", err)
		}
	} else {
		xw.rows = 1 // the header's row, empty
	}
	sample := xw.sample
	xw.sample = nil
	for _, row := range sample {
		if err := xw.writeRow(row, 0); err != nil {
			return err
		}
	}
	return nil
}

// workbook is the workbook as excelize makes it so far, as a zip read
// back, and its sheet (which has no rows) before its rows and after
// them, the sheet's <dimension> (of the rows excelize had) left out.
func (xw *XLSXWriter) workbook() (parts *zip.Reader, head, tail string, err error) {
	var b bytes.Buffer
	if _, err := xw.f.WriteTo(&b); err != nil {
		return nil, "", "", fmt.Errorf("export: make workbook: %w", err)
	}
	if parts, err = zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len())); err != nil {
		return nil, "", "", fmt.Errorf("export: make workbook: %w", err)
	}
	f, err := parts.Open(sheetPart)
	if err != nil {
		return nil, "", "", fmt.Errorf("export: sheet %q: %w", xw.sheet, err)
	}
	defer f.Close()
	x, err := io.ReadAll(f)
	if err != nil {
		return nil, "", "", fmt.Errorf("export: sheet %q: %w", xw.sheet, err)
	}
	m := emptySheetData.FindSubmatchIndex(x)
	if m == nil {
		return nil, "", "", fmt.Errorf("export: sheet %q: no empty <sheetData> in excelize's sheet", xw.sheet)
	}
	head = dimension.ReplaceAllString(string(x[:m[0]]), "")
	return parts, head + "<sheetData>", "</sheetData>" + string(x[m[1]:]), nil
}

// emptySheetData and dimension are the elements of excelize's sheet that
// workbook cuts it at and leaves out.
var (
	emptySheetData = regexp.MustCompile(`<sheetData(/>|></sheetData>)`)
	dimension      = regexp.MustCompile(`<dimension [^>]*(/>|></dimension>)`)
)

// writeRow writes row as the sheet's next row, its cells in style (0:
// none).
func (xw *XLSXWriter) writeRow(row []string, style int) error {
	if xw.rows >= excelize.TotalRows {
		return fmt.Errorf("export: more than %d rows exceed Excel's limit", excelize.TotalRows)
	}
	xw.rows++
	n := strconv.Itoa(xw.rows)
	b := append(xw.buf[:0], `<row r="`...)
	b = append(b, n...)
	b = append(b, `">`...)
	for i, cell := range row {
		if cell == "" {
			continue
		}
		b = append(b, `<c r="`...)
		b = append(b, xw.cols[i]...)
		b = append(b, n...)
		if style != 0 {
			b = append(b, `" s="`...)
			b = strconv.AppendInt(b, int64(style), 10)
		}
		b = append(b, `" t="inlineStr"><is><t`...)
		if c0, c1 := cell[0], cell[len(cell)-1]; isXMLSpace(c0) || isXMLSpace(c1) {
			b = append(b, ` xml:space="preserve"`...)
		}
		b = append(b, '>')
		b = appendCellText(b, cell)
		b = append(b, `</t></is></c>`...)
	}
	b = append(b, `</row>`...)
	xw.buf = b
	if _, err := xw.out.Write(b); err != nil {
		return fmt.Errorf("export: row %d: %w", xw.rows-1, err)
	}
	return nil
}

// isXMLSpace says whether c is white space that XML would not keep at
// either end of a cell's text without xml:space="preserve".
func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// escapedX matches what Excel reads as an escaped character in a cell's
// text (_x0041_ for A): such text is kept by escaping its underscore.
var escapedX = regexp.MustCompile(`_x[0-9A-Fa-f]{4}_`)

// appendCellText appends s as the text of a cell: cut to Excel's 32 767
// UTF-16 units, _xHHHH_ escaped, in XML with the characters XML cannot
// hold replaced (xml.EscapeText) and line breaks kept as they are.
func appendCellText(b []byte, s string) []byte {
	s = cutUTF16(s, excelize.TotalCellChars)
	if strings.Contains(s, "_x") {
		s = escapedX.ReplaceAllString(s, "_x005F$0")
	}
	if !needsEscape(s) {
		return append(b, s...)
	}
	var w bytes.Buffer
	_ = xml.EscapeText(&w, []byte(s)) // a bytes.Buffer does not fail
	return append(b, bytes.ReplaceAll(w.Bytes(), []byte("&#xA;"), []byte("\n"))...)
}

// needsEscape says whether s holds anything xml.EscapeText would change
// but a line break.
func needsEscape(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '<', c == '>', c == '&', c == '"', c == '\'', c == '\t', c == '\r':
			return true
		case c < ' ' && c != '\n', c >= utf8.RuneSelf:
			// Control characters, and outside ASCII what XML cannot hold
			// (U+FFFE, U+FFFF) or invalid UTF-8: EscapeText decides.
			if c < ' ' {
				return true
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 || r == 0xFFFE || r == 0xFFFF {
				return true
			}
			i += size - 1
		}
	}
	return false
}

// cutUTF16 is s cut to at most n UTF-16 code units, never inside a
// character.
func cutUTF16(s string, n int) string {
	if len(s) <= n {
		return s // a byte is at least a unit
	}
	units := 0
	for i, r := range s {
		units += utf16.RuneLen(r)
		if units > n {
			return s[:i]
		}
	}
	return s
}

// Close writes the rows still held back, the sheet's end with the
// autofilter widened to the last row, and the workbook.
func (xw *XLSXWriter) Close() (err error) {
	if xw.closed {
		return errClosed
	}
	xw.closed = true
	defer func() {
		if cerr := xw.f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("export: close workbook: %w", cerr)
		}
	}()
	if !xw.started {
		if err := xw.start(); err != nil {
			return err
		}
	}
	if len(xw.header) > 0 {
		if err := xw.autoFilter(xw.rows); err != nil {
			return err
		}
	}
	parts, _, tail, err := xw.workbook()
	if err != nil {
		return err
	}
	if _, err := io.WriteString(xw.out, tail); err != nil {
		return fmt.Errorf("export: write sheet: %w", err)
	}
	for _, p := range parts.File {
		if p.Name == workbookPart {
			if err := xw.zw.Copy(p); err != nil {
				return fmt.Errorf("export: write workbook: %w", err)
			}
		}
	}
	if err := xw.zw.Close(); err != nil {
		return fmt.Errorf("export: write workbook: %w", err)
	}
	return nil
}

// Abort drops the workbook without finishing it.
func (xw *XLSXWriter) Abort() {
	if xw.closed {
		return
	}
	xw.closed = true
	xw.f.Close()
}

// WriteXLSX writes t as XLSXWriter does, on a sheet named
// SanitizeSheetName(t.Sheet), the header padded to the widest row.
func WriteXLSX(w io.Writer, t Table) error {
	if nrow := len(t.Rows) + 1; nrow > excelize.TotalRows {
		return fmt.Errorf("export: %d rows exceed Excel's limit of %d", nrow, excelize.TotalRows)
	}
	xw, err := NewXLSX(w, t.Sheet, t.header())
	if err != nil {
		return err
	}
	return writeTable(xw, t)
}

// columnWidths returns a rough Excel column width (in characters of the
// default font) for each of the first min(len(header), maxFittedCols)
// columns: the longest line of any cell plus some padding, with the bold
// header counted slightly wider, clamped to [minColWidth, maxColWidth].
func columnWidths(header []string, rows [][]string) []float64 {
	ncol := min(len(header), maxFittedCols)
	chars := make([]float64, ncol)
	for i, h := range header[:ncol] {
		chars[i] = textWidth(h) * 1.1
	}
	for _, row := range rows {
		for i, c := range row[:min(len(row), ncol)] {
			// Once a column hits the cap nothing can widen it further.
			if chars[i] >= maxColWidth {
				continue
			}
			chars[i] = max(chars[i], textWidth(c))
		}
	}
	for i, c := range chars {
		chars[i] = min(max(math.Ceil(c)+2, minColWidth), maxColWidth)
	}
	return chars
}

// textWidth estimates the displayed width of the longest line of s, counting
// East Asian wide and full-width characters as two.
func textWidth(s string) float64 {
	longest, cur := 0, 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			if c == '\n' {
				longest, cur = max(longest, cur), 0
			} else {
				cur++
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			cur += 2
		default:
			cur++
		}
	}
	return float64(max(longest, cur))
}
