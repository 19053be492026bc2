package directcache

import "fmt"

// Preallocation: a segment's blocks are allocated and zero-filled before any
// record is written to them, so that writing a record changes no metadata
// and fdatasync has only the data to flush.

// Prealloc says how a segment is prepared before it is used.
type Prealloc int

const (
	// PreallocZero writes zeros over the whole segment and syncs them. Later
	// writes overwrite allocated, initialized blocks: fdatasync then has no
	// metadata to commit. Measured fastest on ext4 (see the README). It is
	// the default on every platform: it needs nothing of the filesystem but
	// writes, and on macOS and FreeBSD, where the kit was not measured, it
	// is the choice whose effect does not depend on how the filesystem
	// implements allocation.
	PreallocZero Prealloc = iota
	// PreallocFallocate reserves the blocks without writing them:
	// fallocate(2) on Linux, fcntl F_PREALLOCATE on macOS, posix_fallocate
	// on FreeBSD (prealloc_linux.go, prealloc_darwin.go,
	// prealloc_freebsd.go). On ext4 they are "unwritten extents": the first
	// write to each one still changes metadata, which every fdatasync must
	// then commit to the journal. Where the filesystem cannot reserve
	// blocks (ZFS allocates anew on every write), preparing a segment fails
	// with an error that says so, rather than quietly zero-filling.
	PreallocFallocate
	// PreallocNone creates an empty file that grows with every append, as in
	// stage 3. Here for the comparison.
	PreallocNone
)

func (p Prealloc) String() string {
	switch p {
	case PreallocZero:
		return "zero"
	case PreallocFallocate:
		return "fallocate"
	case PreallocNone:
		return "none"
	}
	return fmt.Sprintf("Prealloc(%d)", int(p))
}

// zeroChunk is how much of a segment is zero-filled and synced at a time:
// 1 MiB, where stage 4 syncs every 256 KiB. Each sync of a new segment also
// commits the blocks its chunk allocated to the journal; with O_DIRECT the
// zeros go to the device as they are written, so a larger chunk puts no
// larger burst of dirty pages behind the sync, and a segment costs 64
// syncs instead of 256. It matters with large entries, where a segment
// fills every tenth of a second: 16 writers of 64 KiB gained a fifth or
// more, 128 B entries nothing either way (docs/FINDINGS.md).
const zeroChunk = 1 << 20

// preallocate reserves SegmentSize bytes as Options.Prealloc says.
func (p *segmentPreparer) preallocate(f logFile, name string) error {
	switch p.opts.Prealloc {
	case PreallocZero:
		// Sync each chunk as it is written: one fsync of 64 MiB of dirty
		// zeros would occupy the disk for tens of milliseconds, and every
		// append's fdatasync would wait behind it. Small flushes interleave.
		zeros := alignedBuffer(int(min(p.opts.SegmentSize, zeroChunk)))
		for off := int64(0); off < p.opts.SegmentSize; off += int64(len(zeros)) {
			chunk := zeros[:min(int64(len(zeros)), p.opts.SegmentSize-off)]
			if err := p.failedErr(); err != nil {
				return err // stop writing once the WAL has failed
			}
			p.stats.writes.Add(1)
			n, err := f.WriteAt(chunk, off)
			p.stats.prepBytes.Add(uint64(n))
			if err != nil {
				return fmt.Errorf("wal: zero-fill %s at offset %d: %w", name, off, err)
			}
			p.stats.syncs.Add(1)
			if err := f.Datasync(); err != nil {
				return fmt.Errorf("wal: fdatasync %s: %w", name, err)
			}
		}
	case PreallocFallocate:
		if err := allocate(f, p.opts.SegmentSize); err != nil {
			return fmt.Errorf("wal: %s %s (%d bytes): %w", allocateCall, name, p.opts.SegmentSize, err)
		}
	}
	return nil
}

// datasync is fdatasync(2): it makes the data durable, plus the metadata
// needed to read it back (the file size, if it grew), but skips the rest
// (the modification time). Writing into a preallocated, zero-filled segment
// changes no such metadata, so the journal has nothing to commit: that is
// the saving this stage is about.
func (w *WAL) datasync(seg *segment) error {
	w.stats.syncs.Add(1)
	if err := seg.f.Datasync(); err != nil {
		return fmt.Errorf("wal: fdatasync %s: %w", seg.path, err)
	}
	return nil
}
