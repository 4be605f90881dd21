package docs

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// MaxSignatureJSON bounds the length in bytes of the text ParseSignature
// reads. MaxSignaturePoints points written as the phone writes them (one
// decimal) take about 300 kB, so 1 MB leaves room without letting a form
// field make the server decode megabytes.
const MaxSignatureJSON = 1 << 20

// signatureJSON is the form the technician's phone sends in the sign form's
// signature field (see internal/web/static/tekniker.js): the pad's size in
// CSS pixels and each stroke as a list of [x, y] pairs.
type signatureJSON struct {
	Width   float64       `json:"width"`
	Height  float64       `json:"height"`
	Strokes [][][]float64 `json:"strokes"`
}

// ParseSignature reads a signature in the JSON form the signature pad sends:
//
//	{"width": 320, "height": 200, "strokes": [[[12.5, 40], [13, 41.5]], ...]}
//
// An empty or blank s, null, or a pad without a point is ErrUnsigned
// (wrapped): the customer did not sign. Anything else that is not exactly
// that form — text longer than MaxSignatureJSON, unknown fields, a point
// that is not a pair of numbers, more than MaxSignaturePoints points, a pad
// of no size — is an error that names the problem. JSON has no NaN or
// infinity, and a number too large for a float64 fails to decode, so every
// coordinate that comes back is finite; Validate checks it once more.
func ParseSignature(s string) (Signature, error) {
	if len(s) > MaxSignatureJSON {
		return Signature{}, fmt.Errorf("signature: %d bytes of JSON, at most %d", len(s), MaxSignatureJSON)
	}
	if strings.TrimSpace(s) == "" {
		return Signature{}, fmt.Errorf("%w: no signature", ErrUnsigned)
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	var in *signatureJSON
	if err := dec.Decode(&in); err != nil {
		return Signature{}, fmt.Errorf("signature: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Signature{}, errors.New("signature: text after the JSON object")
	}
	if in == nil {
		return Signature{}, fmt.Errorf("%w: no signature", ErrUnsigned)
	}
	// Counted before anything is copied, so that a pad of many empty
	// strokes or too many points costs no more than its decoding.
	var n int
	for _, st := range in.Strokes {
		n += len(st)
	}
	if n > MaxSignaturePoints || len(in.Strokes) > MaxSignaturePoints {
		return Signature{}, fmt.Errorf("signature: %d points in %d strokes, at most %d", n, len(in.Strokes), MaxSignaturePoints)
	}
	sig := Signature{Width: in.Width, Height: in.Height, Strokes: make([][]Point, 0, len(in.Strokes))}
	for i, st := range in.Strokes {
		if len(st) == 0 {
			continue
		}
		pts := make([]Point, len(st))
		for j, p := range st {
			if len(p) != 2 {
				return Signature{}, fmt.Errorf("signature: stroke %d, point %d has %d numbers, want 2 (x, y)", i+1, j+1, len(p))
			}
			pts[j] = Point{X: p[0], Y: p[1]}
		}
		sig.Strokes = append(sig.Strokes, pts)
	}
	if err := sig.Validate(); err != nil {
		return Signature{}, err
	}
	return sig, nil
}
