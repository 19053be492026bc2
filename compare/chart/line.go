package chart

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// LineChart draws lines with markers; a series can be dashed (physical limits such as the Little's-law ceiling N / fsync latency).
type LineChart struct {
	Title, XLabel, YLabel string
	// Note is a line or two under the title (see BarChart.Note).
	Note       string
	LogX, LogY bool
	Series     []LineSeries
}

// LineSeries is one line; X and Y have the same length, and a point with a
// NaN coordinate is missing data: the line breaks there.
type LineSeries struct {
	Name   string
	X, Y   []float64
	Dashed bool
	Look   Look // measured series only; the zero Look: one no other series has
	// Points draws the markers without a line through them: for points
	// that are not a sequence, such as one stage under several presets.
	Points bool
	// Labels, if set, name points on the chart, one per point ("" for
	// none), written above them.
	Labels []string
	// Guide draws the series as a thin light grey line without markers,
	// and leaves it out of the legend: it ties together points of other
	// series that belong together, such as one preset on three stages.
	Guide bool
}

// Dashed series are limits computed from physics, not measurements: they
// are drawn in near-black without markers (a marker would suggest a
// measured point), and told apart by their dash pattern.
var dashes = [][]vg.Length{
	{vg.Points(12), vg.Points(6)},
	{vg.Points(3), vg.Points(5)},
	{vg.Points(12), vg.Points(5), vg.Points(3), vg.Points(5)},
}

// Write draws the chart into base+".png" (192 DPI) and base+".svg". It returns a clear error for bad input
// (no categories or series, mismatched lengths, non-positive values on a log axis, empty names) and never panics.
func (c LineChart) Write(base string) error { return validateAndWrite(base, c.validate, c.figure) }

func (c LineChart) validate() error {
	names := seriesNames(c.Series, func(s LineSeries) string { return s.Name })
	if err := checkNames(names, "line chart has no series", "series %d has an empty name"); err != nil {
		return err
	}
	var measured []string
	var looks []Look
	for _, s := range c.Series {
		if !s.Dashed && !s.Guide {
			measured, looks = append(measured, s.Name), append(looks, s.Look)
		}
	}
	if err := checkLooks(measured, looks); err != nil {
		return err
	}
	points := 0
	for _, s := range c.Series {
		if len(s.X) != len(s.Y) {
			return fmt.Errorf("series %q has %d X values and %d Y values", s.Name, len(s.X), len(s.Y))
		}
		if s.Labels != nil && len(s.Labels) != len(s.X) {
			return fmt.Errorf("series %q has %d labels for %d points", s.Name, len(s.Labels), len(s.X))
		}
		if len(s.X) == 0 {
			return fmt.Errorf("series %q has no points", s.Name)
		}
		for j := range s.X {
			x, y := s.X[j], s.Y[j]
			switch {
			case math.IsNaN(x) || math.IsNaN(y):
				continue // missing data: the line breaks here
			case math.IsInf(x, 0) || math.IsInf(y, 0):
				return fmt.Errorf("series %q, point %d: (%g, %g) is infinite", s.Name, j, x, y)
			case c.LogX && x <= 0:
				return fmt.Errorf("series %q, point %d: X = %g cannot be drawn on a log axis", s.Name, j, x)
			case c.LogY && y <= 0:
				return fmt.Errorf("series %q, point %d: Y = %g cannot be drawn on a log axis", s.Name, j, y)
			}
			points++
		}
	}
	if points == 0 {
		return errors.New("every point has a NaN coordinate: nothing to draw")
	}
	return nil
}

func (c LineChart) figure() figure {
	p := newPlot(c.XLabel, c.YLabel)

	var xs []float64
	ylo, yhi := math.Inf(1), math.Inf(-1)
	for _, s := range c.Series {
		for j := range s.X {
			if !math.IsNaN(s.X[j]) && !math.IsNaN(s.Y[j]) {
				xs = append(xs, s.X[j])
				ylo, yhi = math.Min(ylo, s.Y[j]), math.Max(yhi, s.Y[j])
			}
		}
	}
	xlo, xhi := minMax(xs)
	labelled := slices.ContainsFunc(c.Series, func(s LineSeries) bool { return s.Labels != nil })
	if labelled && c.LogY {
		// Room above and below for the labels of the highest and lowest points.
		ylo, yhi = ylo/1.5, yhi*1.5
	}

	switch ticks, ok := dataTicks(xs); {
	case c.LogX && ok && !labelled:
		p.X.Scale = plot.LogScale{}
		p.X.Min, p.X.Max = xlo, xhi
		p.X.Tick.Marker = plot.ConstantTicks(ticks)
	case c.LogX && labelled:
		// Room on either side for the labels, which go beside the points.
		logAxis(&p.X, xlo/1.5, xhi*1.5)
	case c.LogX:
		logAxis(&p.X, xlo, xhi)
	default:
		linearAxis(&p.X, xlo, xhi)
	}
	if c.LogY {
		logAxis(&p.Y, ylo, yhi)
	} else {
		// From zero, like the bar charts: the height of a point then
		// compares with the others at a glance.
		linearAxis(&p.Y, math.Min(0, ylo), yhi)
	}

	grid := plotter.NewGrid()
	grid.Vertical = draw.LineStyle{Color: gridColor, Width: vg.Points(1)}
	grid.Horizontal = grid.Vertical
	p.Add(grid)

	f := figure{title: c.Title, note: c.Note, plot: p}
	styles := c.styles()
	// Guides and limits first, so measured lines are drawn over them.
	for _, layer := range []func(LineSeries) bool{
		func(s LineSeries) bool { return s.Guide },
		func(s LineSeries) bool { return s.Dashed && !s.Guide },
		func(s LineSeries) bool { return !s.Dashed && !s.Guide },
	} {
		for i, s := range c.Series {
			if layer(s) {
				addSeries(p, s, styles[i])
			}
		}
	}
	if labelled {
		p.Add(pointLabels{c.Series})
	}
	for i, s := range c.Series {
		if !s.Guide {
			f.legend = append(f.legend, legendEntry{name: s.Name, thumb: styles[i]})
		}
	}
	return f
}

// lineStyle is how one series looks; it doubles as its legend thumbnail.
type lineStyle struct {
	line  draw.LineStyle
	glyph draw.GlyphStyle // Shape is nil for dashed series
}

func (s lineStyle) Thumbnail(c *draw.Canvas) {
	if y := c.Center().Y; s.line.Color != nil {
		c.StrokeLine2(s.line, c.Min.X, y, c.Max.X, y)
	}
	c.DrawGlyphNoClip(s.glyph, c.Center())
}

// styles assigns colours and markers to measured series and dash patterns
// to limits, each counted separately so a limit does not use up a colour.
func (c LineChart) styles() []lineStyle {
	var looks []Look
	for _, s := range c.Series {
		if !s.Dashed && !s.Guide {
			looks = append(looks, s.Look)
		}
	}
	looks = resolveLooks(looks)
	styles := make([]lineStyle, len(c.Series))
	measured, limits := 0, 0
	for i, s := range c.Series {
		if s.Guide {
			styles[i].line = draw.LineStyle{Color: guideColor, Width: vg.Points(2)}
			continue
		}
		if s.Dashed {
			styles[i].line = draw.LineStyle{Color: inkColor, Width: vg.Points(2.5), Dashes: dashes[limits%len(dashes)]}
			limits++
			continue
		}
		look := looks[measured]
		if !s.Points {
			styles[i].line = draw.LineStyle{Color: look.Color, Width: vg.Points(3)}
		}
		styles[i].glyph = draw.GlyphStyle{Color: look.Color, Radius: vg.Points(6), Shape: look.Marker.glyph()}
		measured++
	}
	return styles
}

// pointLabels writes the series' labels above their points, starting at
// the point, or ending there in the right third of the chart, where the
// text would run off it.
type pointLabels struct{ series []LineSeries }

func (pl pointLabels) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	right := c.Min.X + (c.Max.X-c.Min.X)*2/3
	for _, s := range pl.series {
		for j, label := range s.Labels {
			if label == "" || math.IsNaN(s.X[j]) || math.IsNaN(s.Y[j]) {
				continue
			}
			pt := vg.Point{X: trX(s.X[j]), Y: trY(s.Y[j])}
			sty := labelStyle
			sty.YAlign, pt.Y = draw.YBottom, pt.Y+8
			if pt.X > right {
				sty.XAlign, pt.X = draw.XRight, pt.X-4
			} else {
				sty.XAlign, pt.X = draw.XLeft, pt.X+4
			}
			c.FillText(sty, pt, label)
		}
	}
}

// addSeries adds s as one line per run of points without NaN, so missing
// data shows as a gap rather than as a line through a made-up value.
func addSeries(p *plot.Plot, s LineSeries, sty lineStyle) {
	var run plotter.XYs
	flush := func() {
		if len(run) > 1 && sty.line.Color != nil {
			l, _ := plotter.NewLine(run) // cannot fail: run holds only finite points
			l.LineStyle = sty.line
			p.Add(l)
		}
		if len(run) > 0 && sty.glyph.Shape != nil {
			sc, _ := plotter.NewScatter(run)
			sc.GlyphStyle = sty.glyph
			p.Add(sc)
		}
		run = nil
	}
	for j := range s.X {
		if math.IsNaN(s.X[j]) || math.IsNaN(s.Y[j]) {
			flush()
			continue
		}
		run = append(run, plotter.XY{X: s.X[j], Y: s.Y[j]})
	}
	flush()
}

func minMax(vs []float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range vs {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	return lo, hi
}
