// Package waltest is the conformance and crash suite that every stage of the
// workshop runs. It knows nothing about a stage's file format: it damages
// logs by finding the bytes of a known payload on disk, and it proves
// durability by killing real writer processes.
//
// A stage's tests describe the stage with a Stage value and call Main (from
// TestMain, so the test binary can be re-executed as a crashing writer) and
// Run.
package waltest

// WAL is the API every stage exports (docs/DESIGN.md, "The API").
type WAL interface {
	Append(data []byte) (uint64, error)
	AppendBatch(entries [][]byte) (uint64, error)
	Read(index uint64) ([]byte, error)
	Replay(from uint64, fn func(index uint64, data []byte) error) error
	FirstIndex() uint64
	LastIndex() uint64
	Close() error
}

// Stats mirrors the fields every stage's Stats has.
type Stats struct {
	Entries uint64
	Writes  uint64
	Syncs   uint64
	Bytes   uint64
}

// Stage tells the suite how to drive one stage.
type Stage struct {
	Name string
	// Open opens the stage's WAL with the options its tests want (small
	// segments, say, so that rotation happens in every test).
	Open func(dir string) (WAL, error)
	// OpenWithFaults opens it the same way, but with every log file opened
	// through faults.OpenFile, so tests can fail a chosen write or sync.
	OpenWithFaults func(dir string, faults *Faults) (WAL, error)
	// Stats returns the WAL's counters.
	Stats func(WAL) Stats
	// The stage's error values.
	ErrClosed, ErrCorrupt, ErrNotFound, ErrTooLarge, ErrLocked error

	// SegmentSize is the size of the stage's preallocated segment files as
	// Open configures them, or 0 for a log that grows one file. The disk-full
	// test then sets the file size limit below it: with segments, no single
	// file grows past its size, so the limit must cut into one.
	SegmentSize int64
	// Codec is the stage's record format, for the tests that build records
	// by hand.
	Codec Codec
	// TruncateFront, if the stage has it, lets the kill test drop old
	// entries while writers append.
	TruncateFront func(w WAL, index uint64) error
}

// Record is one record as a stage's codec sees it.
type Record struct {
	Index   uint64 // the entry's index
	Durable uint64 // the newest index durable when it was encoded
	Payload []byte
}

// Codec is a stage's record encoder and decoder, for FuzzCodec.
type Codec struct {
	// Encode appends the encoded record to dst.
	Encode func(dst []byte, r Record) []byte
	// Decode decodes the record at the start of b and returns its size on
	// disk, or ok=false if b does not start with a valid record.
	Decode func(b []byte) (r Record, size int, ok bool)
}
