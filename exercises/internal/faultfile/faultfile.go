// Package faultfile is an in-memory log file for the exercises' tests: it
// counts the writes and syncs it is given, knows which bytes a successful
// Sync made durable, can make each Sync take a while (as a disk does, so
// that concurrent appenders pile up), and can fail a chosen Sync, losing
// every byte written since the last good one, as a kernel that could not
// write its dirty pages back does.
package faultfile

import (
	"errors"
	"sync"
	"time"
)

// ErrInjected is what a failed Sync returns.
var ErrInjected = errors.New("faultfile: injected sync failure")

// File is an append-only in-memory file. It is safe for concurrent use.
type File struct {
	syncDelay time.Duration // how long each Sync takes

	mu                sync.Mutex
	data              []byte // everything written and not lost
	durable           int    // data[:durable] survived the last good Sync
	writes            int
	syncs             int
	failSync          int  // the number of the Sync to fail (1 = first); 0: none
	failed            bool // a Sync failed
	syncsAfterFailure int
}

// New returns an empty file whose every Sync takes syncDelay.
func New(syncDelay time.Duration) *File { return &File{syncDelay: syncDelay} }

// FailSync makes the n-th Sync from the start (1 = the first) fail.
func (f *File) FailSync(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failSync = n
}

// Write appends p.
func (f *File) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.writes++
	f.data = append(f.data, p...)
	return len(p), nil
}

// Sync makes durable what was written before it was called, after
// syncDelay. The failing Sync instead drops everything written since the
// last good one.
func (f *File) Sync() error {
	f.mu.Lock()
	f.syncs++
	n, covers := f.syncs, len(f.data)
	if f.failed {
		f.syncsAfterFailure++
	}
	f.mu.Unlock()

	time.Sleep(f.syncDelay)

	f.mu.Lock()
	defer f.mu.Unlock()
	if n == f.failSync {
		f.failed = true
		f.data = f.data[:f.durable]
		return ErrInjected
	}
	if !f.failed {
		f.durable = max(f.durable, covers)
	}
	return nil
}

// Durable returns a copy of the bytes that survived the last good Sync.
func (f *File) Durable() []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]byte(nil), f.data[:f.durable]...)
}

// DurableLen is len(Durable()), without the copy.
func (f *File) DurableLen() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.durable
}

// Written returns a copy of everything written and not lost.
func (f *File) Written() []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]byte(nil), f.data...)
}

// Writes and Syncs count the calls so far, failed ones included.
func (f *File) Writes() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.writes
}

func (f *File) Syncs() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.syncs
}

// SyncsAfterFailure counts the Syncs called after one failed: a retried
// fsync, which must never happen (it can report success for data the
// kernel already dropped).
func (f *File) SyncsAfterFailure() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.syncsAfterFailure
}
