package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kundportal/internal/s3test"
)

// TestStartErrors: a mistake in the settings stops the start with one
// line that names the setting, never a stack trace, and never repeats a
// password.
func TestStartErrors(t *testing.T) {
	dir := t.TempDir()
	notADir := filepath.Join(dir, "en-fil")
	if err := os.WriteFile(notADir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	const secret = "hemligt-losenord"
	cases := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"unreachable database", map[string]string{"KUNDPORTAL_DATABASE_URL": "postgres://kundportal:" + secret + "@127.0.0.1:1/kundportal?sslmode=disable"}, "KUNDPORTAL_DATABASE_URL"},
		{"not a database URL", map[string]string{"KUNDPORTAL_DATABASE_URL": "mysql://kundportal:" + secret + "@db/kundportal"}, "KUNDPORTAL_DATABASE_URL"},
		{"data directory is a file", map[string]string{"KUNDPORTAL_DATA_DIR": notADir}, "KUNDPORTAL_DATA_DIR"},
		{"bad base URL", map[string]string{"KUNDPORTAL_BASE_URL": "portal.example"}, "KUNDPORTAL_BASE_URL"},
		{"bad S3 URL", map[string]string{"KUNDPORTAL_S3_URL": "s3://kundportal", "AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": secret}, "KUNDPORTAL_S3_URL"},
		{"S3 credentials in the URL", map[string]string{"KUNDPORTAL_S3_URL": "https://AKID:" + secret + "@s3.example.com/kundportal"}, "AWS_ACCESS_KEY_ID"},
		{"S3 without credentials", map[string]string{"KUNDPORTAL_S3_URL": "http://127.0.0.1:1/kundportal"}, "AWS_ACCESS_KEY_ID"},
		{"unreachable S3", map[string]string{"KUNDPORTAL_S3_URL": "http://127.0.0.1:1/kundportal", "AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": secret}, "KUNDPORTAL_S3_URL"},
		{"bad SMTP URL", map[string]string{"KUNDPORTAL_SMTP_URL": "smtp://user:" + secret + "@", "KUNDPORTAL_BASE_URL": "https://portal.example"}, "KUNDPORTAL_SMTP_URL"},
		{"short metrics token", map[string]string{"KUNDPORTAL_METRICS_TOKEN": "kort"}, "KUNDPORTAL_METRICS_TOKEN"},
		{"metrics address that cannot be listened on", map[string]string{"KUNDPORTAL_METRICS_ADDR": "256.0.0.1:9"}, "KUNDPORTAL_METRICS_ADDR"},
	}
	if s3test.Available() {
		cfg := s3test.Config(t)
		cases = append(cases, struct {
			name string
			env  map[string]string
			want string
		}{"missing bucket", map[string]string{"KUNDPORTAL_S3_URL": "http://" + cfg.Endpoint + "/finns-inte",
			"AWS_ACCESS_KEY_ID": cfg.AccessKey, "AWS_SECRET_ACCESS_KEY": cfg.SecretKey}, `no bucket "finns-inte"`})
	} else if os.Getenv("KUNDPORTAL_REQUIRE_S3") != "" {
		t.Fatal("KUNDPORTAL_REQUIRE_S3 is set but no S3 server can be started")
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			getenv := func(k string) string {
				if v, ok := tc.env[k]; ok {
					return v
				}
				return env(t.TempDir())(k)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			err := run(ctx, nil, getenv, strings.NewReader(""), io.Discard, io.Discard)
			if err == nil {
				t.Fatal("the server started")
			}
			line := err.Error()
			t.Log(line)
			if !strings.Contains(line, tc.want) || strings.Contains(line, "\n") || strings.Contains(line, "goroutine") {
				t.Errorf("error = %q, want one line with %q", line, tc.want)
			}
			if strings.Contains(line, secret) {
				t.Errorf("error repeats the password: %q", line)
			}
		})
	}
}
