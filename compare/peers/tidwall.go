package main

import (
	"sync"

	"github.com/tidwall/wal"

	"walworkshop/compare/harness"
)

var tidwallImpl = impl{name: "tidwall", open: openTidwall}

// tidwallWAL is github.com/tidwall/wal used as a durable log: with
// NoSync=false every Write is followed by an fsync of the segment file, and
// there is no group commit, so concurrent writers queue behind one another.
type tidwallWAL struct {
	// mu hands out indices: tidwall/wal wants the caller to pass exactly
	// LastIndex+1, so choosing the index and writing it must be one step.
	mu   sync.Mutex
	log  *wal.Log
	last uint64
}

func openTidwall(dir string) (harness.Log, error) {
	opts := *wal.DefaultOptions
	opts.NoSync = false // durable: fsync after every Write (also the default)
	log, err := wal.Open(dir, &opts)
	if err != nil {
		return nil, err
	}
	last, err := log.LastIndex()
	if err != nil {
		log.Close()
		return nil, err
	}
	return &tidwallWAL{log: log, last: last}, nil
}

func (t *tidwallWAL) Append(data []byte) (uint64, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.log.Write(t.last+1, data); err != nil {
		return 0, err
	}
	t.last++
	return t.last, nil
}

func (t *tidwallWAL) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.log.Close()
}
