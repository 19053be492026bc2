package slides

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
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

// tableRule is the line under a Markdown table's header.
var tableRule = regexp.MustCompile(`^\|[\s:|-]+\|$`)

// checkFences catches present's silent traps in Markdown mode. Inside a
// fenced code block a line starting with "//" is taken for a comment and
// dropped, one starting with "#" ends the text block (and "## " starts a
// new slide), one starting with "." is a command: indent such lines. And
// present's Markdown has no tables: a pipe table shows as its raw text, so
// the decks write tables in HTML.
func checkFences(path string, src []byte) error {
	in := false
	prev := ""
	s := bufio.NewScanner(bytes.NewReader(src))
	for n := 1; s.Scan(); n++ {
		line := s.Text()
		if !in && strings.HasPrefix(prev, "|") && tableRule.MatchString(line) {
			return fmt.Errorf("slides: %s:%d: present does not render Markdown tables: write it as an HTML <table>", path, n-1)
		}
		prev = line
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

// maxCodeLines and maxCodeColumns are the most lines, and characters per
// line (tabs count as the four spaces present shows), a slide shows of code
// before its foot or its right edge is cut off: present's slides are a
// fixed 1100 x 700 px, and it never wraps code.
const (
	maxCodeLines   = 22
	maxCodeColumns = 96
)

// docComment matches the first line of a doc comment: "// Name ...".
var docComment = regexp.MustCompile(`^// (\w+) `)

// checkSnippet catches a quoted function that outgrew its slide (too long
// or too wide), and an
// address that still finds a doc comment whose declaration was renamed
// (the comment then names something the snippet does not hold).
func checkSnippet(c present.Code) error {
	lines := strings.Split(strings.TrimSuffix(string(c.Raw), "\n"), "\n")
	if len(lines) > maxCodeLines {
		return fmt.Errorf("%s: %d lines of code, more than a slide holds (%d)", c.Cmd, len(lines), maxCodeLines)
	}
	for i, l := range lines {
		if n := len([]rune(strings.ReplaceAll(l, "\t", "    "))); n > maxCodeColumns {
			return fmt.Errorf("%s: line %d of the snippet is %d characters wide, more than a slide shows (%d)", c.Cmd, i+1, n, maxCodeColumns)
		}
	}
	m := docComment.FindStringSubmatch(lines[0])
	if m == nil {
		return nil
	}
	decl := regexp.MustCompile(`^(func (\([^)]*\) )?|type |var |const )` + regexp.QuoteMeta(m[1]) + `\b`)
	for _, l := range lines {
		if decl.MatchString(l) {
			return nil
		}
	}
	return fmt.Errorf("%s: the snippet starts with the doc comment of %s but does not declare it", c.Cmd, m[1])
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
	for _, s := range d.Doc.Sections {
		for _, e := range s.Elem {
			if c, ok := e.(present.Code); ok {
				if err := checkSnippet(c); err != nil {
					errs = append(errs, fmt.Errorf("%s: slide %d %q: %w", d.Path, s.Number[0], s.Title, err))
				}
			}
		}
	}
	for _, url := range d.Images() {
		if _, err := os.Stat(d.imagePath(url)); err != nil {
			errs = append(errs, fmt.Errorf("%s: image %s: %w", d.Path, url, err))
		}
	}
	return errs
}
