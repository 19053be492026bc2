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
	LogY          bool     // log scale (for "speedup over stage 1", values span 1x..1000x)
	Categories    []string // X-axis groups, e.g. stage names
	Series        []BarSeries
}

// BarSeries is one bar per category; len(Values) == len(Categories); NaN = no bar (missing data).
type BarSeries struct {
	Name   string
	Values []float64
}

// groupWidth is the share of a category's slot taken by its bars; the rest
// is the gap that tells one group from the next.
const groupWidth = 0.8

// Write draws the chart into base+".png" (192 DPI) and base+".svg". It returns a clear error for bad input
// (no categories or series, mismatched lengths, non-positive values on a log axis, empty names) and never panics.
func (c BarChart) Write(base string) error { return validateAndWrite(base, c.validate, c.figure) }

func (c BarChart) validate() error {
	if err := checkNames(c.Categories, "bar chart has no categories", "category %d has an empty name"); err != nil {
		return err
	}
	if err := checkNames(seriesNames(c.Series, func(s BarSeries) string { return s.Name }), "bar chart has no series", "series %d has an empty name"); err != nil {
		return err
	}
	bars := 0
	for _, s := range c.Series {
		if len(s.Values) != len(c.Categories) {
			return fmt.Errorf("series %q has %d values for %d categories", s.Name, len(s.Values), len(c.Categories))
		}
		for j, v := range s.Values {
			switch {
			case math.IsNaN(v):
				continue // missing data: no bar
			case math.IsInf(v, 0):
				return fmt.Errorf("series %q, category %q: value is infinite", s.Name, c.Categories[j])
			case c.LogY && v <= 0:
				return fmt.Errorf("series %q, category %q: value %g cannot be drawn on a log axis", s.Name, c.Categories[j], v)
			}
			bars++
		}
	}
	if bars == 0 {
		return errors.New("every value is NaN: no bar to draw")
	}
	return nil
}

func (c BarChart) figure() figure {
	p := newPlot("", c.YLabel)
	// Bars stand on the X axis; padding would leave them floating above it.
	p.X.Padding, p.Y.Padding = 0, 0
	p.X.Min, p.X.Max = -0.5, float64(len(c.Categories))-0.5
	p.X.Tick.Marker = c.categoryTicks()

	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range c.Series {
		for _, v := range s.Values {
			if !math.IsNaN(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if c.LogY {
		// The axis starts strictly below the smallest value, or a bar at
		// exactly 1x (stage 1 against itself) would have no height at all.
		// The top leaves room for the value printed above the tallest bar.
		logAxis(&p.Y, lo*0.99, hi*math.Max(1.3, math.Pow(hi/lo, 0.1)))
	} else {
		// A linear bar's length is its value only if the axis starts at
		// zero; a truncated axis turns a 5% gain into a bar twice as tall.
		linearAxis(&p.Y, math.Min(0, lo), math.Max(0, hi)*1.1)
	}

	grid := plotter.NewGrid()
	grid.Vertical.Color = nil
	grid.Horizontal = draw.LineStyle{Color: gridColor, Width: vg.Points(1)}
	p.Add(grid, groupedBars{c})

	f := figure{title: c.Title, plot: p}
	for i, s := range c.Series {
		f.legend = append(f.legend, legendEntry{name: s.Name, thumb: swatch(i)})
	}
	return f
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
type groupedBars struct{ chart BarChart }

func (g groupedBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	width := groupWidth / float64(len(g.chart.Series))
	base := 0.0
	if g.chart.LogY {
		base = p.Y.Min // log(0) does not exist; bars grow from the axis
	}
	showValues := g.valuesFit(trX(width) - trX(0))
	// A white outline separates touching bars of the same group.
	outline := draw.LineStyle{Color: color.White, Width: vg.Points(1.5)}

	for j, s := range g.chart.Series {
		for i, v := range s.Values {
			if math.IsNaN(v) {
				continue // missing data is a gap, not a zero
			}
			left := float64(i) - groupWidth/2 + float64(j)*width
			x0, x1 := trX(left), trX(left+width)
			y0, y1 := trY(base), trY(v)
			box := []vg.Point{{X: x0, Y: y0}, {X: x0, Y: y1}, {X: x1, Y: y1}, {X: x1, Y: y0}}
			c.FillPolygon(seriesColor(j), box)
			c.StrokeLines(outline, append(box, box[0]))

			if showValues {
				sty, y := valueStyle, y1+3
				if v < 0 {
					sty.YAlign, y = draw.YTop, y1-3
				}
				c.FillText(sty, vg.Point{X: (x0 + x1) / 2, Y: y}, formatSI(v))
			}
		}
	}
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

// swatch is the legend thumbnail of series i: a filled square.
type swatch int

func (s swatch) Thumbnail(c *draw.Canvas) {
	box := []vg.Point{
		{X: c.Min.X + 8, Y: c.Min.Y}, {X: c.Min.X + 8, Y: c.Max.Y},
		{X: c.Max.X - 8, Y: c.Max.Y}, {X: c.Max.X - 8, Y: c.Min.Y},
	}
	c.FillPolygon(seriesColor(int(s)), box)
}
