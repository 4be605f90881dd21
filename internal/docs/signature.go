package docs

import (
	"errors"
	"fmt"
	"math"
)

// Signature is a handwritten signature as a signature pad on a phone
// captures it: the pad's size and the pen's path as strokes, each from
// pen down to pen up, of points in the pad's own units (CSS pixels, say)
// with the origin at the top left and y growing downwards, as in a browser
// canvas. It is drawn as vector lines, scaled to fit the document's
// signature box with its proportions kept.
type Signature struct {
	Width, Height float64
	Strokes       [][]Point
}

// Point is one sample of the pen's position on the pad.
type Point struct{ X, Y float64 }

// MaxSignaturePoints bounds the points a signature may have, and so the
// work and size one document may cost; a pad sampling at 60 Hz collects
// about 600 for a name written in ten seconds.
const MaxSignaturePoints = 20000

// ErrUnsigned is returned, wrapped, for a delivery note without a signer's
// name or without a signature: a delivery note is only signed with both.
var ErrUnsigned = errors.New("not signed")

// Empty reports whether s has no point at all: the customer never touched
// the pad.
func (s Signature) Empty() bool {
	for _, st := range s.Strokes {
		if len(st) > 0 {
			return false
		}
	}
	return true
}

// Validate checks that s can be drawn: a pad of positive, finite size, at
// least one point, at most MaxSignaturePoints, and no NaN or infinite
// coordinate. Points outside the pad are allowed (a pen dragged past the
// edge keeps reporting) and drawn at the edge.
func (s Signature) Validate() error {
	if s.Empty() {
		return fmt.Errorf("%w: empty signature", ErrUnsigned)
	}
	if !(s.Width > 0 && s.Height > 0) || math.IsInf(s.Width, 0) || math.IsInf(s.Height, 0) {
		return fmt.Errorf("signature: pad size %v × %v, want positive", s.Width, s.Height)
	}
	var n int
	for _, st := range s.Strokes {
		n += len(st)
		for _, p := range st {
			if !finite(p.X) || !finite(p.Y) {
				return fmt.Errorf("signature: point (%v, %v) is not a number", p.X, p.Y)
			}
		}
	}
	if n > MaxSignaturePoints {
		return fmt.Errorf("signature: %d points, at most %d", n, MaxSignaturePoints)
	}
	return nil
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// drawSignature draws s into the box with its top-left corner at (x, y),
// w × h millimetres: scaled by the same factor in both directions so the
// writing keeps its shape, and centred. A stroke of one point is a dot,
// where the customer put the pen down and lifted it.
func (p *page) drawSignature(s Signature, x, y, w, h float64) {
	scale := min(w/s.Width, h/s.Height)
	ox := x + (w-s.Width*scale)/2
	oy := y + (h-s.Height*scale)/2
	at := func(pt Point) (float64, float64) {
		return ox + clamp(pt.X, s.Width)*scale, oy + clamp(pt.Y, s.Height)*scale
	}
	const pen = 0.45 // mm, a ballpoint's line
	p.drawColor(ink)
	p.fillColor(ink)
	p.SetLineWidth(pen)
	p.SetLineCapStyle("round")
	p.SetLineJoinStyle("round")
	for _, st := range s.Strokes {
		switch len(st) {
		case 0:
			continue
		case 1:
			// A little wider than the line, as a pen pressed
			// down leaves it.
			cx, cy := at(st[0])
			p.Circle(cx, cy, pen*0.6, "F")
			continue
		}
		p.MoveTo(at(st[0]))
		for _, pt := range st[1:] {
			p.LineTo(at(pt))
		}
		p.DrawPath("D")
	}
	p.SetLineCapStyle("butt")
	p.SetLineJoinStyle("miter")
}

// clamp keeps v within [0, hi].
func clamp(v, hi float64) float64 { return math.Min(math.Max(v, 0), hi) }
