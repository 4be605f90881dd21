package export

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// benchRow fills row with the cells of data row r: a case number, dates,
// text, amounts and a phone number, like a case export's 22 columns.
func benchRow(row []string, r int) []string {
	for c := range row {
		switch c % 6 {
		case 0:
			row[c] = fmt.Sprintf("ÄR-%06d", r)
		case 1:
			row[c] = "2026-03-14 08:30"
		case 2:
			row[c] = fmt.Sprintf("%d %03d,50", r/1000, r%1000)
		case 3:
			row[c] = "Skövde, Västra Götaland"
		case 4:
			row[c] = "+46701234567"
		default:
			row[c] = "Kylen håller inte temperaturen; kontrollera termostat"
		}
	}
	return row
}

func benchHeader(cols int) []string {
	h := make([]string, cols)
	for c := range h {
		h[c] = fmt.Sprintf("Kolumn %d", c+1)
	}
	return h
}

// TestCSVWriter streams rows through one reused slice and reads them back
// as Excel would: BOM, semicolons, quoting, neutralised formulas, short
// rows padded to the header.
func TestCSVWriter(t *testing.T) {
	header := []string{"Ärende", "Ort", "Kommentar", "Tel"}
	rows := [][]string{
		{"=SUM(A1)", "Skövde", "a;b", "+46701234567"},
		{"ÄR-2", "Göteborg", "rad 1\nrad 2", "@x"},
		{"ÄR-3"},                         // short: padded
		{"-5", "", `säger "hej"`, "\tx"}, // neutralised, quotes doubled
	}
	var buf bytes.Buffer
	cw := NewCSV(&buf, header)
	cells := make([]string, 0, 4)
	for _, row := range rows {
		cells = append(cells[:0], row...)
		if err := cw.Row(cells...); err != nil {
			t.Fatal(err)
		}
		clear(cells) // the writer must not keep the caller's slice
	}
	if buf.Len() != 0 {
		t.Errorf("%d bytes written before Close, want them buffered", buf.Len())
	}
	if err := cw.Close(); err != nil {
		t.Fatal(err)
	}
	body, ok := bytes.CutPrefix(buf.Bytes(), []byte("\xEF\xBB\xBF"))
	if !ok {
		t.Fatal("missing UTF-8 BOM")
	}
	if !bytes.HasPrefix(body, []byte("Ärende;Ort;Kommentar;Tel\r\n")) {
		t.Errorf("header line = %q", body[:bytes.IndexByte(body, '\n')+1])
	}
	r := csv.NewReader(bytes.NewReader(body))
	r.Comma = ';'
	got, err := r.ReadAll() // also fails if a record has a different field count
	if err != nil {
		t.Fatal(err)
	}
	want := append([][]string{header}, rows...)
	if len(got) != len(want) {
		t.Fatalf("got %d records, want %d", len(got), len(want))
	}
	for i := range want {
		for j := range header {
			exp := ""
			if j < len(want[i]) {
				exp = Neutralise(want[i][j])
			}
			if got[i][j] != exp {
				t.Errorf("record %d field %d = %q, want %q", i, j, got[i][j], exp)
			}
		}
	}

	if err := cw.Row("late"); err == nil {
		t.Error("Row after Close = nil, want an error")
	}
}

func TestRowWiderThanHeader(t *testing.T) {
	xw, err := NewXLSX(&bytes.Buffer{}, "x", []string{"a", "b"})
	if err != nil {
		t.Fatal(err)
	}
	defer xw.Abort()
	for name, ew := range map[string]Writer{"csv": NewCSV(&bytes.Buffer{}, []string{"a", "b"}), "xlsx": xw} {
		if err := ew.Row("1", "2", "3"); err == nil {
			t.Errorf("%s: Row of 3 cells under a 2-column header = nil, want an error", name)
		}
	}
}

func TestCSVWriterError(t *testing.T) {
	cw := NewCSV(failWriter{}, []string{"a"})
	var err error
	for i := 0; i < 100_000 && err == nil; i++ {
		err = cw.Row("more than the buffer holds")
	}
	if err == nil {
		err = cw.Close()
	}
	if err == nil {
		t.Fatal("want the failing writer's error")
	}
}

// TestXLSXWriterManyRows streams past the width sample and the stream
// writer's in-memory chunk and reads every row back.
func TestXLSXWriterManyRows(t *testing.T) {
	const n = 20_000
	header := benchHeader(22)
	var buf bytes.Buffer
	xw, err := NewXLSX(&buf, "Ärenden", header)
	if err != nil {
		t.Fatal(err)
	}
	row := make([]string, len(header))
	var passed int // bytes written to buf by the middle row
	for r := range n {
		if r == n/2 {
			passed = buf.Len()
		}
		benchRow(row, r)
		if r == widthSample+10 {
			row[3] = strings.Repeat("bred ", 20) // after the sample: no wider column
		}
		if r == 5 {
			row = row[:2] // a short row
		}
		if err := xw.Row(row...); err != nil {
			t.Fatal(err)
		}
		row = row[:len(header)]
	}
	// The rows pass on as they come, not at Close.
	if before := buf.Len(); passed == 0 || before <= passed {
		t.Errorf("%d bytes written by row %d, %d by the last: want the sheet passed on as it grows", passed, n/2, before)
	}
	if err := xw.Close(); err != nil {
		t.Fatal(err)
	}

	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Ärenden")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != n+1 {
		t.Fatalf("got %d rows, want header + %d", len(rows), n)
	}
	for i, h := range header {
		if rows[0][i] != h {
			t.Errorf("header %d = %q, want %q", i, rows[0][i], h)
		}
	}
	want := make([]string, len(header))
	for _, r := range []int{0, widthSample - 1, widthSample, 12_345, n - 1} {
		benchRow(want, r)
		if got := strings.Join(rows[r+1], "|"); got != strings.Join(want, "|") {
			t.Errorf("row %d = %q, want %q", r+1, got, want)
		}
	}
	if got := rows[6]; len(got) != 2 {
		t.Errorf("short row = %q, want its 2 cells and nothing after", got)
	}
	styleID, _ := f.GetCellStyle("Ärenden", "V1")
	if style, err := f.GetStyle(styleID); err != nil || style.Font == nil || !style.Font.Bold {
		t.Errorf("header cell V1 is not bold (%v)", err)
	}
	if panes, err := f.GetPanes("Ärenden"); err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes = %+v, %v; want the header frozen", panes, err)
	}
	if w, _ := f.GetColWidth("Ärenden", "D"); w >= maxColWidth || w < textWidth("Skövde, Västra Götaland") {
		t.Errorf("column D width = %v, want fitted to the first %d rows", w, widthSample)
	}
	var filter string
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm._FilterDatabase" {
			filter = dn.RefersTo
		}
	}
	if want := fmt.Sprintf("'Ärenden'!$A$1:$V$%d", n+1); filter != want {
		t.Errorf("filter range = %q, want %q", filter, want)
	}
}

// errSource is the error of a row source that fails part-way.
var errSource = errors.New("source failed")

// exportRows writes header and n rows to a new writer of format, failing
// after failAt rows (never if failAt < 0), the way a handler streams a
// search: Abort deferred, Close only when every row is written.
func exportRows(t *testing.T, format string, n, failAt int) ([]byte, error) {
	t.Helper()
	var buf bytes.Buffer
	err := func() error {
		ew, err := New(&buf, format, "Ärenden", benchHeader(22))
		if err != nil {
			return err
		}
		defer ew.Abort()
		row := make([]string, 22)
		for r := range n {
			if r == failAt {
				return errSource
			}
			if err := ew.Row(benchRow(row, r)...); err != nil {
				return err
			}
		}
		return ew.Close()
	}()
	return buf.Bytes(), err
}

// TestAbort checks what a source that fails mid-export leaves behind:
// nothing while the first rows are held back, then only what was already
// passed on, a prefix of the complete file, never anything appended after
// it (never a workbook that opens with some of the rows).
func TestAbort(t *testing.T) {
	for _, c := range []struct {
		format string
		failAt int
	}{
		{"csv", 10}, {"csv", 5_000}, {"xlsx", 10}, {"xlsx", 5_000},
	} {
		t.Run(fmt.Sprintf("%s/%d", c.format, c.failAt), func(t *testing.T) {
			full, err := exportRows(t, c.format, 6_000, -1)
			if err != nil {
				t.Fatal(err)
			}
			got, err := exportRows(t, c.format, 6_000, c.failAt)
			if !errors.Is(err, errSource) {
				t.Fatalf("err = %v, want the source's", err)
			}
			switch {
			case c.failAt == 10 && len(got) != 0:
				t.Errorf("aborted %s of 10 rows wrote %d bytes, want them still held", c.format, len(got))
			case !bytes.HasPrefix(full, got) || len(got) >= len(full):
				t.Errorf("aborted file (%d bytes) is not a strict prefix of the full file (%d bytes)", len(got), len(full))
			case c.format == "xlsx":
				if f, err := excelize.OpenReader(bytes.NewReader(got)); err == nil {
					f.Close()
					t.Error("an aborted workbook opens")
				}
			}
		})
	}
	if _, err := New(&bytes.Buffer{}, "pdf", "", nil); err == nil {
		t.Error(`New(format "pdf") = nil error, want one`)
	}
}

func TestCloseThenAbort(t *testing.T) {
	for _, format := range []string{"csv", "xlsx"} {
		var buf bytes.Buffer
		ew, err := New(&buf, format, "x", []string{"a"})
		if err != nil {
			t.Fatal(err)
		}
		if err := ew.Row("1"); err != nil {
			t.Fatal(err)
		}
		if err := ew.Close(); err != nil {
			t.Fatal(err)
		}
		n := buf.Len()
		ew.Abort()
		if buf.Len() != n || n == 0 {
			t.Errorf("%s: Abort after Close changed the %d bytes written to %d", format, n, buf.Len())
		}
		if err := ew.Close(); err == nil {
			t.Errorf("%s: second Close = nil, want an error", format)
		}
	}
}

// The export benchmarks write 100 000 rows of 22 columns, a full case
// export, two ways: "table" builds every row in a Table first and then
// writes it (what the handlers did), "stream" makes each row and writes it
// at once. Compare them in one run:
//
//	go test -run '^$' -bench 'Export' -benchmem ./internal/export/
const benchRows, benchCols = 100_000, 22

func benchmarkExport(b *testing.B, format string) {
	header := benchHeader(benchCols)
	var out countWriter
	b.Run("table", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			t := Table{Sheet: "Ärenden", Header: header}
			for r := range benchRows {
				t.Rows = append(t.Rows, benchRow(make([]string, benchCols), r))
			}
			var err error
			if format == "csv" {
				err = WriteCSV(&out, t)
			} else {
				err = WriteXLSX(&out, t)
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("stream", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ew, err := New(&out, format, "Ärenden", header)
			if err != nil {
				b.Fatal(err)
			}
			row := make([]string, benchCols)
			for r := range benchRows {
				if err := ew.Row(benchRow(row, r)...); err != nil {
					b.Fatal(err)
				}
			}
			if err := ew.Close(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkExportCSV(b *testing.B)  { benchmarkExport(b, "csv") }
func BenchmarkExportXLSX(b *testing.B) { benchmarkExport(b, "xlsx") }

// countWriter discards what it is given, as a network connection would
// take it away.
type countWriter struct{ n int64 }

func (w *countWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}
