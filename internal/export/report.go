package export

import (
	"fmt"
	"io"

	"github.com/parsurvey/parsurvey/internal/docx"
	"github.com/parsurvey/parsurvey/internal/pdf"
	"github.com/parsurvey/parsurvey/internal/report"
	"github.com/parsurvey/parsurvey/internal/scorerun"
)

// WriteReportPDF writes the run's analysis report for the appraisal council as a PDF, from the
// run alone: without frequency tables or open-ended answers (see WriteReport).
func WriteReportPDF(w io.Writer, run *scorerun.Run) error {
	return WriteReport(w, "pdf", report.Input{Run: run})
}

// WriteReport writes the analysis report (internal/report composes it once) as "pdf" or
// "docx".
func WriteReport(w io.Writer, format string, in report.Input) error {
	doc := report.Build(in)
	var err error
	switch format {
	case "pdf":
		err = pdf.WriteReport(w, ReportOf(doc))
	case "docx":
		err = writeDOCX(w, doc)
	default:
		err = fmt.Errorf("unknown format %q", format)
	}
	if err != nil {
		return fmt.Errorf("export: %s report of run %d: %w", format, in.Run.ID, err)
	}
	return nil
}

// ReportOf lays the report out as the pdf package draws it: each block of a section becomes a
// section of its own, the first carrying the heading.
func ReportOf(doc *report.Document) *pdf.Report {
	h := doc.Head
	r := &pdf.Report{
		Head:  &pdf.Heading{Superior: h.Superior, Issuer: h.Issuer, Number: h.Number, Name: report.NationalName, Motto: report.NationalMotto, PlaceDate: h.PlaceDate},
		Title: doc.Title, Lines: doc.Subtitle, Footer: doc.Footer,
		Sign: &pdf.SignOff{Recipients: doc.Sign.Recipients, Title: doc.Sign.Title, Signer: doc.Sign.Signer},
	}
	r.Sections = pdfSections(doc.Sections)
	r.Annexes = pdfSections(doc.Annexes)
	return r
}

func pdfSections(secs []report.Section) []pdf.Section {
	var out []pdf.Section
	for _, s := range secs {
		first := pdf.Section{Heading: s.Heading, NewPage: s.NewPage}
		if len(s.Blocks) == 0 {
			out = append(out, first)
			continue
		}
		for i, b := range s.Blocks {
			p := pdf.Section{}
			if i == 0 {
				p = first
			}
			switch {
			case b.Text != "":
				p.Paragraphs = []string{b.Text}
			case b.Bullets != nil:
				p.Bullets = b.Bullets
			case b.Note != "":
				p.Notes = []string{b.Note}
			case b.Table != nil:
				t := &pdf.Table{}
				for _, c := range b.Table.Columns {
					t.Columns = append(t.Columns, pdf.Column{Title: c.Title, Width: c.Width, Right: c.Right})
				}
				for _, row := range b.Table.Rows {
					t.Rows = append(t.Rows, pdf.TableRow{Cells: row.Cells, Bold: row.Bold, Shade: row.Shade})
				}
				p.Table = t
			case b.Chart != nil:
				c := &pdf.BarChart{Title: b.Chart.Title, Max: b.Chart.Max, Axis: b.Chart.Axis}
				for _, x := range b.Chart.Bars {
					c.Bars = append(c.Bars, pdf.Bar{Label: x.Label, Value: x.Value, Text: x.Text})
				}
				for _, m := range b.Chart.Marks {
					c.Marks = append(c.Marks, pdf.Mark{Value: m.Value, Label: m.Label})
				}
				p.Chart = c
			}
			out = append(out, p)
		}
	}
	return out
}

// chartWidthMM is the width of a chart in the DOCX: the whole text width.
const chartWidthMM = 160

// writeDOCX lays the report out as a Word document.
func writeDOCX(w io.Writer, doc *report.Document) error {
	d := docx.New(w, doc.Title+" "+doc.Subtitle[0])
	h := doc.Head
	center := func(text string, bold bool, size float64) docx.Paragraph {
		return docx.Paragraph{Style: "Plain", Align: docx.Center, Before: -1, After: -1, Runs: []docx.Run{{Text: text, Bold: bold, Size: size}}}
	}
	var left []docx.Paragraph
	if h.Superior != "" {
		left = append(left, center(h.Superior, false, 12))
	}
	left = append(left, center(h.Issuer, true, 12), center("———————", false, 8), center(h.Number, false, 13))
	right := []docx.Paragraph{center(report.NationalName, true, 12),
		{Style: "Plain", Align: docx.Center, Before: -1, After: 6, Runs: []docx.Run{{Text: report.NationalMotto, Bold: true, Underline: true, Size: 13}}},
		{Style: "Plain", Align: docx.Center, Before: -1, After: -1, Runs: []docx.Run{{Text: h.PlaceDate, Italic: true, Size: 13}}}}
	if err := d.Layout(docx.Cell{Width: 38, Paragraphs: left}, docx.Cell{Width: 62, Paragraphs: right}); err != nil {
		return err
	}
	d.Paragraph(docx.Paragraph{Style: "Title", Before: 18, After: -1, Runs: []docx.Run{{Text: doc.Title}}})
	for _, s := range doc.Subtitle {
		d.Paragraph(docx.P("Subtitle", s))
	}
	if err := docxSections(d, doc.Sections); err != nil {
		return err
	}
	rec := []docx.Paragraph{{Style: "Plain", Before: 12, After: -1, Runs: []docx.Run{{Text: "Nơi nhận:", Bold: true, Italic: true, Size: 12}}}}
	for _, x := range doc.Sign.Recipients {
		rec = append(rec, docx.Paragraph{Style: "Plain", Before: -1, After: -1, Runs: []docx.Run{{Text: "- " + x, Size: 11}}})
	}
	sign := []docx.Paragraph{{Style: "Plain", Align: docx.Center, Before: 12, After: -1, Runs: []docx.Run{{Text: doc.Sign.Title, Bold: true, Size: 13}}},
		{Style: "Plain", Align: docx.Center, Before: -1, After: -1, Runs: []docx.Run{{Text: "\n\n\n\n", Size: 13}}}}
	if doc.Sign.Signer != "" {
		sign = append(sign, center(doc.Sign.Signer, true, 13))
	}
	if err := d.Layout(docx.Cell{Width: 45, Paragraphs: rec}, docx.Cell{Width: 55, Paragraphs: sign}); err != nil {
		return err
	}
	if err := docxSections(d, doc.Annexes); err != nil {
		return err
	}
	return d.Close()
}

func docxSections(d *docx.Document, secs []report.Section) error {
	for _, s := range secs {
		if s.NewPage {
			d.PageBreak()
		}
		d.Heading(s.Level, s.Heading)
		for _, b := range s.Blocks {
			switch {
			case b.Text != "":
				d.Text(b.Text)
			case b.Bullets != nil:
				d.Bullets(b.Bullets)
			case b.Note != "":
				d.Paragraph(docx.P("Note", b.Note))
			case b.Table != nil:
				t := docx.Table{Compact: b.Table.Compact}
				for _, c := range b.Table.Columns {
					t.Columns = append(t.Columns, docx.Column{Title: c.Title, Width: c.Width, Right: c.Right})
				}
				for _, row := range b.Table.Rows {
					t.Rows = append(t.Rows, docx.Row{Cells: row.Cells, Bold: row.Bold, Shade: row.Shade})
				}
				if err := d.Table(t); err != nil {
					return err
				}
			case b.Chart != nil:
				images, err := b.Chart.PNGs()
				if err != nil {
					return err
				}
				for _, img := range images {
					if err := d.Image(img, chartWidthMM, b.Chart.Title); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}
