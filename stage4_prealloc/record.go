package prealloc

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

// encodeHeader returns the header that precedes r.payload on disk.
func encodeHeader(r record) [headerSize]byte {
	var h [headerSize]byte
	binary.LittleEndian.PutUint32(h[4:8], uint32(len(r.payload)))
	binary.LittleEndian.PutUint64(h[8:16], r.index)
	binary.LittleEndian.PutUint64(h[16:24], r.durable)
	binary.LittleEndian.PutUint32(h[0:4], checksum(h[4:], r.payload))
	return h
}

// appendRecord appends the encoded record (header, then payload) to dst.
func appendRecord(dst []byte, r record) []byte {
	h := encodeHeader(r)
	return append(append(dst, h[:]...), r.payload...)
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

// plausible reports whether a header's fields could belong to a record at
// all. Index 0 is never written, so an all-zero header fails here whatever
// its checksum; and an entry cannot have been durable before it existed.
func plausible(length uint32, r record) bool {
	return length <= MaxEntrySize && r.index > 0 && r.durable < r.index
}

// decodeRecord decodes the record at the start of b. It returns the record
// (its payload a sub-slice of b) and its total size, or ok=false if b does
// not start with a complete, valid record.
func decodeRecord(b []byte) (r record, size int, ok bool) {
	if len(b) < headerSize {
		return record{}, 0, false
	}
	sum, length, r := decodeHeader(b)
	if !plausible(length, r) || uint64(len(b)-headerSize) < uint64(length) {
		return record{}, 0, false
	}
	r.payload = b[headerSize : headerSize+int(length)]
	if checksum(b[4:headerSize], r.payload) != sum {
		return record{}, 0, false
	}
	return r, headerSize + int(length), true
}
