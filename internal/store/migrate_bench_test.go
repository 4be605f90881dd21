package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkMigrationOnData measures a schema migration that touches
// every case, on a copy of a seeded database (kundportal seed): migration
// 0013, which adds three columns to cases and counts every case's
// actions, files and newest delivery note. The copy has the migration
// undone (its columns dropped, its row in schema_migrations removed);
// opening it runs the migration, in one transaction, as a start after an
// upgrade would.
//
//	kundportal seed -cases 1000000 -data-dir /tmp/load1m
//	KUNDPORTAL_BENCH_SQLITE=/tmp/load1m/kundportal.db go test ./internal/store -run X -bench MigrationOnData -benchtime 1x -v
func BenchmarkMigrationOnData(b *testing.B) {
	src := os.Getenv("KUNDPORTAL_BENCH_SQLITE")
	if src == "" {
		b.Skip("set KUNDPORTAL_BENCH_SQLITE to a seeded database to run")
	}
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), "kundportal.db")
		orig, err := OpenSQLite(ctx, src)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := orig.write.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
			b.Fatal(err)
		}
		orig.Close()
		db, err := OpenSQLite(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		var cases int
		db.read.QueryRowContext(ctx, `SELECT count(*) FROM cases`).Scan(&cases)
		for _, q := range []string{
			`ALTER TABLE cases DROP COLUMN visible_actions`,
			`ALTER TABLE cases DROP COLUMN file_count`,
			`ALTER TABLE cases DROP COLUMN delivery_note_id`,
			`DELETE FROM schema_migrations WHERE name = '0013_case_extras.sql'`,
		} {
			if _, err := db.write.ExecContext(ctx, q); err != nil {
				b.Fatalf("%s: %v", q, err)
			}
		}
		db.Close()
		b.StartTimer()
		start := time.Now()
		db, err = OpenSQLite(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		took := time.Since(start)
		b.StopTimer()
		db.Close()
		b.ReportMetric(took.Seconds(), "s/migration")
		b.ReportMetric(float64(cases), "cases")
		b.StartTimer()
	}
}
