package slides

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/present"
)

// A Deck is one parsed .slide file.
type Deck struct {
	Path string // the .slide file, as given to Load
	Doc  *present.Doc
}

// Name is the deck's file name without its extension: 01_why for 01_why.slide.
func (d Deck) Name() string {
	return strings.TrimSuffix(filepath.Base(d.Path), filepath.Ext(d.Path))
}

// Load parses every .slide file in dir, in name order. present resolves each
// .code and .play command while it parses: a missing file, or an address
// that matches nothing, is a parse error naming the deck and the line.
func Load(dir string) ([]Deck, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.slide"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("slides: no .slide files in %s", dir)
	}
	sort.Strings(paths)
	decks := make([]Deck, 0, len(paths))
	for _, path := range paths {
		d, err := parse(path)
		if err != nil {
			return nil, err
		}
		decks = append(decks, d)
	}
	return decks, nil
}

func parse(path string) (Deck, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return Deck{}, fmt.Errorf("slides: %w", err)
	}
	if err := checkFences(path, src); err != nil {
		return Deck{}, err
	}
	ctx := present.Context{ReadFile: os.ReadFile}
	doc, err := ctx.Parse(bytes.NewReader(src), path, 0)
	if err != nil {
		return Deck{}, fmt.Errorf("slides: parse %s: %w", path, err)
	}
	return Deck{Path: path, Doc: doc}, nil
}

// checkFences catches present's two silent traps inside a fenced code block
// in Markdown mode: a line starting with "//" is taken for a comment and
// dropped, and a line starting with "#" ends the text block (and "## "
// starts a new slide). Indent such lines.
func checkFences(path string, src []byte) error {
	in := false
	s := bufio.NewScanner(bytes.NewReader(src))
	for n := 1; s.Scan(); n++ {
		line := s.Text()
		if strings.HasPrefix(line, "```") {
			in = !in
			continue
		}
		if in && (strings.HasPrefix(line, "//") || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ".")) {
			return fmt.Errorf("slides: %s:%d: present drops or misreads a fenced line starting with %q: indent it",
				path, n, line[:1])
		}
	}
	if in {
		return fmt.Errorf("slides: %s: a code fence is never closed", path)
	}
	return s.Err()
}

// Images returns every .image and .background of the deck, as written.
func (d Deck) Images() []string {
	var urls []string
	for _, s := range d.Doc.Sections {
		for _, e := range s.Elem {
			if img, ok := e.(present.Image); ok {
				urls = append(urls, img.URL)
			}
		}
	}
	return urls
}

// imagePath is where the file of an image URL written in the deck lies.
func (d Deck) imagePath(url string) string {
	return filepath.Join(filepath.Dir(d.Path), filepath.FromSlash(url))
}

// Problems lists what is wrong with the deck beyond what present's parser
// refuses: a slide without presenter notes, a title slide without them, an
// image whose file is missing, an empty slide.
func (d Deck) Problems() []error {
	var errs []error
	if len(d.Doc.TitleNotes) == 0 {
		errs = append(errs, fmt.Errorf("%s: the title slide has no presenter notes (': ' lines)", d.Path))
	}
	for _, s := range d.Doc.Sections {
		if len(s.Notes) == 0 {
			errs = append(errs, fmt.Errorf("%s: slide %d %q has no presenter notes (': ' lines)", d.Path, s.Number[0], s.Title))
		}
		if len(s.Elem) == 0 {
			errs = append(errs, fmt.Errorf("%s: slide %d %q has nothing on it", d.Path, s.Number[0], s.Title))
		}
	}
	for _, url := range d.Images() {
		if _, err := os.Stat(d.imagePath(url)); err != nil {
			errs = append(errs, fmt.Errorf("%s: image %s: %w", d.Path, url, err))
		}
	}
	return errs
}
