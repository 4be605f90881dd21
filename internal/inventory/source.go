package inventory

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"
)

// parseCSV reads a CSV file.
func parseCSV(data []byte) Result {
	text, ok := decodeText(data)
	if !ok {
		return fileError(unknownFormat)
	}
	text, sep := separator(text)
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = sep
	r.LazyQuotes = true // a lone " as in `Modell 24"` is common
	r.FieldsPerRecord = -1
	t := &table{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			line := 0
			if pe := (*csv.ParseError)(nil); errors.As(err, &pe) {
				line = pe.StartLine
			}
			t.res.Errors = append(t.res.Errors, fmt.Sprintf("Rad %d kunde inte läsas. Kontrollera citattecknen på raden.", line))
			t.res.Rows, t.stopped = nil, true
			break
		}
		line, _ := r.FieldPos(0)
		cells := make([]cell, len(rec))
		for i, v := range rec {
			cells[i].text = v
		}
		if !t.add(line, cells) {
			break
		}
	}
	return t.finish()
}

// decodeText turns the bytes of a text file into a string: UTF-8 (a BOM is
// dropped), UTF-16 with a BOM (Excel's "Unicode text"), or else
// Windows-1252 (Excel's "CSV" on Swedish Windows) when the bytes are not
// valid UTF-8. It reports false for what is plainly not text.
func decodeText(data []byte) (string, bool) {
	var s string
	switch {
	case hasPrefix(data, "\xef\xbb\xbf"):
		s = strings.ToValidUTF8(string(data[3:]), string(utf8.RuneError))
	case hasPrefix(data, "\xff\xfe"), hasPrefix(data, "\xfe\xff"):
		b, err := xunicode.UTF16(xunicode.BigEndian, xunicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil {
			return "", false
		}
		s = string(b)
	case utf8.Valid(data):
		s = string(data)
	default:
		b, err := charmap.Windows1252.NewDecoder().Bytes(data)
		if err != nil {
			return "", false
		}
		s = string(b)
	}
	if strings.ContainsRune(s, 0) || strings.HasPrefix(s, "%PDF") {
		return "", false
	}
	// Old Mac files end lines with CR alone.
	if !strings.Contains(s, "\n") {
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	return s, true
}

// separator finds the CSV separator: from Excel's "sep=;" first line if
// there is one (the line is blanked, so line numbers stay right), else the
// most frequent of ';', tab and ',' outside quotes on the header line, the
// first non-blank line. A tie goes in that order; ';' is what Swedish Excel
// writes.
func separator(text string) (string, rune) {
	first, rest, _ := strings.Cut(text, "\n")
	d := strings.Trim(strings.TrimRight(first, "\r"), `"`)
	if len(d) >= 5 && strings.EqualFold(d[:4], "sep=") {
		if r, size := utf8.DecodeRuneInString(d[4:]); size == len(d)-4 && r != utf8.RuneError && !strings.ContainsRune("\"\r\n", r) {
			return "\n" + rest, r
		}
	}
	for line := range strings.Lines(text) {
		if strings.TrimSpace(line) == "" {
			continue
		}
		counts := map[rune]int{}
		quoted := false
		for _, r := range line {
			switch r {
			case '"':
				quoted = !quoted
			case ';', '\t', ',':
				if !quoted {
					counts[r]++
				}
			}
		}
		best := ';'
		for _, r := range []rune{'\t', ','} {
			if counts[r] > counts[best] {
				best = r
			}
		}
		return text, best
	}
	return text, ';'
}

// maxUnzipped bounds the unpacked size of an Excel file, against zip bombs.
// A sheet of 5000 machines is a few megabytes.
const maxUnzipped = 128 << 20

// parseXLSX reads the first sheet of an Excel workbook.
func parseXLSX(data []byte) Result {
	const unreadable = "Excel-filen kunde inte läsas. Kontrollera att det är en Excel-arbetsbok (.xlsx) utan lösenord."
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxUnzipped})
	if err != nil {
		return fileError(unreadable)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return fileError(unreadable)
	}
	sheet := sheets[0]
	rows, err := f.Rows(sheet)
	if err != nil {
		return fileError(unreadable)
	}
	t := &table{}
	if p, err := f.GetWorkbookProps(); err == nil && p.Date1904 != nil {
		t.date1904 = *p.Date1904
	}
	// Each Next is the next row number, empty rows included, so n is the
	// row number Excel shows.
	for n := 1; rows.Next(); n++ {
		vals, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			t.res.Errors = append(t.res.Errors, unreadable)
			t.stopped = true
			break
		}
		cells := make([]cell, len(vals))
		for i, v := range vals {
			cells[i].text = v
		}
		if !t.add(n, cells) {
			break
		}
	}
	if err := rows.Close(); err != nil && !t.stopped {
		t.res.Errors = append(t.res.Errors, unreadable)
		t.stopped = true
	}
	if !t.stopped {
		numbers := xlsxNumbers{f: f, sheet: sheet, dateStyle: map[int]bool{}}
		for _, rr := range t.dataRows {
			for i := range rr.cells {
				if i < len(t.cols) && t.cols[i] != fUnknown {
					numbers.resolve(&rr.cells[i], i+1, rr.line)
				}
			}
		}
	}
	return t.finish()
}

// xlsxNumbers finds the number cells among the raw values read.
type xlsxNumbers struct {
	f         *excelize.File
	sheet     string
	dateStyle map[int]bool // style index → has a date format
}

var numberLiteral = regexp.MustCompile(`^[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$`)

// resolve makes c, read raw from (col, row), a number cell if it is one:
// its text becomes what numberText gives, and it records whether the cell
// has a date format. Text cells that look like numbers ("007") stay as
// they are.
func (x xlsxNumbers) resolve(c *cell, col, row int) {
	if !numberLiteral.MatchString(c.text) {
		return
	}
	name, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		return
	}
	if typ, err := x.f.GetCellType(x.sheet, name); err != nil || (typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber) {
		return
	}
	v, err := strconv.ParseFloat(c.text, 64)
	if err != nil {
		return
	}
	// What Excel shows matters only for numbers that are not dates, and
	// formatting dates is slow.
	date, shown := x.isDate(name), ""
	if !date {
		shown, _ = x.f.GetCellValue(x.sheet, name)
	}
	*c = cell{text: numberText(c.text, v, shown), num: true, number: v, date: date}
}

// isDate reports whether the cell's number format shows a date.
func (x xlsxNumbers) isDate(name string) bool {
	idx, err := x.f.GetCellStyle(x.sheet, name)
	if err != nil {
		return false
	}
	if d, ok := x.dateStyle[idx]; ok {
		return d
	}
	d := false
	if st, err := x.f.GetStyle(idx); err == nil {
		if st.CustomNumFmt != nil {
			d = isDateFormatCode(*st.CustomNumFmt)
		} else {
			d = isDateFormatID(st.NumFmt)
		}
	}
	x.dateStyle[idx] = d
	return d
}

// isDateFormatID reports whether a built-in number format shows a date:
// 14–17 and 22 in every locale, 27–36 and 50–58 in East Asian ones. The
// time-only formats (18–21, 45–47) do not.
func isDateFormatID(id int) bool {
	return (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) || (id >= 50 && id <= 58)
}

// isDateFormatCode reports whether a custom number format code shows a
// date: it has a day or year part outside quoted text, brackets and
// escapes. Codes are stored in English whatever Excel's language, so
// "ÅÅÅÅ-MM-DD" is saved as "yyyy-mm-dd".
func isDateFormatCode(code string) bool {
	section, _, _ := strings.Cut(code, ";")
	quoted, bracket, escaped := false, false, false
	for _, r := range section {
		switch {
		case escaped:
			escaped = false
		case quoted:
			quoted = r != '"'
		case bracket:
			bracket = r != ']'
		case r == '\\':
			escaped = true
		case r == '"':
			quoted = true
		case r == '[':
			bracket = true
		case r == 'd', r == 'D', r == 'y', r == 'Y':
			return true
		}
	}
	return false
}

// isODS reports an OpenDocument spreadsheet: a zip whose first entry is
// "mimetype", stored, holding its media type.
func isODS(data []byte) bool {
	const at = 30 + len("mimetype")
	return len(data) > at && string(data[30:at]) == "mimetype" &&
		bytes.HasPrefix(data[at:], []byte("application/vnd.oasis.opendocument"))
}
