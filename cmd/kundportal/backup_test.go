package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"kundportal/internal/config"
	"kundportal/internal/demo"
	"kundportal/internal/filestore"
	"kundportal/internal/orders"
	"kundportal/internal/repair"
	"kundportal/internal/s3test"
	"kundportal/internal/seal"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
	"kundportal/internal/sv"
)

// dataDir is a data directory as the server leaves it: a database, a
// file store and the keys (made by newOps, as at the server's start).
type dataDir struct {
	dir    string
	cfg    config.Config
	db     *store.DB
	files  filestore.Store
	ops    *orders.Ops
	signer *seal.Signer
}

func newDataDir(t *testing.T, withDemo bool) *dataDir {
	t.Helper()
	ctx := context.Background()
	d := &dataDir{dir: filepath.Join(t.TempDir(), "data")}
	var err error
	if d.cfg, err = config.Load(nil, env(d.dir), io.Discard); err != nil {
		t.Fatal(err)
	}
	if d.db, d.files, err = openStore(ctx, d.cfg); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.db.Close() })
	if withDemo {
		if err := demo.Load(ctx, d.db, d.files, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	if d.ops, err = newOps(ctx, d.cfg, d.db, d.files); err != nil {
		t.Fatal(err)
	}
	if d.signer, err = seal.LoadOrCreate(filepath.Join(d.dir, "seal")); err != nil {
		t.Fatal(err)
	}
	return d
}

// photoPNG is a small picture, different for each n.
func photoPNG(n int) []byte {
	m := image.NewRGBA(image.Rect(0, 0, 48, 32))
	for i := range 48 * 32 {
		m.Set(i%48, i/48, color.RGBA{uint8(n), uint8(n >> 8), uint8(i), 255})
	}
	var b bytes.Buffer
	png.Encode(&b, m)
	return b.Bytes()
}

// fileCase files a case as the customer user u, with a photo and a door
// code, as the portal's Nytt ärende does.
func (d *dataDir) fileCase(ctx context.Context, u repair.User, n int) (int64, error) {
	return d.ops.FileCase(ctx, u, orders.CaseInput{Token: fmt.Sprintf("backup-%d", n),
		CaseInput: repair.CaseInput{Title: fmt.Sprintf("Diskmaskinen tömmer inte %d", n), Description: "Vatten står kvar.",
			Street: "Storgatan 1", ReporterName: "Anna Lindqvist", ReporterPhone: "070-123 45 67", PostalCode: "54130",
			City: "Skövde", Access: repair.AccessDoorCode, DoorCode: "1234"},
		Photos: []orders.Photo{{Name: "fel.png", Body: bytes.NewReader(photoPNG(n))}}})
}

// sealNote files a case with a work order for the customer and gives it
// a signed, sealed delivery note, as the technician's phone does; safe to
// run beside other saves, but not beside another sealNote.
func (d *dataDir) sealNote(ctx context.Context, customerID int64, at time.Time) error {
	c := repair.Case{CustomerID: customerID, Type: repair.PortalCaseType, Title: "Torktumlaren blir inte varm",
		Description: "Följesedel under backup", Street: "Storgatan 1", PostalCode: "541 30", City: "Skövde",
		ReporterName: "Test Testsson", ReporterPhone: "+46701234567"}
	var w repair.WorkOrder
	err := d.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.CreateCase(ctx, &c); err != nil {
			return err
		}
		w = repair.WorkOrder{CaseID: c.ID}
		return tx.CreateWorkOrder(ctx, &w)
	})
	if err != nil {
		return err
	}
	_, err = writeSealedNote(ctx, d.db, d.files, d.signer, c, w, at)
	return err
}

// rows are a database's cases, files, delivery notes and seal-log
// entries, each by table and id, with the columns that matter.
type rows map[string]string

func readRows(t *testing.T, path string) rows {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	// One read transaction: one state of the database.
	tx, err := raw.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	out := rows{}
	for table, q := range map[string]string{
		"cases":          `SELECT id, number || '|' || title || '|' || coalesce(access_sealed, '') FROM cases`,
		"files":          `SELECT id, case_id || '|' || kind || '|' || size || '|' || sha256 || '|' || thumb_sha256 FROM files`,
		"delivery_notes": `SELECT id, work_order_id || '|' || file_id || '|' || snapshot_sha256 || '|' || signer_name FROM delivery_notes`,
		"seal_log":       `SELECT id, delivery_note_id || '|' || file_sha256 || '|' || entry_hash FROM seal_log`,
	} {
		r, err := tx.Query(q)
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		for r.Next() {
			var id int64
			var v string
			if err := r.Scan(&id, &v); err != nil {
				t.Fatal(err)
			}
			out[fmt.Sprintf("%s %d", table, id)] = v
		}
		if err := r.Err(); err != nil {
			t.Fatal(err)
		}
		r.Close()
	}
	return out
}

func (r rows) count(table string) int {
	n := 0
	for k := range r {
		if strings.HasPrefix(k, table+" ") {
			n++
		}
	}
	return n
}

// readManifest is the manifest of the archive at path.
func readManifest(t *testing.T, path string) manifest {
	t.Helper()
	var m manifest
	for _, e := range readArchive(t, path) {
		if e.hdr.Name == manifestName {
			if err := json.Unmarshal(e.body, &m); err != nil {
				t.Fatal(err)
			}
			return m
		}
	}
	t.Fatalf("%s has no manifest", path)
	return m
}

func sha256Of(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func sha256File(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256Of(b)
}

// TestBackupRestoreDrill is the drill: a data directory with the demo's
// data and signed delivery notes, backed up while cases with photos and
// sealed notes are saved, restored elsewhere; every case, file and note
// saved before the backup began is there, nothing half-saved is, every
// file hashes to its name and to the manifest, the keys are the same,
// verify passes and the door codes open with the restored key.
func TestBackupRestoreDrill(t *testing.T) {
	ctx := context.Background()
	d := newDataDir(t, true)
	var customerUser, dispatcher repair.User
	for _, l := range demo.Logins() {
		u, err := d.db.UserByEmail(ctx, l.Email)
		if err != nil {
			t.Fatal(err)
		}
		if u.Role == repair.RoleCustomerUser && customerUser.ID == 0 {
			customerUser = u
		}
		if u.Role == repair.RoleDispatcher && dispatcher.ID == 0 {
			dispatcher = u
		}
	}
	noteCustomer := storetest.Customer(t, d.db, "Solgårdens Bostäder AB (backup)")
	at := time.Date(2026, time.March, 12, 14, 5, 0, 0, sv.Stockholm)
	for i := range 3 {
		if err := d.sealNote(ctx, noteCustomer.ID, at.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}

	// Saves go on while the backup runs: cases with a photo each, and
	// sealed delivery notes.
	var filed, sealed atomic.Int64
	stop := make(chan struct{})
	errc := make(chan error, 2)
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := d.fileCase(ctx, customerUser, i); err != nil {
				errc <- fmt.Errorf("file case: %w", err)
				return
			}
			filed.Add(1)
		}
	})
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if err := d.sealNote(ctx, noteCustomer.ID, at.Add(time.Hour+time.Duration(i)*time.Minute)); err != nil {
				errc <- fmt.Errorf("seal note: %w", err)
				return
			}
			sealed.Add(1)
		}
	})
	stopWriters := func() {
		t.Helper()
		select {
		case <-stop:
		default:
			close(stop)
		}
		wg.Wait()
		select {
		case err := <-errc:
			t.Fatal(err)
		default:
		}
	}
	defer stopWriters()
	for filed.Load() < 3 || sealed.Load() < 2 {
		select {
		case err := <-errc:
			t.Fatal(err)
		case <-time.After(5 * time.Millisecond):
		}
	}

	before := readRows(t, d.cfg.SQLitePath())
	archive := filepath.Join(t.TempDir(), "kundportal-backup.tar.gz")
	filedAtStart, sealedAtStart := filed.Load(), sealed.Load()
	var out, errOut bytes.Buffer
	start := time.Now()
	err := run(ctx, []string{"backup", "-data-dir", d.dir, archive}, env(""), strings.NewReader(""), &out, &errOut)
	took := time.Since(start)
	filedDuring, sealedDuring := filed.Load()-filedAtStart, sealed.Load()-sealedAtStart
	stopWriters()
	if err != nil {
		t.Fatalf("backup: %v\n%s", err, errOut.String())
	}
	after := readRows(t, d.cfg.SQLitePath())
	t.Logf("backup in %v while %d cases and %d notes were saved: %s", took.Round(time.Millisecond), filedDuring, sealedDuring, out.String())
	if filedDuring+sealedDuring == 0 {
		t.Error("nothing was saved while the backup ran: the drill tests nothing")
	}
	if !strings.HasPrefix(out.String(), "backup "+archive+": ") || strings.Count(out.String(), "\n") != 1 {
		t.Errorf("backup printed %q, want one summary line", out.String())
	}
	if fi, err := os.Stat(archive); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("archive: %v, mode %v; want 0600", err, fi.Mode().Perm())
	}
	if _, err := os.Stat(archive + ".tmp"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the temporary archive is left: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(d.dir, ".backup-*")); len(left) > 0 {
		t.Errorf("the snapshot is left in the data directory: %v", left)
	}

	restored := filepath.Join(t.TempDir(), "restored")
	out.Reset()
	if err := run(ctx, []string{"restore", "-data-dir", restored, archive}, env(""), strings.NewReader(""), &out, &errOut); err != nil {
		t.Fatalf("restore: %v\n%s", err, errOut.String())
	}
	if !strings.HasPrefix(out.String(), "restored "+archive) || !strings.Contains(out.String(), "integrity ok") {
		t.Errorf("restore printed %q", out.String())
	}

	// The data directory holds what a server needs, private, and the
	// manifest's checksums are the restored files'.
	m := readManifest(t, archive)
	if m.Format != backupFormat || m.Version != backupVersion || m.Counts.Blobs == 0 {
		t.Errorf("manifest = %+v", m)
	}
	top, err := os.ReadDir(restored)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range top {
		names = append(names, e.Name())
	}
	if want := []string{"files", "kundportal.db", "seal", "secret"}; !slices.Equal(names, want) {
		t.Errorf("restored data directory holds %v, want %v", names, want)
	}
	entries := 0
	err = filepath.WalkDir(restored, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := e.Info()
		if err != nil {
			return err
		}
		want := fs.FileMode(0o600)
		if e.IsDir() {
			want = 0o700
		} else {
			entries++
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s has mode %v, want %v", p, fi.Mode().Perm(), want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if entries != len(m.Entries) {
		t.Errorf("restored %d files, the manifest names %d", entries, len(m.Entries))
	}
	for _, e := range m.Entries {
		if got := sha256File(t, filepath.Join(restored, filepath.FromSlash(e.Path))); got != e.SHA256 {
			t.Errorf("restored %s has SHA-256 %s, the manifest says %s", e.Path, got, e.SHA256)
		}
	}
	for _, k := range keyEntries {
		orig, err := os.ReadFile(filepath.Join(d.dir, filepath.FromSlash(k)))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := os.ReadFile(filepath.Join(restored, filepath.FromSlash(k))); err != nil || !bytes.Equal(got, orig) {
			t.Errorf("restored %s differs from the original (%v)", k, err)
		}
	}

	// Every row saved before the backup began is there as it was; every
	// restored row is one that was saved, as it was.
	got := readRows(t, filepath.Join(restored, "kundportal.db"))
	for k, v := range before {
		if got[k] != v {
			t.Errorf("%s: restored %q, before the backup %q", k, got[k], v)
		}
	}
	for k, v := range got {
		if after[k] != v {
			t.Errorf("%s: restored %q, saved %q", k, v, after[k])
		}
	}
	if got.count("cases") < before.count("cases") || got.count("seal_log") < before.count("seal_log") {
		t.Errorf("restored %d cases and %d seal entries, fewer than the %d and %d before the backup",
			got.count("cases"), got.count("seal_log"), before.count("cases"), before.count("seal_log"))
	}
	if int64(got.count("cases")) != m.Counts.Cases || int64(got.count("files")) != m.Counts.Files || int64(got.count("seal_log")) != m.Counts.SealEntries {
		t.Errorf("restored %d cases, %d files, %d seal entries; the manifest counts %+v", got.count("cases"), got.count("files"), got.count("seal_log"), m.Counts)
	}
	// Each file row's bytes and thumbnail are there, hashing to the sums.
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(restored, "kundportal.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	r, err := raw.Query(`SELECT sha256, thumb_sha256, size FROM files`)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for r.Next() {
		var sum, thumb string
		var size int64
		if err := r.Scan(&sum, &thumb, &size); err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{sum, thumb} {
			if s == "" {
				continue
			}
			b, err := os.ReadFile(filepath.Join(restored, "files", s[:2], s[2:]))
			if err != nil || sha256Of(b) != s {
				t.Errorf("restored file %s: %v, or its bytes hash otherwise", s, err)
			}
			if s == sum && int64(len(b)) != size {
				t.Errorf("restored file %s has %d bytes, its row says %d", s, len(b), size)
			}
			checked++
		}
	}
	r.Close()
	raw.Close()
	if checked < 10 {
		t.Errorf("only %d files checked", checked)
	}
	snap, err := store.OpenSQLiteReadOnly(ctx, filepath.Join(restored, "kundportal.db"))
	if err != nil {
		t.Fatal(err)
	}
	if problems, err := snap.CheckIntegrity(ctx); err != nil || len(problems) > 0 {
		t.Errorf("restored database: %v, %v", problems, err)
	}
	snap.Close()

	// The seal chain and every note's PDF check out, ending where the
	// manifest says; the door codes open with the restored key.
	out.Reset()
	if err := run(ctx, []string{"verify", "-data-dir", restored}, env(""), strings.NewReader(""), &out, &errOut); err != nil {
		t.Fatalf("verify of the restored data directory: %v\n%s", err, out.String())
	}
	if want := fmt.Sprintf("OK: %d följesedlar, kedjan hel\nsenaste posthash: %s\n", m.Counts.SealEntries, m.LastSealHash); out.String() != want {
		t.Errorf("verify printed %q, want %q", out.String(), want)
	}
	rcfg, err := config.Load(nil, env(restored), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	rdb, rfiles, err := openStore(ctx, rcfg)
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	rops, err := newOps(ctx, rcfg, rdb, rfiles)
	if err != nil {
		t.Fatal(err)
	}
	var doorCase int64
	if err := rdb.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	raw, err = sql.Open("sqlite", "file:"+filepath.Join(restored, "kundportal.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if err := raw.QueryRow(`SELECT min(id) FROM cases WHERE title LIKE 'Diskmaskinen tömmer inte %'`).Scan(&doorCase); err != nil {
		t.Fatal(err)
	}
	if code, err := rops.RevealAccess(ctx, dispatcher, doorCase); err != nil || !strings.Contains(code, "1234") {
		t.Errorf("door code of restored case %d = %q, %v; want it opened with the restored key", doorCase, code, err)
	}
}

// entry is one entry of an archive, read whole.
type entry struct {
	hdr  tar.Header
	body []byte
}

func readArchive(t *testing.T, path string) []entry {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var out []entry
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, entry{*hdr, body})
	}
}

func writeArchive(t *testing.T, path string, entries []entry, compress bool) {
	t.Helper()
	var buf bytes.Buffer
	var w io.Writer = &buf
	gz := gzip.NewWriter(&buf)
	if compress {
		w = gz
	}
	tw := tar.NewWriter(w)
	for _, e := range entries {
		hdr := e.hdr
		hdr.Size = int64(len(e.body))
		if hdr.Typeflag != tar.TypeReg {
			hdr.Size = 0
		}
		if err := tw.WriteHeader(&hdr); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(e.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if compress {
		gz.Close()
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// smallBackup is a data directory with a few cases with photos and sealed
// notes, and its backup.
func smallBackup(t *testing.T) (*dataDir, string) {
	t.Helper()
	ctx := context.Background()
	d := newDataDir(t, false)
	cust := storetest.Customer(t, d.db, "Solgårdens Bostäder AB")
	u := storetest.User(t, d.db, cust.ID, repair.RoleCustomerUser, "anna@solgarden.example", "x")
	for i := range 3 {
		if _, err := d.fileCase(ctx, u, i); err != nil {
			t.Fatal(err)
		}
		if err := d.sealNote(ctx, cust.ID, time.Date(2026, 3, 12, 10, i, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
	}
	archive := filepath.Join(t.TempDir(), "backup.tar.gz")
	var out, errOut bytes.Buffer
	if err := run(ctx, []string{"backup", "-data-dir", d.dir, archive}, env(""), strings.NewReader(""), &out, &errOut); err != nil {
		t.Fatalf("backup: %v\n%s", err, errOut.String())
	}
	return d, archive
}

// restoreInto runs restore of archive into dir and returns its error.
func restoreInto(dir, archive string) error {
	var out bytes.Buffer
	return run(context.Background(), []string{"restore", "-data-dir", dir, archive}, env(""), strings.NewReader(""), &out, &out)
}

// TestRestoreRefusesDamagedArchive: a damaged, incomplete, padded or
// unsafe archive is refused, and the data directory is left as it was,
// empty or not there; the undamaged archive, also unpacked, restores.
func TestRestoreRefusesDamagedArchive(t *testing.T) {
	_, archive := smallBackup(t)
	orig := readArchive(t, archive)
	find := func(pred func(entry) bool) int {
		for i, e := range orig {
			if pred(e) {
				return i
			}
		}
		t.Fatal("no such entry")
		return -1
	}
	blob := find(func(e entry) bool { return strings.HasPrefix(e.hdr.Name, "files/") })
	db := find(func(e entry) bool { return e.hdr.Name == dbName })
	man := find(func(e entry) bool { return e.hdr.Name == manifestName })
	if man != len(orig)-1 {
		t.Errorf("the manifest is entry %d of %d, want the last", man, len(orig))
	}
	edit := func(fn func([]entry) []entry) func(t *testing.T, path string) {
		return func(t *testing.T, path string) {
			es := make([]entry, len(orig))
			for i, e := range orig {
				es[i] = entry{e.hdr, bytes.Clone(e.body)}
			}
			writeArchive(t, path, fn(es), true)
		}
	}
	raw, err := os.ReadFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	bytesOf := func(b []byte) func(t *testing.T, path string) {
		return func(t *testing.T, path string) {
			if err := os.WriteFile(path, b, 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	flipped := bytes.Clone(raw)
	flipped[len(flipped)/2] ^= 0x01
	newBlob := []byte("en fil som ingen backup har")
	newName := "files/" + sha256Of(newBlob)[:2] + "/" + sha256Of(newBlob)[2:]

	for _, tc := range []struct {
		name string
		make func(t *testing.T, path string)
		want string
	}{
		{"a byte of a file changed", edit(func(es []entry) []entry {
			es[blob].body[len(es[blob].body)/2] ^= 0x01
			return es
		}), "holds bytes that hash to"},
		{"a byte of the database changed", edit(func(es []entry) []entry {
			es[db].body[len(es[db].body)-100] ^= 0x01
			return es
		}), "kundportal.db has SHA-256"},
		// Wherever the byte is, something sees it: the inflater, a hash, the
		// CRC, or a header that no longer makes sense.
		{"a byte of the compressed archive changed", bytesOf(flipped), "refused"},
		{"truncated", bytesOf(raw[:len(raw)/2]), "damaged"},
		{"truncated before its gzip trailer", bytesOf(raw[:len(raw)-4]), "damaged"},
		{"garbage after the end", bytesOf(append(bytes.Clone(raw), "mer"...)), "damaged"},
		{"no manifest", edit(func(es []entry) []entry { return es[:man] }), "no manifest.json"},
		{"a file missing", edit(func(es []entry) []entry { return slices.Delete(es, blob, blob+1) }), "is missing"},
		{"an entry not in the manifest", edit(func(es []entry) []entry {
			return slices.Insert(es, man, entry{tar.Header{Typeflag: tar.TypeReg, Name: newName, Mode: 0o600}, newBlob})
		}), "which its manifest does not name"},
		{"an entry a backup does not hold", edit(func(es []entry) []entry {
			return slices.Insert(es, man, entry{tar.Header{Typeflag: tar.TypeReg, Name: "seal/extra.pem", Mode: 0o600}, []byte("x")})
		}), "which a Kundportal backup does not"},
		{"a ../ path", edit(func(es []entry) []entry {
			return slices.Insert(es, 0, entry{tar.Header{Typeflag: tar.TypeReg, Name: "../utanför", Mode: 0o600}, []byte("x")})
		}), "unsafe path"},
		{"a ../ path inside", edit(func(es []entry) []entry {
			return slices.Insert(es, 0, entry{tar.Header{Typeflag: tar.TypeReg, Name: "files/../../utanför", Mode: 0o600}, []byte("x")})
		}), "unsafe path"},
		{"an absolute path", edit(func(es []entry) []entry {
			return slices.Insert(es, 0, entry{tar.Header{Typeflag: tar.TypeReg, Name: "/tmp/utanför", Mode: 0o600}, []byte("x")})
		}), "unsafe path"},
		{"a symbolic link", edit(func(es []entry) []entry {
			return slices.Insert(es, 0, entry{tar.Header{Typeflag: tar.TypeSymlink, Name: "files", Linkname: "/etc", Mode: 0o777}, nil})
		}), "not a file"},
		{"a file twice", edit(func(es []entry) []entry { return slices.Insert(es, blob, es[blob]) }), "twice"},
		{"the manifest twice", edit(func(es []entry) []entry { return append(es, es[man]) }), "twice"},
		{"the manifest's checksum changed", edit(func(es []entry) []entry {
			var m manifest
			json.Unmarshal(es[man].body, &m)
			m.Entries[0].SHA256 = strings.Repeat("0", 64)
			es[man].body, _ = json.Marshal(m)
			return es
		}), "the manifest says"},
		{"the manifest's counts changed", edit(func(es []entry) []entry {
			var m manifest
			json.Unmarshal(es[man].body, &m)
			m.Counts.Cases++
			es[man].body, _ = json.Marshal(m)
			return es
		}), "does not match the manifest"},
		{"not a backup", bytesOf([]byte("hej")), "damaged"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "damaged.tar.gz")
			tc.make(t, path)
			// Into an empty directory and into one not there yet.
			empty := t.TempDir()
			missing := filepath.Join(t.TempDir(), "data")
			for _, dir := range []string{empty, missing} {
				err := restoreInto(dir, path)
				if dir == empty {
					t.Log(err)
				}
				if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "refused") {
					t.Errorf("restore into %s = %v, want a refusal saying %q", dir, err, tc.want)
				}
				if err != nil && strings.Contains(err.Error(), "\n") {
					t.Errorf("restore's error is more than one line: %q", err)
				}
			}
			if es, err := os.ReadDir(empty); err != nil || len(es) > 0 {
				t.Errorf("the empty data directory holds %v after a refused restore (%v)", es, err)
			}
			if _, err := os.Stat(missing); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("a refused restore made the data directory: %v", err)
			}
			if es, _ := os.ReadDir(filepath.Dir(missing)); len(es) > 0 {
				t.Errorf("a refused restore left %v beside the data directory", es[0].Name())
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(filepath.Dir(path)), "utanför")); err == nil {
				t.Error("a ../ path was written")
			}
		})
	}

	// The same archive untouched, rewritten, and unpacked: each restores.
	for name, mk := range map[string]func(t *testing.T, path string){
		"rewritten":  edit(func(es []entry) []entry { return es }),
		"unpacked":   func(t *testing.T, path string) { writeArchive(t, path, orig, false) },
		"lost+found": bytesOf(raw),
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "backup.tar")
			mk(t, path)
			dir := t.TempDir()
			if name == "lost+found" {
				// A new file system's mount point is empty but for it.
				os.Mkdir(filepath.Join(dir, "lost+found"), 0o700)
			}
			if err := restoreInto(dir, path); err != nil {
				t.Fatalf("restore: %v", err)
			}
			if _, err := os.Stat(filepath.Join(dir, dbName)); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestRestoreOnlyIntoEmptyDir: a data directory with anything in it is
// left alone; so is one when PostgreSQL is configured.
func TestRestoreOnlyIntoEmptyDir(t *testing.T) {
	d, archive := smallBackup(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "anteckning.txt"), []byte("min"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := restoreInto(dir, archive); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("restore into a directory with a file = %v, want a refusal", err)
	}
	if es, _ := os.ReadDir(dir); len(es) != 1 {
		t.Errorf("a refused restore changed the directory: %v", es)
	}
	// The data directory in use, above all.
	if err := restoreInto(d.dir, archive); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("restore into the live data directory = %v, want a refusal", err)
	}
	file := filepath.Join(dir, "anteckning.txt")
	if err := restoreInto(file, archive); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("restore onto a file = %v, want a refusal", err)
	}
	for _, v := range []string{"KUNDPORTAL_DATABASE_URL"} {
		getenv := func(k string) string {
			switch k {
			case "KUNDPORTAL_DATA_DIR":
				return filepath.Join(t.TempDir(), "data")
			case v:
				return "postgres://kundportal@db.example/kundportal"
			}
			return ""
		}
		var out bytes.Buffer
		err := run(context.Background(), []string{"restore", archive}, getenv, strings.NewReader(""), &out, &out)
		if err == nil || !strings.Contains(err.Error(), v+" is set") {
			t.Errorf("restore with %s = %v, want a refusal naming it", v, err)
		}
		err = run(context.Background(), []string{"backup", filepath.Join(t.TempDir(), "b.tar.gz")}, getenv, strings.NewReader(""), &out, &out)
		if v == "KUNDPORTAL_DATABASE_URL" && (err == nil || !strings.Contains(err.Error(), "pg_dump")) {
			t.Errorf("backup with %s = %v, want a refusal naming pg_dump", v, err)
		}
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"restore"}, env(t.TempDir()), strings.NewReader(""), &out, &out); err == nil || !strings.HasPrefix(err.Error(), "usage:") {
		t.Errorf("restore without a file = %v, want the usage", err)
	}
}

// TestBackupRefusesIncomplete: a file the database refers to that is not
// in the store, or a missing key, fails the backup with its name, and no
// archive is left.
func TestBackupRefusesIncomplete(t *testing.T) {
	ctx := context.Background()
	d, _ := smallBackup(t)
	var sum string
	if err := d.db.Blobs(ctx, func(s string) error { sum = s; return nil }); err != nil {
		t.Fatal(err)
	}
	blob := filepath.Join(d.cfg.FilesDir(), sum[:2], sum[2:])
	body, err := os.ReadFile(blob)
	if err != nil {
		t.Fatal(err)
	}
	backupTo := func() (string, error) {
		archive := filepath.Join(t.TempDir(), "backup.tar.gz")
		var out bytes.Buffer
		return archive, run(ctx, []string{"backup", "-data-dir", d.dir, archive}, env(""), strings.NewReader(""), &out, &out)
	}
	noArchive := func(archive string) {
		t.Helper()
		for _, p := range []string{archive, archive + ".tmp"} {
			if _, err := os.Stat(p); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("a failed backup left %s: %v", p, err)
			}
		}
		if left, _ := filepath.Glob(filepath.Join(d.dir, ".backup-*")); len(left) > 0 {
			t.Errorf("a failed backup left its snapshot: %v", left)
		}
	}

	if err := os.Remove(blob); err != nil {
		t.Fatal(err)
	}
	archive, err := backupTo()
	if err == nil || !strings.Contains(err.Error(), "file "+sum+", which the database refers to, is missing") {
		t.Errorf("backup without file %s = %v, want it named missing", sum, err)
	}
	noArchive(archive)

	changed := bytes.Clone(body)
	changed[0] ^= 0x01
	if err := os.WriteFile(blob, changed, 0o600); err != nil {
		t.Fatal(err)
	}
	archive, err = backupTo()
	if err == nil || !strings.Contains(err.Error(), "file "+sum+" in the file store is damaged") {
		t.Errorf("backup with file %s changed = %v, want it named damaged", sum, err)
	}
	noArchive(archive)
	if err := os.WriteFile(blob, body, 0o600); err != nil {
		t.Fatal(err)
	}

	key := filepath.Join(d.dir, "seal", seal.KeyFile)
	if err := os.Rename(key, key+".bak"); err != nil {
		t.Fatal(err)
	}
	archive, err = backupTo()
	if err == nil || !strings.Contains(err.Error(), key+" is missing") {
		t.Errorf("backup without the signing key = %v, want it named", err)
	}
	noArchive(archive)
	if err := os.Rename(key+".bak", key); err != nil {
		t.Fatal(err)
	}
	if _, err := backupTo(); err != nil {
		t.Errorf("backup with everything back: %v", err)
	}
}

// TestBackupRestoreStandardStreams: "-" streams the archive, and restore reads
// it from standard input.
func TestBackupRestoreStandardStreams(t *testing.T) {
	ctx := context.Background()
	d, _ := smallBackup(t)
	var archive, summary bytes.Buffer
	if err := run(ctx, []string{"backup", "-data-dir", d.dir, "-"}, env(""), strings.NewReader(""), &archive, &summary); err != nil {
		t.Fatalf("backup -: %v", err)
	}
	if !strings.HasPrefix(summary.String(), "backup -: ") {
		t.Errorf("summary on standard error = %q", summary.String())
	}
	dir := filepath.Join(t.TempDir(), "data")
	var out bytes.Buffer
	if err := run(ctx, []string{"restore", "-data-dir", dir, "-"}, env(""), &archive, &out, &out); err != nil {
		t.Fatalf("restore -: %v", err)
	}
	if want, got := readRows(t, d.cfg.SQLitePath()), readRows(t, filepath.Join(dir, dbName)); !maps.Equal(want, got) {
		t.Errorf("restored rows differ from the original's")
	}
}

// TestRestoreIntoBucket: with KUNDPORTAL_S3_URL the files go into the
// bucket (a real S3 server) and the rest into the data directory, which
// then has no files/; kundportal verify on it reads every signed note
// back from the bucket. A bucket that is not there refuses before
// anything is unpacked.
func TestRestoreIntoBucket(t *testing.T) {
	_, archive := smallBackup(t)
	cfg := s3test.Config(t)
	dir := filepath.Join(t.TempDir(), "data")
	getenv := func(bucket string) func(string) string {
		return func(k string) string {
			switch k {
			case "KUNDPORTAL_DATA_DIR":
				return dir
			case "KUNDPORTAL_S3_URL":
				return "http://" + cfg.Endpoint + "/" + bucket + "/" + cfg.Prefix
			case "AWS_ACCESS_KEY_ID":
				return cfg.AccessKey
			case "AWS_SECRET_ACCESS_KEY":
				return cfg.SecretKey
			}
			return ""
		}
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"restore", archive}, getenv("finns-inte"), strings.NewReader(""), &out, &out); err == nil || !strings.Contains(err.Error(), `no bucket "finns-inte"`) {
		t.Errorf("restore into a missing bucket = %v", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the refused restore made the data directory: %v", err)
	}
	if err := run(context.Background(), []string{"restore", archive}, getenv(cfg.Bucket), strings.NewReader(""), &out, &out); err != nil {
		t.Fatalf("restore into the bucket: %v\n%s", err, out.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "files")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the data directory has files/ beside the bucket: %v", err)
	}
	bucket, err := filestore.NewS3(context.Background(), cfg, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	blobs := 0
	for _, e := range readArchive(t, archive) {
		name, ok := strings.CutPrefix(e.hdr.Name, "files/")
		if !ok {
			continue
		}
		blobs++
		f, err := bucket.Open(strings.ReplaceAll(name, "/", ""))
		if err != nil {
			t.Errorf("%s is not in the bucket: %v", e.hdr.Name, err)
			continue
		}
		b, _ := io.ReadAll(f)
		f.Close()
		if !bytes.Equal(b, e.body) {
			t.Errorf("%s in the bucket differs from the archive", e.hdr.Name)
		}
	}
	if blobs == 0 {
		t.Fatal("the archive holds no files")
	}
	out.Reset()
	if err := run(context.Background(), []string{"verify"}, getenv(cfg.Bucket), strings.NewReader(""), &out, &out); err != nil || !strings.HasPrefix(out.String(), "OK:") {
		t.Errorf("verify of the restored directory and bucket: %v\n%s", err, out.String())
	}
}
