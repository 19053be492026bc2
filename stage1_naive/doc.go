// Package naive is stage 1 of the workshop: the simplest write-ahead log
// that keeps every promise, and the baseline every later stage is measured
// against.
//
// # On disk
//
// One file, wal.log, holding records back to back:
//
//	+---------+---------+---------+---------+------------------------+
//	| CRC32C  | length  | index   | durable | payload (length bytes) |
//	| 4 bytes | 4 bytes | 8 bytes | 8 bytes |                        |
//	+---------+---------+---------+---------+------------------------+
//	  little-endian; the CRC covers every field after it and the payload
//
// index is the entry's index; durable is the index of the newest entry that
// was durable when this record was written (0 if none). The checksum covers
// them and the length, so a torn or flipped length is caught before we
// trust it to find the next record. An all-zero header is never a valid
// record: no entry has index 0. That matters in later stages, where
// preallocated, zero-filled space must end the log instead of decoding as a
// stream of empty entries.
//
// The directory holds one more file, LOCK: Open takes an flock on it, so a
// second Open of the same log, in this process or another, fails with
// ErrLocked instead of interleaving its records with ours. Directories Open
// creates are 0700 and files 0600: a log holds every write its application
// ever made.
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
// record in memory (Read is then one pread). Each record must carry the
// index that follows the one before it. The scan stops at the first record
// that does not check out, and then asks one question: was the damaged
// entry ever acknowledged? A crash, even a power cut that wrote the page
// cache back in any order, can only damage bytes no sync had covered. A
// record written after entry d was durable says durable >= d. So if some
// valid record after the damage says the damaged entry was durable, the
// damage hit acknowledged data: Open refuses with ErrCorrupt, naming the
// file and offset, rather than silently dropping acknowledged entries.
// Otherwise everything from the damage on is the leftovers of writes that
// were never acknowledged, a torn tail: it is cut off and appends continue
// from there.
//
// Durable also means the log's directory entry: when Open creates the
// directory (and any missing parent), it fsyncs each parent, so a power cut
// cannot take the whole log away.
package naive
