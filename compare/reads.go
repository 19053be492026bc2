package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"golang.org/x/sys/unix"

	"walworkshop/compare/latency"
	prealloc "walworkshop/stage4_prealloc"
	directcache "walworkshop/stage5_direct_cache"
)

// The reads workload: Read by index on the zipf, loop and scan traces
// (traces.go), comparing stage 5's own page cache under its two policies,
// CLOCK-Pro and LRU, with the same budget, against no cache at all (every
// Read an O_DIRECT pread) and against stage 4, which reads through the
// kernel's page cache.

// pageBytes is stage 5's cache page. Each entry fills exactly one page
// (see alignedLayout), so "pages read from the disk" is "entries read from
// the disk" and the hit ratio is per Read.
const pageBytes = 4096

// Stage 5's format (SPEC.md, stage5_direct_cache/doc.go): a segment starts
// with a 32-byte header, and every record is an 8-byte header + payload.
const (
	segmentHeaderBytes = 32
	recordHeaderBytes  = 8
	// entryBytes makes every record exactly one page.
	entryBytes = pageBytes - recordHeaderBytes
	// alignerBytes is the first entry: it fills the rest of the first page
	// after the segment header, so every later record starts on a page.
	alignerBytes = pageBytes - segmentHeaderBytes - recordHeaderBytes
)

// readLog is what the workload needs of a stage: Read, and where there is
// one, the cache's miss counter.
type readLog interface {
	AppendBatch(entries [][]byte) (uint64, error)
	Read(index uint64) ([]byte, error)
	Close() error
	// diskReads counts the pages Read had to fetch from the disk; counted
	// is false where nobody counts them (the kernel's page cache).
	diskReads() (n uint64, counted bool)
}

// A readVariant is one row of the reads tables.
type readVariant struct {
	name   string // the row: stage, or stage/policy
	label  string // the same, for a chart's legend
	stage  string // the stage -stages must include for this row
	cached bool   // has a cache whose hits the workload can count
	open   func(dir string, sh traceShape) (readLog, error)
}

func readVariants() []readVariant {
	return []readVariant{
		{"stage5_direct_cache/clock-pro", "stage 5, CLOCK-Pro", "stage5_direct_cache", true, openDirect(directcache.CacheCLOCKPro, true)},
		{"stage5_direct_cache/lru", "stage 5, LRU", "stage5_direct_cache", true, openDirect(directcache.CacheLRU, true)},
		{"stage5_direct_cache/uncached", "stage 5, no cache (O_DIRECT)", "stage5_direct_cache", false, openDirect(directcache.CacheCLOCKPro, false)},
		{"stage4_prealloc", "stage 4, OS page cache", "stage4_prealloc", false, openKernelCached},
	}
}

// segmentBytes keeps the whole log in one segment (a second segment would
// start with its own header and undo the page alignment), with room for
// the batch that may not fit at the end.
func segmentBytes(sh traceShape) int64 {
	return int64(sh.entries+2)*pageBytes + 2*buildBatch*pageBytes
}

// Segments are fallocated, not zero-filled: each Open prepares the next
// segment in the background, and writing zeros over it would compete with
// the reads being timed.
func openDirect(policy directcache.CachePolicy, cached bool) func(string, traceShape) (readLog, error) {
	return func(dir string, sh traceShape) (readLog, error) {
		budget := int64(sh.cachePages) * pageBytes
		if !cached {
			budget = -1 // no cache: every Read goes to the disk
		}
		w, err := directcache.Open(dir, directcache.Options{CacheBytes: budget, Cache: policy,
			SegmentSize: segmentBytes(sh), Prealloc: directcache.PreallocFallocate})
		if err != nil {
			return nil, err
		}
		return directLog{w}, nil
	}
}

type directLog struct{ *directcache.WAL }

func (d directLog) diskReads() (uint64, bool) { return d.Stats().CacheMisses, true }

func openKernelCached(dir string, sh traceShape) (readLog, error) {
	w, err := prealloc.Open(dir, prealloc.Options{SegmentSize: segmentBytes(sh), Prealloc: prealloc.PreallocFallocate})
	if err != nil {
		return nil, err
	}
	return kernelLog{w}, nil
}

type kernelLog struct{ *prealloc.WAL }

func (kernelLog) diskReads() (uint64, bool) { return 0, false }

// readsWorkload is what the cells of the reads workload share: the traces,
// and one log per stage, built by the first cell that needs it.
type readsWorkload struct {
	parent string
	shape  traceShape
	traces []trace
	logs   map[string]string // stage -> directory of its log
}

func newReadsWorkload(parent string, cachePages int) *readsWorkload {
	sh := shapeFor(cachePages)
	return &readsWorkload{parent: parent, shape: sh, traces: makeTraces(sh), logs: map[string]string{}}
}

// variantsFor keeps the variants whose stage was picked with -stages.
func variantsFor(stages []stage) []readVariant {
	var out []readVariant
	for _, v := range readVariants() {
		if slices.ContainsFunc(stages, func(s stage) bool { return s.name == v.stage }) {
			out = append(out, v)
		}
	}
	return out
}

// removeLogs deletes the logs built so far.
func (rw *readsWorkload) removeLogs() {
	for _, dir := range rw.logs {
		os.RemoveAll(dir)
	}
}

// logFor returns the directory of v's stage's log, building it first if no
// variant of that stage has.
func (rw *readsWorkload) logFor(v readVariant) (string, error) {
	if dir, ok := rw.logs[v.stage]; ok {
		return dir, nil
	}
	dir, err := os.MkdirTemp(rw.parent, ".compare-reads-")
	if err != nil {
		return "", err
	}
	rw.logs[v.stage] = dir
	if err := rw.build(v, dir); err != nil {
		return "", fmt.Errorf("reads: building %s's log: %w", v.stage, err)
	}
	if v.cached {
		if err := rw.checkOnePagePerEntry(v, dir); err != nil {
			return "", err
		}
	}
	return dir, nil
}

// buildBatch is the entries per AppendBatch while building: 1 MiB.
const buildBatch = 256

// build writes the aligner, then the entries, then one more: stage 5
// caches only pages wholly before the durable end, so without it the last
// entry's page could never be cached. Each entry starts with its position,
// so a Read that returns the wrong entry is caught.
func (rw *readsWorkload) build(v readVariant, dir string) error {
	w, err := v.open(dir, rw.shape)
	if err != nil {
		return err
	}
	defer w.Close()
	if _, err := w.AppendBatch([][]byte{make([]byte, alignerBytes)}); err != nil {
		return err
	}
	for first := 0; first <= rw.shape.entries; first += buildBatch {
		var batch [][]byte
		for pos := first; pos < min(first+buildBatch, rw.shape.entries+1); pos++ {
			batch = append(batch, entryAt(pos))
		}
		if _, err := w.AppendBatch(batch); err != nil {
			return err
		}
	}
	return w.Close()
}

func entryAt(pos int) []byte {
	b := make([]byte, entryBytes)
	binary.LittleEndian.PutUint64(b, uint64(pos))
	return b
}

// indexOf is the index of the entry at pos: index 1 is the aligner.
func indexOf(pos int) uint64 { return uint64(pos) + 2 }

// checkOnePagePerEntry reads one entry twice from a cold cache: one page
// from the disk, then none. Anything else means entries straddle pages
// (stage 5's format changed: see alignerBytes) or the cache does not keep
// pages, and the hit ratios would not mean what the report says.
func (rw *readsWorkload) checkOnePagePerEntry(v readVariant, dir string) error {
	w, err := v.open(dir, rw.shape)
	if err != nil {
		return err
	}
	defer w.Close()
	before, _ := w.diskReads()
	for range 2 {
		if _, err := w.Read(indexOf(0)); err != nil {
			return err
		}
	}
	if after, _ := w.diskReads(); after-before != 1 {
		return fmt.Errorf("reads: reading one entry twice fetched %d pages from the disk, want 1: "+
			"are entries still one page each in %s's format (compare/reads.go, alignerBytes)?", after-before, v.stage)
	}
	return w.Close()
}

// runTrace replays t on variant v and measures it. Every cell starts cold:
// the WAL is reopened (stage 5's cache starts empty) and the kernel is
// told to drop the log's pages (stage 4 must read them from the disk again).
func (rw *readsWorkload) runTrace(v readVariant, t trace) (cell, error) {
	dir, err := rw.logFor(v)
	if err != nil {
		return cell{}, err
	}
	w, err := v.open(dir, rw.shape)
	if err != nil {
		return cell{}, fmt.Errorf("%s: open: %w", v.name, err)
	}
	defer w.Close()
	if err := dropKernelCache(dir); err != nil {
		return cell{}, err
	}
	rec := latency.NewRecorder()
	misses0, counted := w.diskReads()
	start := time.Now()
	for _, pos := range t.positions {
		readStart := time.Now()
		data, err := w.Read(indexOf(pos))
		if err != nil {
			return cell{}, fmt.Errorf("%s reads %s: %w", v.name, t.name, err)
		}
		rec.Record(time.Since(readStart))
		if len(data) != entryBytes || binary.LittleEndian.Uint64(data) != uint64(pos) {
			return cell{}, fmt.Errorf("%s reads %s: Read(%d) returned another entry", v.name, t.name, indexOf(pos))
		}
	}
	secs := time.Since(start).Seconds()
	misses1, _ := w.diskReads()
	c := readsCell(v, t, secs, latency.Merge(rec))
	if v.cached && counted {
		c.HitRatio = hitRatio(misses1-misses0, len(t.positions))
	}
	return c, w.Close()
}

// hitRatio is the share of Reads served without going to the disk. It is
// computed from misses alone: an entry is one page, so a Read misses at
// most once, whereas the hit counter also counts any second look at a page
// within one Read.
func hitRatio(misses uint64, reads int) *float64 {
	r := 1 - float64(misses)/float64(reads)
	return &r
}

func readsCell(v readVariant, t trace, secs float64, sum latency.Summary) cell {
	n := int64(len(t.positions))
	us := func(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }
	return cell{
		Workload: "reads", Stage: v.name, Trace: t.name, Writers: 1, EntrySize: entryBytes,
		Entries: n, Seconds: secs,
		EntriesPS: float64(n) / secs,
		MBps:      float64(n) * entryBytes / 1e6 / secs,
		P50us:     us(sum.P50), P99us: us(sum.P99), P999us: us(sum.P999),
	}
}

// dropKernelCache asks the kernel to forget the cached pages of every file
// in dir (posix_fadvise DONTNEED: no root needed, unlike drop_caches). The
// files are synced, so every page is clean and can go. Under O_DIRECT there
// are none to drop; on tmpfs the pages are the files, and stay.
func dropKernelCache(dir string) error {
	names, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		return err
	}
	for _, name := range names {
		f, err := os.Open(name)
		if errors.Is(err, fs.ErrNotExist) {
			continue // the stage renamed a segment it was preparing
		}
		if err != nil {
			return err
		}
		err = unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED)
		f.Close()
		if err != nil {
			return fmt.Errorf("reads: fadvise %s: %w", name, err)
		}
	}
	return nil
}
