package seal

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"iter"
	"slices"
	"strings"
	"testing"
	"time"

	"kundportal/internal/filestore"
)

// files is an in-memory file store for Verify, which counts what is open
// at once.
type files struct {
	blobs   map[string][]byte
	open    int // files open now
	maxOpen int
	opens   map[string]int
	fail    map[string]error // open errors by sum
}

func newFiles() *files {
	return &files{blobs: map[string][]byte{}, opens: map[string]int{}, fail: map[string]error{}}
}

func (f *files) put(body string) string {
	s := sha256.Sum256([]byte(body))
	sum := hex.EncodeToString(s[:])
	f.blobs[sum] = []byte(body)
	return sum
}

func (f *files) Open(sum string) (io.ReadCloser, error) {
	if err := f.fail[sum]; err != nil {
		return nil, err
	}
	b, ok := f.blobs[sum]
	if !ok {
		return nil, filestore.ErrNotFound
	}
	f.opens[sum]++
	f.open++
	f.maxOpen = max(f.maxOpen, f.open)
	return &closer{Reader: bytes.NewReader(b), f: f}, nil
}

type closer struct {
	io.Reader
	f *files
}

func (c *closer) Close() error { c.f.open--; return nil }

// chain builds a whole chain of n entries, each naming its own PDF, with
// ids 1…n.
func chain(fb *files, n int) []Entry {
	var out []Entry
	at := time.Date(2026, time.March, 12, 13, 0, 0, 0, time.UTC)
	for i := range n {
		var last *Entry
		if i > 0 {
			last = &out[i-1]
		}
		e := Next(last, Entry{DeliveryNoteID: int64(100 + i), FileSHA256: fb.put("%PDF-följesedel " + strings.Repeat("x", i)),
			SnapshotSHA256: shaA, At: at.Add(time.Duration(i) * time.Hour)})
		e.ID = int64(i + 1)
		out = append(out, e)
	}
	return out
}

func seq(entries []Entry) iter.Seq2[Entry, error] {
	return func(yield func(Entry, error) bool) {
		for _, e := range entries {
			if !yield(e, nil) {
				return
			}
		}
	}
}

func TestVerifyWhole(t *testing.T) {
	fb := newFiles()
	entries := chain(fb, 3)
	// Two entries may name the same PDF; it is read once.
	extra := Next(&entries[2], Entry{DeliveryNoteID: 200, FileSHA256: entries[0].FileSHA256, SnapshotSHA256: shaB, At: entries[2].At})
	extra.ID = 4
	entries = append(entries, extra)
	r, err := Verify(context.Background(), seq(entries), fb.Open)
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK() || r.Entries != 4 || r.LastHash != extra.EntryHash {
		t.Errorf("Verify = %+v, want OK over 4 entries ending in %s", r, extra.EntryHash)
	}
	if fb.maxOpen != 1 || fb.open != 0 {
		t.Errorf("files open at once: at most %d, %d left open; want 1 and 0", fb.maxOpen, fb.open)
	}
	if fb.opens[entries[0].FileSHA256] != 1 {
		t.Errorf("a PDF named twice was opened %d times, want once", fb.opens[entries[0].FileSHA256])
	}

	r, err = Verify(context.Background(), seq(nil), fb.Open)
	if err != nil || !r.OK() || r.Entries != 0 || r.LastHash != Genesis {
		t.Errorf("Verify(empty log) = %+v, %v; want OK, 0 entries, LastHash Genesis", r, err)
	}
}

func TestVerifyProblems(t *testing.T) {
	type want struct {
		id   int64
		kind ProblemKind
	}
	tests := []struct {
		name   string
		tamper func(fb *files, es []Entry) []Entry
		want   []want
	}{
		{"entry changed", func(_ *files, es []Entry) []Entry {
			es[1].DeliveryNoteID = 999
			return es
		}, []want{{2, WrongEntryHash}}},
		{"entry changed and its hash recomputed", func(_ *files, es []Entry) []Entry {
			es[1].SnapshotSHA256 = shaC
			es[1].EntryHash = ChainHash(es[1])
			return es
		}, []want{{3, BrokenLink}}},
		{"file hash in the entry changed", func(fb *files, es []Entry) []Entry {
			es[0].FileSHA256 = fb.put("%PDF-en annan följesedel")
			return es
		}, []want{{1, WrongEntryHash}}},
		{"entry hash changed", func(_ *files, es []Entry) []Entry {
			es[2].EntryHash = shaD
			return es
		}, []want{{3, WrongEntryHash}}},
		{"entry removed from the middle", func(_ *files, es []Entry) []Entry {
			return slices.Delete(es, 1, 2)
		}, []want{{3, BrokenLink}}},
		{"first entry removed", func(_ *files, es []Entry) []Entry {
			return es[1:]
		}, []want{{2, BrokenLink}}},
		{"entries swapped", func(_ *files, es []Entry) []Entry {
			es[1], es[2] = es[2], es[1]
			return es
		}, []want{{3, BrokenLink}, {2, BrokenLink}}},
		{"PDF missing", func(fb *files, es []Entry) []Entry {
			delete(fb.blobs, es[1].FileSHA256)
			return es
		}, []want{{2, PDFMissing}}},
		{"PDF missing as fs.ErrNotExist", func(fb *files, es []Entry) []Entry {
			fb.fail[es[1].FileSHA256] = fs.ErrNotExist
			return es
		}, []want{{2, PDFMissing}}},
		{"PDF changed", func(fb *files, es []Entry) []Entry {
			fb.blobs[es[2].FileSHA256][3] ^= 1
			return es
		}, []want{{3, PDFChanged}}},
		{"PDF unreadable", func(fb *files, es []Entry) []Entry {
			fb.fail[es[0].FileSHA256] = errors.New("permission denied")
			return es
		}, []want{{1, PDFUnreadable}}},
		{"two problems in one entry", func(fb *files, es []Entry) []Entry {
			es[0].PrevHash = shaA
			delete(fb.blobs, es[0].FileSHA256)
			return es
		}, []want{{1, BrokenLink}, {1, WrongEntryHash}, {1, PDFMissing}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fb := newFiles()
			entries := tt.tamper(fb, chain(fb, 3))
			r, err := Verify(context.Background(), seq(entries), fb.Open)
			if err != nil {
				t.Fatal(err)
			}
			var got []want
			for _, p := range r.Problems {
				got = append(got, want{p.EntryID, p.Kind})
				if s := p.String(); !strings.HasPrefix(s, "post ") || !strings.Contains(s, p.Kind.Label()) || p.Detail == "" {
					t.Errorf("Problem.String() = %q, want the entry, the kind in Swedish and what was found", s)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Verify problems = %+v, want %+v", r.Problems, tt.want)
			}
			if r.OK() || r.Entries != len(entries) {
				t.Errorf("Verify = OK %v over %d entries, want not OK over %d", r.OK(), r.Entries, len(entries))
			}
		})
	}
}

func TestVerifyStops(t *testing.T) {
	fb := newFiles()
	entries := chain(fb, 3)
	broken := func(yield func(Entry, error) bool) {
		if yield(entries[0], nil) {
			yield(Entry{}, errors.New("connection lost"))
		}
	}
	r, err := Verify(context.Background(), broken, fb.Open)
	if err == nil || !strings.Contains(err.Error(), "connection lost") || r.Entries != 1 {
		t.Errorf("Verify(log failing after one entry) = %+v, %v; want the log's error after 1 entry", r, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Verify(ctx, seq(entries), fb.Open); !errors.Is(err, context.Canceled) {
		t.Errorf("Verify(cancelled) = %v, want context.Canceled", err)
	}
}
