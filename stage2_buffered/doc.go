// Package buffered is stage 2 of the workshop: records are encoded into a
// reusable buffer, so an Append costs one write syscall instead of two, and
// an AppendBatch costs one write and one fsync for the whole batch.
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
// where the original Java workshop's 75x came from. This stage keeps every
// entry durable before AppendBatch returns; that workshop's "optimized" WAL
// did not.
//
// What it costs: the caller must have the batch in hand. Independent
// callers, each with one entry, still pay one fsync each, one after another
// behind the mutex. Stage 3 batches them for the caller.
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
package buffered
