package orders_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"kundportal/internal/storetest"
)

// BenchmarkFileCaseConcurrent files cases through the operation the
// Nytt ärende form calls, from 32 goroutines at once, on each database:
// the case, its submission record, its audit entry and its mail,
// group-committed on SQLite, filed together in lanes on PostgreSQL. The
// store's BenchmarkSavesConcurrent is the same without the operation
// around the insert.
func BenchmarkFileCaseConcurrent(b *testing.B) {
	for _, d := range storetest.Dialects {
		b.Run(d.Name, func(b *testing.B) {
			w := newWorld(b, d.Open(b))
			// A request's context, which can be cancelled.
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var n atomic.Int64
			b.SetParallelism(16) // 32 goroutines on 2 cores
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := w.ops.FileCase(ctx, w.anna, caseInput(fmt.Sprintf("bench-%d", n.Add(1)))); err != nil {
						b.Error(err)
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "saves/s")
		})
	}
}
