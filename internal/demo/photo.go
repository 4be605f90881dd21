package demo

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/rand/v2"
	"time"

	"github.com/go-pdf/fpdf"
)

// newCP1252 returns a function that translates UTF-8 into the code page of
// fpdf's core fonts, so that å, ä and ö print. Building it parses a table,
// which costs more than rendering a whole note, so each worker builds one
// and reuses it; the function writes into a buffer of its own and must not
// be shared between goroutines.
func newCP1252() func(string) string {
	return fpdf.New("P", "mm", "A4", "").UnicodeTranslatorFromDescriptor("")
}

// deliveryNote renders the signed Följesedel of a case as a PDF: the
// company, the case and machine, what was done and used, and the
// customer's signature.
func deliveryNote(n noteInput, tr func(string) string) ([]byte, error) {
	signed := n.signed.In(stockholm)
	pdf := fpdf.New("P", "mm", "A4", "")
	// Fixed dates keep the bytes, and so the file's SHA-256, the same for
	// the same now.
	pdf.SetCreationDate(signed)
	pdf.SetModificationDate(signed)
	pdf.SetCatalogSort(true) // resources in a fixed order, not map order
	pdf.SetTitle("Följesedel "+n.caseNumber, true)
	pdf.SetAuthor(company.name, true)
	pdf.SetCreator("Kundportal", true)
	pdf.SetMargins(18, 16, 18)
	pdf.SetAutoPageBreak(true, 16)
	pdf.AddPage()
	const width = 174.0

	// Header: company left, document right.
	pdf.SetFont("Helvetica", "B", 15)
	pdf.CellFormat(110, 7, tr(company.name), "", 0, "L", false, 0, "")
	pdf.SetFont("Helvetica", "B", 17)
	pdf.CellFormat(0, 7, tr("FÖLJESEDEL"), "", 1, "R", false, 0, "")
	pdf.SetFont("Helvetica", "", 8.5)
	pdf.SetTextColor(90, 90, 90)
	pdf.CellFormat(110, 4.5, tr(company.address), "", 0, "L", false, 0, "")
	pdf.CellFormat(0, 4.5, tr("Ärende "+n.caseNumber), "", 1, "R", false, 0, "")
	pdf.CellFormat(110, 4.5, tr("Tel "+company.phone+"  ·  Org.nr "+company.org), "", 0, "L", false, 0, "")
	pdf.CellFormat(0, 4.5, tr("Arbetsorder "+n.woNumber), "", 1, "R", false, 0, "")
	pdf.CellFormat(110, 4.5, "", "", 0, "L", false, 0, "")
	pdf.CellFormat(0, 4.5, tr("Datum "+signed.Format(time.DateOnly)), "", 1, "R", false, 0, "")
	pdf.SetTextColor(0, 0, 0)
	pdf.SetDrawColor(30, 70, 120)
	pdf.SetLineWidth(0.6)
	y := pdf.GetY() + 2
	pdf.Line(18, y, 18+width, y)
	pdf.SetY(y + 4)

	// Customer and machine, side by side.
	left := [][2]string{
		{"Kund", n.customer},
		{"Plats", n.site},
		{"Adress", n.street},
		{"", n.postal + " " + n.city},
		{"Fakturamärkning", n.ref},
	}
	right := [][2]string{{"Objekt", n.asset[0]}, {"Fabrikat", n.asset[1]}, {"Tillv.nr", n.asset[2]}, {"Avtal", n.contract}, {"Typ", n.caseType}}
	for i := range left {
		pdf.SetFont("Helvetica", "B", 8.5)
		pdf.CellFormat(28, 5, tr(left[i][0]), "", 0, "L", false, 0, "")
		pdf.SetFont("Helvetica", "", 9)
		pdf.CellFormat(64, 5, tr(left[i][1]), "", 0, "L", false, 0, "")
		pdf.SetFont("Helvetica", "B", 8.5)
		pdf.CellFormat(22, 5, tr(right[i][0]), "", 0, "L", false, 0, "")
		pdf.SetFont("Helvetica", "", 9)
		pdf.CellFormat(0, 5, tr(right[i][1]), "", 1, "L", false, 0, "")
	}

	section := func(title string) {
		pdf.Ln(4)
		pdf.SetFont("Helvetica", "B", 10.5)
		pdf.SetTextColor(30, 70, 120)
		pdf.CellFormat(0, 6, tr(title), "B", 1, "L", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
		pdf.Ln(1)
	}
	section("Felanmälan")
	pdf.SetFont("Helvetica", "B", 9.5)
	pdf.CellFormat(0, 5, tr(n.title), "", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "", 9)
	pdf.MultiCell(0, 4.5, tr(n.description), "", "L", false)
	pdf.SetFont("Helvetica", "", 8.5)
	pdf.CellFormat(0, 5, tr(fmt.Sprintf("Anmält %s av %s", n.registered.In(stockholm).Format("2006-01-02 15:04"), n.reporter)), "", 1, "L", false, 0, "")

	section("Utförda åtgärder")
	cols := []float64{22, 30, 104, 18}
	header := func(names ...string) {
		pdf.SetFont("Helvetica", "B", 8.5)
		pdf.SetFillColor(230, 236, 243)
		for i, name := range names {
			align := "L"
			if i == len(names)-1 {
				align = "R"
			}
			pdf.CellFormat(cols[i], 5.5, tr(name), "", 0, align, true, 0, "")
		}
		pdf.Ln(-1)
		pdf.SetFont("Helvetica", "", 9)
	}
	header("Datum", "Tekniker", "Åtgärd", "Tid")
	var minutes int
	for _, a := range n.actions {
		minutes += a.minutes
		// SplitLines, not SplitText: the translated text is cp1252 bytes,
		// which SplitText would misread as UTF-8.
		lines := pdf.SplitLines([]byte(tr(a.text)), cols[2]-1)
		x, y := pdf.GetXY()
		pdf.CellFormat(cols[0], 5, a.on.In(stockholm).Format(time.DateOnly), "", 0, "L", false, 0, "")
		pdf.CellFormat(cols[1], 5, tr(a.tech), "", 0, "L", false, 0, "")
		for i, l := range lines {
			pdf.SetXY(x+cols[0]+cols[1], y+5*float64(i))
			pdf.CellFormat(cols[2], 5, string(l), "", 0, "L", false, 0, "")
		}
		pdf.SetXY(x+cols[0]+cols[1]+cols[2], y)
		pdf.CellFormat(cols[3], 5, fmt.Sprintf("%d:%02d", a.minutes/60, a.minutes%60), "", 0, "R", false, 0, "")
		pdf.SetXY(x, y+5*float64(max(1, len(lines))))
	}

	section("Material och tid")
	cols = []float64{40, 116, 18}
	header("Artikelnr", "Benämning", "Antal")
	row := func(art, name, qty string) {
		pdf.CellFormat(cols[0], 5, tr(art), "", 0, "L", false, 0, "")
		pdf.CellFormat(cols[1], 5, tr(name), "", 0, "L", false, 0, "")
		pdf.CellFormat(cols[2], 5, tr(qty), "", 1, "R", false, 0, "")
	}
	for _, p := range n.parts {
		row(p.Article, p.Description, fmt.Sprintf("%d st", p.QuantityMilli/1000))
	}
	row("", "Arbetstid", fmt.Sprintf("%d:%02d h", minutes/60, minutes%60))
	row("", "Resa "+n.city, fmt.Sprintf("%d st", n.visits))

	// Signature: far enough down that it sits at the foot of the page.
	pdf.SetY(max(pdf.GetY()+10, 222))
	pdf.SetFont("Helvetica", "", 8.5)
	pdf.MultiCell(0, 4.2, tr("Kunden intygar med sin signatur att arbetet ovan är utfört och att maskinen har provkörts "+
		"tillsammans med teknikern. Pris enligt avtal "+nonEmpty(n.contract, "och gällande prislista")+"."), "", "L", false)
	base := pdf.GetY() + 20
	signature(pdf, rand.New(rand.NewPCG(n.seed, 0x7369676e)), 22, base-5)
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetLineWidth(0.3)
	pdf.Line(18, base+1.5, 100, base+1.5)
	pdf.Line(112, base+1.5, 18+width, base+1.5)
	pdf.SetFont("Helvetica", "I", 12)
	pdf.SetTextColor(40, 40, 40)
	pdf.Text(114, base-1, tr(n.tech))
	pdf.SetTextColor(0, 0, 0)
	pdf.SetY(base + 2.5)
	pdf.SetFont("Helvetica", "B", 8.5)
	pdf.CellFormat(94, 4.5, tr("Kundens signatur"), "", 0, "L", false, 0, "")
	pdf.CellFormat(0, 4.5, tr("Tekniker"), "", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "", 9)
	pdf.CellFormat(94, 4.5, tr(n.signer), "", 0, "L", false, 0, "")
	pdf.CellFormat(0, 4.5, tr(n.tech+", "+company.name), "", 1, "L", false, 0, "")
	pdf.CellFormat(94, 4.5, tr("Signerat "+signed.Format("2006-01-02 15:04")+" på plats"), "", 1, "L", false, 0, "")

	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func nonEmpty(s, otherwise string) string {
	if s == "" {
		return otherwise
	}
	return s
}

// signature draws a hand-written-looking name stroke with its left end at
// (x, base): a capital, a run of small letters (humps, loops, descenders)
// and an underline flourish back under the name.
func signature(pdf *fpdf.Fpdf, r *rand.Rand, x, base float64) {
	pdf.SetDrawColor(20, 40, 120)
	pdf.SetLineWidth(0.45)
	pdf.SetLineCapStyle("round")
	pdf.SetLineJoinStyle("round")
	slant := 1.5 + r.Float64()*1.5 // how far tops lean right of their feet
	// The capital: a tall stroke up, a loop down and into the first letter.
	h := 11 + r.Float64()*4
	pdf.MoveTo(x, base)
	pdf.CurveBezierCubicTo(x+1, base-h*0.5, x+slant, base-h, x+slant+2, base-h)
	pdf.CurveBezierCubicTo(x+slant+6, base-h, x+4, base-h*0.3, x+2, base-1)
	pdf.CurveBezierCubicTo(x+1, base+1, x+5, base-1, x+6, base-2)
	cx := x + 6
	for range 5 + r.IntN(5) {
		w := 2.5 + r.Float64()*2.5
		switch r.IntN(5) {
		case 0: // a tall loop, like l or h
			t := 8 + r.Float64()*4
			pdf.CurveBezierCubicTo(cx+w, base-t*0.6, cx+slant+w*0.6, base-t, cx+slant, base-t)
			pdf.CurveBezierCubicTo(cx+slant-1.5, base-t, cx+0.5, base-2, cx+w*0.7, base-0.5)
		case 1: // a descender, like g or j
			d := 4 + r.Float64()*3
			pdf.CurveBezierCubicTo(cx+w*0.5, base-4, cx+w, base-3, cx+w*0.8, base+d*0.3)
			pdf.CurveBezierCubicTo(cx+w*0.6, base+d, cx-1, base+d, cx+w*0.7, base-1)
		default: // a hump, like n, m or e
			t := 3 + r.Float64()*2.5
			pdf.CurveBezierCubicTo(cx+w*0.2, base-t, cx+w*0.8, base-t, cx+w, base-0.5)
		}
		cx += w
	}
	// The flourish: out to the right and back under the whole name.
	pdf.CurveBezierCubicTo(cx+4, base-3, cx+6, base+2, cx+2, base+2.5)
	pdf.CurveBezierCubicTo(cx-6, base+3.5, x+8, base+2, x-1, base+3.5)
	pdf.DrawPath("D")
}

// photo draws a simple picture of a machine of kind standing on a tiled
// floor, sometimes with a puddle in front, as a PNG.
func photo(r *rand.Rand, kind string) ([]byte, error) {
	const w, h, floor = 480, 360, 270
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	wall := color.RGBA{uint8(200 + r.IntN(40)), uint8(195 + r.IntN(40)), uint8(180 + r.IntN(40)), 255}
	for y := range h {
		if y < floor {
			shade := float64(y) / floor * 25
			fill(img, 0, y, w, y+1, color.RGBA{sub(wall.R, shade), sub(wall.G, shade), sub(wall.B, shade), 255})
			continue
		}
		for x := 0; x < w; x += 48 {
			v := uint8(150)
			if ((x/48)+(y-floor)/30)%2 == 0 {
				v = 170
			}
			fill(img, x, y, min(x+48, w), y+1, color.RGBA{v, v, v - 8, 255})
		}
	}
	top, handle, door := 80, false, false
	switch kind {
	case "Tvättmaskin", "Torktumlare":
		door = true
	case "Kyl", "Frys", "Kyl/frys", "Torkskåp":
		top, handle = 10, true
	default:
		handle = true
	}
	left, right, bottom := 150, 330, 292
	body := color.RGBA{238, 238, 234, 255}
	if r.IntN(4) == 0 {
		body = color.RGBA{168, 170, 172, 255} // rostfri
	}
	fill(img, left+6, top+6, right+6, bottom, color.RGBA{90, 90, 85, 255}) // shadow
	fill(img, left, top, right, bottom, body)
	fill(img, left, top, right, top+26, color.RGBA{body.R - 25, body.G - 25, body.B - 25, 255})
	fill(img, right-40, top+8, right-12, top+18, color.RGBA{40, 60, 50, 255}) // display
	if door {
		cx, cy := (left+right)/2, (top+bottom)/2+14
		disc(img, cx, cy, 66, color.RGBA{150, 152, 155, 255})
		disc(img, cx, cy, 54, color.RGBA{55, 72, 92, 255})
		disc(img, cx-18, cy-20, 12, color.RGBA{120, 140, 160, 255})
	}
	if handle {
		fill(img, left+20, top+40, left+26, top+110, color.RGBA{120, 120, 120, 255})
		if kind == "Kyl/frys" {
			fill(img, left, top+150, right, top+152, color.RGBA{150, 150, 150, 255})
		}
	}
	if r.IntN(2) == 0 { // a puddle
		cx, cy, rx := 200+r.IntN(80), 318, 60+r.IntN(50)
		for y := cy - 20; y < cy+20; y++ {
			for x := cx - rx; x < cx+rx; x++ {
				dx, dy := float64(x-cx)/float64(rx), float64(y-cy)/20
				if x >= 0 && x < w && y < h && dx*dx+dy*dy < 1 {
					c := img.RGBAAt(x, y)
					img.SetRGBA(x, y, color.RGBA{c.R / 2, c.G/2 + 30, c.B/2 + 60, 255})
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func sub(v uint8, d float64) uint8 { return uint8(math.Max(0, float64(v)-d)) }

// fill paints the rectangle [x0, x1) × [y0, y1) with c, a row at a time.
func fill(img *image.RGBA, x0, y0, x1, y1 int, c color.RGBA) {
	if x1 <= x0 {
		return
	}
	row := img.Pix[img.PixOffset(x0, y0):img.PixOffset(x1, y0)]
	row[0], row[1], row[2], row[3] = c.R, c.G, c.B, c.A
	for n := 4; n < len(row); n *= 2 {
		copy(row[n:], row[:n])
	}
	for y := y0 + 1; y < y1; y++ {
		copy(img.Pix[img.PixOffset(x0, y):], row)
	}
}

func disc(img *image.RGBA, cx, cy, radius int, c color.RGBA) {
	for y := cy - radius; y <= cy+radius; y++ {
		for x := cx - radius; x <= cx+radius; x++ {
			if (x-cx)*(x-cx)+(y-cy)*(y-cy) <= radius*radius {
				img.SetRGBA(x, y, c)
			}
		}
	}
}
