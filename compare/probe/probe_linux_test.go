package probe

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// FUA is read from the device's own queue folder and, for a partition,
// from its parent device's, through the MAJ:MIN link as sysfs lays it
// out; a device without the file is unknown, not "no".
func TestReadFUA(t *testing.T) {
	sys := t.TempDir()
	write := func(path, s string) {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := func(target, name string) {
		if err := os.MkdirAll(filepath.Join(sys, "dev/block"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, filepath.Join(sys, "dev/block", name)); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(sys, "devices/vda/queue/fua"), "0\n")
	write(filepath.Join(sys, "devices/vda/vda1/partition"), "1\n")
	write(filepath.Join(sys, "devices/nvme0n1/queue/fua"), "1\n")
	write(filepath.Join(sys, "devices/loop0/size"), "0\n")
	link("../../devices/vda", "254:0")
	link("../../devices/vda/vda1", "254:1")
	link("../../devices/nvme0n1", "259:0")
	link("../../devices/loop0", "7:0")
	block := filepath.Join(sys, "dev/block")
	for _, c := range []struct {
		major, minor uint32
		want         string
	}{{254, 0, "no"}, {254, 1, "no"}, {259, 0, "yes"}, {7, 0, ""}, {0, 42, ""}} {
		fua, from := readFUA(block, unix.Mkdev(c.major, c.minor))
		if fua != c.want || (fua == "") != (from == "") {
			t.Errorf("%d:%d: FUA %q from %q, want %q", c.major, c.minor, fua, from, c.want)
		}
	}
	fua, from := deviceFUA(t.TempDir())
	t.Logf("this machine's temporary folder: FUA %q from %s", fua, from)
}

// pwritev2 with RWF_DSYNC is timed on Linux, with O_DIRECT.
func TestDsyncWrite(t *testing.T) {
	name, write := dsyncWrite()
	if name == "" || write == nil {
		t.Fatal("no RWF_DSYNC write on Linux")
	}
	p, err := directLatency(t.TempDir(), 5, write)
	if err != nil {
		t.Skipf("%s refused here: %v", directIO, err)
	}
	if p.P50 <= 0 || p.P99 < p.P50 {
		t.Errorf("p50 %v, p99 %v", p.P50, p.P99)
	}
}
