package waltest

import (
	"errors"
	"io"
	"os"
	"sync"
	"sync/atomic"
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
// It remembers what was written since the last successful sync; a failed
// sync loses it (the bytes are zeroed), as when the kernel drops dirty pages
// it could not write back. So a WAL that acknowledges before its sync
// returned loses acknowledged entries in these tests, as it would on disk.
type FaultyFile struct {
	*os.File
	faults *Faults
	mu     sync.Mutex
	dirty  []span // written since the last successful sync
}

type span struct{ off, len int64 }

func (f *FaultyFile) Write(p []byte) (int, error) {
	off, err := f.File.Seek(0, io.SeekCurrent)
	if err != nil {
		return 0, err
	}
	fail := f.faults.writeFails()
	if fail {
		p = p[:len(p)/2] // half the bytes reach the file, then the error
	}
	n, err := f.File.Write(p)
	f.written(off, n)
	if fail && err == nil {
		err = ErrInjected
	}
	return n, err
}

func (f *FaultyFile) WriteAt(p []byte, off int64) (int, error) {
	fail := f.faults.writeFails()
	write := f.File.WriteAt
	if fail {
		p = p[:len(p)/2]
		write = f.rawWriteAt
	}
	n, err := write(p, off)
	f.written(off, n)
	if fail && err == nil {
		err = ErrInjected
	}
	return n, err
}

func (f *FaultyFile) written(off int64, n int) {
	f.mu.Lock()
	f.dirty = append(f.dirty, span{off, int64(n)})
	f.mu.Unlock()
}

func (f *FaultyFile) Sync() error {
	return f.faults.sync(f, f.File.Sync)
}

// Datasync is the stages' data sync (fdatasync(2) on Linux and FreeBSD,
// F_FULLFSYNC on macOS: faults_linux.go, faults_darwin.go,
// faults_freebsd.go), for the stages that use it.
func (f *FaultyFile) Datasync() error {
	return f.faults.sync(f, func() error { return datasync(f.File) })
}

// WriteAtDsync is a write that is durable on return (pwritev2 with
// RWF_DSYNC, for the stages that use it): the files see a write and then a
// sync, each of which can be made to fail as any other.
func (f *FaultyFile) WriteAtDsync(p []byte, off int64) (int, error) {
	n, err := f.WriteAt(p, off)
	if err != nil {
		return n, err
	}
	return n, f.Datasync()
}

// settle is called after a sync with the dirty spans it covered: a
// successful sync made them durable; a failed one loses them.
func (f *FaultyFile) settle(covered int, failed bool) {
	f.mu.Lock()
	lost := f.dirty[:covered]
	f.dirty = append([]span(nil), f.dirty[covered:]...)
	f.mu.Unlock()
	if !failed {
		return
	}
	for _, s := range lost {
		f.rawWriteAt(make([]byte, s.len), s.off)
	}
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
	file.mu.Lock()
	covered := len(file.dirty) // writes that returned before this sync began
	file.mu.Unlock()
	if fail {
		file.settle(covered, true)
		return ErrInjected
	}
	err := do()
	file.settle(covered, err != nil)
	return err
}
