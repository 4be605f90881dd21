// Package export writes tabular data as files that a Swedish office user
// opens directly in Excel: semicolon-separated CSV with a UTF-8 byte-order
// mark, and .xlsx workbooks.
//
// The package does no formatting of its own. Callers hand it cell text that
// is already formatted for Swedish readers (dates as 2026-03-14, amounts as
// "1 234,50", negative amounts with U+2212 MINUS SIGN), and every cell is
// written as text.
package export

// Table is what is exported: column headings and rows of cell text, already
// formatted for Swedish readers (dates 2026-03-14, amounts "1 234,50").
//
// Rows may be ragged; short rows (and a short Header) are padded with empty
// cells up to the widest row so that every record has the same number of
// fields.
type Table struct {
	// Sheet is the worksheet name used by WriteXLSX, e.g. "Ärenden". It is
	// passed through SanitizeSheetName, so any text is accepted. WriteCSV
	// ignores it.
	Sheet  string
	Header []string
	Rows   [][]string
}

// columns returns the number of columns in t: the length of the header or of
// the longest row, whichever is greater.
func (t Table) columns() int {
	n := len(t.Header)
	for _, r := range t.Rows {
		n = max(n, len(r))
	}
	return n
}
