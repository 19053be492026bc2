package direct

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"walworkshop/exercises/internal/walrecord"
)

// openDirect opens a fresh file next to the package (temporary folders
// are often tmpfs, which may refuse O_DIRECT) with O_DIRECT, or says why
// it could not.
func openDirect(t testing.TB) (*os.File, string) {
	dir, err := os.MkdirTemp(".", ".direct-")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) })
	path := filepath.Join(dir, "direct.log")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|unix.O_DIRECT, 0o600)
	if errors.Is(err, unix.EINVAL) {
		t.Logf("%s refuses O_DIRECT: writing through the page cache", dir)
		f, err = os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	}
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	return f, path
}

func TestStep6_ODirectTakesTheWrites(t *testing.T) {
	f, path := openDirect(t)
	w, err := NewWriter(f, MemAlign) // 4096 satisfies every common device
	require.NoError(t, err)
	groups := randomGroups()
	for _, g := range groups {
		require.NoError(t, w.WriteGroup(g), "O_DIRECT refuses a misaligned buffer, offset or length with EINVAL")
	}
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	got, _ := walrecord.Entries(data)
	n := 0
	for _, g := range groups {
		n += len(g)
	}
	require.Len(t, got, n, "every entry reads back from the file")
}
