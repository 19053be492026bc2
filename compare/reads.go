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

	"walworkshop/compare/harness"
	"walworkshop/compare/latency"
	"walworkshop/compare/report"
	"walworkshop/compare/stages"
	"walworkshop/compare/traces"
	prealloc "walworkshop/stage4_prealloc"
	directcache "walworkshop/stage5_direct_cache"
)

// The reads workload: Read by index on the zipf, loop and scan traces
// (compare/traces), comparing stage 5's own page cache under its two
// policies, CLOCK-Pro and LRU, with the same budget, against no cache at all
// (every Read an O_DIRECT pread) and against stage 4, which reads through
// the kernel's page cache.

// Every entry fills exactly one of stage 5's cache pages, so "pages read
// from the disk" is "entries read from the disk" and the hit ratio is per
// Read. The sizes are stage 5's own (stage5_direct_cache/layout.go).
const (
	pageBytes = directcache.PageSize
	// entryBytes makes every record exactly one page.
	entryBytes = pageBytes - directcache.RecordHeaderSize
	// alignerBytes is the first entry: it fills the rest of the first page
	// after the segment header, so every later record starts on a page.
	alignerBytes = pageBytes - directcache.SegmentHeaderSize - directcache.RecordHeaderSize
)

// readLog is what the workload needs of a stage: Read, and where there is
// one, the cache's miss counter.
type readLog interface {
	harness.Log
	AppendBatch(entries [][]byte) (uint64, error)
	Read(index uint64) ([]byte, error)
	// diskReads counts the pages Read had to fetch from the disk; counted
	// is false where nobody counts them (the kernel's page cache).
	diskReads() (n uint64, counted bool)
}

// A readVariant is one row of the reads tables.
type readVariant struct {
	report.ReadVariant
	stage string // the stage -stages must include for this row
	open  func(dir string, sh traces.Shape) (readLog, error)
}

func readVariants() []readVariant {
	return []readVariant{
		{report.ReadVariant{Name: stages.Variant(stages.DirectCache, "clock-pro"), Label: "stage 5, CLOCK-Pro", Cached: true},
			stages.DirectCache, openDirect(directcache.CacheCLOCKPro, true)},
		{report.ReadVariant{Name: stages.Variant(stages.DirectCache, "lru"), Label: "stage 5, LRU", Cached: true},
			stages.DirectCache, openDirect(directcache.CacheLRU, true)},
		{report.ReadVariant{Name: stages.Variant(stages.DirectCache, "uncached"), Label: "stage 5, no cache (O_DIRECT)", NoRatio: "no cache"},
			stages.DirectCache, openDirect(directcache.CacheCLOCKPro, false)},
		{report.ReadVariant{Name: stages.Prealloc, Label: "stage 4, OS page cache", NoRatio: "kernel (not counted)"},
			stages.Prealloc, openKernelCached},
	}
}

// segmentBytes keeps the whole log in one segment (a second segment would
// start with its own header and undo the page alignment), with room for
// the batch that may not fit at the end.
func segmentBytes(sh traces.Shape) int64 {
	return int64(sh.Entries+2)*pageBytes + 2*buildBatch*pageBytes
}

// Segments are fallocated, not zero-filled: each Open prepares the next
// segment in the background, and writing zeros over it would compete with
// the reads being timed.
func openDirect(policy directcache.CachePolicy, cached bool) func(string, traces.Shape) (readLog, error) {
	return func(dir string, sh traces.Shape) (readLog, error) {
		budget := int64(sh.CachePages) * pageBytes
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

func openKernelCached(dir string, sh traces.Shape) (readLog, error) {
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
	shape  traces.Shape
	traces []traces.Trace
	logs   map[string]string // stage -> directory of its log
}

func newReadsWorkload(parent string, cachePages int) *readsWorkload {
	sh := traces.ShapeFor(cachePages)
	return &readsWorkload{parent: parent, shape: sh, traces: traces.Make(sh), logs: map[string]string{}}
}

// variantsFor keeps the variants whose stage was picked with -stages.
func variantsFor(picked []harness.Stage) []readVariant {
	var out []readVariant
	for _, v := range readVariants() {
		if slices.ContainsFunc(picked, func(s harness.Stage) bool { return s.Name == v.stage }) {
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
	if v.Cached {
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
	for first := 0; first <= rw.shape.Entries; first += buildBatch {
		var batch [][]byte
		for pos := first; pos < min(first+buildBatch, rw.shape.Entries+1); pos++ {
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
			"are entries still one page each in %s's format (stage5_direct_cache/layout.go)?", after-before, v.stage)
	}
	return w.Close()
}

// runTrace replays t on variant v and measures it. Every cell starts cold:
// the WAL is reopened (stage 5's cache starts empty) and the kernel is
// told to drop the log's pages (stage 4 must read them from the disk again).
func (rw *readsWorkload) runTrace(v readVariant, t traces.Trace) (harness.Cell, error) {
	dir, err := rw.logFor(v)
	if err != nil {
		return harness.Cell{}, err
	}
	w, err := v.open(dir, rw.shape)
	if err != nil {
		return harness.Cell{}, fmt.Errorf("%s: open: %w", v.Name, err)
	}
	defer w.Close()
	if err := dropKernelCache(dir); err != nil {
		return harness.Cell{}, err
	}
	misses0, counted := w.diskReads()
	r, err := harness.Measure(w, 1, func(rec []*latency.Recorder) (int64, error) {
		for _, pos := range t.Positions {
			start := time.Now()
			data, err := w.Read(indexOf(pos))
			if err != nil {
				return 0, err
			}
			rec[0].Record(time.Since(start))
			if len(data) != entryBytes || binary.LittleEndian.Uint64(data) != uint64(pos) {
				return 0, fmt.Errorf("Read(%d) returned another entry", indexOf(pos))
			}
		}
		return int64(len(t.Positions)), nil
	})
	if err != nil {
		return harness.Cell{}, fmt.Errorf("%s reads %s: %w", v.Name, t.Name, err)
	}
	misses1, _ := w.diskReads()
	c := harness.NewCell("reads", v.Name, 1, entryBytes, r)
	c.Trace = t.Name
	if v.Cached && counted {
		c.HitRatio = hitRatio(misses1-misses0, len(t.Positions))
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
		err = forgetPages(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("reads: fadvise %s: %w", name, err)
		}
	}
	return nil
}

// planReads adds a cell per trace and read variant, if -stages has a stage
// the workload reads from.
func planReads(p *planner) {
	variants := variantsFor(p.cfg.stages)
	if len(variants) == 0 {
		fmt.Fprintf(p.progress, "reads: skipped (it needs %s or %s in -stages)\n", stages.Prealloc, stages.DirectCache)
		return
	}
	rw := newReadsWorkload(p.cfg.dir, p.cfg.readCache)
	p.cleanups = append(p.cleanups, rw.removeLogs)
	for _, t := range rw.traces {
		for _, v := range variants {
			p.jobs = append(p.jobs, func() (harness.Cell, error) { return rw.runTrace(v, t) })
		}
	}
}
