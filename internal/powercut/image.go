package powercut

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"slices"
)

// An Image is what a disk holds: directories and files by slash-separated
// path from the filesystem's root. New boots a filesystem from one; the
// crash images below are built from the state at the power cut.
type Image struct {
	Dirs  []string // parents before children; the root is not listed
	Files map[string][]byte
}

func (img Image) sortedFiles() []string { return slices.Sorted(maps.Keys(img.Files)) }

// WriteTo puts the image on the real disk under root (created if need be):
// directories 0700, files 0600. Nothing is synced: the image is for
// opening, not for keeping.
func (img Image) WriteTo(root string) error {
	if err := os.MkdirAll(root, 0o700); err != nil {
		return fmt.Errorf("powercut: write image: %w", err)
	}
	for _, d := range img.Dirs {
		if err := os.Mkdir(filepath.Join(root, filepath.FromSlash(d)), 0o700); err != nil {
			return fmt.Errorf("powercut: write image: %w", err)
		}
	}
	for _, p := range img.sortedFiles() {
		if err := os.WriteFile(filepath.Join(root, filepath.FromSlash(p)), img.Files[p], 0o600); err != nil {
			return fmt.Errorf("powercut: write image: %w", err)
		}
	}
	return nil
}

// blockSize is the unit in which the page cache writes file data back.
const blockSize = 4096

// Durable is the crash image that holds only what was made durable: the
// synced content of every file, under the names its directories' syncs
// made durable.
func (fs *FS) Durable() Image {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.image(
		func(d *dir) map[string]uint64 { return d.durable },
		func(f *file) []byte { return clone(f.durable) })
}

// Writeback is a crash image in which the page cache wrote back some of
// what was never synced, in any order: each directory holds its durable
// entries with a random subset of the unsynced creates, renames and
// unlinks applied (in order); each file holds, in each 4 KiB block an
// unsynced change touched, any one of the versions that block went through
// since the file's last sync, the durable one included, chosen for each
// block alone; and any one of the sizes the file had since then.
func (fs *FS) Writeback(rng *rand.Rand) Image {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.image(
		func(d *dir) map[string]uint64 {
			entries := maps.Clone(d.durable)
			for _, c := range d.unsynced {
				if rng.IntN(2) == 0 {
					c.apply(entries)
				}
			}
			return entries
		},
		func(f *file) []byte { return writeback(f, rng) })
}

// writeback is what the disk may hold of f after the page cache wrote back
// some of its blocks (see Writeback).
func writeback(f *file, rng *rand.Rand) []byte {
	work := clone(f.durable)
	size := int64(len(work))
	sizes := 1                   // sizes seen: the durable one, then one per change
	versions := map[int64]int{}  // block -> versions seen after the durable one
	chosen := map[int64][]byte{} // block -> the version it holds, where not the durable one
	// Each choice is a reservoir sample: the j-th candidate replaces the
	// one kept with probability 1/j, which makes every candidate equally
	// likely without knowing in advance how many there are.
	for _, c := range f.unsynced {
		before := int64(len(work))
		work = c.apply(work)
		first, end := touchedBlocks(c, before)
		for b := first; b < end; b++ {
			versions[b]++
			if rng.IntN(versions[b]+1) == 0 {
				lo, hi := min(b*blockSize, int64(len(work))), min((b+1)*blockSize, int64(len(work)))
				chosen[b] = clone(work[lo:hi])
			}
		}
		sizes++
		if rng.IntN(sizes) == 0 {
			size = int64(len(work))
		}
	}
	out := resize(clone(f.durable), size)
	for b, data := range chosen {
		lo := b * blockSize
		if lo >= size {
			continue
		}
		block := out[lo:min(lo+blockSize, size)]
		clear(block) // past the end of the file when it was written back: zeros
		copy(block, data)
	}
	return out
}

// touchedBlocks returns the blocks [first, end) that c changes in a file of
// size before.
func touchedBlocks(c change, before int64) (first, end int64) {
	lo, hi := c.off, c.off+int64(len(c.data))
	if c.resize {
		lo, hi = min(before, c.off), max(before, c.off)
	}
	if lo >= hi {
		return 0, 0
	}
	return lo / blockSize, (hi-1)/blockSize + 1
}

// TornPrefix is the crash image of a disk that wrote everything back in
// order, and lost power in the middle: the unsynced changes, file data and
// directory entries alike, applied in the order they were made up to a
// random one, and that one, if it is a write, applied in part: only the
// sectors (512 bytes) before a random sector boundary inside it.
func (fs *FS) TornPrefix(rng *rand.Rand) Image {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	var seqs []uint64
	for _, n := range fs.nodes {
		if n.file != nil {
			for _, c := range n.file.unsynced {
				seqs = append(seqs, c.seq)
			}
		} else {
			for _, c := range n.dir.unsynced {
				seqs = append(seqs, c.seq)
			}
		}
	}
	slices.Sort(seqs)
	// The change that tears; past the last one when all of them got
	// through.
	tear := fs.seq + 1
	if i := rng.IntN(len(seqs) + 1); i < len(seqs) {
		tear = seqs[i]
	}
	return fs.image(
		func(d *dir) map[string]uint64 {
			entries := maps.Clone(d.durable)
			for _, c := range d.unsynced {
				if c.seq < tear {
					c.apply(entries)
				}
			}
			return entries
		},
		func(f *file) []byte {
			content := clone(f.durable)
			for _, c := range f.unsynced {
				switch {
				case c.seq < tear:
					content = c.apply(content)
				case c.seq == tear && !c.resize:
					content = torn(c, rng).apply(content)
				}
			}
			return content
		})
}

// torn returns the part of write c that reached the disk when power failed
// at a random sector boundary inside it: nothing, if it lies within one
// sector.
func torn(c change, rng *rand.Rand) change {
	end := c.off + int64(len(c.data))
	first := (c.off/sectorSize + 1) * sectorSize // the first boundary after the start
	if first >= end {
		c.data = nil
		return c
	}
	boundaries := (end - 1 - first) / sectorSize // after first, before end
	cut := first + sectorSize*rng.Int64N(boundaries+1)
	c.data = c.data[:cut-c.off]
	return c
}

// image walks the tree from the root through the entries that entries
// chooses, with the content that content chooses for each file. Names are
// visited in order, so that a seeded rng builds the same image twice.
// Called with mu held.
func (fs *FS) image(entries func(*dir) map[string]uint64, content func(*file) []byte) Image {
	img := Image{Files: map[string][]byte{}}
	var walk func(d *dir, prefix string)
	walk = func(d *dir, prefix string) {
		es := entries(d)
		for _, name := range slices.Sorted(maps.Keys(es)) {
			n, p := fs.nodes[es[name]], path.Join(prefix, name)
			if n.dir != nil {
				img.Dirs = append(img.Dirs, p)
				walk(n.dir, p)
			} else {
				img.Files[p] = content(n.file)
			}
		}
	}
	walk(fs.nodes[rootIno].dir, "")
	return img
}
