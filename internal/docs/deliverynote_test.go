package docs

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kundportal/internal/sv"
)

var signedAt = time.Date(2026, time.March, 12, 14, 5, 0, 0, sv.Stockholm)

// wave is a signature of two strokes, a long wavy one and a short one, on
// a 600 × 200 pad.
func wave() Signature {
	var a, b []Point
	for i := range 120 {
		x := 40 + float64(i)*4
		a = append(a, Point{x, 100 + 45*math.Sin(float64(i)/6)})
	}
	for i := range 20 {
		b = append(b, Point{60 + float64(i)*20, 170})
	}
	return Signature{Width: 600, Height: 200, Strokes: [][]Point{a, b}}
}

// note is a delivery note with å, ä and ö in every kind of field.
func note() DeliveryNote {
	day := time.Date(2026, time.March, 12, 0, 0, 0, 0, sv.Stockholm)
	return DeliveryNote{
		Company: Company{
			Name: "Skaraborgs Vitvaruservice AB", Address: "Industrigatan 8, 541 37 Skövde",
			Phone: "+46500441200", OrgNumber: "556789-0123",
		},
		CaseNumber: "2026-00042", WorkOrderNumber: "2026-00042-1", CaseType: "Serviceanmälan",
		Customer: "Björkhagens äldreboende", Site: "Avdelning Lärkan, kök", Street: "Östra Ängsvägen 12",
		PostalCode: "532 30", City: "Skara", InvoiceReference: "KST 4410 Åsa", ContractNumber: "AV-2026-003",
		Machine: Machine{AssetNumber: "100042", Kind: "Tvättmaskin", Brand: "Electrolux", Model: "WH6-11", SerialNumber: "91452"},
		Fault: Fault{
			Title:       "Tvättmaskinen tömmer inte",
			Description: "Vattnet står kvar i trumman efter programmet.\nFelkod E20 på displayen.",
			ReportedBy:  "Berit Öberg", ReportedAt: time.Date(2026, time.March, 10, 8, 15, 0, 0, sv.Stockholm),
		},
		Technician: "Jörgen Ståhl",
		Actions: []NoteAction{
			{Date: day, Technician: "Jörgen Ståhl", Description: "Felsökning: pumpen går men är igensatt av en strumpa.", Minutes: 30},
			{Date: day, Technician: "Jörgen Ståhl", Description: "Bytt tömningspump, provkört tvätt 60° utan anmärkning.", Minutes: 60},
		},
		Lines: []NoteLine{
			{Description: "Arbetstid", QuantityMilli: 1500, Unit: "h", UnitPriceOre: 83333, AmountOre: 125000},
			{Description: "Resa Skara", QuantityMilli: 1000, Unit: "st", UnitPriceOre: 45000, AmountOre: 45000},
			{Article: "EL-140000", Description: "Tömningspump", QuantityMilli: 1000, Unit: "st", UnitPriceOre: 148900, AmountOre: 148900},
		},
		SignerName: "Åsa Ängström",
		SignedAt:   signedAt,
		Signature:  wave(),
	}
}

func render(t *testing.T, n DeliveryNote) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := RenderDeliveryNote(&buf, n); err != nil {
		t.Fatalf("RenderDeliveryNote: %v", err)
	}
	return buf.Bytes()
}

func TestRenderDeliveryNote(t *testing.T) {
	pdf := render(t, note())
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.HasSuffix(bytes.TrimRight(pdf, "\r\n"), []byte("%%EOF")) {
		t.Fatalf("not a PDF: starts %q, ends %q", pdf[:min(8, len(pdf))], pdf[max(0, len(pdf)-8):])
	}
	if n := pageCount(pdf); n != 1 {
		t.Errorf("%d pages, want 1", n)
	}
	text := pdfText(t, pdf, 1, 0)
	// 1 250,00 + 450,00 + 1 489,00 = 3 189,00 kr; 25 % VAT 797,25 kr.
	for _, want := range []string{
		"FÖLJESEDEL", "Skaraborgs Vitvaruservice AB", "Industrigatan 8, 541 37 Skövde",
		"Tel 0500-44 12 00 · Org.nr 556789-0123",
		"Ärende 2026-00042", "Arbetsorder 2026-00042-1", "Datum 2026-03-12",
		"Björkhagens äldreboende", "Avdelning Lärkan, kök", "Östra Ängsvägen 12", "532 30 Skara",
		"KST 4410 Åsa", "AV-2026-003", "Serviceanmälan",
		"100042 Tvättmaskin", "Electrolux WH6-11", "91452",
		"Tvättmaskinen tömmer inte", "Felkod E20 på displayen.", "Anmält 2026-03-10 08:15 av Berit Öberg",
		"Felsökning: pumpen går men är igensatt av en strumpa.", "provkört tvätt 60° utan anmärkning.",
		"30 min", "1 h", "Summa tid", "1 h 30 min",
		"EL-140000", "Tömningspump", "1,5 h", "833,33 kr", "1 250,00 kr", "1 489,00 kr",
		"Summa exkl. moms", "3 189,00 kr", "Moms 25 %", "797,25 kr", "Totalt inkl. moms", "3 986,25 kr",
		"Pris enligt avtal AV-2026-003.",
		"Kundens signatur", "Åsa Ängström", "Signerat 2026-03-12 14:05 på plats", "Jörgen Ståhl, Skaraborgs Vitvaruservice AB",
		"Följesedel 2026-00042 · Arbetsorder 2026-00042-1 · Sida 1 av 1",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text of the PDF lacks %q; it is:\n%s", want, text)
		}
	}
}

// TestRenderDeliveryNoteDeterministic renders the same note again and
// again, also concurrently (see sameBytes), and a note signed a minute
// later differently.
func TestRenderDeliveryNoteDeterministic(t *testing.T) {
	n := note()
	first := sameBytes(t, 10, func(w io.Writer) error { return RenderDeliveryNote(w, n) }, "D:20260312140500")
	other := n
	other.SignedAt = signedAt.Add(time.Minute)
	if bytes.Equal(render(t, other), first) {
		t.Error("a note signed a minute later gives the same bytes")
	}
}

func TestRenderDeliveryNoteRefused(t *testing.T) {
	tests := []struct {
		name     string
		change   func(*DeliveryNote)
		unsigned bool // the error is ErrUnsigned
	}{
		{"no signer", func(n *DeliveryNote) { n.SignerName = "" }, true},
		{"blank signer", func(n *DeliveryNote) { n.SignerName = " \t " }, true},
		{"no signature", func(n *DeliveryNote) { n.Signature = Signature{} }, true},
		{"no strokes", func(n *DeliveryNote) { n.Signature.Strokes = nil }, true},
		{"strokes without points", func(n *DeliveryNote) { n.Signature.Strokes = [][]Point{{}, {}} }, true},
		{"no signing time", func(n *DeliveryNote) { n.SignedAt = time.Time{} }, true},
		{"no case number", func(n *DeliveryNote) { n.CaseNumber = "" }, false},
		{"no pad size", func(n *DeliveryNote) { n.Signature.Width = 0 }, false},
		{"NaN pad size", func(n *DeliveryNote) { n.Signature.Height = math.NaN() }, false},
		{"NaN point", func(n *DeliveryNote) { n.Signature.Strokes[0][3].Y = math.NaN() }, false},
		{"infinite point", func(n *DeliveryNote) { n.Signature.Strokes[1][0].X = math.Inf(1) }, false},
		{"too many points", func(n *DeliveryNote) {
			n.Signature.Strokes = append(n.Signature.Strokes, make([]Point, MaxSignaturePoints))
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := note()
			tt.change(&n)
			var buf bytes.Buffer
			err := RenderDeliveryNote(&buf, n)
			if err == nil {
				t.Fatal("RenderDeliveryNote = nil, want an error")
			}
			if errors.Is(err, ErrUnsigned) != tt.unsigned {
				t.Errorf("RenderDeliveryNote = %v; errors.Is(err, ErrUnsigned) = %v, want %v", err, !tt.unsigned, tt.unsigned)
			}
			if err := n.Validate(); err == nil {
				t.Errorf("Validate() = nil, want the error RenderDeliveryNote gave")
			}
			if buf.Len() > 0 {
				t.Errorf("%d bytes written despite the error", buf.Len())
			}
		})
	}
}

// long is the sample note with 70 actions, every tenth long enough to
// wrap, and 30 lines of material: more than one page holds.
func long() DeliveryNote {
	n := note()
	n.Actions, n.Lines = nil, nil
	day := time.Date(2026, time.February, 2, 0, 0, 0, 0, sv.Stockholm)
	for i := range 70 {
		d := fmt.Sprintf("Åtgärd %03d: kontrollerat lucka och packning", i+1)
		if i%10 == 3 {
			d += strings.Repeat(" och dessutom rengjort filtret i botten", 4) + fmt.Sprintf(" slut %03d", i+1)
		}
		n.Actions = append(n.Actions, NoteAction{Date: day.AddDate(0, 0, i/5), Technician: "Jörgen Ståhl", Description: d, Minutes: 15})
	}
	for i := range 30 {
		n.Lines = append(n.Lines, NoteLine{
			Article: fmt.Sprintf("EL-%06d", i+1), Description: fmt.Sprintf("Reservdel %02d, packning", i+1),
			QuantityMilli: 1000, Unit: "st", UnitPriceOre: 10000, AmountOre: 10000,
		})
	}
	return n
}

// TestRenderDeliveryNoteLong checks that nothing is lost at a page break,
// that every page says which note it belongs to, and that the signature
// comes last.
func TestRenderDeliveryNoteLong(t *testing.T) {
	n := long()
	const net = 30 * 10000
	pdf := render(t, n)
	pages := pageCount(pdf)
	if pages < 2 {
		t.Fatalf("%d pages, want the actions to flow onto a second", pages)
	}
	text := pdfText(t, pdf, 1, 0)
	for i := range 70 {
		want := fmt.Sprintf("Åtgärd %03d:", i+1)
		if c := strings.Count(text, want); c != 1 {
			t.Errorf("%q appears %d times, want once", want, c)
		}
		if i%10 == 3 {
			if want := fmt.Sprintf("slut %03d", i+1); !strings.Contains(text, want) {
				t.Errorf("the end of long action %d (%q) is missing", i+1, want)
			}
		}
	}
	for i := range 30 {
		if want := fmt.Sprintf("EL-%06d", i+1); strings.Count(text, want) != 1 {
			t.Errorf("line %q appears %d times, want once", want, strings.Count(text, want))
		}
	}
	for _, want := range []string{
		"Summa tid", "17 h 30 min", // 70 × 15 min
		"Summa exkl. moms", sv.Money(net), sv.Money(net + net/4),
	} {
		if !strings.Contains(text, strings.ReplaceAll(want, "\u00a0", " ")) {
			t.Errorf("text lacks %q", want)
		}
	}
	for p := 1; p <= pages; p++ {
		pt := pdfText(t, pdf, p, p)
		if want := fmt.Sprintf("Sida %d av %d", p, pages); !strings.Contains(pt, want) {
			t.Errorf("page %d lacks %q", p, want)
		}
		if p > 1 && !strings.Contains(pt, "Följesedel 2026-00042 (forts.)") {
			t.Errorf("page %d lacks the continuation header", p)
		}
		if signed := strings.Contains(pt, "Kundens signatur"); signed != (p == pages) {
			t.Errorf("page %d of %d: signature block there = %v", p, pages, signed)
		}
	}
}

// TestSignaturePlacement rasterises two notes that differ only in their
// signatures: the pixels that differ must exist (the strokes are drawn)
// and lie within the signature box, even for points far off the pad.
func TestSignaturePlacement(t *testing.T) {
	tests := []struct {
		name string
		sig  Signature
	}{
		{"other strokes", Signature{Width: 300, Height: 100, Strokes: [][]Point{
			{{10, 10}, {290, 90}}, {{10, 90}, {290, 10}}, {{150, 50}},
		}}},
		{"points off the pad", Signature{Width: 600, Height: 200, Strokes: [][]Point{
			{{-500, -300}, {300, 100}, {5000, 900}},
		}}},
	}
	const dpi = 72
	mm := func(px int) float64 { return float64(px) * 25.4 / dpi }
	base := raster(t, render(t, note()), dpi)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := note()
			n.Signature = tt.sig
			img := raster(t, render(t, n), dpi)
			box := image.Rectangle{Min: image.Pt(1<<30, 1<<30)}
			for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
				for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
					r1, g1, b1, _ := img.At(x, y).RGBA()
					r2, g2, b2, _ := base.At(x, y).RGBA()
					if r1 != r2 || g1 != g2 || b1 != b2 {
						box.Min.X, box.Min.Y = min(box.Min.X, x), min(box.Min.Y, y)
						box.Max.X, box.Max.Y = max(box.Max.X, x+1), max(box.Max.Y, y+1)
					}
				}
			}
			if box.Empty() {
				t.Fatal("the signature changed no pixel")
			}
			// A pixel of slack on each side for anti-aliasing and the
			// pen's width.
			const slack = 1.5
			if l, r := mm(box.Min.X), mm(box.Max.X); l < marginLeft-slack || r > marginLeft+sigBoxW+slack {
				t.Errorf("signature spans x %.1f–%.1f mm, want within the box %.1f–%.1f", l, r, marginLeft, marginLeft+sigBoxW)
			}
			if h := mm(box.Dy()); h > sigBoxH+2*slack {
				t.Errorf("signature is %.1f mm high, want at most the box's %.1f", h, sigBoxH)
			}
			if top := mm(box.Min.Y); top < pageH/2 {
				t.Errorf("signature starts %.1f mm from the top, want it in the lower half", top)
			}
		})
	}
}

func TestTotals(t *testing.T) {
	tests := []struct {
		name            string
		amounts         []int64
		net, vat, gross int64
	}{
		{"none", nil, 0, 0, 0},
		{"one", []int64{100000}, 100000, 25000, 125000},
		// VAT is rounded once on the sum: three lines of 0,01 kr give
		// 0,01 kr VAT, not three times a rounded 0,0025.
		{"rounded on the sum", []int64{1, 1, 1}, 3, 1, 4},
		{"credit", []int64{50000, -20000}, 30000, 7500, 37500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n DeliveryNote
			for _, a := range tt.amounts {
				n.Lines = append(n.Lines, NoteLine{AmountOre: a})
			}
			net, vat, gross := n.totals()
			if net != tt.net || vat != tt.vat || gross != tt.gross {
				t.Errorf("totals(%v) = %d, %d, %d, want %d, %d, %d", tt.amounts, net, vat, gross, tt.net, tt.vat, tt.gross)
			}
		})
	}
}

// TestRenderDeliveryNoteOddText feeds text a phone keyboard can produce
// and the font tables cannot index: emoji, control characters, broken
// UTF-8, a word wider than its column.
func TestRenderDeliveryNoteOddText(t *testing.T) {
	n := note()
	n.SignerName = "Åsa 😀 Ängström"
	n.Actions[0].Description = "Bytt\x00packning\x1b ok " + strings.Repeat("Z", 300) + " \xff klart"
	n.Site = strings.Repeat("Väldigt lång platsbeskrivning ", 10)
	text := pdfText(t, render(t, n), 1, 0)
	for _, want := range []string{"Åsa", "Ängström", "klart", strings.Repeat("Z", 40), "Väldigt lång", "…"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	if got := strings.Count(text, "Z"); got != 300 {
		t.Errorf("the 300-letter word shows %d Z's, want all 300", got)
	}
}

// TestWriteSample writes a sample note for looking at, when DOCS_SAMPLE_DIR
// is set:
//
//	DOCS_SAMPLE_DIR=/tmp/docs go test -run WriteSample ./internal/docs
func TestWriteSample(t *testing.T) {
	dir := os.Getenv("DOCS_SAMPLE_DIR")
	if dir == "" {
		t.Skip("DOCS_SAMPLE_DIR not set")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, n := range map[string]DeliveryNote{"foljesedel.pdf": note(), "foljesedel-lang.pdf": long()} {
		if err := os.WriteFile(filepath.Join(dir, name), render(t, n), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func BenchmarkRenderDeliveryNote(b *testing.B) {
	n := note()
	var size int
	for b.Loop() {
		var buf bytes.Buffer
		if err := RenderDeliveryNote(&buf, n); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size), "bytes/pdf")
}

func TestRenderDeliveryNoteTerms(t *testing.T) {
	tests := []struct {
		name    string
		change  func(*DeliveryNote)
		want    string
		wantNot string
	}{
		{"contract", func(n *DeliveryNote) {}, "Pris enligt avtal AV-2026-003.", "prislista"},
		{"price list", func(n *DeliveryNote) { n.ContractNumber = "" }, "Pris enligt gällande prislista.", "avtal AV"},
		{"no lines", func(n *DeliveryNote) { n.Lines = nil }, "provkörts tillsammans med teknikern.", "Pris enligt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := note()
			tt.change(&n)
			text := strings.Join(strings.Fields(pdfText(t, render(t, n), 1, 0)), " ")
			if !strings.Contains(text, tt.want) || strings.Contains(text, tt.wantNot) {
				t.Errorf("text has %q = %v and %q = %v, want true and false", tt.want, strings.Contains(text, tt.want),
					tt.wantNot, strings.Contains(text, tt.wantNot))
			}
		})
	}
}

// TestRenderDeliveryNoteTallRow gives one action more lines than a page
// holds: the row runs over the page break instead of being dropped or
// pushing itself onto new pages for ever.
func TestRenderDeliveryNoteTallRow(t *testing.T) {
	n := note()
	var rows []string
	for i := range 80 {
		rows = append(rows, fmt.Sprintf("rad %02d av felsökningen", i+1))
	}
	n.Actions[0].Description = strings.Join(rows, "\n")
	pdf := render(t, n)
	if pages := pageCount(pdf); pages < 2 || pages > 3 {
		t.Errorf("%d pages, want 2 or 3", pages)
	}
	text := pdfText(t, pdf, 1, 0)
	for _, r := range rows {
		if strings.Count(text, r) != 1 {
			t.Errorf("%q appears %d times, want once", r, strings.Count(text, r))
		}
	}
	if !strings.Contains(text, "Bytt tömningspump") {
		t.Error("the action after the tall one is missing")
	}
}

// TestRenderDeliveryNoteUnsignedCorrection: a note the customer did not
// sign says why in the signature box; a correction names the note it
// replaces; the fingerprint of the frozen record is printed.
func TestRenderDeliveryNoteUnsignedCorrection(t *testing.T) {
	n := note()
	n.Signature, n.SignerName = Signature{}, ""
	n.Unsigned = "Ingen kund på plats."
	n.Version, n.Replaces = 2, "version 1, signerad 2026-03-12 14:05"
	n.Fingerprint = strings.Repeat("ab", 32)
	n.StartedAt = time.Date(2026, 3, 12, 8, 12, 0, 0, time.UTC)
	n.FinishedAt = n.StartedAt.Add(88 * time.Minute)
	text := pdfText(t, render(t, n), 1, 0)
	for _, want := range []string{"Besök 09:12–10:40", "Ingen kund på plats.", "Avslutat 2026-03-12 14:05 på plats", "Rättelse: ersätter version 1, signerad 2026-03-12 14:05", "Fingeravtryck (SHA-256): " + n.Fingerprint} {
		if !strings.Contains(text, want) {
			t.Errorf("text of the PDF lacks %q; it is:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Signerat ") {
		t.Error("an unsigned note says it was signed")
	}
	n.Unsigned = ""
	if err := n.Validate(); !errors.Is(err, ErrUnsigned) {
		t.Errorf("without a signature or a reason: Validate() = %v, want ErrUnsigned", err)
	}
}

// TestRenderDeliveryNotePaperPhoto: a note signed on paper carries the
// photo of the paper as an image in the PDF.
func TestRenderDeliveryNotePaperPhoto(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 120, 80))
	for x := 10; x < 110; x++ {
		img.Set(x, 40+x%7, color.Black)
	}
	var photo bytes.Buffer
	if err := jpeg.Encode(&photo, img, nil); err != nil {
		t.Fatal(err)
	}
	n := note()
	n.Signature = Signature{}
	n.Unsigned = "Kunden skrev under på papper."
	n.PaperPhoto = photo.Bytes()
	pdf := render(t, n)
	if !bytes.Contains(pdf, []byte("/Subtype /Image")) {
		t.Error("the PDF has no embedded image")
	}
	if bytes.Contains(render(t, note()), []byte("/Subtype /Image")) {
		t.Error("a note signed on the screen has an image too; the pad's strokes are drawn as lines")
	}
}
