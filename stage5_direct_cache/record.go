package directcache

import (
	"encoding/binary"
	"hash/crc32"
)

const (
	// headerSize is CRC32C (4) + length (4) + index (8) + durable (8).
	headerSize = 24

	// MaxEntrySize is the largest payload Append accepts. Recovery also uses
	// it to reject a damaged length field before allocating for it.
	MaxEntrySize = 8 << 20

	// paddingFlag, set in the length field, marks a padding record: it
	// fills a group up to the next block boundary (padToBlock in direct.go)
	// and holds no entry. Its index is that of the entry after it, which it
	// does not use up. Lengths never reach this bit (MaxEntrySize is 2^23),
	// and the checksum covers the length field, flag included, so a padding
	// record is as hard to forge as any other.
	paddingFlag = 1 << 31
)

// castagnoli is a read-only lookup table; CRC32C has hardware support on
// amd64 and arm64, so checksumming costs far less than the syscalls around it.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func crc32c(b []byte) uint32 { return crc32.Checksum(b, castagnoli) }

// A record is one entry as it sits on disk.
type record struct {
	// index is the entry's index. Recovery accepts a record only where the
	// log expects that index, so a record can never be read in the wrong
	// place.
	index uint64
	// durable is the index of the newest entry that was durable (covered by
	// a sync that had returned) when this record was encoded, 0 if none.
	// A record found after damage proves the damage hit acknowledged data
	// only if its durable field says so (see recover.go).
	durable uint64
	payload []byte
}

// checksum covers every header field after itself and the payload, so that
// a damaged length, index or durable field can never be trusted.
func checksum(fields, payload []byte) uint32 {
	return crc32.Update(crc32.Checksum(fields, castagnoli), castagnoli, payload)
}

// encodeHeader returns the header that precedes r.payload on disk; length
// is the payload's length, with paddingFlag for a padding record.
func encodeHeader(r record, length uint32) [headerSize]byte {
	var h [headerSize]byte
	binary.LittleEndian.PutUint32(h[4:8], length)
	binary.LittleEndian.PutUint64(h[8:16], r.index)
	binary.LittleEndian.PutUint64(h[16:24], r.durable)
	binary.LittleEndian.PutUint32(h[0:4], checksum(h[4:], r.payload))
	return h
}

// appendRecord appends the encoded record (header, then payload) to dst.
func appendRecord(dst []byte, r record) []byte {
	h := encodeHeader(r, uint32(len(r.payload)))
	return append(append(dst, h[:]...), r.payload...)
}

// appendPadding appends a padding record of size bytes in all (size is at
// least headerSize): a header with paddingFlag, then zeros. r gives its
// index and durable fields; its payload is ignored. It runs once per group
// under the enqueue lock, so it zeroes dst's spare room in place rather
// than allocating the zeros (append of make allocates nothing).
func appendPadding(dst []byte, size int, r record) []byte {
	start := len(dst)
	dst = append(dst, make([]byte, size)...)
	r.payload = dst[start+headerSize:]
	h := encodeHeader(r, uint32(len(r.payload))|paddingFlag)
	copy(dst[start:], h[:])
	return dst
}

// decodeHeader returns the fields of a header: its stored checksum, the
// payload length, and the record's index and durable fields.
func decodeHeader(h []byte) (sum, length uint32, r record) {
	sum = binary.LittleEndian.Uint32(h[0:4])
	length = binary.LittleEndian.Uint32(h[4:8])
	r.index = binary.LittleEndian.Uint64(h[8:16])
	r.durable = binary.LittleEndian.Uint64(h[16:24])
	return sum, length, r
}

// payloadLength is the payload size a length field stands for, and whether
// the record is padding.
func payloadLength(length uint32) (n uint32, padding bool) {
	return length &^ paddingFlag, length&paddingFlag != 0
}

// plausible reports whether a header's fields could belong to a record at
// all. Index 0 is never written, so an all-zero header fails here whatever
// its checksum; and an entry cannot have been durable before it existed.
func plausible(length uint32, r record) bool {
	n, _ := payloadLength(length)
	return n <= MaxEntrySize && r.index > 0 && r.durable < r.index
}

// decodeRecord decodes the entry record at the start of b. It returns the
// record (its payload a sub-slice of b) and its total size, or ok=false if
// b does not start with a complete, valid entry record.
func decodeRecord(b []byte) (r record, size int, ok bool) {
	r, size, padding, ok := decodeAny(b)
	if padding {
		return record{}, 0, false
	}
	return r, size, ok
}

// decodeAny decodes the record at the start of b, entry or padding.
func decodeAny(b []byte) (r record, size int, padding, ok bool) {
	if len(b) < headerSize {
		return record{}, 0, false, false
	}
	sum, length, r := decodeHeader(b)
	n, padding := payloadLength(length)
	if !plausible(length, r) || uint64(len(b)-headerSize) < uint64(n) {
		return record{}, 0, false, false
	}
	r.payload = b[headerSize : headerSize+int(n)]
	if checksum(b[4:headerSize], r.payload) != sum {
		return record{}, 0, false, false
	}
	return r, headerSize + int(n), padding, true
}
