package directcache

// TEMPORARY stub until cache.go lands.

import "sync"

type CachePolicy int

const (
	CacheCLOCKPro CachePolicy = iota
	CacheLRU
)

type pageKey struct {
	seg  uint64
	page int64
}

type pageCache struct {
	mu    sync.Mutex
	cap   int
	pages map[pageKey][]byte
	size  int
}

func newPageCache(budget int64, pageSize int, policy CachePolicy) *pageCache {
	if budget < int64(pageSize) {
		return nil
	}
	return &pageCache{cap: int(budget / int64(pageSize)), pages: map[pageKey][]byte{}, size: pageSize}
}

func (c *pageCache) get(k pageKey) ([]byte, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	d, ok := c.pages[k]
	return d, ok
}

func (c *pageCache) put(k pageKey, data []byte) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.pages) >= c.cap {
		for key := range c.pages {
			delete(c.pages, key)
			break
		}
	}
	c.pages[k] = data
}

func (c *pageCache) heldBytes() int64 {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return int64(len(c.pages) * c.size)
}
