package powercut

import (
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// mount boots a filesystem from disk and mounts it for the test, or skips
// the test, saying why, where FUSE cannot be mounted.
func mount(t *testing.T, disk Image) (*FS, string) {
	t.Helper()
	fs, err := New(disk)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	unmount, err := fs.Mount(dir)
	if errors.Is(err, ErrUnavailable) {
		t.Skipf("skipped: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := unmount(); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return fs, dir
}

// seeds returns n random sources, one per seed 0..n-1, so that a failure
// names the seed that shows it.
func seeds(n int) []*rand.Rand {
	out := make([]*rand.Rand, n)
	for i := range out {
		out[i] = rand.New(rand.NewPCG(uint64(i), 1))
	}
	return out
}

func writeFile(t *testing.T, path string, data []byte, sync bool) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		t.Fatal(err)
	}
	if sync {
		if err := f.Sync(); err != nil {
			t.Fatal(err)
		}
	}
}

func syncDir(t *testing.T, dir string) {
	t.Helper()
	d, err := os.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		t.Fatalf("fsync dir %s: %v", dir, err)
	}
}

func join(dir string, names ...string) string {
	return filepath.Join(append([]string{dir}, names...)...)
}
