package filestore

import (
	"errors"
	"io"
	"strings"
	"testing"
)

func TestDiskRoundTrip(t *testing.T) {
	d, err := NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	sum, n, err := d.Put(strings.NewReader("följesedel"))
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(len("följesedel")) || len(sum) != 64 {
		t.Errorf("Put = %q, %d; want a sha256 and the byte count", sum, n)
	}
	f, err := d.Open(sum)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, _ := io.ReadAll(f)
	if string(b) != "följesedel" {
		t.Errorf("Open read %q, want %q", b, "följesedel")
	}
	for _, bad := range []string{"", "../../etc/passwd", strings.Repeat("0", 64)} {
		if _, err := d.Open(bad); !errors.Is(err, ErrNotFound) {
			t.Errorf("Open(%q) = %v, want ErrNotFound", bad, err)
		}
	}
}
