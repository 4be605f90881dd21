// Package s3test gives tests a real S3 server: SeaweedFS's S3 gateway
// ("weed mini"), started once per test binary on loopback ports and
// stopped with it. The weed binary is $KUNDPORTAL_WEED or weed on the
// PATH (.ci/seaweedfs builds it). Without it the tests that need S3 skip,
// unless KUNDPORTAL_REQUIRE_S3 is set, as in CI, where they fail.
package s3test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"kundportal/internal/filestore"
)

const (
	bucket    = "kundportal"
	accessKey = "kundportal-test"
	secretKey = "kundportal-test-secret-key"
)

var (
	once     sync.Once
	endpoint string
	startErr error
)

// Binary is the weed binary to run, or "" if there is none.
func Binary() string {
	if p := os.Getenv("KUNDPORTAL_WEED"); p != "" {
		return p
	}
	p, _ := exec.LookPath("weed")
	return p
}

// Available reports whether tests can have an S3 server, starting it.
func Available() bool {
	if Binary() == "" {
		return false
	}
	once.Do(start)
	return startErr == nil
}

// Config is a fresh key prefix of the test bucket, with its credentials:
// each caller sees only what it stored itself.
func Config(t testing.TB) filestore.S3Config {
	t.Helper()
	if Binary() == "" {
		if os.Getenv("KUNDPORTAL_REQUIRE_S3") != "" {
			t.Fatal("KUNDPORTAL_REQUIRE_S3 is set but there is no weed binary (KUNDPORTAL_WEED, or weed on the PATH; .ci/seaweedfs builds it)")
		}
		t.Skip("no S3 server: set KUNDPORTAL_WEED to SeaweedFS's weed binary (.ci/seaweedfs builds it)")
	}
	once.Do(start)
	if startErr != nil {
		t.Fatalf("S3 server: %v", startErr)
	}
	return filestore.S3Config{Endpoint: endpoint, Bucket: bucket, Prefix: "t-" + randomHex() + "/", AccessKey: accessKey, SecretKey: secretKey}
}

// Store is a file store on a fresh prefix of the test bucket.
func Store(t testing.TB) *filestore.S3 {
	t.Helper()
	s, err := filestore.NewS3(context.Background(), Config(t), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func randomHex() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// start runs weed mini with its S3 gateway on free loopback ports and
// waits until the bucket answers. The server gets SIGKILL when this
// process ends (Pdeathsig), however it ends.
func start() {
	dir, err := os.MkdirTemp("", "kundportal-s3test-")
	if err != nil {
		startErr = err
		return
	}
	removeOld(filepath.Dir(dir))
	identities := fmt.Sprintf(`{"identities":[{"name":"kundportal","credentials":[{"accessKey":%q,"secretKey":%q}],"actions":["Admin","Read","Write","List","Tagging"]}]}`, accessKey, secretKey)
	config := filepath.Join(dir, "s3.json")
	if err := os.WriteFile(config, []byte(identities), 0o600); err != nil {
		startErr = err
		return
	}
	ports, err := freePorts(8)
	if err != nil {
		startErr = err
		return
	}
	p := func(i int) string { return strconv.Itoa(ports[i]) }
	cmd := exec.Command(Binary(), "mini", "-dir="+dir, "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
		"-master.port="+p(0), "-master.port.grpc="+p(1), "-volume.port="+p(2), "-volume.port.grpc="+p(3),
		"-filer.port="+p(4), "-filer.port.grpc="+p(5), "-s3.port="+p(6), "-s3.port.grpc="+p(7),
		"-s3.port.iceberg=0", "-s3.port.lance=0", "-webdav=false", "-admin.ui=false",
		"-s3.config="+config, "-bucket="+bucket)
	logFile, err := os.Create(filepath.Join(dir, "weed.log"))
	if err != nil {
		startErr = err
		return
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		startErr = fmt.Errorf("start %s: %w", Binary(), err)
		return
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	endpoint = "127.0.0.1:" + p(6)
	cfg := filestore.S3Config{Endpoint: endpoint, Bucket: bucket, AccessKey: accessKey, SecretKey: secretKey}
	deadline := time.Now().Add(90 * time.Second)
	for {
		_, err := filestore.NewS3(context.Background(), cfg, filepath.Join(dir, "spool"))
		if err == nil {
			return
		}
		select {
		case werr := <-exited:
			log, _ := os.ReadFile(logFile.Name())
			startErr = fmt.Errorf("weed mini exited (%v):\n%s", werr, log)
			return
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			log, _ := os.ReadFile(logFile.Name())
			startErr = fmt.Errorf("weed mini did not serve the bucket in 90 s (%v):\n%s", err, log)
			return
		}
	}
}

// freePorts are n loopback ports free at the moment of asking.
func freePorts(n int) ([]int, error) {
	var ports []int
	var lns []net.Listener
	defer func() {
		for _, ln := range lns {
			ln.Close()
		}
	}()
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		lns = append(lns, ln)
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// removeOld removes the data of servers of earlier test runs, which end
// without a chance to clean up after themselves.
func removeOld(tmp string) {
	old, _ := filepath.Glob(filepath.Join(tmp, "kundportal-s3test-*"))
	for _, d := range old {
		if fi, err := os.Stat(d); err == nil && time.Since(fi.ModTime()) > 6*time.Hour {
			os.RemoveAll(d)
		}
	}
}
