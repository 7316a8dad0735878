// Package chart draws small charts as SVG markup for server-rendered pages: no script, no CDN.
// Each chart scales with its container (viewBox), names itself with <title> and <desc> for
// screen readers, and sets its colours as presentation attributes so that it reads even without
// the stylesheet. Pages still show the same figures as text or a table.
package chart

import (
	"fmt"
	"hash/fnv"
	"html/template"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/parsurvey/parsurvey/internal/vn"
)

// Colours used when a series sets none: a light and a dark blue that differ in lightness (each
// at least 3:1 against white), then further distinct hues.
var palette = []string{"#4f8fd0", "#0b5cad", "#116329", "#b35c00", "#6f42c1"}

// TargetColor is the colour of a chart's target line.
const TargetColor = "#a4121b"

const (
	gridColor  = "#d8dee4"
	axisColor  = "#57606a"
	inkColor   = "#1b1f24"
	trackColor = "#e4e8ec"
	// halo outlines a label drawn over lines with the background colour, under its fill, so
	// that lines passing behind it stop short of its letters.
	halo       = ` stroke="#ffffff" stroke-width="5" stroke-linejoin="round" paint-order="stroke"`
	fontSize   = 13
	maxXLabels = 6
	// charWidth is the room one character takes at the largest font a page may set for chart
	// text (18 units, on phones): margins and legend spacing are measured with it, so that
	// enlarged text still fits.
	charWidth = 10
)

// Series is one named sequence of values, one per category of the chart.
type Series struct {
	// Name is shown in the legend and the hover titles.
	Name string
	// Values are the figures in category order; a line chart stops where they end.
	Values []int
	// Color is a CSS colour; empty takes the next colour of the palette.
	Color string
	// Dash is the stroke-dasharray of a line series ("6 4"), so that lines differ by more than
	// colour; "" draws it solid.
	Dash string
}

// Frame is what every axis chart has: its names, its categories and its size.
type Frame struct {
	// ID makes the element ids of the chart unique on a page; empty derives one from Title.
	ID string
	// Title names the chart (<title>); Desc says what it shows in a sentence (<desc>).
	Title, Desc string
	// Labels name the categories along the x axis (days, say); only some are printed when many.
	Labels []string
	// Empty is printed across the plot when no value is above zero; "" prints nothing.
	Empty string
	// Width and Height are the viewBox size; zero means 480 × 300.
	Width, Height int
}

// Bars is a bar chart: for each category, one bar per series.
type Bars struct {
	Frame
	Series []Series
	// Overlay draws the series' bars on top of each other at full width, later series in front,
	// for figures nested in each other (valid forms within received forms); otherwise the bars
	// of a category stand side by side.
	Overlay bool
}

// Lines is a line chart of series over the categories, with an optional horizontal target.
type Lines struct {
	Frame
	Series []Series
	// Target draws a dashed horizontal line at this value when above zero, labelled TargetLabel.
	Target      int
	TargetLabel string
}

// Meter is a small horizontal bar showing Value out of Max, for a table cell.
type Meter struct {
	Value, Max int
	// Title names what the bar shows, read by screen readers and shown on hover.
	Title string
	// Color fills the done part; empty is the palette's dark blue.
	Color string
}

// SVG renders the meter as a 100 × 12 bar that stretches to whatever width CSS gives it; a
// Value above Max fills it, a Max of zero leaves it empty.
func (m Meter) SVG() template.HTML {
	color := m.Color
	if color == "" {
		color = palette[1]
	}
	w := 0.0
	if m.Max > 0 && m.Value > 0 {
		w = 100 * math.Min(1, float64(m.Value)/float64(m.Max))
	}
	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="meter" viewBox="0 0 100 12" width="100" height="12" preserveAspectRatio="none" role="img" focusable="false">`)
	fmt.Fprintf(&b, `<title>%s</title>`, esc(m.Title))
	fmt.Fprintf(&b, `<rect x="0" y="0" width="100" height="12" rx="2" fill="%s"/>`, trackColor)
	if w > 0 {
		fmt.Fprintf(&b, `<rect x="0" y="0" width="%s" height="12" rx="2" fill="%s"/>`, num(w), esc(color))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// plot holds the geometry shared by the axis charts.
type plot struct {
	f                        Frame
	id                       string
	w, h                     float64
	left, right, top, bottom float64 // edges of the plotting area
	yMax, yStep              int
}

func newPlot(f Frame, maxValue int) *plot {
	p := &plot{f: f, w: 480, h: 300}
	if f.Width > 0 && f.Height > 0 {
		p.w, p.h = float64(f.Width), float64(f.Height)
	}
	p.id = f.ID
	if p.id == "" {
		h := fnv.New32a()
		h.Write([]byte(f.Title + "\x00" + f.Desc))
		p.id = fmt.Sprintf("chart-%08x", h.Sum32())
	}
	p.yStep, p.yMax = scale(maxValue)
	// Room on the left for the widest tick label, below for the x labels and the legend.
	p.left = float64(12 + len(vn.Int(int64(p.yMax)))*charWidth)
	p.right, p.top, p.bottom = p.w-12, 24, p.h-60
	return p
}

// scale picks a step of 1, 2 or 5 × 10^k that splits maxValue into at most five intervals, and
// the axis maximum it gives; an empty chart gets 0–4.
func scale(maxValue int) (step, top int) {
	if maxValue <= 0 {
		return 1, 4
	}
	step = 1
	for mag := 1; ; mag *= 10 {
		for _, m := range []int{1, 2, 5} {
			if step = m * mag; (maxValue+step-1)/step <= 5 {
				return step, (maxValue + step - 1) / step * step
			}
		}
	}
}

func (p *plot) n() int { return len(p.f.Labels) }

// band is the width of one category along the x axis.
func (p *plot) band() float64 {
	if p.n() == 0 {
		return p.right - p.left
	}
	return (p.right - p.left) / float64(p.n())
}

// x is the centre of category i.
func (p *plot) x(i int) float64 { return p.left + p.band()*(float64(i)+0.5) }

// y is the height of value v.
func (p *plot) y(v int) float64 {
	return p.bottom - (p.bottom-p.top)*float64(v)/float64(p.yMax)
}

// open writes the svg element, its title and desc, the grid, the y ticks and the x labels.
func (p *plot) open(b *strings.Builder) {
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 %s %s" role="img" aria-labelledby="%s-t %s-d" font-size="%d" preserveAspectRatio="xMidYMid meet">`,
		num(p.w), num(p.h), p.id, p.id, fontSize)
	fmt.Fprintf(b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, p.id, esc(p.f.Title), p.id, esc(p.f.Desc))
	b.WriteString(`<g class="grid" aria-hidden="true">`)
	for v := 0; v <= p.yMax; v += p.yStep {
		y := p.y(v)
		color := gridColor
		if v == 0 {
			color = axisColor
		}
		fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1"/>`, num(p.left), num(y), num(p.right), num(y), color)
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="end" dominant-baseline="middle" fill="%s">%s</text>`, num(p.left-6), num(y), axisColor, vn.Int(int64(v)))
	}
	every := (p.n() + maxXLabels - 1) / maxXLabels
	for i := 0; i < p.n(); i += max(every, 1) {
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="middle" fill="%s">%s</text>`, num(p.x(i)), num(p.bottom+18), axisColor, esc(p.f.Labels[i]))
	}
	b.WriteString(`</g>`)
}

// empty prints the Empty text across the plot.
func (p *plot) empty(b *strings.Builder) {
	if p.f.Empty == "" {
		return
	}
	fmt.Fprintf(b, `<text class="empty" x="%s" y="%s" text-anchor="middle" dominant-baseline="middle" fill="%s">%s</text>`,
		num((p.left+p.right)/2), num((p.top+p.bottom)/2), axisColor, esc(p.f.Empty))
}

// legendItem is one entry of a chart's legend.
type legendItem struct {
	name, color string
	line        bool
	dash        string
}

// legend writes the legend in one row under the x labels.
func (p *plot) legend(b *strings.Builder, items []legendItem) {
	if len(items) == 0 {
		return
	}
	b.WriteString(`<g class="legend">`)
	x, y := p.left, p.bottom+44
	for _, it := range items {
		if it.line {
			dash := ""
			if it.dash != "" {
				dash = ` stroke-dasharray="` + esc(it.dash) + `"`
			}
			fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="3"%s/>`, num(x), num(y), num(x+22), num(y), esc(it.color), dash)
		} else {
			fmt.Fprintf(b, `<rect x="%s" y="%s" width="14" height="14" fill="%s"/>`, num(x+4), num(y-7), esc(it.color))
		}
		fmt.Fprintf(b, `<text x="%s" y="%s" dominant-baseline="middle" fill="%s">%s</text>`, num(x+28), num(y), inkColor, esc(it.name))
		x += 28 + float64(utf8.RuneCountInString(it.name)*charWidth) + 20
	}
	b.WriteString(`</g>`)
}

func colors(series []Series) []string {
	out := make([]string, len(series))
	for i, s := range series {
		out[i] = s.Color
		if out[i] == "" {
			out[i] = palette[i%len(palette)]
		}
	}
	return out
}

func maxOf(series []Series) int {
	m := 0
	for _, s := range series {
		for _, v := range s.Values {
			m = max(m, v)
		}
	}
	return m
}

// value is series s's value for category i, zero where it has none.
func value(s Series, i int) int {
	if i < len(s.Values) && s.Values[i] > 0 {
		return s.Values[i]
	}
	return 0
}

// hover is the title of one category: its label and every series' value.
func hover(label string, series []Series, i int) string {
	parts := make([]string, len(series))
	for k, s := range series {
		parts[k] = s.Name + ": " + vn.Int(int64(value(s, i)))
	}
	return label + " — " + strings.Join(parts, "; ")
}

// SVG renders the bar chart.
func (c Bars) SVG() template.HTML {
	p := newPlot(c.Frame, maxOf(c.Series))
	cols := colors(c.Series)
	var b strings.Builder
	p.open(&b)
	k := len(c.Series)
	band := p.band()
	for i := range p.n() {
		if k == 0 {
			break
		}
		fmt.Fprintf(&b, `<g><title>%s</title>`, esc(hover(p.f.Labels[i], c.Series, i)))
		// A transparent full-height target makes the hover title easy to reach on thin bars.
		fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="transparent"/>`, num(p.left+band*float64(i)), num(p.top), num(band), num(p.bottom-p.top))
		for s, series := range c.Series {
			v := value(series, i)
			if v == 0 {
				continue
			}
			w, x := band*0.8, p.left+band*(float64(i)+0.1)
			if !c.Overlay {
				w = band * 0.8 / float64(k)
				x += w * float64(s)
			}
			fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>`, num(x), num(p.y(v)), num(w), num(p.bottom-p.y(v)), esc(cols[s]))
		}
		b.WriteString(`</g>`)
	}
	if maxOf(c.Series) == 0 {
		p.empty(&b)
	}
	items := make([]legendItem, len(c.Series))
	for i, s := range c.Series {
		items[i] = legendItem{name: s.Name, color: cols[i]}
	}
	p.legend(&b, items)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// SVG renders the line chart.
func (c Lines) SVG() template.HTML {
	p := newPlot(c.Frame, max(maxOf(c.Series), c.Target))
	cols := colors(c.Series)
	var b strings.Builder
	p.open(&b)
	if c.Target > 0 {
		y := p.y(c.Target)
		fmt.Fprintf(&b, `<g class="target"><line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="2" stroke-dasharray="8 5"/></g>`,
			num(p.left), num(y), num(p.right), num(y), TargetColor)
	}
	for s, series := range c.Series {
		n := min(len(series.Values), p.n())
		if n == 0 {
			continue
		}
		var d strings.Builder
		for i := range n {
			cmd := "L"
			if i == 0 {
				cmd = "M"
			}
			fmt.Fprintf(&d, "%s%s %s ", cmd, num(p.x(i)), num(p.y(value(series, i))))
		}
		dash := ""
		if series.Dash != "" {
			dash = ` stroke-dasharray="` + esc(series.Dash) + `"`
		}
		fmt.Fprintf(&b, `<g><title>%s</title><path d="%s" fill="none" stroke="%s" stroke-width="3" stroke-linejoin="round"%s/>`,
			esc(series.Name+": "+vn.Int(int64(value(series, n-1)))), strings.TrimSpace(d.String()), esc(cols[s]), dash)
		// A line that stops before the last category (today, on a campaign still running) has
		// its end marked, since that is the figure a reader looks for.
		if n < p.n() {
			fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="4" fill="%s"/>`, num(p.x(n-1)), num(p.y(value(series, n-1))), esc(cols[s]))
		}
		b.WriteString(`</g>`)
	}
	if c.Target > 0 {
		// The label is drawn after every line, on a halo of the background, so that no grid,
		// target or series line crosses its letters.
		label := vn.Int(int64(c.Target))
		if c.TargetLabel != "" {
			label = c.TargetLabel + ": " + label
		}
		fmt.Fprintf(&b, `<text class="target-label" x="%s" y="%s" text-anchor="end" fill="%s"%s>%s</text>`,
			num(p.right), num(p.y(c.Target)-6), TargetColor, halo, esc(label))
	}
	if maxOf(c.Series) == 0 {
		p.empty(&b)
	}
	items := make([]legendItem, 0, len(c.Series)+1)
	for i, s := range c.Series {
		items = append(items, legendItem{name: s.Name, color: cols[i], line: true, dash: s.Dash})
	}
	p.legend(&b, items)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// num writes a coordinate with at most one decimal.
func num(f float64) string {
	return strconv.FormatFloat(math.Round(f*10)/10, 'f', -1, 64)
}

// esc escapes text for an SVG element or attribute.
func esc(s string) string { return template.HTMLEscapeString(s) }
