package main

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"kundportal/internal/config"
	"kundportal/internal/filestore"
	"kundportal/internal/seal"
	"kundportal/internal/secret"
	"kundportal/internal/store"
)

// A backup is one gzip-compressed tar archive of regular files, each mode
// 0600:
//
//	seal/seal-cert.pem, seal/seal-key.pem  the delivery notes' signing key
//	secret/access.key                      the key that seals door codes
//	kundportal.db                          a snapshot of the SQLite database
//	files/ab/cdef…                         every blob the snapshot refers to
//	manifest.json                          last: what the archive holds
//
// The manifest names every other entry with its size and SHA-256, and the
// snapshot's schema and counts. It comes last because the archive is
// written as it is read, nothing held whole in memory; restore therefore
// unpacks into a temporary directory and moves it into place only once
// every entry has been checked against the manifest.

const (
	backupFormat  = "kundportal-backup"
	backupVersion = 1

	dbName       = "kundportal.db"
	manifestName = "manifest.json"
	// maxManifest bounds the manifest restore reads into memory: some
	// 130 bytes an entry, room for millions of files.
	maxManifest = 512 << 20
)

// keyEntries are the key files of a data directory, by their path in the
// data directory and the archive; newOps (serve.go) keeps them there.
var keyEntries = []string{
	"seal/" + seal.CertFile,
	"seal/" + seal.KeyFile,
	"secret/" + secret.KeyFile,
}

const secretKeyEntry = "secret/" + secret.KeyFile

// manifest is manifest.json.
type manifest struct {
	Format  string    `json:"format"`
	Version int       `json:"version"`
	Created time.Time `json:"created"`
	// Schema are the snapshot's schema migrations, by name.
	Schema []string       `json:"schema_migrations"`
	Counts manifestCounts `json:"counts"`
	// LastSealHash is the seal log's newest entry hash, which kundportal
	// verify prints for the restored database.
	LastSealHash string `json:"last_seal_hash,omitempty"`
	// SecretKeyFromEnvironment: the server seals door codes with
	// KUNDPORTAL_SECRET_KEY, which is not in the archive.
	SecretKeyFromEnvironment bool            `json:"secret_key_from_environment,omitempty"`
	Entries                  []manifestEntry `json:"entries"`
}

type manifestCounts struct {
	Customers     int64 `json:"customers"`
	Users         int64 `json:"users"`
	Cases         int64 `json:"cases"`
	Files         int64 `json:"files"`
	DeliveryNotes int64 `json:"delivery_notes"`
	SealEntries   int64 `json:"seal_entries"`
	Blobs         int64 `json:"blobs"`
}

type manifestEntry struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

func countsOf(inv store.Inventory) manifestCounts {
	return manifestCounts{Customers: inv.Customers, Users: inv.Users, Cases: inv.Cases, Files: inv.Files,
		DeliveryNotes: inv.DeliveryNotes, SealEntries: inv.SealEntries}
}

// blobEntry is the archive path of the blob with the sum, as the files
// directory keeps it.
func blobEntry(sum string) string { return "files/" + sum[:2] + "/" + sum[2:] }

var blobPath = regexp.MustCompile(`^files/([0-9a-f]{2})/([0-9a-f]{62})$`)

// backup handles "kundportal backup FILE": a consistent snapshot of the
// SQLite database, taken while the server runs, with the files it refers
// to and the keys, in one archive (FILE "-": standard output). It never
// writes to the database.
func backup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) (err error) {
	start := time.Now()
	target, cfg, err := fileArgument("backup", args, getenv, stderr)
	if err != nil {
		return err
	}
	if cfg.DatabaseURL != "" {
		return errors.New("backup: KUNDPORTAL_DATABASE_URL is set: back up PostgreSQL with pg_dump -Fc, and the files and keys beside it (see the README, Backup and restore)")
	}
	live, err := store.OpenSQLiteReadOnly(ctx, cfg.SQLitePath())
	if err != nil {
		return fmt.Errorf("backup: %w (KUNDPORTAL_DATA_DIR)", err)
	}
	defer func() {
		if live != nil {
			live.Close()
		}
	}()
	// Without the keys, restored notes and door codes are of no use.
	var keys []string
	for _, name := range keyEntries {
		_, err := os.Stat(filepath.Join(cfg.DataDir, filepath.FromSlash(name)))
		switch {
		case err == nil:
			keys = append(keys, name)
		case !errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("backup: %w", err)
		case name == secretKeyEntry && cfg.SecretKey != "":
		default:
			return fmt.Errorf("backup: %s is missing: the backup must hold the keys (kundportal makes them on its first start; KUNDPORTAL_DATA_DIR)",
				filepath.Join(cfg.DataDir, filepath.FromSlash(name)))
		}
	}
	if cfg.SecretKey != "" {
		fmt.Fprintln(stderr, "backup: door codes are sealed with KUNDPORTAL_SECRET_KEY, which is not in the backup: keep it safe beside it")
	}
	files, err := openFiles(ctx, cfg)
	if err != nil {
		return err
	}

	// The snapshot: beside the database, on the same disk and as private.
	tmp, err := os.CreateTemp(cfg.DataDir, ".backup-*.db")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	snapPath := tmp.Name()
	tmp.Close()
	defer os.Remove(snapPath)
	created := time.Now().UTC().Truncate(time.Second)
	err = live.SnapshotSQLite(ctx, snapPath)
	live.Close()
	live = nil
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	snap, err := store.OpenSQLiteReadOnly(ctx, snapPath)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer snap.Close()
	inv, err := snap.Inventory(ctx)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}

	out, finish, err := createArchive(target, stdout)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer func() {
		if ferr := finish(err == nil); err == nil && ferr != nil {
			err = fmt.Errorf("backup: %w", ferr)
		}
	}()
	counted := &countingWriter{w: out}
	a := newArchiveWriter(counted, created)
	m := manifest{Format: backupFormat, Version: backupVersion, Created: created, Schema: inv.Migrations,
		Counts: countsOf(inv), LastSealHash: inv.LastSealHash, SecretKeyFromEnvironment: cfg.SecretKey != ""}
	for _, name := range keys {
		if err := a.addFile(name, filepath.Join(cfg.DataDir, filepath.FromSlash(name))); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
	}
	if err := a.addFile(dbName, snapPath); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	// Blobs are never removed from the store, so each one the snapshot
	// names is there still, whatever was saved since.
	err = snap.Blobs(ctx, func(sum string) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		m.Counts.Blobs++
		return a.addBlob(files, sum)
	})
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	m.Entries = a.entries
	body, err := json.MarshalIndent(m, "", "\t")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := a.add(manifestName, int64(len(body)), bytes.NewReader(body)); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := a.close(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	// The summary goes where the archive does not.
	summary := stdout
	if target == "-" {
		summary = stderr
	}
	fmt.Fprintf(summary, "backup %s: %d entries (database, %d keys, %d files), %s (%s packed), %d cases, %d sealed delivery notes, in %s\n",
		target, len(a.entries), len(keys), m.Counts.Blobs, megabytes(a.bytes), megabytes(counted.n),
		inv.Cases, inv.SealEntries, time.Since(start).Round(time.Millisecond))
	return nil
}

// fileArgument parses a command's arguments: the config flags (-data-dir
// and the others of splitConfigFlags) and one file name.
func fileArgument(cmd string, args []string, getenv func(string) string, stderr io.Writer) (string, config.Config, error) {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgArgs, own := splitConfigFlags(args)
	if err := fs.Parse(own); err != nil {
		return "", config.Config{}, err
	}
	if fs.NArg() != 1 || fs.Arg(0) == "" {
		return "", config.Config{}, fmt.Errorf("usage: kundportal %s [-data-dir DIR] FILE (FILE - for standard %s)",
			cmd, map[string]string{"backup": "output", "restore": "input"}[cmd])
	}
	cfg, err := config.Load(cfgArgs, getenv, stderr)
	return fs.Arg(0), cfg, err
}

// createArchive opens where the archive goes: standard output for "-",
// else name.tmp, private, which finish(true) syncs and renames to name;
// finish(false) removes it.
func createArchive(name string, stdout io.Writer) (io.Writer, func(ok bool) error, error) {
	if name == "-" {
		return stdout, func(bool) error { return nil }, nil
	}
	tmp := name + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, nil, err
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		os.Remove(tmp)
		return nil, nil, err
	}
	finish := func(ok bool) error {
		if !ok {
			f.Close()
			os.Remove(tmp)
			return nil
		}
		err := f.Sync()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Rename(tmp, name)
		}
		if err != nil {
			os.Remove(tmp)
			return err
		}
		return syncDir(filepath.Dir(name))
	}
	return f, finish, nil
}

// archiveWriter writes the entries of a backup and remembers each one's
// size and SHA-256 for the manifest.
type archiveWriter struct {
	buf     *bufio.Writer
	gz      *gzip.Writer
	tw      *tar.Writer
	modTime time.Time
	entries []manifestEntry
	bytes   int64 // the entries' sizes, unpacked
}

func newArchiveWriter(w io.Writer, modTime time.Time) *archiveWriter {
	buf := bufio.NewWriterSize(w, 1<<20)
	// The files are mostly JPEGs and PDFs, compressed already: the
	// fastest level packs the database as well and costs least.
	gz, _ := gzip.NewWriterLevel(buf, gzip.BestSpeed)
	return &archiveWriter{buf: buf, gz: gz, tw: tar.NewWriter(gz), modTime: modTime}
}

// add writes the entry name of size bytes from r, hashing them as they go.
func (a *archiveWriter) add(name string, size int64, r io.Reader) error {
	hdr := &tar.Header{Typeflag: tar.TypeReg, Name: name, Size: size, Mode: 0o600, ModTime: a.modTime}
	if err := a.tw.WriteHeader(hdr); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	h := sha256.New()
	n, err := io.CopyN(io.MultiWriter(a.tw, h), r, size)
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("%s: %d bytes, not %d: it changed while it was read", name, n, size)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	a.entries = append(a.entries, manifestEntry{Path: name, Size: size, SHA256: hex.EncodeToString(h.Sum(nil))})
	a.bytes += size
	return nil
}

// addFile writes the file at path as the entry name.
func (a *archiveWriter) addFile(name, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is not a file", path)
	}
	return a.add(name, fi.Size(), f)
}

// addBlob writes the blob with the sum, read through the file store; one
// that is missing or whose bytes hash otherwise is an error naming it.
func (a *archiveWriter) addBlob(files filestore.Store, sum string) error {
	r, err := files.Open(sum)
	if errors.Is(err, filestore.ErrNotFound) {
		return fmt.Errorf("file %s, which the database refers to, is missing from the file store", sum)
	}
	if err != nil {
		return fmt.Errorf("file %s: %w", sum, err)
	}
	defer r.Close()
	size, err := r.Seek(0, io.SeekEnd)
	if err == nil {
		_, err = r.Seek(0, io.SeekStart)
	}
	if err != nil {
		return fmt.Errorf("file %s: %w", sum, err)
	}
	if err := a.add(blobEntry(sum), size, r); err != nil {
		return err
	}
	if got := a.entries[len(a.entries)-1].SHA256; got != sum {
		return fmt.Errorf("file %s in the file store is damaged: its bytes hash to %s", sum, got)
	}
	return nil
}

func (a *archiveWriter) close() error {
	if err := a.tw.Close(); err != nil {
		return err
	}
	if err := a.gz.Close(); err != nil {
		return err
	}
	return a.buf.Flush()
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func megabytes(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }

// syncDir makes a rename or a new file in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// errRefused marks what makes restore refuse an archive.
type errRefused struct{ msg string }

func (e errRefused) Error() string { return e.msg }

func refuse(format string, args ...any) error { return errRefused{fmt.Sprintf(format, args...)} }

// restore handles "kundportal restore FILE": it unpacks a backup into an
// empty or new data directory, checking every entry against the manifest,
// every file against its name, the database's integrity and that it
// matches the manifest; anything amiss refuses the whole archive and
// leaves the data directory as it was.
func restore(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) (err error) {
	start := time.Now()
	source, cfg, err := fileArgument("restore", args, getenv, stderr)
	if err != nil {
		return err
	}
	if cfg.DatabaseURL != "" {
		return errors.New("restore: KUNDPORTAL_DATABASE_URL is set: this restores a SQLite data directory; restore PostgreSQL with pg_restore (see the README, Backup and restore)")
	}
	// With a bucket, the files go into it and the rest into the data
	// directory; the bucket is checked before anything is unpacked.
	// Its uploads are spooled outside the data directory, which must be
	// empty.
	var bucket filestore.Store
	if cfg.S3URL != "" {
		spool, err := os.MkdirTemp("", "kundportal-restore-")
		if err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		defer os.RemoveAll(spool)
		if bucket, err = filestore.NewS3(ctx, cfg.S3, spool); err != nil {
			return fmt.Errorf("restore: KUNDPORTAL_S3_URL: %w", err)
		}
	}
	in := stdin
	if source != "-" {
		f, err := os.Open(source)
		if err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		defer f.Close()
		in = f
	}
	dest, err := newRestoreDir(cfg.DataDir)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer func() {
		if err != nil {
			dest.discard()
		}
	}()
	m, got, err := unpack(ctx, in, dest.tmp)
	if err == nil {
		err = checkRestored(ctx, dest.tmp, m, got)
	}
	var refused errRefused
	if errors.As(err, &refused) {
		return fmt.Errorf("restore: %s refused, %s left as it was: %w", source, cfg.DataDir, err)
	}
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if bucket != nil {
		if err := uploadBlobs(ctx, bucket, dest.tmp, got); err != nil {
			return fmt.Errorf("restore: %s left as it was: %w", cfg.DataDir, err)
		}
	}
	if err := dest.commit(); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	var size int64
	for _, e := range got {
		size += e.Size
	}
	fmt.Fprintf(stdout, "restored %s (backup of %s) into %s: %d cases, %d files, %d sealed delivery notes, %s, integrity ok, in %s; run kundportal verify once the server is up\n",
		source, m.Created.Format(time.RFC3339), cfg.DataDir, m.Counts.Cases, m.Counts.Blobs, m.Counts.SealEntries,
		megabytes(size), time.Since(start).Round(time.Millisecond))
	return nil
}

// restoreDir is the temporary directory a restore unpacks into and the
// data directory it then becomes.
type restoreDir struct {
	target string
	tmp    string
	// inside: the target exists (empty; it may be a mount point) and tmp
	// is in it, its entries moved up one by one; otherwise tmp is beside
	// the target and renamed to it.
	inside bool
}

// newRestoreDir makes the temporary directory for restoring into target,
// which must be an empty directory (but for lost+found) or not exist.
func newRestoreDir(target string) (*restoreDir, error) {
	target = filepath.Clean(target)
	fi, err := os.Stat(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		parent := filepath.Dir(target)
		if pi, err := os.Stat(parent); err != nil || !pi.IsDir() {
			return nil, fmt.Errorf("%s: no directory %s to make it in", target, parent)
		}
		tmp, err := os.MkdirTemp(parent, "."+filepath.Base(target)+".restore-*")
		if err != nil {
			return nil, err
		}
		return &restoreDir{target: target, tmp: tmp}, nil
	case err != nil:
		return nil, err
	case !fi.IsDir():
		return nil, fmt.Errorf("%s is not a directory", target)
	}
	entries, err := os.ReadDir(target)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if e.Name() != "lost+found" {
			return nil, fmt.Errorf("%s is not empty (it holds %s): restore only into an empty or new data directory", target, e.Name())
		}
	}
	tmp, err := os.MkdirTemp(target, ".restore-*")
	if err != nil {
		return nil, err
	}
	return &restoreDir{target: target, tmp: tmp, inside: true}, nil
}

// discard removes what the restore unpacked.
func (d *restoreDir) discard() { os.RemoveAll(d.tmp) }

// commit puts the unpacked data directory in place: the database last, so
// that a data directory with it is complete.
func (d *restoreDir) commit() error {
	if !d.inside {
		if err := os.Rename(d.tmp, d.target); err != nil {
			return err
		}
		return syncDir(filepath.Dir(d.target))
	}
	entries, err := os.ReadDir(d.tmp)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if e.Name() != dbName {
			names = append(names, e.Name())
		}
	}
	for _, name := range append(names, dbName) {
		if err := os.Rename(filepath.Join(d.tmp, name), filepath.Join(d.target, name)); err != nil {
			return err
		}
	}
	if err := os.Remove(d.tmp); err != nil {
		return err
	}
	return syncDir(d.target)
}

// unpack reads the archive from r into dir, checking each entry's path
// and, for a file of the store, that its bytes hash to its name, and
// returns the manifest and what was written, by path.
func unpack(ctx context.Context, r io.Reader, dir string) (manifest, map[string]manifestEntry, error) {
	var m manifest
	br := bufio.NewReaderSize(r, 1<<20)
	var body io.Reader = br
	if magic, err := br.Peek(2); err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return m, nil, refuse("the archive is damaged: %v", err)
		}
		body = gz
	}
	tr := tar.NewReader(body)
	got := map[string]manifestEntry{}
	var manifestBody []byte
	dirs := map[string]bool{}
	for {
		if err := ctx.Err(); err != nil {
			return m, nil, err
		}
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return m, nil, refuse("the archive is damaged: %v", err)
		}
		name := hdr.Name
		if hdr.Typeflag != tar.TypeReg {
			return m, nil, refuse("the archive holds %q, which is not a file: not a Kundportal backup", name)
		}
		if err := checkEntryPath(name); err != nil {
			return m, nil, err
		}
		if _, dup := got[name]; dup || name == manifestName && manifestBody != nil {
			return m, nil, refuse("the archive holds %s twice", name)
		}
		if name == manifestName {
			if manifestBody, err = io.ReadAll(io.LimitReader(tr, maxManifest)); err != nil {
				return m, nil, refuse("the archive is damaged: %s: %v", name, err)
			}
			continue
		}
		e, err := writeEntry(dir, name, tr, dirs)
		if err != nil {
			return m, nil, err
		}
		e.Path = name
		if e.Size != hdr.Size {
			return m, nil, refuse("the archive is damaged: %s has %d bytes, its header says %d", name, e.Size, hdr.Size)
		}
		if s := blobPath.FindStringSubmatch(name); s != nil && s[1]+s[2] != e.SHA256 {
			return m, nil, refuse("the archive is damaged: file %s holds bytes that hash to %s", s[1]+s[2], e.SHA256)
		}
		got[name] = e
	}
	// To the end: gzip checks its CRC there, and nothing may follow.
	if _, err := io.Copy(zeroOnly{}, body); err != nil {
		return m, nil, refuse("the archive is damaged after its last entry: %v", err)
	}
	if manifestBody == nil {
		return m, nil, refuse("the archive has no %s: it is incomplete or not a Kundportal backup", manifestName)
	}
	if err := json.Unmarshal(manifestBody, &m); err != nil {
		return m, nil, refuse("the archive's %s is damaged: %v", manifestName, err)
	}
	for d := range dirs {
		if err := syncDir(d); err != nil {
			return m, nil, err
		}
	}
	return m, got, nil
}

// zeroOnly takes the zero bytes that may pad an archive, and refuses
// anything else.
type zeroOnly struct{}

func (zeroOnly) Write(p []byte) (int, error) {
	for i, b := range p {
		if b != 0 {
			return i, errors.New("data after the end of the archive")
		}
	}
	return len(p), nil
}

// uploadBlobs puts the restored blobs of dir, all checked already, into
// the bucket, each under its own name (a bucket that has one keeps it),
// and removes them from dir, whose files/ is not used with a bucket. A
// failure part-way leaves some in the bucket, which is harmless: a blob
// is only ever the bytes its name says.
func uploadBlobs(ctx context.Context, bucket filestore.Store, dir string, got map[string]manifestEntry) error {
	for name := range got {
		if !strings.HasPrefix(name, "files/") {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		f, err := os.Open(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			return err
		}
		sum, _, err := bucket.Put(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("into the bucket: %w", err)
		}
		if want := strings.ReplaceAll(strings.TrimPrefix(name, "files/"), "/", ""); sum != want {
			return fmt.Errorf("into the bucket: %s went in as %s", name, sum)
		}
	}
	return os.RemoveAll(filepath.Join(dir, "files"))
}

// checkEntryPath refuses a path that a backup does not hold: anything but
// the database, the manifest, the key files and files/ab/cdef….
func checkEntryPath(name string) error {
	if !fs.ValidPath(name) || strings.ContainsAny(name, `\`) || path.IsAbs(name) {
		return refuse("the archive holds the unsafe path %q", name)
	}
	if name == dbName || name == manifestName || slices.Contains(keyEntries, name) || blobPath.MatchString(name) {
		return nil
	}
	return refuse("the archive holds %q, which a Kundportal backup does not", name)
}

// writeEntry writes r to a new file for the entry name in root, private
// and synced, making its directories (noted in dirs, to sync), and returns
// its size and SHA-256.
func writeEntry(root, name string, r io.Reader, dirs map[string]bool) (manifestEntry, error) {
	p := filepath.Join(root, filepath.FromSlash(name))
	dir := filepath.Dir(p)
	if !dirs[dir] {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return manifestEntry{}, err
		}
		dirs[dir] = true
		dirs[filepath.Dir(dir)] = true
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return manifestEntry{}, err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), r)
	if err != nil {
		f.Close()
		return manifestEntry{}, refuse("the archive is damaged: %s: %v", name, err)
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return manifestEntry{}, err
	}
	return manifestEntry{Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// checkRestored compares what was unpacked into dir with the manifest,
// and checks the database and the keys.
func checkRestored(ctx context.Context, dir string, m manifest, got map[string]manifestEntry) error {
	if m.Format != backupFormat {
		return refuse("not a Kundportal backup (its manifest's format is %q)", m.Format)
	}
	if m.Version != backupVersion {
		return refuse("the backup has format version %d; this kundportal restores version %d", m.Version, backupVersion)
	}
	listed := map[string]bool{}
	for _, e := range m.Entries {
		if err := checkEntryPath(e.Path); err != nil || e.Path == manifestName {
			return refuse("the manifest names %q, which a Kundportal backup does not hold", e.Path)
		}
		if listed[e.Path] {
			return refuse("the manifest names %s twice", e.Path)
		}
		listed[e.Path] = true
		g, ok := got[e.Path]
		switch {
		case !ok:
			return refuse("the archive is incomplete: %s is missing", e.Path)
		case g.Size != e.Size:
			return refuse("the archive is damaged: %s has %d bytes, the manifest says %d", e.Path, g.Size, e.Size)
		case g.SHA256 != e.SHA256:
			return refuse("the archive is damaged: %s has SHA-256 %s, the manifest says %s", e.Path, g.SHA256, e.SHA256)
		}
	}
	var blobs int64
	for p := range got {
		if !listed[p] {
			return refuse("the archive holds %s, which its manifest does not name", p)
		}
		if blobPath.MatchString(p) {
			blobs++
		}
	}
	required := []string{dbName, "seal/" + seal.KeyFile, "seal/" + seal.CertFile}
	if !m.SecretKeyFromEnvironment {
		required = append(required, secretKeyEntry)
	}
	for _, p := range required {
		if !listed[p] {
			return refuse("the archive has no %s", p)
		}
	}
	if blobs != m.Counts.Blobs {
		return refuse("the archive holds %d files, its manifest counts %d", blobs, m.Counts.Blobs)
	}

	db, err := store.OpenSQLiteReadOnly(ctx, filepath.Join(dir, dbName))
	if err != nil {
		return refuse("the database cannot be read: %v", err)
	}
	defer db.Close()
	problems, err := db.CheckIntegrity(ctx)
	if err != nil {
		return refuse("the database cannot be checked: %v", err)
	}
	if len(problems) > 0 {
		return refuse("the database is damaged: %s", strings.Join(problems, "; "))
	}
	inv, err := db.Inventory(ctx)
	if err != nil {
		return refuse("the database cannot be read: %v", err)
	}
	if c := countsOf(inv); c.Customers != m.Counts.Customers || c.Users != m.Counts.Users || c.Cases != m.Counts.Cases ||
		c.Files != m.Counts.Files || c.DeliveryNotes != m.Counts.DeliveryNotes || c.SealEntries != m.Counts.SealEntries ||
		inv.LastSealHash != m.LastSealHash || !slices.Equal(inv.Migrations, m.Schema) {
		return refuse("the database does not match the manifest")
	}
	known, err := store.KnownMigrations("sqlite")
	if err != nil {
		return err
	}
	for _, name := range inv.Migrations {
		if !slices.Contains(known, name) {
			return refuse("the backup is from a newer Kundportal (schema migration %s): restore it with that version", name)
		}
	}
	err = db.Blobs(ctx, func(sum string) error {
		if _, ok := got[blobEntry(sum)]; !ok {
			return refuse("the archive is incomplete: the database refers to file %s, which it does not hold", sum)
		}
		return nil
	})
	if err != nil {
		return err
	}
	// The keys must be usable: a certificate that is not the key's, or a
	// key of the wrong length, is refused here rather than at the start.
	if _, err := seal.LoadOrCreate(filepath.Join(dir, "seal")); err != nil {
		return refuse("the signing key cannot be used: %v", err)
	}
	if listed[secretKeyEntry] {
		if _, err := secret.LoadOrCreate(filepath.Join(dir, "secret")); err != nil {
			return refuse("the door-code key cannot be used: %v", err)
		}
	}
	return nil
}
