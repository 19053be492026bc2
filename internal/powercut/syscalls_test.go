//go:build linux

package powercut

import (
	"errors"
	"os"
	"slices"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// O_DIRECT reaches the filesystem through the kernel, and the filesystem
// insists on 512-byte alignment of offset and length, as a disk does.
func TestDirectIOAlignment(t *testing.T) {
	_, mnt := mount(t, Image{})
	fd, err := unix.Open(join(mnt, "seg"), unix.O_RDWR|unix.O_CREAT|unix.O_DIRECT, 0o600)
	if err != nil {
		t.Fatalf("open O_DIRECT: %v", err)
	}
	defer unix.Close(fd)
	buf := alignedBuffer(8192)
	for _, c := range []struct {
		off, n int
		want   error
	}{
		{0, 4096, nil},
		{4096, 512, nil},
		{512, 1024, nil},
		{0, 100, unix.EINVAL},
		{100, 512, unix.EINVAL},
		{4096, 4097, unix.EINVAL},
	} {
		if _, err := unix.Pwrite(fd, buf[:c.n], int64(c.off)); !errors.Is(err, c.want) && !(err == nil && c.want == nil) {
			t.Errorf("O_DIRECT pwrite of %d bytes at %d: %v, want %v", c.n, c.off, err, c.want)
		}
		if _, err := unix.Pread(fd, buf[:c.n], int64(c.off)); !errors.Is(err, c.want) && !(err == nil && c.want == nil) {
			t.Errorf("O_DIRECT pread of %d bytes at %d: %v, want %v", c.n, c.off, err, c.want)
		}
	}
	// Without O_DIRECT, anything goes.
	plain, err := unix.Open(join(mnt, "seg"), unix.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(plain)
	if _, err := unix.Pwrite(plain, buf[:100], 7); err != nil {
		t.Errorf("unaligned pwrite without O_DIRECT: %v", err)
	}
}

// alignedBuffer is n bytes at a page boundary, as O_DIRECT needs.
func alignedBuffer(n int) []byte {
	b := make([]byte, n+4096)
	skip := (4096 - int(uintptr(unsafe.Pointer(&b[0]))%4096)) % 4096
	return b[skip : skip+n]
}

// After the cut every request fails with EIO; FreezeAfter cuts right after
// the n-th change, which completes.
func TestFreeze(t *testing.T) {
	fs, mnt := mount(t, Image{Files: map[string][]byte{"f": []byte("x"), "g": make([]byte, 4096)}})
	f, err := os.OpenFile(join(mnt, "f"), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// Reads of g bypass the kernel's page cache, so that they reach the
	// filesystem after the cut.
	g, err := unix.Open(join(mnt, "g"), unix.O_RDONLY|unix.O_DIRECT, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(g)
	fs.FreezeAfter(fs.Changes() + 2)
	if _, err := f.WriteAt([]byte("1"), 0); err != nil {
		t.Fatalf("first write: %v", err)
	}
	select {
	case <-fs.Frozen():
		t.Fatal("frozen after one change, want two")
	default:
	}
	if err := f.Sync(); err != nil {
		t.Fatalf("fsync, the second change: %v", err)
	}
	<-fs.Frozen()
	if _, err := f.WriteAt([]byte("2"), 0); !errors.Is(err, unix.EIO) {
		t.Errorf("write after the cut: %v, want EIO", err)
	}
	if _, err := unix.Pread(g, alignedBuffer(4096), 0); !errors.Is(err, unix.EIO) {
		t.Errorf("read after the cut: %v, want EIO", err)
	}
	if err := os.Mkdir(join(mnt, "d"), 0o700); !errors.Is(err, unix.EIO) {
		t.Errorf("mkdir after the cut: %v, want EIO", err)
	}
	if got := fs.Durable().Files["f"]; string(got) != "1" {
		t.Errorf("durable content %q, want the synced %q", got, "1")
	}
}

// flock works on the mount, between file descriptions, as the logs' LOCK
// files need.
func TestFlock(t *testing.T) {
	_, mnt := mount(t, Image{})
	var fds []int
	for range 2 {
		fd, err := unix.Open(join(mnt, "LOCK"), unix.O_RDWR|unix.O_CREAT, 0o600)
		if err != nil {
			t.Fatal(err)
		}
		defer unix.Close(fd)
		fds = append(fds, fd)
	}
	if err := unix.Flock(fds[0], unix.LOCK_EX|unix.LOCK_NB); err != nil {
		t.Fatalf("first flock: %v", err)
	}
	if err := unix.Flock(fds[1], unix.LOCK_EX|unix.LOCK_NB); !errors.Is(err, unix.EWOULDBLOCK) {
		t.Fatalf("second flock: %v, want EWOULDBLOCK", err)
	}
	if err := unix.Flock(fds[0], unix.LOCK_UN); err != nil {
		t.Fatal(err)
	}
	if err := unix.Flock(fds[1], unix.LOCK_EX|unix.LOCK_NB); err != nil {
		t.Fatalf("flock after unlock: %v", err)
	}
}

// fallocate mode 0 extends the file with zeros, durably after a sync;
// modes the model does not know are refused.
func TestFallocate(t *testing.T) {
	fs, mnt := mount(t, Image{Files: map[string][]byte{"seg": []byte("ab")}})
	f, err := os.OpenFile(join(mnt, "seg"), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := unix.Fallocate(int(f.Fd()), 0, 0, 8192); err != nil {
		t.Fatalf("fallocate: %v", err)
	}
	if info, _ := f.Stat(); info.Size() != 8192 {
		t.Fatalf("size %d after fallocate, want 8192", info.Size())
	}
	if got := fs.Durable().Files["seg"]; len(got) != 2 {
		t.Fatalf("unsynced fallocate: durable size %d", len(got))
	}
	if err := unix.Fdatasync(int(f.Fd())); err != nil {
		t.Fatal(err)
	}
	if got := fs.Durable().Files["seg"]; len(got) != 8192 || string(got[:3]) != "ab\x00" {
		t.Fatalf("after fdatasync: %d bytes, %q...", len(got), got[:3])
	}
	err = unix.Fallocate(int(f.Fd()), unix.FALLOC_FL_PUNCH_HOLE|unix.FALLOC_FL_KEEP_SIZE, 0, 4096)
	if !errors.Is(err, unix.EOPNOTSUPP) {
		t.Fatalf("punch hole: %v, want EOPNOTSUPP", err)
	}
}

// ReadDir, Stat and Statfs answer what os.ReadDir, os.Stat and statfs(2)
// need.
func TestReadDirAndStatfs(t *testing.T) {
	_, mnt := mount(t, Image{Dirs: []string{"wal"}, Files: map[string][]byte{"wal/b": []byte("12"), "wal/a": nil}})
	entries, err := os.ReadDir(join(mnt, "wal"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, []string{"a", "b"}) {
		t.Fatalf("ReadDir: %v", names)
	}
	if info, err := os.Stat(join(mnt, "wal", "b")); err != nil || info.Size() != 2 || !info.Mode().IsRegular() {
		t.Fatalf("Stat: %v, %v", info, err)
	}
	var st unix.Statfs_t
	if err := unix.Statfs(mnt, &st); err != nil || st.Bavail == 0 || st.Bsize != 4096 {
		t.Fatalf("Statfs: %+v, %v", st, err)
	}
}

// New boots from an image, and the durable image of an untouched
// filesystem is that image.
func TestNewBootsFromAnImage(t *testing.T) {
	disk := Image{Dirs: []string{"wal", "wal/sub"}, Files: map[string][]byte{"wal/1.seg": []byte("one"), "wal/sub/x": nil}}
	fs, mnt := mount(t, disk)
	if got, err := os.ReadFile(join(mnt, "wal", "1.seg")); err != nil || string(got) != "one" {
		t.Fatalf("read through the mount: %q, %v", got, err)
	}
	img := fs.Durable()
	if !slices.Equal(img.Dirs, disk.Dirs) || len(img.Files) != 2 || string(img.Files["wal/1.seg"]) != "one" {
		t.Fatalf("durable image %v %q, want %v %q", img.Dirs, img.Files, disk.Dirs, disk.Files)
	}
	if _, err := New(Image{Files: map[string][]byte{"nodir/x": nil}}); err == nil {
		t.Fatal("New accepted a file in a directory the image does not hold")
	}
	dir := t.TempDir()
	if err := img.WriteTo(dir); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(join(dir, "wal", "1.seg")); err != nil || string(got) != "one" {
		t.Fatalf("WriteTo: %q, %v", got, err)
	}
}
