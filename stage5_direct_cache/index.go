package directcache

import (
	"sort"
	"sync"
)

// index maps entry indices to segments and file offsets, so Read is one
// lookup and one pread. It costs 8 bytes of memory per entry. It has its own
// lock so that readers never wait behind a writer's fsync.
type index struct {
	mu   sync.RWMutex
	segs []*segment // oldest first; each holds the offsets of its entries
}

// add records that entries starting at offsets in seg are durable, ending
// at end. seg is the newest segment, or becomes it.
func (x *index) add(seg *segment, offsets []int64, end int64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if len(x.segs) == 0 || x.segs[len(x.segs)-1] != seg {
		x.segs = append(x.segs, seg)
	}
	seg.offsets = append(seg.offsets, offsets...)
	seg.end = end
}

// lookup returns the segment and offset of entry i.
func (x *index) lookup(i uint64) (*segment, int64, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	n := sort.Search(len(x.segs), func(k int) bool { return x.segs[k].last() >= i })
	if n == len(x.segs) || i < x.segs[n].first {
		return nil, 0, false
	}
	return x.segs[n], x.segs[n].offsets[i-x.segs[n].first], true
}

// durableEnd is where the durable records of seg end: bytes after it may
// still be written.
func (x *index) durableEnd(seg *segment) int64 {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return seg.end
}

// span is a run of entries in one segment, for Replay.
type span struct {
	seg     *segment
	first   uint64
	offsets []int64 // never written to again: safe to keep without the lock
	end     int64
}

// since returns the entries from..last, segment by segment.
func (x *index) since(from uint64) []span {
	x.mu.RLock()
	defer x.mu.RUnlock()
	var spans []span
	for _, s := range x.segs {
		if s.last() < from || len(s.offsets) == 0 {
			continue
		}
		skip := uint64(0)
		if from > s.first {
			skip = from - s.first
		}
		n := len(s.offsets)
		spans = append(spans, span{s, s.first + skip, s.offsets[skip:n:n], s.end})
	}
	return spans
}

// first is the index of the oldest entry, 1 for an empty log.
func (x *index) first() uint64 {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if len(x.segs) == 0 {
		return 1
	}
	return x.segs[0].first
}

func (x *index) last() uint64 {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if len(x.segs) == 0 {
		return 0
	}
	return x.segs[len(x.segs)-1].last()
}

// dropBefore removes the segments whose entries all come before i, except
// the newest, and returns them oldest first.
func (x *index) dropBefore(i uint64) []*segment {
	x.mu.Lock()
	defer x.mu.Unlock()
	n := 0
	for n < len(x.segs)-1 && x.segs[n].last() < i {
		n++
	}
	dropped := x.segs[:n:n]
	x.segs = x.segs[n:]
	return dropped
}

// all returns every segment, for Close.
func (x *index) all() []*segment {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return append([]*segment(nil), x.segs...)
}
