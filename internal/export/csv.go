package export

import (
	"bufio"
	"io"
	"strings"
)

// utf8BOM makes Excel read the file as UTF-8 instead of the ANSI code page
// (Windows-1252), so å, ä and ö survive a double-click.
const utf8BOM = "\uFEFF"

// CSVWriter writes a CSV file row by row the way Swedish Excel expects:
// UTF-8 with a byte-order mark, semicolon-separated (Swedish Excel uses ';'
// as list separator because ',' is the decimal comma), CRLF line ends, and
// fields quoted when they contain ';', '"', CR or LF (inner quotes doubled,
// line breaks inside quotes written verbatim). Every record has as many
// fields as the header; short rows are padded with empty fields.
//
// Cells that start with '=', '+', '-', '@', a tab or a carriage return are
// neutralised against formula injection by prefixing a single quote ', as
// advised by OWASP (CSV Injection). This applies to the header too. Excel
// shows the quote as part of the text. Consequences callers should know:
//
//   - Negative amounts formatted by us with U+2212 MINUS SIGN, such as
//     "−12,50", do not start with '-' and are written unchanged.
//   - A plain "-12" (typically user-entered text) IS neutralised to "'-12".
//   - Phone numbers in international form such as "+46701234567" ARE
//     neutralised to "'+46701234567". This is intended: Excel would
//     otherwise turn them into a number (and lose the '+') or evaluate them.
//
// Dates like "2026-03-14" and text like "Skövde" are written unchanged.
//
// Output is buffered in blocks of 64 KB, so the first bytes reach the
// underlying writer only after about 64 KB of rows (or at Close): an error
// before that can still become an error page instead of half a file.
type CSVWriter struct {
	bw     *bufio.Writer
	ncol   int
	closed bool
}

// NewCSV returns a CSVWriter that has written the byte-order mark and
// header to its buffer. The header fixes the number of columns.
func NewCSV(w io.Writer, header []string) *CSVWriter {
	cw := &CSVWriter{bw: bufio.NewWriterSize(w, 64<<10), ncol: len(header)}
	cw.bw.WriteString(utf8BOM)
	writeCSVRecord(cw.bw, header, cw.ncol)
	return cw
}

// Row writes one record, padded to the header's width.
func (cw *CSVWriter) Row(cells ...string) error {
	if cw.closed {
		return errClosed
	}
	if len(cells) > cw.ncol {
		return tooWide(len(cells), cw.ncol)
	}
	// bufio.Writer remembers the first write error and returns it from
	// every later write, so the record's last write reports it.
	return writeCSVRecord(cw.bw, cells, cw.ncol)
}

// Close writes what is buffered to the underlying writer.
func (cw *CSVWriter) Close() error {
	if cw.closed {
		return errClosed
	}
	cw.closed = true
	return cw.bw.Flush()
}

// Abort drops what is buffered.
func (cw *CSVWriter) Abort() {
	cw.closed = true
}

// WriteCSV writes t as CSVWriter does, the header padded to the widest
// row.
func WriteCSV(w io.Writer, t Table) error {
	return writeTable(NewCSV(w, t.header()), t)
}

// writeCSVRecord writes one record of ncol fields followed by CRLF, and
// returns bw's error.
func writeCSVRecord(bw *bufio.Writer, row []string, ncol int) error {
	for i := range ncol {
		if i > 0 {
			bw.WriteByte(';')
		}
		if i < len(row) {
			writeCSVField(bw, row[i])
		}
	}
	_, err := bw.WriteString("\r\n")
	return err
}

// writeCSVField writes one neutralised and, if needed, quoted field.
func writeCSVField(bw *bufio.Writer, s string) {
	prefix := needsNeutralising(s)
	if !strings.ContainsAny(s, ";\"\r\n") {
		if prefix {
			bw.WriteByte('\'')
		}
		bw.WriteString(s)
		return
	}
	bw.WriteByte('"')
	if prefix {
		bw.WriteByte('\'')
	}
	for {
		i := strings.IndexByte(s, '"')
		if i < 0 {
			break
		}
		bw.WriteString(s[:i+1])
		bw.WriteByte('"')
		s = s[i+1:]
	}
	bw.WriteString(s)
	bw.WriteByte('"')
}

// needsNeutralising reports whether s starts with a character that makes
// Excel (or LibreOffice, Google Sheets) treat the cell as a formula:
// = + - @ tab or carriage return (OWASP CSV Injection).
func needsNeutralising(s string) bool {
	if s == "" {
		return false
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}

// Neutralise returns s as CSVWriter writes it before quoting: prefixed with a
// single quote if it starts with = + - @ tab or carriage return, otherwise
// unchanged.
func Neutralise(s string) string {
	if needsNeutralising(s) {
		return "'" + s
	}
	return s
}
