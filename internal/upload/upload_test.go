package upload

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/webp"
	"golang.org/x/text/unicode/norm"
)

// tinyWebP is a complete 1×1 lossless WebP (VP8L) with one opaque red
// pixel, written bit by bit; TestTinyWebPDecodes checks it with x/image/webp.
var tinyWebP = []byte{
	'R', 'I', 'F', 'F', 0x16, 0x00, 0x00, 0x00, 'W', 'E', 'B', 'P',
	'V', 'P', '8', 'L', 0x0a, 0x00, 0x00, 0x00,
	0x2f, 0x00, 0x00, 0x00, 0x00, 0x88, 0xfe, 0x47, 0xff, 0x03,
}

// halves returns a w×h image, left half red, right half blue.
func halves(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{255, 0, 0, 255}
			if x >= w/2 {
				c = color.RGBA{0, 0, 255, 255}
			}
			img.Set(x, y, c)
		}
	}
	return img
}

// noise returns a w×h image of pseudo-random pixels, so an encoded JPEG has
// plenty of scan data.
func noise(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	s := uint32(1)
	for i := range img.Pix {
		s = s*1664525 + 1013904223
		img.Pix[i] = byte(s >> 24)
	}
	return img
}

func encodePNG(t *testing.T, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeJPEG(t *testing.T, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

const minimalPDF = "%PDF-1.4\n" +
	"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" +
	"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n" +
	"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n" +
	"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n0000000115 00000 n \n" +
	"trailer << /Size 4 /Root 1 0 R >>\nstartxref\n186\n%%EOF"

// pngChunk returns a PNG chunk with a correct CRC.
func pngChunk(typ string, data []byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, uint32(len(data)))
	b.WriteString(typ)
	b.Write(data)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	return b.Bytes()
}

// pngBomb is a structurally complete PNG whose IHDR claims w×h RGB pixels.
func pngBomb(w, h uint32) []byte {
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(make([]byte, 4096))
	zw.Close()
	out := []byte("\x89PNG\r\n\x1A\n")
	out = append(out, pngChunk("IHDR", ihdr)...)
	out = append(out, pngChunk("IDAT", z.Bytes())...)
	return append(out, pngChunk("IEND", nil)...)
}

// withOrientation inserts an APP1 EXIF segment with the orientation tag
// right after the SOI of a JPEG.
func withOrientation(jpg []byte, o uint16) []byte {
	var tiff bytes.Buffer
	tiff.WriteString("MM\x00\x2a")
	binary.Write(&tiff, binary.BigEndian, uint32(8)) // IFD0 offset
	binary.Write(&tiff, binary.BigEndian, uint16(1)) // one entry
	binary.Write(&tiff, binary.BigEndian, uint16(0x0112))
	binary.Write(&tiff, binary.BigEndian, uint16(3)) // SHORT
	binary.Write(&tiff, binary.BigEndian, uint32(1)) // count
	binary.Write(&tiff, binary.BigEndian, o)         // value, left-justified
	binary.Write(&tiff, binary.BigEndian, uint16(0)) // padding
	binary.Write(&tiff, binary.BigEndian, uint32(0)) // no next IFD
	payload := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	seg = append(seg, payload...)
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

func zipFile(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, "<w:document/>")
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func gifFile(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := gif.Encode(&b, halves(8, 8), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestTinyWebPDecodes(t *testing.T) {
	img, err := webp.Decode(bytes.NewReader(tinyWebP))
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds() != image.Rect(0, 0, 1, 1) {
		t.Fatalf("bounds %v", img.Bounds())
	}
	if r, g, b, a := img.At(0, 0).RGBA(); r>>8 != 255 || g != 0 || b != 0 || a>>8 != 255 {
		t.Fatalf("pixel %v", img.At(0, 0))
	}
}

func TestCheckFileAccepts(t *testing.T) {
	jpg := encodeJPEG(t, noise(64, 48))
	tests := []struct {
		name string
		data []byte
		want Type
	}{
		{"png", encodePNG(t, halves(40, 20)), PNG},
		{"png with alpha", encodePNG(t, image.NewNRGBA(image.Rect(0, 0, 3, 3))), PNG},
		{"jpeg", jpg, JPEG},
		{"jpeg with EXIF", withOrientation(jpg, 6), JPEG},
		// Phones append e.g. a motion-photo video after the EOI marker.
		{"jpeg with trailing data", append(append([]byte{}, jpg...), strings.Repeat("\x00\x00\x00\x18ftypmp42", 100)...), JPEG},
		{"webp", tinyWebP, WebP},
		{"pdf", []byte(minimalPDF), PDF},
		{"pdf with trailing whitespace", []byte(minimalPDF + "\r\n \x00\n"), PDF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := bytes.NewReader(tt.data)
			r.Seek(3, io.SeekStart) // CheckFile must start from 0 anyway
			got, size, err := CheckFile(r)
			if err != nil {
				t.Fatalf("CheckFile: %v", err)
			}
			if got != tt.want {
				t.Errorf("type %+v, want %+v", got, tt.want)
			}
			if size != int64(len(tt.data)) {
				t.Errorf("size %d, want %d", size, len(tt.data))
			}
			rest, _ := io.ReadAll(r)
			if !bytes.Equal(rest, tt.data) {
				t.Errorf("reader not left at offset 0 (read %d of %d bytes)", len(rest), len(tt.data))
			}
			if st, err := Sniff(tt.data[:min(len(tt.data), SniffLen)]); err != nil || st != tt.want {
				t.Errorf("Sniff = %+v, %v", st, err)
			}
		})
	}
}

func TestCheckFileMaxSize(t *testing.T) {
	// Exactly MaxSize is fine.
	pad := MaxSize - len(minimalPDF)
	data := []byte(strings.Replace(minimalPDF, "%PDF-1.4\n", "%PDF-1.4\n%"+strings.Repeat("x", pad-2)+"\n", 1))
	if len(data) != MaxSize {
		t.Fatalf("test PDF has %d bytes", len(data))
	}
	if typ, size, err := CheckFile(bytes.NewReader(data)); err != nil || typ != PDF || size != MaxSize {
		t.Fatalf("CheckFile(MaxSize PDF) = %v, %d, %v", typ, size, err)
	}
	// One byte more is refused before anything is read.
	big := io.NewSectionReader(panicReaderAt{}, 0, MaxSize+1)
	if _, size, err := CheckFile(big); !errors.Is(err, ErrTooLarge) || size != MaxSize+1 {
		t.Fatalf("CheckFile(MaxSize+1) = %d, %v; want ErrTooLarge", size, err)
	}
}

type panicReaderAt struct{}

func (panicReaderAt) ReadAt([]byte, int64) (int, error) { panic("read an oversized file") }

func TestCheckFileRejects(t *testing.T) {
	jpg := encodeJPEG(t, noise(64, 48))
	pngData := encodePNG(t, halves(40, 20))
	badCRC := append([]byte{}, pngData...)
	badCRC[len(badCRC)-20] ^= 0xFF // inside the IDAT data

	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrEmpty},
		{"html", []byte("<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"), ErrNotAllowed},
		{"html named .jpg", []byte("<html><img src=x onerror=alert(1)>"), ErrNotAllowed},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="5"/></svg>`), ErrNotAllowed},
		{"svg with xml declaration", []byte(`<?xml version="1.0"?><svg onload="alert(1)"/>`), ErrNotAllowed},
		{"plain text", []byte("hej, här är min faktura\n"), ErrNotAllowed},
		{"elf", append([]byte("\x7fELF\x02\x01\x01\x00"), make([]byte, 120)...), ErrNotAllowed},
		{"mz exe", append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), make([]byte, 120)...), ErrNotAllowed},
		{"zip/docx", zipFile(t), ErrNotAllowed},
		{"gif", gifFile(t), ErrNotAllowed},
		{"wav (RIFF but not WEBP)", []byte("RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00"), ErrNotAllowed},
		{"pdf header not at start", []byte("  " + minimalPDF), ErrNotAllowed},
		{"png header then garbage", append([]byte("\x89PNG\r\n\x1A\n"), []byte("this is not a chunk, <script>alert(1)</script>")...), ErrCorrupt},
		{"png without IEND", pngData[:len(pngData)-12], ErrCorrupt},
		{"png truncated", pngData[:len(pngData)/2], ErrCorrupt},
		{"png bad CRC", badCRC, ErrCorrupt},
		{"png 100000×100000", pngBomb(100000, 100000), ErrTooManyPixels},
		{"png 7072×7072 (just over 50 MP)", pngBomb(7072, 7072), ErrTooManyPixels},
		{"jpeg magic then html", []byte("\xFF\xD8\xFF<html><script>alert(1)</script></html>"), ErrCorrupt},
		{"jpeg truncated", jpg[:len(jpg)*2/3], ErrCorrupt},
		{"jpeg without EOI", jpg[:len(jpg)-2], ErrCorrupt},
		{"webp truncated", tinyWebP[:len(tinyWebP)-3], ErrCorrupt},
		{"pdf without %%EOF", []byte(strings.TrimSuffix(minimalPDF, "%%EOF")), ErrCorrupt},
		{"pdf with %%EOF not at end", []byte(minimalPDF + "\n<html><script>alert(1)</script></html>"), ErrCorrupt},
		{"pdf header only", []byte("%PDF-1.7\n"), ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			typ, _, err := CheckFile(bytes.NewReader(tt.data))
			if !errors.Is(err, tt.want) {
				t.Fatalf("CheckFile = %+v, %v; want %v", typ, err, tt.want)
			}
			if typ != (Type{}) {
				t.Errorf("type %+v returned with error", typ)
			}
		})
	}
}

func TestPNGBombIsTooLarge(t *testing.T) {
	_, _, err := CheckFile(bytes.NewReader(pngBomb(100000, 100000)))
	if !errors.Is(err, ErrTooLarge) || !errors.Is(err, ErrTooManyPixels) {
		t.Fatalf("err = %v, want ErrTooLarge and ErrTooManyPixels", err)
	}
	// 50 MP exactly passes the pixel check (the bogus IDAT is not decoded).
	if _, _, err := CheckFile(bytes.NewReader(pngBomb(10000, 5000))); err != nil {
		t.Fatalf("10000×5000: %v", err)
	}
}

func TestMessage(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{nil, ""},
		{ErrNotAllowed, "Filtypen tillåts inte. Ladda upp JPEG, PNG, WebP eller PDF."},
		{fmt.Errorf("wrapped: %w", ErrNotAllowed), "Filtypen tillåts inte. Ladda upp JPEG, PNG, WebP eller PDF."},
		{ErrTooLarge, "Filen är för stor (högst 20 MB)."},
		{ErrTooManyPixels, "Bilden har för hög upplösning (högst 50 megapixel)."},
		{ErrCorrupt, "Filen är skadad eller ofullständig."},
		{corrupt("png: bad CRC"), "Filen är skadad eller ofullständig."},
		{ErrEmpty, "Filen är tom."},
		{&http.MaxBytesError{Limit: MaxSize}, "Filen är för stor (högst 20 MB)."},
		{fmt.Errorf("parse: %w", multipart.ErrMessageTooLarge), "Filen är för stor (högst 20 MB)."},
		{errors.New("disk full"), "Filen kunde inte tas emot. Försök igen."},
	}
	for _, tt := range tests {
		if got := Message(tt.err); got != tt.want {
			t.Errorf("Message(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
	// The errors CheckFile really returns get the right text.
	_, _, err := CheckFile(bytes.NewReader(pngBomb(100000, 100000)))
	if got := Message(err); !strings.Contains(got, "50 megapixel") {
		t.Errorf("Message(bomb) = %q", got)
	}
}

// TestMessageMaxBytesReader checks the message for the error a handler gets
// when http.MaxBytesReader cuts off a too-large multipart upload.
func TestMessageMaxBytesReader(t *testing.T) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("fil", "stor.pdf")
	fw.Write(make([]byte, 4096))
	mw.Close()
	req := httptest.NewRequest("POST", "/", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Body = http.MaxBytesReader(httptest.NewRecorder(), req.Body, 1024)
	err := req.ParseMultipartForm(1 << 20)
	if err == nil {
		t.Fatal("no error from oversized body")
	}
	if got := Message(err); got != "Filen är för stor (högst 20 MB)." {
		t.Errorf("Message(%v) = %q", err, got)
	}
}

func TestSafeName(t *testing.T) {
	long := strings.Repeat("å", 300)
	tests := []struct {
		name string
		typ  Type
		want string
	}{
		{"bild.jpg", JPEG, "bild.jpg"},
		{"bild.jpeg", JPEG, "bild.jpeg"},
		{"BILD.JPG", JPEG, "BILD.JPG"},
		{"bild.exe", JPEG, "bild.jpg"},
		{"bild.png", JPEG, "bild.jpg"},
		{"bild", PNG, "bild.png"},
		{"räkning.PDF", PDF, "räkning.PDF"},
		{"ra\u0308kning.pdf", PDF, "räkning.pdf"}, // decomposed ä (macOS) → NFC
		{"../../etc/passwd", PDF, "passwd.pdf"},
		{`C:\Users\x\bild.png`, PNG, "bild.png"},
		{`..\..\windows\system32\cmd.exe`, PDF, "cmd.pdf"},
		{"..hidden", JPEG, "hidden.jpg"},
		{".htaccess", PDF, "htaccess.pdf"},
		{"a\x00b.pdf", PDF, "ab.pdf"},
		{"rad1\nrad2.pdf", PDF, "rad1 rad2.pdf"},
		{"faktura\r\n\r\nmars.pdf", PDF, "faktura mars.pdf"},
		{"  många   \t mellanslag  .pdf ", PDF, "många mellanslag.pdf"},
		{"faktura\u202Efdp.exe", PDF, "fakturafdp.pdf"}, // RIGHT-TO-LEFT OVERRIDE
		{"noll\u200Bbredd.png", PNG, "nollbredd.png"},
		{"a<b>c:d\"e|f?g*h.pdf", PDF, "a_b_c_d_e_f_g_h.pdf"},
		{"version 2.1", PDF, "version 2.1.pdf"},
		{"rapport.pdf.", PDF, "rapport.pdf"},
		{"CON.pdf", PDF, "_CON.pdf"},
		{"lpt1", PDF, "_lpt1.pdf"},
		{"", JPEG, "fil.jpg"},
		{".", JPEG, "fil.jpg"},
		{"..", PDF, "fil.pdf"},
		{"/", PDF, "fil.pdf"},
		{"mapp/", PDF, "fil.pdf"},
		{".jpg", JPEG, "jpg.jpg"},
		{" \x01\x02 ", WebP, "fil.webp"},
		{"bad\xffutf8.png", PNG, "badutf8.png"},
		{long + ".pdf", PDF, strings.Repeat("å", 96) + ".pdf"},
		{long + ".exe", WebP, strings.Repeat("å", 95) + ".webp"},
		{long, JPEG, strings.Repeat("å", 96) + ".jpg"},
		{"kvitto.txt", Type{}, "kvitto.txt"},
	}
	for _, tt := range tests {
		got := SafeName(tt.name, tt.typ)
		if got != tt.want {
			t.Errorf("SafeName(%q, %s) = %q, want %q", tt.name, tt.typ.Ext, got, tt.want)
		}
		if n := utf8.RuneCountInString(got); n > 100 {
			t.Errorf("SafeName(%q) has %d runes", tt.name, n)
		}
		if !norm.NFC.IsNormalString(got) || !utf8.ValidString(got) {
			t.Errorf("SafeName(%q) = %q is not valid NFC", tt.name, got)
		}
		if strings.ContainsAny(got, `/\`) || strings.HasPrefix(got, ".") || strings.IndexFunc(got, unicode.IsControl) >= 0 {
			t.Errorf("SafeName(%q) = %q is unsafe", tt.name, got)
		}
	}
}

func TestThumbnail(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		w, h int
	}{
		{"png 400×200", encodePNG(t, halves(400, 200)), 160, 80},
		{"jpeg 400×200", encodeJPEG(t, halves(400, 200)), 160, 80},
		{"jpeg 200×400", encodeJPEG(t, halves(200, 400)), 80, 160},
		{"odd ratio", encodePNG(t, halves(1000, 3)), 160, 1},
		{"small image not enlarged", encodePNG(t, halves(50, 30)), 50, 30},
		{"webp", tinyWebP, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := Thumbnail(bytes.NewReader(tt.data), 160)
			if err != nil {
				t.Fatal(err)
			}
			if typ, err := Sniff(out); err != nil || typ != JPEG {
				t.Fatalf("thumbnail sniffed as %+v, %v", typ, err)
			}
			cfg, err := jpeg.DecodeConfig(bytes.NewReader(out))
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Width != tt.w || cfg.Height != tt.h {
				t.Errorf("thumbnail %d×%d, want %d×%d", cfg.Width, cfg.Height, tt.w, tt.h)
			}
			// The thumbnail itself passes CheckFile.
			if _, _, err := CheckFile(bytes.NewReader(out)); err != nil {
				t.Errorf("CheckFile(thumbnail): %v", err)
			}
		})
	}
}

func near(c color.Color, r, g, b uint8) bool {
	cr, cg, cb, _ := c.RGBA()
	d := func(a uint32, b uint8) bool { x := int(a>>8) - int(b); return x > -40 && x < 40 }
	return d(cr, r) && d(cg, g) && d(cb, b)
}

func decodeJPEG(t *testing.T, data []byte) image.Image {
	t.Helper()
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func TestThumbnailColours(t *testing.T) {
	out, err := Thumbnail(bytes.NewReader(encodePNG(t, halves(400, 200))), 160)
	if err != nil {
		t.Fatal(err)
	}
	img := decodeJPEG(t, out)
	if !near(img.At(20, 40), 255, 0, 0) || !near(img.At(140, 40), 0, 0, 255) {
		t.Errorf("colours %v %v, want red left, blue right", img.At(20, 40), img.At(140, 40))
	}

	// Transparency becomes white, not black.
	out, err = Thumbnail(bytes.NewReader(encodePNG(t, image.NewNRGBA(image.Rect(0, 0, 10, 10)))), 160)
	if err != nil {
		t.Fatal(err)
	}
	if c := decodeJPEG(t, out).At(5, 5); !near(c, 255, 255, 255) {
		t.Errorf("transparent pixel became %v, want white", c)
	}
}

func TestThumbnailEXIFOrientation(t *testing.T) {
	// Stored 400×200, left red, right blue; orientation 6 means "turn 90°
	// clockwise to display", so the thumbnail is 80×160, red on top.
	data := withOrientation(encodeJPEG(t, halves(400, 200)), 6)
	if o := jpegOrientation(data); o != 6 {
		t.Fatalf("jpegOrientation = %d", o)
	}
	out, err := Thumbnail(bytes.NewReader(data), 160)
	if err != nil {
		t.Fatal(err)
	}
	img := decodeJPEG(t, out)
	if b := img.Bounds(); b.Dx() != 80 || b.Dy() != 160 {
		t.Fatalf("thumbnail %v, want 80×160", b)
	}
	if !near(img.At(40, 20), 255, 0, 0) || !near(img.At(40, 140), 0, 0, 255) {
		t.Errorf("colours %v %v, want red top, blue bottom", img.At(40, 20), img.At(40, 140))
	}

	// Orientation 8 (turn counter-clockwise): blue on top.
	out, err = Thumbnail(bytes.NewReader(withOrientation(encodeJPEG(t, halves(400, 200)), 8)), 160)
	if err != nil {
		t.Fatal(err)
	}
	img = decodeJPEG(t, out)
	if !near(img.At(40, 20), 0, 0, 255) || !near(img.At(40, 140), 255, 0, 0) {
		t.Errorf("orientation 8: colours %v %v, want blue top, red bottom", img.At(40, 20), img.At(40, 140))
	}

	// No EXIF, or a broken one, means upright.
	if o := jpegOrientation(encodeJPEG(t, halves(4, 4))); o != 1 {
		t.Errorf("no EXIF: orientation %d", o)
	}
	broken := withOrientation(encodeJPEG(t, halves(4, 4)), 6)
	broken[2+4+6+4] = 0xFF // IFD0 offset far out of range
	if o := jpegOrientation(broken); o != 1 {
		t.Errorf("broken EXIF: orientation %d", o)
	}
}

func TestOrient(t *testing.T) {
	// A 3×2 image with distinct pixels.
	src := image.NewRGBA(image.Rect(0, 0, 3, 2))
	for i := range 6 {
		src.Set(i%3, i/3, color.RGBA{uint8(i), 0, 0, 255})
	}
	px := func(img *image.RGBA) [][]uint8 {
		var rows [][]uint8
		for y := range img.Bounds().Dy() {
			var row []uint8
			for x := range img.Bounds().Dx() {
				row = append(row, img.RGBAAt(x, y).R)
			}
			rows = append(rows, row)
		}
		return rows
	}
	// src:
	//   0 1 2
	//   3 4 5
	want := map[int]string{
		1: "[[0 1 2] [3 4 5]]",
		2: "[[2 1 0] [5 4 3]]",   // mirrored
		3: "[[5 4 3] [2 1 0]]",   // turned 180°
		4: "[[3 4 5] [0 1 2]]",   // flipped
		5: "[[0 3] [1 4] [2 5]]", // transposed
		6: "[[3 0] [4 1] [5 2]]", // turned 90° clockwise
		7: "[[5 2] [4 1] [3 0]]", // transverse
		8: "[[2 5] [1 4] [0 3]]", // turned 90° counter-clockwise
		9: "[[0 1 2] [3 4 5]]",   // invalid: unchanged
	}
	for o, w := range want {
		if got := fmt.Sprint(px(orient(src, o))); got != w {
			t.Errorf("orient %d = %s, want %s", o, got, w)
		}
	}
}

func TestThumbnailRejects(t *testing.T) {
	jpg := encodeJPEG(t, noise(64, 48))
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"pdf", []byte(minimalPDF), ErrNotAllowed},
		{"gif", gifFile(t), ErrNotAllowed},
		{"svg", []byte(`<svg onload="alert(1)"/>`), ErrNotAllowed},
		{"empty", nil, ErrEmpty},
		{"png bomb", pngBomb(100000, 100000), ErrTooManyPixels},
		{"png bomb with good structure but bogus data", pngBomb(1000, 1000), ErrCorrupt},
		{"jpeg truncated", jpg[:len(jpg)/2], ErrCorrupt},
		{"png header then garbage", []byte("\x89PNG\r\n\x1A\ngarbage garbage garbage"), ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := Thumbnail(bytes.NewReader(tt.data), 160)
			if !errors.Is(err, tt.want) || out != nil {
				t.Fatalf("Thumbnail = %d bytes, %v; want %v", len(out), err, tt.want)
			}
		})
	}
	if _, err := Thumbnail(bytes.NewReader(encodePNG(t, halves(4, 4))), 0); err == nil {
		t.Error("Thumbnail(max 0) succeeded")
	}
	big := io.MultiReader(bytes.NewReader(encodePNG(t, halves(4, 4))), io.LimitReader(zeros{}, MaxSize))
	if _, err := Thumbnail(big, 160); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Thumbnail(> MaxSize) = %v, want ErrTooLarge", err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
