package directcache

import (
	"errors"
	"io"
)

// Reads by index go through the WAL's own page cache (cache.go, with the
// CLOCK-Pro policy of clockpro.go): with O_DIRECT the kernel caches nothing,
// so without it every Read would be a trip to the disk. The cache holds
// whole pages, keyed by segment and page number, and never more than
// Options.CacheBytes of them: a memory footprint stated in advance, where
// the kernel's page cache takes whatever memory is free.

// pageSize is the unit of the cache and of its reads from the disk: a
// multiple of every O_DIRECT alignment this stage accepts (direct.go).
const pageSize = 4096

// pageReader reads a segment sequentially from off, a page at a time, for
// readRecord.
type pageReader struct {
	w       *WAL
	seg     *segment
	off     int64
	durable int64  // where the segment's durable records end
	page    int64  // the page in data: a header and a small payload share one
	data    []byte // page's bytes, nil before the first Read
}

func (w *WAL) pageReader(seg *segment, off int64) *pageReader {
	return &pageReader{w: w, seg: seg, off: off, durable: w.index.durableEnd(seg)}
}

func (r *pageReader) Read(p []byte) (int, error) {
	if page := r.off / pageSize; r.data == nil || page != r.page {
		data, err := r.w.page(r.seg, page, r.durable)
		if err != nil {
			return 0, err
		}
		r.page, r.data = page, data
	}
	n := copy(p, r.data[min(r.off-r.page*pageSize, int64(len(r.data))):])
	if n == 0 {
		return 0, io.EOF
	}
	r.off += int64(n)
	return n, nil
}

// page returns page p of seg, from the cache or else from the disk. Only a
// page that ends before the durable end is cached: one that reaches past it
// is still being filled by later groups, and a cached copy would go stale.
// Pages wholly before it are never written again (groups are padded to a
// block and never rewritten), so a cached page is always current.
func (w *WAL) page(seg *segment, p, durable int64) ([]byte, error) {
	key := pageKey{seg: seg.num, page: p}
	if data, ok := w.cache.get(key); ok {
		w.stats.cacheHits.Add(1)
		return data, nil
	}
	w.stats.cacheMisses.Add(1)
	data := alignedBuffer(pageSize)
	n, err := seg.f.ReadAt(data, p*pageSize)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	if n == pageSize && (p+1)*pageSize <= durable {
		w.cache.put(key, data)
	}
	return data[:n], nil
}
