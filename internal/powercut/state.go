package powercut

import "slices"

// A node is a file or a directory. Nodes are never freed while the
// filesystem lives: an unlinked file may still be open, and an older crash
// image may still name it.
type node struct {
	ino  uint64
	perm uint32
	file *file // nil for a directory
	dir  *dir  // nil for a file
}

// A file holds what reads see and what a power cut keeps. live is always
// durable with every change in unsynced applied, in order.
type file struct {
	live     []byte
	durable  []byte
	unsynced []change // oldest first
}

// A change is one write or size change not yet made durable. seq orders it
// among every change of the filesystem, for the torn-prefix image.
type change struct {
	seq    uint64
	off    int64  // where data goes; the new size for a resize
	data   []byte // nil for a resize
	resize bool   // a truncate or an extending fallocate
}

// apply returns content with the change made, reusing content's memory.
func (c change) apply(content []byte) []byte {
	if c.resize {
		return resize(content, c.off)
	}
	if len(c.data) == 0 {
		return content // an empty write changes nothing, not even the size
	}
	end := c.off + int64(len(c.data))
	if end > int64(len(content)) {
		content = resize(content, end)
	}
	copy(content[c.off:], c.data)
	return content
}

// resize cuts content to size or extends it with zeros.
func resize(content []byte, size int64) []byte {
	if size <= int64(len(content)) {
		return content[:size]
	}
	return append(content, make([]byte, size-int64(len(content)))...)
}

// sync makes the file's live content and size durable.
func (f *file) sync() {
	for _, c := range f.unsynced {
		f.durable = c.apply(f.durable)
	}
	f.unsynced = nil
}

// A dir holds its live entries and the ones a power cut keeps, by name.
// live is always durable with every change in unsynced applied, in order.
type dir struct {
	live     map[string]uint64
	durable  map[string]uint64
	unsynced []entryChange // oldest first
}

// An entryChange is one create, rename or unlink in a directory, not yet
// made durable: it removes the name remove (if not empty), then links the
// name link (if not empty) to ino. A rename is one change, so that it is
// atomic: a crash image holds the old name or the new one, never both.
type entryChange struct {
	seq    uint64
	remove string
	link   string
	ino    uint64
}

func (c entryChange) apply(entries map[string]uint64) {
	if c.remove != "" {
		delete(entries, c.remove)
	}
	if c.link != "" {
		entries[c.link] = c.ino
	}
}

// sync makes the directory's live entries durable.
func (d *dir) sync() {
	for _, c := range d.unsynced {
		c.apply(d.durable)
	}
	d.unsynced = nil
}

// names returns the live entries' names in order.
func (d *dir) names() []string {
	names := make([]string, 0, len(d.live))
	for name := range d.live {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}
