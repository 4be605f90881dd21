package store_test

import (
	"context"
	"fmt"
	"testing"

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
