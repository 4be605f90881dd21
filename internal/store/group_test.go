package store

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"kundportal/internal/repair"
)

func openGroupTest(t *testing.T, path string) *DB {
	t.Helper()
	db, err := OpenSQLite(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func groupCustomer(t *testing.T, db *DB) int64 {
	t.Helper()
	c := repair.Customer{Number: "K1", Name: "Grupp AB"}
	if err := db.Update(context.Background(), func(tx *Tx) error { return tx.CreateCustomer(context.Background(), &c) }); err != nil {
		t.Fatal(err)
	}
	return c.ID
}

// fileCase is a save: one case, with what filing writes beside it.
func fileCase(ctx context.Context, tx *Tx, customer int64, title string) (repair.Case, error) {
	c := repair.Case{CustomerID: customer, Type: repair.PortalCaseType, Title: title, Street: "Storgatan 1"}
	return c, tx.CreateCase(ctx, &c)
}

// TestGroupCommit: 32 writers saving at once are grouped into fewer
// transactions than saves; every save that was told it succeeded is
// there, every one that failed (after writing) left nothing, and the case
// numbers, handed out inside the savepoints, are gap-free; a panicking
// save panics in its own caller and nowhere else; a caller gone before
// its turn saves nothing.
func TestGroupCommit(t *testing.T) {
	db := openGroupTest(t, filepath.Join(t.TempDir(), "group.db"))
	ctx := context.Background()
	customer := groupCustomer(t, db)
	g0, s0 := db.groupStats()

	const writers, each = 32, 40
	var mu sync.Mutex
	var saved, failed []string
	panics := 0
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				title := fmt.Sprintf("w%d-%d", w, i)
				bad := (w*each+i)%7 == 3
				boom := (w*each+i)%97 == 50
				func() {
					defer func() {
						if v := recover(); v != nil {
							mu.Lock()
							panics++
							failed = append(failed, title)
							mu.Unlock()
						}
					}()
					err := db.Update(ctx, func(tx *Tx) error {
						if _, err := fileCase(ctx, tx, customer, title); err != nil {
							return err
						}
						if boom {
							panic("boom")
						}
						if bad {
							return errors.New("refused after writing")
						}
						return nil
					})
					mu.Lock()
					defer mu.Unlock()
					switch {
					case err == nil:
						saved = append(saved, title)
					case bad:
						failed = append(failed, title)
					default:
						t.Errorf("%s: %v", title, err)
					}
				}()
			}
		})
	}
	wg.Wait()

	rows, err := db.query(ctx, `SELECT title, number FROM cases WHERE customer_id = ? ORDER BY number`, customer)
	if err != nil {
		t.Fatal(err)
	}
	var titles, numbers []string
	for rows.Next() {
		var title, number string
		if err := rows.Scan(&title, &number); err != nil {
			t.Fatal(err)
		}
		titles, numbers = append(titles, title), append(numbers, number)
	}
	rows.Close()
	slices.Sort(titles)
	slices.Sort(saved)
	if !slices.Equal(titles, saved) {
		t.Errorf("%d cases stored, %d saves acknowledged: they differ", len(titles), len(saved))
	}
	for _, f := range failed {
		if slices.Contains(titles, f) {
			t.Errorf("failed save %s is stored", f)
		}
	}
	// The text index, written in batches after the commits, holds
	// exactly the stored cases once it has caught up: the integrity check
	// compares it with the cases' text. The batches indexed so far (the
	// saves passed textIndexBatch) were indexed alongside the saves.
	db.background.Wait()
	if db.unindexed.Load() >= textIndexBatch {
		t.Errorf("%d cases wait for the text index, more than a batch", db.unindexed.Load())
	}
	if err := db.indexText(ctx); err != nil {
		t.Fatal(err)
	}
	if n := db.unindexed.Load(); n != 0 {
		t.Errorf("%d cases wait for the text index after it caught up", n)
	}
	if _, err := db.write.ExecContext(ctx, `INSERT INTO cases_text (cases_text, rank) VALUES ('integrity-check', 1)`); err != nil {
		t.Errorf("text index after grouped saves: %v", err)
	}
	for _, title := range []string{saved[0], saved[len(saved)-1], failed[0]} {
		var n int
		if err := db.queryRow(ctx, `SELECT count(*) FROM cases_text t JOIN cases c ON c.id = t.rowid
			WHERE cases_text MATCH ? AND c.title = ?`, ftsPhrase(title), title).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if want := b2i(slices.Contains(saved, title)); n != want {
			t.Errorf("text index finds %s %d times, want %d", title, n, want)
		}
	}
	if panics == 0 || len(saved)+len(failed) != writers*each {
		t.Errorf("%d saved, %d failed (%d panics) of %d", len(saved), len(failed), panics, writers*each)
	}
	// Gap-free: the numbers are the series' first len(saved), in order.
	for i, n := range numbers {
		seq, _ := strconv.Atoi(n[strings.LastIndex(n, "-")+1:])
		if seq != i+1 {
			t.Fatalf("case number %d is %s: the failed saves' numbers were not rolled back", i+1, n)
		}
	}
	// The group's numbers taken from memory are in the counter, which
	// hands out the next one.
	nextAfter(t, db, customer, len(numbers))
	groups, saves := db.groupStats()
	if groups-g0 >= saves-s0 {
		t.Errorf("%d transactions for %d saves: nothing was grouped", groups-g0, saves-s0)
	}
	t.Logf("%d saves in %d transactions", saves-s0, groups-g0)

	gone, cancel := context.WithCancel(ctx)
	cancel()
	ran := false
	if err := db.Update(gone, func(tx *Tx) error { ran = true; return nil }); !errors.Is(err, context.Canceled) || ran {
		t.Errorf("a cancelled caller's save: %v, ran %v", err, ran)
	}
}

// TestGroupCommitSurvivesKill kills a process saving with 32 writers at
// once (kill -9, mid-transaction) and reopens its database: every save it
// acknowledged is there, whole (with its status history), and the
// database is intact.
func TestGroupCommitSurvivesKill(t *testing.T) {
	if path := os.Getenv("KUNDPORTAL_CRASH_CHILD"); path != "" {
		crashChild(path)
		return
	}
	if testing.Short() {
		t.Skip("starts a child process")
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	customer := groupCustomer(t, openGroupTest(t, path))
	cmd := exec.Command(os.Args[0], "-test.run=^TestGroupCommitSurvivesKill$")
	cmd.Env = append(os.Environ(), "KUNDPORTAL_CRASH_CHILD="+path, "KUNDPORTAL_CRASH_CUSTOMER="+strconv.FormatInt(customer, 10))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var acked []string
	lines := bufio.NewScanner(out)
	deadline := time.Now().Add(20 * time.Second)
	// A child that acknowledges nothing is killed at the deadline too.
	stop := time.AfterFunc(time.Until(deadline), func() { cmd.Process.Kill() })
	defer stop.Stop()
	for lines.Scan() {
		if l := lines.Text(); strings.HasPrefix(l, "saved ") {
			acked = append(acked, strings.TrimPrefix(l, "saved "))
		}
		if len(acked) >= 1500 || time.Now().After(deadline) {
			break
		}
	}
	cmd.Process.Kill() // SIGKILL: no deferred code, no clean close
	cmd.Wait()
	if len(acked) < 100 {
		t.Fatalf("the child acknowledged only %d saves before it was killed", len(acked))
	}

	db := openGroupTest(t, path)
	ctx := context.Background()
	var check string
	if err := db.queryRow(ctx, `PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity check after kill: %q, %v", check, err)
	}
	for _, number := range acked {
		var history int
		err := db.queryRow(ctx, `SELECT count(*) FROM case_status_history h JOIN cases c ON c.id = h.case_id WHERE c.number = ?`, number).Scan(&history)
		if err != nil || history == 0 {
			t.Errorf("acknowledged case %s: %d history rows (%v), want it stored whole", number, history, err)
		}
	}
	var orphans int
	if err := db.queryRow(ctx, `SELECT count(*) FROM cases c WHERE NOT EXISTS (SELECT 1 FROM case_status_history h WHERE h.case_id = c.id)`).Scan(&orphans); err != nil || orphans != 0 {
		t.Errorf("%d cases without their history (%v): a save was stored in part", orphans, err)
	}
	// The counter holds what the last committed group took: the next
	// case takes the number after the highest stored.
	var stored int
	if err := db.queryRow(ctx, `SELECT count(*) FROM cases WHERE customer_id = ?`, customer).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	nextAfter(t, db, customer, stored)
	t.Logf("%d acknowledged saves, all present after kill -9", len(acked))
}

// nextAfter checks that the customer's cases are numbered 1 to n in the
// year's series and that the next case saved is numbered n+1.
func nextAfter(t *testing.T, db *DB, customer int64, n int) {
	t.Helper()
	ctx := context.Background()
	var highest string
	if err := db.queryRow(ctx, `SELECT COALESCE(max(number), '') FROM cases WHERE customer_id = ?`, customer).Scan(&highest); err != nil {
		t.Fatal(err)
	}
	if seq, _ := strconv.Atoi(highest[strings.LastIndex(highest, "-")+1:]); seq != n {
		t.Errorf("highest case number %q, want number %d of the series", highest, n)
	}
	var c repair.Case
	if err := db.Update(ctx, func(tx *Tx) error {
		var err error
		c, err = fileCase(ctx, tx, customer, "the next one")
		return err
	}); err != nil {
		t.Fatalf("the case after the groups: %v", err)
	}
	if seq, _ := strconv.Atoi(c.Number[strings.LastIndex(c.Number, "-")+1:]); seq != n+1 {
		t.Errorf("the case after the groups is %s, want number %d of the series", c.Number, n+1)
	}
}

// crashChild saves cases with 32 writers until it is killed, printing each
// acknowledged case's number.
func crashChild(path string) {
	ctx := context.Background()
	db, err := OpenSQLite(ctx, path)
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(1)
	}
	customer, _ := strconv.ParseInt(os.Getenv("KUNDPORTAL_CRASH_CUSTOMER"), 10, 64)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range 32 {
		wg.Go(func() {
			for i := 0; ; i++ {
				var c repair.Case
				err := db.Update(ctx, func(tx *Tx) error {
					var err error
					c, err = fileCase(ctx, tx, customer, fmt.Sprintf("w%d-%d", w, i))
					return err
				})
				if err != nil {
					continue
				}
				mu.Lock()
				fmt.Println("saved " + c.Number)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
}

// BenchmarkSaves32 files cases from 32 writers at once, with and without
// group commit, in the same run: the figure that matters is the ratio.
//
//	go test ./internal/store -run X -bench Saves32 -benchtime 3000x
func BenchmarkSaves32(b *testing.B) {
	for _, grouped := range []bool{false, true} {
		name := "one-transaction-each"
		if grouped {
			name = "grouped"
		}
		b.Run(name, func(b *testing.B) {
			db, err := OpenSQLite(context.Background(), filepath.Join(b.TempDir(), "saves.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			ctx := context.Background()
			c := repair.Customer{Number: "K1", Name: "Bänk AB"}
			if err := db.Update(ctx, func(tx *Tx) error { return tx.CreateCustomer(ctx, &c) }); err != nil {
				b.Fatal(err)
			}
			if !grouped {
				db.group = nil
			}
			b.SetParallelism(16) // 32 goroutines on 2 cores
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := db.Update(ctx, func(tx *Tx) error {
						_, err := fileCase(ctx, tx, c.ID, "Skövde Diskmaskin läcker")
						return err
					}); err != nil {
						b.Error(err)
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "saves/s")
		})
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
