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

// The palette is Okabe-Ito's, safe for colour-blind viewers, without its
// yellow, which vanishes on a white background under a projector, and black,
// kept for the physical limits (dashed lines) so they read as "the wall",
// not as one more contender. The grey is the one Okabe-Ito is usually
// paired with. A caller gives each thing it draws one of these for good
// (Look), so a colour means the same in every chart.
const (
	Blue          RGB = 0x0072B2
	Vermillion    RGB = 0xD55E00
	BluishGreen   RGB = 0x009E73
	Orange        RGB = 0xE69F00
	ReddishPurple RGB = 0xCC79A7
	SkyBlue       RGB = 0x56B4E9
	Grey          RGB = 0x999999
)

// RGB is an opaque colour written as in CSS: 0x0072B2 is #0072B2.
type RGB uint32

// RGBA makes RGB a color.Color.
func (c RGB) RGBA() (r, g, b, a uint32) { return rgb(uint32(c)).RGBA() }

func rgb(hex uint32) color.RGBA {
	return color.RGBA{R: uint8(hex >> 16), G: uint8(hex >> 8), B: uint8(hex), A: 0xff}
}

// palette is the order in which series without a Look get a colour.
func palette() []color.Color {
	return []color.Color{Blue, Vermillion, BluishGreen, Orange, ReddishPurple, SkyBlue, Grey}
}

// Shade mixes c with black (amount > 0) or white (amount < 0): a variant of
// something drawn in c, such as a second policy of one stage, keeps its hue.
func Shade(c color.Color, amount float64) color.Color {
	r, g, b, _ := c.RGBA()
	target, k := 0.0, amount
	if amount < 0 {
		target, k = 255, -amount
	}
	mix := func(v uint32) uint8 { return uint8(float64(v>>8)*(1-k) + target*k + 0.5) }
	return color.RGBA{R: mix(r), G: mix(g), B: mix(b), A: 0xff}
}

// A Look is how one series is drawn: its colour and its marker. The zero
// Look lets the chart pick a colour and a marker no other series of the
// chart has.
type Look struct {
	Color  color.Color
	Marker Marker
}

// resolveLooks fills in the zero parts of looks with the first colours and
// markers the chart does not use yet.
func resolveLooks(looks []Look) []Look {
	out := make([]Look, len(looks))
	copy(out, looks)
	usedColor := func(c color.Color) bool {
		for _, l := range out {
			if l.Color != nil && sameColor(l.Color, c) {
				return true
			}
		}
		return false
	}
	usedMarker := func(m Marker) bool {
		for _, l := range out {
			if l.Marker == m {
				return true
			}
		}
		return false
	}
	for i := range out {
		if out[i].Color == nil {
			out[i].Color = inkColor
			for _, c := range palette() {
				if !usedColor(c) {
					out[i].Color = c
					break
				}
			}
		}
		if out[i].Marker == AutoMarker {
			out[i].Marker = Circle
			for m := Circle; m < markerCount; m++ {
				if !usedMarker(m) {
					out[i].Marker = m
					break
				}
			}
		}
	}
	return out
}

func sameColor(a, b color.Color) bool {
	ar, ag, ab, aa := a.RGBA()
	br, bg, bb, ba := b.RGBA()
	return ar == br && ag == bg && ab == bb && aa == ba
}

// checkLooks: no two series share a colour or a marker.
func checkLooks(names []string, looks []Look) error {
	looks = resolveLooks(looks)
	for i := range looks {
		for j := range i {
			switch {
			case sameColor(looks[i].Color, looks[j].Color):
				return fmt.Errorf("series %q and %q have the same colour", names[j], names[i])
			case looks[i].Marker == looks[j].Marker:
				return fmt.Errorf("series %q and %q have the same marker", names[j], names[i])
			}
		}
	}
	return nil
}

var (
	gridColor  = rgb(0xDDDDDD)
	guideColor = rgb(0xC8C8C8)
	inkColor   = rgb(0x222222)
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
	noteStyle   = textStyle(13, false)
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
	note   string // under the title, in smaller type; lines split at \n
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
	top := header(c, f.title, f.note, f.legend)
	f.plot.Draw(draw.Crop(c, 0, 0, 0, -top))
}
