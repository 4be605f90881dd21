package docs

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestParseSignature(t *testing.T) {
	got, err := ParseSignature(` {"width": 320, "height": 200.5,
		"strokes": [[[12.5, 40], [13, 41.5], [-2, 210]], [], [[100, 100]]]} `)
	if err != nil {
		t.Fatalf("ParseSignature(good) = %v, want no error", err)
	}
	// The empty stroke is dropped; the point past the pad is kept, as
	// Validate allows (drawSignature clamps it).
	want := Signature{Width: 320, Height: 200.5, Strokes: [][]Point{
		{{12.5, 40}, {13, 41.5}, {-2, 210}},
		{{100, 100}},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParseSignature(good) = %+v, want %+v", got, want)
	}
}

// points returns a signature's JSON with n points in one stroke.
func points(n int) string {
	var b strings.Builder
	b.WriteString(`{"width":300,"height":150,"strokes":[[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "[%d,%d]", i%300, i%150)
	}
	b.WriteString(`]]}`)
	return b.String()
}

func TestParseSignatureLimits(t *testing.T) {
	if _, err := ParseSignature(points(MaxSignaturePoints)); err != nil {
		t.Errorf("ParseSignature(%d points) = %v, want no error", MaxSignaturePoints, err)
	}
	if _, err := ParseSignature(points(MaxSignaturePoints + 1)); err == nil || !strings.Contains(err.Error(), "points") {
		t.Errorf("ParseSignature(%d points) = %v, want an error about the points", MaxSignaturePoints+1, err)
	}
	// Long text is refused before it is decoded: this one would be a
	// valid signature but for the padding.
	huge := points(10) + strings.Repeat(" ", MaxSignatureJSON)
	if _, err := ParseSignature(huge); err == nil || !strings.Contains(err.Error(), "bytes") {
		t.Errorf("ParseSignature(%d bytes) = %v, want an error about the length", len(huge), err)
	}
	many := `{"width":300,"height":150,"strokes":[[[1,1]]` + strings.Repeat(",[]", MaxSignaturePoints+1) + `]}`
	if _, err := ParseSignature(many); err == nil {
		t.Errorf("ParseSignature(%d empty strokes) = nil error, want one", MaxSignaturePoints+1)
	}
}

func TestParseSignatureUnsigned(t *testing.T) {
	for _, in := range []string{
		``,
		`  `,
		`null`,
		`{"width":300,"height":150,"strokes":[]}`,
		`{"width":300,"height":150,"strokes":[[],[]]}`,
		`{"width":300,"height":150}`,
	} {
		if _, err := ParseSignature(in); !errors.Is(err, ErrUnsigned) {
			t.Errorf("ParseSignature(%q) = %v, want ErrUnsigned", in, err)
		}
	}
}

func TestParseSignatureInvalid(t *testing.T) {
	for _, tc := range []struct{ name, in string }{
		{"garbage", `Anna Andersson`},
		{"not an object", `[[1,2]]`},
		{"truncated", `{"width":300,"height":150,"strokes":[[[1,2]`},
		{"text after", `{"width":300,"height":150,"strokes":[[[1,2]]]} {}`},
		{"NaN as a string", `{"width":300,"height":150,"strokes":[[["NaN",2]]]}`},
		{"NaN bare", `{"width":300,"height":150,"strokes":[[[NaN,2]]]}`},
		{"width as a string", `{"width":"NaN","height":150,"strokes":[[[1,2]]]}`},
		{"number too large", `{"width":300,"height":150,"strokes":[[[1e999,2]]]}`},
		{"infinite width", `{"width":1e999,"height":150,"strokes":[[[1,2]]]}`},
		{"zero width", `{"width":0,"height":150,"strokes":[[[1,2]]]}`},
		{"negative height", `{"width":300,"height":-1,"strokes":[[[1,2]]]}`},
		{"no size", `{"strokes":[[[1,2]]]}`},
		{"one number", `{"width":300,"height":150,"strokes":[[[1]]]}`},
		{"three numbers", `{"width":300,"height":150,"strokes":[[[1,2,3]]]}`},
		{"point as object", `{"width":300,"height":150,"strokes":[[{"x":1,"y":2}]]}`},
		{"unknown field", `{"width":300,"height":150,"strokes":[[[1,2]]],"image":"data:"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseSignature(tc.in)
			if err == nil {
				t.Fatalf("ParseSignature(%q) = nil error, want one", tc.in)
			}
			if errors.Is(err, ErrUnsigned) {
				t.Errorf("ParseSignature(%q) = %v, want an error other than ErrUnsigned: the customer did sign, the data is broken", tc.in, err)
			}
		})
	}
}
