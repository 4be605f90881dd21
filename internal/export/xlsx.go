package export

import (
	"archive/zip"
	"fmt"
	"io"
	"math"
	"slices"
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
	// Excel's default. excelize's StreamWriter.SetColWidth is quadratic in
	// the number of columns already set (1 000 columns take about a second,
	// 4 000 about half a minute), and no real export is that wide.
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
// than 32 767 characters is truncated by excelize.
//
// Rows are streamed with excelize's StreamWriter, which keeps at most about
// 16 MB of sheet XML in memory and spills the rest to a temporary file; the
// workbook reaches the underlying writer only at Close, when the sheet is
// complete, zipped straight into it (not into a buffer of the whole file,
// as excelize would by default).
type XLSXWriter struct {
	w      io.Writer
	f      *excelize.File
	sw     *excelize.StreamWriter
	sheet  string
	header []string
	bold   int
	// sample holds the first rows until the column widths are set; nil
	// once they are.
	sample  [][]string
	started bool
	rows    int   // rows written, the header included
	vals    []any // one row's cells, reused
	closed  bool
}

// NewXLSX returns an XLSXWriter for a sheet named SanitizeSheetName(sheet)
// with the given header, which fixes the number of columns.
func NewXLSX(w io.Writer, sheet string, header []string) (*XLSXWriter, error) {
	ncol := len(header)
	if ncol > excelize.MaxColumns {
		return nil, fmt.Errorf("export: %d columns exceed Excel's limit of %d", ncol, excelize.MaxColumns)
	}
	xw := &XLSXWriter{w: w, f: excelize.NewFile(), sheet: SanitizeSheetName(sheet), header: header, vals: make([]any, ncol)}
	// excelize zips the workbook into a buffer it then copies to w; the
	// buffer is only read back for entries over 4 GB (ZIP64), which a
	// sheet of at most Excel's rows of our cells never has. So the zip
	// goes to w, and the buffer stays empty.
	xw.f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(w) })
	if err := xw.open(); err != nil {
		xw.f.Close()
		return nil, err
	}
	return xw, nil
}

// open names the sheet, sets its style, filter and panes, and makes the
// stream writer.
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
		// The autofilter marks the sheet as filtered (<sheetPr>), which the
		// stream writer writes when it is made, so a filter over the
		// header alone is set now; Close widens it to the last row.
		if err := xw.autoFilter(1); err != nil {
			return err
		}
	}
	if xw.sw, err = f.NewStreamWriter(sheet); err != nil {
		return fmt.Errorf("export: stream writer: %w", err)
	}
	// Panes and column widths must be set before the first row.
	if err := xw.sw.SetPanes(&excelize.Panes{
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
	return xw.writeRow(cells)
}

// start fits the column widths to the header and the rows held back, then
// writes them.
func (xw *XLSXWriter) start() error {
	xw.started = true
	// Set widths from the last column to the first: StreamWriter.SetColWidth
	// prepends each column to the <cols> list and, unlike the non-streaming
	// save path, never sorts it, while Excel wants <col> elements in
	// ascending order (TestWriteXLSXColsAscending guards this).
	widths := columnWidths(xw.header, xw.sample)
	for i := len(widths) - 1; i >= 0; i-- {
		if err := xw.sw.SetColWidth(i+1, i+1, widths[i]); err != nil {
			return fmt.Errorf("export: column width: %w", err)
		}
	}
	if len(xw.header) > 0 {
		for i, h := range xw.header {
			xw.vals[i] = nil
			if h != "" {
				xw.vals[i] = excelize.Cell{StyleID: xw.bold, Value: h}
			}
		}
		if err := xw.sw.SetRow("A1", xw.vals); err != nil {
			return fmt.Errorf("export: header row: %w", err)
		}
	}
	xw.rows = 1
	sample := xw.sample
	xw.sample = nil
	for _, row := range sample {
		if err := xw.writeRow(row); err != nil {
			return err
		}
	}
	return nil
}

// writeRow writes one data row after the last.
func (xw *XLSXWriter) writeRow(row []string) error {
	if xw.rows >= excelize.TotalRows {
		return fmt.Errorf("export: more than %d rows exceed Excel's limit", excelize.TotalRows)
	}
	for i := range xw.vals {
		if i < len(row) && row[i] != "" {
			xw.vals[i] = row[i]
		} else {
			xw.vals[i] = nil
		}
	}
	xw.rows++
	cell, err := excelize.CoordinatesToCellName(1, xw.rows)
	if err != nil {
		return fmt.Errorf("export: row %d: %w", xw.rows-1, err)
	}
	if err := xw.sw.SetRow(cell, xw.vals); err != nil {
		return fmt.Errorf("export: row %d: %w", xw.rows-1, err)
	}
	return nil
}

// Close writes the rows still held back, widens the autofilter to the last
// row, and writes the workbook to the underlying writer.
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
		// The stream writer reads the worksheet's <autoFilter> only in
		// Flush, so the filter can still be widened to the rows written.
		if err := xw.autoFilter(xw.rows); err != nil {
			return err
		}
	}
	if err := xw.sw.Flush(); err != nil {
		return fmt.Errorf("export: flush sheet: %w", err)
	}
	if err := xw.f.Write(xw.w); err != nil {
		return fmt.Errorf("export: write workbook: %w", err)
	}
	return nil
}

// Abort drops the workbook and its temporary file without writing it.
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
