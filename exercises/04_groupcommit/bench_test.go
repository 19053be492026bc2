package groupcommit

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"walworkshop/exercises/internal/benchfile"
)

// BenchmarkWriters is stage 3's benchmark of the same name, at 64 writers:
// each appends one 128-byte entry and waits for it before the next, on a
// real file; one op is one entry. `make exercise-bench EX=04` runs both.
func BenchmarkWriters(b *testing.B) {
	for _, writers := range []int{64} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			f := benchfile.Create(b)
			l, err := New(f)
			if err != nil {
				b.Fatal(err)
			}
			defer l.Close()
			data := make([]byte, 128)
			var next atomic.Int64
			var wg sync.WaitGroup
			b.SetBytes(128)
			b.ResetTimer()
			for range writers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for next.Add(1) <= int64(b.N) {
						if _, err := l.Append(data); err != nil {
							b.Error(err)
							return
						}
					}
				}()
			}
			wg.Wait()
			b.StopTimer()
			f.Report(b, b.N)
		})
	}
}
