package probe

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// ErrNoDirectIO is what NewDirectFile returns where the filesystem refuses
// direct I/O (tmpfs does): there is no device to time there.
var ErrNoDirectIO = errors.New("probe: this filesystem refuses direct I/O")

// DirectFile is a file written through direct I/O and synced, whose reads
// time the device alone. A workload that reads the device (stage 5's
// Replay) is compared with reads of a DirectFile made just before and just
// after it, not with the probe's, made minutes earlier: the disk's speed
// drifts by a fifth within minutes.
type DirectFile struct {
	f    *os.File
	size int64
}

// NewDirectFile writes size bytes, rounded up to whole MiB, at path: zeros
// first, synced, then data over them through direct I/O, synced again, as
// the probe's own file.
func NewDirectFile(path string, size int64) (*DirectFile, error) {
	size = (size + chunkSize - 1) / chunkSize * chunkSize
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, fmt.Errorf("probe: %w", err)
	}
	err = zeroFill(f, size)
	f.Close()
	if err != nil {
		os.Remove(path)
		return nil, err
	}
	direct, err := openDirect(path, os.O_RDWR, 0)
	if err != nil {
		os.Remove(path)
		if errors.Is(err, unix.EINVAL) {
			return nil, fmt.Errorf("%w: %s: %w", ErrNoDirectIO, path, err)
		}
		return nil, fmt.Errorf("probe: open %s with %s: %w", path, directIO, err)
	}
	d := &DirectFile{f: direct, size: size}
	durable, _ := syncCalls()
	if _, err := directPass(direct, PreallocWrite, size, 1, durable); err != nil {
		return nil, errors.Join(err, d.Remove())
	}
	return d, nil
}

// ReadMBps reads the whole file once, in 1 MiB reads, inFlight at a time,
// and returns MB/s.
func (d *DirectFile) ReadMBps(inFlight int) (float64, error) {
	return directPass(d.f, Read, d.size, inFlight, syncCall{})
}

// Remove closes the file and removes it.
func (d *DirectFile) Remove() error {
	return errors.Join(d.f.Close(), os.Remove(d.f.Name()))
}
