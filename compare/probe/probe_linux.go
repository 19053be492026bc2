package probe

import (
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/sys/unix"
)

// directIO names how this platform bypasses the page cache.
const directIO = "O_DIRECT"

// syncCalls: on Linux fdatasync(2) makes a write durable, drive cache
// included; there is no weaker call worth timing next to it.
func syncCalls() (durable syncCall, undurable []syncCall) {
	return syncCall{"fdatasync", func(f *os.File) error { return unix.Fdatasync(int(f.Fd())) }}, nil
}

func openDirect(name string, flag int, perm os.FileMode) (*os.File, error) {
	return os.OpenFile(name, flag|unix.O_DIRECT, perm)
}

// dsyncWrite is pwritev2 with RWF_DSYNC: the write is durable when the call
// returns, as if fdatasync had followed it, in one syscall. With FUA the
// kernel can send it as one write the device makes durable; without, it
// writes and then flushes the device's cache itself.
func dsyncWrite() (string, func(f *os.File, block []byte, off int64) error) {
	const name = "pwritev2 RWF_DSYNC"
	return name, func(f *os.File, block []byte, off int64) error {
		n, err := unix.Pwritev2(int(f.Fd()), [][]byte{block}, off, unix.RWF_DSYNC)
		if err == nil && n < len(block) {
			err = io.ErrShortWrite
		}
		if err != nil {
			return fmt.Errorf("probe: %s %s: %w", name, f.Name(), err)
		}
		return nil
	}
}

// deviceFUA reads whether the block device under dir advertises FUA, from
// sysfs: /sys/dev/block/MAJ:MIN/queue/fua for a whole device, and for a
// partition the same file in its parent device's folder, which ".." after
// the MAJ:MIN link reaches (the path must not be cleaned lexically). It
// returns "yes" or "no" and the file read, or "" where there is none
// (tmpfs, overlayfs, btrfs: no block device of that number).
func deviceFUA(dir string) (fua, from string) {
	var st unix.Stat_t
	if err := unix.Stat(dir, &st); err != nil {
		return "", ""
	}
	return readFUA("/sys/dev/block", st.Dev)
}

// readFUA reads queue/fua for device dev under sys, a /sys/dev/block.
func readFUA(sys string, dev uint64) (fua, from string) {
	link := fmt.Sprintf("%s/%d:%d", sys, unix.Major(dev), unix.Minor(dev))
	for _, path := range []string{link + "/queue/fua", link + "/../queue/fua"} {
		b, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		switch strings.TrimSpace(string(b)) {
		case "1":
			return "yes", path
		case "0":
			return "no", path
		}
	}
	return "", ""
}
