package directcache

import (
	"encoding/binary"
	"hash/crc32"
)

const (
	headerSize = 8 // CRC32C (4) + length (4)

	// MaxEntrySize is the largest payload Append accepts. Recovery also uses
	// it to reject a damaged length field before allocating for it.
	MaxEntrySize = 8 << 20

	// paddingFlag, set in the length field, marks a padding record: it
	// fills a group up to the next block boundary (padToBlock in direct.go)
	// and holds no entry. Lengths never reach this bit (MaxEntrySize is 2^23), and the
	// checksum covers the length field, flag included, so a padding record
	// is as hard to forge as any other.
	paddingFlag = 1 << 31
)

// castagnoli is a read-only lookup table; CRC32C has hardware support on
// amd64 and arm64, so checksumming costs far less than the syscalls around it.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func crc32c(b []byte) uint32 { return crc32.Checksum(b, castagnoli) }

// checksum covers the length field as well as the payload, so that a damaged
// length can never send the reader to a wrong "next record".
func checksum(length uint32, payload []byte) uint32 {
	var l [4]byte
	binary.LittleEndian.PutUint32(l[:], length)
	return crc32.Update(crc32.Checksum(l[:], castagnoli), castagnoli, payload)
}

// encodeHeader returns the 8-byte header that precedes payload on disk.
func encodeHeader(payload []byte) [headerSize]byte {
	return encodeHeaderField(uint32(len(payload)), payload)
}

func encodeHeaderField(length uint32, payload []byte) [headerSize]byte {
	var h [headerSize]byte
	binary.LittleEndian.PutUint32(h[0:4], checksum(length, payload))
	binary.LittleEndian.PutUint32(h[4:8], length)
	return h
}

// appendRecord appends the encoded record (header, then payload) to dst.
func appendRecord(dst, payload []byte) []byte {
	h := encodeHeader(payload)
	return append(append(dst, h[:]...), payload...)
}

// appendPadding appends a padding record of size bytes in all (size is at
// least headerSize): a header with paddingFlag, then zeros. It runs once per
// group under the enqueue lock, so it zeroes dst's spare room in place
// rather than allocating the zeros (append of make allocates nothing).
func appendPadding(dst []byte, size int) []byte {
	start := len(dst)
	dst = append(dst, make([]byte, size)...)
	zeros := dst[start+headerSize:]
	h := encodeHeaderField(uint32(len(zeros))|paddingFlag, zeros)
	copy(dst[start:], h[:])
	return dst
}

// decodeHeader splits a header into its stored checksum and length field.
func decodeHeader(h []byte) (sum, length uint32) {
	return binary.LittleEndian.Uint32(h[0:4]), binary.LittleEndian.Uint32(h[4:8])
}

// payloadLength is the payload size a length field stands for, and whether
// the record is padding.
func payloadLength(length uint32) (n uint32, padding bool) {
	return length &^ paddingFlag, length&paddingFlag != 0
}

// decodeRecord decodes the entry record at the start of b. It returns the
// payload (a sub-slice of b) and the record's total size, or ok=false if b
// does not start with a complete, valid entry record.
func decodeRecord(b []byte) (payload []byte, size int, ok bool) {
	payload, size, padding, ok := decodeAny(b)
	if padding {
		return nil, 0, false
	}
	return payload, size, ok
}

// decodeAny decodes the record at the start of b, entry or padding.
func decodeAny(b []byte) (payload []byte, size int, padding, ok bool) {
	if len(b) < headerSize {
		return nil, 0, false, false
	}
	sum, length := decodeHeader(b)
	n, padding := payloadLength(length)
	if n > MaxEntrySize || uint64(len(b)-headerSize) < uint64(n) {
		return nil, 0, false, false
	}
	payload = b[headerSize : headerSize+int(n)]
	if checksum(length, payload) != sum {
		return nil, 0, false, false
	}
	return payload, headerSize + int(n), padding, true
}
