package report

import (
	"fmt"
	"strings"

	"walworkshop/compare/chart"
	"walworkshop/compare/stages"
)

// lookOf is how every chart draws the stage, peer or variant called name:
// one colour and one marker each, the same in every chart, so a colour
// means one thing throughout the report. Stage 1 is grey, the colour of
// the baseline; a variant of a stage keeps the stage's hue. A name not
// listed (a stage added later) gets the zero Look: the chart picks one.
func lookOf(name string) chart.Look {
	switch name {
	case stages.Naive:
		return chart.Look{Color: chart.Grey, Marker: chart.Circle}
	case stages.Buffered:
		return chart.Look{Color: chart.Orange, Marker: chart.Box}
	case stages.GroupCommit:
		return chart.Look{Color: chart.BluishGreen, Marker: chart.Triangle}
	case stages.Prealloc:
		return chart.Look{Color: chart.Blue, Marker: chart.Diamond}
	case stages.DirectCache, stages.Variant(stages.DirectCache, "clock-pro"):
		return chart.Look{Color: chart.ReddishPurple, Marker: chart.InvertedTriangle}
	case stages.Variant(stages.DirectCache, "lru"):
		return chart.Look{Color: chart.Shade(chart.ReddishPurple, 0.45), Marker: chart.Hexagon}
	case stages.Variant(stages.DirectCache, "uncached"):
		return chart.Look{Color: chart.Shade(chart.ReddishPurple, -0.5), Marker: chart.Star}
	case stages.Pebble:
		return chart.Look{Color: chart.Vermillion, Marker: chart.Plus}
	case stages.Tidwall:
		return chart.Look{Color: chart.SkyBlue, Marker: chart.Cross}
	}
	return chart.Look{}
}

// writersLabel is a number of writers as a chart says it: "1 writer",
// "64 writers".
func writersLabel(n int) string {
	if n == 1 {
		return "1 writer"
	}
	return Thousands(n) + " writers"
}

// sizeLabel is an entry size as a person says it: "128 B", "4 KiB",
// "64 KiB", "1.5 KiB", "1 MiB"; bytes where a unit would round.
func sizeLabel(n int) string {
	for _, u := range []struct {
		bytes int
		unit  string
	}{{1 << 30, "GiB"}, {1 << 20, "MiB"}, {1 << 10, "KiB"}} {
		if n >= u.bytes && (n*10)%u.bytes == 0 {
			return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)/float64(u.bytes)), ".0") + " " + u.unit
		}
	}
	return Thousands(n) + " B"
}
