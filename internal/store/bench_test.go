package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// BenchmarkCreateCase measures filing one case (number, row, history,
// submission token) in one transaction, as Spara does.
func BenchmarkCreateCase(b *testing.B) {
	for _, d := range storetest.Dialects {
		b.Run(d.Name, func(b *testing.B) {
			db := d.Open(b)
			ctx := context.Background()
			cust := storetest.Customer(b, db, "Bench")
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				c := repair.Case{CustomerID: cust.ID, Type: repair.PortalCaseType, Title: "Skövde Diskmaskin", Street: "Storgatan 1"}
				err := db.Update(ctx, func(tx *store.Tx) error {
					if err := tx.CreateCase(ctx, &c); err != nil {
						return err
					}
					return tx.RecordSubmission(ctx, fmt.Sprintf("tok-%d", i), c.ID)
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSearchAssets measures the Objekt picker's search over one
// customer's 1 000 machines among 10 000.
func BenchmarkSearchAssets(b *testing.B) {
	for _, d := range storetest.Dialects {
		b.Run(d.Name, func(b *testing.B) {
			db := d.Open(b)
			ctx := context.Background()
			var mine int64
			err := db.Update(ctx, func(tx *store.Tx) error {
				for c := 0; c < 10; c++ {
					cust := repair.Customer{Number: fmt.Sprintf("B%d", c), Name: "Bench"}
					if err := tx.CreateCustomer(ctx, &cust); err != nil {
						return err
					}
					mine = cust.ID
					for i := 0; i < 1000; i++ {
						a := repair.Asset{CustomerID: cust.ID, Number: fmt.Sprintf("%d%04d", c+1, i), Kind: []string{"Tvättmaskin", "Diskmaskin", "Kyl"}[i%3],
							Brand: "Electrolux", Street: fmt.Sprintf("Ängsvägen %d", i), City: "Skövde"}
						if err := tx.CreateAsset(ctx, &a); err != nil {
							return err
						}
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				as, err := db.SearchAssets(ctx, repair.CustomerScope(mine), "ängsv tvätt", 15)
				if err != nil || len(as) != 15 {
					b.Fatalf("SearchAssets = %d, %v", len(as), err)
				}
			}
		})
	}
}

// BenchmarkSavesConcurrent files cases from 32 writers at once on each
// database (SQLite's saves are group-committed, PostgreSQL's run side by
// side), in one run, for the ratio between them.
func BenchmarkSavesConcurrent(b *testing.B) {
	for _, d := range storetest.Dialects {
		b.Run(d.Name, func(b *testing.B) {
			db := d.Open(b)
			ctx := context.Background()
			cust := storetest.Customer(b, db, "Bench")
			b.SetParallelism(16) // 32 goroutines on 2 cores
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					c := repair.Case{CustomerID: cust.ID, Type: repair.PortalCaseType, Title: "Skövde Diskmaskin", Street: "Storgatan 1"}
					if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateCase(ctx, &c) }); err != nil {
						b.Error(err)
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "saves/s")
		})
	}
}

// BenchmarkFritextOlderWord measures Sök ärende for words of many cases
// that the newest do not hold: 6 000 old cases say "torktumlare", the
// 40 000 after them do not. "unbounded" reads in order until the page is
// full, as before the read had a budget (searchtext.go); "budget" stops
// at three cases per match and takes the page from the text index. A
// word of the newest cases ("diskmaskin") shows the common case, which
// the budget leaves as it was. On both databases, one after the other.
func BenchmarkFritextOlderWord(b *testing.B) {
	for _, d := range storetest.Dialects {
		b.Run(d.Name, func(b *testing.B) { benchFritextOlderWord(b, d.Open(b)) })
	}
}

func benchFritextOlderWord(b *testing.B, db *store.DB) {
	ctx := context.Background()
	cust := storetest.Customer(b, db, "Bench")
	day0 := time.Date(2020, 1, 1, 8, 0, 0, 0, time.UTC)
	err := db.Update(ctx, func(tx *store.Tx) error {
		for i := range 46000 {
			title := "Skövde Diskmaskin läcker"
			if i < 6000 {
				title = "Skövde Torktumlare låter"
			}
			c := repair.Case{CustomerID: cust.ID, Type: repair.PortalCaseType, Title: title, Street: "Storgatan 1",
				RegisteredAt: day0.Add(time.Duration(i) * time.Hour)}
			if err := tx.CreateCase(ctx, &c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if err := store.IndexText(ctx, db); err != nil {
		b.Fatal(err)
	}
	// The planner's statistics, as a database in use has them.
	if err := store.ExecSQL(ctx, db, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	defer store.SetTextIndexMax(3000)()
	for _, word := range []string{"torktumlare", "diskmaskin"} {
		for _, way := range []struct {
			name     string
			perMatch float64
		}{{"unbounded", 1 << 30}, {"budget", 3}} {
			b.Run(word+"/"+way.name, func(b *testing.B) {
				defer store.SetTextScanPerMatch(way.perMatch)()
				b.ReportAllocs()
				for b.Loop() {
					res, err := db.SearchCases(ctx, repair.CustomerScope(cust.ID), repair.CaseFilter{Text: word})
					if err != nil || len(res.Cases) != 50 {
						b.Fatalf("%d cases, %v", len(res.Cases), err)
					}
				}
			})
		}
	}
}
