// Package export writes tabular data as files that a Swedish office user
// opens directly in Excel: semicolon-separated CSV with a UTF-8 byte-order
// mark, and .xlsx workbooks.
//
// Files are written row by row: NewCSV and NewXLSX return a Writer that
// takes the header when it is made and one row per Row call, so an export
// of 100 000 rows never holds them all. WriteCSV and WriteXLSX write a
// Table held in memory, for small exports.
//
// The package does no formatting of its own. Callers hand it cell text that
// is already formatted for Swedish readers (dates as 2026-03-14, amounts as
// "1 234,50", negative amounts with U+2212 MINUS SIGN), and every cell is
// written as text.
package export

import (
	"errors"
	"fmt"
	"io"
	"slices"
)

// Writer writes one table row by row. The header is given when the writer
// is made and fixes the number of columns: shorter rows are padded with
// empty cells, a longer row is an error.
//
// The usual pattern, like a transaction's deferred Rollback:
//
//	ew := export.NewCSV(w, header)
//	defer ew.Abort() // a no-op once Close has run
//	for ... { if err := ew.Row(cells...); err != nil { return err } }
//	return ew.Close()
type Writer interface {
	// Row writes one row. Row does not keep cells, so the caller may
	// reuse the slice.
	Row(cells ...string) error
	// Close finishes the file, writes what remains to the underlying
	// writer and releases the writer's resources.
	Close() error
	// Abort releases the writer's resources without finishing the file,
	// for a caller whose rows failed. What the writer has already passed
	// on stays written (for CSV, whole 64 KB blocks; for XLSX, the zip so
	// far, after the first 200 rows, which no reader opens); nothing more
	// is. Abort after Close does nothing.
	Abort()
}

// New returns a Writer of format, "csv" or "xlsx", with the given header;
// sheet names the worksheet of an xlsx file and is ignored for CSV.
func New(w io.Writer, format, sheet string, header []string) (Writer, error) {
	switch format {
	case "csv":
		return NewCSV(w, header), nil
	case "xlsx":
		return NewXLSX(w, sheet, header)
	}
	return nil, fmt.Errorf("export: unknown format %q", format)
}

// errClosed is returned by a writer used after Close or Abort.
var errClosed = errors.New("export: writer is closed")

// tooWide is the error for a row with more cells than the header.
func tooWide(n, ncol int) error {
	return fmt.Errorf("export: row of %d cells is wider than the header of %d columns", n, ncol)
}

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

// header returns t's header padded with empty headings to the widest row,
// the column count of a streaming writer for t.
func (t Table) header() []string {
	n := len(t.Header)
	for _, r := range t.Rows {
		n = max(n, len(r))
	}
	if n == len(t.Header) {
		return t.Header
	}
	return append(slices.Clip(t.Header), make([]string, n-len(t.Header))...)
}

// writeTable writes every row of t to ew and finishes it.
func writeTable(ew Writer, t Table) error {
	defer ew.Abort()
	for _, row := range t.Rows {
		if err := ew.Row(row...); err != nil {
			return err
		}
	}
	return ew.Close()
}
