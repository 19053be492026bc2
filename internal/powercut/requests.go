package powercut

import (
	"syscall"
	"time"

	"github.com/hanwen/go-fuse/v2/fuse"
)

// The FUSE requests. Each takes the one lock, fails with EIO once the power
// is cut, and records what it changes: in the live state at once, and as an
// unsynced change that only a sync makes durable.

// cacheTimeout is how long the kernel may trust an entry or attributes. It
// may trust them indefinitely, really: every change comes through it.
const cacheTimeout = time.Second

// sectorSize is the alignment O_DIRECT demands here.
const sectorSize = 512

func (fs *FS) Lookup(_ <-chan struct{}, in *fuse.InHeader, name string, out *fuse.EntryOut) fuse.Status {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.frozen {
		return fuse.EIO
	}
	parent, st := fs.dirNode(in.NodeId)
	if !st.Ok() {
		return st
	}
	n := fs.nodes[parent.dir.live[name]]
	if n == nil {
		return fuse.ENOENT
	}
	n.entry(out)
	return fuse.OK
}

func (fs *FS) GetAttr(_ <-chan struct{}, in *fuse.GetAttrIn, out *fuse.AttrOut) fuse.Status {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.frozen {
		return fuse.EIO
	}
	n := fs.nodes[in.NodeId]
	if n == nil {
		return fuse.ENOENT
	}
	n.attr(&out.Attr)
	out.SetTimeout(cacheTimeout)
	return fuse.OK
}

// SetAttr truncates and changes permissions; it accepts and ignores times
// and owners, which no crash image holds.
func (fs *FS) SetAttr(_ <-chan struct{}, in *fuse.SetAttrIn, out *fuse.AttrOut) fuse.Status {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.frozen {
		return fuse.EIO
	}
	n := fs.nodes[in.NodeId]
	if n == nil {
		return fuse.ENOENT
	}
	if in.Valid&fuse.FATTR_SIZE != 0 {
		if n.file == nil {
			return fuse.Status(syscall.EISDIR)
		}
		fs.resizeFile(n.file, int64(in.Size))
	}
	if in.Valid&fuse.FATTR_MODE != 0 {
		n.perm = in.Mode & 0o7777
	}
	n.attr(&out.Attr)
	out.SetTimeout(cacheTimeout)
	return fuse.OK
}

func (fs *FS) Mkdir(_ <-chan struct{}, in *fuse.MkdirIn, name string, out *fuse.EntryOut) fuse.Status {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.frozen {
		return fuse.EIO
	}
	parent, st := fs.dirNode(in.NodeId)
	if !st.Ok() {
		return st
	}
	if _, exists := parent.dir.live[name]; exists {
		return fuse.Status(syscall.EEXIST)
	}
	n := fs.newDir(in.Mode & 0o7777)
	fs.changeEntry(parent.dir, entryChange{link: name, ino: n.ino})
	n.entry(out)
	return fuse.OK
}

func (fs *FS) Create(_ <-chan struct{}, in *fuse.CreateIn, name string, out *fuse.CreateOut) fuse.Status {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.frozen {
		return fuse.EIO
	}
	parent, st := fs.dirNode(in.NodeId)
	if !st.Ok() {
		return st
	}
	n := fs.nodes[parent.dir.live[name]]
	switch {
	case n != nil && in.Flags&syscall.O_EXCL != 0:
		return fuse.Status(syscall.EEXIST)
	case n != nil && n.dir != nil:
		return fuse.Status(syscall.EISDIR)
	case n != nil && in.Flags&syscall.O_TRUNC != 0:
		fs.resizeFile(n.file, 0)
	case n == nil:
		n = fs.newFile(in.Mode & 0o7777)
		fs.changeEntry(parent.dir, entryChange{link: name, ino: n.ino})
	}
	n.entry(&out.EntryOut)
	out.Fh = fs.open(n, in.Flags)
	return fuse.OK
}

func (fs *FS) Open(_ <-chan struct{}, in *fuse.OpenIn, out *fuse.OpenOut) fuse.Status {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.frozen {
		return fuse.EIO
	}
	n, st := fs.fileNode(in.NodeId)
	if !st.Ok() {
		return st
	}
	if in.Flags&syscall.O_TRUNC != 0 {
		fs.resizeFile(n.file, 0)
	}
	out.Fh = fs.open(n, in.Flags)
	return fuse.OK
}

// open makes a handle. The kernel passes O_DIRECT through to us in the open
// flags; the handle remembers it so that reads and writes can insist on
// alignment, as a disk would.
func (fs *FS) open(n *node, flags uint32) uint64 {
	fs.nextFh++
	fs.handles[fs.nextFh] = &handle{n: n, direct: flags&oDirect != 0}
	return fs.nextFh
}

func (fs *FS) Read(_ <-chan struct{}, in *fuse.ReadIn, buf []byte) (fuse.ReadResult, fuse.Status) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.frozen {
		return nil, fuse.EIO
	}
	h := fs.handles[in.Fh]
	if h == nil || h.n.file == nil {
		return nil, fuse.EBADF
	}
	if h.direct && !aligned(in.Offset, int64(in.Size)) {
		return nil, fuse.EINVAL
	}
	live := h.n.file.live
	off := min(int64(in.Offset), int64(len(live)))
	end := min(off+int64(in.Size), int64(len(live)))
	n := copy(buf, live[off:end]) // a copy: live may change once we unlock
	return fuse.ReadResultData(buf[:n]), fuse.OK
}

func (fs *FS) Write(_ <-chan struct{}, in *fuse.WriteIn, data []byte) (uint32, fuse.Status) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.frozen {
		return 0, fuse.EIO
	}
	h := fs.handles[in.Fh]
	if h == nil || h.n.file == nil {
		return 0, fuse.EBADF
	}
	if h.direct && !aligned(in.Offset, int64(len(data))) {
		return 0, fuse.EINVAL
	}
	// A write with RWF_DSYNC or O_DSYNC needs nothing here: the kernel
	// follows it with an fsync request, as fdatasync would send.
	fs.changeFile(h.n.file, change{off: int64(in.Offset), data: clone(data)})
	return uint32(len(data)), fuse.OK
}

func aligned(off uint64, n int64) bool { return off%sectorSize == 0 && n%sectorSize == 0 }

// Fallocate supports mode 0 (allocate, extending the file) and
// FALLOC_FL_KEEP_SIZE. The model has no notion of allocation, only of
// content: an fallocate that extends the file is a size change.
func (fs *FS) Fallocate(_ <-chan struct{}, in *fuse.FallocateIn) fuse.Status {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.frozen {
		return fuse.EIO
	}
	n, st := fs.fileNode(in.NodeId)
	if !st.Ok() {
		return st
	}
	const keepSize = 1 // FALLOC_FL_KEEP_SIZE
	switch in.Mode {
	case 0:
		if end := int64(in.Offset + in.Length); end > int64(len(n.file.live)) {
			fs.resizeFile(n.file, end)
		}
	case keepSize:
	default:
		return fuse.ENOTSUP
	}
	return fuse.OK
}

// Fsync serves fsync and fdatasync alike: both make the file's content and
// size durable. Neither makes its name durable.
func (fs *FS) Fsync(_ <-chan struct{}, in *fuse.FsyncIn) fuse.Status {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.frozen {
		return fuse.EIO
	}
	n := fs.nodes[in.NodeId]
	if n == nil {
		return fuse.ENOENT
	}
	if n.file != nil {
		n.file.sync()
	} else {
		n.dir.sync()
	}
	fs.changed()
	return fuse.OK
}

// FsyncDir makes the directory's creates, renames and unlinks durable.
func (fs *FS) FsyncDir(_ <-chan struct{}, in *fuse.FsyncIn) fuse.Status {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.frozen {
		return fuse.EIO
	}
	n, st := fs.dirNode(in.NodeId)
	if !st.Ok() {
		return st
	}
	n.dir.sync()
	fs.changed()
	return fuse.OK
}

func (fs *FS) Unlink(_ <-chan struct{}, in *fuse.InHeader, name string) fuse.Status {
	return fs.remove(in.NodeId, name, false)
}

func (fs *FS) Rmdir(_ <-chan struct{}, in *fuse.InHeader, name string) fuse.Status {
	return fs.remove(in.NodeId, name, true)
}

func (fs *FS) remove(parentIno uint64, name string, isDir bool) fuse.Status {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.frozen {
		return fuse.EIO
	}
	parent, st := fs.dirNode(parentIno)
	if !st.Ok() {
		return st
	}
	n := fs.nodes[parent.dir.live[name]]
	switch {
	case n == nil:
		return fuse.ENOENT
	case !isDir && n.dir != nil:
		return fuse.Status(syscall.EISDIR)
	case isDir && n.dir == nil:
		return fuse.ENOTDIR
	case isDir && len(n.dir.live) > 0:
		return fuse.Status(syscall.ENOTEMPTY)
	}
	fs.changeEntry(parent.dir, entryChange{remove: name})
	return fuse.OK
}

// Rename renames within one directory, replacing the target as rename(2)
// does. Across directories it fails with EXDEV, which callers must handle
// anyway: the model stays one directory per change.
func (fs *FS) Rename(_ <-chan struct{}, in *fuse.RenameIn, oldName, newName string) fuse.Status {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.frozen {
		return fuse.EIO
	}
	if in.Flags != 0 { // RENAME_NOREPLACE, RENAME_EXCHANGE
		return fuse.EINVAL
	}
	if in.Newdir != in.NodeId {
		return fuse.EXDEV
	}
	parent, st := fs.dirNode(in.NodeId)
	if !st.Ok() {
		return st
	}
	src := fs.nodes[parent.dir.live[oldName]]
	if src == nil {
		return fuse.ENOENT
	}
	if oldName == newName {
		return fuse.OK
	}
	if dst := fs.nodes[parent.dir.live[newName]]; dst != nil {
		switch {
		case dst.dir != nil && src.dir == nil:
			return fuse.Status(syscall.EISDIR)
		case dst.dir == nil && src.dir != nil:
			return fuse.ENOTDIR
		case dst.dir != nil && len(dst.dir.live) > 0:
			return fuse.Status(syscall.ENOTEMPTY)
		}
	}
	fs.changeEntry(parent.dir, entryChange{remove: oldName, link: newName, ino: src.ino})
	return fuse.OK
}

// OpenDir takes a snapshot of the entries, so that ReadDir's offsets stay
// meaningful while the directory changes.
func (fs *FS) OpenDir(_ <-chan struct{}, in *fuse.OpenIn, out *fuse.OpenOut) fuse.Status {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.frozen {
		return fuse.EIO
	}
	n, st := fs.dirNode(in.NodeId)
	if !st.Ok() {
		return st
	}
	h := &handle{n: n}
	for _, name := range n.dir.names() {
		child := fs.nodes[n.dir.live[name]]
		var a fuse.Attr
		child.attr(&a)
		h.entries = append(h.entries, fuse.DirEntry{Name: name, Ino: child.ino, Mode: a.Mode})
	}
	fs.nextFh++
	fs.handles[fs.nextFh] = h
	out.Fh = fs.nextFh
	return fuse.OK
}

func (fs *FS) ReadDir(_ <-chan struct{}, in *fuse.ReadIn, out *fuse.DirEntryList) fuse.Status {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.frozen {
		return fuse.EIO
	}
	h := fs.handles[in.Fh]
	if h == nil || h.n.dir == nil {
		return fuse.EBADF
	}
	for i := in.Offset; i < uint64(len(h.entries)); i++ {
		e := h.entries[i]
		e.Off = i + 1
		if !out.AddDirEntry(e) {
			break
		}
	}
	return fuse.OK
}

// Release and ReleaseDir work even after the cut: the kernel closes the
// files of the killed writer, and nobody could hear an error.
func (fs *FS) Release(_ <-chan struct{}, in *fuse.ReleaseIn) { fs.release(in.Fh) }

func (fs *FS) ReleaseDir(in *fuse.ReleaseIn) { fs.release(in.Fh) }

func (fs *FS) release(fh uint64) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	delete(fs.handles, fh)
}

func (fs *FS) Flush(_ <-chan struct{}, _ *fuse.FlushIn) fuse.Status {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.frozen {
		return fuse.EIO
	}
	return fuse.OK
}

// StatFs reports a roomy disk of 4 KiB blocks: the model has no limit but
// memory.
func (fs *FS) StatFs(_ <-chan struct{}, _ *fuse.InHeader, out *fuse.StatfsOut) fuse.Status {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.frozen {
		return fuse.EIO
	}
	const blocks = 1 << 24 // 64 GiB
	var used uint64
	for _, n := range fs.nodes {
		if n.file != nil {
			used += (uint64(len(n.file.live)) + 4095) / 4096
		}
	}
	*out = fuse.StatfsOut{
		Blocks: blocks, Bfree: blocks - min(used, blocks), Bavail: blocks - min(used, blocks),
		Files: 1 << 20, Ffree: 1<<20 - uint64(len(fs.nodes)),
		Bsize: 4096, Frsize: 4096, NameLen: 255,
	}
	return fuse.OK
}

// changeFile applies a write or size change to the live content and keeps
// it as unsynced. Called with mu held.
func (fs *FS) changeFile(f *file, c change) {
	c.seq = fs.nextSeq()
	f.live = c.apply(f.live)
	f.unsynced = append(f.unsynced, c)
	fs.changed()
}

func (fs *FS) resizeFile(f *file, size int64) {
	if size != int64(len(f.live)) {
		fs.changeFile(f, change{off: size, resize: true})
	}
}

// changeEntry applies a create, rename or unlink to the live entries and
// keeps it as unsynced. Called with mu held.
func (fs *FS) changeEntry(d *dir, c entryChange) {
	c.seq = fs.nextSeq()
	c.apply(d.live)
	d.unsynced = append(d.unsynced, c)
	fs.changed()
}

func (fs *FS) dirNode(ino uint64) (*node, fuse.Status) {
	n := fs.nodes[ino]
	switch {
	case n == nil:
		return nil, fuse.ENOENT
	case n.dir == nil:
		return nil, fuse.ENOTDIR
	}
	return n, fuse.OK
}

func (fs *FS) fileNode(ino uint64) (*node, fuse.Status) {
	n := fs.nodes[ino]
	switch {
	case n == nil:
		return nil, fuse.ENOENT
	case n.file == nil:
		return nil, fuse.Status(syscall.EISDIR)
	}
	return n, fuse.OK
}

func (n *node) attr(out *fuse.Attr) {
	*out = fuse.Attr{Ino: n.ino, Nlink: 1, Blksize: 4096}
	if n.dir != nil {
		out.Mode = syscall.S_IFDIR | n.perm
		out.Nlink = 2
		return
	}
	out.Mode = syscall.S_IFREG | n.perm
	out.Size = uint64(len(n.file.live))
	out.Blocks = (out.Size + 511) / 512
}

func (n *node) entry(out *fuse.EntryOut) {
	out.NodeId = n.ino
	out.Generation = 1
	n.attr(&out.Attr)
	out.SetEntryTimeout(cacheTimeout)
	out.SetAttrTimeout(cacheTimeout)
}
