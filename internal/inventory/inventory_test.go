package inventory

import (
	"archive/zip"
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/unicode"

	"kundportal/internal/repair"
)

const bom = "\ufeff"

// mustOK fails the test unless res is OK and returns its rows.
func mustOK(t *testing.T, res Result) []Row {
	t.Helper()
	if !res.OK() {
		t.Fatalf("not OK: file errors %q, rows %+v", res.Errors, res.Rows)
	}
	return res.Rows
}

// hasError reports whether some message in errs contains want.
func hasError(errs []string, want string) bool {
	for _, e := range errs {
		if strings.Contains(e, want) {
			return true
		}
	}
	return false
}

func TestSemicolonCSVWithBOM(t *testing.T) {
	csv := bom + "Objektnummer;Maskin;Fabrikat;Modell;Serienummer;Kund;Gata;Postnummer;Ort;Placering;Avtal;Installerad\r\n" +
		"100001;Tvättmaskin;Electrolux;WH6-14;SN 123;Brf Solrosen;Storgatan 1;54130;Skövde;Tvättstuga, källarplan;A-17;2015-09-19\r\n" +
		" 100002 ; Torktumlare ;Miele;T1;;;Storgatan 3;SE-541 31;Skövde;;;2016-01-02 00:00:00\r\n"
	res := Parse([]byte(csv))
	rows := mustOK(t, res)
	wantCols := []string{ColNumber, ColKind, ColBrand, ColModel, ColSerial, ColSite, ColStreet, ColPostal, ColCity, ColLocation, ColContract, ColInstalled}
	if !slices.Equal(res.Columns, wantCols) {
		t.Errorf("Columns = %q, want %q", res.Columns, wantCols)
	}
	want := repair.Asset{
		Number: "100001", Kind: "Tvättmaskin", Brand: "Electrolux", Model: "WH6-14", SerialNumber: "SN 123",
		SiteName: "Brf Solrosen", Street: "Storgatan 1", PostalCode: "541 30", City: "Skövde",
		Location: "Tvättstuga, källarplan", ContractNumber: "A-17", InstalledOn: "2015-09-19",
	}
	if len(rows) != 2 {
		t.Fatalf("got %d rows, want 2", len(rows))
	}
	if rows[0].Asset != want || rows[0].Line != 2 {
		t.Errorf("row 0 = line %d %+v,\nwant line 2 %+v", rows[0].Line, rows[0].Asset, want)
	}
	if a := rows[1].Asset; a.Number != "100002" || a.Kind != "Torktumlare" || a.PostalCode != "541 31" || a.InstalledOn != "2016-01-02" || rows[1].Line != 3 {
		t.Errorf("row 1 = line %d %+v", rows[1].Line, a)
	}
}

func TestCommaCSVWithBOM(t *testing.T) {
	csv := bom + "objektnr,typ,märke,adress,postnr,stad\n" +
		`A-1,Diskmaskin,Bosch,"Storgatan 1, lgh 1101",541 30,Skövde` + "\n" +
		`A-2,Spis,Electrolux,"Modell ""24"" kvar",,Skövde` + "\n"
	res := Parse([]byte(csv))
	rows := mustOK(t, res)
	if want := []string{ColNumber, ColKind, ColBrand, ColStreet, ColPostal, ColCity}; !slices.Equal(res.Columns, want) {
		t.Errorf("Columns = %q, want %q", res.Columns, want)
	}
	if a := rows[0].Asset; a.Number != "A-1" || a.Kind != "Diskmaskin" || a.Brand != "Bosch" || a.Street != "Storgatan 1, lgh 1101" {
		t.Errorf("row 0 = %+v", a)
	}
	if a := rows[1].Asset; a.Street != `Modell "24" kvar` {
		t.Errorf("row 1 street = %q", a.Street)
	}
}

func TestTabCSVAndStrayQuote(t *testing.T) {
	res := Parse([]byte("Objektnummer\tMaskin\tModell\n7\tTv\tSkärm 24\" bred\n"))
	rows := mustOK(t, res)
	if m := rows[0].Asset.Model; m != `Skärm 24" bred` {
		t.Errorf("Model = %q", m)
	}
}

func TestSepLine(t *testing.T) {
	// Excel's sep= line decides, even though the header has more commas.
	res := Parse([]byte("sep=;\nObjektnummer;Maskin;Fabrikat\n1;Tvätt, stor;A,B\n"))
	rows := mustOK(t, res)
	if a := rows[0].Asset; a.Kind != "Tvätt, stor" || a.Brand != "A,B" || rows[0].Line != 3 {
		t.Errorf("line %d %+v", rows[0].Line, a)
	}
}

func TestWindows1252(t *testing.T) {
	res := Parse([]byte("Objektnummer;Maskin;Ort;M\xe4rke\r\n1;Tv\xe4ttmaskin;G\xf6teborg;\xc5sa\r\n"))
	rows := mustOK(t, res)
	if a := rows[0].Asset; a.City != "Göteborg" || a.Kind != "Tvättmaskin" || a.Brand != "Åsa" {
		t.Errorf("got %+v", a)
	}
}

func TestUTF16(t *testing.T) {
	enc := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder()
	b, err := enc.Bytes([]byte("Objektnummer\tMaskin\tOrt\r\n1\tTvättmaskin\tGöteborg\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	rows := mustOK(t, Parse(b))
	if a := rows[0].Asset; a.City != "Göteborg" || a.Kind != "Tvättmaskin" {
		t.Errorf("got %+v", a)
	}
}

func TestEnglishHeaders(t *testing.T) {
	csv := "Asset number,Kind,Brand,Model,Serial,Site,Address,Postal code,City,Location,Contract,Installed\n" +
		"X-9,Washer,LG,F4,S1,Block B,Main St 1,11122,Stockholm,Basement,C-1,2020-02-29\n"
	res := Parse([]byte(csv))
	rows := mustOK(t, res)
	want := repair.Asset{Number: "X-9", Kind: "Washer", Brand: "LG", Model: "F4", SerialNumber: "S1", SiteName: "Block B",
		Street: "Main St 1", PostalCode: "111 22", City: "Stockholm", Location: "Basement", ContractNumber: "C-1", InstalledOn: "2020-02-29"}
	if rows[0].Asset != want {
		t.Errorf("got %+v\nwant %+v", rows[0].Asset, want)
	}
	if len(res.Columns) != 12 {
		t.Errorf("Columns = %q", res.Columns)
	}
}

func TestHeadingKey(t *testing.T) {
	for heading, want := range map[string]field{
		"  OBJEKTNUMMER ":          fNumber,
		"Objekt-nr.":               fNumber,
		"Objektnr (obligatorisk)":  fNumber,
		"Typ av maskin":            fKind,
		"MARKE":                    fBrand, // å/ä/ö-insensitive
		"Märke":                    fBrand,
		"Serie-nr":                 fSerial,
		"Installationsdatum":       fInstalled,
		"Postnr / ort":             fPostalCity,
		"Postnr/Ort":               fPostalCity,
		"Postnummer och ort":       fPostalCity,
		"Kommentar":                fUnknown,
		"Telefonnummer":            fUnknown,
		"":                         fUnknown,
		"Gatuadress":               fStreet,
		"Avtalsnummer":             fContract,
		"asset_number":             fNumber,
		"Maskintyp":                fKind,
		"Placering\n(rum, våning)": fLocation,
	} {
		if got := lookupHeading(heading); got != want {
			t.Errorf("lookupHeading(%q) = %d, want %d", heading, got, want)
		}
	}
}

func TestUnknownColumnsIgnored(t *testing.T) {
	res := Parse([]byte("Kommentar;Objektnummer;Tel;Maskin\nhej;1;\x01;Spis\n"))
	rows := mustOK(t, res)
	if want := []string{ColNumber, ColKind}; !slices.Equal(res.Columns, want) {
		t.Errorf("Columns = %q, want %q", res.Columns, want)
	}
	if a := rows[0].Asset; a.Number != "1" || a.Kind != "Spis" {
		t.Errorf("got %+v", a)
	}
}

func TestMissingRequiredColumn(t *testing.T) {
	res := Parse([]byte("Maskin;Fabrikat\nTvättmaskin;Miele\n"))
	if res.OK() {
		t.Fatal("OK without Objektnummer")
	}
	if !hasError(res.Errors, "Kolumnen Objektnummer saknas") {
		t.Errorf("Errors = %q", res.Errors)
	}
	res = Parse([]byte("Objektnummer;Fabrikat\n1;Miele\n"))
	if res.OK() || !hasError(res.Errors, "Kolumnen Maskin saknas") {
		t.Errorf("OK %v, Errors = %q", res.OK(), res.Errors)
	}
}

func TestFileErrors(t *testing.T) {
	for name, tc := range map[string]struct {
		data string
		want string
	}{
		"empty":          {"", "tom"},
		"blank":          {"\n \n;;\n", "tom"},
		"no header":      {"Maskinlista 2024\n1;Tvättmaskin\n", "Hittar ingen rubrikrad"},
		"no rows":        {"Objektnummer;Maskin\n;;\n", "inga maskiner"},
		"duplicate col":  {"Objektnummer;Objekt;Maskin\n1;2;Spis\n", "betyder båda Objektnummer"},
		"combined twice": {"Objektnummer;Maskin;Postnr / ort;Ort\n1;Spis;541 30 Skövde;Skövde\n", "betyder båda Ort"},
		"binary":         {"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "Okänt filformat"},
		"pdf":            {"%PDF-1.7\n", "Okänt filformat"},
		"xls":            {"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", ".xls"},
		"bad zip":        {"PK\x03\x04garbage", "Excel-filen kunde inte läsas"},
	} {
		res := Parse([]byte(tc.data))
		if res.OK() || !hasError(res.Errors, tc.want) {
			t.Errorf("%s: OK %v, Errors %q, want one containing %q", name, res.OK(), res.Errors, tc.want)
		}
	}
	if (Result{}).OK() {
		t.Error("zero Result is OK")
	}
}

func TestDuplicateNumbers(t *testing.T) {
	csv := "Objektnummer;Maskin\n" + // 1
		"100001;Tvättmaskin\n" + // 2
		"100002;Spis\n" + // 3
		"100001;Torktumlare\n" + // 4
		"a-1;Spis\n" + // 5
		"A-1;Spis\n" + // 6
		"100001;Kyl\n" // 7
	res := Parse([]byte(csv))
	if res.OK() {
		t.Fatal("OK with duplicates")
	}
	want := map[int]string{
		2: "Objektnummer 100001 förekommer också på rad 4 och 7.",
		4: "Objektnummer 100001 förekommer också på rad 2 och 7.",
		7: "Objektnummer 100001 förekommer också på rad 2 och 4.",
		5: "Objektnummer a-1 förekommer också på rad 6.",
		6: "Objektnummer A-1 förekommer också på rad 5.",
	}
	for _, r := range res.Rows {
		if w, ok := want[r.Line]; ok {
			if !slices.Equal(r.Errors, []string{w}) {
				t.Errorf("line %d: errors %q, want %q", r.Line, r.Errors, w)
			}
		} else if len(r.Errors) > 0 {
			t.Errorf("line %d: unexpected errors %q", r.Line, r.Errors)
		}
	}
}

func TestRowErrors(t *testing.T) {
	long := strings.Repeat("x", 121)
	csv := "Objektnummer;Maskin;Postnummer;Gata;Installerad;Fabrikat\n" +
		"1;Spis;5413;Storgatan 1;;\n" + // 2
		"2;Spis;;Storgatan\x07 1;;\n" + // 3
		";;;;;Miele\n" + // 4
		"100 001;Spis;;;;\n" + // 5
		"123456789012345678901;Spis;;;;\n" + // 6
		"3;Spis;;;2015-02-30;\n" + // 7
		"4;Spis;;;19/9/2015;\n" + // 8
		"5;Spis;;;2015-09-19 13:45;\n" + // 9
		"6;Spis;;\"Storgatan\n1\";;\n" + // 10–11
		"7;Spis;;;;" + long + "\n" + // 12
		"8;Spis;;Storgatan \u202e1;;\n" + // 13
		"9;Spis;01234;;;\n" // 14
	res := Parse([]byte(csv))
	if res.OK() {
		t.Fatal("OK with bad rows")
	}
	if len(res.Errors) > 0 {
		t.Fatalf("file errors %q", res.Errors)
	}
	want := map[int][]string{
		2:  {"Postnumret ska ha fem siffror, t.ex. 541 30."},
		3:  {"Gata innehåller otillåtna styrtecken."},
		4:  {"Objektnummer saknas.", "Maskin saknas."},
		5:  {"Objektnummer får bara innehålla bokstäver, siffror och bindestreck."},
		6:  {"Objektnummer får vara högst 20 tecken (nu 21)."},
		7:  {"Installerad ska vara ett datum som ÅÅÅÅ-MM-DD, t.ex. 2015-09-19."},
		8:  {"Installerad ska vara ett datum som ÅÅÅÅ-MM-DD, t.ex. 2015-09-19."},
		9:  {"Installerad ska vara ett datum som ÅÅÅÅ-MM-DD, t.ex. 2015-09-19."},
		10: {"Gata innehåller en radbrytning. Skriv allt på en rad."},
		12: {"Fabrikat får vara högst 120 tecken (nu 121)."},
		13: {"Gata innehåller otillåtna styrtecken."},
		14: {"Postnumret ska ha fem siffror, t.ex. 541 30."},
	}
	var lines []int
	for _, r := range res.Rows {
		lines = append(lines, r.Line)
		if !slices.Equal(r.Errors, want[r.Line]) {
			t.Errorf("line %d: errors %q, want %q", r.Line, r.Errors, want[r.Line])
		}
	}
	if wantLines := []int{2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14}; !slices.Equal(lines, wantLines) {
		t.Errorf("lines %v, want %v", lines, wantLines)
	}
	// A failing value is kept as written, for the preview.
	if pc := res.Rows[0].Asset.PostalCode; pc != "5413" {
		t.Errorf("bad postal code kept as %q", pc)
	}
}

func TestCombinedPostalCity(t *testing.T) {
	csv := "Objektnummer;Maskin;Postnr / ort\n" +
		"1;Spis;541 30 Skövde\n" +
		"2;Spis;54130  Skövde\n" +
		"3;Spis;SE-541 30 SKÖVDE\n" +
		"4;Spis;Skövde\n" +
		"5;Spis;541 30\n" +
		"6;Spis;\n" +
		"7;Spis;5413 Skövde\n"
	res := Parse([]byte(csv))
	if want := []string{ColNumber, ColKind, ColPostal, ColCity}; !slices.Equal(res.Columns, want) {
		t.Errorf("Columns = %q, want %q", res.Columns, want)
	}
	want := []struct{ postal, city string }{
		{"541 30", "Skövde"}, {"541 30", "Skövde"}, {"541 30", "SKÖVDE"}, {"", "Skövde"}, {"541 30", ""}, {"", ""}, {"5413", "Skövde"},
	}
	for i, r := range res.Rows {
		if r.Asset.PostalCode != want[i].postal || r.Asset.City != want[i].city {
			t.Errorf("line %d: %q / %q, want %q / %q", r.Line, r.Asset.PostalCode, r.Asset.City, want[i].postal, want[i].city)
		}
		if wantErr := i == 6; (len(r.Errors) > 0) != wantErr {
			t.Errorf("line %d: errors %q", r.Line, r.Errors)
		}
	}
}

func TestEmptyRowsSkipped(t *testing.T) {
	csv := "\n" + // 1
		"Objektnummer;Maskin;Kommentar\n" + // 2
		"1;Spis;\n" + // 3
		"\n" + // 4
		";;\n" + // 5
		"  ;  ;\n" + // 6
		";;bara en kommentar\n" + // 7
		"2;Kyl;\n" // 8
	res := Parse([]byte(csv))
	rows := mustOK(t, res)
	var lines []int
	for _, r := range rows {
		lines = append(lines, r.Line)
	}
	if !slices.Equal(lines, []int{3, 8}) {
		t.Errorf("lines %v, want [3 8]", lines)
	}
}

func TestCROnlyLineEndings(t *testing.T) {
	rows := mustOK(t, Parse([]byte("Objektnummer;Maskin\r1;Spis\r2;Kyl\r")))
	if len(rows) != 2 || rows[1].Line != 3 {
		t.Errorf("rows %+v", rows)
	}
}

func TestTooManyRows(t *testing.T) {
	build := func(n int) []byte {
		var b bytes.Buffer
		b.WriteString("Objektnummer;Maskin\n")
		for i := range n {
			fmt.Fprintf(&b, "%d;Tvättmaskin\n", 100000+i)
		}
		return b.Bytes()
	}
	res := Parse(build(MaxRows))
	if !res.OK() || len(res.Rows) != MaxRows {
		t.Fatalf("%d rows: OK %v, %d rows, errors %q", MaxRows, res.OK(), len(res.Rows), res.Errors)
	}
	res = Parse(build(MaxRows + 1))
	if res.OK() || !hasError(res.Errors, "fler än 5000") {
		t.Errorf("%d rows: OK %v, errors %q", MaxRows+1, res.OK(), res.Errors)
	}
}

// xlsxFile builds a workbook in memory with fill and returns its bytes.
func xlsxFile(t *testing.T, fill func(f *excelize.File, sheet string)) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	fill(f, sheet)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func set(t *testing.T, f *excelize.File, sheet, cell string, v any) {
	t.Helper()
	if err := f.SetCellValue(sheet, cell, v); err != nil {
		t.Fatal(err)
	}
}

func style(t *testing.T, f *excelize.File, sheet, cell string, s *excelize.Style) {
	t.Helper()
	id, err := f.NewStyle(s)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStyle(sheet, cell, cell, id); err != nil {
		t.Fatal(err)
	}
}

func TestXLSX(t *testing.T) {
	oneDecimal, scientific, padded, isoDate := "0.0", "0.00E+00", "000000", "yyyy-mm-dd"
	data := xlsxFile(t, func(f *excelize.File, sheet string) {
		if err := f.SetSheetRow(sheet, "A1", &[]any{"Objektnummer", "Maskin", "Fabrikat", "Postnummer", "Ort", "Installerad", "Serienummer"}); err != nil {
			t.Fatal(err)
		}
		// Row 2: plain numbers and a date cell with Excel's default
		// date-time format.
		set(t, f, sheet, "A2", 100001)
		set(t, f, sheet, "B2", "Tvättmaskin")
		set(t, f, sheet, "D2", 54130)
		set(t, f, sheet, "E2", "Skövde")
		set(t, f, sheet, "F2", time.Date(2015, 9, 19, 0, 0, 0, 0, time.UTC))
		set(t, f, sheet, "G2", 12345678901234)
		// Row 3 is empty; row 4: number formats that would show
		// "100002.0" and "1.00E+05", and a date formatted yyyy-mm-dd.
		set(t, f, sheet, "A4", 100002)
		style(t, f, sheet, "A4", &excelize.Style{CustomNumFmt: &oneDecimal})
		set(t, f, sheet, "B4", "Spis")
		set(t, f, sheet, "C4", 2000)
		style(t, f, sheet, "C4", &excelize.Style{CustomNumFmt: &scientific})
		set(t, f, sheet, "F4", 42266)
		style(t, f, sheet, "F4", &excelize.Style{CustomNumFmt: &isoDate})
		set(t, f, sheet, "G4", 3.5)
		// Row 5: a number shown with leading zeros, a text that looks
		// like a number, and a date written as text.
		set(t, f, sheet, "A5", 1234)
		style(t, f, sheet, "A5", &excelize.Style{CustomNumFmt: &padded})
		set(t, f, sheet, "B5", "Kyl")
		set(t, f, sheet, "F5", "2016-01-02 00:00:00")
		set(t, f, sheet, "G5", "007")
		// Row 6: text "1E5" stays text; a year typed as a number in a
		// General cell is not a date.
		set(t, f, sheet, "A6", "1E5")
		set(t, f, sheet, "B6", "Frys")
		set(t, f, sheet, "F6", 2015)
		// Row 7: built-in short date format (14).
		set(t, f, sheet, "A7", 100003)
		set(t, f, sheet, "B7", "Spis")
		set(t, f, sheet, "F7", 45000)
		style(t, f, sheet, "F7", &excelize.Style{NumFmt: 14})
		// Row 8: thousands separator.
		set(t, f, sheet, "A8", 100004)
		style(t, f, sheet, "A8", &excelize.Style{NumFmt: 3})
		set(t, f, sheet, "B8", "Spis")
	})
	res := Parse(data)
	if len(res.Errors) > 0 {
		t.Fatalf("file errors %q", res.Errors)
	}
	type want struct {
		line                                     int
		number, brand, postal, installed, serial string
		errs                                     []string
	}
	wants := []want{
		{2, "100001", "", "541 30", "2015-09-19", "12345678901234", nil},
		{4, "100002", "2000", "", "2015-09-19", "3.5", nil},
		{5, "001234", "", "", "2016-01-02", "007", nil},
		{6, "1E5", "", "", "2015", "", []string{"Installerad ska vara ett datum som ÅÅÅÅ-MM-DD, t.ex. 2015-09-19."}},
		{7, "100003", "", "", "2023-03-15", "", nil},
		{8, "100004", "", "", "", "", nil},
	}
	if len(res.Rows) != len(wants) {
		t.Fatalf("got %d rows, want %d: %+v", len(res.Rows), len(wants), res.Rows)
	}
	for i, w := range wants {
		r := res.Rows[i]
		a := r.Asset
		if r.Line != w.line || a.Number != w.number || a.Brand != w.brand || a.PostalCode != w.postal || a.InstalledOn != w.installed || a.SerialNumber != w.serial || !slices.Equal(r.Errors, w.errs) {
			t.Errorf("row %d: line %d number %q brand %q postal %q installed %q serial %q errors %q,\nwant %+v",
				i, r.Line, a.Number, a.Brand, a.PostalCode, a.InstalledOn, a.SerialNumber, r.Errors, w)
		}
	}
}

func TestXLSXFirstSheetAndTooManyRows(t *testing.T) {
	data := xlsxFile(t, func(f *excelize.File, sheet string) {
		if err := f.SetSheetRow(sheet, "A1", &[]any{"Objektnummer", "Maskin"}); err != nil {
			t.Fatal(err)
		}
		for i := range MaxRows + 1 {
			if err := f.SetSheetRow(sheet, fmt.Sprintf("A%d", i+2), &[]any{100000 + i, "Spis"}); err != nil {
				t.Fatal(err)
			}
		}
		// A second sheet is not read.
		if _, err := f.NewSheet("Blad2"); err != nil {
			t.Fatal(err)
		}
		set(t, f, "Blad2", "A1", "Objektnummer")
	})
	res := Parse(data)
	if res.OK() || !hasError(res.Errors, "fler än 5000") {
		t.Errorf("OK %v, errors %q", res.OK(), res.Errors)
	}
}

func TestXLSX1904(t *testing.T) {
	data := xlsxFile(t, func(f *excelize.File, sheet string) {
		date1904 := true
		if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &date1904}); err != nil {
			t.Fatal(err)
		}
		if err := f.SetSheetRow(sheet, "A1", &[]any{"Objektnummer", "Maskin", "Installerad"}); err != nil {
			t.Fatal(err)
		}
		set(t, f, sheet, "A2", "1")
		set(t, f, sheet, "B2", "Spis")
		set(t, f, sheet, "C2", 40804) // 2015-09-19 in the 1904 system
		style(t, f, sheet, "C2", &excelize.Style{NumFmt: 14})
	})
	rows := mustOK(t, Parse(data))
	if d := rows[0].Asset.InstalledOn; d != "2015-09-19" {
		t.Errorf("InstalledOn = %q, want 2015-09-19", d)
	}
}

func TestIsDateFormatCode(t *testing.T) {
	for code, want := range map[string]bool{
		"yyyy-mm-dd":          true,
		"d/m/yy":              true,
		"[$-41D]d mmmm yyyy":  true,
		"0.0":                 false,
		"h:mm:ss":             false,
		`"Dag "0`:             false,
		`\d0`:                 false,
		"[Red]0;[Blue]yyyy":   false,
		"General":             false,
		"#,##0 \"kr\";-0 kr;": false,
	} {
		if got := isDateFormatCode(code); got != want {
			t.Errorf("isDateFormatCode(%q) = %v, want %v", code, got, want)
		}
	}
}

func TestODS(t *testing.T) {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	w, err := z.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: zip.Store})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("application/vnd.oasis.opendocument.spreadsheet")); err != nil {
		t.Fatal(err)
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	res := Parse(buf.Bytes())
	if res.OK() || !hasError(res.Errors, ".ods") {
		t.Errorf("OK %v, errors %q", res.OK(), res.Errors)
	}
}

func TestInvalidUTF8AfterBOM(t *testing.T) {
	res := Parse([]byte(bom + "Objektnummer;Maskin\n1;Sp\xffis\n"))
	if res.OK() || len(res.Rows) != 1 || !hasError(res.Rows[0].Errors, "Maskin innehåller ogiltiga tecken") {
		t.Errorf("OK %v, %+v", res.OK(), res)
	}
}
