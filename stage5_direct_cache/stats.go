package directcache

import "sync/atomic"

// Stats counts what the WAL did. Writes, Syncs and Bytes are counted where
// the syscalls are issued, so they are the real cost, not an estimate.
type Stats struct {
	Entries uint64 // entries made durable
	Writes  uint64 // write/pwrite syscalls issued
	Syncs   uint64 // fsync/fdatasync syscalls issued, and writes with RWF_DSYNC (each counts as a write and a sync)
	Bytes   uint64 // bytes of records handed to write syscalls

	Segments  uint64 // segment files prepared
	PrepBytes uint64 // zeros written to prepare them (Writes counts those writes)
	PrepWaits uint64 // rotations that had to wait for the next segment

	DirectIO     bool   // O_DIRECT (F_NOCACHE on macOS) in use; false where the filesystem refused it
	DsyncWrites  bool   // groups are written with RWF_DSYNC instead of write + fdatasync (groupsync.go)
	Alignment    uint64 // the block every write is aligned and padded to
	PaddingBytes uint64 // bytes of padding records written (Bytes counts them)
	CacheHits    uint64 // pages Read found in the cache
	CacheMisses  uint64 // pages Read had to read from the disk
	CacheBytes   uint64 // page data the cache holds now
}

type counters struct {
	entries, writes, syncs, bytes   atomic.Uint64
	segments, prepBytes, prepWaits  atomic.Uint64
	padding, cacheHits, cacheMisses atomic.Uint64
}

func (c *counters) snapshot() Stats {
	return Stats{
		Entries: c.entries.Load(),
		Writes:  c.writes.Load(),
		Syncs:   c.syncs.Load(),
		Bytes:   c.bytes.Load(),

		Segments:  c.segments.Load(),
		PrepBytes: c.prepBytes.Load(),
		PrepWaits: c.prepWaits.Load(),

		PaddingBytes: c.padding.Load(),
		CacheHits:    c.cacheHits.Load(),
		CacheMisses:  c.cacheMisses.Load(),
	}
}
