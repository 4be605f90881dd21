package upload

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"io"

	"golang.org/x/image/draw"
)

// ThumbQuality is the JPEG quality of thumbnails.
const ThumbQuality = 80

// Thumbnail decodes a JPEG, PNG or WebP image from r (at most MaxSize
// bytes), turns it upright according to its EXIF orientation (JPEG only),
// scales it to fit within max×max pixels keeping the aspect ratio (smaller
// images are not enlarged), flattens any transparency onto white and
// encodes it as a JPEG of quality ThumbQuality. The result carries no
// metadata (no EXIF, so no GPS position).
//
// The content is sniffed and the pixel count checked before decoding, so
// Thumbnail is safe on unchecked input: it returns ErrNotAllowed (also for
// PDF), ErrTooLarge / ErrTooManyPixels or ErrCorrupt, like CheckFile.
// Decoding needs memory in proportion to the pixel count (up to a few
// hundred MB for a 50-megapixel 16-bit PNG), so callers may want to limit
// how many thumbnails are made at once.
func Thumbnail(r io.Reader, max int) ([]byte, error) {
	if max <= 0 {
		return nil, fmt.Errorf("upload: thumbnail size %d", max)
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("upload: %w", err)
	}
	if len(data) > MaxSize {
		return nil, ErrTooLarge
	}
	t, err := Sniff(data[:min(len(data), SniffLen)])
	if err != nil {
		return nil, err
	}
	if !t.Image {
		return nil, fmt.Errorf("%w: no thumbnail for %s", ErrNotAllowed, t.MIME)
	}
	if err := checkConfig(t, bytes.NewReader(data)); err != nil {
		return nil, err
	}
	src, err := decode(t, bytes.NewReader(data))
	if err != nil {
		if errors.Is(err, ErrNotAllowed) {
			return nil, err
		}
		return nil, corrupt("%s: %v", t.MIME, err)
	}
	orientation := 1
	if t == JPEG {
		orientation = jpegOrientation(data)
	}

	sb := src.Bounds()
	// The box is square, so fitting before or after a 90° turn is the same;
	// scaling first makes the turn cheap.
	w, h := fit(sb.Dx(), sb.Dy(), max)
	src, sb = halve(src, sb, w, h)
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(dst, dst.Bounds(), image.White, image.Point{}, draw.Src)
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, sb, draw.Over, nil)

	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, orient(dst, orientation), &jpeg.Options{Quality: ThumbQuality}); err != nil {
		return nil, fmt.Errorf("upload: thumbnail: %w", err)
	}
	return buf.Bytes(), nil
}

// halve shrinks src by halves while it stays at least twice w×h. At a ratio
// of exactly 2, ApproxBiLinear averages each 2×2 block (a box filter), so
// this is a fast, alias-free first stage before the final CatmullRom step,
// which on its own takes over half a second for a 12-megapixel photo.
func halve(src image.Image, sb image.Rectangle, w, h int) (image.Image, image.Rectangle) {
	for sb.Dx()/2 >= 2*w && sb.Dy()/2 >= 2*h {
		dst := image.NewRGBA(image.Rect(0, 0, sb.Dx()/2, sb.Dy()/2))
		draw.ApproxBiLinear.Scale(dst, dst.Bounds(), src, sb, draw.Src, nil)
		src, sb = dst, dst.Bounds()
	}
	return src, sb
}

// fit returns w×h scaled down to fit within max×max, keeping the aspect
// ratio (rounded, at least 1 pixel); it never scales up.
func fit(w, h, max int) (int, int) {
	if w <= max && h <= max {
		return w, h
	}
	if w >= h {
		return max, int(max1((int64(h)*int64(max) + int64(w)/2) / int64(w)))
	}
	return int(max1((int64(w)*int64(max) + int64(h)/2) / int64(h))), max
}

func max1(n int64) int64 {
	if n < 1 {
		return 1
	}
	return n
}

// jpegOrientation returns the EXIF orientation (1–8) of a JPEG, or 1 if it
// has none or it cannot be read. It walks the header segments up to the
// first scan looking for an APP1 "Exif" segment and reads tag 0x0112 from
// IFD0.
func jpegOrientation(data []byte) int {
	i := 2 // after SOI
	for i+4 <= len(data) {
		if data[i] != 0xFF {
			return 1
		}
		m := data[i+1]
		switch {
		case m == 0xFF: // fill byte
			i++
			continue
		case m == 0x01 || (m >= 0xD0 && m <= 0xD8):
			i += 2
			continue
		case m == 0xDA || m == 0xD9: // start of scan, end of image
			return 1
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return 1
		}
		seg := data[i+4 : i+2+n]
		if m == 0xE1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			return exifOrientation(seg[6:])
		}
		i += 2 + n
	}
	return 1
}

// exifOrientation reads the orientation tag from a TIFF-structured EXIF
// block.
func exifOrientation(tiff []byte) int {
	if len(tiff) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(tiff[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 1
	}
	if bo.Uint16(tiff[2:]) != 42 {
		return 1
	}
	ifd := int64(bo.Uint32(tiff[4:]))
	if ifd+2 > int64(len(tiff)) {
		return 1
	}
	n := int64(bo.Uint16(tiff[ifd:]))
	for k := int64(0); k < n; k++ {
		e := ifd + 2 + 12*k
		if e+12 > int64(len(tiff)) {
			return 1
		}
		if bo.Uint16(tiff[e:]) != 0x0112 {
			continue
		}
		var v uint32
		switch typ, count := bo.Uint16(tiff[e+2:]), bo.Uint32(tiff[e+4:]); {
		case count < 1:
			return 1
		case typ == 3: // SHORT
			v = uint32(bo.Uint16(tiff[e+8:]))
		case typ == 4: // LONG
			v = bo.Uint32(tiff[e+8:])
		default:
			return 1
		}
		if v >= 1 && v <= 8 {
			return int(v)
		}
		return 1
	}
	return 1
}

// orient returns src transformed for display according to an EXIF
// orientation value: 2 mirror, 3 turn 180°, 4 flip, 5 transpose,
// 6 turn 90° clockwise, 7 transverse, 8 turn 90° counter-clockwise.
func orient(src *image.RGBA, o int) *image.RGBA {
	if o < 2 || o > 8 {
		return src
	}
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := 0; y < dh; y++ {
		for x := 0; x < dw; x++ {
			var sx, sy int
			switch o {
			case 2:
				sx, sy = w-1-x, y
			case 3:
				sx, sy = w-1-x, h-1-y
			case 4:
				sx, sy = x, h-1-y
			case 5:
				sx, sy = y, x
			case 6:
				sx, sy = y, h-1-x
			case 7:
				sx, sy = w-1-y, h-1-x
			case 8:
				sx, sy = w-1-y, x
			}
			si := src.PixOffset(b.Min.X+sx, b.Min.Y+sy)
			di := dst.PixOffset(x, y)
			copy(dst.Pix[di:di+4], src.Pix[si:si+4])
		}
	}
	return dst
}
