package powercut

import (
	"fmt"
	"path"
	"strings"
	"sync"

	"github.com/hanwen/go-fuse/v2/fuse"
)

// FS is the filesystem: its state, the power switch, and the FUSE requests
// that change them (requests.go). One mutex guards everything: the model
// is meant to be read, not to be fast.
type FS struct {
	// RawFileSystem answers ENOSYS for every request the model leaves
	// out (links, xattrs, ...).
	fuse.RawFileSystem

	// cut is closed when the power is cut.
	cut chan struct{}

	mu      sync.Mutex
	nodes   map[uint64]*node // by inode number; the root is 1
	handles map[uint64]*handle
	nextIno uint64
	nextFh  uint64
	seq     uint64 // the sequence number of the last change
	changes int    // requests that changed the state, since New
	cutAt   int    // cut the power when changes reaches it; 0: no cut planned
	frozen  bool   // the power is cut: every request fails with EIO
}

// A handle is an open file or directory.
type handle struct {
	n       *node
	direct  bool            // opened with O_DIRECT
	entries []fuse.DirEntry // a directory's entries when it was opened
}

const rootIno = fuse.FUSE_ROOT_ID

// New returns a filesystem whose disk holds disk, all of it durable: the
// state a machine boots with.
func New(disk Image) (*FS, error) {
	fs := &FS{
		RawFileSystem: fuse.NewDefaultRawFileSystem(),
		cut:           make(chan struct{}),
		nodes:         map[uint64]*node{},
		handles:       map[uint64]*handle{},
		nextIno:       rootIno,
	}
	fs.newDir(0o755)
	for _, p := range disk.Dirs {
		parent, name, err := fs.parentOf(p)
		if err != nil {
			return nil, err
		}
		fs.linkDurable(parent, name, fs.newDir(0o700))
	}
	for _, p := range disk.sortedFiles() {
		parent, name, err := fs.parentOf(p)
		if err != nil {
			return nil, err
		}
		n := fs.newFile(0o600)
		n.file.live = clone(disk.Files[p])
		n.file.durable = clone(disk.Files[p])
		fs.linkDurable(parent, name, n)
	}
	return fs, nil
}

// parentOf finds the directory that is to hold the slash-separated path p.
func (fs *FS) parentOf(p string) (*dir, string, error) {
	d := fs.nodes[rootIno].dir
	parts := strings.Split(path.Clean(p), "/")
	for _, name := range parts[:len(parts)-1] {
		n := fs.nodes[d.live[name]]
		if n == nil || n.dir == nil {
			return nil, "", fmt.Errorf("powercut: image holds %s, but not the directory %s", p, name)
		}
		d = n.dir
	}
	name := parts[len(parts)-1]
	if name == "." || name == ".." || name == "" {
		return nil, "", fmt.Errorf("powercut: bad path %q in image", p)
	}
	if _, dup := d.live[name]; dup {
		return nil, "", fmt.Errorf("powercut: image holds %s twice", p)
	}
	return d, name, nil
}

func (fs *FS) linkDurable(d *dir, name string, n *node) {
	d.live[name] = n.ino
	d.durable[name] = n.ino
}

func (fs *FS) newDir(perm uint32) *node {
	n := &node{ino: fs.nextIno, perm: perm, dir: &dir{live: map[string]uint64{}, durable: map[string]uint64{}}}
	fs.nodes[n.ino] = n
	fs.nextIno++
	return n
}

func (fs *FS) newFile(perm uint32) *node {
	n := &node{ino: fs.nextIno, perm: perm, file: &file{}}
	fs.nodes[n.ino] = n
	fs.nextIno++
	return n
}

func clone(b []byte) []byte { return append([]byte(nil), b...) }

// Freeze cuts the power now: every later request fails with EIO, and the
// crash images are built from the state as it is. Freeze is idempotent.
func (fs *FS) Freeze() {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.freezeLocked()
}

func (fs *FS) freezeLocked() {
	if !fs.frozen {
		fs.frozen = true
		close(fs.cut)
	}
}

// FreezeAfter cuts the power right after the n-th request, counted from
// New, that changes the state (a write, a truncate, a sync, a create, a
// rename, ...): that request completes and its caller may see it succeed;
// the next one fails. Counting requests rather than time lands cuts at
// every point of a writer's life, Open and recovery included, whatever
// the machine's speed.
func (fs *FS) FreezeAfter(n int) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.cutAt = n
	if n <= fs.changes {
		fs.freezeLocked()
	}
}

// Frozen returns a channel that is closed once the power is cut.
func (fs *FS) Frozen() <-chan struct{} { return fs.cut }

// Changes is how many requests have changed the state since New.
func (fs *FS) Changes() int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.changes
}

// changed counts a request that changed the state, and cuts the power if
// FreezeAfter asked for it here. Called with mu held.
func (fs *FS) changed() {
	fs.changes++
	if fs.cutAt > 0 && fs.changes >= fs.cutAt {
		fs.freezeLocked()
	}
}

// nextSeq numbers a change. Called with mu held.
func (fs *FS) nextSeq() uint64 {
	fs.seq++
	return fs.seq
}

func (fs *FS) String() string { return "powercut" }
