package filestore_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"kundportal/internal/filestore"
	"kundportal/internal/s3test"
)

// stores runs fn on each store: a directory on disk and a bucket on a
// real S3 server.
func stores(t *testing.T, fn func(t *testing.T, s filestore.Store, again func() filestore.Store)) {
	t.Run("disk", func(t *testing.T) {
		dir := t.TempDir()
		open := func() filestore.Store {
			d, err := filestore.NewDisk(dir)
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		fn(t, open(), open)
	})
	t.Run("s3", func(t *testing.T) {
		cfg := s3test.Config(t)
		open := func() filestore.Store {
			s, err := filestore.NewS3(context.Background(), cfg, t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		fn(t, open(), open)
	})
}

func sumOf(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func read(t *testing.T, s filestore.Store, sum string) []byte {
	t.Helper()
	f, err := s.Open(sum)
	if err != nil {
		t.Fatalf("Open(%s): %v", sum, err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestStoreContract: what the site relies on from a file store, on disk
// and on S3.
func TestStoreContract(t *testing.T) {
	stores(t, func(t *testing.T, s filestore.Store, again func() filestore.Store) {
		body := []byte(strings.Repeat("följesedel ", 2000))
		sum, n, err := s.Put(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if sum != sumOf(body) || n != int64(len(body)) {
			t.Errorf("Put = %s, %d; want the SHA-256 %s and %d bytes", sum, n, sumOf(body), len(body))
		}
		if got := read(t, s, sum); !bytes.Equal(got, body) {
			t.Errorf("Open read %d bytes, not what was stored", len(got))
		}

		// Content addressing: the same bytes again are the same blob.
		if again, _, err := s.Put(bytes.NewReader(body)); err != nil || again != sum {
			t.Errorf("second Put = %s, %v; want %s", again, err, sum)
		}

		// A download resumes or serves a range: Seek, then Read.
		f, err := s.Open(sum)
		if err != nil {
			t.Fatal(err)
		}
		if end, err := f.Seek(0, io.SeekEnd); err != nil || end != int64(len(body)) {
			t.Errorf("Seek to the end = %d, %v; want %d", end, err, len(body))
		}
		if _, err := f.Seek(1000, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		part := make([]byte, 11)
		if _, err := io.ReadFull(f, part); err != nil || !bytes.Equal(part, body[1000:1011]) {
			t.Errorf("after Seek(1000) read %q, %v; want %q", part, err, body[1000:1011])
		}
		f.Close()

		for _, bad := range []string{"", "../../etc/passwd", strings.Repeat("0", 64), strings.ToUpper(sum)} {
			if _, err := s.Open(bad); !errors.Is(err, filestore.ErrNotFound) {
				t.Errorf("Open(%q) = %v, want ErrNotFound", bad, err)
			}
		}

		// Another instance on the same directory or bucket reads it.
		if got := read(t, again(), sum); !bytes.Equal(got, body) {
			t.Error("a second store on the same place reads other bytes")
		}

		// Concurrent uploads of one file and of different files.
		var wg sync.WaitGroup
		errs := make(chan error, 16)
		for i := range 16 {
			wg.Go(func() {
				b := body
				if i%2 == 1 {
					b = append([]byte{byte(i)}, body...)
				}
				got, _, err := s.Put(bytes.NewReader(b))
				if err == nil && got != sumOf(b) {
					err = errors.New("wrong sum " + got)
				}
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("concurrent Put: %v", err)
			}
		}
	})
}

// TestStoreStreams: a file of 16 MB goes in and out without being held
// in memory whole.
func TestStoreStreams(t *testing.T) {
	stores(t, func(t *testing.T, s filestore.Store, _ func() filestore.Store) {
		const size = 16 << 20
		body := make([]byte, size)
		rand.Read(body)
		allocated := func(fn func()) uint64 {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			fn()
			runtime.ReadMemStats(&after)
			return after.TotalAlloc - before.TotalAlloc
		}
		var sum string
		if a := allocated(func() {
			var err error
			if sum, _, err = s.Put(bytes.NewReader(body)); err != nil {
				t.Fatal(err)
			}
		}); a > size/4 {
			t.Errorf("Put of %d MB allocated %.1f MB", size>>20, float64(a)/(1<<20))
		}
		h := sha256.New()
		if a := allocated(func() {
			f, err := s.Open(sum)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if _, err := io.CopyBuffer(h, f, make([]byte, 32<<10)); err != nil {
				t.Fatal(err)
			}
		}); a > size/4 {
			t.Errorf("reading %d MB allocated %.1f MB", size>>20, float64(a)/(1<<20))
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != sum {
			t.Errorf("read back %s, stored %s", got, sum)
		}
	})
}

// TestS3ChecksBytes: the service refuses bytes that do not have the
// checksums sent with them, so a blob never stands under a name its
// bytes do not have; and a missing bucket or a service that does not
// answer stops the start with one line.
func TestS3ChecksBytes(t *testing.T) {
	cfg := s3test.Config(t)
	s, err := filestore.NewS3(context.Background(), cfg, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	body, other := []byte("riktiga byten"), []byte("andra byten!!")
	f, err := os.CreateTemp(t.TempDir(), "blob")
	if err != nil {
		t.Fatal(err)
	}
	f.Write(body)
	md := md5.Sum(body)
	otherMD := md5.Sum(other)
	for name, sums := range map[string][2]string{
		"wrong SHA-256": {sumOf(other), base64.StdEncoding.EncodeToString(md[:])},
		"wrong MD5":     {sumOf(body), base64.StdEncoding.EncodeToString(otherMD[:])},
	} {
		if err := s.PutWithSums(f, int64(len(body)), sums[0], sums[1]); err == nil {
			t.Errorf("%s: the bucket took the bytes", name)
		}
		if _, err := s.Open(sums[0]); !errors.Is(err, filestore.ErrNotFound) {
			t.Errorf("%s: Open = %v, want ErrNotFound", name, err)
		}
	}

	missing := cfg
	missing.Bucket = "finns-inte"
	if _, err := filestore.NewS3(context.Background(), missing, t.TempDir()); err == nil || !strings.Contains(err.Error(), `no bucket "finns-inte"`) {
		t.Errorf("missing bucket: %v", err)
	}
	gone := cfg
	gone.Endpoint = "127.0.0.1:1"
	if _, err := filestore.NewS3(context.Background(), gone, t.TempDir()); err == nil || !strings.Contains(err.Error(), "does not answer") || strings.Contains(err.Error(), cfg.SecretKey) {
		t.Errorf("no service: %v", err)
	}
	spool := filepath.Join(t.TempDir(), "spool")
	if _, err := filestore.NewS3(context.Background(), cfg, spool); err != nil {
		t.Errorf("a spool directory that is not there yet: %v", err)
	}
	// An upload a crash left half spooled is removed at the next start;
	// one that may still be going on is not.
	stale, fresh := filepath.Join(spool, "upload-1"), filepath.Join(spool, "upload-2")
	for _, name := range []string{stale, fresh} {
		if err := os.WriteFile(name, []byte("halv"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-2 * time.Hour)
	os.Chtimes(stale, old, old)
	if _, err := filestore.NewS3(context.Background(), cfg, spool); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a stale spooled upload is left: %v", err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("a recent spooled upload was removed: %v", err)
	}
}

func TestParseS3URL(t *testing.T) {
	env := map[string]string{"AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "hemlig"}
	getenv := func(k string) string { return env[k] }
	c, err := filestore.ParseS3URL("https://s3.eu-north-1.amazonaws.com/kundportal/produktion/?region=eu-north-1", getenv)
	if err != nil {
		t.Fatal(err)
	}
	want := filestore.S3Config{Endpoint: "s3.eu-north-1.amazonaws.com", Secure: true, Bucket: "kundportal", Prefix: "produktion/",
		Region: "eu-north-1", AccessKey: "AKID", SecretKey: "hemlig"}
	if c != want {
		t.Errorf("ParseS3URL = %+v, want %+v", c, want)
	}
	if s := c.String(); strings.Contains(s, "hemlig") || s != "https://s3.eu-north-1.amazonaws.com/kundportal/produktion/" {
		t.Errorf("String = %q", s)
	}
	if c, err := filestore.ParseS3URL("http://127.0.0.1:8333/filer", getenv); err != nil || c.Secure || c.Prefix != "" || c.Bucket != "filer" {
		t.Errorf("plain http, no prefix: %+v, %v", c, err)
	}
	for _, bad := range []string{"s3://kundportal", "https://s3.example.com", "https://s3.example.com/", "https://AKID:hemlig@s3.example.com/b", "inte en url"} {
		if _, err := filestore.ParseS3URL(bad, getenv); err == nil || strings.Contains(err.Error(), "hemlig") {
			t.Errorf("ParseS3URL(%q) = %v, want an error without the secret", bad, err)
		}
	}
	if _, err := filestore.ParseS3URL("https://s3.example.com/b", func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), "AWS_ACCESS_KEY_ID") {
		t.Errorf("no credentials: %v", err)
	}
}
