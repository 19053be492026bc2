// Package buffered is stage 2 of the workshop: records are encoded into a
// reusable buffer, so an Append costs one write syscall instead of two, and
// an AppendBatch costs one write and one fsync for the whole batch.
//
// # On disk
//
// One file, wal.log, holding records back to back:
//
//	+---------+---------+------------------------+
//	| CRC32C  | length  | payload (length bytes) |
//	| 4 bytes | 4 bytes |                        |
//	+---------+---------+------------------------+
//	  little-endian; the CRC covers the length field and the payload
//
// The checksum covers the length too, so a torn or flipped length is caught
// before we trust it to find the next record. An all-zero header is never a
// valid record: the CRC32C of a zero length field is 0x48674BC7, not zero.
// That matters in later stages, where preallocated, zero-filled space must
// end the log instead of decoding as a stream of empty entries.
//
// # What this stage adds
//
//	stage 1, per entry:   write(header) write(payload) fsync
//	stage 2, per call:    encode all records into buf
//	                      write(buf)                   one syscall
//	                      fsync                        one sync for the batch
//
// The fsync dominates: it waits for the device, while a write only copies
// into the page cache. So the second write saved per Append is worth little,
// but a batch of 100 entries now pays one fsync instead of 100, which is
// where the seed workshop's 75x came from. This stage keeps every entry
// durable before AppendBatch returns; the seed's "optimized" WAL did not.
//
// What it costs: the caller must have the batch in hand. Independent
// callers, each with one entry, still pay one fsync each, one after another
// behind the mutex. Stage 3 batches them for the caller.
//
// # Recovery
//
// Open scans the file from the start and keeps the offset of every valid
// record in memory (Read is then one pread). The scan stops at the first
// record that does not check out. If no valid record follows it, the damage
// is a torn tail, the leftovers of a write that was never acknowledged: it
// is cut off and appends continue from there. If a valid record follows, the
// damage is in the middle of the log, and Open refuses with ErrCorrupt,
// naming the file and offset, rather than silently dropping acknowledged
// entries.
package buffered
