package record

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wantRecord builds a record by hand, from the format in doc.go.
func wantRecord(payload []byte) []byte {
	var l [4]byte
	binary.LittleEndian.PutUint32(l[:], uint32(len(payload)))
	sum := crc32.Checksum(append(l[:], payload...), crc32.MakeTable(crc32.Castagnoli))
	b := binary.LittleEndian.AppendUint32(nil, sum)
	return append(append(b, l[:]...), payload...)
}

// buildLog encodes payloads back to back and returns the log and where
// each record starts.
func buildLog(t *testing.T, payloads ...[]byte) (log []byte, offsets []int) {
	t.Helper()
	for _, p := range payloads {
		offsets = append(offsets, len(log))
		var err error
		log, err = Append(log, p)
		require.NoError(t, err)
	}
	return log, offsets
}

func samplePayloads() [][]byte {
	return [][]byte{[]byte("first"), {}, bytes.Repeat([]byte("x"), 1000), []byte("fourth"), []byte("last")}
}

func TestStep1_Append(t *testing.T) {
	got, err := Append(nil, []byte("hello"))
	require.NoError(t, err)
	assert.Equal(t, wantRecord([]byte("hello")), got, "header (CRC32C of length+payload, length), then the payload")

	got, err = Append([]byte("prefix"), []byte{})
	require.NoError(t, err)
	assert.Equal(t, append([]byte("prefix"), wantRecord(nil)...), got, "Append appends to dst, and an empty payload is a record")

	_, err = Append(nil, make([]byte, MaxPayload+1))
	assert.ErrorIs(t, err, ErrTooLarge, "a payload over MaxPayload")
	_, err = Append(nil, make([]byte, MaxPayload))
	assert.NoError(t, err, "a payload of exactly MaxPayload is allowed")
}

func TestStep2_Decode(t *testing.T) {
	for _, p := range append(samplePayloads(), make([]byte, 64<<10)) {
		rec, err := Append(nil, p)
		require.NoError(t, err)
		got, size, err := Decode(append(rec, "next record"...))
		require.NoError(t, err, "decoding a %d-byte payload", len(p))
		assert.Equal(t, len(rec), size, "size is header + payload")
		assert.Equal(t, p, got, "the payload comes back")
	}
}

func TestStep3_DecodeRejectsDamage(t *testing.T) {
	rec, err := Append(nil, []byte("some payload"))
	require.NoError(t, err)
	flip := func(i int) []byte {
		b := bytes.Clone(rec)
		b[i] ^= 0x10
		return b
	}
	huge := binary.LittleEndian.AppendUint32(nil, 0)
	huge = binary.LittleEndian.AppendUint32(huge, MaxPayload+1)
	for name, b := range map[string][]byte{
		"empty input":             {},
		"half a header":           rec[:5],
		"all-zero header":         make([]byte, HeaderSize),
		"zeros, as preallocated":  make([]byte, 4096),
		"payload cut short":       rec[:len(rec)-1],
		"a bit flipped in CRC":    flip(1),
		"a bit flipped in length": flip(4),
		"a bit flipped in data":   flip(len(rec) - 3),
		"length over MaxPayload":  append(huge, make([]byte, 64)...),
	} {
		t.Run(name, func(t *testing.T) {
			_, _, err := Decode(b)
			assert.ErrorIs(t, err, ErrInvalid)
		})
	}
}

func TestStep4_ScanCutsTornTail(t *testing.T) {
	log, _ := buildLog(t, samplePayloads()...)
	last, err := Append(nil, []byte("an append that was never acknowledged"))
	require.NoError(t, err)
	r := rand.New(rand.NewPCG(2, 2))
	garbage := make([]byte, 300)
	for i := range garbage {
		garbage[i] = byte(r.IntN(256))
	}
	for name, tail := range map[string][]byte{
		"no tail":                    nil,
		"half a header":              last[:3],
		"a header without payload":   last[:HeaderSize],
		"a record cut short":         last[:len(last)-5],
		"zeros (preallocated space)": make([]byte, 4096),
		"random garbage":             garbage,
	} {
		t.Run(name, func(t *testing.T) {
			payloads, end, err := Scan(append(bytes.Clone(log), tail...))
			require.NoError(t, err, "a torn tail is not corruption")
			assert.Equal(t, samplePayloads(), payloads, "every record before the tail, nothing else")
			assert.Equal(t, len(log), end, "end is just past the last valid record")
		})
	}
}

func TestStep5_ScanReportsMidLogDamage(t *testing.T) {
	log, offsets := buildLog(t, samplePayloads()...)
	damaged := func(name string, damage func(b []byte)) {
		t.Run(name, func(t *testing.T) {
			b := bytes.Clone(log)
			damage(b)
			_, _, err := Scan(b)
			require.ErrorIs(t, err, ErrCorrupt, "a valid record follows the damage: refuse, do not cut")
			assert.Contains(t, err.Error(), fmt.Sprintf("offset %d", offsets[2]), "the error names where the damage is")
		})
	}
	damaged("a bit flipped in the third record", func(b []byte) { b[offsets[2]+HeaderSize+10] ^= 1 })
	damaged("the third record's header zeroed", func(b []byte) { clear(b[offsets[2] : offsets[2]+HeaderSize]) })
	damaged("the third record's length made huge", func(b []byte) { b[offsets[2]+7] = 0x7f })
}
