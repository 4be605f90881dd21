package docs

import (
	"bytes"
	"image"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// poppler returns the path of a poppler-utils tool (pdftotext, pdftoppm).
// Without it the test is skipped on a developer's machine and fails under
// CI=true, so that a CI machine that lost the package cannot pass by
// testing less; .ci/run installs poppler-utils.
func poppler(t *testing.T, tool string) string {
	t.Helper()
	path, err := exec.LookPath(tool)
	if err == nil {
		return path
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is required under CI=true (Debian package poppler-utils): %v", tool, err)
	}
	t.Skipf("%s not installed (Debian package poppler-utils): %v", tool, err)
	return ""
}

// writeTemp writes pdf to a file of its own and returns its name.
func writeTemp(t *testing.T, pdf []byte) string {
	t.Helper()
	name := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(name, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

// pdfText extracts the text of pages first to last (0 for the last page)
// with pdftotext, in reading order, with no-break spaces turned into plain
// ones so that "1 234,50 kr" can be searched for as typed.
func pdfText(t *testing.T, pdf []byte, first, last int) string {
	t.Helper()
	args := []string{"-enc", "UTF-8", "-f", strconv.Itoa(first)}
	if last > 0 {
		args = append(args, "-l", strconv.Itoa(last))
	}
	args = append(args, writeTemp(t, pdf), "-")
	out, err := exec.Command(poppler(t, "pdftotext"), args...).Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.ReplaceAll(string(out), "\u00a0", " ")
}

// pageCount counts the page objects of a PDF.
func pageCount(pdf []byte) int {
	return bytes.Count(pdf, []byte("/Type /Page")) - bytes.Count(pdf, []byte("/Type /Pages"))
}

// raster renders page 1 of pdf at dpi with pdftoppm.
func raster(t *testing.T, pdf []byte, dpi int) image.Image {
	t.Helper()
	name := writeTemp(t, pdf)
	root := strings.TrimSuffix(name, ".pdf")
	out, err := exec.Command(poppler(t, "pdftoppm"), "-png", "-r", strconv.Itoa(dpi), "-f", "1", "-l", "1", "-singlefile",
		name, root).CombinedOutput()
	if err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	b, err := os.ReadFile(root + ".png")
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("pdftoppm output: %v", err)
	}
	return img
}

// sameBytes renders a document n times in a row and four times at once,
// and fails unless every render gives the first one's bytes and the file
// is dated wantDate (a PDF date, "D:20260312140500": the document's own
// moment in Swedish time, never the clock). It returns the first render.
// Stored files are addressed by their SHA-256, and fpdf's font subsetting
// walks maps of the runes used, whose order Go varies on every walk, so a
// subset that depended on it would show here.
func sameBytes(t *testing.T, n int, render func(io.Writer) error, wantDate string) []byte {
	t.Helper()
	one := func() []byte {
		var buf bytes.Buffer
		if err := render(&buf); err != nil {
			t.Fatalf("render: %v", err)
		}
		return buf.Bytes()
	}
	first := one()
	for i := range n {
		if again := one(); !bytes.Equal(again, first) {
			t.Fatalf("render %d: %d bytes differ from the first render's %d", i+2, len(again), len(first))
		}
	}
	var wg sync.WaitGroup
	out := make([][]byte, 4)
	for i := range out {
		wg.Go(func() {
			var buf bytes.Buffer
			if err := render(&buf); err == nil {
				out[i] = buf.Bytes()
			}
		})
	}
	wg.Wait()
	for i, b := range out {
		if !bytes.Equal(b, first) {
			t.Errorf("concurrent render %d differs from the first render", i)
		}
	}
	if want := "/CreationDate (" + wantDate + ")"; !bytes.Contains(first, []byte(want)) {
		t.Errorf("PDF lacks creation date %s", want)
	}
	return first
}
