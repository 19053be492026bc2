// Package groupcommit is stage 3 of the workshop: concurrent appenders
// share writes and fsyncs. Callers hand their records to a pipeline and
// wait; one write and one fsync cover every entry that arrived while the
// previous fsync was running (group commit).
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
// record in memory (Read is then one pread). The scan stops at the first
// record that does not check out. If no valid record follows it, the damage
// is a torn tail, the leftovers of a write that was never acknowledged: it
// is cut off and appends continue from there. If a valid record follows, the
// damage is in the middle of the log, and Open refuses with ErrCorrupt,
// naming the file and offset, rather than silently dropping acknowledged
// entries.
package groupcommit
