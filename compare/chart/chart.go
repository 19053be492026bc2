// Package chart draws the charts of `make compare`: grouped bar charts and
// line charts, written as PNG (for slides) and SVG (for the report).
//
// Every choice here is made for one audience: people at the back of a room
// looking at a projector. Hence large fonts, thick lines, the Okabe-Ito
// palette (safe for colour-blind viewers and still distinct when a projector
// washes colours out), a marker shape or dash pattern per series so colour is
// never the only cue, and a legend above the plot where it cannot hide data.
package chart

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"io"
	"os"
	"strings"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// 16:9 matches projectors and slide decks, so a chart fills a slide
// without letterboxing.
const (
	pageWidth  = 12 * vg.Inch
	pageHeight = 6.75 * vg.Inch
	dpi        = 192 // crisp on a 4K screen, still small files
	margin     = 12  // points, the page edge a projector may crop
)

// palette is Okabe-Ito without its yellow and black: yellow vanishes on a
// white background under a projector, and black is kept for the physical
// limits (dashed lines) so they read as "the wall", not as one more contender.
var palette = []color.Color{
	rgb(0x0072B2), // blue
	rgb(0xD55E00), // vermillion
	rgb(0x009E73), // bluish green
	rgb(0xE69F00), // orange
	rgb(0xCC79A7), // reddish purple
	rgb(0x56B4E9), // sky blue
}

// seriesColor cycles through the palette; past six series, order in the
// legend and marker shape (line charts) still tell series apart.
func seriesColor(i int) color.Color { return palette[i%len(palette)] }

func rgb(hex uint32) color.RGBA {
	return color.RGBA{R: uint8(hex >> 16), G: uint8(hex >> 8), B: uint8(hex), A: 0xff}
}

var (
	gridColor = rgb(0xDDDDDD)
	inkColor  = rgb(0x222222)
)

// Sans-serif is easier to read at a distance than plot's default serif.
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

func textStyle(size vg.Length, bold bool) text.Style {
	f := sans
	if bold {
		f.Weight = xfont.WeightBold
	}
	return text.Style{
		Color:   inkColor,
		Font:    font.From(f, size),
		XAlign:  draw.XCenter,
		YAlign:  draw.YBottom,
		Handler: plot.DefaultTextHandler,
	}
}

var (
	titleStyle  = textStyle(20, true)
	labelStyle  = textStyle(16, false)
	tickStyle   = textStyle(14, false)
	legendStyle = textStyle(14, false)
	valueStyle  = textStyle(12, false)
)

// newPlot returns a plot styled for projection. The title and legend are
// not set here: header draws them above the plot (see header).
func newPlot(xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.LineStyle.Width = vg.Points(1.5)
		a.LineStyle.Color = inkColor
		a.Tick.LineStyle.Width = vg.Points(1.5)
		a.Tick.LineStyle.Color = inkColor
		a.Tick.Length = vg.Points(6)
		a.Label.TextStyle = labelStyle
		a.Label.Padding = vg.Points(6)
	}
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel

	p.X.Tick.Label = tickStyle
	p.X.Tick.Label.YAlign = draw.YTop
	p.Y.Tick.Label = tickStyle
	p.Y.Tick.Label.XAlign = draw.XRight
	p.Y.Tick.Label.YAlign = draw.YCenter
	return p
}

// legendEntry is one series as the legend shows it.
type legendEntry struct {
	name  string
	thumb plot.Thumbnailer
}

// figure is what both chart kinds hand to write: a finished plot plus the
// title and legend that go above it.
type figure struct {
	title  string
	legend []legendEntry
	plot   *plot.Plot
}

// checkNames: there is at least one name (else the error none), and no
// name is blank (else blank, formatted with its position).
func checkNames(names []string, none, blank string) error {
	if len(names) == 0 {
		return errors.New(none)
	}
	for i, name := range names {
		if strings.TrimSpace(name) == "" {
			return fmt.Errorf(blank, i)
		}
	}
	return nil
}

func seriesNames[S any](series []S, name func(S) string) []string {
	names := make([]string, len(series))
	for i, s := range series {
		names[i] = name(s)
	}
	return names
}

// validateAndWrite is every chart's Write: validate, then draw with build
// into base+".png" and base+".svg".
func validateAndWrite(base string, validate func() error, build func() figure) error {
	if err := validate(); err != nil {
		return fmt.Errorf("chart %q: %w", base, err)
	}
	return write(base, build)
}

// write builds the figure and renders it twice, once per format.
// Rendering is cheap next to the benchmarks that produced the data.
func write(base string, build func() figure) (err error) {
	// Validation should make panics impossible, but gonum/plot panics on
	// some inputs (a zero on a log axis, for instance) and a harness that has
	// just measured for minutes must not lose its report to a chart.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("chart %q: drawing failed: %v", base, r)
		}
	}()
	f := build()

	png := vgimg.PngCanvas{Canvas: vgimg.NewWith(
		vgimg.UseWH(pageWidth, pageHeight),
		vgimg.UseDPI(dpi),
		vgimg.UseBackgroundColor(color.White),
	)}
	f.draw(draw.New(png))
	if err := save(base+".png", png, nil); err != nil {
		return err
	}

	svg := vgsvg.New(pageWidth, pageHeight)
	f.draw(draw.New(svg))
	return save(base+".svg", svg, svgFontFallback)
}

// svgFontFallback lets a browser without Liberation Sans use Arial, which
// has the same glyph widths, so labels keep the positions computed for
// Liberation. Embedding the fonts instead would add 1 MB to every SVG.
func svgFontFallback(svg []byte) []byte {
	return bytes.ReplaceAll(svg,
		[]byte("font-family:Liberation Sans;"),
		[]byte("font-family:'Liberation Sans',Arial,Helvetica,sans-serif;"))
}

// save renders c in memory first, so a failed render leaves no
// half-written file for the report to link to.
func save(path string, c io.WriterTo, fix func([]byte) []byte) error {
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return fmt.Errorf("chart: rendering %s: %w", path, err)
	}
	out := buf.Bytes()
	if fix != nil {
		out = fix(out)
	}
	return os.WriteFile(path, out, 0o644)
}

func (f figure) draw(c draw.Canvas) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	c = draw.Crop(c, margin, -margin, margin, -margin)
	top := header(c, f.title, f.legend)
	f.plot.Draw(draw.Crop(c, 0, 0, 0, -top))
}
