// Package filestore keeps the bytes of uploaded files, addressed by their
// SHA-256, outside the database. Metadata and access checks live in the
// store; this package only stores and returns bytes.
package filestore

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
)

// Store is blob storage. Disk is the default; an S3-compatible store can
// stand in for scale-out.
type Store interface {
	// Put stores r and returns its SHA-256 (hex) and size.
	Put(r io.Reader) (sum string, size int64, err error)
	// Open returns the blob with the SHA-256 sum.
	Open(sum string) (io.ReadSeekCloser, error)
}

// ErrNotFound means no blob has that sum.
var ErrNotFound = errors.New("filestore: not found")

var validSum = regexp.MustCompile(`^[0-9a-f]{64}$`)

// Disk stores blobs in a directory tree, ab/cdef..., written to a temporary
// file, synced and renamed, so a crash never leaves a partial blob under a
// real name.
type Disk struct{ dir string }

// NewDisk returns a Disk rooted at dir, creating it if needed.
func NewDisk(dir string) (*Disk, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("filestore: %w", err)
	}
	return &Disk{dir: dir}, nil
}

func (d *Disk) path(sum string) string { return filepath.Join(d.dir, sum[:2], sum[2:]) }

// Put implements Store.
func (d *Disk) Put(r io.Reader) (string, int64, error) {
	tmp, err := os.CreateTemp(d.dir, "upload-*")
	if err != nil {
		return "", 0, fmt.Errorf("filestore: put: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), r)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", 0, fmt.Errorf("filestore: put: %w", err)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	dst := d.path(sum)
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return "", 0, fmt.Errorf("filestore: put: %w", err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return "", 0, fmt.Errorf("filestore: put: %w", err)
	}
	return sum, n, nil
}

// Open implements Store.
func (d *Disk) Open(sum string) (io.ReadSeekCloser, error) {
	if !validSum.MatchString(sum) {
		return nil, ErrNotFound
	}
	f, err := os.Open(d.path(sum))
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("filestore: open: %w", err)
	}
	return f, nil
}
