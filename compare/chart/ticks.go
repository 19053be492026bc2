package chart

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// formatSI writes v with three significant digits and a k, M or G suffix,
// so 548319 reads "548k": nobody can count six digits on a slide.
func formatSI(v float64) string {
	// Round before picking the suffix, or 999600 would print as "1000k".
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 3, 64), 64)
	suffix := ""
	for _, u := range []struct {
		div    float64
		suffix string
	}{{1e9, "G"}, {1e6, "M"}, {1e3, "k"}} {
		if math.Abs(r) >= u.div {
			r, suffix = r/u.div, u.suffix
			break
		}
	}
	if r == 0 {
		r = 0 // turns -0 into 0, which would otherwise print as "-0"
	}
	return strconv.FormatFloat(r, 'f', -1, 64) + suffix
}

// formatExact writes an integer with thousands separators (65536 reads
// "65,536"). It labels ticks placed at the data's own X values, such as a
// sweep over 1, 16, 64, 256 writers, where rounding would misstate the setup.
func formatExact(v float64) string {
	if v != math.Trunc(v) || math.Abs(v) >= 1e15 {
		return formatSI(v)
	}
	digits := strconv.FormatInt(int64(math.Abs(v)), 10)
	var b strings.Builder
	if v < 0 {
		b.WriteByte('-')
	}
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	return b.String()
}

// linearAxis widens [lo, hi] to whole steps of 1, 2, 2.5 or 5 times a power
// of ten and labels every step, so the axis starts and ends on a label
// instead of at an arbitrary data value.
func linearAxis(a *plot.Axis, lo, hi float64) {
	if hi <= lo {
		pad := math.Max(math.Abs(lo)/2, 1)
		lo, hi = lo-pad, hi+pad
	}
	step := niceStep((hi - lo) / 5)
	first, last := math.Floor(lo/step), math.Ceil(hi/step)
	a.Min, a.Max = first*step, last*step
	var ticks []plot.Tick
	for k := first; k <= last; k++ {
		ticks = append(ticks, plot.Tick{Value: k * step, Label: formatSI(k * step)})
	}
	a.Tick.Marker = plot.ConstantTicks(ticks)
}

func niceStep(raw float64) float64 {
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5} {
		if m*mag >= raw {
			return m * mag
		}
	}
	return 10 * mag
}

// logAxis puts a log scale over [lo, hi], widened to the nearest 1-2-5
// values. Decades are labelled (1, 10, 100, 1k); on an axis of three
// decades or less, 2 and 5 are labelled too: there is room for them, and a
// reader can then place 487k without guessing where 500k lies.
func logAxis(a *plot.Axis, lo, hi float64) {
	a.Scale = plot.LogScale{}
	a.Min, a.Max = floor125(lo), ceil125(hi)
	if a.Min == a.Max { // a single value that is itself 1, 2 or 5 x 10^n
		a.Min, a.Max = floor125(lo/2), ceil125(hi*2)
	}

	first, last := math.Round(math.Log10(decade(a.Min))), math.Round(math.Log10(decade(a.Max)))
	inRange := func(v float64) bool { return v >= a.Min*(1-1e-9) && v <= a.Max*(1+1e-9) }
	decades := 0
	for e := first; e <= last; e++ {
		if inRange(math.Pow(10, e)) {
			decades++
		}
	}
	// Minor ticks at 2..9 help between decades but turn into a grey
	// smear when the axis spans many of them.
	minors := last-first <= 6

	var ticks []plot.Tick
	for e := first; e <= last; e++ {
		for m := 1.0; m <= 9; m++ {
			v := m * math.Pow(10, e)
			labelled := m == 1 || (decades <= 3 && (m == 2 || m == 5))
			if !inRange(v) || (!labelled && !minors) {
				continue
			}
			t := plot.Tick{Value: v}
			if labelled {
				t.Label = formatSI(v)
			}
			ticks = append(ticks, t)
		}
	}
	a.Tick.Marker = plot.ConstantTicks(ticks)
}

// floor125 returns the largest 1, 2 or 5 times a power of ten not above v.
func floor125(v float64) float64 {
	p := decade(v)
	for _, m := range []float64{5, 2} {
		if m*p <= v*(1+1e-9) {
			return m * p
		}
	}
	return p
}

// ceil125 returns the smallest 1, 2 or 5 times a power of ten not below v.
func ceil125(v float64) float64 {
	p := decade(v)
	for _, m := range []float64{1, 2, 5} {
		if m*p >= v*(1-1e-9) {
			return m * p
		}
	}
	return 10 * p
}

// decade returns the power of ten at or below v. math.Log10 alone is not
// enough: Log10(1000) may come out as 2.9999999999999996.
func decade(v float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(v)))
	switch {
	case 10*p <= v*(1+1e-9):
		p *= 10
	case p > v*(1+1e-9):
		p /= 10
	}
	return p
}

// dataTicks returns ticks at the data's own X values when they are few and
// spread out on a log axis (1, 16, 64, 256 writers): the reader then sees
// exactly the configurations that were measured. ok is false when the
// values are too many or too close to label them all legibly.
func dataTicks(xs []float64) (ticks []plot.Tick, ok bool) {
	xs = slices.Clone(xs)
	slices.Sort(xs)
	xs = slices.Compact(xs)
	if len(xs) < 2 || len(xs) > 12 {
		return nil, false
	}
	for i := 1; i < len(xs); i++ {
		if xs[i]/xs[i-1] < 1.5 {
			return nil, false
		}
	}
	for _, x := range xs {
		ticks = append(ticks, plot.Tick{Value: x, Label: formatExact(x)})
	}
	return ticks, true
}

// wrapLabel breaks a category name after '_', '-', '/' or ' ' into lines no
// wider than width: "stage5_direct_cache" becomes "stage5_direct_" over
// "cache". A piece that is too wide on its own is cut between letters.
// Wrapping beats rotating: slanted text is hard to read from the back of
// the room, and gonum/plot does not keep a slanted first label on the page.
func wrapLabel(name string, width vg.Length) string {
	var pieces []string
	start := 0
	for i, r := range name {
		if strings.ContainsRune("_-/ ", r) {
			pieces = append(pieces, cutToWidth(name[start:i+1], width)...)
			start = i + 1
		}
	}
	pieces = append(pieces, cutToWidth(name[start:], width)...)

	var lines []string
	line := ""
	for _, p := range pieces {
		if line != "" && tickStyle.Width(strings.TrimSpace(line+p)) > width {
			lines = append(lines, strings.TrimSpace(line))
			line = ""
		}
		line += p
	}
	lines = append(lines, strings.TrimSpace(line))
	return strings.Join(lines, "\n")
}

// cutToWidth splits s between letters into chunks no wider than width
// (but at least one letter each).
func cutToWidth(s string, width vg.Length) []string {
	var chunks []string
	chunk := ""
	for _, r := range s {
		if chunk != "" && tickStyle.Width(chunk+string(r)) > width {
			chunks = append(chunks, chunk)
			chunk = ""
		}
		chunk += string(r)
	}
	return append(chunks, chunk)
}
