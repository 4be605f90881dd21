package docs

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"kundportal/internal/sv"
)

var specAt = time.Date(2026, time.April, 1, 9, 30, 0, 0, sv.Stockholm)

// specCaseOf is a case whose amounts add up: labour, parts, travel and
// fees to its total.
func specCaseOf(number, city, title string, labour, parts, travel, fees int64) SpecCase {
	return SpecCase{
		Number: number, CompletedOn: "2026-03-12", City: city, Title: title, Asset: "100042",
		Street: "Östra Ängsvägen 12", WorkOrders: number + "-1",
		LabourMilli: 1500, LabourOre: labour, PartsOre: parts, TravelOre: travel, FeesOre: fees,
		TotalOre: labour + parts + travel + fees,
	}
}

// withTotals fills in each group's subtotal and the totals at 25 % VAT
// with rounding to whole kronor, from the cases.
func withTotals(s InvoiceSpec) InvoiceSpec {
	var net int64
	for i := range s.Groups {
		g := &s.Groups[i]
		g.SubtotalOre = 0
		for _, c := range g.Cases {
			g.SubtotalOre += c.TotalOre
		}
		net += g.SubtotalOre
	}
	vat := (net*25 + 50) / 100
	gross := net + vat
	toPay := (gross + 50) / 100 * 100
	s.Totals = &SpecTotals{
		ByRate: []RateTotal{{Label: "25 %", AmountOre: net, VATOre: vat}},
		NetOre: net, VATOre: vat, RoundingOre: toPay - gross, ToPayOre: toPay,
	}
	return s
}

// spec is a specification of three groups, one without a reference, with
// å, ä and ö in every kind of field.
func spec() InvoiceSpec {
	return withTotals(InvoiceSpec{
		Company: Company{
			Name: "Skaraborgs Vitvaruservice AB", Address: "Industrigatan 8, 541 37 Skövde",
			Phone: "+46500441200", OrgNumber: "556789-0123",
		},
		FSkatt: true,
		Title:  "Faktura 100012",
		Facts: []Fact{
			{"Fakturadatum", "2026-04-01"}, {"Förfallodatum", "2026-05-01"},
			{"Period", "2026-03-01 – 2026-03-31"}, {"Kundnummer", "K-1042"},
		},
		Customer:       "Björkhagens äldreboende",
		InvoiceAddress: "Björkhagens äldreboende\nEkonomiavdelningen, Fakturor\nBox 420\n541 28 Skövde",
		Note:           "Specifikationen avser arbeten som slutförts under mars.",
		Groups: []SpecGroup{
			{Reference: "KST 4410", Cases: []SpecCase{
				specCaseOf("2026-00042", "Skövde", "Diskmaskin läcker", 125000, 148900, 45000, 0),
				specCaseOf("2026-00043", "Skara", "Tvättmaskinen tömmer inte, felkod E20", 83333, 0, 45000, 12500),
			}},
			{Reference: "", Cases: []SpecCase{
				specCaseOf("2026-00044", "Tibro", "Torktumlare blir inte varm", 62500, 31250, 0, 0),
			}},
			{Reference: "Projekt Åsen hus 3", Cases: []SpecCase{
				specCaseOf("2026-00045", "Götene", "Spis: ugnslucka går inte att stänga", 250000, 1234567, 90000, 25000),
			}},
		},
		At: specAt,
	})
}

// longSpec is three references of 60 cases each; every case's place and
// title take two lines, the second a token of its own.
func longSpec() InvoiceSpec {
	s := spec()
	s.Groups = nil
	for g := range 3 {
		grp := SpecGroup{Reference: fmt.Sprintf("KST %d", 4410+g)}
		for i := range 60 {
			c := specCaseOf(fmt.Sprintf("2026-%05d", 100*(g+1)+i), "Skövde", "Pump "+specToken(g, i), int64(50000+i*125), int64(i*1000), 45000, 0)
			grp.Cases = append(grp.Cases, c)
		}
		s.Groups = append(s.Groups, grp)
	}
	return withTotals(s)
}

func specToken(g, i int) string { return fmt.Sprintf("L%d-%03d", g, i) }

func renderSpec(t *testing.T, s InvoiceSpec) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := RenderInvoiceSpec(&buf, s); err != nil {
		t.Fatalf("RenderInvoiceSpec: %v", err)
	}
	return buf.Bytes()
}

// pdfLayout extracts the text of all pages with pdftotext -layout, which
// keeps a table row on one line, with no-break spaces as plain ones.
func pdfLayout(t *testing.T, pdf []byte) string {
	t.Helper()
	out, err := exec.Command(poppler(t, "pdftotext"), "-layout", "-enc", "UTF-8", writeTemp(t, pdf), "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -layout: %v", err)
	}
	return strings.ReplaceAll(string(out), "\u00a0", " ")
}

// plain is s with no-break spaces as plain ones, as pdfText returns text.
func plain(s string) string { return strings.ReplaceAll(s, "\u00a0", " ") }

var amountRE = regexp.MustCompile(`^(−?)(\d{1,3}(?: \d{3})*),(\d\d)$`)

// parseAmount reads "1 234,50" or "−1 234,50" (plain spaces) back to öre.
func parseAmount(s string) (int64, error) {
	m := amountRE.FindStringSubmatch(strings.TrimSuffix(strings.TrimSpace(s), " kr"))
	if m == nil {
		return 0, fmt.Errorf("%q is not a Swedish amount", s)
	}
	n, err := strconv.ParseInt(strings.ReplaceAll(m[2], " ", "")+m[3], 10, 64)
	if m[1] != "" {
		n = -n
	}
	return n, err
}

func TestRenderInvoiceSpec(t *testing.T) {
	s := spec()
	pdf := renderSpec(t, s)
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: starts %q", pdf[:min(8, len(pdf))])
	}
	if n := pageCount(pdf); n != 1 {
		t.Errorf("%d pages, want 1", n)
	}
	text := pdfText(t, pdf, 1, 0)
	want := []string{
		"Skaraborgs Vitvaruservice AB", "Industrigatan 8, 541 37 Skövde",
		"Tel 0500-44 12 00 · Org.nr 556789-0123 · Godkänd för F-skatt",
		"Björkhagens äldreboende", "Ekonomiavdelningen, Fakturor", "Box 420", "541 28 Skövde",
		"Fakturadatum", "2026-04-01", "Förfallodatum", "2026-05-01", "2026-03-01 – 2026-03-31", "K-1042",
		"Faktura 100012", "Specifikationen avser arbeten som slutförts under mars.",
		"Fakturamärkning: KST 4410", "Utan fakturamärkning", "Fakturamärkning: Projekt Åsen hus 3",
		"Summa KST 4410", "Summa utan fakturamärkning", "Summa Projekt Åsen hus 3",
		"Ärende", "Utfört", "Ort / Titel", "Objekt", "Gata", "AO", "Avgifter", "Resor",
		"Skövde /", "Diskmaskin läcker", "Östra", "Ängsvägen 12", "100042", "1,5",
		// A case's amounts, without "kr".
		"1 250,00", "1 489,00", "450,00", "3 189,00", "12 345,67",
		"Summa ex moms", "Öresavrundning", "Att betala",
		"Faktura 100012 · Sida 1 av 1",
	}
	for _, g := range s.Groups {
		want = append(want, plain(sv.Amount(g.SubtotalOre)))
		for _, c := range g.Cases {
			want = append(want, c.Number)
		}
	}
	tot := s.Totals
	want = append(want, plain(sv.Money(tot.NetOre)), plain(sv.Money(tot.VATOre)), plain(sv.Money(tot.RoundingOre)),
		plain(sv.Money(tot.ToPayOre)), "Moms 25 % på "+plain(sv.Money(tot.NetOre)))
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("text of the PDF lacks %q; it is:\n%s", w, text)
		}
	}
	// The name heads the address once, though the address repeats it.
	if c := strings.Count(text, "Björkhagens äldreboende"); c != 1 {
		t.Errorf("the customer's name appears %d times, want once", c)
	}
	// Work orders of the case print as their suffix, in the AO column.
	if strings.Contains(text, "2026-00042-1") {
		t.Error("the work order prints in full; want its suffix")
	}
	if strings.Contains(text, "kr\n1 250,00") || strings.Contains(text, "1 250,00 kr") {
		t.Error("a table cell carries the unit kr")
	}
}

// TestRenderInvoiceSpecSubtotals reads every group's printed subtotal and
// the printed totals back from the text: the subtotals add up to the net
// total, and net + VAT + rounding is what is to pay.
func TestRenderInvoiceSpecSubtotals(t *testing.T) {
	for name, s := range map[string]InvoiceSpec{"short": spec(), "long": longSpec()} {
		t.Run(name, func(t *testing.T) {
			text := pdfLayout(t, renderSpec(t, s))
			// after returns the amount printed after label on its line.
			after := func(label string) int64 {
				t.Helper()
				for _, l := range strings.Split(text, "\n") {
					if _, rest, ok := strings.Cut(l, label+" "); ok && strings.TrimSpace(strings.TrimPrefix(rest, "på")) != "" {
						n, err := parseAmount(rest)
						if err != nil {
							t.Errorf("the line of %q: %v", label, err)
						}
						return n
					}
				}
				t.Errorf("no line with %q in:\n%s", label, text)
				return 0
			}
			var sum int64
			for _, g := range s.Groups {
				sub := after(groupSum(g))
				if sub != g.SubtotalOre {
					t.Errorf("%s prints %d öre, want %d", groupSum(g), sub, g.SubtotalOre)
				}
				sum += sub
			}
			net := after("Summa ex moms")
			if sum != net || net != s.Totals.NetOre {
				t.Errorf("subtotals add up to %d öre; Summa ex moms prints %d, want both %d", sum, net, s.Totals.NetOre)
			}
			vat := after("Moms 25 % på " + plain(sv.Money(net)))
			rounding, toPay := after("Öresavrundning"), after("Att betala")
			if net+vat+rounding != toPay || toPay != s.Totals.ToPayOre || toPay%100 != 0 {
				t.Errorf("%d + %d + %d öre, Att betala %d, want it to add up to %d whole kronor", net, vat, rounding, toPay, s.Totals.ToPayOre)
			}
		})
	}
}

// TestRenderInvoiceSpecLong checks that a long specification paginates:
// every case is printed once, no row is split over a page break, every
// page with rows has the table header, later pages say what they
// continue, and every page has its footer.
func TestRenderInvoiceSpecLong(t *testing.T) {
	s := longSpec()
	pdf := renderSpec(t, s)
	pages := pageCount(pdf)
	if pages < 3 {
		t.Fatalf("%d pages, want 180 cases to need at least 3", pages)
	}
	texts := make([]string, pages+1)
	for p := 1; p <= pages; p++ {
		texts[p] = pdfText(t, pdf, p, p)
	}
	onPage := func(s string) []int {
		var ps []int
		for p := 1; p <= pages; p++ {
			if regexp.MustCompile(`(^|\s)` + regexp.QuoteMeta(s) + `(\s|$)`).MatchString(texts[p]) {
				ps = append(ps, p)
			}
		}
		return ps
	}
	rows := make([]bool, pages+1) // the page holds a case
	for g, grp := range s.Groups {
		for i, c := range grp.Cases {
			num, tok := onPage(c.Number), onPage(specToken(g, i))
			if len(num) != 1 || len(tok) != 1 || num[0] != tok[0] {
				t.Errorf("case %s is on pages %v, its title's end %s on %v; want one and the same page", c.Number, num, specToken(g, i), tok)
				continue
			}
			rows[num[0]] = true
		}
	}
	for p := 1; p <= pages; p++ {
		pt := texts[p]
		if want := fmt.Sprintf("Faktura 100012 · Sida %d av %d", p, pages); !strings.Contains(pt, want) {
			t.Errorf("page %d lacks %q", p, want)
		}
		if rows[p] {
			for _, h := range []string{"Ärende", "Utfört", "Ort / Titel", "Objekt", "Gata", "Avgifter"} {
				if !strings.Contains(pt, h) {
					t.Errorf("page %d has rows but lacks the table header %q", p, h)
				}
			}
		}
		if p > 1 && !strings.Contains(pt, "Faktura 100012 (forts.)") {
			t.Errorf("page %d lacks the continuation header", p)
		}
		// Either a group's heading or its "(forts.)" line.
		if rows[p] && !strings.Contains(pt, "Fakturamärkning: KST") {
			t.Errorf("page %d does not say which Fakturamärkning its rows belong to", p)
		}
	}
	if !strings.Contains(texts[pages], "Att betala") {
		t.Error("the totals are not on the last page")
	}
	// Nothing is drawn between the bottom margin and the footer: a row
	// that did not fit would reach into it rather than onto the next page.
	for p, img := range rasterPages(t, pdf, 72) {
		const dpi = 72
		px := func(mm float64) int { return int(mm * dpi / 25.4) }
		for y := px(pageH-marginBottom) + 1; y < px(footerBase-3); y++ {
			for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
				if r, g, b, _ := img.At(x, y).RGBA(); r < 0xf000 || g < 0xf000 || b < 0xf000 {
					t.Fatalf("page %d has ink at %.1f mm from the top, below the bottom margin", p+1, float64(y)*25.4/dpi)
				}
			}
		}
	}
}

// rasterPages renders every page of pdf at dpi with pdftoppm.
func rasterPages(t *testing.T, pdf []byte, dpi int) []image.Image {
	t.Helper()
	name := writeTemp(t, pdf)
	root := strings.TrimSuffix(name, ".pdf")
	out, err := exec.Command(poppler(t, "pdftoppm"), "-png", "-r", strconv.Itoa(dpi), name, root).CombinedOutput()
	if err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	files, err := filepath.Glob(root + "-*.png")
	if err != nil || len(files) == 0 {
		t.Fatalf("pdftoppm wrote no pages: %v", err)
	}
	// pdftoppm pads the page number to the width of the last one, so the
	// names sort in page order.
	slices.Sort(files)
	var imgs []image.Image
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		imgs = append(imgs, img)
	}
	return imgs
}

// TestRenderInvoiceSpecDeterministic renders the same specification again,
// also concurrently: the bytes must be the same every time, and the date
// in the file is At, not the clock.
func TestRenderInvoiceSpecDeterministic(t *testing.T) {
	s := longSpec()
	first := sameBytes(t, 3, func(w io.Writer) error { return RenderInvoiceSpec(w, s) }, "D:20260401093000")
	other := s
	other.At = specAt.Add(time.Minute)
	if bytes.Equal(renderSpec(t, other), first) {
		t.Error("a specification dated a minute later gives the same bytes")
	}
}

// TestRenderInvoiceSpecNoDate: without At, fpdf would date the file by the
// clock, so the specification is refused and nothing is written.
func TestRenderInvoiceSpecNoDate(t *testing.T) {
	s := spec()
	s.At = time.Time{}
	var buf bytes.Buffer
	if err := RenderInvoiceSpec(&buf, s); err == nil {
		t.Error("RenderInvoiceSpec without a date = nil, want an error")
	}
	if buf.Len() > 0 {
		t.Errorf("%d bytes written despite the error", buf.Len())
	}
}

// TestRenderInvoiceSpecEmpty: no groups and no totals still make a
// document, one that says there is nothing and shows no totals; a group
// without cases still shows its subtotal.
func TestRenderInvoiceSpecEmpty(t *testing.T) {
	s := spec()
	s.Title, s.Groups, s.Totals, s.Facts, s.Note, s.InvoiceAddress = "Kommande fakturering", nil, nil, nil, "", ""
	text := pdfText(t, renderSpec(t, s), 1, 0)
	for _, want := range []string{"Kommande fakturering", "Inga rader.", "Björkhagens äldreboende", "Kommande fakturering · Sida 1 av 1"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	for _, not := range []string{"Att betala", "Summa ex moms", "Ärende"} {
		if strings.Contains(text, not) {
			t.Errorf("text has %q, want none without groups and totals", not)
		}
	}
	s.Groups = []SpecGroup{{Reference: "KST 1"}}
	s.Title = ""
	text = pdfText(t, renderSpec(t, s), 1, 0)
	for _, want := range []string{"Fakturamärkning: KST 1", "Summa KST 1", "0,00", "Fakturaspecifikation · Sida 1 av 1"} {
		if !strings.Contains(text, want) {
			t.Errorf("a group without cases: text lacks %q:\n%s", want, text)
		}
	}
}

// TestRenderInvoiceSpecOddText feeds text a keyboard or an import can
// produce and the font tables cannot index, and text far wider than its
// column: no panic, a PDF, the readable parts kept and long text
// shortened with "…".
func TestRenderInvoiceSpecOddText(t *testing.T) {
	s := spec()
	odd := "Åsa 😀 \x00\x1b\xff Ängström"
	s.Title = "Faktura \x07100012 🧾"
	s.Customer = odd
	s.InvoiceAddress = strings.Repeat("Rad\r\n", 30) + "\xfe\xff"
	s.Facts = append(s.Facts, Fact{odd, strings.Repeat("Väldigt långt värde ", 20)})
	for range 30 {
		s.Facts = append(s.Facts, Fact{"Extra", "x"})
	}
	s.Note = odd + "\n" + strings.Repeat("Z", 400)
	c := &s.Groups[0].Cases[0]
	c.Number, c.City, c.Title = "2026-\x0000042😀", "", strings.Repeat("Mycket lång titel ", 20)
	c.Street, c.Asset, c.WorkOrders = strings.Repeat("Gatan ", 30), odd, strings.Repeat("2026-00042-1, ", 20)
	s.Groups[0].Cases[1].City = odd
	c.TotalOre, c.LabourOre, c.LabourMilli = 123456789012, -9223372036854775807, 1<<62
	s.Groups[1].Reference = "\U0001F600 KST\x00 ☃"
	pdf := renderSpec(t, s)
	text := pdfText(t, pdf, 1, 0)
	for _, want := range []string{"Åsa", "Ängström", "Mycket lång", "…", "Gatan", "Faktura", "100012",
		// An amount wider than its column is set smaller, never cut.
		"1 234 567 890,12"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	if got := strings.Count(text, "Z"); got != 400 {
		t.Errorf("the note's 400-letter word shows %d Z's, want all 400", got)
	}
	if got := strings.Count(text, "Rad"); got > maxAddressLines {
		t.Errorf("the address shows %d lines, want at most %d", got, maxAddressLines)
	}
}

func TestWorkOrderSuffixes(t *testing.T) {
	tests := []struct{ number, wos, want string }{
		{"2026-00042", "2026-00042-1", "1"},
		{"2026-00042", "2026-00042-1, 2026-00042-2", "1, 2"},
		{"2026-00042", "2026-00043-1", "2026-00043-1"},
		{"2026-00042", "2026-00042-", "2026-00042-"},
		{"2026-00042", " , 2026-00042-3,", "3"},
		{"", "2026-00042-1", "2026-00042-1"},
		{"2026-00042", "", ""},
	}
	for _, tt := range tests {
		if got := workOrderSuffixes(tt.number, tt.wos); got != tt.want {
			t.Errorf("workOrderSuffixes(%q, %q) = %q, want %q", tt.number, tt.wos, got, tt.want)
		}
	}
}

// TestWriteSpecSample writes sample specifications, and page 1 of each as
// a PNG, for looking at, when DOCS_SAMPLE_DIR is set:
//
//	DOCS_SAMPLE_DIR=/tmp/docs go test -run WriteSpecSample ./internal/docs
func TestWriteSpecSample(t *testing.T) {
	dir := os.Getenv("DOCS_SAMPLE_DIR")
	if dir == "" {
		t.Skip("DOCS_SAMPLE_DIR not set")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]InvoiceSpec{"fakturaspecifikation": spec(), "fakturaspecifikation-lang": longSpec()} {
		pdf := filepath.Join(dir, name+".pdf")
		if err := os.WriteFile(pdf, renderSpec(t, s), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(poppler(t, "pdftoppm"), "-png", "-r", "110", pdf, filepath.Join(dir, name)).CombinedOutput()
		if err != nil {
			t.Fatalf("pdftoppm: %v: %s", err, out)
		}
	}
}

// TestSpecColumnsFit checks the table's widths against what they must
// hold: together the text width; each header line in its column (a top
// line may reach over a left neighbour whose header has one line); and at
// full size a case number, a date, an asset number and the amounts the
// widths are chosen for.
func TestSpecColumnsFit(t *testing.T) {
	p := &page{Fpdf: newPDF("x", "", specAt)}
	p.AddPage()
	var sum float64
	for _, c := range specCols {
		sum += c.width
	}
	if sum != textWidth {
		t.Errorf("the columns are %.1f mm wide together, want the text width %.1f", sum, textWidth)
	}
	p.font("B", specHeadPt)
	for i, c := range specCols {
		for j, l := range c.head {
			room := c.width - 2*cellMargin
			if j == 0 && len(c.head) == 2 && i > 0 && len(specCols[i-1].head) == 1 {
				room += specCols[i-1].width
			}
			if w := p.GetStringWidth(l); w > room {
				t.Errorf("header %q is %.1f mm wide, its room %.1f", l, w, room)
			}
		}
	}
	fits := func(col int, s, style string, size, width float64) {
		t.Helper()
		p.font(style, size)
		if w := p.GetStringWidth(plain(s)); w > width-2*cellMargin {
			t.Errorf("%q is %.1f mm wide at %.1f pt, column %q holds %.1f", s, w, size, specCols[col].head, width-2*cellMargin)
		}
	}
	values := map[int]string{
		0: "2026-00042", 1: "2026-03-12", 3: "100042", 5: "1, 2", 6: sv.Quantity(99500),
		7: sv.Amount(999999), 8: sv.Amount(999999), 9: sv.Amount(999999), 10: sv.Amount(999999), 11: sv.Amount(9999999),
	}
	for col, s := range values {
		fits(col, s, "", specSize, specCols[col].width)
	}
	fits(len(specCols)-1, sv.Amount(999999999), "B", 7.5, subtotalW)
}

// TestRenderInvoiceSpecVATLines: each rate prints its VAT on its base; a
// total without rates prints one VAT line.
func TestRenderInvoiceSpecVATLines(t *testing.T) {
	s := spec()
	s.Totals = &SpecTotals{
		ByRate: []RateTotal{{"25 %", 100000, 25000}, {"12 %", 50000, 6000}},
		NetOre: 150000, VATOre: 31000, ToPayOre: 181000,
	}
	text := pdfText(t, renderSpec(t, s), 1, 0)
	for _, want := range []string{"Moms 25 % på 1 000,00 kr", "250,00 kr", "Moms 12 % på 500,00 kr", "60,00 kr", "1 810,00 kr"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	s.Totals.ByRate = nil
	text = pdfText(t, renderSpec(t, s), 1, 0)
	if !strings.Contains(text, "Moms\n") || !strings.Contains(text, "310,00 kr") || strings.Contains(text, "Moms 25") {
		t.Errorf("without rates, want one line Moms 310,00 kr:\n%s", text)
	}
}
