package prealloc

import "golang.org/x/sys/unix"

// allocateCall names what allocate does, for its errors.
const allocateCall = "fcntl F_PREALLOCATE"

// allocate reserves size bytes for f with fcntl F_PREALLOCATE, contiguous
// if the filesystem can, anywhere if not. F_PREALLOCATE allocates blocks
// but leaves the file size alone, unlike Linux's fallocate; the ftruncate
// after it sets the size, so that the segment looks the same as on Linux
// (size bytes that read as zeros). Segment preparation then fsyncs the file
// and its directory, as everywhere.
func allocate(f logFile, size int64) error {
	store := unix.Fstore_t{
		Flags:   unix.F_ALLOCATECONTIG | unix.F_ALLOCATEALL,
		Posmode: unix.F_PEOFPOSMODE, // from the end of the file: it is empty
		Length:  size,
	}
	if err := unix.FcntlFstore(f.Fd(), unix.F_PREALLOCATE, &store); err != nil {
		store.Flags = unix.F_ALLOCATEALL // no contiguous run that large
		if err := unix.FcntlFstore(f.Fd(), unix.F_PREALLOCATE, &store); err != nil {
			return err
		}
	}
	return unix.Ftruncate(int(f.Fd()), size)
}
