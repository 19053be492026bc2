package waltest

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"slices"
)

// imageVerdict is what checking one crash image found.
type imageVerdict struct {
	checked   int      // acknowledged entries the image had to hold
	lost      []string // acknowledged entries missing, or another in their place
	foreign   []string // entries no writer wrote, or one writer's entry twice
	refused   error    // Open (or Replay) failed
	appendErr error    // it opened, but refused appends or lost them
	noDir     bool     // the image has no log directory at all
}

func (v imageVerdict) failed() bool {
	return len(v.lost) > 0 || len(v.foreign) > 0 || v.refused != nil || v.appendErr != nil
}

// checkPowerImage opens the log in dir, a crash image, and checks it
// against the acknowledgements: every acknowledged entry at its index with
// its exact bytes (those before FirstIndex may be gone if TruncateFront was
// asked to drop them: truncatedTo is the highest index it was asked to
// keep), nothing that no writer wrote, and appends accepted after it.
func checkPowerImage(s Stage, dir string, acked map[uint64]crashID, truncatedTo uint64) (v imageVerdict) {
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		v.noDir = true // Open creates it; the check goes on to count what is lost
	}
	w, err := s.Open(dir)
	if err != nil {
		v.refused = err
		for index := range acked {
			if index >= max(truncatedTo, 1) {
				v.checked++
			}
		}
		return v
	}
	defer func() {
		if err := w.Close(); err != nil && v.appendErr == nil {
			v.appendErr = fmt.Errorf("close: %w", err)
		}
	}()
	first := w.FirstIndex()
	found := map[uint64]crashID{} // index -> the entry there
	where := map[crashID]uint64{} // entry -> its index
	err = w.Replay(first, func(index uint64, data []byte) error {
		id, ok := parsePowerEntry(data)
		if !ok {
			v.foreign = append(v.foreign, fmt.Sprintf("index %d: %d bytes no writer wrote (%.24q)", index, len(data), data))
			return nil
		}
		if prev, twice := where[id]; twice {
			v.foreign = append(v.foreign, fmt.Sprintf("index %d: %v again, first at %d", index, id, prev))
			return nil
		}
		found[index], where[id] = id, index
		return nil
	})
	if err != nil {
		v.refused = fmt.Errorf("replay from %d: %w", first, err)
	}
	for _, index := range slices.Sorted(maps.Keys(acked)) {
		if index < first && index < max(truncatedTo, 1) {
			continue // dropped by TruncateFront, as asked
		}
		v.checked++
		id := acked[index]
		switch got, ok := found[index]; {
		case !ok:
			v.lost = append(v.lost, fmt.Sprintf("index %d (%v) missing (FirstIndex %d, LastIndex %d)", index, id, first, w.LastIndex()))
		case got != id:
			v.lost = append(v.lost, fmt.Sprintf("index %d (%v) holds %v", index, id, got))
		}
	}
	if v.refused == nil {
		v.appendErr = appendAfterCrash(w)
	}
	return v
}

// appendAfterCrash appends to a recovered log, one entry and a batch, and
// reads them back.
func appendAfterCrash(w WAL) error {
	last := w.LastIndex()
	after := [][]byte{[]byte("after the cut 1"), []byte("after the cut 2"), []byte("after the cut 3")}
	if got, err := w.Append(after[0]); err != nil || got != last+1 {
		return fmt.Errorf("Append after LastIndex %d: index %d, %v", last, got, err)
	}
	if got, err := w.AppendBatch(after[1:]); err != nil || got != last+2 {
		return fmt.Errorf("AppendBatch after LastIndex %d: index %d, %v", last+1, got, err)
	}
	for i, want := range after {
		if got, err := w.Read(last + 1 + uint64(i)); err != nil || !bytes.Equal(got, want) {
			return fmt.Errorf("Read(%d) of an entry appended after the cut: %.30q, %v", last+1+uint64(i), got, err)
		}
	}
	return nil
}
