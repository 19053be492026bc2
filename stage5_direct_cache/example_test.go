package directcache_test

import (
	"fmt"
	"log"
	"os"

	"walworkshop/stage5_direct_cache"
)

// Open a log in a directory, append to it, read an entry back by its index,
// replay the log, and close it. Append returns once the entry is durable.
func ExampleOpen() {
	dir, err := os.MkdirTemp("", "wal-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	w, err := directcache.Open(dir, directcache.Options{})
	if err != nil {
		log.Fatal(err)
	}
	first, err := w.Append([]byte("hello"))
	if err != nil {
		log.Fatal(err)
	}
	if _, err := w.AppendBatch([][]byte{[]byte("two"), []byte("three")}); err != nil {
		log.Fatal(err)
	}
	data, err := w.Read(first)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("entry %d: %s\n", first, data)
	err = w.Replay(first+1, func(index uint64, data []byte) error {
		fmt.Printf("replayed %d: %s\n", index, data)
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}
	// Output:
	// entry 1: hello
	// replayed 2: two
	// replayed 3: three
}
