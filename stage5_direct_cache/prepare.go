package directcache

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// preparedSegment is a segment file ready to be written: preallocated,
// synced, and linked into the directory under its final name.
type preparedSegment struct {
	num  uint64
	path string
	f    logFile
	err  error
}

// segmentPreparer keeps the next segment file ready, so the writer never
// waits for allocation in the common case (etcd's filePipeline). Its
// goroutine, prepareLoop, prepares one segment, waits until rotation takes
// it, and prepares the next. Once a preparation failed, or the WAL did, it
// prepares nothing more (no retry on a full disk), but still answers, with
// the error, so that a rotation never waits forever.
type segmentPreparer struct {
	// Set by newSegmentPreparer, read-only afterwards.
	dir       string
	openFile  openFileFunc
	opts      Options
	stats     *counters
	failedErr func() error // the WAL's: nothing is written or synced once it failed
	syncDir   func() error

	ready    chan preparedSegment // the next segment, ready to use
	stopping chan struct{}        // closed by stop
	loop     sync.WaitGroup       // prepareLoop

	// held is the first segment of an empty log, taken by Open (holdFirst)
	// so that the cost of preparing it shows up there. The WAL's writeMu
	// guards it, as it guards take.
	held *preparedSegment
}

func (w *WAL) newSegmentPreparer() *segmentPreparer {
	return &segmentPreparer{
		dir:       w.dir,
		openFile:  w.openSegmentFile, // O_DIRECT where the filesystem takes it
		opts:      w.opts,
		stats:     &w.stats,
		failedErr: w.failedErr,
		syncDir:   func() error { return w.syncDir(w.dir) },
		ready:     make(chan preparedSegment),
		stopping:  make(chan struct{}),
	}
}

// start runs prepareLoop, which numbers the segments it makes from first.
func (p *segmentPreparer) start(first uint64) {
	p.loop.Add(1)
	go p.prepareLoop(first)
}

func (p *segmentPreparer) prepareLoop(num uint64) {
	defer p.loop.Done()
	var failed error
	for {
		if failed == nil {
			failed = p.failedErr()
		}
		s := preparedSegment{err: failed}
		if failed == nil {
			s = p.prepareSegment(num)
			failed = s.err
		}
		select {
		case p.ready <- s:
			num++
		case <-p.stopping:
			if s.f != nil {
				s.f.Close() // it stays on disk, unused; Open removes it
			}
			return
		}
	}
}

// prepareSegment creates segment num under a temporary name, preallocates
// and syncs it, then renames it into place and syncs the directory. A crash
// at any point leaves either a .tmp file (removed by Open) or a complete,
// unused segment: never a half-prepared file under a segment's name.
func (p *segmentPreparer) prepareSegment(num uint64) preparedSegment {
	path := filepath.Join(p.dir, segmentName(num))
	tmp := path + ".tmp"
	f, err := p.openFile(tmp, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return preparedSegment{err: fmt.Errorf("wal: create %s: %w", tmp, err)}
	}
	if err := p.preallocate(f, tmp); err != nil {
		f.Close()
		return preparedSegment{err: err}
	}
	if err := p.failedErr(); err != nil { // no more syncs once the WAL failed
		f.Close()
		return preparedSegment{err: err}
	}
	p.stats.syncs.Add(1)
	if err := f.Sync(); err != nil { // a full fsync: the size changed
		f.Close()
		return preparedSegment{err: fmt.Errorf("wal: fsync %s: %w", tmp, err)}
	}
	if err := os.Rename(tmp, path); err != nil {
		f.Close()
		return preparedSegment{err: fmt.Errorf("wal: rename %s: %w", tmp, err)}
	}
	if err := p.syncDir(); err != nil {
		f.Close()
		return preparedSegment{err: err}
	}
	p.stats.segments.Add(1)
	return preparedSegment{num: num, path: path, f: f}
}

// take returns the next prepared segment, waiting if its preparation has
// not finished. Callers hold the WAL's writeMu, so segments are taken in
// order.
func (p *segmentPreparer) take() preparedSegment {
	if p.held != nil {
		s := *p.held
		p.held = nil
		return s
	}
	select {
	case s := <-p.ready:
		return s
	default:
		p.stats.prepWaits.Add(1) // preparation fell behind the writers
		return <-p.ready
	}
}

// holdFirst takes the first segment prepareLoop makes ready and keeps it
// for the first write.
func (p *segmentPreparer) holdFirst() error {
	s := <-p.ready
	if s.err != nil {
		return s.err
	}
	p.held = &s
	return nil
}

// stop ends prepareLoop and closes a held segment that no append used. The
// segments stay on disk, unused, and the next Open removes them.
func (p *segmentPreparer) stop() {
	close(p.stopping)
	p.loop.Wait()
	if p.held != nil {
		p.held.f.Close()
	}
}
