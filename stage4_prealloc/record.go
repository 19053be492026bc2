package prealloc

import (
	"encoding/binary"
	"hash/crc32"
)

const (
	headerSize = 8 // CRC32C (4) + length (4)

	// MaxEntrySize is the largest payload Append accepts. Recovery also uses
	// it to reject a damaged length field before allocating for it.
	MaxEntrySize = 8 << 20
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
	var h [headerSize]byte
	length := uint32(len(payload))
	binary.LittleEndian.PutUint32(h[0:4], checksum(length, payload))
	binary.LittleEndian.PutUint32(h[4:8], length)
	return h
}

// appendRecord appends the encoded record (header, then payload) to dst.
func appendRecord(dst, payload []byte) []byte {
	h := encodeHeader(payload)
	return append(append(dst, h[:]...), payload...)
}

// decodeHeader splits a header into its stored checksum and length.
func decodeHeader(h []byte) (sum, length uint32) {
	return binary.LittleEndian.Uint32(h[0:4]), binary.LittleEndian.Uint32(h[4:8])
}

// decodeRecord decodes the record at the start of b. It returns the payload
// (a sub-slice of b) and the record's total size, or ok=false if b does not
// start with a complete, valid record.
func decodeRecord(b []byte) (payload []byte, size int, ok bool) {
	if len(b) < headerSize {
		return nil, 0, false
	}
	sum, length := decodeHeader(b)
	if length > MaxEntrySize || uint64(len(b)-headerSize) < uint64(length) {
		return nil, 0, false
	}
	payload = b[headerSize : headerSize+int(length)]
	if checksum(length, payload) != sum {
		return nil, 0, false
	}
	return payload, headerSize + int(length), true
}
