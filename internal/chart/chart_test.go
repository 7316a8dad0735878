package chart

import (
	"encoding/xml"
	"html/template"
	"io"
	"strconv"
	"strings"
	"testing"
)

// element is one parsed SVG element with its attributes and direct text.
type element struct {
	name  string
	attrs map[string]string
	text  string
}

// parse reads the markup with encoding/xml, failing the test on any XML error, and returns
// every element in document order.
func parse(t *testing.T, h template.HTML) []element {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(string(h)))
	var out []element
	var stack []int
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, h)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			e := element{name: x.Name.Local, attrs: map[string]string{}}
			for _, a := range x.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			out = append(out, e)
			stack = append(stack, len(out)-1)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				out[stack[len(stack)-1]].text += string(x)
			}
		}
	}
	if len(out) == 0 || out[0].name != "svg" {
		t.Fatalf("markup does not start with <svg>: %s", h)
	}
	return out
}

func texts(els []element, name string) []string {
	var out []string
	for _, e := range els {
		if e.name == name {
			out = append(out, e.text)
		}
	}
	return out
}

func count(els []element, name string) int { return len(texts(els, name)) }

// inLegend reports whether element i belongs to the legend, which is drawn last, apart from
// the plot.
func inLegend(els []element, i int) bool {
	for j := range els {
		if els[j].name == "g" && els[j].attrs["class"] == "legend" {
			return i > j
		}
	}
	return false
}

func attr(t *testing.T, e element, name string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(e.attrs[name], 64)
	if err != nil {
		t.Fatalf("<%s %s=%q> is not a number", e.name, name, e.attrs[name])
	}
	return v
}

// inBounds checks that every shape lies inside the svg's viewBox and no coordinate is NaN.
func inBounds(t *testing.T, els []element) {
	t.Helper()
	vb := strings.Fields(els[0].attrs["viewBox"])
	if len(vb) != 4 {
		t.Fatalf("viewBox %q", els[0].attrs["viewBox"])
	}
	w, _ := strconv.ParseFloat(vb[2], 64)
	h, _ := strconv.ParseFloat(vb[3], 64)
	within := func(e element, what string, v, limit float64) {
		if v < 0 || v > limit {
			t.Errorf("<%s> %s = %v is outside 0–%v", e.name, what, v, limit)
		}
	}
	for _, e := range els[1:] {
		switch e.name {
		case "rect":
			x, y := attr(t, e, "x"), attr(t, e, "y")
			within(e, "x", x, w)
			within(e, "y", y, h)
			within(e, "x+width", x+attr(t, e, "width"), w)
			within(e, "y+height", y+attr(t, e, "height"), h)
		case "line":
			within(e, "x1", attr(t, e, "x1"), w)
			within(e, "x2", attr(t, e, "x2"), w)
			within(e, "y1", attr(t, e, "y1"), h)
			within(e, "y2", attr(t, e, "y2"), h)
		case "text":
			within(e, "x", attr(t, e, "x"), w)
			within(e, "y", attr(t, e, "y"), h)
		case "circle":
			within(e, "cx", attr(t, e, "cx"), w)
			within(e, "cy", attr(t, e, "cy"), h)
		case "path":
			for _, f := range strings.Fields(strings.NewReplacer("M", " ", "L", " ").Replace(e.attrs["d"])) {
				v, err := strconv.ParseFloat(f, 64)
				if err != nil || v < 0 || v > max(w, h) {
					t.Errorf("path coordinate %q out of bounds", f)
				}
			}
		}
	}
}

func days(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = strconv.Itoa(i+1) + "/11"
	}
	return out
}

func TestBars(t *testing.T) {
	t.Run("a bar chart is well-formed XML inside its viewBox with its title, desc and legend", func(t *testing.T) {
		c := Bars{Frame: Frame{ID: "ngay", Title: "Phiếu nhận theo ngày", Desc: "Số phiếu nhận và hợp lệ mỗi ngày", Labels: days(5)},
			Series: []Series{{Name: "Đã nhận", Values: []int{3, 0, 7, 12, 1}}, {Name: "Hợp lệ", Values: []int{2, 0, 7, 10, 1}}}}
		els := parse(t, c.SVG())
		inBounds(t, els)
		if got := texts(els, "title"); got[0] != "Phiếu nhận theo ngày" {
			t.Fatalf("first title %q", got[0])
		}
		if els[0].attrs["role"] != "img" || els[0].attrs["aria-labelledby"] != "ngay-t ngay-d" {
			t.Fatalf("svg attributes %v", els[0].attrs)
		}
		if got := texts(els, "desc"); len(got) != 1 || got[0] != "Số phiếu nhận và hợp lệ mỗi ngày" {
			t.Fatalf("desc %q", got)
		}
		all := strings.Join(texts(els, "text"), "|")
		for _, want := range []string{"Đã nhận", "Hợp lệ", "1/11", "0", "15"} {
			if !strings.Contains(all, want) {
				t.Errorf("labels %q lack %q", all, want)
			}
		}
	})
	t.Run("each category carries a hover title with every series' figure", func(t *testing.T) {
		c := Bars{Frame: Frame{Title: "T", Labels: []string{"01/11", "02/11"}},
			Series: []Series{{Name: "Đã nhận", Values: []int{1234, 5}}, {Name: "Hợp lệ", Values: []int{1000}}}}
		got := strings.Join(texts(parse(t, c.SVG()), "title"), "|")
		for _, want := range []string{"01/11 — Đã nhận: 1.234; Hợp lệ: 1.000", "02/11 — Đã nhận: 5; Hợp lệ: 0"} {
			if !strings.Contains(got, want) {
				t.Errorf("titles %q lack %q", got, want)
			}
		}
	})
	t.Run("the tallest bar reaches no higher than the top of the axis and zero values draw no bar", func(t *testing.T) {
		c := Bars{Frame: Frame{Title: "T", Labels: days(3)}, Series: []Series{{Name: "A", Values: []int{0, 9, 0}}}}
		els := parse(t, c.SVG())
		var bars []element
		for _, e := range els {
			if e.name == "rect" && e.attrs["fill"] != "transparent" && e.attrs["width"] != "14" {
				bars = append(bars, e)
			}
		}
		if len(bars) != 1 {
			t.Fatalf("%d bars for one non-zero value", len(bars))
		}
		if y := attr(t, bars[0], "y"); y < 16 {
			t.Fatalf("bar top %v above the plot", y)
		}
	})
	t.Run("side-by-side bars of one category do not overlap, overlaid bars share their place", func(t *testing.T) {
		s := []Series{{Name: "A", Values: []int{4}}, {Name: "B", Values: []int{2}}}
		for _, overlay := range []bool{false, true} {
			els := parse(t, Bars{Frame: Frame{Title: "T", Labels: []string{"x"}}, Series: s, Overlay: overlay}.SVG())
			var xs []float64
			var w float64
			for _, e := range els {
				if e.name == "rect" && e.attrs["fill"] != "transparent" && e.attrs["width"] != "14" {
					xs = append(xs, attr(t, e, "x"))
					w = attr(t, e, "width")
				}
			}
			if len(xs) != 2 {
				t.Fatalf("%d bars", len(xs))
			}
			if overlay && xs[0] != xs[1] || !overlay && xs[1] < xs[0]+w {
				t.Fatalf("overlay=%v: bars at %v, width %v", overlay, xs, w)
			}
		}
	})
	t.Run("an empty chart is still valid, keeps its axis and says it has no data", func(t *testing.T) {
		for _, c := range []Bars{
			{Frame: Frame{Title: "T", Empty: "Chưa có phiếu"}},
			{Frame: Frame{Title: "T", Labels: days(61), Empty: "Chưa có phiếu"}, Series: []Series{{Name: "A"}, {Name: "B", Values: []int{0, 0}}}},
		} {
			h := c.SVG()
			if strings.Contains(string(h), "NaN") || strings.Contains(string(h), "Inf") {
				t.Fatalf("bad number in %s", h)
			}
			els := parse(t, h)
			inBounds(t, els)
			if !strings.Contains(strings.Join(texts(els, "text"), "|"), "Chưa có phiếu") {
				t.Fatal("empty text missing")
			}
		}
	})
	t.Run("many categories print only a few x labels", func(t *testing.T) {
		els := parse(t, Bars{Frame: Frame{Title: "T", Labels: days(61)}, Series: []Series{{Name: "A", Values: []int{1}}}}.SVG())
		n := 0
		for _, s := range texts(els, "text") {
			if strings.HasSuffix(s, "/11") {
				n++
			}
		}
		if n < 2 || n > maxXLabels {
			t.Fatalf("%d x labels for 61 days", n)
		}
	})
	t.Run("text is escaped so that markup in a name cannot break the chart", func(t *testing.T) {
		c := Bars{Frame: Frame{Title: `<script>"a" & b</script>`, Labels: []string{"<x>"}}, Series: []Series{{Name: "a&b", Values: []int{1}}}}
		h := string(c.SVG())
		if strings.Contains(h, "<script>") || strings.Contains(h, "<x>") {
			t.Fatalf("unescaped text in %s", h)
		}
		if got := texts(parse(t, c.SVG()), "title")[0]; got != `<script>"a" & b</script>` {
			t.Fatalf("title reads back as %q", got)
		}
	})
}

func TestLines(t *testing.T) {
	t.Run("a line chart draws each series, stops where its values end and marks the target", func(t *testing.T) {
		c := Lines{Frame: Frame{ID: "luyke", Title: "Lũy kế", Desc: "Lũy kế so với chỉ tiêu", Labels: days(10)},
			Series: []Series{{Name: "Đã nhận", Values: []int{1, 4, 9}, Dash: "6 4"}, {Name: "Hợp lệ", Values: []int{1, 3, 7}}},
			Target: 775, TargetLabel: "Chỉ tiêu"}
		els := parse(t, c.SVG())
		inBounds(t, els)
		if n := count(els, "path"); n != 2 {
			t.Fatalf("%d paths", n)
		}
		for _, e := range els {
			if e.name == "path" && strings.Count(e.attrs["d"], "L") != 2 {
				t.Fatalf("a line over 3 values has path %q", e.attrs["d"])
			}
		}
		all := strings.Join(texts(els, "text"), "|")
		for _, want := range []string{"Chỉ tiêu: 775", "Đã nhận", "Hợp lệ", "800"} {
			if !strings.Contains(all, want) {
				t.Errorf("labels %q lack %q", all, want)
			}
		}
		var dashed int
		for _, e := range els {
			if e.attrs["stroke-dasharray"] != "" {
				dashed++
			}
		}
		if dashed < 3 { // the target, the dashed series and its legend sample
			t.Fatalf("%d dashed elements", dashed)
		}
	})
	t.Run("the target sits at its value on the axis", func(t *testing.T) {
		els := parse(t, Lines{Frame: Frame{Title: "T", Labels: days(3)}, Series: []Series{{Name: "A", Values: []int{50, 100}}}, Target: 100}.SVG())
		var target, top float64 = -1, -1
		for i, e := range els {
			if e.name == "g" && e.attrs["class"] == "target" {
				target = attr(t, els[i+1], "y1")
			}
			if e.name == "circle" {
				top = attr(t, e, "cy")
			}
		}
		if target < 0 || target != top {
			t.Fatalf("target at y=%v, last point of a series reaching it at y=%v", target, top)
		}
	})
	t.Run("no line crosses the target's label: it is drawn after every line, on a halo of the background", func(t *testing.T) {
		// The lines reach the target at the right end, under its label, and the 800 grid line
		// passes through it.
		c := Lines{Frame: Frame{Title: "T", Labels: days(10)}, Target: 750, TargetLabel: "Chỉ tiêu",
			Series: []Series{{Name: "Hợp lệ", Values: []int{75, 150, 225, 300, 375, 450, 525, 600, 700, 800}}, {Name: "Nhịp đều", Values: []int{75, 150, 225, 300, 375, 450, 525, 600, 675, 750}, Dash: "2 5"}}}
		els := parse(t, c.SVG())
		label, lastLine := -1, -1
		for i, e := range els {
			switch {
			case e.name == "text" && e.text == "Chỉ tiêu: 750":
				label = i
			case e.name == "path" || (e.name == "line" && !inLegend(els, i)):
				lastLine = i
			}
		}
		if label < 0 {
			t.Fatal("no target label")
		}
		if label < lastLine {
			t.Errorf("a line (element %d, <%s>) is drawn over the target label (element %d)", lastLine, els[lastLine].name, label)
		}
		l := els[label]
		if l.attrs["stroke"] != "#ffffff" || l.attrs["paint-order"] != "stroke" || attr(t, l, "stroke-width") < 3 {
			t.Errorf("the label has no halo: %v", l.attrs)
		}
	})
	t.Run("only a line that stops before the last category has its end marked", func(t *testing.T) {
		els := parse(t, Lines{Frame: Frame{Title: "T", Labels: days(3)},
			Series: []Series{{Name: "today", Values: []int{1, 2}}, {Name: "pace", Values: []int{1, 2, 3}}}}.SVG())
		if n := count(els, "circle"); n != 1 {
			t.Fatalf("%d end markers", n)
		}
	})
	t.Run("an empty line chart has no path and is valid", func(t *testing.T) {
		els := parse(t, Lines{Frame: Frame{Title: "T", Labels: days(3), Empty: "Chưa có phiếu"}, Series: []Series{{Name: "A"}}}.SVG())
		inBounds(t, els)
		if count(els, "path") != 0 {
			t.Fatal("a path for a series without values")
		}
	})
	t.Run("charts without an ID get distinct ids from their titles", func(t *testing.T) {
		a := parse(t, Lines{Frame: Frame{Title: "A"}}.SVG())[0].attrs["aria-labelledby"]
		b := parse(t, Lines{Frame: Frame{Title: "B"}}.SVG())[0].attrs["aria-labelledby"]
		if a == b || a == "" {
			t.Fatalf("ids %q and %q", a, b)
		}
	})
}

func TestMeter(t *testing.T) {
	done := func(t *testing.T, m Meter) float64 {
		els := parse(t, m.SVG())
		inBounds(t, els)
		if got := texts(els, "title"); len(got) != 1 || got[0] != m.Title {
			t.Fatalf("title %q", got)
		}
		rects := 0
		w := 0.0
		for _, e := range els {
			if e.name == "rect" {
				rects++
				if rects == 2 {
					w = attr(t, e, "width")
				}
			}
		}
		return w
	}
	for _, c := range []struct {
		name string
		m    Meter
		want float64
	}{
		{"a meter fills the share of its maximum", Meter{Value: 3, Max: 12, Title: "25%"}, 25},
		{"a meter over its maximum is full, not longer", Meter{Value: 20, Max: 15, Title: "133%"}, 100},
		{"a meter with no maximum is an empty track", Meter{Value: 4, Max: 0, Title: "không áp dụng"}, 0},
		{"a meter at zero is an empty track", Meter{Value: 0, Max: 15, Title: "0%"}, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := done(t, c.m); got != c.want {
				t.Fatalf("done part %v wide, want %v", got, c.want)
			}
		})
	}
}

func TestScale(t *testing.T) {
	t.Run("the y axis steps by 1, 2 or 5 × 10^k in at most five intervals and covers the largest value", func(t *testing.T) {
		for _, c := range []struct{ max, step, top int }{
			{0, 1, 4}, {1, 1, 1}, {5, 1, 5}, {6, 2, 6}, {9, 2, 10}, {12, 5, 15}, {775, 200, 800}, {1000, 200, 1000}, {1001, 500, 1500},
		} {
			step, top := scale(c.max)
			if step != c.step || top != c.top {
				t.Errorf("scale(%d) = %d, %d; want %d, %d", c.max, step, top, c.step, c.top)
			}
		}
	})
}
