//go:build !solution && !broken_zero_header && !broken_tail_only

package record

import "errors"

// errTODO is what every function returns until you write it.
var errTODO = errors.New("02_record: not written yet (see README.md)")

// Append appends the record of payload (header, then payload) to dst and
// returns the extended slice, or ErrTooLarge (wrapped) for a payload over
// MaxPayload, with dst unchanged.
//
// The header is the CRC32C (Castagnoli) of the 4-byte length field
// followed by the payload, then the length, both little-endian uint32.
func Append(dst, payload []byte) ([]byte, error) {
	return dst, errTODO
}

// Decode decodes the record at the start of b. It returns the payload (a
// sub-slice of b, not a copy) and the record's total size, header
// included. If b does not start with a whole, valid record it returns an
// error wrapping ErrInvalid: too short for a header, a length over
// MaxPayload or past the end of b, or a checksum that does not match.
// Eight zero bytes are never a valid record.
func Decode(b []byte) (payload []byte, size int, err error) {
	return nil, 0, errTODO
}

// Scan decodes the log held in b, record after record from offset 0. It
// returns the payloads of the valid records and end, the offset just past
// the last one: where the next record goes.
//
// The first record that does not decode ends the log. If no valid record
// starts anywhere after it, the rest is a torn tail (a write that was
// never acknowledged, or zeros) and Scan returns a nil error. If a valid
// record does follow, the damage is in the middle of the log: Scan returns
// an error wrapping ErrCorrupt that names both offsets, because cutting
// there would silently drop acknowledged records.
func Scan(b []byte) (payloads [][]byte, end int, err error) {
	return nil, 0, errTODO
}
