//go:build broken_zero_header && !solution

package record

// A broken variant, for the tests to catch: the checksum covers the
// payload only. It looks harmless (a flipped length still fails, because
// the payload it frames no longer matches), but an empty payload's CRC32C
// is 0, so eight zero bytes decode as a valid empty record, and a
// zero-filled tail becomes a stream of phantom entries.

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func Append(dst, payload []byte) ([]byte, error) {
	if len(payload) > MaxPayload {
		return dst, fmt.Errorf("%w: %d bytes", ErrTooLarge, len(payload))
	}
	var h [HeaderSize]byte
	binary.LittleEndian.PutUint32(h[0:4], crc32.Checksum(payload, castagnoli))
	binary.LittleEndian.PutUint32(h[4:8], uint32(len(payload)))
	return append(append(dst, h[:]...), payload...), nil
}

func Decode(b []byte) (payload []byte, size int, err error) {
	if len(b) < HeaderSize {
		return nil, 0, ErrInvalid
	}
	sum, length := binary.LittleEndian.Uint32(b[0:4]), binary.LittleEndian.Uint32(b[4:8])
	if length > MaxPayload || uint64(len(b)-HeaderSize) < uint64(length) {
		return nil, 0, ErrInvalid
	}
	payload = b[HeaderSize : HeaderSize+int(length)]
	if crc32.Checksum(payload, castagnoli) != sum {
		return nil, 0, ErrInvalid
	}
	return payload, HeaderSize + int(length), nil
}
