// Package slides holds the workshop's talk: one Go present deck per part
// (the *.slide files beside this one, in present's Markdown mode), and the
// code that loads, checks and exports them.
//
// The decks quote the stages by regexp address (.code ../stage3_groupcommit/pipeline.go /^func \(w \*WAL\) runCycle/,/^}/),
// so the code on a slide is the code that runs, and show the charts of the
// committed `make compare` snapshot in docs/results. The stages carry no
// slide markers.
//
//	make slides       serve the decks with present on 127.0.0.1
//	make slides-html  a static copy in slides/html/ that opens from a USB stick
//	make demo         kill -9 a durable key-value store mid-write, reopen it
//
// The test in this package parses every deck with golang.org/x/tools/present,
// which resolves every .code file and address, checks every .image, the
// presenter notes and the slide count, and renders the static copy.
package slides
