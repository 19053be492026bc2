// Package crashfs is the small file-system interface the exercises that
// create files crash-safely write against (05's segments, 08's snapshot),
// with two implementations: OS, the real one, and Mem, an in-memory one
// that knows what a power cut would keep.
//
// Mem's model of durability is the one the kit's stages are written for:
// a file's bytes survive a power cut only once the file was synced, and a
// directory entry (a created, renamed or removed name) only once its
// directory was synced. A killed process keeps more: everything it wrote
// and renamed, synced or not. KillImage and PowerImage are the two states.
package crashfs

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// File is a file opened for writing.
type File interface {
	Write(p []byte) (int, error)
	Sync() error
	Close() error
}

// FS creates, reads, renames and removes files, and syncs directories.
type FS interface {
	// Create creates name, or truncates it if it exists, for writing.
	Create(name string) (File, error)
	ReadFile(name string) ([]byte, error)
	Rename(oldpath, newpath string) error
	Remove(name string) error
	// SyncDir makes the entries of directory dir durable.
	SyncDir(dir string) error
}

// OS is the real file system. Files are created 0600.
type OS struct{}

func (OS) Create(name string) (File, error) {
	return os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
}
func (OS) ReadFile(name string) ([]byte, error) { return os.ReadFile(name) }
func (OS) Rename(oldpath, newpath string) error { return os.Rename(oldpath, newpath) }
func (OS) Remove(name string) error             { return os.Remove(name) }

func (OS) SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("fsync dir %s: %w", dir, err)
	}
	return nil
}

// Mem is an in-memory FS that tracks what is durable. It is safe for
// concurrent use. Names are cleaned paths; directories exist implicitly.
type Mem struct {
	mu      sync.Mutex
	names   map[string]*inode // the directory entries now
	durable map[string]*inode // the directory entries a power cut keeps
	before  func(op string)   // called before each change, without mu held
}

// inode is a file's contents, now and as of its last Sync.
type inode struct {
	data   []byte
	synced []byte
}

// NewMem returns an empty Mem.
func NewMem() *Mem {
	return &Mem{names: map[string]*inode{}, durable: map[string]*inode{}}
}

// BeforeEach calls fn before every change to m (create, write, sync,
// rename, remove, directory sync), with a description of it, such as
// "rename dir/a.tmp dir/a". Tests take KillImage and PowerImage there, to
// see what a crash at that moment would leave.
func (m *Mem) BeforeEach(fn func(op string)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.before = fn
}

func (m *Mem) op(format string, args ...any) {
	m.mu.Lock()
	fn := m.before
	m.mu.Unlock()
	if fn != nil {
		fn(fmt.Sprintf(format, args...))
	}
}

func (m *Mem) Create(name string) (File, error) {
	name = filepath.Clean(name)
	m.op("create %s", name)
	m.mu.Lock()
	defer m.mu.Unlock()
	ino := m.names[name]
	if ino == nil {
		ino = &inode{}
		m.names[name] = ino
	}
	ino.data = nil // O_TRUNC; what was synced stays until the next sync
	return &memFile{m: m, name: name, ino: ino}, nil
}

func (m *Mem) ReadFile(name string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ino := m.names[filepath.Clean(name)]
	if ino == nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return slices.Clone(ino.data), nil
}

func (m *Mem) Rename(oldpath, newpath string) error {
	oldpath, newpath = filepath.Clean(oldpath), filepath.Clean(newpath)
	m.op("rename %s %s", oldpath, newpath)
	m.mu.Lock()
	defer m.mu.Unlock()
	ino := m.names[oldpath]
	if ino == nil {
		return &fs.PathError{Op: "rename", Path: oldpath, Err: fs.ErrNotExist}
	}
	delete(m.names, oldpath)
	m.names[newpath] = ino
	return nil
}

func (m *Mem) Remove(name string) error {
	name = filepath.Clean(name)
	m.op("remove %s", name)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.names[name] == nil {
		return &fs.PathError{Op: "remove", Path: name, Err: fs.ErrNotExist}
	}
	delete(m.names, name)
	return nil
}

// SyncDir makes the entries of dir, as they are now, the ones a power cut
// keeps.
func (m *Mem) SyncDir(dir string) error {
	dir = filepath.Clean(dir)
	m.op("syncdir %s", dir)
	m.mu.Lock()
	defer m.mu.Unlock()
	for name := range m.durable {
		if filepath.Dir(name) == dir {
			delete(m.durable, name)
		}
	}
	for name, ino := range m.names {
		if filepath.Dir(name) == dir {
			m.durable[name] = ino
		}
	}
	return nil
}

// Names returns the names that exist now, sorted.
func (m *Mem) Names() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Sorted(maps.Keys(m.names))
}

// KillImage is what a killed process leaves: every name and byte as they
// are now.
func (m *Mem) KillImage() *Mem {
	m.mu.Lock()
	defer m.mu.Unlock()
	img := NewMem()
	for name, ino := range m.names {
		data := slices.Clone(ino.data)
		img.names[name] = &inode{data: data, synced: data}
		img.durable[name] = img.names[name]
	}
	return img
}

// PowerImage is what a power cut leaves: the names of the last directory
// syncs, each with the bytes of its file's last sync.
func (m *Mem) PowerImage() *Mem {
	m.mu.Lock()
	defer m.mu.Unlock()
	img := NewMem()
	for name, ino := range m.durable {
		data := slices.Clone(ino.synced)
		img.names[name] = &inode{data: data, synced: data}
		img.durable[name] = img.names[name]
	}
	return img
}

// Moved returns a copy of m with every name under dir from moved under
// dir to, for opening an image somewhere else.
func (m *Mem) Moved(from, to string) *Mem {
	m.mu.Lock()
	defer m.mu.Unlock()
	from, to = filepath.Clean(from), filepath.Clean(to)
	move := func(src map[string]*inode) map[string]*inode {
		dst := map[string]*inode{}
		for name, ino := range src {
			if rest, ok := strings.CutPrefix(name, from+string(filepath.Separator)); ok {
				name = filepath.Join(to, rest)
			}
			dst[name] = ino
		}
		return dst
	}
	return &Mem{names: move(m.names), durable: move(m.durable)}
}

// ErrClosed is returned by a memFile's methods after Close.
var ErrClosed = errors.New("crashfs: file already closed")

type memFile struct {
	m      *Mem
	name   string
	ino    *inode
	closed bool
}

func (f *memFile) Write(p []byte) (int, error) {
	if f.closed {
		return 0, ErrClosed
	}
	f.m.op("write %s", f.name)
	f.m.mu.Lock()
	defer f.m.mu.Unlock()
	f.ino.data = append(f.ino.data, p...)
	return len(p), nil
}

func (f *memFile) Sync() error {
	if f.closed {
		return ErrClosed
	}
	f.m.op("sync %s", f.name)
	f.m.mu.Lock()
	defer f.m.mu.Unlock()
	f.ino.synced = slices.Clone(f.ino.data)
	return nil
}

func (f *memFile) Close() error {
	if f.closed {
		return ErrClosed
	}
	f.closed = true
	return nil
}
