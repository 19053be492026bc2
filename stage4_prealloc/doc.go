// Package prealloc is stage 4 of the workshop: the log becomes a sequence of
// fixed-size segment files, each preallocated and zero-filled in the
// background before it is needed, and synced with fdatasync, which then has
// no metadata to commit.
//
// # On disk
//
// A directory of segment files named by number, 00000000000000000001.seg
// and so on, each Options.SegmentSize bytes (64 MiB by default):
//
//	+----------------+--------+--------+-----+--------+--------------------+
//	| segment header | record | record | ... | record | zeros (prepared)   |
//	| 32 bytes       |        |        |     |        | up to SegmentSize  |
//	+----------------+--------+--------+-----+--------+--------------------+
//
//	segment header: "WALSEG4\0" | segment number u64 | first index u64 | CRC32C u32 | 0 u32
//	record:         CRC32C u32 | length u32 | index u64 | durable u64 | payload   (as in stages 1-3)
//
// The records are those of the earlier stages: CRC32C over the other header
// fields and the payload, and an all-zero header never decodes (no entry
// has index 0), so the zeros after the last record end the log. The segment header is written with a segment's first
// group; a prepared segment never used has an all-zero header. Its first
// index lets recovery see entries missing between two segments, and lets
// TruncateFront drop whole old segments. Segments are never reused, so a
// record cannot be confused with one left over from an earlier use, and
// records need no segment number (pebble's and RocksDB's recyclable formats
// need one because they recycle).
//
// # What this stage adds
//
// Every fsync of stage 3 grows the file: ext4 must commit the new size and
// the newly allocated blocks to its journal, an extra write and flush on top
// of the data. This stage makes room for the data before it arrives, in two
// steps:
//
//   - Segments (segment.go, rotate.go, recover.go, truncate.go): the log is
//     a run of fixed-size files, so space can be prepared a file at a time,
//     and old entries go with whole files. A group never spans two
//     segments: when the next batch does not fit, the pending group moves
//     to a new one (rotation). TruncateFront drops whole old segments,
//     oldest first.
//   - Preallocation (prepare.go, prealloc.go): a background goroutine,
//     prepareLoop, creates the next segment before it is needed, writes
//     zeros over all of it, syncs it and renames it into place (etcd's file
//     pipeline). The writer never waits for allocation in the common case,
//     and rotation is crash-safe: a crash leaves a .tmp file or a complete,
//     unused segment, never a half-prepared one. Appends then overwrite
//     zeros inside the file's size, so fdatasync (datasync) has no metadata
//     to commit, only the data. Why zeros and not fallocate: fallocated
//     blocks are "unwritten extents", and the first write to each still
//     changes metadata that every fdatasync must commit. Options.Prealloc
//     keeps both, and plain appending, to measure.
//
// What it costs: the disk bandwidth to write each segment twice (zeros, then
// records), 64 MiB of zeros per segment; the complexity of recovery across
// files (recover.go); and a stage whose latency can spike if preparation
// falls behind the writers.
//
// # Recovery
//
// Open walks the segments in order and finds where the log breaks: where a
// segment's records stop before its zeros do, or where a segment does not
// follow the one before it (the next number, starting at the next index,
// with a valid header). Up to the break, every entry is kept. Whether what
// lies after the break may be cut is the question of stages 1-3, asked of
// every later segment too: if some record after the break says the entry
// the break lost was durable, that entry had been acknowledged, and Open
// returns ErrCorrupt; a missing or shortened middle segment is lost data,
// never a shorter log. Otherwise everything after the break is what a crash
// left of writes nobody was told were durable, perhaps a new segment whose
// first group lost its header block: the rest of the segment is zeroed (so
// later appends cannot resurrect it), the segments after it are removed,
// and appends continue at the break. Prepared segments never used are
// removed too.
//
// Open takes an flock on the directory's LOCK file, creates its directory
// 0700 (syncing the parent) and its segments 0600, as in the earlier
// stages.
package prealloc
