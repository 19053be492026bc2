// Package groupcommit is stage 3 of the workshop: concurrent appenders
// share writes and fsyncs. Callers hand their records to a pipeline and
// wait; one write and one fsync cover every entry that arrived while the
// previous fsync was running (group commit).
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
//	stage 2: each caller in turn, behind a mutex:  write, fsync, return
//	stage 3: callers enqueue and wait; a sync cycle does the I/O for all:
//
//	  appenders ─▶ [pending group k+1] ─▶ syncLoop: write(k), fsync(k) ─▶ wake k's waiters
//
// While the disk is busy with the fsync of group k, group k+1 collects the
// callers arriving meanwhile, so with N waiting writers one fsync makes up
// to N entries durable instead of one. This is BookKeeper's journal
// (JournalThread + ForceWriteThread), pebble's LogWriter flushLoop and
// PostgreSQL's group commit. pipeline.go explains the cycle; refinements.go
// adds three refinements to it (an idle pipeline run by the appender, a
// yield that lets released writers rejoin, early writes of large groups).
// With them, stage 3 measured 0.92x pebble's LogWriter at 1 writer, 1.49x
// at 16, 1.23x at 64 and 1.00x at 256 (the README's table).
//
// The durability argument, which every change to this stage must keep: a
// cycle starts its fsync only after the writes of the groups it covers
// returned, so the fsync covers their bytes; a caller is released only after
// that fsync returned success. A failed write or fsync fails its group and
// every group after it, and the WAL stops (fail-stop), because a retried
// fsync can report success for data the kernel already dropped.
//
// Knobs (Options): MaxGroupBytes and MaxGroupEntries bound a group (callers
// wait while it is full), MaxWait holds a group open for more callers. The
// zero value never waits: a lone writer makes the syscalls of stage 2, one
// write and one fsync per Append, with no hand-off between goroutines.
//
// What it costs: goroutine hand-offs when writers are concurrent, and a
// design that is harder to get right: Close must drain the pipeline, a
// failure must reach every waiter, and writes must reach the file in order.
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
package groupcommit
