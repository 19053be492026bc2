package waltest

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// The power-cut writer is the test binary again, as in the kill tests, but
// it runs through the PowerCut test itself rather than through Main: the
// parent re-executes the binary with -test.run naming its own test, and
// the test, seeing powerCutChildEnv, becomes the writer instead of the
// parent.
const powerCutChildEnv = "WALTEST_POWERCUT_CHILD"

// powerCutWriters is how many goroutines of the child append at once.
const powerCutWriters = 8

// childRunPattern is the -test.run pattern that selects exactly the test
// named name (a t.Name(), subtests and all).
func childRunPattern(name string) string {
	parts := strings.Split(name, "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	return strings.Join(parts, "/")
}

// powerCutChild opens the log and appends with powerCutWriters writers,
// Append and AppendBatch mixed, until the power is cut under it and the
// parent kills it. It reports on stdout, each line in one write: "opening",
// "ready" once Open returned, "ack <index> <trial> <writer> <seq>" for
// every acknowledged entry before the writer appends again, "trunc <index>"
// before every TruncateFront, "error ..." when a call fails (which is what
// calls do once the power is cut).
func powerCutChild(s Stage) int {
	trial, _ := strconv.Atoi(os.Getenv(childTrialEnv))
	var out reporter
	out.printf("opening")
	w, err := s.Open(os.Getenv(childDirEnv))
	if err != nil {
		out.printf("error open: %v", err)
		return 3
	}
	out.printf("ready")
	var wg sync.WaitGroup
	for writer := range powerCutWriters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for seq := 0; ; {
				n := 1
				if (seq+writer)%4 == 3 {
					n = 2 + seq%3 // an AppendBatch of 2 to 4 entries
				}
				batch := make([][]byte, n)
				for k := range batch {
					batch[k] = powerEntry(crashID{trial, writer, seq + k})
				}
				first, err := appendSome(w, batch)
				if err != nil {
					out.printf("error append: %v", err)
					return
				}
				out.acked(first, trial, writer, seq, n)
				seq += n
				// Truncate often, so that segments are removed while
				// the power may go.
				if s.TruncateFront != nil && writer == 0 && seq%8 < n && first > 48 {
					out.printf("trunc %d", first-32)
					if err := s.TruncateFront(w, first-32); err != nil {
						out.printf("error truncate: %v", err)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	return 4 // every writer failed: the power is off
}

// powerEntry is what writer id.writer of cut id.trial appends as its
// id.seq-th entry: a header that names it, then bytes derived from it and
// from their position, so that a block from elsewhere cannot pass. Sizes
// run from 16 bytes to 64 KiB, spread evenly over the powers of two, so
// that entries end inside sectors, span blocks, and fill segments.
func powerEntry(id crashID) []byte {
	h := uint64(id.trial)*0x9e3779b97f4a7c15 ^ uint64(id.writer)*0xbf58476d1ce4e5b9 ^ uint64(id.seq)*0x94d049bb133111eb
	h ^= h >> 31
	class := 16 << (h % 13) // 16 B .. 64 KiB
	size := max(16, class/2+int(h>>8)%(class/2+1))
	b := fmt.Appendf(make([]byte, 0, size+8), "power %d %d %d ", id.trial, id.writer, id.seq)
	header := len(b)
	for len(b) < size {
		b = binary.LittleEndian.AppendUint64(b, h^uint64(len(b))*0xd6e8feb86659fd93)
	}
	return b[:max(size, header)]
}

// parsePowerEntry recognizes exactly the payloads powerEntry makes.
func parsePowerEntry(b []byte) (crashID, bool) {
	var id crashID
	if _, err := fmt.Sscanf(string(b[:min(len(b), 48)]), "power %d %d %d ", &id.trial, &id.writer, &id.seq); err != nil {
		return id, false
	}
	return id, bytes.Equal(b, powerEntry(id))
}
