// Package upload checks uploaded files by their content — never by the file
// name or the Content-Type the browser sent — turns user-supplied file names
// into safe ones and makes JPEG thumbnails of images.
//
// Accepted are JPEG, PNG and WebP images and PDF documents. Everything else
// (HTML, SVG, which can carry scripts, GIF, executables, ZIP/Office files,
// plain text …) is rejected with ErrNotAllowed.
//
// A typical handler:
//
//	f, hdr, err := r.FormFile("fil")
//	...
//	t, size, err := upload.CheckFile(f) // f is left at offset 0
//	if err != nil {
//		showError(upload.Message(err))
//		return
//	}
//	name := upload.SafeName(hdr.Filename, t)
//	// store f with t.MIME, size and name; for t.Image also upload.Thumbnail
package upload

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"

	"golang.org/x/image/webp"
)

// MaxSize is the largest accepted upload (20 MiB).
const MaxSize = 20 << 20

// MaxPixels is the largest accepted image area (50 megapixels). Larger
// images are refused before decoding so that a small, highly compressed file
// cannot make the server allocate gigabytes (a decompression bomb).
const MaxPixels = 50_000_000

// SniffLen is how many leading bytes Sniff looks at (the same as
// http.DetectContentType).
const SniffLen = 512

// Accept is a value for the accept attribute of <input type="file">. It is
// only a hint for the browser's file picker (it also makes iOS convert HEIC
// photos to JPEG); the server still checks the content.
const Accept = "image/jpeg,image/png,image/webp,application/pdf,.jpg,.jpeg,.png,.webp,.pdf"

// AcceptImages is the accept list of a photo input: the image types only,
// so that a phone offers its camera.
const AcceptImages = "image/jpeg,image/png,image/webp"

// Type is a kind of accepted content.
type Type struct {
	MIME  string // e.g. "image/jpeg"
	Ext   string // canonical extension with dot, e.g. ".jpg"
	Image bool   // JPEG, PNG or WebP: can be shown and thumbnailed
}

// The accepted types.
var (
	JPEG = Type{MIME: "image/jpeg", Ext: ".jpg", Image: true}
	PNG  = Type{MIME: "image/png", Ext: ".png", Image: true}
	WebP = Type{MIME: "image/webp", Ext: ".webp", Image: true}
	PDF  = Type{MIME: "application/pdf", Ext: ".pdf", Image: false}
)

// Sentinel errors; test with errors.Is. Errors returned by this package may
// wrap them with detail for logs. Use Message for the text shown to users.
var (
	// ErrNotAllowed: the content is not JPEG, PNG, WebP or PDF.
	ErrNotAllowed = errors.New("upload: file type not allowed")
	// ErrTooLarge: the file is larger than MaxSize, or (ErrTooManyPixels)
	// the image has more than MaxPixels.
	ErrTooLarge = errors.New("upload: file too large")
	// ErrCorrupt: the content starts like an accepted type but is truncated
	// or malformed.
	ErrCorrupt = errors.New("upload: file corrupt or incomplete")

	// ErrTooManyPixels wraps ErrTooLarge: the image is larger than MaxPixels.
	ErrTooManyPixels = fmt.Errorf("%w: image larger than %d megapixels", ErrTooLarge, MaxPixels/1_000_000)
	// ErrEmpty wraps ErrCorrupt: the file has no bytes at all.
	ErrEmpty = fmt.Errorf("%w: empty file", ErrCorrupt)
)

func corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrCorrupt}, args...)...)
}

// Sniff looks at the first bytes of a file (SniffLen is enough) and returns
// its Type, or ErrNotAllowed. It requires both its own magic-number check
// and http.DetectContentType to agree, so a file is never accepted on the
// say-so of one check alone. An empty head is ErrEmpty.
func Sniff(head []byte) (Type, error) {
	if len(head) == 0 {
		return Type{}, ErrEmpty
	}
	var t Type
	switch {
	case bytes.HasPrefix(head, []byte("\xFF\xD8\xFF")):
		t = JPEG
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1A\n")):
		t = PNG
	case len(head) >= 16 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WEBP" &&
		(string(head[12:16]) == "VP8 " || string(head[12:16]) == "VP8L" || string(head[12:16]) == "VP8X"):
		t = WebP
	case bytes.HasPrefix(head, []byte("%PDF-")):
		t = PDF
	default:
		return Type{}, ErrNotAllowed
	}
	if got := http.DetectContentType(head); got != t.MIME {
		return Type{}, fmt.Errorf("%w: magic says %s, DetectContentType says %s", ErrNotAllowed, t.MIME, got)
	}
	return t, nil
}

// CheckFile checks a whole uploaded file (such as a multipart.File) and
// returns its Type and size. It rejects files over MaxSize (ErrTooLarge)
// before reading them, content that is not an accepted type
// (ErrNotAllowed), images over MaxPixels (ErrTooManyPixels, which is an
// ErrTooLarge) and truncated or malformed files (ErrCorrupt):
//
//   - JPEG: the header must decode (image.DecodeConfig) and the marker
//     structure must run through the scan data to an EOI marker; data after
//     EOI is allowed (phones append e.g. motion-photo videos there).
//   - PNG: the header must decode and every chunk up to IEND must be
//     complete with a correct CRC.
//   - WebP: the header must decode and the file must be at least as long as
//     the RIFF header says.
//   - PDF: "%%EOF" must end the file, allowing trailing whitespace.
//
// These are structural checks that read the file once without decoding the
// pixels; a forged image with intact structure but garbage pixel data is
// only caught by a full decode (Thumbnail).
//
// CheckFile reads from offset 0 whatever the current position, and on
// success leaves f at offset 0 so the caller can store it. Errors from
// seeking are returned as they are.
func CheckFile(f io.ReadSeeker) (Type, int64, error) {
	size, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return Type{}, 0, fmt.Errorf("upload: %w", err)
	}
	if err := rewind(f); err != nil {
		return Type{}, size, err
	}
	if size == 0 {
		return Type{}, 0, ErrEmpty
	}
	if size > MaxSize {
		return Type{}, size, ErrTooLarge
	}
	head := make([]byte, SniffLen)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF {
		return Type{}, size, fmt.Errorf("upload: %w", err)
	}
	t, err := Sniff(head[:n])
	if err != nil {
		return Type{}, size, err
	}
	if err := rewind(f); err != nil {
		return Type{}, size, err
	}
	if t.Image {
		err = checkImage(f, t, size)
	} else {
		err = checkPDF(f, size)
	}
	if err != nil {
		return Type{}, size, err
	}
	if err := rewind(f); err != nil {
		return Type{}, size, err
	}
	return t, size, nil
}

func rewind(f io.Seeker) error {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("upload: %w", err)
	}
	return nil
}

// decodeConfig calls the decoder for t directly rather than through
// image.DecodeConfig, whose format registry is global: another package
// registering, say, GIF must not widen what is accepted here.
func decodeConfig(t Type, r io.Reader) (image.Config, error) {
	switch t {
	case JPEG:
		return jpeg.DecodeConfig(r)
	case PNG:
		return png.DecodeConfig(r)
	case WebP:
		return webp.DecodeConfig(r)
	}
	return image.Config{}, fmt.Errorf("%w: %s is not an image", ErrNotAllowed, t.MIME)
}

func decode(t Type, r io.Reader) (image.Image, error) {
	switch t {
	case JPEG:
		return jpeg.Decode(r)
	case PNG:
		return png.Decode(r)
	case WebP:
		return webp.Decode(r)
	}
	return nil, fmt.Errorf("%w: %s is not an image", ErrNotAllowed, t.MIME)
}

// checkConfig decodes the image header from r and checks its dimensions.
func checkConfig(t Type, r io.Reader) error {
	cfg, err := decodeConfig(t, r)
	if err != nil {
		if errors.Is(err, ErrNotAllowed) {
			return err
		}
		return corrupt("%s header: %v", t.MIME, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return corrupt("%s: %d×%d pixels", t.MIME, cfg.Width, cfg.Height)
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return fmt.Errorf("%w (%d×%d)", ErrTooManyPixels, cfg.Width, cfg.Height)
	}
	return nil
}

func checkImage(f io.ReadSeeker, t Type, size int64) error {
	if err := checkConfig(t, bufio.NewReader(f)); err != nil {
		return err
	}
	if err := rewind(f); err != nil {
		return err
	}
	br := bufio.NewReaderSize(io.LimitReader(f, size), 64<<10)
	var err error
	switch t {
	case JPEG:
		err = checkJPEG(br)
	case PNG:
		err = checkPNG(br)
	case WebP:
		err = checkWebP(br, size)
	}
	return err
}

// checkJPEG walks the JPEG marker structure from SOI through the
// entropy-coded data to EOI. Running out of bytes first means the file is
// truncated. Segments are skipped by their length, so an EOI inside an
// embedded EXIF thumbnail does not count.
func checkJPEG(br *bufio.Reader) error {
	var soi [2]byte
	if _, err := io.ReadFull(br, soi[:]); err != nil || soi != [2]byte{0xFF, 0xD8} {
		return corrupt("jpeg: no SOI")
	}
	scanned := false
	for {
		m, err := nextJPEGMarker(br)
		if err != nil {
			return corrupt("jpeg: truncated (no EOI): %v", err)
		}
		switch {
		case m == 0xD9: // EOI
			if !scanned {
				return corrupt("jpeg: EOI before image data")
			}
			return nil
		case m == 0xD8:
			return corrupt("jpeg: second SOI")
		case m == 0x01: // TEM, no length
			continue
		}
		var l [2]byte
		if _, err := io.ReadFull(br, l[:]); err != nil {
			return corrupt("jpeg: truncated segment")
		}
		n := int(binary.BigEndian.Uint16(l[:]))
		if n < 2 {
			return corrupt("jpeg: bad segment length %d", n)
		}
		if _, err := br.Discard(n - 2); err != nil {
			return corrupt("jpeg: truncated segment")
		}
		if m == 0xDA { // SOS: entropy-coded data follows, skipped by nextJPEGMarker
			scanned = true
		}
	}
}

// nextJPEGMarker skips to the next marker and returns its code. Stuffed
// bytes (FF 00), fill bytes (FF FF) and restart markers (FF D0–D7) inside
// scan data are skipped, as is any stray byte between segments (the
// standard decoders tolerate those too).
func nextJPEGMarker(br *bufio.Reader) (byte, error) {
	for {
		if _, err := br.ReadSlice(0xFF); err != nil {
			if err == bufio.ErrBufferFull {
				continue
			}
			return 0, err
		}
		c, err := br.ReadByte()
		for err == nil && c == 0xFF {
			c, err = br.ReadByte()
		}
		if err != nil {
			return 0, err
		}
		if c == 0x00 || (c >= 0xD0 && c <= 0xD7) {
			continue
		}
		return c, nil
	}
}

// checkPNG walks the PNG chunks, verifying each CRC, up to IEND.
func checkPNG(br *bufio.Reader) error {
	var sig [8]byte
	if _, err := io.ReadFull(br, sig[:]); err != nil || string(sig[:]) != "\x89PNG\r\n\x1A\n" {
		return corrupt("png: no signature")
	}
	var hdr [8]byte
	for first := true; ; first = false {
		if _, err := io.ReadFull(br, hdr[:]); err != nil {
			return corrupt("png: truncated (no IEND)")
		}
		n := binary.BigEndian.Uint32(hdr[:4])
		typ := string(hdr[4:8])
		if n > 1<<31-1 {
			return corrupt("png: chunk %q too long", typ)
		}
		if first && typ != "IHDR" {
			return corrupt("png: first chunk %q", typ)
		}
		crc := crc32.NewIEEE()
		crc.Write(hdr[4:8])
		if _, err := io.CopyN(crc, br, int64(n)); err != nil {
			return corrupt("png: truncated chunk %q", typ)
		}
		var sum [4]byte
		if _, err := io.ReadFull(br, sum[:]); err != nil {
			return corrupt("png: truncated chunk %q", typ)
		}
		if binary.BigEndian.Uint32(sum[:]) != crc.Sum32() {
			return corrupt("png: bad CRC in chunk %q", typ)
		}
		if typ == "IEND" {
			return nil
		}
	}
}

// checkWebP checks the RIFF container's sizes against the file size.
func checkWebP(br *bufio.Reader, size int64) error {
	var h [20]byte
	if _, err := io.ReadFull(br, h[:]); err != nil {
		return corrupt("webp: truncated header")
	}
	riff := int64(binary.LittleEndian.Uint32(h[4:8]))
	chunk := int64(binary.LittleEndian.Uint32(h[16:20]))
	if riff < 12 || riff+8 > size {
		return corrupt("webp: RIFF says %d bytes, file has %d", riff+8, size)
	}
	if 12+8+chunk > riff+8 {
		return corrupt("webp: first chunk (%d bytes) overruns the RIFF container", chunk)
	}
	return nil
}

// checkPDF requires the file to end with "%%EOF", allowing trailing PDF
// whitespace (NUL, HT, LF, FF, CR, SP), within its last KiB.
func checkPDF(f io.ReadSeeker, size int64) error {
	n := min(size, 1024)
	if _, err := f.Seek(size-n, io.SeekStart); err != nil {
		return fmt.Errorf("upload: %w", err)
	}
	tail := make([]byte, n)
	if _, err := io.ReadFull(f, tail); err != nil {
		return corrupt("pdf: %v", err)
	}
	if !bytes.HasSuffix(bytes.TrimRight(tail, "\x00\t\n\f\r "), []byte("%%EOF")) {
		return corrupt("pdf: no %%%%EOF at the end")
	}
	return nil
}

// Message returns a Swedish text for the user explaining err, or "" for nil.
// It also recognises the errors from http.MaxBytesReader and from multipart
// parsing of an oversized request.
func Message(err error) string {
	var maxBytes *http.MaxBytesError
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrEmpty):
		return "Filen är tom."
	case errors.Is(err, ErrTooManyPixels):
		return "Bilden har för hög upplösning (högst 50 megapixel)."
	case errors.Is(err, ErrTooLarge), errors.As(err, &maxBytes), errors.Is(err, multipart.ErrMessageTooLarge):
		return "Filen är för stor (högst 20 MB)."
	case errors.Is(err, ErrNotAllowed):
		return "Filtypen tillåts inte. Ladda upp JPEG, PNG, WebP eller PDF."
	case errors.Is(err, ErrCorrupt):
		return "Filen är skadad eller ofullständig."
	default:
		return "Filen kunde inte tas emot. Försök igen."
	}
}
