package demo

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"kundportal/internal/docs"
	"kundportal/internal/repair"
)

func TestHandwriting(t *testing.T) {
	names := []string{
		"Anna Svensson", "Åsa Ängström", "Lars-Erik Öberg", "Jörgen Ståhl", "Berit", "X",
		"Anna-Karin von Würtemberg-Hägglund Andersson Lindqvist", "Seán O'Brien", "ANNA SVENSSON",
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			s := handwriting(name)
			if err := s.Validate(); err != nil {
				t.Fatalf("handwriting(%q).Validate() = %v", name, err)
			}
			if got := handwriting(name); !reflect.DeepEqual(got, s) {
				t.Errorf("handwriting(%q) differs between two calls", name)
			}
			if words := len(strings.Fields(name)); len(s.Strokes) < words {
				t.Errorf("handwriting(%q) has %d strokes, want at least one per word (%d)", name, len(s.Strokes), words)
			}
			minX, maxX := math.Inf(1), math.Inf(-1)
			for _, st := range s.Strokes {
				for _, p := range st {
					if p.X < 0 || p.X > s.Width || p.Y < 0 || p.Y > s.Height {
						t.Fatalf("handwriting(%q): point %v outside the %v × %v pad", name, p, s.Width, s.Height)
					}
					minX, maxX = math.Min(minX, p.X), math.Max(maxX, p.X)
				}
			}
			// Written across the pad, as a signature is, not a blot
			// in a corner; a single letter may stay narrow.
			if len([]rune(name)) > 3 && maxX-minX < s.Width/2 {
				t.Errorf("handwriting(%q) spans %.0f of the pad's %.0f px", name, maxX-minX, s.Width)
			}
		})
	}
	for i := 1; i < len(names); i++ {
		if reflect.DeepEqual(handwriting(names[i-1]), handwriting(names[i])) {
			t.Errorf("%q and %q sign alike", names[i-1], names[i])
		}
	}
	for _, name := range []string{"", "   ", "…"} {
		if s := handwriting(name); !s.Empty() {
			t.Errorf("handwriting(%q) has %d strokes, want none, which docs refuses", name, len(s.Strokes))
		}
	}
}

// TestPlanNotes checks, without a database, that every delivery note the
// plan makes is a signed one that renders: a note docs refused would fail
// Load.
func TestPlanNotes(t *testing.T) {
	g := plan(testNow)
	var notes int
	for _, j := range g.files {
		if j.kind != repair.FileDeliveryNote {
			continue
		}
		notes++
		if err := j.note.Validate(); err != nil {
			t.Errorf("case %s: %v", j.note.CaseNumber, err)
		}
		if len(j.note.Actions) == 0 {
			t.Errorf("case %s: note without actions", j.note.CaseNumber)
		}
	}
	if notes < 50 {
		t.Errorf("%d delivery notes planned, want the recent completed cases' (over 50)", notes)
	}
}

// TestWriteNotes writes the first demo delivery notes for looking at, when
// DEMO_NOTES_DIR is set:
//
//	DEMO_NOTES_DIR=/tmp/notes go test -run WriteNotes ./internal/demo
func TestWriteNotes(t *testing.T) {
	dir := os.Getenv("DEMO_NOTES_DIR")
	if dir == "" {
		t.Skip("DEMO_NOTES_DIR not set")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var written int
	for _, j := range plan(testNow).files {
		if j.kind != repair.FileDeliveryNote || written == 12 {
			continue
		}
		var buf bytes.Buffer
		if err := docs.RenderDeliveryNote(&buf, j.note); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "foljesedel-"+j.note.CaseNumber+".pdf"), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		written++
	}
}
