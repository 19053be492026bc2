package chart

import (
	"bytes"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var nan = math.NaN()

// writer is what both chart kinds have in common.
type writer interface{ Write(base string) error }

// checkFiles fails unless base.png decodes at 12x6.75 inches times 192 DPI
// and base.svg is well-formed XML.
func checkFiles(t *testing.T, base string) {
	t.Helper()
	f, err := os.Open(base + ".png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s.png: %v", base, err)
	}
	const wantX, wantY int = 12 * 192, 6.75 * 192 // inches times DPI
	if got := img.Bounds().Size(); got.X != wantX || got.Y != wantY {
		t.Errorf("%s.png is %dx%d pixels, want %dx%d", base, got.X, got.Y, wantX, wantY)
	}

	svg, err := os.ReadFile(base + ".svg")
	if err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(bytes.NewReader(svg))
	root := ""
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s.svg is not XML: %v", base, err)
		}
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
		}
	}
	if root != "svg" {
		t.Errorf("%s.svg: root element is %q, want svg", base, root)
	}
}

func TestWrite(t *testing.T) {
	stages := []string{"stage1_naive", "stage2_buffered", "stage3_groupcommit", "stage4_prealloc", "stage5_direct_cache", "pebble"}
	for name, c := range map[string]writer{
		"bar": BarChart{
			Title: "Throughput", YLabel: "entries/s", Categories: stages,
			Series: []BarSeries{{Name: "128 B", Values: []float64{7191, 7710, 217917, 346773, 400000, 176072}}},
		},
		"bar_log": BarChart{
			Title: "Speedup", YLabel: "x", LogY: true, Categories: stages[:4],
			Series: []BarSeries{{Name: "speedup", Values: []float64{1, 1.07, 30.3, 48.2}}},
		},
		"bar_nan": BarChart{
			Categories: []string{"a", "b"},
			Series: []BarSeries{
				{Name: "p50", Values: []float64{1, nan}},
				{Name: "p99", Values: []float64{nan, 2}},
			},
		},
		"line": LineChart{
			Title: "Writers", XLabel: "writers", YLabel: "entries/s", LogX: true, LogY: true,
			Series: []LineSeries{
				{Name: "stage3", X: []float64{1, 16, 64, 256}, Y: []float64{5898, 77590, 216951, 487574}},
				{Name: "ceiling", X: []float64{1, 16, 64, 256}, Y: []float64{7692, 123077, 492308, 1969231}, Dashed: true},
			},
		},
		"line_nan": LineChart{
			Series: []LineSeries{{Name: "gappy", X: []float64{1, 2, nan, 4, 5}, Y: []float64{1, nan, 3, 4, 5}}},
		},
		"bar_reference_limits_missing": BarChart{
			Title: "Speedup", Note: "a note\non two lines", LogY: true, Categories: []string{"1 writer", "64 writers"},
			Series: []BarSeries{
				{Name: "slower", Values: []float64{0.9, 40}, Look: Look{Color: Blue, Marker: Star}},
				{Name: "unmeasured", Values: []float64{nan, nan}, Missing: "not measured"},
			},
			Reference: 1, ReferenceLabel: "1x",
			Limits: []Limit{{Name: "bound", Values: []float64{2, nan}}, {Name: "wall", Values: []float64{100, 100}}},
		},
		"line_points_guides_labels": LineChart{
			LogX: true, LogY: true, Note: "note",
			Series: []LineSeries{
				{Name: "a", X: []float64{1, 100}, Y: []float64{10, 1000}, Points: true},
				{Name: "b", X: []float64{2, 90}, Y: []float64{12, 900}, Points: true},
				{Name: "preset", X: []float64{1, 2}, Y: []float64{10, 12}, Guide: true, Labels: []string{"", "fast"}},
				{Name: "cap", X: []float64{1, 100}, Y: []float64{500, 500}, Dashed: true},
			},
		},
		"line_single_point": LineChart{
			LogX: true, LogY: true,
			Series: []LineSeries{{Name: "one", X: []float64{1}, Y: []float64{10}}},
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel() // also proves charts can be drawn concurrently
			base := filepath.Join(t.TempDir(), name)
			if err := c.Write(base); err != nil {
				t.Fatal(err)
			}
			checkFiles(t, base)
		})
	}
}

func TestWriteRejectsBadInput(t *testing.T) {
	cats := []string{"a", "b"}
	ok := []BarSeries{{Name: "s", Values: []float64{1, 2}}}
	line := func(s ...LineSeries) LineChart { return LineChart{Series: s} }
	for _, tc := range []struct {
		name  string
		chart writer
		want  string // part of the error message
	}{
		{"bar without categories", BarChart{Series: ok}, "no categories"},
		{"bar without series", BarChart{Categories: cats}, "no series"},
		{"bar with empty category", BarChart{Categories: []string{"a", " "}, Series: ok}, "category 1"},
		{"bar with empty series name", BarChart{Categories: cats, Series: []BarSeries{{Values: []float64{1, 2}}}}, "empty name"},
		{"bar with too few values", BarChart{Categories: cats, Series: []BarSeries{{Name: "s", Values: []float64{1}}}}, "1 values for 2 categories"},
		{"bar with zero on log axis", BarChart{LogY: true, Categories: cats, Series: []BarSeries{{Name: "s", Values: []float64{0, 2}}}}, "log axis"},
		{"bar with negative on log axis", BarChart{LogY: true, Categories: cats, Series: []BarSeries{{Name: "s", Values: []float64{1, -2}}}}, "log axis"},
		{"bar with infinity", BarChart{Categories: cats, Series: []BarSeries{{Name: "s", Values: []float64{1, math.Inf(1)}}}}, "infinite"},
		{"bar with only NaN", BarChart{Categories: cats, Series: []BarSeries{{Name: "s", Values: []float64{nan, nan}}}}, "NaN"},
		{"bars of one colour", BarChart{Categories: cats, Series: []BarSeries{
			{Name: "s", Values: []float64{1, 2}, Look: Look{Color: Blue}}, {Name: "t", Values: []float64{1, 2}, Look: Look{Color: Blue}}}}, "same colour"},
		{"bars of one marker", BarChart{Categories: cats, Series: []BarSeries{
			{Name: "s", Values: []float64{1, 2}, Look: Look{Marker: Star}}, {Name: "t", Values: []float64{1, 2}, Look: Look{Marker: Star}}}}, "same marker"},
		{"limit with too few values", BarChart{Categories: cats, Series: ok, Limits: []Limit{{Name: "l", Values: []float64{1}}}}, "1 values for 2 categories"},
		{"lines of one colour", line(LineSeries{Name: "s", X: []float64{1}, Y: []float64{1}, Look: Look{Color: Grey}},
			LineSeries{Name: "t", X: []float64{1}, Y: []float64{1}, Look: Look{Color: Grey}}), "same colour"},
		{"line with too few labels", line(LineSeries{Name: "s", X: []float64{1, 2}, Y: []float64{1, 2}, Labels: []string{"a"}}), "1 labels for 2 points"},
		{"line without series", LineChart{}, "no series"},
		{"line with empty name", line(LineSeries{X: []float64{1}, Y: []float64{1}}), "empty name"},
		{"line with mismatched lengths", line(LineSeries{Name: "s", X: []float64{1, 2}, Y: []float64{1}}), "2 X values and 1 Y values"},
		{"line without points", line(LineSeries{Name: "s"}), "no points"},
		{"line with zero on log X", LineChart{LogX: true, Series: []LineSeries{{Name: "s", X: []float64{0, 1}, Y: []float64{1, 2}}}}, "log axis"},
		{"line with negative on log Y", LineChart{LogY: true, Series: []LineSeries{{Name: "s", X: []float64{1, 2}, Y: []float64{1, -2}}}}, "log axis"},
		{"line with infinity", line(LineSeries{Name: "s", X: []float64{1, 2}, Y: []float64{1, math.Inf(-1)}}), "infinite"},
		{"line with only NaN", line(LineSeries{Name: "s", X: []float64{nan}, Y: []float64{1}}), "NaN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := filepath.Join(t.TempDir(), "c")
			err := tc.chart.Write(base)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Write() = %v, want an error containing %q", err, tc.want)
			}
			if _, statErr := os.Stat(base + ".png"); !errors.Is(statErr, os.ErrNotExist) {
				t.Errorf("a rejected chart still wrote %s.png", base)
			}
		})
	}
}

func TestWriteReportsUnwritablePath(t *testing.T) {
	c := BarChart{Categories: []string{"a"}, Series: []BarSeries{{Name: "s", Values: []float64{1}}}}
	if err := c.Write(filepath.Join(t.TempDir(), "missing-dir", "c")); err == nil {
		t.Fatal("Write into a missing directory succeeded")
	}
}

func TestFormatSI(t *testing.T) {
	for v, want := range map[float64]string{
		548319: "548k", 7191: "7.19k", 1969231: "1.97M", 999600: "1M", 1.07: "1.07",
		30.3: "30.3", 0: "0", math.Copysign(0, -1): "0", 250000: "250k", 1e9: "1G", -1500: "-1.5k",
	} {
		if got := formatSI(v); got != want {
			t.Errorf("formatSI(%v) = %q, want %q", v, got, want)
		}
	}
	for v, want := range map[float64]string{1: "1", 256: "256", 4096: "4,096", 65536: "65,536", 1048576: "1,048,576", 2.5: "2.5"} {
		if got := formatExact(v); got != want {
			t.Errorf("formatExact(%v) = %q, want %q", v, got, want)
		}
	}
}

func TestLogAxisLabelsDecades(t *testing.T) {
	c := LineChart{LogY: true, Series: []LineSeries{{Name: "s", X: []float64{1, 2}, Y: []float64{1, 1000}}}}
	p := c.figure().plot
	var labels []string
	for _, tk := range p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	if got := strings.Join(labels, " "); got != "1 10 100 1k" {
		t.Errorf("log axis 1..1000 labelled %q, want %q", got, "1 10 100 1k")
	}
}

func TestLinearBarAxisStartsAtZero(t *testing.T) {
	c := BarChart{Categories: []string{"a", "b"}, Series: []BarSeries{{Name: "s", Values: []float64{7191, 7710}}}}
	if p := c.figure().plot; p.Y.Min != 0 || p.Y.Max < 7710 {
		t.Errorf("Y axis spans %g..%g, want 0..>=7710", p.Y.Min, p.Y.Max)
	}
}

func TestWrapLabel(t *testing.T) {
	const width = 100
	for _, name := range []string{"pebble", "stage5_direct_cache", "averyveryverylongcategorynamewithoutbreaks", "a b c d e f g h i j k l m n o p"} {
		got := wrapLabel(name, width)
		for _, line := range strings.Split(got, "\n") {
			if w := tickStyle.Width(line); w > width {
				t.Errorf("wrapLabel(%q) has line %q of width %v > %v", name, line, w, width)
			}
		}
		if rejoined := strings.ReplaceAll(strings.ReplaceAll(got, "\n", ""), " ", ""); rejoined != strings.ReplaceAll(name, " ", "") {
			t.Errorf("wrapLabel(%q) = %q lost or added letters", name, got)
		}
	}
	if got := wrapLabel("pebble", width); got != "pebble" {
		t.Errorf("wrapLabel wrapped a short name: %q", got)
	}
}

// Series without a Look get colours and markers no other series of the
// chart has, around those that chose theirs: up to the whole palette.
func TestResolveLooks(t *testing.T) {
	looks := make([]Look, len(palette()))
	looks[2] = Look{Color: Blue, Marker: Circle}
	got := resolveLooks(looks)
	for i := range got {
		for j := range i {
			if sameColor(got[i].Color, got[j].Color) || got[i].Marker == got[j].Marker {
				t.Errorf("series %d and %d look alike: %+v, %+v", j, i, got[j], got[i])
			}
		}
	}
	if !sameColor(got[2].Color, Blue) || got[2].Marker != Circle {
		t.Errorf("a chosen look was changed: %+v", got[2])
	}
}

// A speedup chart's bars grow from its reference: 0.9x is a bar below 1x.
func TestBarsGrowFromReference(t *testing.T) {
	c := BarChart{LogY: true, Categories: []string{"a"}, Series: []BarSeries{{Name: "s", Values: []float64{0.9}}}, Reference: 1}
	p := c.figure().plot
	if p.Y.Min >= 0.9 || p.Y.Max <= 1 {
		t.Errorf("Y axis %g..%g does not hold both 0.9 and the reference 1", p.Y.Min, p.Y.Max)
	}
	if b := c.base(p.Y.Min); b != 1 {
		t.Errorf("bars grow from %g, want the reference 1", b)
	}
	c.Reference = 0
	if b := c.base(p.Y.Min); b != p.Y.Min {
		t.Errorf("without a reference, log bars grow from %g, want the axis' bottom %g", b, p.Y.Min)
	}
}
