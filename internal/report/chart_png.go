package report

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/text/unicode/norm"

	"github.com/parsurvey/parsurvey/data"
)

// The PNG geometry, in pixels: 1600 wide for a 160 mm text width (10 px per mm, 254 dpi), so
// that the chart prints sharp at its width in the DOCX.
const (
	pngW       = 1600
	pngPad     = 16
	pngTitle   = 60
	pngTicks   = 44
	pngBarH    = 40
	pngBarGap  = 14
	pngLabelW  = 540
	pngValueW  = 150
	pngMarkRow = 36
	pngText    = 30
	pngBold    = 34
	// ChartBarsPerImage is how many bars one image holds; a longer chart is cut into several,
	// each with its scale, so that none is taller than a page.
	ChartBarsPerImage = 40
)

var faces struct {
	once          sync.Once
	err           error
	regular, bold *opentype.Font
}

func loadFaces() error {
	faces.once.Do(func() {
		for _, f := range []struct {
			name string
			to   **opentype.Font
		}{{"fonts/DejaVuSans.ttf", &faces.regular}, {"fonts/DejaVuSans-Bold.ttf", &faces.bold}} {
			b, err := data.Fonts.ReadFile(f.name)
			if err != nil {
				faces.err = err
				return
			}
			if *f.to, err = opentype.Parse(b); err != nil {
				faces.err = err
				return
			}
		}
	})
	return faces.err
}

func face(f *opentype.Font, px float64) (font.Face, error) {
	return opentype.NewFace(f, &opentype.FaceOptions{Size: px, DPI: 72, Hinting: font.HintingFull})
}

// PNGs draws the chart as grey-scale PNG images of at most ChartBarsPerImage bars each: the
// title, a scale of five ticks, the marks as dashed lines labelled under the bars, and each
// bar's figure on a white ground so that no line crosses it.
func (c *Chart) PNGs() ([][]byte, error) {
	if c.Max <= 0 || math.IsNaN(c.Max) || math.IsInf(c.Max, 0) {
		return nil, fmt.Errorf("report: chart %q without a scale", c.Title)
	}
	if err := loadFaces(); err != nil {
		return nil, fmt.Errorf("report: chart fonts: %w", err)
	}
	small, err := face(faces.regular, pngText)
	if err != nil {
		return nil, err
	}
	defer small.Close()
	big, err := face(faces.bold, pngBold)
	if err != nil {
		return nil, err
	}
	defer big.Close()
	var out [][]byte
	for start := 0; start < len(c.Bars) || start == 0; start += ChartBarsPerImage {
		end := min(len(c.Bars), start+ChartBarsPerImage)
		title := c.Title
		if start > 0 {
			title += " (tiếp)"
		}
		b, err := c.draw(title, c.Bars[start:end], small, big)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
		if end >= len(c.Bars) {
			break
		}
	}
	return out, nil
}

func (c *Chart) draw(title string, bars []Bar, small, big font.Face) ([]byte, error) {
	step := pngBarH + pngBarGap
	plotTop := pngPad + pngTitle + pngTicks
	plotBottom := plotTop + max(1, len(bars))*step
	x0 := pngPad + pngLabelW
	plotW := pngW - x0 - pngValueW - pngPad
	scale := func(v float64) int { return x0 + int(float64(plotW)*math.Max(0, math.Min(v, c.Max))/c.Max+0.5) }
	rows, markRows := markRowsOf(c.Marks, func(m Mark) (int, int) {
		w := measure(small, m.Label)
		return scale(m.Value) - w/2, w
	})
	h := plotBottom + markRows*pngMarkRow + pngPad + 8
	img := image.NewGray(image.Rect(0, 0, pngW, h))
	fill(img, img.Bounds(), 255)

	write(img, big, pngPad, pngPad+pngBold, fitText(big, title, pngW-2*pngPad), 0)
	for k := 0; k <= 4; k++ {
		v := c.Max * float64(k) / 4
		x := scale(v)
		vline(img, x, plotTop-6, plotBottom, 2, 205, false)
		s := tick(v)
		write(img, small, x-measure(small, s)/2, plotTop-12, s, 80)
	}
	if c.Axis != "" {
		write(img, small, pngW-pngPad-measure(small, c.Axis), plotTop-12, c.Axis, 80)
	}
	vline(img, x0, plotTop-6, plotBottom, 3, 0, false)
	for _, m := range c.Marks {
		vline(img, scale(m.Value), plotTop-2, plotBottom, 3, 40, true)
	}
	for i, b := range bars {
		y := plotTop + i*step + pngBarGap/2
		if w := scale(b.Value) - x0; w > 0 {
			fill(img, image.Rect(x0, y, x0+w, y+pngBarH), 110)
		}
		label := fitText(small, b.Label, pngLabelW-16)
		base := y + pngBarH - 8
		write(img, small, x0-10-measure(small, label), base, label, 0)
		x := scale(b.Value) + 8
		fill(img, image.Rect(x-4, y, x+measure(small, b.Text)+4, y+pngBarH), 255)
		write(img, small, x, base, b.Text, 0)
	}
	for i, m := range c.Marks {
		x := scale(m.Value)
		write(img, small, x-measure(small, m.Label)/2, plotBottom+pngMarkRow*(1+rows[i])-6, m.Label, 40)
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("report: chart %q: %w", c.Title, err)
	}
	return buf.Bytes(), nil
}

// markRowsOf puts each mark's label on the first row below the bars where it overlaps no
// other label, given its left edge and width; it returns each mark's row and the rows used.
func markRowsOf(marks []Mark, span func(Mark) (left, width int)) ([]int, int) {
	const gap = 12
	rows := make([]int, len(marks))
	var ends [][][2]int // per row, the spans taken
	for i, m := range marks {
		l, w := span(m)
		r := 0
		for ; r < len(ends); r++ {
			free := true
			for _, e := range ends[r] {
				if l < e[1]+gap && e[0] < l+w+gap {
					free = false
					break
				}
			}
			if free {
				break
			}
		}
		if r == len(ends) {
			ends = append(ends, nil)
		}
		ends[r] = append(ends[r], [2]int{l, l + w})
		rows[i] = r
	}
	return rows, len(ends)
}

func fill(img *image.Gray, r image.Rectangle, level uint8) {
	draw.Draw(img, r, image.NewUniform(color.Gray{Y: level}), image.Point{}, draw.Src)
}

// vline draws a vertical line w pixels wide, dashed if asked.
func vline(img *image.Gray, x, y0, y1, w int, level uint8, dashed bool) {
	for y := y0; y < y1; y++ {
		if dashed && (y-y0)%18 >= 10 {
			continue
		}
		for dx := 0; dx < w; dx++ {
			img.SetGray(x-w/2+dx, y, color.Gray{Y: level})
		}
	}
}

func write(img *image.Gray, f font.Face, x, baseline int, s string, level uint8) {
	d := font.Drawer{Dst: img, Src: image.NewUniform(color.Gray{Y: level}), Face: f, Dot: fixed.P(x, baseline)}
	d.DrawString(norm.NFC.String(s))
}

func measure(f font.Face, s string) int { return font.MeasureString(f, norm.NFC.String(s)).Ceil() }

// fitText shortens s with an ellipsis until it fits the width.
func fitText(f font.Face, s string, width int) string {
	s = norm.NFC.String(s)
	if measure(f, s) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && measure(f, string(r)+"…") > width {
		r = r[:len(r)-1]
	}
	return strings.TrimSpace(string(r)) + "…"
}

// tick writes a scale value briefly with a decimal comma: 8, 2,5, 0,25.
func tick(v float64) string {
	s := strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.2f", v), "0"), ".")
	return strings.Replace(s, ".", ",", 1)
}
