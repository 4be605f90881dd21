package seal

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"

	"kundportal/internal/filestore"
)

// ProblemKind is what is wrong with an entry of the seal log.
type ProblemKind string

// The problems Verify finds.
const (
	// BrokenLink: the entry's PrevHash is not the EntryHash of the entry
	// before it (or, for the first, not Genesis): an entry before it was
	// changed, removed or inserted.
	BrokenLink ProblemKind = "broken_link"
	// WrongEntryHash: the entry's EntryHash is not ChainHash of its
	// fields: the entry was changed after it was written.
	WrongEntryHash ProblemKind = "wrong_entry_hash"
	// PDFMissing: the file store has no file with the entry's FileSHA256.
	PDFMissing ProblemKind = "pdf_missing"
	// PDFChanged: the stored file's bytes no longer hash to FileSHA256.
	PDFChanged ProblemKind = "pdf_changed"
	// PDFUnreadable: the stored file could not be read to the end.
	PDFUnreadable ProblemKind = "pdf_unreadable"
	// NoteFileChanged: the delivery note's files row names another PDF
	// than its seal entry: the note was pointed at another file.
	NoteFileChanged ProblemKind = "note_file_changed"
	// NoteUnsealed: a delivery note has no seal entry.
	NoteUnsealed ProblemKind = "note_unsealed"
)

// Label is the kind in Swedish, as the command line prints it.
func (k ProblemKind) Label() string {
	switch k {
	case BrokenLink:
		return "kedjan bruten"
	case WrongEntryHash:
		return "fel posthash"
	case PDFMissing:
		return "PDF saknas"
	case PDFChanged:
		return "PDF ändrad"
	case PDFUnreadable:
		return "PDF kan inte läsas"
	case NoteFileChanged:
		return "följesedeln pekar på en annan fil"
	case NoteUnsealed:
		return "följesedeln saknas i sigillkedjan"
	}
	return string(k)
}

// Problem is one thing wrong with one entry.
type Problem struct {
	EntryID        int64
	DeliveryNoteID int64
	Kind           ProblemKind
	Detail         string // what was found, in Swedish
}

// String says which entry, what kind of problem and what was found, in
// one line.
func (p Problem) String() string {
	return fmt.Sprintf("post %d (följesedel %d): %s: %s", p.EntryID, p.DeliveryNoteID, p.Kind.Label(), p.Detail)
}

// Report is the outcome of Verify.
type Report struct {
	Entries  int       // entries read
	Problems []Problem // in log order; none when the chain is whole and every PDF unchanged
	// LastHash is the EntryHash of the last entry read (Genesis for an
	// empty log). Kept somewhere else, it shows whether entries were later
	// removed from the end, which the chain alone cannot.
	LastHash string
}

// OK reports whether Verify found nothing wrong.
func (r Report) OK() bool { return len(r.Problems) == 0 }

// Verify checks the seal log entries, which must come in the order they
// were appended (by id): that each entry's EntryHash is ChainHash of its
// fields, that each links to the one before it (the first to Genesis), and
// that the PDF each names is in the file store with those very bytes.
//
// open returns a stored file by its SHA-256; a missing file is an error
// that is fs.ErrNotExist or filestore.ErrNotFound. Each PDF is streamed
// through the hash and closed before the next is opened, so memory does not
// grow with the files; a file that several entries name is read once.
//
// Problems go into the report and the check goes on, so that one run lists
// them all. The error is for what stops the check: entries that cannot be
// read, or ctx ending.
func Verify(ctx context.Context, entries iter.Seq2[Entry, error], open func(sha256 string) (io.ReadCloser, error)) (Report, error) {
	r := Report{LastHash: Genesis}
	// checked holds the outcome of every file read so far, by SHA-256: its
	// problem, or the zero Problem for a file there and unchanged.
	checked := map[string]Problem{}
	for e, err := range entries {
		if err != nil {
			return r, fmt.Errorf("seal: verify: read log: %w", err)
		}
		if err := ctx.Err(); err != nil {
			return r, fmt.Errorf("seal: verify: %w", err)
		}
		add := func(kind ProblemKind, format string, args ...any) {
			r.Problems = append(r.Problems, Problem{EntryID: e.ID, DeliveryNoteID: e.DeliveryNoteID, Kind: kind, Detail: fmt.Sprintf(format, args...)})
		}
		switch {
		case r.Entries == 0 && e.PrevHash != Genesis:
			add(BrokenLink, "första posten börjar från %s, inte från startvärdet (en post före den har tagits bort, eller posten har ändrats)", e.PrevHash)
		case r.Entries > 0 && e.PrevHash != r.LastHash:
			add(BrokenLink, "posten pekar på föregående hash %s, men posten före den har hash %s (en post har ändrats, tagits bort eller lagts in)", e.PrevHash, r.LastHash)
		}
		if sum := ChainHash(e); e.EntryHash != sum {
			add(WrongEntryHash, "lagrad hash %s, beräknad %s (posten har ändrats efter att den skrevs)", e.EntryHash, sum)
		}
		p, ok := checked[e.FileSHA256]
		if !ok {
			p, err = checkFile(ctx, e.FileSHA256, open)
			if err != nil {
				return r, err
			}
			checked[e.FileSHA256] = p
		}
		if p.Kind != "" {
			add(p.Kind, "%s", p.Detail)
		}
		r.Entries++
		// The next entry must link to the hash this one has, not to the
		// one it should have: a changed entry is reported once, as a
		// wrong hash, rather than again as a broken link after it.
		r.LastHash = e.EntryHash
	}
	return r, nil
}

// checkFile hashes the stored file sum and returns the problem with it
// (without entry), or the zero Problem when it is there and unchanged.
// The error is ctx's alone.
func checkFile(ctx context.Context, sum string, open func(string) (io.ReadCloser, error)) (Problem, error) {
	f, err := open(sum)
	switch {
	case errors.Is(err, fs.ErrNotExist) || errors.Is(err, filestore.ErrNotFound):
		return Problem{Kind: PDFMissing, Detail: fmt.Sprintf("filen %s finns inte i fillagret", sum)}, nil
	case err != nil:
		return Problem{Kind: PDFUnreadable, Detail: fmt.Sprintf("filen %s: %v", sum, err)}, nil
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, ctxReader{ctx, f}); err != nil {
		if ctx.Err() != nil {
			return Problem{}, fmt.Errorf("seal: verify: %w", ctx.Err())
		}
		return Problem{Kind: PDFUnreadable, Detail: fmt.Sprintf("filen %s: %v", sum, err)}, nil
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sum {
		return Problem{Kind: PDFChanged, Detail: fmt.Sprintf("filen %s har nu SHA-256 %s", sum, got)}, nil
	}
	return Problem{}, nil
}

// ctxReader stops a long read when ctx ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
