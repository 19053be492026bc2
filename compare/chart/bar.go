package chart

import (
	"errors"
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// BarChart is a grouped bar chart: one group per category on the X axis, one bar per series in each group.
type BarChart struct {
	Title, YLabel string
	// Note is a line or two under the title: what the chart does not show
	// by itself (a workload's setting, why a bar is missing).
	Note       string
	LogY       bool     // log scale (for "speedup over stage 1", values span 1x..1000x)
	Categories []string // X-axis groups, e.g. writer counts
	Series     []BarSeries
	// Reference, if not zero, is drawn as a dashed line across the chart,
	// named ReferenceLabel in the legend, and the bars grow from it, up or
	// down: on a speedup chart 0.9x is then a bar below the 1x line, not a
	// shorter bar that still reads as a gain.
	Reference      float64
	ReferenceLabel string
	// Limits are computed bounds, one value per category (NaN: none there),
	// drawn as dashed black lines across each group, or across the whole
	// chart when every category has the same value.
	Limits []Limit
}

// BarSeries is one bar per category; len(Values) == len(Categories); NaN = no bar (missing data).
type BarSeries struct {
	Name   string
	Values []float64
	Look   Look // the zero Look: a colour and marker no other series has
	// Missing, if set, is written upright where a value is NaN ("not
	// measured"), so an empty slot does not read as zero.
	Missing string
}

// A Limit is a bound computed, not measured: Belady's optimum for a cache,
// the device's bandwidth.
type Limit struct {
	Name   string
	Values []float64 // one per category
}

// groupWidth is the share of a category's slot taken by its bars; the rest
// is the gap that tells one group from the next.
const groupWidth = 0.8

// markerRadius is the size of the marker inside each bar.
const markerRadius = 4.5

// Write draws the chart into base+".png" (192 DPI) and base+".svg". It returns a clear error for bad input
// (no categories or series, mismatched lengths, non-positive values on a log axis, empty names, two series
// with the same colour or marker) and never panics.
func (c BarChart) Write(base string) error { return validateAndWrite(base, c.validate, c.figure) }

func (c BarChart) validate() error {
	if err := checkNames(c.Categories, "bar chart has no categories", "category %d has an empty name"); err != nil {
		return err
	}
	names := seriesNames(c.Series, func(s BarSeries) string { return s.Name })
	if err := checkNames(names, "bar chart has no series", "series %d has an empty name"); err != nil {
		return err
	}
	if err := checkLooks(names, c.looks()); err != nil {
		return err
	}
	check := func(name string, values []float64) (int, error) {
		n := 0
		if len(values) != len(c.Categories) {
			return 0, fmt.Errorf("series %q has %d values for %d categories", name, len(values), len(c.Categories))
		}
		for j, v := range values {
			switch {
			case math.IsNaN(v):
				continue // missing data: no bar
			case math.IsInf(v, 0):
				return 0, fmt.Errorf("series %q, category %q: value is infinite", name, c.Categories[j])
			case c.LogY && v <= 0:
				return 0, fmt.Errorf("series %q, category %q: value %g cannot be drawn on a log axis", name, c.Categories[j], v)
			}
			n++
		}
		return n, nil
	}
	bars := 0
	for _, s := range c.Series {
		n, err := check(s.Name, s.Values)
		if err != nil {
			return err
		}
		bars += n
	}
	for _, l := range c.Limits {
		if _, err := check(l.Name, l.Values); err != nil {
			return err
		}
	}
	if bars == 0 {
		return errors.New("every value is NaN: no bar to draw")
	}
	if c.LogY && c.Reference < 0 || math.IsInf(c.Reference, 0) || math.IsNaN(c.Reference) {
		return fmt.Errorf("reference %g cannot be drawn", c.Reference)
	}
	return nil
}

func (c BarChart) looks() []Look {
	looks := make([]Look, len(c.Series))
	for i, s := range c.Series {
		looks[i] = s.Look
	}
	return resolveLooks(looks)
}

func (c BarChart) figure() figure {
	p := newPlot("", c.YLabel)
	// Bars stand on the X axis; padding would leave them floating above it.
	p.X.Padding, p.Y.Padding = 0, 0
	p.X.Min, p.X.Max = -0.5, float64(len(c.Categories))-0.5
	p.X.Tick.Marker = c.categoryTicks()

	lo, hi := math.Inf(1), math.Inf(-1)
	for _, values := range c.allValues() {
		for _, v := range values {
			if !math.IsNaN(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if c.Reference != 0 {
		lo, hi = math.Min(lo, c.Reference), math.Max(hi, c.Reference)
	}
	if c.LogY {
		// The axis starts well below the smallest value: a bar's height on
		// a log axis is its ratio to the axis' bottom, and a bar at the
		// bottom would have no height at all. The top leaves room for the
		// value printed above the tallest bar.
		logAxis(&p.Y, lo/3, hi*math.Max(1.3, math.Pow(hi/lo, 0.1)))
	} else {
		// A linear bar's length is its value only if the axis starts at
		// zero; a truncated axis turns a 5% gain into a bar twice as tall.
		linearAxis(&p.Y, math.Min(0, lo), math.Max(0, hi)*1.1)
	}

	grid := plotter.NewGrid()
	grid.Vertical.Color = nil
	grid.Horizontal = draw.LineStyle{Color: gridColor, Width: vg.Points(1)}
	looks := c.looks()
	p.Add(grid, groupedBars{c, looks})

	f := figure{title: c.Title, note: c.Note, plot: p}
	for i, s := range c.Series {
		f.legend = append(f.legend, legendEntry{name: s.Name, thumb: swatch(looks[i])})
	}
	for i, l := range c.limitStyles() {
		f.legend = append(f.legend, legendEntry{name: c.limitName(i), thumb: lineStyle{line: l}})
	}
	return f
}

// allValues is every value drawn: the bars' and the limits'.
func (c BarChart) allValues() [][]float64 {
	var out [][]float64
	for _, s := range c.Series {
		out = append(out, s.Values)
	}
	for _, l := range c.Limits {
		out = append(out, l.Values)
	}
	return out
}

// limitStyles are the dashed lines: the reference first, then the limits.
func (c BarChart) limitStyles() []draw.LineStyle {
	var out []draw.LineStyle
	n := len(c.Limits)
	if c.Reference != 0 {
		n++
	}
	for i := range n {
		out = append(out, draw.LineStyle{Color: inkColor, Width: vg.Points(2.5), Dashes: dashes[i%len(dashes)]})
	}
	return out
}

func (c BarChart) limitName(i int) string {
	if c.Reference != 0 {
		if i == 0 {
			return c.ReferenceLabel
		}
		i--
	}
	return c.Limits[i].Name
}

// categoryTicks labels each group under its centre, wrapping names too
// long for their slot (see wrapLabel).
func (c BarChart) categoryTicks() plot.ConstantTicks {
	// The Y axis and its labels take roughly 90pt; the rest is shared
	// equally by the categories.
	slot := (pageWidth - 2*margin - 90) / vg.Length(len(c.Categories)) * 0.95
	ticks := make(plot.ConstantTicks, len(c.Categories))
	for i, name := range c.Categories {
		ticks[i] = plot.Tick{Value: float64(i), Label: wrapLabel(name, slot)}
	}
	return ticks
}

// groupedBars draws every series of a BarChart. It is one plotter rather
// than one per series so it can decide once, for the whole chart, whether
// value labels fit above the bars.
type groupedBars struct {
	chart BarChart
	looks []Look
}

func (g groupedBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	width := groupWidth / float64(len(g.chart.Series))
	base := g.chart.base(p.Y.Min)
	barWidth := trX(width) - trX(0)
	showValues := g.valuesFit(barWidth)
	// A white outline separates touching bars of the same group.
	outline := draw.LineStyle{Color: color.White, Width: vg.Points(1.5)}
	missing := valueStyle
	missing.Color, missing.Rotation, missing.XAlign, missing.YAlign = Grey, math.Pi/2, draw.XLeft, draw.YCenter

	for j, s := range g.chart.Series {
		look := g.looks[j]
		for i, v := range s.Values {
			left := float64(i) - groupWidth/2 + float64(j)*width
			x0, x1 := trX(left), trX(left+width)
			if math.IsNaN(v) {
				if s.Missing != "" {
					c.FillText(missing, vg.Point{X: (x0 + x1) / 2, Y: trY(p.Y.Min) + 6}, s.Missing)
				}
				continue // missing data is a gap, not a zero
			}
			y0, y1 := trY(base), trY(v)
			box := []vg.Point{{X: x0, Y: y0}, {X: x0, Y: y1}, {X: x1, Y: y1}, {X: x1, Y: y0}}
			c.FillPolygon(look.Color, box)
			c.StrokeLines(outline, append(box, box[0]))
			top := g.drawMarker(c, look, (x0+x1)/2, y0, y1, barWidth)

			if showValues {
				sty, y := valueStyle, top+3
				if v < base {
					sty.YAlign, y = draw.YTop, y1-3
				}
				c.FillText(sty, vg.Point{X: (x0 + x1) / 2, Y: y}, formatSI(v))
			}
		}
	}
	for i, sty := range g.chart.limitStyles() {
		values := g.limitValues(i)
		for k, v := range values {
			if math.IsNaN(v) {
				continue
			}
			from, to := float64(k)-groupWidth/2-0.05, float64(k)+groupWidth/2+0.05
			if allEqual(values) {
				if k > 0 {
					break
				}
				from, to = p.X.Min, p.X.Max
			}
			c.StrokeLine2(sty, trX(from), trY(v), trX(to), trY(v))
		}
	}
}

// base is where the bars grow from: the reference if there is one, else
// zero, or on a log axis (log(0) does not exist) the bottom of the axis.
func (c BarChart) base(axisMin float64) float64 {
	switch {
	case c.Reference != 0:
		return c.Reference
	case c.LogY:
		return axisMin
	}
	return 0
}

// limitValues are the values of the i-th dashed line, per category.
func (g groupedBars) limitValues(i int) []float64 {
	if g.chart.Reference != 0 {
		if i == 0 {
			values := make([]float64, len(g.chart.Categories))
			for k := range values {
				values[k] = g.chart.Reference
			}
			return values
		}
		i--
	}
	return g.chart.Limits[i].Values
}

func allEqual(vs []float64) bool {
	for _, v := range vs {
		if v != vs[0] {
			return false
		}
	}
	return true
}

// drawMarker draws the series' marker inside the top of a bar from y0 to
// y1, in white or ink, whichever shows on the bar's colour; above the bar,
// in its colour, if the bar is too short to hold it. It returns the top of
// what it drew, where a value label may go.
func (g groupedBars) drawMarker(c draw.Canvas, look Look, x, y0, y1, barWidth vg.Length) vg.Length {
	if barWidth < 2*markerRadius+2 {
		return max(y0, y1)
	}
	sty := draw.GlyphStyle{Color: contrasting(look.Color), Radius: markerRadius, Shape: look.Marker.glyph()}
	top, bottom := max(y0, y1), min(y0, y1)
	if top-bottom >= 2*markerRadius+8 {
		y := top - markerRadius - 4
		if y1 < y0 { // a bar that grows down carries its marker at its end
			y = bottom + markerRadius + 4
		}
		c.DrawGlyphNoClip(sty, vg.Point{X: x, Y: y})
		return top
	}
	sty.Color = look.Color
	if y1 < y0 { // a short bar that grows down: the marker goes under it
		c.DrawGlyphNoClip(sty, vg.Point{X: x, Y: bottom - markerRadius - 2})
		return top
	}
	c.DrawGlyphNoClip(sty, vg.Point{X: x, Y: top + markerRadius + 2})
	return top + 2*markerRadius + 2
}

// contrasting is white on a dark colour, ink on a light one.
func contrasting(c color.Color) color.Color {
	r, g, b, _ := c.RGBA()
	if luminance := 0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(b); luminance > 0.6*0xffff {
		return inkColor
	}
	return color.White
}

// valuesFit reports whether every value label is narrower than a bar.
// Labels are all or nothing: a chart where some bars are labelled invites
// the question of what the others hide.
func (g groupedBars) valuesFit(barWidth vg.Length) bool {
	for _, s := range g.chart.Series {
		for _, v := range s.Values {
			if !math.IsNaN(v) && valueStyle.Width(formatSI(v)) > barWidth-4 {
				return false
			}
		}
	}
	return true
}

// swatch is the legend thumbnail of a bar series: a filled square with the
// series' marker in it.
type swatch Look

func (s swatch) Thumbnail(c *draw.Canvas) {
	box := []vg.Point{
		{X: c.Min.X + 8, Y: c.Min.Y}, {X: c.Min.X + 8, Y: c.Max.Y},
		{X: c.Max.X - 8, Y: c.Max.Y}, {X: c.Max.X - 8, Y: c.Min.Y},
	}
	c.FillPolygon(s.Color, box)
	sty := draw.GlyphStyle{Color: contrasting(s.Color), Radius: markerRadius, Shape: s.Marker.glyph()}
	c.DrawGlyphNoClip(sty, c.Center())
}
