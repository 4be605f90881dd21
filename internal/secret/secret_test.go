package secret

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSealOpen(t *testing.T) {
	b, err := LoadOrCreate(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	a, _ := b.Seal("Portkod 1234")
	c, _ := b.Seal("Portkod 1234")
	if a == c || strings.Contains(a, "1234") {
		t.Errorf("sealed values %q, %q: want different and unreadable", a, c)
	}
	if got, err := b.Open(a); err != nil || got != "Portkod 1234" {
		t.Errorf("Open = %q, %v", got, err)
	}
	changed := a[:len(a)-2] + "AA"
	if _, err := b.Open(changed); !errors.Is(err, ErrCorrupt) {
		t.Errorf("Open(changed) err = %v, want ErrCorrupt", err)
	}
	other, _ := LoadOrCreate(t.TempDir())
	if _, err := other.Open(a); !errors.Is(err, ErrCorrupt) {
		t.Errorf("Open with another key err = %v, want ErrCorrupt", err)
	}
	if s, _ := b.Seal(""); s != "" {
		t.Errorf("Seal(\"\") = %q, want empty", s)
	}
}

func TestLoadOrCreateKeepsTheKey(t *testing.T) {
	dir := t.TempDir()
	b1, err := LoadOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	sealed, _ := b1.Seal("Ja")
	b2, err := LoadOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := b2.Open(sealed); err != nil || got != "Ja" {
		t.Errorf("reloaded key opens %q, %v", got, err)
	}
	if err := os.Chmod(filepath.Join(dir, KeyFile), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreate(dir); err == nil {
		t.Error("a key readable by others was accepted")
	}
	if _, err := FromBase64("dG9vIHNob3J0"); err == nil {
		t.Error("a short key was accepted")
	}
}

func TestTag(t *testing.T) {
	key := make([]byte, 32)
	b, err := New(key)
	if err != nil {
		t.Fatal(err)
	}
	tag := b.Tag("unsubscribe", "7|case_done")
	if !b.ValidTag("unsubscribe", "7|case_done", tag) {
		t.Error("a tag does not check against what it tagged")
	}
	for _, bad := range []struct{ purpose, msg, tag string }{
		{"unsubscribe", "8|case_done", tag}, {"reset", "7|case_done", tag}, {"unsubscribe", "7|case_done", tag[:len(tag)-1]},
		{"unsubscribe", "7|case_done", ""},
	} {
		if b.ValidTag(bad.purpose, bad.msg, bad.tag) {
			t.Errorf("ValidTag(%q, %q, %q) = true", bad.purpose, bad.msg, bad.tag)
		}
	}
	key[0] = 1
	other, _ := New(key)
	if other.ValidTag("unsubscribe", "7|case_done", tag) {
		t.Error("another key's box accepts the tag")
	}
}
