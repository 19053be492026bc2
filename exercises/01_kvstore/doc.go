// Package kvstore is exercise 01: a key-value store made durable by a
// write-ahead log, the stage 1 WAL.
//
// The rule a WAL exists for: write the change to the log, wait until the
// log says it is durable, and only then apply it to the in-memory state.
// At startup, replay the log from the first entry to rebuild that state.
// A crash at any moment then loses nothing that was acknowledged: what
// was acknowledged is in the log, and the log is replayed.
//
// This is the original Java workshop's DurableKVStore. You write Store,
// OpenLog, Put, Get, Delete and Close in store.go; the encoding of an
// operation as a log entry is given (package kvop). README.md has the steps.
package kvstore

import (
	naive "walworkshop/stage1_naive"
)

// Log is the part of the WAL the store uses. *naive.WAL has it; the tests
// also pass logs that fail on purpose.
type Log interface {
	// Append returns once data is durable, with the entry's index.
	Append(data []byte) (uint64, error)
	// Replay calls fn for every entry from index from on, in order. data
	// is fn's to read until it returns: copy what you keep.
	Replay(from uint64, fn func(index uint64, data []byte) error) error
	Close() error
}

// Open opens (or creates) the store whose log is in dir: a stage 1 WAL,
// replayed by OpenLog.
func Open(dir string) (*Store, error) {
	w, err := naive.Open(dir, naive.Options{})
	if err != nil {
		return nil, err
	}
	s, err := OpenLog(w)
	if err != nil {
		w.Close()
		return nil, err
	}
	return s, nil
}
