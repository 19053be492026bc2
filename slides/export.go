package slides

import (
	"bytes"
	"fmt"
	"html/template"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"golang.org/x/tools/present"
)

// The static copy is rendered by present's own parser and templates, the
// ones cmd/present serves, read from the x/tools module this one requires.
// A few edits make it open from a file:// URL with no network: the
// template's and slides.js's absolute /static/ paths become relative,
// slides.js no longer asks Google Fonts for its fonts (styles.css names
// fallbacks), and it hides its navigation help for a file as it does for
// localhost. Each edit fails loudly if x/tools changes the text it edits.
var staticEdits = map[string][][2]string{
	"templates/slides.tmpl": {
		{`<script src='/static/slides.js'>`, `<script src='static/slides.js'>`},
		{`<script src='/static/notes.js'>`, `<script src='static/notes.js'>`},
	},
	"static/slides.js": {
		{`var PERMANENT_URL_PREFIX = '/static/';`, `var PERMANENT_URL_PREFIX = 'static/';`},
		{"  addFontStyle();\n", ""},
		// The navigation help covers the foot of the first slide; present
		// hides it for localhost, and a copy opened from a file is as local.
		{"    window.location.hostname == 'localhost' ||", "    window.location.protocol == 'file:' ||\n    window.location.hostname == 'localhost' ||"},
	},
}

// staticFiles are the files of cmd/present/static a slide page loads.
var staticFiles = []string{"slides.js", "styles.css", "notes.js", "notes.css"}

// ToolsDir returns the directory of the golang.org/x/tools module this
// module requires, in the module cache (make prep fills it).
func ToolsDir() (string, error) {
	gocmd, err := exec.LookPath("go")
	if err != nil {
		gocmd = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	out, err := exec.Command(gocmd, "list", "-m", "-f", "{{.Dir}}", "golang.org/x/tools").Output()
	if err != nil {
		return "", fmt.Errorf("slides: locate golang.org/x/tools with go list: %w", err)
	}
	dir := strings.TrimSpace(string(out))
	if dir == "" {
		return "", fmt.Errorf("slides: golang.org/x/tools is not in the module cache: run go mod download")
	}
	return dir, nil
}

// An Export is what Export wrote.
type Export struct {
	Dir   string            // the output folder
	Pages map[string]string // deck name -> its HTML file, relative to Dir
}

// ExportDir writes the decks of dir as static HTML into out: one page per
// deck, an index.html listing them, the images they show under images/,
// and present's JavaScript and CSS under static/. tools is the x/tools
// module directory (ToolsDir). Presenter notes are on: press N on a slide.
func ExportDir(dir, tools, out string) (Export, error) {
	// Loaded here, not passed in: the export points the decks' images at
	// their copies.
	decks, err := Load(dir)
	if err != nil {
		return Export{}, err
	}
	tmpl, err := slideTemplate(filepath.Join(tools, "cmd", "present"))
	if err != nil {
		return Export{}, err
	}
	if err := os.MkdirAll(filepath.Join(out, "images"), 0o755); err != nil {
		return Export{}, err
	}
	if err := copyStatic(filepath.Join(tools, "cmd", "present"), filepath.Join(out, "static")); err != nil {
		return Export{}, err
	}
	// present reads this switch from a package variable when it renders;
	// every page of the copy wants the notes window.
	present.NotesEnabled = true
	exp := Export{Dir: out, Pages: make(map[string]string)}
	images := make(map[string]string) // name in images/ -> source file
	for _, d := range decks {
		if err := localizeImages(d, out, images); err != nil {
			return Export{}, err
		}
		var page bytes.Buffer
		if err := d.Doc.Render(&page, tmpl); err != nil {
			return Export{}, fmt.Errorf("slides: render %s: %w", d.Path, err)
		}
		name := d.Name() + ".html"
		if err := os.WriteFile(filepath.Join(out, name), page.Bytes(), 0o644); err != nil {
			return Export{}, err
		}
		exp.Pages[d.Name()] = name
	}
	return exp, writeIndex(decks, out)
}

// slideTemplate parses cmd/present's action.tmpl and slides.tmpl, edited
// for a static copy, with present's template functions.
func slideTemplate(cmdDir string) (*template.Template, error) {
	tmpl := present.Template().Funcs(template.FuncMap{
		// cmd/present defines playable; the static copy runs no code.
		"playable": func(present.Code) bool { return false },
	})
	for _, name := range []string{"templates/action.tmpl", "templates/slides.tmpl"} {
		text, err := readEdited(cmdDir, name)
		if err != nil {
			return nil, err
		}
		if _, err := tmpl.New(filepath.Base(name)).Parse(text); err != nil {
			return nil, fmt.Errorf("slides: parse %s: %w", name, err)
		}
	}
	return tmpl, nil
}

// readEdited reads cmdDir/name and applies its staticEdits.
func readEdited(cmdDir, name string) (string, error) {
	b, err := os.ReadFile(filepath.Join(cmdDir, filepath.FromSlash(name)))
	if err != nil {
		return "", fmt.Errorf("slides: %w", err)
	}
	text := string(b)
	for _, e := range staticEdits[name] {
		if !strings.Contains(text, e[0]) {
			return "", fmt.Errorf("slides: %s no longer contains %q: update staticEdits for this x/tools", name, e[0])
		}
		text = strings.ReplaceAll(text, e[0], e[1])
	}
	return text, nil
}

func copyStatic(cmdDir, dst string) error {
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	for _, f := range staticFiles {
		text, err := readEdited(cmdDir, "static/"+f)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, f), []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// localizeImages copies every image of d into out/images and points the
// deck at the copy. Two different files may not share a name.
func localizeImages(d Deck, out string, copied map[string]string) error {
	for _, s := range d.Doc.Sections {
		for i, e := range s.Elem {
			img, ok := e.(present.Image)
			if !ok {
				continue
			}
			src := d.imagePath(img.URL)
			name := filepath.Base(src)
			if prev, ok := copied[name]; ok && prev != src {
				return fmt.Errorf("slides: %s: image %s and %s share the name %s", d.Path, src, prev, name)
			}
			if _, ok := copied[name]; !ok {
				b, err := os.ReadFile(src)
				if err != nil {
					return fmt.Errorf("slides: %s: image %s: %w", d.Path, img.URL, err)
				}
				if err := os.WriteFile(filepath.Join(out, "images", name), b, 0o644); err != nil {
					return err
				}
				copied[name] = src
			}
			img.URL = "images/" + name
			s.Elem[i] = img
		}
	}
	return nil
}

var indexTemplate = template.Must(template.New("index").Parse(`<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>walworkshop: the talk</title>
<style>body{font-family:sans-serif;max-width:48em;margin:3em auto;line-height:1.5}li{margin:.4em 0}</style>
</head>
<body>
<h1>walworkshop: the talk</h1>
<p>One deck per part. Arrow keys move between slides; N opens the presenter notes.</p>
<ol>
{{range .}}<li><a href="{{.Name}}.html">{{.Doc.Title}}</a>{{with .Doc.Subtitle}}: {{.}}{{end}} ({{len .Doc.Sections}} slides)</li>
{{end}}</ol>
</body>
</html>
`))

func writeIndex(decks []Deck, out string) error {
	var b bytes.Buffer
	if err := indexTemplate.Execute(&b, decks); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, "index.html"), b.Bytes(), 0o644)
}
