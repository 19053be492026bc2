package directcache

import (
	"fmt"
	"math"
	"sync"
)

// The read cache. With O_DIRECT the kernel keeps no copy of what we read,
// so the WAL keeps its own: whole pages, up to a memory budget fixed when
// the log is opened (smf's design for seastar). Which pages stay when the
// budget is full is the policy's choice: CLOCK-Pro (clockpro.go) by
// default, LRU (lru.go) to compare against.
//
// This file and the policies know nothing of the log's files: a page is a
// key (segment and page number) and a page-sized slice, and a policy is the
// small pagePolicy interface. The one place that ties the cache to the log,
// reading a page from a segment and deciding when it may be cached, is
// pages.go.

// CachePolicy chooses which page the read cache drops when it is full.
type CachePolicy int

const (
	// CacheCLOCKPro keeps pages that are read again soon after their first
	// read, and lets one-pass scans and long loops through without flushing
	// them (clockpro.go). The default.
	CacheCLOCKPro CachePolicy = iota
	// CacheLRU drops the least recently read page (lru.go): simple, and the
	// baseline the harness and the tests compare CLOCK-Pro against.
	CacheLRU
)

func (p CachePolicy) String() string {
	switch p {
	case CacheCLOCKPro:
		return "clock-pro"
	case CacheLRU:
		return "lru"
	}
	return fmt.Sprintf("CachePolicy(%d)", int(p))
}

// pageKey names a page of the log. Segments are never reused, so a key
// never names two different contents over the life of the process.
type pageKey struct {
	seg  uint64 // segment number
	page int64  // page number in the segment: file offset / page size
}

// pagePolicy is a replacement policy over a fixed number of pages. It does
// no locking: pageCache holds its mutex around every call.
type pagePolicy interface {
	// get returns the page's data if it is resident.
	get(k pageKey) ([]byte, bool)
	// put makes the page resident, dropping another if the policy is full.
	put(k pageKey, data []byte)
	// len is the number of resident pages.
	len() int
	// check verifies the policy's invariants, for the tests.
	check() error
}

// pageCache is the WAL's read cache, safe for concurrent use. Pages are
// immutable once cached: callers cache only pages that will never be
// written again and never modify a slice get returned, so get can hand out
// the cached slice itself, without a copy. An evicted page's buffer is
// dropped, never reused, because a reader may still hold it.
type pageCache struct {
	mu       sync.Mutex
	pageSize int
	pages    int // capacity in pages
	policy   pagePolicy
}

// newPageCache returns a cache of budget/pageSize pages (rounded down, so
// the pages it holds never add up to more than budget bytes), or nil, a
// disabled cache, when not even one page fits. An unknown policy gets the
// default, CLOCK-Pro.
func newPageCache(budget int64, pageSize int, policy CachePolicy) *pageCache {
	if pageSize <= 0 || budget < int64(pageSize) {
		return nil
	}
	// Only a 32-bit int can overflow here; the pages are allocated as they
	// are read, so a huge capacity costs nothing up front.
	pages := int(min(budget/int64(pageSize), math.MaxInt))
	c := &pageCache{pageSize: pageSize, pages: pages}
	switch policy {
	case CacheLRU:
		c.policy = newLRU(pages)
	default:
		c.policy = newClockPro(pages)
	}
	return c
}

// get returns the cached page k. The caller must not modify it.
func (c *pageCache) get(k pageKey) ([]byte, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.policy.get(k)
}

// put caches data as page k and takes ownership of it. A slice that is not
// exactly one page is not cached: the budget counts whole pages.
func (c *pageCache) put(k pageKey, data []byte) {
	if c == nil || len(data) != c.pageSize {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.policy.put(k, data)
}

// heldBytes is the memory the cached pages take, never more than the
// budget given to newPageCache.
func (c *pageCache) heldBytes() int64 {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return int64(c.policy.len()) * int64(c.pageSize)
}

// capacity is the number of pages the cache can hold.
func (c *pageCache) capacity() int {
	if c == nil {
		return 0
	}
	return c.pages
}
