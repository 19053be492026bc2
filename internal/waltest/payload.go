package waltest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// entry returns the payload the suite writes as its i-th entry: unique, so
// its bytes can be found on disk, and of varying length.
func entry(i int) []byte {
	b := fmt.Appendf(nil, "entry-%06d-", i)
	for j := 0; len(b) < 40+i%97; j++ {
		b = append(b, 'a'+byte((i+j)%26))
	}
	return b
}

// crashEntry is what writer w of trial t writes as its seq-th entry in the
// crash tests. parseCrashEntry recognizes exactly these payloads, so an entry
// nobody wrote cannot pass for one.
func crashEntry(trial, writer, seq int) []byte {
	b := fmt.Appendf(nil, "crash %d %d %d ", trial, writer, seq)
	n := (seq*7919 + writer*104729) % 700
	for j := 0; j < n; j++ {
		b = append(b, byte(seq+j*writer))
	}
	return b
}

type crashID struct{ trial, writer, seq int }

func parseCrashEntry(b []byte) (crashID, bool) {
	var id crashID
	if _, err := fmt.Sscanf(string(b), "crash %d %d %d ", &id.trial, &id.writer, &id.seq); err != nil {
		return id, false
	}
	return id, bytes.Equal(b, crashEntry(id.trial, id.writer, id.seq))
}

// location is where a payload's bytes sit on disk.
type location struct {
	path string
	off  int64 // first byte of the payload; the record header precedes it
	len  int64
}

// locate finds the one file in dir that holds payload and where.
func locate(t testing.TB, dir string, payload []byte) location {
	t.Helper()
	var found []location
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for start := 0; ; {
			i := bytes.Index(data[start:], payload)
			if i < 0 {
				break
			}
			found = append(found, location{path, int64(start + i), int64(len(payload))})
			start += i + 1
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 1 {
		t.Fatalf("payload %.20q found %d times on disk, want once", payload, len(found))
	}
	return found[0]
}
