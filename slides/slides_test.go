package slides

import (
	"html/template"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// minSlides is the least the talk needs for its ten parts, title slides not
// counted.
const minSlides = 35

// TestDecks parses every deck with present, which resolves every .code
// file and regexp address (a renamed function fails here), and checks
// what present does not: images exist, every slide has presenter notes,
// and there are enough slides.
func TestDecks(t *testing.T) {
	decks, err := Load(".")
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, d := range decks {
		for _, err := range d.Problems() {
			t.Error(err)
		}
		total += len(d.Doc.Sections)
		t.Logf("%s: %d slides", d.Path, len(d.Doc.Sections))
	}
	if total < minSlides {
		t.Errorf("the decks hold %d slides, want at least %d", total, minSlides)
	}
}

// TestDecksQuoteEveryStage checks that the talk shows code of all five
// stages, each by a regexp address that present resolved.
func TestDecksQuoteEveryStage(t *testing.T) {
	decks, err := Load(".")
	if err != nil {
		t.Fatal(err)
	}
	quoted := make(map[string]int)
	for _, d := range decks {
		src, err := os.ReadFile(d.Path)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range codeCommand.FindAllStringSubmatch(string(src), -1) {
			quoted[m[1]]++
		}
	}
	stages, err := filepath.Glob("../stage[0-9]_*")
	if err != nil {
		t.Fatal(err)
	}
	if len(stages) == 0 {
		t.Fatal("no stage directories next to slides/")
	}
	for _, s := range stages {
		name := filepath.Base(s)
		if quoted[name] == 0 {
			t.Errorf("no slide quotes code of %s", name)
		}
	}
}

// codeCommand matches a .code line that quotes a stage by address.
var codeCommand = regexp.MustCompile(`(?m)^\.code\s+(?:-\S+\s+)*\.\./(stage[0-9]_[a-z_]+)/\S+\.go\s+/`)

// TestExportRendersEverySlide writes the static copy and checks that every
// slide of every deck is in its page, and that every file a page loads is
// in the copy, so that it opens from a USB stick.
func TestExportRendersEverySlide(t *testing.T) {
	tools, err := ToolsDir()
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	exp, err := ExportDir(".", tools, out)
	if err != nil {
		t.Fatal(err)
	}
	decks, err := Load(".")
	if err != nil {
		t.Fatal(err)
	}
	if len(exp.Pages) != len(decks) {
		t.Errorf("exported %d pages for %d decks", len(exp.Pages), len(decks))
	}
	for _, d := range decks {
		page, err := os.ReadFile(filepath.Join(out, exp.Pages[d.Name()]))
		if err != nil {
			t.Error(err)
			continue
		}
		html := string(page)
		if got, want := strings.Count(html, `<span class="pagenumber">`), len(d.Doc.Sections); got != want {
			t.Errorf("%s: the page has %d slides, the deck %d", d.Path, got, want)
		}
		for _, s := range d.Doc.Sections {
			var h3 strings.Builder
			if err := heading.Execute(&h3, s.Title); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(html, h3.String()) {
				t.Errorf("%s: slide %q is not in the page", d.Path, s.Title)
			}
		}
		for _, m := range loaded.FindAllStringSubmatch(html, -1) {
			ref := m[1]
			if strings.Contains(ref, "://") || strings.HasPrefix(ref, "/") || strings.HasPrefix(ref, "#") {
				t.Errorf("%s: the page loads %s, which a copy on a USB stick does not have", d.Path, ref)
				continue
			}
			if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(ref))); err != nil {
				t.Errorf("%s: the page loads %s: %v", d.Path, ref, err)
			}
		}
	}
	for _, f := range append(staticFiles, "../index.html") {
		if _, err := os.Stat(filepath.Join(out, "static", f)); err != nil {
			t.Error(err)
		}
	}
	js, err := os.ReadFile(filepath.Join(out, "static", "slides.js"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(js), "addFontStyle();") || strings.Contains(string(js), "'/static/'") {
		t.Error("static/slides.js still loads fonts from the network or its files from /static/")
	}
}

// loaded matches the files a page loads: scripts and images.
var loaded = regexp.MustCompile(`src=['"]([^'"]+)['"]`)

// heading is a slide's title as present's template writes it.
var heading = template.Must(template.New("h3").Parse("<h3>{{.}}</h3>"))
