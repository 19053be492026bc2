package directcache

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Direct I/O: the files are opened with O_DIRECT, so writes go from our
// buffers to the device and reads come from the device, never through the
// kernel's page cache. The kernel then demands alignment: the buffer's
// address, the file offset and the length must all be multiples of what the
// filesystem asks for (statx's STATX_DIOALIGN), or the call fails with
// EINVAL. Everything in this file exists to meet that demand.
//
// How a file is opened for direct I/O, and whether the platform says what
// alignment it needs, is in direct_linux.go (O_DIRECT, statx),
// direct_freebsd.go (O_DIRECT, no query) and direct_darwin.go (F_NOCACHE,
// no query). The format, the padding and the promises are the same on all
// three.

const (
	// fallbackBlock is the alignment used where the platform does not report
	// one (macOS, FreeBSD, Linux before 6.1, tmpfs): 4096 satisfies every
	// common device.
	fallbackBlock = 4096
	// memAlign aligns every buffer handed to the kernel. A page is at least
	// what any filesystem asks for (dio_mem_align is 4 or 512 on ext4/NVMe).
	memAlign = 4096
	// probeName is the file Open creates to ask the filesystem.
	probeName = "directio.probe"
)

// probeDirectIO decides, once per Open, whether the log's files can be
// opened for direct I/O and what alignment that needs. A filesystem that
// refuses (tmpfs before Linux 6.6 returns EINVAL) gets the page cache
// instead, and the WAL says so, once: same format, same promises, only the
// speed of stage 4.
func (w *WAL) probeDirectIO() error {
	w.block = fallbackBlock
	if w.opts.BufferedIO {
		return nil
	}
	path := filepath.Join(w.dir, probeName)
	f, err := openDirect(w.openFile, path, os.O_RDWR|os.O_CREATE, 0o600)
	if errors.Is(err, unix.EINVAL) {
		w.opts.Logf("wal: %s refuses %s (tmpfs does): reading and writing through the page cache", w.dir, directIO)
		return nil
	}
	if err != nil {
		return fmt.Errorf("wal: probe %s in %s: %w", directIO, w.dir, err)
	}
	f.Close()
	defer os.Remove(path)
	w.direct, w.block = true, dioAlignment(path, queryDIOAlign)
	return nil
}

// errNoAlignmentQuery is what queryDIOAlign returns on a platform that has
// no way to ask for the alignment direct I/O needs.
var errNoAlignmentQuery = errors.New("this platform does not report the direct I/O alignment")

// dioAlignment is the offset and length alignment direct I/O needs for
// path, as query (queryDIOAlign, per platform) reports it: fallbackBlock if
// it cannot say, or says something the buffers here do not meet.
func dioAlignment(path string, query func(path string) (offset, mem uint32, err error)) int64 {
	offset, mem, err := query(path)
	if err != nil || offset == 0 || mem > memAlign || memAlign%offset != 0 {
		return fallbackBlock
	}
	return int64(offset)
}

// alignedBuffer returns n bytes starting at a multiple of memAlign. Go's
// allocator does not promise that, so take a little more and skip ahead.
func alignedBuffer(n int) []byte {
	b := make([]byte, n+memAlign)
	skip := (memAlign - int(uintptr(unsafe.Pointer(unsafe.SliceData(b)))%memAlign)) % memAlign
	return b[skip : skip+n : skip+n]
}

func roundUp(x, block int64) int64   { return (x + block - 1) / block * block }
func roundDown(x, block int64) int64 { return x / block * block }

// paddingAfter is the size of the padding record that takes a group ending
// at end to a block boundary: 0 if it is already there. A gap smaller than a
// record header cannot hold one, so the padding runs to the boundary after.
func paddingAfter(end, block int64) int64 {
	gap := roundUp(end, block) - end
	if gap > 0 && gap < headerSize {
		gap += block
	}
	return gap
}

// padToBlock ends g on a block boundary with a padding record. O_DIRECT
// writes whole blocks, and the next group then starts on a fresh block: no
// write ever covers a byte of an earlier group, so a torn write can only
// damage the unacknowledged group it belongs to (BookKeeper's journal pads
// the same way). The cost is the padding: up to a block per group, small
// next to the fsync. Callers hold mu.
func (w *WAL) padToBlock(g *group) {
	pad := paddingAfter(w.end, w.block)
	if pad == 0 {
		return
	}
	// The padding carries the index of the entry after it, which it does
	// not use up, and what was durable, as the group's records do.
	g.buf = appendPadding(g.buf, int(pad), record{index: w.nextIndex, durable: w.index.last()})
	w.end += pad
	g.end = w.end
	w.stats.padding.Add(uint64(pad))
}

// maxPadding bounds paddingAfter, for the room a group keeps for it.
func (w *WAL) maxPadding() int64 { return w.block + headerSize }

// openSegmentFile opens a segment file, for direct I/O when the filesystem
// takes it.
func (w *WAL) openSegmentFile(path string, flag int, perm os.FileMode) (logFile, error) {
	if !w.direct {
		return w.openFile(path, flag, perm)
	}
	f, err := openDirect(w.openFile, path, flag, perm)
	if err != nil {
		return nil, err
	}
	return alignedReads{f, w.block}, nil
}

// alignedReads lets code written for any io.ReaderAt (recovery's scanners,
// Replay, all as in stage 4) read a direct I/O file at any offset and
// length: it reads the aligned blocks around the range into an aligned
// buffer and copies out. Aligned reads go straight through. Writes are not
// fixed up: an unaligned write is a bug, and EINVAL says so.
type alignedReads struct {
	logFile
	block int64
}

func (f alignedReads) ReadAt(p []byte, off int64) (int, error) {
	if f.isAligned(p, off) {
		return f.logFile.ReadAt(p, off)
	}
	start := roundDown(off, f.block)
	buf := alignedBuffer(int(roundUp(off+int64(len(p)), f.block) - start))
	n, err := f.logFile.ReadAt(buf, start)
	got := 0
	if skip := int(off - start); n > skip {
		got = copy(p, buf[skip:n])
	}
	if got == len(p) {
		return got, nil
	}
	if err == nil {
		err = io.EOF
	}
	return got, err
}

func (f alignedReads) isAligned(p []byte, off int64) bool {
	return off%f.block == 0 && int64(len(p))%f.block == 0 &&
		uintptr(unsafe.Pointer(unsafe.SliceData(p)))%memAlign == 0
}
