package groupcommit

import "sync"

// index maps entry indices to file offsets, so Read is one lookup and one
// pread. It costs 8 bytes of memory per entry. It has its own lock so that
// readers never wait behind a writer's fsync.
type index struct {
	mu      sync.RWMutex
	offsets []int64 // offsets[i] is where entry i+1 starts
	end     int64   // where the record after the last entry will start
}

// add records that entries starting at offsets are durable, ending at end,
// and returns the index of the first of them.
func (x *index) add(offsets []int64, end int64) uint64 {
	x.mu.Lock()
	defer x.mu.Unlock()
	first := uint64(len(x.offsets)) + 1
	x.offsets = append(x.offsets, offsets...)
	x.end = end
	return first
}

// lookup returns the offset of entry i.
func (x *index) lookup(i uint64) (int64, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if i < 1 || i > uint64(len(x.offsets)) {
		return 0, false
	}
	return x.offsets[i-1], true
}

// since returns the offsets of entries from..last and the end of the last
// one. The returned slice is never written to again, so the caller may keep
// it without holding the lock.
func (x *index) since(from uint64) (offsets []int64, end int64) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if from < 1 {
		from = 1
	}
	if from > uint64(len(x.offsets)) {
		return nil, x.end
	}
	return x.offsets[from-1 : len(x.offsets) : len(x.offsets)], x.end
}

func (x *index) last() uint64 {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return uint64(len(x.offsets))
}
