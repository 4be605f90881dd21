package demo

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strings"
	"unicode"

	"kundportal/internal/docs"
)

// The pad a demo signature is written on: a phone held sideways, in CSS
// pixels.
const padW, padH = 600.0, 200.0

// handwriting makes the signature a person of that name leaves on a
// signature pad: each word written joined up in one stroke, i and j dots,
// t bars and Swedish dots and rings added after the word with the pen
// lifted, and now and then an underline. It is made from the name alone,
// seeded by its hash, so the same person signs the same way on every
// delivery note and every load of the demo. A name without letters gives
// an empty signature, which docs refuses.
func handwriting(name string) docs.Signature {
	h := fnv.New64a()
	h.Write([]byte(name))
	r := rand.New(rand.NewPCG(h.Sum64(), 0x68616e64))
	w := &writer{
		r:     r,
		xh:    26 + r.Float64()*10,        // x-height
		wide:  0.8 + r.Float64()*0.45,     // how broad the letters run
		slant: 0.12 + r.Float64()*0.35,    // rightward lean of the upstrokes
		tilt:  (r.Float64() - 0.5) * 0.08, // baseline climbing or falling, in radians
	}
	words := strings.Fields(name)
	for i, word := range words {
		// Some people write their first names as an initial.
		if i < len(words)-1 && len(words) > 1 && r.IntN(3) == 0 {
			word = string([]rune(word)[:1])
		}
		w.word(word)
		w.x += w.xh * (0.9 + r.Float64()*0.6)
	}
	if len(w.strokes) > 0 && r.IntN(2) == 0 {
		w.underline()
	}
	return docs.Signature{Width: padW, Height: padH, Strokes: w.fit()}
}

// writer is a pen moving along the baseline in its own coordinates: x to
// the right, y up from the baseline, before slant, tilt and scaling.
type writer struct {
	r                     *rand.Rand
	xh, wide, slant, tilt float64
	x, y                  float64 // where the pen is
	stroke                []docs.Point
	strokes               [][]docs.Point
	marks                 [][]docs.Point // of the word being written
}

// curve draws a cubic Bézier from the pen's position to (x, y) through the
// control points, sampled as a pad samples a moving finger.
func (w *writer) curve(x1, y1, x2, y2, x, y float64) {
	x0, y0 := w.x, w.y
	if len(w.stroke) == 0 {
		w.point(x0, y0)
	}
	const steps = 8
	for i := 1; i <= steps; i++ {
		t := float64(i) / steps
		u := 1 - t
		px := u*u*u*x0 + 3*u*u*t*x1 + 3*u*t*t*x2 + t*t*t*x
		py := u*u*u*y0 + 3*u*u*t*y1 + 3*u*t*t*y2 + t*t*t*y
		w.point(px, py)
	}
	w.x, w.y = x, y
}

// point adds a sample, with the tremor of a hand, to the current stroke.
func (w *writer) point(x, y float64) {
	j := w.xh * 0.02
	w.stroke = append(w.stroke, docs.Point{X: x + (w.r.Float64()-0.5)*j, Y: y + (w.r.Float64()-0.5)*j})
}

// lift ends the current stroke.
func (w *writer) lift() {
	if len(w.stroke) > 0 {
		w.strokes = append(w.strokes, w.stroke)
	}
	w.stroke = nil
}

// mark adds a short stroke with the pen lifted: a dot (one point), a bar
// or a ring, made after the word as people do.
func (w *writer) mark(pts ...docs.Point) { w.marks = append(w.marks, pts) }

// word writes one word joined up, then its marks.
func (w *writer) word(word string) {
	letters := []rune(word)
	w.y = 0
	for i, c := range letters {
		w.letter(c, i == 0)
	}
	w.lift()
	w.strokes = append(w.strokes, w.marks...)
	w.marks = nil
}

// letter writes c from the pen's position and leaves the pen near the
// baseline at the letter's right, ready to join the next.
func (w *writer) letter(c rune, first bool) {
	base, mark := fold(c)
	lower := unicode.ToLower(base)
	xh := w.xh * (0.92 + w.r.Float64()*0.16)
	lw := xh * w.wide * (0.75 + w.r.Float64()*0.25)
	x := w.x
	markY := xh * 1.45 // above the x-height, where dots and rings go
	switch {
	case !unicode.IsLetter(base):
		if base == '-' {
			w.curve(x+lw*0.2, xh*0.4, x+lw*0.6, xh*0.45, x+lw, xh*0.4)
		}
		// Other punctuation is not written.
	case unicode.IsUpper(base) && first:
		h := xh * (2 + w.r.Float64()*0.5)
		lw *= 1.4
		w.capital(base, x, lw, h)
		markY = h + xh*0.35
	case strings.ContainsRune("bdfhklt", lower):
		top := xh * 1.9
		if lower == 't' {
			top = xh * 1.5
			w.mark(docs.Point{X: x + lw*0.1, Y: xh * 0.95}, docs.Point{X: x + lw*0.9, Y: xh})
		}
		// A loop up, back down across itself, then on.
		w.curve(x+lw*0.3, top*0.5, x+lw*0.7, top, x+lw*0.45, top)
		w.curve(x+lw*0.2, top, x+lw*0.2, top*0.3, x+lw*0.35, 0)
		if strings.ContainsRune("bdhk", lower) {
			w.curve(x+lw*0.5, xh*0.9, x+lw*0.9, xh*0.9, x+lw, 0)
		} else {
			w.curve(x+lw*0.5, 0, x+lw*0.8, xh*0.1, x+lw, xh*0.2)
		}
	case strings.ContainsRune("gjpqy", lower):
		d := xh * (0.8 + w.r.Float64()*0.3)
		w.curve(x+lw*0.2, xh, x+lw*0.8, xh, x+lw*0.7, 0)
		w.curve(x+lw*0.65, -d, x+lw*0.1, -d, x+lw*0.3, -d*0.3)
		w.curve(x+lw*0.5, 0, x+lw*0.8, 0, x+lw, xh*0.2)
		if lower == 'j' {
			w.mark(docs.Point{X: x + lw*0.7, Y: markY})
		}
	case strings.ContainsRune("ao", lower):
		// An oval closed at the top, then down and out.
		w.curve(x+lw*0.3, xh*0.9, x+lw*0.8, xh, x+lw*0.7, xh*0.8)
		w.curve(x+lw*0.3, xh*1.05, x, xh*0.3, x+lw*0.4, 0)
		w.curve(x+lw*0.7, 0, x+lw*0.75, xh*0.7, x+lw*0.75, xh*0.8)
		w.curve(x+lw*0.7, xh*0.3, x+lw*0.8, 0, x+lw, xh*0.15)
	case strings.ContainsRune("ces", lower):
		// A small eye, like e.
		w.curve(x+lw*0.5, xh*0.2, x+lw*0.8, xh*0.8, x+lw*0.5, xh*0.85)
		w.curve(x+lw*0.1, xh*0.8, x+lw*0.1, 0, x+lw*0.6, 0)
		w.curve(x+lw*0.8, 0, x+lw*0.9, xh*0.1, x+lw, xh*0.2)
	case lower == 'm':
		w.curve(x, xh*0.9, x+lw*0.5, xh*1.1, x+lw*0.55, 0)
		w.curve(x+lw*0.6, xh*0.9, x+lw*1.1, xh*1.1, x+lw*1.15, 0)
		lw *= 1.15
	case strings.ContainsRune("uvw", lower):
		// A garland: down into a cup and up.
		w.curve(x+lw*0.1, xh*0.8, x+lw*0.2, xh, x+lw*0.25, xh)
		w.curve(x+lw*0.2, xh*0.2, x+lw*0.7, 0, x+lw*0.8, xh)
		w.curve(x+lw*0.8, xh*0.3, x+lw*0.9, 0, x+lw, xh*0.1)
	case lower == 'i':
		lw *= 0.7
		w.curve(x+lw*0.3, xh*0.6, x+lw*0.4, xh, x+lw*0.5, xh)
		w.curve(x+lw*0.45, xh*0.5, x+lw*0.7, 0, x+lw, xh*0.1)
		w.mark(docs.Point{X: x + lw*0.65, Y: markY})
	default: // n, r and the rest: an arch
		w.curve(x, xh*0.9, x+lw*0.9, xh*1.1, x+lw, 0)
	}
	switch mark {
	case '¨':
		w.mark(docs.Point{X: x + lw*0.35, Y: markY})
		w.mark(docs.Point{X: x + lw*0.75, Y: markY + xh*0.05})
	case '°':
		cx, cy, rr := x+lw*0.55, markY+xh*0.05, xh*0.18
		var ring []docs.Point
		for k := range 9 {
			a := float64(k) / 8 * 2 * math.Pi
			ring = append(ring, docs.Point{X: cx + rr*math.Cos(a), Y: cy + rr*math.Sin(a)})
		}
		w.mark(ring...)
	case '´':
		w.mark(docs.Point{X: x + lw*0.4, Y: markY - xh*0.1}, docs.Point{X: x + lw*0.7, Y: markY + xh*0.2})
	}
	w.x = x + lw
}

// capital writes a tall first letter lw wide and h high: a stem up, a loop
// over and down, into the x-height where the next letter joins. The shape
// of the loop depends on the letter, so Anna and Berit start differently.
func (w *writer) capital(c rune, x, lw, h float64) {
	k := float64(c%4) / 4
	w.curve(x+lw*0.1, h*0.5, x+lw*(0.2+k*0.2), h, x+lw*0.4, h)
	w.curve(x+lw*(0.9-k*0.2), h, x+lw*(0.8+k*0.2), h*0.4, x+lw*0.3, h*(0.35-k*0.2))
	w.curve(x+lw*0.6, h*0.2, x+lw*0.8, 0, x+lw, w.xh*0.3)
}

// underline is the flourish some people end with: out to the right and
// back under the whole name.
func (w *writer) underline() {
	start := w.x - w.xh*0.3
	w.x, w.y = start, -w.xh*0.35
	w.curve(start+w.xh*0.5, -w.xh*0.3, start+w.xh*0.3, -w.xh*0.8, start-w.xh, -w.xh*0.7)
	w.curve(start-w.xh*4, -w.xh*0.55, w.xh*2, -w.xh*0.5, 0, -w.xh*0.6)
	w.lift()
}

// fold splits a letter into its base letter and the mark written over it
// after the word: å with a ring, ä, ö and ü with two dots, é with an
// acute. Other letters have no mark.
func fold(c rune) (base, mark rune) {
	switch c {
	case 'å':
		return 'a', '°'
	case 'Å':
		return 'A', '°'
	case 'ä':
		return 'a', '¨'
	case 'Ä':
		return 'A', '¨'
	case 'ö':
		return 'o', '¨'
	case 'Ö':
		return 'O', '¨'
	case 'ü':
		return 'u', '¨'
	case 'Ü':
		return 'U', '¨'
	case 'é':
		return 'e', '´'
	case 'É':
		return 'E', '´'
	}
	return c, 0
}

// fit slants, tilts and scales the strokes onto the pad: as large as the
// pad allows with a margin, flipped so that y grows downwards, and
// rounded to a tenth of a pixel as a pad reports them.
func (w *writer) fit() [][]docs.Point {
	if len(w.strokes) == 0 {
		return nil
	}
	sin, cos := math.Sincos(w.tilt)
	out := make([][]docs.Point, len(w.strokes))
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for i, st := range w.strokes {
		out[i] = make([]docs.Point, len(st))
		for j, p := range st {
			x := p.X + p.Y*w.slant
			q := docs.Point{X: x*cos - p.Y*sin, Y: -(x*sin + p.Y*cos)}
			out[i][j] = q
			minX, maxX = math.Min(minX, q.X), math.Max(maxX, q.X)
			minY, maxY = math.Min(minY, q.Y), math.Max(maxY, q.Y)
		}
	}
	const margin = 12.0
	scale := math.Min((padW-2*margin)/math.Max(maxX-minX, 1), (padH-2*margin)/math.Max(maxY-minY, 1))
	scale = math.Min(scale, 2.5) // a short name is not blown up to fill the pad
	for _, st := range out {
		for j, p := range st {
			st[j] = docs.Point{
				X: math.Round((margin+(p.X-minX)*scale)*10) / 10,
				Y: math.Round((margin+(p.Y-minY)*scale)*10) / 10,
			}
		}
	}
	return out
}
