//go:build solution || broken_tail_only

package record

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
)

// castagnoli is a read-only table; CRC32C has hardware support on amd64
// and arm64, so checksumming costs far less than the syscalls around it.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// checksum covers the length field as well as the payload, so that a
// damaged length can never send a reader to a wrong "next record", and so
// that an all-zero header is not valid: the CRC32C of a zero length field
// is 0x48674BC7, not 0.
func checksum(length uint32, payload []byte) uint32 {
	var l [4]byte
	binary.LittleEndian.PutUint32(l[:], length)
	return crc32.Update(crc32.Checksum(l[:], castagnoli), castagnoli, payload)
}

func Append(dst, payload []byte) ([]byte, error) {
	if len(payload) > MaxPayload {
		return dst, fmt.Errorf("%w: %d bytes, the limit is %d", ErrTooLarge, len(payload), MaxPayload)
	}
	var h [HeaderSize]byte
	length := uint32(len(payload))
	binary.LittleEndian.PutUint32(h[0:4], checksum(length, payload))
	binary.LittleEndian.PutUint32(h[4:8], length)
	return append(append(dst, h[:]...), payload...), nil
}

func Decode(b []byte) (payload []byte, size int, err error) {
	if len(b) < HeaderSize {
		return nil, 0, fmt.Errorf("%w: %d bytes, a header is %d", ErrInvalid, len(b), HeaderSize)
	}
	sum, length := binary.LittleEndian.Uint32(b[0:4]), binary.LittleEndian.Uint32(b[4:8])
	// Check the length before using it: a flipped bit must not make us
	// allocate 4 GiB or read past the end.
	if length > MaxPayload || uint64(len(b)-HeaderSize) < uint64(length) {
		return nil, 0, fmt.Errorf("%w: length %d does not fit in %d bytes", ErrInvalid, length, len(b))
	}
	payload = b[HeaderSize : HeaderSize+int(length)]
	if checksum(length, payload) != sum {
		return nil, 0, fmt.Errorf("%w: checksum mismatch", ErrInvalid)
	}
	return payload, HeaderSize + int(length), nil
}
