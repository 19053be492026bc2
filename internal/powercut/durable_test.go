package powercut

import (
	"bytes"
	"os"
	"slices"
	"testing"
)

// A synced file whose directory was never synced does not exist after the
// cut; once the directory is synced it does, with its synced content only.
func TestFsyncMakesDataDurableNotTheName(t *testing.T) {
	fs, mnt := mount(t, Image{})
	writeFile(t, join(mnt, "a"), []byte("synced"), true)
	if img := fs.Durable(); len(img.Files) != 0 {
		t.Fatalf("before the directory sync, the durable image holds %v", img.Files)
	}
	syncDir(t, mnt)
	f, err := os.OpenFile(join(mnt, "a"), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write([]byte(" and not")); err != nil {
		t.Fatal(err)
	}
	if got := fs.Durable().Files["a"]; string(got) != "synced" {
		t.Fatalf("durable content %q, want %q", got, "synced")
	}
	if got, _ := os.ReadFile(join(mnt, "a")); string(got) != "synced and not" {
		t.Fatalf("live content %q", got)
	}
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
	if got := fs.Durable().Files["a"]; string(got) != "synced and not" {
		t.Fatalf("after fsync: durable content %q", got)
	}
}

// A directory made by mkdir exists after the cut only if its parent was
// synced; its entries only if it was synced itself.
func TestDirectorySyncIsPerDirectory(t *testing.T) {
	fs, mnt := mount(t, Image{})
	if err := os.Mkdir(join(mnt, "d"), 0o700); err != nil {
		t.Fatal(err)
	}
	writeFile(t, join(mnt, "d", "f"), []byte("data"), true)
	syncDir(t, join(mnt, "d"))
	if img := fs.Durable(); len(img.Dirs) != 0 || len(img.Files) != 0 {
		t.Fatalf("the root was never synced, but the durable image holds %v %v", img.Dirs, img.Files)
	}
	syncDir(t, mnt)
	img := fs.Durable()
	if !slices.Equal(img.Dirs, []string{"d"}) || string(img.Files["d/f"]) != "data" {
		t.Fatalf("after syncing both: %v %q", img.Dirs, img.Files)
	}

	// And the other way round: the root synced, d not.
	if err := os.Mkdir(join(mnt, "e"), 0o700); err != nil {
		t.Fatal(err)
	}
	writeFile(t, join(mnt, "e", "f"), []byte("data"), true)
	syncDir(t, mnt)
	img = fs.Durable()
	if !slices.Equal(img.Dirs, []string{"d", "e"}) || img.Files["e/f"] != nil {
		t.Fatalf("e synced in the root, e/f never in e: %v %q", img.Dirs, img.Files)
	}
}

// A rename is durable only after the directory sync, and atomic in every
// image: the old name or the new one, never both, never neither.
func TestRenameIsAtomicAndNeedsTheDirectorySync(t *testing.T) {
	fs, mnt := mount(t, Image{})
	writeFile(t, join(mnt, "tmp"), []byte("segment"), true)
	syncDir(t, mnt)
	writeFile(t, join(mnt, "old"), []byte("replaced"), true)
	syncDir(t, mnt)
	if err := os.Rename(join(mnt, "tmp"), join(mnt, "old")); err != nil {
		t.Fatal(err)
	}
	if img := fs.Durable(); string(img.Files["tmp"]) != "segment" || string(img.Files["old"]) != "replaced" {
		t.Fatalf("before the directory sync: %q", img.Files)
	}
	seen := map[string]bool{}
	for seed, rng := range seeds(64) {
		for name, img := range map[string]Image{"writeback": fs.Writeback(rng), "torn prefix": fs.TornPrefix(rng)} {
			_, hasTmp := img.Files["tmp"]
			switch old := string(img.Files["old"]); {
			case hasTmp && old == "replaced":
				seen["before"] = true
			case !hasTmp && old == "segment":
				seen["after"] = true
			default:
				t.Fatalf("seed %d: %s image neither before nor after the rename: %q", seed, name, img.Files)
			}
		}
	}
	if !seen["before"] || !seen["after"] {
		t.Fatalf("64 seeds never showed the rename both undone and done: %v", seen)
	}
	syncDir(t, mnt)
	if img := fs.Durable(); img.Files["tmp"] != nil || string(img.Files["old"]) != "segment" {
		t.Fatalf("after the directory sync: %q", img.Files)
	}
}

// An unlink is undone by the cut until the directory is synced.
func TestUnlinkNeedsTheDirectorySync(t *testing.T) {
	fs, mnt := mount(t, Image{Files: map[string][]byte{"seg": []byte("old entries")}})
	if err := os.Remove(join(mnt, "seg")); err != nil {
		t.Fatal(err)
	}
	if got := fs.Durable().Files["seg"]; string(got) != "old entries" {
		t.Fatalf("unsynced unlink: durable image holds %q", got)
	}
	syncDir(t, mnt)
	if img := fs.Durable(); len(img.Files) != 0 {
		t.Fatalf("synced unlink: durable image holds %q", img.Files)
	}
}

// A truncate is a change of the content like any other: undone by the cut
// until the file is synced.
func TestTruncateNeedsTheFileSync(t *testing.T) {
	fs, mnt := mount(t, Image{Files: map[string][]byte{"log": []byte("record record torn")}})
	if err := os.Truncate(join(mnt, "log"), 13); err != nil {
		t.Fatal(err)
	}
	if got := fs.Durable().Files["log"]; string(got) != "record record torn" {
		t.Fatalf("unsynced truncate: durable %q", got)
	}
	f, err := os.OpenFile(join(mnt, "log"), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
	if got := fs.Durable().Files["log"]; string(got) != "record record" {
		t.Fatalf("synced truncate: durable %q", got)
	}
}

// Writeback writes any subset of the unsynced blocks, in any order, each
// at some version it really had.
func TestWritebackIsAnySubsetOfBlocks(t *testing.T) {
	const blocks = 4
	fs, mnt := mount(t, Image{Files: map[string][]byte{"f": bytes.Repeat([]byte{'d'}, blocks*blockSize)}})
	f, err := os.OpenFile(join(mnt, "f"), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, version := range []byte{'1', '2'} { // every block written twice
		for b := range blocks {
			if _, err := f.WriteAt(bytes.Repeat([]byte{version}, blockSize), int64(b*blockSize)); err != nil {
				t.Fatal(err)
			}
		}
	}
	outOfOrder := false
	seen := map[byte]bool{}
	for seed, rng := range seeds(200) {
		img := fs.Writeback(rng).Files["f"]
		if len(img) != blocks*blockSize {
			t.Fatalf("seed %d: size %d changed, but no write changed the size", seed, len(img))
		}
		var versions []byte
		for b := range blocks {
			block := img[b*blockSize : (b+1)*blockSize]
			if !bytes.Equal(block, bytes.Repeat(block[:1], blockSize)) || !bytes.ContainsAny(block[:1], "d12") {
				t.Fatalf("seed %d: block %d holds bytes nobody wrote there: %q...", seed, b, block[:8])
			}
			versions = append(versions, block[0])
			seen[block[0]] = true
		}
		if versions[0] == 'd' && versions[blocks-1] != 'd' {
			outOfOrder = true // a later block reached the disk, an earlier one did not
		}
	}
	if !outOfOrder || len(seen) != 3 {
		t.Fatalf("200 seeds never wrote a later block back before an earlier one (%v), or missed a version (%v)", outOfOrder, seen)
	}
}

// A torn prefix is the unsynced writes in order, the last one cut at a
// sector boundary: always a prefix of what was written, and sometimes a cut
// inside a write.
func TestTornPrefixIsAPrefixCutAtASector(t *testing.T) {
	fs, mnt := mount(t, Image{Files: map[string][]byte{"log": nil}})
	var written []byte
	f, err := os.OpenFile(join(mnt, "log"), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for i := range 4 {
		record := bytes.Repeat([]byte{byte('a' + i)}, 1500) // not sector-aligned: tears fall inside
		if _, err := f.Write(record); err != nil {
			t.Fatal(err)
		}
		written = append(written, record...)
	}
	insideAWrite := false
	for seed, rng := range seeds(200) {
		got := fs.TornPrefix(rng).Files["log"]
		if !bytes.HasPrefix(written, got) {
			t.Fatalf("seed %d: %d bytes that are not a prefix of what was written", seed, len(got))
		}
		if len(got)%1500 != 0 {
			if len(got)%sectorSize != 0 {
				t.Fatalf("seed %d: torn at %d, not at a sector boundary", seed, len(got))
			}
			insideAWrite = true
		}
	}
	if !insideAWrite {
		t.Fatal("200 seeds never tore a write")
	}
}
