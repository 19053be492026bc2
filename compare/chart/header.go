package chart

import (
	"strings"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

const (
	thumbWidth = 36 // points; long enough to show a dash pattern
	entryGap   = 28 // points between legend entries
)

// header draws the title, the note under it, and below them the legend as centred rows, and
// returns the height it used. gonum/plot puts its legend inside the data
// area, where it hides whichever bars or points happen to be there; a strip
// above the plot can never cover data, whatever the data looks like.
func header(c draw.Canvas, title, note string, entries []legendEntry) vg.Length {
	y := c.Max.Y
	if title != "" {
		sty := titleStyle
		sty.YAlign = draw.YTop
		c.FillText(sty, vg.Point{X: c.Center().X, Y: y}, title)
		y -= sty.Height(title) + 8
	}
	if note != "" {
		sty := noteStyle
		sty.YAlign = draw.YTop
		for _, line := range strings.Split(note, "\n") {
			c.FillText(sty, vg.Point{X: c.Center().X, Y: y}, line)
			y -= sty.Height(line) + 3
		}
		y -= 5
	}

	sty := legendStyle
	sty.XAlign = draw.XLeft
	sty.YAlign = draw.YCenter
	rowHeight := sty.Height("Xg") + 6
	for _, row := range legendRows(entries, c.Max.X-c.Min.X) {
		x := c.Center().X - rowWidth(row)/2
		mid := y - rowHeight/2
		for _, e := range row {
			thumb := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
				Min: vg.Point{X: x, Y: mid - rowHeight/3},
				Max: vg.Point{X: x + thumbWidth, Y: mid + rowHeight/3},
			}}
			e.thumb.Thumbnail(&thumb)
			x += thumbWidth + 6
			c.FillText(sty, vg.Point{X: x, Y: mid}, e.name)
			x += sty.Width(e.name) + entryGap
		}
		y -= rowHeight
	}
	return c.Max.Y - y + 10
}

// legendRows wraps the entries into rows no wider than width, so a chart
// with many series grows a second legend row instead of running off the page.
func legendRows(entries []legendEntry, width vg.Length) [][]legendEntry {
	var rows [][]legendEntry
	var row []legendEntry
	var w vg.Length
	for _, e := range entries {
		ew := entryWidth(e)
		if len(row) > 0 && w+entryGap+ew > width {
			rows, row, w = append(rows, row), nil, 0
		}
		if len(row) > 0 {
			w += entryGap
		}
		row, w = append(row, e), w+ew
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	return rows
}

func rowWidth(row []legendEntry) vg.Length {
	w := vg.Length(entryGap) * vg.Length(len(row)-1)
	for _, e := range row {
		w += entryWidth(e)
	}
	return w
}

func entryWidth(e legendEntry) vg.Length {
	return thumbWidth + 6 + legendStyle.Width(e.name)
}
