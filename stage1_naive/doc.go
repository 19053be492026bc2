// Package naive is stage 1 of the workshop: the simplest write-ahead log
// that keeps every promise, and the baseline every later stage is measured
// against.
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
// # What this stage does per entry
//
//	write(header)   one syscall
//	write(payload)  another syscall
//	fsync           the entry is durable; now Append returns
//
// A single mutex serializes writers, so N concurrent callers pay N fsyncs
// one after another. AppendBatch is a loop over the same three steps. That is
// honest and correct, and slow: an fsync costs 100 µs to several ms, so this
// stage tops out at a few thousand entries per second, whatever the caller
// does. Every later stage keeps the format and the promises and removes one
// of these costs.
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
package naive
