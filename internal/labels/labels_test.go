package labels

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	qrcode "github.com/skip2/go-qrcode"
)

func sample(n int) []Label {
	ls := make([]Label, n)
	for i := range ls {
		num := fmt.Sprint(100001 + i)
		ls[i] = Label{
			Number: num,
			Kind:   "Tvättmaskin",
			Brand:  "Electrolux",
			Place:  "Hertig Johans gata 12, Tvättstuga",
			URL:    "https://portal.example/nytt-arende?objekt=" + num,
		}
	}
	return ls
}

// swedish is the label whose long text with å, ä and ö once made fpdf's
// SplitText panic.
var swedish = Label{
	Number: "100042",
	Kind:   "Kyl/frys",
	Brand:  "Husqvarna",
	Place:  "Östra Ängsvägen 12 lgh 1102, Tvättstuga källarplan mycket lång text som måste kortas",
	URL:    "https://portal.example/nytt-arende?objekt=100042",
}

func sheet(t *testing.T, ls []Label) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Sheet(&buf, ls); err != nil {
		t.Fatalf("Sheet(%d labels): %v", len(ls), err)
	}
	return buf.Bytes()
}

// pages counts the page objects in a PDF.
func pages(pdf []byte) int {
	return bytes.Count(pdf, []byte("/Type /Page")) - bytes.Count(pdf, []byte("/Type /Pages"))
}

func TestSheetPages(t *testing.T) {
	for _, tc := range []struct{ labels, pages int }{
		{1, 1}, {23, 1}, {24, 1}, {25, 2}, {48, 2}, {49, 3},
	} {
		out := sheet(t, sample(tc.labels))
		if !bytes.HasPrefix(out, []byte("%PDF-")) {
			t.Errorf("%d labels: output starts %q, want %%PDF-", tc.labels, out[:min(len(out), 8)])
		}
		if !bytes.HasSuffix(bytes.TrimSpace(out), []byte("%%EOF")) {
			t.Errorf("%d labels: output does not end with %%%%EOF", tc.labels)
		}
		if got := pages(out); got != tc.pages {
			t.Errorf("%d labels: %d page objects, want %d", tc.labels, got, tc.pages)
		}
		pdf, err := build(sample(tc.labels), false)
		if err != nil {
			t.Fatal(err)
		}
		if got := pdf.PageCount(); got != tc.pages {
			t.Errorf("%d labels: PageCount %d, want %d", tc.labels, got, tc.pages)
		}
	}
}

func TestSheetErrors(t *testing.T) {
	long := sample(1)
	long[0].URL = "https://portal.example/?q=" + strings.Repeat("x", 3000) // over a version-40 QR code's capacity
	unreadable := sample(1)
	unreadable[0].URL = "https://portal.example/?q=" + strings.Repeat("x", 300) // over version 10
	noURL := sample(3)
	noURL[1].URL = "  "
	for name, ls := range map[string][]Label{
		"nil":                  nil,
		"zero":                 {},
		"too many":             sample(MaxLabels + 1),
		"URL too long":         long,
		"URL too long to read": unreadable,
		"URL missing":          noURL,
		"too many, bad":        append(sample(MaxLabels), Label{}),
	} {
		var buf bytes.Buffer
		err := Sheet(&buf, ls)
		if err == nil {
			t.Errorf("%s: no error", name)
		}
		if buf.Len() != 0 {
			t.Errorf("%s: wrote %d bytes with the error", name, buf.Len())
		}
	}
}

func TestSheetMaxLabels(t *testing.T) {
	if testing.Short() {
		t.Skip("renders 2000 QR codes")
	}
	out := sheet(t, sample(MaxLabels))
	if got, want := pages(out), (MaxLabels+perPage-1)/perPage; got != want {
		t.Errorf("%d page objects, want %d", got, want)
	}
}

func TestSheetDeterministic(t *testing.T) {
	ls := append(sample(30), swedish)
	a, b := sheet(t, ls), sheet(t, ls)
	if !bytes.Equal(a, b) {
		t.Error("the same labels gave different bytes")
	}
	if c := sheet(t, sample(31)); bytes.Equal(a, c) {
		t.Error("different labels gave the same bytes")
	}
}

// TestSheetText reads the uncompressed content stream: the texts are there
// in cp1252 (ä = E4, Ö = D6, … = 85), and the long place is shortened.
func TestSheetText(t *testing.T) {
	pdf, err := build([]Label{swedish, sample(1)[0]}, false)
	if err != nil {
		t.Fatal(err)
	}
	pdf.SetCompression(false)
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"(Felanm\xe4lan: skanna koden) Tj",
		"(100042) Tj",
		"(100001) Tj",
		"(Kyl/frys Husqvarna) Tj",
		"(Tv\xe4ttmaskin Electrolux) Tj",
		"(\xd6stra \xc4ngsv\xe4gen 12 lgh) Tj",
		"(1102, Tv\xe4ttstuga k\xe4llarplan\x85) Tj",
		"(Hertig Johans gata 12,) Tj",
		"(Tv\xe4ttstuga) Tj",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("content lacks %q", want)
		}
	}
	if strings.Contains(out, "kortas") {
		t.Error("the long place was not shortened")
	}
}

func TestSwedishNoPanic(t *testing.T) {
	weird := []Label{
		swedish,
		{Number: "ÅÄÖ-åäö-€-😀-" + strings.Repeat("9", 40), Kind: strings.Repeat("Kyl/frys ", 20), Brand: "Bosch",
			Place: "Ö" + strings.Repeat("ä", 200), URL: "https://portal.example/x?å=ö"},
		{Number: "1", URL: "u", Place: "rad ett\nrad två\ttab  \r\n"},
		{Number: "", Kind: "", Brand: "", Place: strings.Repeat(" ", 50), URL: "https://portal.example/"},
	}
	sheet(t, weird)
}

// TestFitWrap checks that every shortened and wrapped line fits the text
// column, for text with characters in and outside cp1252.
func TestFitWrap(t *testing.T) {
	pdf, err := build(sample(1), false)
	if err != nil {
		t.Fatal(err)
	}
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	pdf.SetFont("Helvetica", "", placeSize)
	for _, s := range []string{
		"", "a", "Tvättstuga", swedish.Place,
		strings.Repeat("W", 100),
		"Ö" + strings.Repeat("ä", 200),
		"😀 ✓ 漢字 " + strings.Repeat("Östra ", 30),
		"Kort",
		"Ett ord  som  " + strings.Repeat("x", 80) + " slutar",
	} {
		ts := tr(clean(s))
		if got := fit(pdf, ts, textW); pdf.GetStringWidth(got) > textW {
			t.Errorf("fit(%q) = %q, %.1f mm wide", s, got, pdf.GetStringWidth(got))
		}
		lines := wrap(pdf, ts, textW, placeLines)
		if len(lines) > placeLines {
			t.Errorf("wrap(%q): %d lines", s, len(lines))
		}
		for _, l := range lines {
			if pdf.GetStringWidth(l) > textW {
				t.Errorf("wrap(%q): line %q %.1f mm wide", s, l, pdf.GetStringWidth(l))
			}
		}
		if pdf.GetStringWidth(ts) <= textW && (len(lines) > 1 || (ts != "" && lines[0] != ts)) {
			t.Errorf("wrap(%q) = %q, want it unchanged", s, lines)
		}
	}
	// Short text comes back whole, on as few lines as it needs.
	if got := wrap(pdf, tr("Hertig Johans gata 12, Tvättstuga"), textW, 2); !slices.Equal(got, []string{"Hertig Johans gata 12,", "Tv\xe4ttstuga"}) {
		t.Errorf("wrap = %q", got)
	}
}

// TestNumberShrinks checks that a long asset number is printed smaller, not
// cut: 12 digits fit at a smaller size than 20 pt.
func TestNumberShrinks(t *testing.T) {
	l := sample(1)[0]
	l.Number = "123456789012"
	pdf, err := build([]Label{l}, false)
	if err != nil {
		t.Fatal(err)
	}
	pdf.SetCompression(false)
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "(123456789012) Tj") {
		t.Error("long number was cut instead of shrunk")
	}
}

func TestQRModules(t *testing.T) {
	url := "https://portal.example/nytt-arende?objekt=100001"
	got, err := qrModules(url)
	if err != nil {
		t.Fatal(err)
	}
	// A 48-character URL at level M needs version 4: 33 modules a side,
	// 27/33 = 0.82 mm each on the label, so the 3.5 mm gap to the text is
	// over the 4-module quiet zone.
	if len(got) != 33 {
		t.Fatalf("%d modules a side, want 33 (version 4)", len(got))
	}
	for _, row := range got {
		if len(row) != len(got) {
			t.Fatalf("row of %d modules in a %d square", len(row), len(got))
		}
	}
	// Finder patterns in three corners: a dark 7×7 ring, a light ring, a
	// dark 3×3 centre. No quiet zone: the corner module is dark.
	for _, c := range [][2]int{{0, 0}, {len(got) - 7, 0}, {0, len(got) - 7}} {
		x, y := c[0], c[1]
		if !got[y][x] || !got[y+6][x+6] || got[y+1][x+1] || !got[y+3][x+3] || got[y+5][x+3] {
			t.Errorf("no finder pattern at %v", c)
		}
	}
	// The same as the library's level-M encoding, inside its 4-module
	// quiet zone.
	q, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	want := q.Bitmap()
	if len(want) != len(got)+8 {
		t.Fatalf("library bitmap %d a side, want %d", len(want), len(got)+8)
	}
	for y := range got {
		if !slices.Equal(got[y], want[y+4][4:len(want)-4]) {
			t.Fatalf("row %d differs from the level-M encoding", y)
		}
	}
	// Level M, not L: the library's level-L code for this URL is version 3.
	if l, _ := qrcode.New(url, qrcode.Low); len(l.Bitmap())-8 == len(got) {
		t.Error("level L gives the same size; test URL does not tell the levels apart")
	}

	other, err := qrModules("https://portal.example/nytt-arende?objekt=100002")
	if err != nil {
		t.Fatal(err)
	}
	if slices.EqualFunc(got, other, slices.Equal) {
		t.Error("different URLs gave the same QR code")
	}
	if _, err := qrModules(" "); err == nil {
		t.Error("blank URL: no error")
	}

	// Short URLs get version 4 too; long ones up to version 10 (57
	// modules); longer ones are refused.
	for _, tc := range []struct {
		url     string
		modules int // 0: error
	}{
		{"u", 33},
		{"https://kp.se/o/1", 33},
		{"https://portal.example/?q=" + strings.Repeat("x", 170), 57},
		{"https://portal.example/?q=" + strings.Repeat("x", 250), 0},
	} {
		bits, err := qrModules(tc.url)
		switch {
		case tc.modules == 0 && err == nil:
			t.Errorf("%d-byte URL: no error", len(tc.url))
		case tc.modules != 0 && err != nil:
			t.Errorf("%d-byte URL: %v", len(tc.url), err)
		case tc.modules != 0 && len(bits) != tc.modules:
			t.Errorf("%d-byte URL: %d modules a side, want %d", len(tc.url), len(bits), tc.modules)
		}
	}
}

// reRect matches one rectangle of a QR code's path in the content stream.
var reRect = regexp.MustCompile(`^(-?[\d.]+) (-?[\d.]+) ([\d.]+) ([\d.]+) re$`)

// TestQRDrawn reads the first label's QR path back from the uncompressed
// content stream and checks that its rectangles cover exactly the dark
// modules, at the label's QR position.
func TestQRDrawn(t *testing.T) {
	l := sample(1)[0]
	want, err := qrModules(l.URL)
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := build([]Label{l}, false)
	if err != nil {
		t.Fatal(err)
	}
	pdf.SetCompression(false)
	k := pdf.GetConversionRatio()
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		t.Fatal(err)
	}
	content := buf.String()
	start := strings.Index(content, "q 0 g\n")
	if start < 0 {
		t.Fatal("no QR path in the content")
	}
	end := start + strings.Index(content[start:], "f Q\n")
	n := len(want)
	m := qrSize / float64(n) // module size in mm
	got := make([][]bool, n)
	for i := range got {
		got[i] = make([]bool, n)
	}
	lines := strings.Split(strings.TrimSpace(content[start+len("q 0 g\n"):end]), "\n")
	for _, line := range lines {
		f := reRect.FindStringSubmatch(line)
		if f == nil {
			t.Fatalf("unexpected line %q in the QR path", line)
		}
		var v [4]float64
		for i := range v {
			v[i], _ = strconv.ParseFloat(f[i+1], 64)
			v[i] /= k // back to mm
		}
		// PDF y grows upwards from the page bottom.
		col := (v[0] - gridLeft - qrLeft) / m
		row := (pageH - v[1] - gridTop - qrTop) / m // the rectangle's bottom edge
		width := v[2] / m
		if math.Abs(v[3]-m) > 0.01 {
			t.Fatalf("rectangle %q is %.3f mm high, want one module, %.3f", line, v[3], m)
		}
		c0, r1, w := int(math.Round(col)), int(math.Round(row)), int(math.Round(width))
		if math.Abs(col-float64(c0)) > 0.02 || math.Abs(row-float64(r1)) > 0.02 || math.Abs(width-float64(w)) > 0.02 {
			t.Fatalf("rectangle %q is off the module grid", line)
		}
		for c := c0; c < c0+w; c++ {
			if r1 < 1 || r1 > n || c < 0 || c >= n || got[r1-1][c] {
				t.Fatalf("rectangle %q is outside the code or overlaps another", line)
			}
			got[r1-1][c] = true
		}
	}
	for y := range want {
		if !slices.Equal(got[y], want[y]) {
			t.Fatalf("drawn row %d differs from the code's modules", y)
		}
	}
}

// toolsRequired reports whether a missing external tool must fail a test
// rather than skip it: in CI (CI=true, or KUNDPORTAL_REQUIRE_TOOLS=1, which
// .ci/run sets after installing the tools), so a machine that lost them
// cannot pass by accident.
func toolsRequired() bool {
	return os.Getenv("CI") == "true" || os.Getenv("KUNDPORTAL_REQUIRE_TOOLS") == "1"
}

// lookTool returns the path of the program name from the Debian package
// pkg, or skips the test (fails it when toolsRequired) without it.
func lookTool(t *testing.T, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if toolsRequired() {
			t.Fatalf("%s (Debian: %s) is required here (CI=true or KUNDPORTAL_REQUIRE_TOOLS=1): %v", name, pkg, err)
		}
		t.Skipf("needs %s (Debian: apt-get install %s)", name, pkg)
	}
	return p
}

// TestQRDecodes decodes the QR code of every label on every printed page,
// rendered by pdftoppm at 300 dpi, with zbarimg (Debian's zbar-tools), one
// label cut out at a time: on a whole page of 24 codes zbarimg misses one
// or two, at most resolutions, that it reads alone. Each label must read as
// its own URL, so a code drawn in another label's place fails too. It is
// skipped where those tools are not installed, and fails there in CI.
func TestQRDecodes(t *testing.T) {
	pdftoppm := lookTool(t, "pdftoppm", "poppler-utils")
	zbarimg := lookTool(t, "zbarimg", "zbar-tools")
	ls := append(sample(21), swedish,
		Label{Number: "7", URL: "https://kp.se/o/7"}, // forced up to version 4
		Label{Number: "8", URL: "https://portal.example/nytt-arende?objekt=8&" + strings.Repeat("x", 150)})
	// A second page, partly filled: its codes sit at the same places.
	for _, n := range []string{"200001", "200002", "200003", "200004", "200005"} {
		ls = append(ls, Label{Number: n, Kind: "Diskmaskin", Brand: "Bosch", Place: "Sida två", URL: "https://portal.example/nytt-arende?objekt=" + n})
	}
	seen := map[string]bool{}
	for _, l := range ls {
		if seen[l.URL] {
			t.Fatalf("test labels share the URL %q: a misplaced code could pass", l.URL)
		}
		seen[l.URL] = true
	}
	dir := t.TempDir()
	pdfPath := filepath.Join(dir, "labels.pdf")
	if err := os.WriteFile(pdfPath, sheet(t, ls), 0o600); err != nil {
		t.Fatal(err)
	}
	const dpi = 300
	if out, err := exec.Command(pdftoppm, "-png", "-r", strconv.Itoa(dpi), pdfPath, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	// pdftoppm names the pages page-1.png, page-2.png, … (zero-padded to
	// the width of the last number).
	files, err := filepath.Glob(filepath.Join(dir, "page-*.png"))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(files)
	if want := (len(ls) + perPage - 1) / perPage; len(files) != want {
		t.Fatalf("pdftoppm rendered %d pages, want %d", len(files), want)
	}
	rendered := make([]image.Image, len(files))
	for i, name := range files {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		rendered[i], err = png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	px := func(mm float64) int { return int(math.Round(mm / 25.4 * dpi)) }
	for i, l := range ls {
		slot := i % perPage
		x := gridLeft + float64(slot%cols)*labelW
		y := gridTop + float64(slot/cols)*labelH
		r := image.Rect(px(x), px(y), px(x+labelW), px(y+labelH))
		crop := rendered[i/perPage].(interface {
			SubImage(image.Rectangle) image.Image
		}).SubImage(r)
		name := filepath.Join(dir, fmt.Sprintf("label%02d.png", i))
		var buf bytes.Buffer
		if err := png.Encode(&buf, crop); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(zbarimg, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", name).Output()
		if got := strings.TrimSpace(string(out)); err != nil || got != l.URL {
			t.Errorf("label %d (%s, page %d): decoded %q (%v), want %q", i+1, l.Number, i/perPage+1, got, err, l.URL)
		}
	}
}

// TestWriteCheckSheets writes sample sheets for looking at, with and without
// label outlines, when LABELS_CHECK_DIR is set:
//
//	LABELS_CHECK_DIR=/tmp/labels-check go test -run WriteCheck ./internal/labels
func TestWriteCheckSheets(t *testing.T) {
	dir := os.Getenv("LABELS_CHECK_DIR")
	if dir == "" {
		t.Skip("LABELS_CHECK_DIR not set")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ls := sample(25)
	ls[4] = swedish
	ls[7].Number = "123456789012"
	ls[7].Place = "Storgatan 1"
	if err := os.WriteFile(filepath.Join(dir, "labels.pdf"), sheet(t, ls), 0o644); err != nil {
		t.Fatal(err)
	}
	var guides bytes.Buffer
	if err := render(&guides, ls, true); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "labels-guides.pdf"), guides.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
