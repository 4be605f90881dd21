package export

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
)

func sampleTable() Table {
	return Table{
		Sheet:  "Ärenden",
		Header: []string{"Ärende", "Ort", "Datum", "Belopp", "Kommentar"},
		Rows: [][]string{
			{"=SUM(A1)", "Skövde", "2026-03-14", "1 234,50", "a;b"},
			{"+46701234567", "Göteborg", "2026-03-15", "−12,50", "rad 1\nrad 2"},
			{"-5", "Malmö", "2026-03-16", "-12", `säger "hej"`},
			{"@x", "\tx", "\rx", "", "vanlig text"},
		},
	}
}

func TestWriteCSVFormat(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCSV(&buf, sampleTable()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "\xEF\xBB\xBF") {
		t.Fatalf("missing UTF-8 BOM: %q", out[:min(10, len(out))])
	}
	body := strings.TrimPrefix(out, "\xEF\xBB\xBF")

	wantHeader := "Ärende;Ort;Datum;Belopp;Kommentar\r\n"
	if !strings.HasPrefix(body, wantHeader) {
		t.Errorf("header line = %q, want %q", body[:strings.Index(body, "\n")+1], wantHeader)
	}
	if !strings.HasSuffix(body, "\r\n") {
		t.Error("output does not end with CRLF")
	}
	// Every LF outside a quoted field must be part of a CRLF.
	if n, crlf := strings.Count(body, "\n"), strings.Count(body, "\r\n"); n-crlf != 1 {
		// the one bare LF is the one inside "rad 1\nrad 2"
		t.Errorf("found %d bare LF, want exactly 1 (inside a quoted field)", n-crlf)
	}

	for _, want := range []string{
		"'=SUM(A1);Skövde;2026-03-14;1 234,50;\"a;b\"\r\n", // ; quoted, = neutralised
		"'+46701234567;Göteborg;2026-03-15;−12,50;\"rad 1\nrad 2\"\r\n",
		"'-5;Malmö;2026-03-16;'-12;\"säger \"\"hej\"\"\"\r\n", // quotes doubled
		"'@x;'\tx;\"'\rx\";;vanlig text\r\n",                  // CR forces quoting
	} {
		if !strings.Contains(body, want) {
			t.Errorf("output lacks line %q\n--- got ---\n%q", want, body)
		}
	}
}

func TestWriteCSVRoundTrip(t *testing.T) {
	tab := sampleTable()
	var buf bytes.Buffer
	if err := WriteCSV(&buf, tab); err != nil {
		t.Fatal(err)
	}
	body, ok := bytes.CutPrefix(buf.Bytes(), []byte("\xEF\xBB\xBF"))
	if !ok {
		t.Fatal("missing BOM")
	}
	r := csv.NewReader(bytes.NewReader(body))
	r.Comma = ';'
	got, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := append([][]string{tab.Header}, tab.Rows...)
	if len(got) != len(want) {
		t.Fatalf("got %d records, want %d", len(got), len(want))
	}
	for i := range want {
		if len(got[i]) != len(want[i]) {
			t.Fatalf("record %d: %d fields, want %d: %q", i, len(got[i]), len(want[i]), got[i])
		}
		for j, cell := range want[i] {
			if exp := Neutralise(cell); got[i][j] != exp {
				t.Errorf("record %d field %d = %q, want %q", i, j, got[i][j], exp)
			}
		}
	}
}

func TestNeutralise(t *testing.T) {
	for in, want := range map[string]string{
		"=SUM(A1)":     "'=SUM(A1)",
		"+46701234567": "'+46701234567", // expected: phone numbers are neutralised too
		"-5":           "'-5",
		"@x":           "'@x",
		"\tx":          "'\tx",
		"\rx":          "'\rx",
		"−12,50":       "−12,50", // U+2212 minus is not a formula start
		"Skövde":       "Skövde",
		"2026-03-14":   "2026-03-14",
		"1 234,50":     "1 234,50",
		"a=b":          "a=b",
		"":             "",
	} {
		if got := Neutralise(in); got != want {
			t.Errorf("Neutralise(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWriteCSVRaggedRows(t *testing.T) {
	var buf bytes.Buffer
	err := WriteCSV(&buf, Table{Header: []string{"a", "b"}, Rows: [][]string{{"1"}, {"1", "2", "3"}}})
	if err != nil {
		t.Fatal(err)
	}
	want := "\uFEFFa;b;\r\n1;;\r\n1;2;3\r\n"
	if buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, fmt.Errorf("disk full") }

func TestWriteCSVError(t *testing.T) {
	if err := WriteCSV(failWriter{}, sampleTable()); err == nil {
		t.Fatal("want error from failing writer")
	}
}

func TestWriteXLSX(t *testing.T) {
	tab := Table{
		Sheet:  "Ärenden",
		Header: []string{"Ärende", "Ort", "Kommentar"},
		Rows: [][]string{
			{"=1+1", "Skövde", "rad 1\nrad 2"},
			{"+46701234567", "Göteborg", "  mellanslag  "},
			{"-12", "", strings.Repeat("lång text ", 20)},
		},
	}
	f := openXLSX(t, tab)

	if got := f.GetSheetList(); len(got) != 1 || got[0] != "Ärenden" {
		t.Fatalf("sheets = %q, want [Ärenden]", got)
	}
	const sh = "Ärenden"

	rows, err := f.GetRows(sh)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 {
		t.Fatalf("got %d rows, want 4: %q", len(rows), rows)
	}
	for i, h := range tab.Header {
		if rows[0][i] != h {
			t.Errorf("header %d = %q, want %q", i, rows[0][i], h)
		}
	}
	// Cells come back verbatim: no leading quote, no formula.
	for r, row := range tab.Rows {
		for c, want := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+2)
			got, err := f.GetCellValue(sh, cell)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("%s = %q, want %q", cell, got, want)
			}
			if typ, _ := f.GetCellType(sh, cell); want != "" && typ != excelize.CellTypeInlineString {
				t.Errorf("%s type = %v, want inline string", cell, typ)
			}
		}
	}
	if formula, err := f.GetCellFormula(sh, "A2"); err != nil || formula != "" {
		t.Errorf("A2 formula = %q, %v; want none", formula, err)
	}

	panes, err := f.GetPanes(sh)
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != 1 || panes.XSplit != 0 || panes.TopLeftCell != "A2" {
		t.Errorf("panes = %+v, want header row frozen", panes)
	}

	styleID, err := f.GetCellStyle(sh, "A1")
	if err != nil {
		t.Fatal(err)
	}
	style, err := f.GetStyle(styleID)
	if err != nil {
		t.Fatal(err)
	}
	if style.Font == nil || !style.Font.Bold {
		t.Errorf("header style %+v is not bold", style.Font)
	}
	if id, _ := f.GetCellStyle(sh, "A2"); id == styleID {
		t.Error("data cell A2 has the header's bold style")
	}

	wA, _ := f.GetColWidth(sh, "A")
	wC, _ := f.GetColWidth(sh, "C")
	if wA < minColWidth || wA > 20 {
		t.Errorf("column A width = %v, want fitted to ~12 chars", wA)
	}
	if wC != maxColWidth {
		t.Errorf("column C width = %v, want capped at %v", wC, maxColWidth)
	}

	// Autofilter over the header and all data rows, via the worksheet and
	// the _xlnm._FilterDatabase defined name Excel needs.
	var found bool
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm._FilterDatabase" {
			found = true
			if dn.RefersTo != "'Ärenden'!$A$1:$C$4" {
				t.Errorf("filter range = %q, want 'Ärenden'!$A$1:$C$4", dn.RefersTo)
			}
		}
	}
	if !found {
		t.Error("no autofilter defined name")
	}
	x := sheetXML(t, tab)
	if !bytes.Contains(x, []byte(`<autoFilter ref="$A$1:$C$4"`)) {
		t.Error("sheet XML lacks <autoFilter ref=\"$A$1:$C$4\">")
	}
	// excelize's <dimension> is of the sheet without rows: left out.
	if bytes.Contains(x, []byte("<dimension")) {
		t.Error("sheet XML has a <dimension>, of the rows excelize had")
	}
}

// openXLSX writes tab and opens the workbook with excelize, closed when
// the test ends.
func openXLSX(t *testing.T, tab Table) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, tab); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// sheetXML writes tab and returns the raw worksheet XML.
func sheetXML(t *testing.T, tab Table) []byte {
	t.Helper()
	f := openXLSX(t, tab)
	v, ok := f.Pkg.Load("xl/worksheets/sheet1.xml")
	if !ok {
		t.Fatal("no xl/worksheets/sheet1.xml in package")
	}
	return v.([]byte)
}

func TestWriteXLSXEmptyAndRagged(t *testing.T) {
	for _, tab := range []Table{
		{},
		{Header: []string{"a"}},
		{Sheet: "x", Header: []string{"a"}, Rows: [][]string{{"1", "2", "3"}, {}}},
	} {
		var buf bytes.Buffer
		if err := WriteXLSX(&buf, tab); err != nil {
			t.Fatalf("%+v: %v", tab, err)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatalf("%+v: %v", tab, err)
		}
		if want := SanitizeSheetName(tab.Sheet); f.GetSheetName(0) != want {
			t.Errorf("sheet = %q, want %q", f.GetSheetName(0), want)
		}
		f.Close()
	}
}

func TestSanitizeSheetName(t *testing.T) {
	for in, want := range map[string]string{
		"Ärenden":         "Ärenden",
		"":                "Blad1",
		"   ":             "Blad1",
		"[]:*?/\\":        "()---",
		"Ärenden 2026/03": "Ärenden 2026-03",
		"Kund: Skövde*":   "Kund- Skövde",
		"'citerad'":       "citerad",
		"O'Brien":         "O’Brien",
		"rad\nett\ttvå":   "radetttvå",
		"history":         "history-1",
		"Ärenden för kunder i Västra Götaland": "Ärenden för kunder i Västra Göt",
		"Ärenden för kunder i Västra    G":     "Ärenden för kunder i Västra",
		"abc\xffdef":                           "abcdef",
		strings.Repeat("😀", 20):                strings.Repeat("😀", 15),
	} {
		got := SanitizeSheetName(in)
		if got != want {
			t.Errorf("SanitizeSheetName(%q) = %q, want %q", in, got, want)
		}
		if n := len(utf16.Encode([]rune(got))); n > 31 {
			t.Errorf("SanitizeSheetName(%q) has %d UTF-16 units", in, n)
		}
		// Excel/excelize must accept it.
		f := excelize.NewFile()
		if err := f.SetSheetName("Sheet1", got); err != nil {
			t.Errorf("excelize rejects %q: %v", got, err)
		}
		f.Close()
	}
}

func TestFilename(t *testing.T) {
	day := time.Date(2026, 3, 14, 23, 30, 0, 0, time.UTC)
	for _, c := range []struct{ base, ext, want string }{
		{"Ärenden", "csv", "arenden-2026-03-14.csv"},
		{"ärenden", ".xlsx", "arenden-2026-03-14.xlsx"},
		{"Öppna ärenden Skövde", "csv", "oppna-arenden-skovde-2026-03-14.csv"},
		{"  Fakturor  &  betalningar/Q1 ", "CSV", "fakturor-betalningarq1-2026-03-14.csv"},
		{"Åsa – Café Ünï", "csv", "asa-cafe-uni-2026-03-14.csv"},
		{"", "csv", "export-2026-03-14.csv"},
		{"ÅÄÖ", "", "aao-2026-03-14"},
	} {
		if got := Filename(c.base, day, c.ext); got != c.want {
			t.Errorf("Filename(%q, %q) = %q, want %q", c.base, c.ext, got, c.want)
		}
	}
}

// Excel expects <col> elements sorted by column.
func TestWriteXLSXColsAscending(t *testing.T) {
	tab := Table{Header: []string{"a", "bb bb bb bb bb", "c", "dddddddddddddddddddd"}, Rows: [][]string{{"1", "2", "3", "4"}}}
	xml := sheetXML(t, tab)
	prev := 0
	n := 0
	for _, m := range colMinRE.FindAllSubmatch(xml, -1) {
		var v int
		fmt.Sscan(string(m[1]), &v)
		if v <= prev {
			t.Fatalf("<col min=%d> after min=%d; cols not ascending: %q", v, prev, colMinRE.FindAll(xml, -1))
		}
		prev = v
		n++
	}
	if n != 4 {
		t.Fatalf("found %d <col> elements, want 4", n)
	}
}

var colMinRE = regexp.MustCompile(`<col [^>]*min="(\d+)"`)

// Cell text comes back as it was given, whatever it holds: XML's special
// characters, Excel's own escapes, white space at the ends, characters
// XML cannot hold (as U+FFFD), and text beyond Excel's 32 767 UTF-16
// units cut there, never inside a character.
func TestWriteXLSXCellText(t *testing.T) {
	long := strings.Repeat("a", 32_766) + "😀" + "b" // the emoji would end at unit 32 768
	cells := []struct{ in, want string }{
		{`<b>Tom & "Jerry's"</b>`, `<b>Tom & "Jerry's"</b>`},
		{"_x0041_ and _x005F_", "_x0041_ and _x005F_"},
		{"\ttab first", "\ttab first"},
		{"line\r\nbreak ", "line\r\nbreak "},
		{"bell\x07here", "bell\uFFFDhere"},
		{"Skövde 😀", "Skövde 😀"},
		{long, strings.Repeat("a", 32_766)},
	}
	tab := Table{Header: []string{"Text"}}
	for _, c := range cells {
		tab.Rows = append(tab.Rows, []string{c.in})
	}
	f := openXLSX(t, tab)
	for i, c := range cells {
		cell := fmt.Sprintf("A%d", i+2)
		got, err := f.GetCellValue(f.GetSheetName(0), cell)
		if err != nil || got != c.want {
			t.Errorf("%s = %.60q (%d bytes), %v; want %.60q (%d bytes)", cell, got, len(got), err, c.want, len(c.want))
		}
	}
}
