// Package inventory reads a customer's list of machines (CSV or Excel) for
// import into the asset register. It checks every row and never stops at
// the first problem, so the user can see all that needs fixing in one
// preview; the import should go ahead only when Result.OK.
package inventory

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"kundportal/internal/repair"
)

// Limits.
const (
	// MaxRows is the most data rows (machines) one file may hold.
	MaxRows = 5000
	// MaxNumber is the longest Objektnummer, in characters.
	MaxNumber = 20
	// MaxText is the longest value of any other text column, in characters.
	MaxText = repair.MaxLine
)

// Row is one parsed row: the asset it describes (CustomerID and ContractID
// left 0; ContractNumber set from the file) and its problems.
type Row struct {
	// Line is the 1-based line (CSV) or row (Excel) number in the file as
	// the user sees it; the header is normally line 1.
	Line  int
	Asset repair.Asset
	// Errors are Swedish messages for the user, e.g. "Objektnummer
	// saknas." A value that fails a check is kept in Asset as written
	// (trimmed), so a preview can show it next to its message.
	Errors []string
}

// Result of a parse.
type Result struct {
	Rows []Row
	// Columns are the recognised columns, in file order, by their
	// canonical Swedish name (ColNumber, ...). A combined "Postnr / ort"
	// column is listed as ColPostal followed by ColCity.
	Columns []string
	// Errors are file-level problems: unknown format, no header, a
	// required column missing, a column given twice, no rows or too many.
	// When there are any, Rows may be incomplete or empty.
	Errors []string
}

// OK reports whether the file and every row are valid, and there is at
// least one row to import.
func (r Result) OK() bool {
	if len(r.Errors) > 0 || len(r.Rows) == 0 {
		return false
	}
	for _, row := range r.Rows {
		if len(row.Errors) > 0 {
			return false
		}
	}
	return true
}

// Parse reads an inventory from data: CSV (UTF-8 with or without BOM,
// UTF-16 with BOM, otherwise Windows-1252; separator ';', ',' or tab, taken
// from the header line) or Excel .xlsx (the first sheet). The first
// non-empty row must be the header; columns are recognised by name (see
// the Col constants) and others are ignored. Rows whose recognised cells
// are all empty are skipped.
func Parse(data []byte) Result {
	switch {
	case len(data) == 0:
		return fileError("Filen är tom.")
	case hasPrefix(data, "PK\x03\x04"):
		if isODS(data) {
			return fileError("OpenDocument-kalkylblad (.ods) stöds inte. Spara filen som Excel-arbetsbok (.xlsx) eller CSV och försök igen.")
		}
		return parseXLSX(data)
	case hasPrefix(data, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
		return fileError("Filen är en äldre Excel-fil (.xls) eller lösenordsskyddad. Spara den utan lösenord som Excel-arbetsbok (.xlsx) eller CSV och försök igen.")
	}
	return parseCSV(data)
}

// unknownFormat is the message for files that are neither CSV nor XLSX.
const unknownFormat = "Okänt filformat. Ladda upp en CSV-fil eller en Excel-arbetsbok (.xlsx)."

func fileError(msg string) Result { return Result{Errors: []string{msg}} }

func hasPrefix(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && string(b[:len(prefix)]) == prefix
}

// cell is one cell as read. Excel numbers carry their value too, so that
// Installerad can take a date serial.
type cell struct {
	text   string
	num    bool    // an Excel number cell
	number float64 // its value
	date   bool    // it has a date format
}

type rawRow struct {
	line  int
	cells []cell
}

// table collects the header and the data rows, one row at a time, from a
// CSV or Excel reader.
type table struct {
	res      Result
	haveHead bool
	cols     []field // by column index; fUnknown beyond the header
	dataRows []rawRow
	stopped  bool // the file was rejected while reading
	date1904 bool // Excel's 1904 date system
}

// add takes the next row read from the file; it returns false when
// reading should stop.
func (t *table) add(line int, cells []cell) bool {
	if !t.haveHead {
		if allBlank(cells, nil) {
			return true
		}
		t.haveHead = true
		t.header(cells)
		if len(t.res.Errors) > 0 {
			t.stopped = true
			return false
		}
		return true
	}
	if allBlank(cells, t.cols) {
		return true
	}
	if len(t.dataRows) == MaxRows {
		t.res.Errors = append(t.res.Errors, fmt.Sprintf("Filen har fler än %d rader med maskiner. Dela upp den i flera filer med högst %d rader i varje.", MaxRows, MaxRows))
		t.dataRows = nil
		t.stopped = true
		return false
	}
	t.dataRows = append(t.dataRows, rawRow{line: line, cells: cells})
	return true
}

// allBlank reports whether every cell is empty; with cols, only the cells
// of recognised columns count.
func allBlank(cells []cell, cols []field) bool {
	for i, c := range cells {
		if cols != nil && (i >= len(cols) || cols[i] == fUnknown) {
			continue
		}
		if strings.TrimSpace(c.text) != "" {
			return false
		}
	}
	return true
}

// header recognises the columns of the header row.
func (t *table) header(cells []cell) {
	t.cols = make([]field, len(cells))
	seen := map[field]string{} // field → the heading that gave it
	for i, c := range cells {
		heading := strings.TrimSpace(c.text)
		f := lookupHeading(heading)
		t.cols[i] = f
		if f == fUnknown {
			continue
		}
		fields := []field{f}
		if f == fPostalCity {
			fields = []field{fPostal, fCity}
		}
		for _, g := range fields {
			if prev, dup := seen[g]; dup {
				t.res.Errors = append(t.res.Errors, fmt.Sprintf("Kolumnerna ”%s” och ”%s” betyder båda %s. Ta bort eller byt namn på den ena.", prev, heading, fieldNames[g]))
				continue
			}
			seen[g] = heading
			t.res.Columns = append(t.res.Columns, fieldNames[g])
		}
	}
	if len(seen) == 0 {
		t.res.Errors = append(t.res.Errors, "Hittar ingen rubrikrad. Första raden ska ha kolumnrubriker, t.ex. Objektnummer, Maskin, Fabrikat och Gata.")
		return
	}
	for _, f := range []field{fNumber, fKind} {
		if _, ok := seen[f]; !ok {
			t.res.Errors = append(t.res.Errors, fmt.Sprintf("Kolumnen %s saknas i rubrikraden.", fieldNames[f]))
		}
	}
}

// finish checks the rows once all are read.
func (t *table) finish() Result {
	if t.stopped {
		return t.res
	}
	if !t.haveHead {
		return fileError("Filen är tom.")
	}
	if len(t.dataRows) == 0 {
		t.res.Errors = append(t.res.Errors, "Filen har inga maskiner under rubrikraden.")
		return t.res
	}
	t.res.Rows = make([]Row, len(t.dataRows))
	for i, rr := range t.dataRows {
		t.res.Rows[i] = t.row(rr)
	}
	markDuplicates(t.res.Rows)
	return t.res
}

// row turns one data row into an asset and checks it.
func (t *table) row(rr rawRow) Row {
	var vals [numFields]cell
	for i, c := range rr.cells {
		if i >= len(t.cols) {
			break
		}
		c.text = strings.TrimSpace(c.text)
		switch f := t.cols[i]; f {
		case fUnknown:
		case fPostalCity:
			vals[fPostal].text, vals[fCity].text = splitPostalCity(c.text)
		default:
			vals[f] = c
		}
	}

	row := Row{Line: rr.line}
	errorf := func(format string, args ...any) {
		row.Errors = append(row.Errors, fmt.Sprintf(format, args...))
	}
	// text returns the value of f and reports what is wrong with it as
	// text: invalid or control characters, or too long.
	text := func(f field, max int) string {
		v := vals[f].text
		name := fieldNames[f]
		switch {
		case strings.ContainsAny(v, "\r\n"):
			errorf("%s innehåller en radbrytning. Skriv allt på en rad.", name)
		case hasControl(v):
			errorf("%s innehåller otillåtna styrtecken.", name)
		case strings.ContainsRune(v, utf8.RuneError):
			errorf("%s innehåller ogiltiga tecken. Spara filen som CSV UTF-8 och försök igen.", name)
		case utf8.RuneCountInString(v) > max:
			errorf("%s får vara högst %d tecken (nu %d).", name, max, utf8.RuneCountInString(v))
		}
		return v
	}

	a := &row.Asset
	errs := len(row.Errors)
	a.Number = text(fNumber, MaxNumber)
	if len(row.Errors) == errs {
		switch {
		case a.Number == "":
			errorf("%s saknas.", ColNumber)
		case !validNumber(a.Number):
			errorf("%s får bara innehålla bokstäver, siffror och bindestreck.", ColNumber)
		}
	}
	a.Kind = text(fKind, MaxText)
	if a.Kind == "" {
		errorf("%s saknas.", ColKind)
	}
	a.Brand = text(fBrand, MaxText)
	a.Model = text(fModel, MaxText)
	a.SerialNumber = text(fSerial, MaxText)
	a.SiteName = text(fSite, MaxText)
	a.Street = text(fStreet, MaxText)

	errs = len(row.Errors)
	a.PostalCode = text(fPostal, MaxText)
	if a.PostalCode != "" && len(row.Errors) == errs {
		if pc, ok := repair.NormalizePostalCode(a.PostalCode); ok {
			a.PostalCode = pc
		} else {
			errorf("Postnumret ska ha fem siffror, t.ex. 541 30.")
		}
	}
	a.City = text(fCity, MaxText)
	a.Location = text(fLocation, MaxText)
	a.ContractNumber = text(fContract, MaxText)

	errs = len(row.Errors)
	a.InstalledOn = text(fInstalled, MaxText)
	if len(row.Errors) == errs && (a.InstalledOn != "" || vals[fInstalled].num) {
		if d, ok := parseDate(vals[fInstalled], t.date1904); ok {
			a.InstalledOn = d
		} else {
			errorf("%s ska vara ett datum som ÅÅÅÅ-MM-DD, t.ex. 2015-09-19.", ColInstalled)
		}
	}
	return row
}

// validNumber reports whether s holds only letters (A–Ö), digits and
// hyphens. Other letters are refused: the number is printed on a label and
// typed in searches.
func validNumber(s string) bool {
	for _, r := range s {
		switch {
		case 'A' <= r && r <= 'Z', 'a' <= r && r <= 'z', '0' <= r && r <= '9', r == '-':
		case strings.ContainsRune("ÅÄÖåäö", r):
		default:
			return false
		}
	}
	return true
}

// markDuplicates reports every Objektnummer given on more than one row, on
// each of those rows. Numbers differing only in case count as the same: on
// a label they cannot be told apart.
func markDuplicates(rows []Row) {
	lines := map[string][]int{} // upper-cased number → indexes into rows
	for i, r := range rows {
		if r.Asset.Number == "" {
			continue
		}
		k := strings.ToUpper(r.Asset.Number)
		lines[k] = append(lines[k], i)
	}
	for i := range rows {
		r := &rows[i]
		if r.Asset.Number == "" {
			continue
		}
		same := lines[strings.ToUpper(r.Asset.Number)]
		if len(same) < 2 {
			continue
		}
		var others []string
		for _, j := range same {
			if j != i {
				others = append(others, strconv.Itoa(rows[j].Line))
			}
		}
		r.Errors = append(r.Errors, fmt.Sprintf("%s %s förekommer också på rad %s.", ColNumber, r.Asset.Number, joinSwedish(others)))
	}
}

// joinSwedish joins "3", "7", "9" as "3, 7 och 9".
func joinSwedish(items []string) string {
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " och " + items[len(items)-1]
}

// postalCity splits "541 30 Skövde", "54130 Skövde" or "SE-541 30
// Skövde": a leading postal code (digits and spaces), then the city.
var postalCity = regexp.MustCompile(`^((?:SE-?\s?)?[0-9][0-9 ]*)[\s,]*(.*)$`)

// splitPostalCity splits a combined "Postnr / ort" cell. A cell that does
// not start with a digit is taken as a city alone.
func splitPostalCity(s string) (postal, city string) {
	m := postalCity.FindStringSubmatch(s)
	if m == nil {
		return "", s
	}
	return strings.TrimSpace(m[1]), strings.TrimSpace(m[2])
}

// hasControl reports control characters, including the Unicode line and
// paragraph separators and bidirectional overrides, as repair's form
// validation does.
func hasControl(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069') {
			return true
		}
	}
	return false
}

// Dates must fall within these years.
const minYear, maxYear = 1900, 2099

// dateTimeSuffix is a midnight time after a date, as exported by databases
// and by Excel for a date cell saved as text.
var dateTimeSuffix = regexp.MustCompile(`^(?:[ T]00:00(?::00(?:\.0+)?)?Z?)?$`)

// parseDate reads Installerad: "2015-09-19", "2015-09-19 00:00:00", or an
// Excel date serial (a number cell in an Excel file; any time of day is
// dropped, as Excel's date formats hide it). It returns YYYY-MM-DD.
func parseDate(c cell, date1904 bool) (string, bool) {
	var d time.Time
	if c.num {
		// A number is a date only when formatted as one: 2015 typed in
		// a General cell is a year, not 1905-07-07.
		if !c.date {
			return "", false
		}
		// Whole days only; the year check below bounds the serial. In
		// the 1900 date system serial 60 is the non-existent 1900-02-29
		// and earlier serials do not fit the epoch, so they are refused.
		day := math.Floor(c.number)
		if day < 0 || day > 1e6 || (!date1904 && day < 61) {
			return "", false
		}
		d = excelDate(int(day), date1904)
	} else {
		s := c.text
		if len(s) < 10 || !dateTimeSuffix.MatchString(s[10:]) {
			return "", false
		}
		var err error
		if d, err = time.Parse(time.DateOnly, s[:10]); err != nil {
			return "", false
		}
	}
	if d.Year() < minYear || d.Year() > maxYear {
		return "", false
	}
	return d.Format(time.DateOnly), true
}

// excelDate converts a whole-day Excel serial to a date; in the 1900 date
// system it is right from serial 61, 1900-03-01.
func excelDate(day int, date1904 bool) time.Time {
	if date1904 {
		return time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, day)
	}
	return time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, day)
}

// numberText is the text of a number cell in a text column: what Excel
// shows when that is plain digits (so a format like 000000 keeps its
// leading zeros), otherwise the number itself with no decimals or exponent
// when it is whole, so 100001 never becomes "100001.0" or "1.00001E+05".
func numberText(raw string, v float64, shown string) string {
	if shown != "" && strings.Trim(shown, "0123456789") == "" {
		return shown
	}
	if v == math.Trunc(v) && math.Abs(v) < 1e21 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	if f := strconv.FormatFloat(v, 'f', -1, 64); f != "" {
		return f
	}
	return raw
}
