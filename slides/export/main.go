// Command export writes the workshop's decks as a static site that opens
// from a file, with no server and no network: make slides-html.
//
//	go run ./slides/export -out slides/html
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"walworkshop/slides"
)

func main() {
	dir := flag.String("dir", "slides", "the folder of the .slide files")
	out := flag.String("out", filepath.Join("slides", "html"), "where to write the static copy")
	flag.Parse()
	if err := run(*dir, *out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(dir, out string) error {
	tools, err := slides.ToolsDir()
	if err != nil {
		return err
	}
	exp, err := slides.ExportDir(dir, tools, out)
	if err != nil {
		return err
	}
	index, err := filepath.Abs(filepath.Join(exp.Dir, "index.html"))
	if err != nil {
		return err
	}
	fmt.Printf("wrote %d decks; open file://%s\n", len(exp.Pages), index)
	return nil
}
