package waltest

import "os"

// datasync is F_FULLFSYNC, as in the stages (on macOS fsync(2) leaves the
// data in the drive's cache): (*os.File).Sync is that call on macOS.
func datasync(f *os.File) error { return f.Sync() }

// rawWriteAt writes the simulated damage (half a write, zeroed spans). On
// macOS direct I/O is F_NOCACHE, which asks for no alignment (unaligned
// transfers go through the cache), so the file's own descriptor takes it.
func (f *FaultyFile) rawWriteAt(p []byte, off int64) (int, error) {
	return f.File.WriteAt(p, off)
}
