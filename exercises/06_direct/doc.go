// Package direct is exercise 06: what stage 5 does so that its groups can
// be written with O_DIRECT, and so that no write ever touches a byte an
// earlier, acknowledged write put on the disk.
//
// With O_DIRECT the kernel copies nothing: it sends our buffer to the
// device, and demands that the buffer's address, the file offset and the
// length all be multiples of the device's block (512 or 4096 bytes), or
// the call fails with EINVAL. A group of records rarely ends on a block
// boundary. Stage 5 pads it there with a padding record (a record whose
// length field has bit 31 set, zeros for payload), so the next group
// starts on a fresh block: no write ever covers an earlier group's bytes,
// and a torn write can only damage its own, unacknowledged group.
//
//	block:  |<------- 512 B ------->|<------- 512 B ------->|
//	        | rec | rec | padding   | rec | padding          |
//	        |<-- group 1: one write ->|<-- group 2: one write |
//
// You write AlignedBuffer, PaddingAfter and the Writer in direct.go; the
// records are walrecord's. README.md has the steps.
package direct

import (
	"errors"
	"io"
)

// MemAlign is the alignment of every buffer handed to the kernel: a page,
// at least what any filesystem asks of an O_DIRECT buffer.
const MemAlign = 4096

// ErrBadBlock is returned by NewWriter for a block that is not a positive
// divisor of MemAlign.
var ErrBadBlock = errors.New("direct: block must divide MemAlign")

// WriterAt is what the Writer writes to: an *os.File opened with O_DIRECT
// in production, a recorder in the tests.
type WriterAt = io.WriterAt
