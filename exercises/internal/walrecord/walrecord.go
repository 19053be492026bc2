// Package walrecord is the kit's record format, given to the exercises
// after 02 (where you write it yourself) so that they can focus on what
// they teach:
//
//	+---------+---------+------------------------+
//	| CRC32C  | length  | payload (length bytes) |
//	| 4 bytes | 4 bytes |                        |
//	+---------+---------+------------------------+
//	  little-endian; the CRC covers the length field and the payload
//
// Stage 5's padding record is a record whose length field has bit 31 set:
// its payload is zeros, and it only moves the next record to a block
// boundary.
package walrecord

import (
	"encoding/binary"
	"hash/crc32"
)

const (
	// HeaderSize is the size of a record header: CRC32C, then length.
	HeaderSize = 8
	// MaxPayload is the largest payload a record holds.
	MaxPayload = 8 << 20
	// PaddingFlag marks a padding record in the length field.
	PaddingFlag = 1 << 31
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func checksum(lengthField uint32, payload []byte) uint32 {
	var l [4]byte
	binary.LittleEndian.PutUint32(l[:], lengthField)
	return crc32.Update(crc32.Checksum(l[:], castagnoli), castagnoli, payload)
}

// Size is the encoded size of a record holding payload.
func Size(payload []byte) int { return HeaderSize + len(payload) }

// Append appends the record of payload to dst.
func Append(dst, payload []byte) []byte {
	return appendField(dst, uint32(len(payload)), payload)
}

// AppendPadding appends a padding record of size bytes in all, header
// included (size is at least HeaderSize).
func AppendPadding(dst []byte, size int) []byte {
	return appendField(dst, uint32(size-HeaderSize)|PaddingFlag, make([]byte, size-HeaderSize))
}

func appendField(dst []byte, lengthField uint32, payload []byte) []byte {
	var h [HeaderSize]byte
	binary.LittleEndian.PutUint32(h[0:4], checksum(lengthField, payload))
	binary.LittleEndian.PutUint32(h[4:8], lengthField)
	return append(append(dst, h[:]...), payload...)
}

// Decode decodes the record at the start of b: its payload (a sub-slice of
// b), its size, whether it is padding, and ok=false if b does not start
// with a whole valid record. An all-zero header is never valid.
func Decode(b []byte) (payload []byte, size int, padding, ok bool) {
	if len(b) < HeaderSize {
		return nil, 0, false, false
	}
	sum, field := binary.LittleEndian.Uint32(b[0:4]), binary.LittleEndian.Uint32(b[4:8])
	length := field &^ PaddingFlag
	if length > MaxPayload || uint64(len(b)-HeaderSize) < uint64(length) {
		return nil, 0, false, false
	}
	payload = b[HeaderSize : HeaderSize+int(length)]
	if checksum(field, payload) != sum {
		return nil, 0, false, false
	}
	return payload, HeaderSize + int(length), field&PaddingFlag != 0, true
}

// Entries decodes the records at the start of b, skipping padding, up to
// the first place that does not hold a valid record. It returns the
// payloads and where that place is.
func Entries(b []byte) (payloads [][]byte, end int) {
	for {
		payload, size, padding, ok := Decode(b[end:])
		if !ok {
			return payloads, end
		}
		if !padding {
			payloads = append(payloads, payload)
		}
		end += size
	}
}
