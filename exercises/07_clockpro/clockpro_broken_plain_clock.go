//go:build broken_plain_clock && !solution

package clockpro

import "fmt"

// A broken variant, for the tests to catch: plain CLOCK, the second-chance
// approximation of LRU. One hand; a read page gets one more turn, an
// unread one is evicted. It is cheap and close to LRU, and has LRU's
// faults: a loop one page larger than the cache misses every time, and a
// long scan clears every mark and flushes the pages read most.
type ClockPro struct {
	capacity int
	ring     []*clockEntry // the clock; hand is the next to look at
	hand     int
	pages    map[uint64]*clockEntry
}

type clockEntry struct {
	key        uint64
	value      []byte
	referenced bool
}

var _ Cache = (*ClockPro)(nil)

func New(capacity int) (*ClockPro, error) {
	if capacity < 1 {
		return nil, fmt.Errorf("clockpro: capacity %d, want at least 1", capacity)
	}
	return &ClockPro{capacity: capacity, pages: map[uint64]*clockEntry{}}, nil
}

func (c *ClockPro) Get(key uint64) ([]byte, bool) {
	e, ok := c.pages[key]
	if !ok {
		return nil, false
	}
	e.referenced = true
	return e.value, true
}

func (c *ClockPro) Put(key uint64, value []byte) {
	if e, ok := c.pages[key]; ok {
		e.value, e.referenced = value, true
		return
	}
	e := &clockEntry{key: key, value: value}
	c.pages[key] = e
	if len(c.ring) < c.capacity {
		c.ring = append(c.ring, e)
		return
	}
	for c.ring[c.hand].referenced {
		c.ring[c.hand].referenced = false
		c.hand = (c.hand + 1) % len(c.ring)
	}
	delete(c.pages, c.ring[c.hand].key)
	c.ring[c.hand] = e
	c.hand = (c.hand + 1) % len(c.ring)
}

func (c *ClockPro) Len() int     { return len(c.ring) }
func (c *ClockPro) Tracked() int { return len(c.pages) }
