package waltest

import (
	"errors"
	"os"
	"sync"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// ErrInjected is the error a failing write or sync returns.
var ErrInjected = errors.New("waltest: injected I/O error")

// Faults fails the n-th write or sync issued through the files it opened,
// counting from when it was armed, and records what the WAL did afterwards.
type Faults struct {
	writes, syncs     atomic.Uint64 // calls seen, failed ones included
	writesLeft        atomic.Int64  // fail when this reaches 0; <0: disarmed
	syncsLeft         atomic.Int64
	syncsOnFailedFile atomic.Uint64
	mu                sync.Mutex
	failedSync        map[*FaultyFile]bool // files whose sync failed
}

// NewFaults returns Faults that inject nothing until armed.
func NewFaults() *Faults {
	f := &Faults{failedSync: map[*FaultyFile]bool{}}
	f.writesLeft.Store(-1)
	f.syncsLeft.Store(-1)
	return f
}

// FailWrite makes the n-th write from now (1 = the next one) write half its
// bytes and fail, like a disk that filled up mid-write.
func (f *Faults) FailWrite(n int) { f.writesLeft.Store(int64(n)) }

// FailSync makes the n-th sync from now fail without syncing anything, like
// a disk that lost the dirty pages.
func (f *Faults) FailSync(n int) { f.syncsLeft.Store(int64(n)) }

// Writes and Syncs count the calls the WAL issued through these files.
func (f *Faults) Writes() uint64 { return f.writes.Load() }
func (f *Faults) Syncs() uint64  { return f.syncs.Load() }

// SyncsAfterFailure counts syncs issued on a file after a sync of that same
// file failed: a retried fsync, which must never happen.
func (f *Faults) SyncsAfterFailure() uint64 { return f.syncsOnFailedFile.Load() }

// OpenFile opens name like os.OpenFile, through a FaultyFile.
func (f *Faults) OpenFile(name string, flag int, perm os.FileMode) (*FaultyFile, error) {
	file, err := os.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	return &FaultyFile{File: file, faults: f}, nil
}

// FaultyFile is an *os.File whose writes and syncs can be made to fail.
type FaultyFile struct {
	*os.File
	faults *Faults
}

func (f *FaultyFile) Write(p []byte) (int, error) {
	if f.faults.writeFails() {
		n, _ := f.File.Write(p[:len(p)/2])
		return n, ErrInjected
	}
	return f.File.Write(p)
}

func (f *FaultyFile) WriteAt(p []byte, off int64) (int, error) {
	if f.faults.writeFails() {
		n, _ := f.File.WriteAt(p[:len(p)/2], off)
		return n, ErrInjected
	}
	return f.File.WriteAt(p, off)
}

func (f *FaultyFile) Sync() error {
	return f.faults.sync(f, f.File.Sync)
}

// Datasync is fdatasync(2), for the stages that use it.
func (f *FaultyFile) Datasync() error {
	return f.faults.sync(f, func() error { return unix.Fdatasync(int(f.File.Fd())) })
}

func (f *Faults) writeFails() bool {
	f.writes.Add(1)
	return f.writesLeft.Add(-1) == 0
}

func (f *Faults) sync(file *FaultyFile, do func() error) error {
	f.syncs.Add(1)
	f.mu.Lock()
	if f.failedSync[file] {
		f.syncsOnFailedFile.Add(1)
	}
	fail := f.syncsLeft.Add(-1) == 0
	if fail {
		f.failedSync[file] = true
	}
	f.mu.Unlock()
	if fail {
		return ErrInjected
	}
	return do()
}
