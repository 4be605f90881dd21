package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// The database holds password hashes, sessions and door codes: its file,
// the WAL beside it and its directory are the service user's only, also
// when an older version left them open to others.
func TestSQLiteFilesArePrivate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, dir, path string)
	}{
		{"new", func(t *testing.T, dir, path string) {}},
		{"left open by an older version", func(t *testing.T, dir, path string) {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, nil, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, 0o644); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			path := filepath.Join(dir, "kundportal.db")
			tc.setup(t, dir, path)
			db, err := OpenSQLite(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			for name, want := range map[string]os.FileMode{dir: 0o700, path: 0o600, path + "-wal": 0o600, path + "-shm": 0o600} {
				fi, err := os.Stat(name)
				if err != nil {
					t.Fatal(err)
				}
				if got := fi.Mode().Perm(); got != want {
					t.Errorf("%s has mode %v, want %v", filepath.Base(name), got, want)
				}
			}
		})
	}
}
