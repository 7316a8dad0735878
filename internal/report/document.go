// Package report composes the analysis report (báo cáo phân tích) of a score run once, as a
// document of headed sections of paragraphs, lists, tables and bar charts, which the DOCX and
// PDF writers then lay out (internal/export): the national heading and the issuer, the method,
// response rates, the ranking with bands, the points per area and criterion, the strongest and
// weakest units, where the respondent groups disagree, each unit's criteria tree, the
// open-ended answers, the signature block and the annexes.
package report

// Document is the report's content, in reading order.
type Document struct {
	Head Head
	// Title is the kind of document ("BÁO CÁO"); Subtitle the lines of what it is about.
	Title    string
	Subtitle []string
	Sections []Section
	Sign     SignOff
	// Annexes follow the signature (Phụ lục).
	Annexes []Section
	// Footer names the campaign and run on the PDF's pages.
	Footer string
}

// Head is the top of an administrative document: the issuing body (under its superior) on the
// left with the document number, the national heading on the right with the place and date.
type Head struct {
	Superior, Issuer string
	Number           string
	PlaceDate        string
}

// The national heading (Quốc hiệu and Tiêu ngữ) as Nghị định 30/2020/NĐ-CP prints it.
const (
	NationalName  = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
	NationalMotto = "Độc lập - Tự do - Hạnh phúc"
)

// SignOff is the end of the body: the recipients (Nơi nhận) on the left, the signer's title,
// room to sign and the signer's name on the right.
type SignOff struct {
	Recipients []string
	Title      string
	Signer     string
}

// Section is a heading and its blocks; Level 1 is a numbered part, 2 a sub-part.
type Section struct {
	Heading string
	Level   int
	NewPage bool
	Blocks  []Block
}

// Block is one piece of a section's content: exactly one of its fields is set.
type Block struct {
	Text    string
	Bullets []string
	Table   *Table
	Chart   *Chart
	// Note is a small-print remark under a table or chart.
	Note string
}

// Table is a table of text cells with a header row; Compact sets it in small type with narrow
// cell margins (the many columns of a frequency table).
type Table struct {
	Columns []Column
	Rows    []Row
	Compact bool
}

// Column is a table column: its heading, its share of the width and whether it holds figures
// (aligned right).
type Column struct {
	Title string
	Width float64
	Right bool
}

// Row is a table row; Bold for an area's line, Shade for a grey ground.
type Row struct {
	Cells []string
	Bold  bool
	Shade bool
}

// Chart is a horizontal bar chart: one bar per label on a scale from 0 to Max, with vertical
// marks (band thresholds).
type Chart struct {
	Title string
	Max   float64
	Bars  []Bar
	Marks []Mark
	// Axis names the scale ("điểm", "%").
	Axis string
}

// Bar is one bar: its label, its length and the figure printed beside it.
type Bar struct {
	Label string
	Value float64
	Text  string
}

// Mark is a vertical line at a value of the scale, labelled below the bars.
type Mark struct {
	Value float64
	Label string
}

func text(s string) Block          { return Block{Text: s} }
func note(s string) Block          { return Block{Note: s} }
func bullets(items []string) Block { return Block{Bullets: items} }
func tableBlock(t *Table) Block    { return Block{Table: t} }
func chartBlock(c *Chart) Block    { return Block{Chart: c} }
