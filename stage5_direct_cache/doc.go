// Package directcache is stage 5 of the workshop: the log bypasses the
// kernel's page cache. Segments are written and read with O_DIRECT from
// aligned buffers, every group is padded to the device's block, and reads
// by index go through the log's own page cache, a CLOCK-Pro cache with a
// fixed memory budget. This is the design of smf's seastar WAL, and of
// BookKeeper's journal alignment.
//
// # On disk
//
// As in stage 4, a directory of preallocated segment files, with one new
// kind of record: padding, which ends every group on a block boundary.
//
//	block:    |<-------- 512 B -------->|<-------- 512 B -------->|<-------- 512 B -------->|<-------- 512 B -------->|
//	          +---------+-----+---------+-----+-----+-----+-------+-------------------------+-----+-------------------+
//	          | seg hdr | rec | padding | rec | rec | rec |  pad  |     rec (600 B) ...     | ... |      padding      | zeros
//	          +---------+-----+---------+-----+-----+-----+-------+-------------------------+-----+-------------------+
//	          |<------- group 1 ------->|<------- group 2 ------->|<-------- group 3: one write, two blocks --------->|
//
//	segment header: "WALSEG5\0" | segment number u64 | first index u64 | CRC32C u32 | 0 u32
//	record:         CRC32C u32 | length u32 | index u64 | durable u64 | payload
//	padding:        CRC32C u32 | length u32 with bit 31 set | index u64 | durable u64 | zeros
//
// The block is the alignment statx reports for O_DIRECT on the log's
// filesystem (STATX_DIOALIGN: 512 bytes on this kit's test machine), or 4096
// where it reports none. A padding record is at least a header (24 bytes)
// long; a gap smaller than that is padded to the block after. Its index is
// that of the entry after it, which it does not use up. The checksum covers
// the length field, flag included, and an all-zero header still never
// decodes.
//
// # What this stage adds
//
//   - O_DIRECT (direct.go): a group goes from our buffer to the device in
//     one write, with no copy into the page cache and no writeback for
//     fdatasync to start; fdatasync is left with the device's cache flush.
//     The kernel demands aligned buffers, offsets and lengths: buffers come
//     from alignedBuffer, and groups are padded (padToBlock in direct.go).
//   - The tail policy: pad, never rewrite. Every group starts on a fresh
//     block, so no write ever covers a byte an earlier write covered
//     (TestWritesNeverOverlap), and a torn write can only damage its own,
//     unacknowledged group. This assumes nothing about sector atomicity. The
//     one rewrite is at recovery (cleanTail), of a torn group's block, with
//     the bytes read from it.
//   - Where the filesystem refuses O_DIRECT (older tmpfs), Open falls back
//     to the page cache, logs one line, and Stats.DirectIO says so.
//   - One device round trip per group where the device allows it
//     (groupsync.go): on Linux, if the device advertises FUA, a group is one
//     pwritev2 with RWF_DSYNC instead of a write and an fdatasync. Without
//     FUA the kernel adds the flush itself, and write + fdatasync stays.
//   - A page cache of our own (pages.go wires it to the log; cache.go,
//     clockpro.go and lru.go are the policies, readable on their own): with
//     O_DIRECT nothing else caches reads. CLOCK-Pro keeps pages that are
//     re-read soon ("hot") and lets one-pass scans and loops larger than the
//     cache pass through, where LRU would evict exactly what a loop needs
//     next. Its budget, Options.CacheBytes, is a promise: it never holds
//     more page data. Replay bypasses it.
//   - Read-ahead for Replay (readahead.go): O_DIRECT has no kernel
//     read-ahead, so Replay keeps four aligned 1 MiB reads in flight itself,
//     and hands each record to its callback in place, in the read's buffer:
//     no allocation or copy per entry (data is the callback's until it
//     returns).
//   - The next segment is zero-filled through O_DIRECT, synced every 1 MiB
//     where stage 4 syncs every 256 KiB: no dirty pages pile up between
//     syncs, and each sync also commits the blocks its chunk allocated.
//
// What it costs: padding (up to a block per group, which matters for small
// groups: one 128-byte append writes 512 bytes); every O_DIRECT write waits
// for the device, where a buffered write returned after a memory copy, so a
// lone writer gains little; reads of pages not in our cache go to the disk
// even when the machine has free memory the kernel would have used; and a
// cache to size, which the kernel sized for us before.
//
// # Recovery
//
// As in stage 4, plus: padding records are skipped (each must carry the
// index of the entry after it), a padding record after damage is as good a
// proof of what was durable as an entry (it is written with its group),
// damage that starts inside a block is judged by the entry before it (every
// group ends on a block boundary, so the damage is in that entry's write:
// its padding, or the rest of its group), and a torn group whose valid
// records end inside a block is padded to the block boundary, where the
// next group must start.
package directcache
