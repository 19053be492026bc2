// Package powercut is a filesystem that forgets, on a power cut, everything
// that was never made durable: a FUSE filesystem, held in memory, for the
// crash tests of the workshop's write-ahead logs.
//
// Killing a writer with SIGKILL proves little about durability: the kernel
// keeps every byte the process wrote, synced or not. A power cut is harsher,
// and this filesystem models it as strictly as POSIX allows (as pebble's
// crashable vfs.MemFS and the ALICE study of application crash consistency
// do):
//
//   - Every file has live content (what reads return) and durable content
//     (what survives). fsync and fdatasync make the live content and size
//     durable; they do nothing for the file's name.
//   - Every directory has live entries and durable entries. Only an fsync of
//     that directory makes the creates, renames and unlinks in it durable. A
//     file whose data was synced, but whose directory never was, does not
//     exist after the cut.
//   - Whatever was not made durable may still have reached the disk, in part
//     and in any order: the page cache writes blocks back when it likes.
//
// A test mounts the filesystem, lets a writer process work on it, and cuts
// the power: Freeze (or FreezeAfter a chosen number of changes) makes every
// later operation fail with EIO, the test kills the writer, and then builds
// crash images from the frozen state:
//
//   - Durable: only what was made durable.
//   - Writeback: durable, plus a random choice of the unsynced 4 KiB blocks
//     (each at any of the versions it went through) and of the unsynced
//     directory changes; the file size is any size it had since its last
//     sync.
//   - TornPrefix: durable, plus the unsynced changes in the order they were
//     made, up to a random point, the last one a write torn at a 512-byte
//     sector boundary.
//
// An Image is a plain tree of directories and files; WriteTo puts it on the
// real disk, where the log under test opens it as it would after a reboot.
//
// What the model leaves out, on purpose: hard links and symlinks, renames
// across directories (EXDEV), permissions and times (never part of a crash
// image), and locks (flock and fcntl locks are kept by the kernel, locally).
// Files opened with O_DIRECT must be written and read at offsets and lengths
// that are multiples of 512 bytes, or the call fails with EINVAL, as on a
// disk with 512-byte sectors.
package powercut
