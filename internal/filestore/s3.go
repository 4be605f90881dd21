package filestore

import (
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Config names a bucket on an S3-compatible service.
type S3Config struct {
	Endpoint string // host[:port]
	Secure   bool   // https
	Bucket   string
	Prefix   string // key prefix inside the bucket, "" or ending in "/"
	Region   string // optional; most services other than AWS ignore it
	// AccessKey and SecretKey sign the requests; SessionToken is for
	// temporary credentials.
	AccessKey, SecretKey, SessionToken string
}

// ParseS3URL reads KUNDPORTAL_S3_URL: the service's address with the
// bucket, and a key prefix if the bucket is shared, as its path, e.g.
// https://s3.eu-north-1.amazonaws.com/kundportal?region=eu-north-1 or
// http://127.0.0.1:8333/kundportal/produktion. The credentials are the
// usual AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and
// AWS_SESSION_TOKEN) from getenv, never part of the URL, so that it can
// be logged.
func ParseS3URL(raw string, getenv func(string) string) (S3Config, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Scheme != "http" && u.Scheme != "https" {
		return S3Config{}, errors.New("want the service's address with the bucket as its path, e.g. https://s3.example.com/kundportal")
	}
	if u.User != nil {
		return S3Config{}, errors.New("put the credentials in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, not in the URL")
	}
	bucket, prefix, _ := strings.Cut(strings.Trim(u.Path, "/"), "/")
	if bucket == "" {
		return S3Config{}, errors.New("the URL names no bucket: add it as the path, e.g. https://s3.example.com/kundportal")
	}
	if prefix != "" {
		prefix = strings.TrimSuffix(prefix, "/") + "/"
	}
	c := S3Config{Endpoint: u.Host, Secure: u.Scheme == "https", Bucket: bucket, Prefix: prefix, Region: u.Query().Get("region"),
		AccessKey: getenv("AWS_ACCESS_KEY_ID"), SecretKey: getenv("AWS_SECRET_ACCESS_KEY"), SessionToken: getenv("AWS_SESSION_TOKEN")}
	if c.AccessKey == "" || c.SecretKey == "" {
		return S3Config{}, errors.New("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set for the bucket")
	}
	return c, nil
}

// String is the bucket's address, without credentials, for logs.
func (c S3Config) String() string {
	scheme := "http"
	if c.Secure {
		scheme = "https"
	}
	return scheme + "://" + c.Endpoint + "/" + c.Bucket + "/" + c.Prefix
}

// S3 keeps blobs in a bucket of an S3-compatible service, under the same
// keys as Disk (ab/cdef...), so that every instance of the site reads
// what any of them stored. An upload is spooled to a local file while
// it is hashed, never held in memory, then sent with its MD5 and SHA-256
// for the service to check, and its size checked after.
type S3 struct {
	client *minio.Core
	cfg    S3Config
	spool  string // directory for uploads being hashed
}

// s3Timeout bounds each call to the service that is not a download
// (whose length depends on the file and the client's network).
const s3Timeout = time.Minute

// NewS3 connects to the bucket, checking that it is there, and spools
// uploads in spoolDir.
func NewS3(ctx context.Context, cfg S3Config, spoolDir string) (*S3, error) {
	if err := os.MkdirAll(spoolDir, 0o700); err != nil {
		return nil, fmt.Errorf("filestore: %w", err)
	}
	transport, err := minio.DefaultTransport(cfg.Secure)
	if err != nil {
		return nil, fmt.Errorf("filestore: s3: %w", err)
	}
	transport.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	transport.ResponseHeaderTimeout = s3Timeout
	client, err := minio.NewCore(cfg.Endpoint, &minio.Options{
		Creds:        credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, cfg.SessionToken),
		Secure:       cfg.Secure,
		Region:       cfg.Region,
		BucketLookup: minio.BucketLookupPath,
		Transport:    transport,
	})
	if err != nil {
		return nil, fmt.Errorf("filestore: s3 %s: %w", cfg, err)
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	ok, err := client.BucketExists(ctx, cfg.Bucket)
	if err != nil {
		return nil, fmt.Errorf("filestore: s3 %s does not answer: %w", cfg, plainS3Error(err))
	}
	if !ok {
		return nil, fmt.Errorf("filestore: s3 %s: there is no bucket %q", cfg, cfg.Bucket)
	}
	removeStale(spoolDir)
	return &S3{client: client, cfg: cfg, spool: spoolDir}, nil
}

// removeStale removes uploads a crash left half spooled in dir: any
// older than an hour, an upload's longest wait.
func removeStale(dir string) {
	stale, _ := filepath.Glob(filepath.Join(dir, "upload-*"))
	for _, name := range stale {
		if fi, err := os.Stat(name); err == nil && time.Since(fi.ModTime()) > time.Hour {
			os.Remove(name)
		}
	}
}

func (s *S3) key(sum string) string { return s.cfg.Prefix + path.Join(sum[:2], sum[2:]) }

// Put implements Store.
func (s *S3) Put(r io.Reader) (string, int64, error) {
	tmp, err := os.CreateTemp(s.spool, "upload-*")
	if err != nil {
		return "", 0, fmt.Errorf("filestore: put: %w", err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	sha, md := sha256.New(), md5.New()
	n, err := io.Copy(io.MultiWriter(tmp, sha, md), r)
	if err != nil {
		return "", 0, fmt.Errorf("filestore: put: %w", err)
	}
	sum := hex.EncodeToString(sha.Sum(nil))
	if err := s.put(tmp, n, sum, base64.StdEncoding.EncodeToString(md.Sum(nil))); err != nil {
		return "", 0, err
	}
	return sum, n, nil
}

// put sends the n bytes of f as the blob sum, unless the bucket has it
// already. The service refuses the bytes unless they have the MD5 md5b64
// and the SHA-256 sum (signed with the request), so a blob never stands
// under a name its bytes do not have.
func (s *S3) put(f *os.File, n int64, sum, md5b64 string) error {
	ctx, cancel := context.WithTimeout(context.Background(), s3Timeout)
	defer cancel()
	key := s.key(sum)
	if info, err := s.client.StatObject(ctx, s.cfg.Bucket, key, minio.StatObjectOptions{}); err == nil && info.Size == n {
		return nil // content-addressed: the same bytes are there
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("filestore: put: %w", err)
	}
	raw, err := hex.DecodeString(sum)
	if err != nil {
		return fmt.Errorf("filestore: put: %w", err)
	}
	opts := minio.PutObjectOptions{ContentType: "application/octet-stream",
		UserMetadata: map[string]string{"x-amz-checksum-sha256": base64.StdEncoding.EncodeToString(raw)}}
	if _, err := s.client.PutObject(ctx, s.cfg.Bucket, key, f, n, md5b64, sum, opts); err != nil {
		return fmt.Errorf("filestore: put %s: %w", sum, plainS3Error(err))
	}
	info, err := s.client.StatObject(ctx, s.cfg.Bucket, key, minio.StatObjectOptions{})
	if err != nil {
		return fmt.Errorf("filestore: put %s: %w", sum, plainS3Error(err))
	}
	if info.Size != n {
		return fmt.Errorf("filestore: put %s: the bucket holds %d bytes, %d were sent", sum, info.Size, n)
	}
	return nil
}

// Open implements Store. The blob is read from the service as it is
// read here, a range at a time after a seek, never whole into memory.
func (s *S3) Open(sum string) (io.ReadSeekCloser, error) {
	if !validSum.MatchString(sum) {
		return nil, ErrNotFound
	}
	obj, err := s.client.Client.GetObject(context.Background(), s.cfg.Bucket, s.key(sum), minio.GetObjectOptions{})
	if err != nil {
		return nil, fmt.Errorf("filestore: open %s: %w", sum, plainS3Error(err))
	}
	// GetObject asks nothing until the first read: Stat asks now, so
	// that a missing blob is ErrNotFound here.
	if _, err := obj.Stat(); err != nil {
		obj.Close()
		if minio.ToErrorResponse(err).StatusCode == http.StatusNotFound {
			return nil, ErrNotFound
		}
		return nil, fmt.Errorf("filestore: open %s: %w", sum, plainS3Error(err))
	}
	return obj, nil
}

// plainS3Error is the service's answer without the request's details:
// its code and message.
func plainS3Error(err error) error {
	if r := minio.ToErrorResponse(err); r.Code != "" {
		return fmt.Errorf("%s: %s", r.Code, r.Message)
	}
	return err
}
