package chart

import (
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// A Marker is the shape drawn at each point of a line and inside each bar,
// so series stay apart in a greyscale printout or for a viewer who cannot
// tell the colours apart. Every shape is filled: an outline one pixel wide
// (gonum/plot's ring or cross) is lost on a projector.
type Marker int

const (
	AutoMarker Marker = iota // the zero Look: the chart picks one
	Circle
	Box
	Triangle
	Diamond
	InvertedTriangle
	Plus
	Cross
	Hexagon
	Star
	markerCount
)

// glyph is the shape of m, to be drawn with a GlyphStyle of its radius.
func (m Marker) glyph() draw.GlyphDrawer {
	switch m {
	case Box:
		return draw.BoxGlyph{}
	case Triangle:
		return polygon(1.2, regular(3, math.Pi/2))
	case Diamond:
		return polygon(1.3, regular(4, math.Pi/2)) // looks smaller than a box of the same radius
	case InvertedTriangle:
		return polygon(1.2, regular(3, -math.Pi/2))
	case Plus:
		return polygon(1.2, plus(0))
	case Cross:
		return polygon(1.2, plus(math.Pi/4))
	case Hexagon:
		return polygon(1.1, regular(6, 0))
	case Star:
		return polygon(1.4, star())
	}
	return draw.CircleGlyph{}
}

// polygon is a filled shape with the given corners around the point, in
// units of the radius, scaled by scale.
func polygon(scale float64, corners []vg.Point) draw.GlyphDrawer {
	return polygonGlyph{scale, corners}
}

// polygonGlyph draws corners (a unit shape) scaled to the glyph's radius.
type polygonGlyph struct {
	scale   float64
	corners []vg.Point
}

func (g polygonGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r := sty.Radius * vg.Length(g.scale)
	var p vg.Path
	for i, k := range g.corners {
		q := vg.Point{X: pt.X + k.X*r, Y: pt.Y + k.Y*r}
		if i == 0 {
			p.Move(q)
		} else {
			p.Line(q)
		}
	}
	p.Close()
	c.Fill(p)
}

// regular is an n-cornered regular polygon of radius 1, one corner at angle
// first.
func regular(n int, first float64) []vg.Point {
	var out []vg.Point
	for i := range n {
		a := first + 2*math.Pi*float64(i)/float64(n)
		out = append(out, vg.Point{X: vg.Length(math.Cos(a)), Y: vg.Length(math.Sin(a))})
	}
	return out
}

// plus is a thick plus sign of radius 1, turned by angle.
func plus(angle float64) []vg.Point {
	const w = 0.35 // half the width of an arm
	arm := []vg.Point{{X: 1, Y: -w}, {X: 1, Y: w}, {X: w, Y: w}}
	var out []vg.Point
	for q := range 4 {
		for _, k := range arm {
			out = append(out, rotate(k, angle+float64(q)*math.Pi/2))
		}
	}
	return out
}

// star is a five-pointed star of radius 1, a point upwards.
func star() []vg.Point {
	var out []vg.Point
	for i := range 10 {
		r := 1.0
		if i%2 == 1 {
			r = 0.45
		}
		a := math.Pi/2 + math.Pi*float64(i)/5
		out = append(out, vg.Point{X: vg.Length(r * math.Cos(a)), Y: vg.Length(r * math.Sin(a))})
	}
	return out
}

func rotate(p vg.Point, a float64) vg.Point {
	sin, cos := math.Sincos(a)
	return vg.Point{X: p.X*vg.Length(cos) - p.Y*vg.Length(sin), Y: p.X*vg.Length(sin) + p.Y*vg.Length(cos)}
}
