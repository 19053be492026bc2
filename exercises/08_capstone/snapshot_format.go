package capstone

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"maps"
	"slices"

	"walworkshop/exercises/internal/crashfs"
)

// A snapshot file is the map as of a log index, checksummed as a whole:
//
//	"KVSNAP1\n" | index u64 | count u64 | count × (uvarint len, key, uvarint len, value) | CRC32C u32
//
// The CRC covers everything before it, so a snapshot cut short or torn is
// never mistaken for a smaller map.
var snapshotMagic = []byte("KVSNAP1\n")

// errBadSnapshot means the snapshot file does not check out.
var errBadSnapshot = errors.New("capstone: damaged snapshot")

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// encodeSnapshot returns the snapshot file of data as of log index index.
// Keys are sorted, so equal maps give equal files.
func encodeSnapshot(index uint64, data map[string]string) []byte {
	b := append([]byte(nil), snapshotMagic...)
	b = binary.LittleEndian.AppendUint64(b, index)
	b = binary.LittleEndian.AppendUint64(b, uint64(len(data)))
	for _, k := range slices.Sorted(maps.Keys(data)) {
		b = binary.AppendUvarint(b, uint64(len(k)))
		b = append(b, k...)
		b = binary.AppendUvarint(b, uint64(len(data[k])))
		b = append(b, data[k]...)
	}
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, castagnoli))
}

// decodeSnapshot is the inverse of encodeSnapshot.
func decodeSnapshot(b []byte) (index uint64, data map[string]string, err error) {
	const fixed = 8 + 8 + 8 + 4
	if len(b) < fixed || !bytes.Equal(b[:8], snapshotMagic) {
		return 0, nil, fmt.Errorf("%w: no snapshot header in %d bytes", errBadSnapshot, len(b))
	}
	body, sum := b[:len(b)-4], binary.LittleEndian.Uint32(b[len(b)-4:])
	if crc32.Checksum(body, castagnoli) != sum {
		return 0, nil, fmt.Errorf("%w: checksum mismatch", errBadSnapshot)
	}
	index, count := binary.LittleEndian.Uint64(body[8:]), binary.LittleEndian.Uint64(body[16:])
	rest := body[24:]
	next := func() (string, bool) {
		n, size := binary.Uvarint(rest)
		if size <= 0 || n > uint64(len(rest)-size) {
			return "", false
		}
		s := string(rest[size : size+int(n)])
		rest = rest[size+int(n):]
		return s, true
	}
	data = map[string]string{}
	for range count {
		k, ok1 := next()
		v, ok2 := next()
		if !ok1 || !ok2 {
			return 0, nil, fmt.Errorf("%w: entries cut short", errBadSnapshot)
		}
		data[k] = v
	}
	if len(rest) != 0 {
		return 0, nil, fmt.Errorf("%w: %d bytes after the entries", errBadSnapshot, len(rest))
	}
	return index, data, nil
}

// loadSnapshot reads the snapshot at path: index 0 and an empty map if
// there is none yet.
func loadSnapshot(fsys crashfs.FS, path string) (index uint64, data map[string]string, err error) {
	b, err := fsys.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, map[string]string{}, nil
	}
	if err != nil {
		return 0, nil, fmt.Errorf("capstone: read %s: %w", path, err)
	}
	index, data, err = decodeSnapshot(b)
	if err != nil {
		return 0, nil, fmt.Errorf("%s: %w", path, err)
	}
	return index, data, nil
}
