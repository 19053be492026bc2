package kvstore

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// An operation is one log entry: its kind, then the key's length as a
// uvarint, the key, and for a put the value (the rest of the entry).
//
//	+------+-------------+-----+-------------------+
//	| kind | len(key)    | key | value (puts only) |
//	| 1 B  | uvarint     |     |                   |
//	+------+-------------+-----+-------------------+
const (
	opPut    byte = 'P'
	opDelete byte = 'D'
)

// errBadOp means a log entry is not an operation this store wrote.
var errBadOp = errors.New("kvstore: entry is not an operation")

// encodeOp returns the log entry for an operation. value is ignored for a
// delete.
func encodeOp(kind byte, key, value string) []byte {
	b := make([]byte, 0, 1+binary.MaxVarintLen64+len(key)+len(value))
	b = append(b, kind)
	b = binary.AppendUvarint(b, uint64(len(key)))
	b = append(b, key...)
	if kind == opPut {
		b = append(b, value...)
	}
	return b
}

// decodeOp is the inverse of encodeOp.
func decodeOp(b []byte) (kind byte, key, value string, err error) {
	if len(b) == 0 || (b[0] != opPut && b[0] != opDelete) {
		return 0, "", "", fmt.Errorf("%w: %.20q", errBadOp, b)
	}
	n, size := binary.Uvarint(b[1:])
	if size <= 0 || n > uint64(len(b)-1-size) {
		return 0, "", "", fmt.Errorf("%w: bad key length in %.20q", errBadOp, b)
	}
	rest := b[1+size:]
	key, value = string(rest[:n]), string(rest[n:])
	if b[0] == opDelete && value != "" {
		return 0, "", "", fmt.Errorf("%w: a delete with a value", errBadOp)
	}
	return b[0], key, value, nil
}
