// Package kvop encodes a key-value store's operations as log entries, for
// the exercises whose store sits on a WAL (01 and 08).
package kvop

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
	Put    byte = 'P'
	Delete byte = 'D'
)

// ErrBadOp means a log entry is not an operation Encode wrote.
var ErrBadOp = errors.New("kvop: entry is not an operation")

// Encode returns the log entry for an operation. value is ignored for a
// delete.
func Encode(kind byte, key, value string) []byte {
	b := make([]byte, 0, 1+binary.MaxVarintLen64+len(key)+len(value))
	b = append(b, kind)
	b = binary.AppendUvarint(b, uint64(len(key)))
	b = append(b, key...)
	if kind == Put {
		b = append(b, value...)
	}
	return b
}

// Decode is the inverse of Encode.
func Decode(b []byte) (kind byte, key, value string, err error) {
	if len(b) == 0 || (b[0] != Put && b[0] != Delete) {
		return 0, "", "", fmt.Errorf("%w: %.20q", ErrBadOp, b)
	}
	n, size := binary.Uvarint(b[1:])
	if size <= 0 || n > uint64(len(b)-1-size) {
		return 0, "", "", fmt.Errorf("%w: bad key length in %.20q", ErrBadOp, b)
	}
	rest := b[1+size:]
	key, value = string(rest[:n]), string(rest[n:])
	if b[0] == Delete && value != "" {
		return 0, "", "", fmt.Errorf("%w: a delete with a value", ErrBadOp)
	}
	return b[0], key, value, nil
}
