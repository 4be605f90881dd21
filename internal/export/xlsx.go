package export

import (
	"fmt"
	"io"
	"math"
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

// WriteXLSX writes t as an .xlsx workbook with a single sheet named
// SanitizeSheetName(t.Sheet). The header row is bold, frozen and carries an
// autofilter covering all rows; column widths are fitted roughly to the
// content (between 8 and 60 characters) for the first 256 columns.
//
// Every cell is written as an inline string, verbatim: string cells are
// never evaluated by Excel, so there is no formula injection and, unlike
// WriteCSV, no leading-quote neutralisation. Empty cells are left blank.
// Excel's limits apply: at most 1 048 576 rows including the header and
// 16 384 columns (an error is returned beyond them), and cell text longer
// than 32 767 characters is truncated by excelize.
//
// Rows are streamed with excelize's StreamWriter, which keeps at most about
// 16 MB of sheet XML in memory and spills the rest to a temporary file, so
// large exports do not build the whole sheet in memory.
func WriteXLSX(w io.Writer, t Table) (err error) {
	ncol := t.columns()
	if ncol > excelize.MaxColumns {
		return fmt.Errorf("export: %d columns exceed Excel's limit of %d", ncol, excelize.MaxColumns)
	}
	if nrow := len(t.Rows) + 1; nrow > excelize.TotalRows {
		return fmt.Errorf("export: %d rows exceed Excel's limit of %d", nrow, excelize.TotalRows)
	}

	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("export: close workbook: %w", cerr)
		}
	}()

	sheet := SanitizeSheetName(t.Sheet)
	if first := f.GetSheetName(0); first != sheet {
		if err := f.SetSheetName(first, sheet); err != nil {
			return fmt.Errorf("export: sheet name %q: %w", sheet, err)
		}
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("export: header style: %w", err)
	}

	if ncol > 0 {
		// The autofilter must be set before the stream writer reads the
		// worksheet; it is then written out with the streamed sheet.
		last, err := excelize.CoordinatesToCellName(ncol, len(t.Rows)+1)
		if err != nil {
			return fmt.Errorf("export: autofilter: %w", err)
		}
		if err := f.AutoFilter(sheet, "A1:"+last, nil); err != nil {
			return fmt.Errorf("export: autofilter: %w", err)
		}
	}

	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("export: stream writer: %w", err)
	}
	// Panes and column widths must be set before the first row.
	if err := sw.SetPanes(&excelize.Panes{
		Freeze:      true,
		YSplit:      1,
		TopLeftCell: "A2",
		ActivePane:  "bottomLeft",
		Selection:   []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	}); err != nil {
		return fmt.Errorf("export: freeze header: %w", err)
	}
	// Set widths from the last column to the first: StreamWriter.SetColWidth
	// prepends each column to the <cols> list and, unlike the non-streaming
	// save path, never sorts it, while Excel wants <col> elements in
	// ascending order (TestWriteXLSXColsAscending guards this).
	widths := columnWidths(t, ncol)
	for i := len(widths) - 1; i >= 0; i-- {
		if err := sw.SetColWidth(i+1, i+1, widths[i]); err != nil {
			return fmt.Errorf("export: column width: %w", err)
		}
	}

	vals := make([]any, ncol)
	if ncol > 0 {
		for i := range vals {
			if i < len(t.Header) && t.Header[i] != "" {
				vals[i] = excelize.Cell{StyleID: bold, Value: t.Header[i]}
			}
		}
		if err := sw.SetRow("A1", vals); err != nil {
			return fmt.Errorf("export: header row: %w", err)
		}
	}
	for r, row := range t.Rows {
		for i := range vals {
			if i < len(row) && row[i] != "" {
				vals[i] = row[i]
			} else {
				vals[i] = nil
			}
		}
		cell, err := excelize.CoordinatesToCellName(1, r+2)
		if err != nil {
			return fmt.Errorf("export: row %d: %w", r+1, err)
		}
		if err := sw.SetRow(cell, vals); err != nil {
			return fmt.Errorf("export: row %d: %w", r+1, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("export: flush sheet: %w", err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("export: write workbook: %w", err)
	}
	return nil
}

// columnWidths returns a rough Excel column width (in characters of the
// default font) for each of the first min(ncol, maxFittedCols) columns: the longest line of any cell plus some padding,
// with the bold header counted slightly wider, clamped to
// [minColWidth, maxColWidth].
func columnWidths(t Table, ncol int) []float64 {
	ncol = min(ncol, maxFittedCols)
	chars := make([]float64, ncol)
	for i, h := range t.Header[:min(len(t.Header), ncol)] {
		chars[i] = textWidth(h) * 1.1
	}
	for _, row := range t.Rows {
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
