package export

import (
	"fmt"
	"io"
	"math/big"
	"strconv"

	"github.com/parsurvey/parsurvey/internal/pdf"
	"github.com/parsurvey/parsurvey/internal/scorerun"
	"github.com/parsurvey/parsurvey/internal/scoring"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// maxDetailUnits is how many units still get their own criteria table in the PDF report; a
// larger campaign finds them in the workbook instead.
const maxDetailUnits = 120

// WriteReportPDF writes the run's report for the appraisal council, in Vietnamese: the run and
// the forms behind it, the method, the ranking of each kind of unit as a chart and a table, the
// points per area, the warnings, the forms per group, and each unit's criteria tree.
func WriteReportPDF(w io.Writer, run *scorerun.Run) error {
	if err := pdf.WriteReport(w, ReportOf(run)); err != nil {
		return fmt.Errorf("export: PDF report of run %d: %w", run.ID, err)
	}
	return nil
}

// ReportOf lays out the run's report as the pdf package draws it.
func ReportOf(run *scorerun.Run) *pdf.Report {
	def := run.Def
	tot := run.Totals()
	r := &pdf.Report{
		Title: "BÁO CÁO KẾT QUẢ ĐIỀU TRA XÃ HỘI HỌC XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH",
		Lines: []string{def.Name, "Đơn vị thực hiện: " + def.Organizer,
			fmt.Sprintf("Lần tính điểm số %d lúc %s · người thực hiện: %s", run.ID, vn.DateTime(run.CreatedAt), orCLIName(run.CreatedBy))},
		Footer: fmt.Sprintf("%s · lần tính điểm %d · %s", def.Code, run.ID, shortHash(run.InputDigest)),
	}
	r.Sections = append(r.Sections, pdf.Section{
		Heading: "1. Thông tin chung",
		Paragraphs: []string{
			fmt.Sprintf("Phần điều tra xã hội học có %s điểm trong thang 100 điểm của Chỉ số cải cách hành chính. Báo cáo dùng định nghĩa đợt khảo sát phiên bản %d.",
				vn.Decimal(def.SurveyPoints.Rat(), 2), run.CampaignVersion),
			fmt.Sprintf("Phiếu thu về: %s; hợp lệ: %s; không hợp lệ: %s; chưa xét: %s. Phiếu dạng ma trận được tính một lần cho mỗi đơn vị mà nó đánh giá. Phiếu không hợp lệ được lưu giữ cùng lý do và không được tính điểm.",
				vn.Int(tot.Forms), vn.Int(tot.Valid), vn.Int(tot.Invalid), vn.Int(tot.Pending)),
			fmt.Sprintf("Mã đối chiếu dữ liệu đầu vào: %s. Mã đối chiếu kết quả: %s. Tính lại với cùng dữ liệu đầu vào cho cùng kết quả.", run.InputDigest, run.ResultDigest),
		},
	})
	r.Sections = append(r.Sections, pdf.Section{Heading: "2. Phương pháp tính điểm", Bullets: run.Method.Statement})

	ranked := Ranking(run.Result, def)
	byKind := map[string][]*scoring.UnitResult{}
	var kinds []string
	for _, u := range ranked {
		if _, ok := byKind[u.Kind]; !ok {
			kinds = append(kinds, u.Kind)
		}
		byKind[u.Kind] = append(byKind[u.Kind], u)
	}
	maxPoints, _ := def.SurveyPoints.Rat().Float64()
	var marks []pdf.Mark
	for _, b := range def.Bands {
		if b.MinPercent > 0 {
			v, _ := new(big.Rat).Mul(def.SurveyPoints.Rat(), new(big.Rat).Quo(b.MinPercent.Rat(), big.NewRat(100, 1))).Float64()
			marks = append(marks, pdf.Mark{Value: v, Label: fmt.Sprintf("%s %s%%", b.Name, vn.Decimal(b.MinPercent.Rat(), 0))})
		}
	}
	for i, k := range kinds {
		units := byKind[k]
		sec := pdf.Section{Heading: fmt.Sprintf("3.%d. Xếp hạng: %s", i+1, KindName(def, k)), NewPage: i == 0}
		if maxPoints > 0 {
			chart := &pdf.BarChart{Title: "Tổng điểm điều tra xã hội học", Max: maxPoints, Marks: marks, Axis: "điểm"}
			for _, u := range units {
				v, _ := u.Total.Float64()
				chart.Bars = append(chart.Bars, pdf.Bar{Label: UnitName(def, u.Unit), Value: v, Text: scoring.FormatVN(u.Total)})
			}
			sec.Chart = chart
		}
		t := &pdf.Table{Columns: []pdf.Column{{Title: "Hạng", Width: 7, Right: true}, {Title: "Mã", Width: 10}, {Title: "Đơn vị", Width: 38},
			{Title: "Tổng điểm", Width: 12, Right: true}, {Title: "Tỷ lệ (%)", Width: 11, Right: true}, {Title: "Xếp loại", Width: 12},
			{Title: "Phiếu hợp lệ", Width: 10, Right: true}}}
		for _, u := range units {
			var forms int64
			for _, g := range u.Groups {
				forms += g.Forms
			}
			pctText := ""
			if u.Percent != nil {
				pctText = scoring.FormatVN(u.Percent)
			}
			t.Rows = append(t.Rows, pdf.TableRow{Cells: []string{strconv.Itoa(u.Rank), u.Unit, UnitName(def, u.Unit), scoring.FormatVN(u.Total), pctText, u.BandName, vn.Int(forms)}})
		}
		sec.Table = t
		sec.Notes = []string{"Xếp hạng theo giá trị chính xác của tổng điểm; đơn vị bằng điểm đồng hạng và hạng kế tiếp bị bỏ qua. Điểm làm tròn nửa lên đến 2 chữ số thập phân."}
		r.Sections = append(r.Sections, sec)
	}

	// Points per area: units as rows, areas as columns.
	cols := []pdf.Column{{Title: "Đơn vị", Width: 30}}
	for _, a := range def.Areas {
		cols = append(cols, pdf.Column{Title: fmt.Sprintf("%s (%s)", a.Code, vn.Decimal(a.Points.Rat(), 2)), Width: 9, Right: true})
	}
	cols = append(cols, pdf.Column{Title: "Tổng", Width: 10, Right: true})
	areas := &pdf.Table{Columns: cols}
	for _, u := range ranked {
		row := []string{UnitName(def, u.Unit)}
		for _, a := range u.Areas {
			row = append(row, scoring.FormatVN(a.Points))
		}
		areas.Rows = append(areas.Rows, pdf.TableRow{Cells: append(row, scoring.FormatVN(u.Total))})
	}
	var legend []string
	for _, a := range def.Areas {
		legend = append(legend, fmt.Sprintf("Lĩnh vực %s: %s (tối đa %s điểm).", a.Code, a.Name, vn.Decimal(a.Points.Rat(), 2)))
	}
	r.Sections = append(r.Sections, pdf.Section{Heading: "4. Điểm theo lĩnh vực", NewPage: true, Table: areas, Notes: legend})

	// Warnings, and the forms of each group.
	warn := &pdf.Table{Columns: []pdf.Column{{Title: "Đơn vị", Width: 28}, {Title: "Cảnh báo", Width: 16}, {Title: "Nội dung", Width: 56}}}
	for i := range run.Result.Units {
		u := &run.Result.Units[i]
		for _, f := range u.Flags {
			warn.Rows = append(warn.Rows, pdf.TableRow{Cells: []string{UnitName(def, u.Unit), f.Code.Label(), f.Message}})
		}
	}
	sec := pdf.Section{Heading: "5. Cảnh báo"}
	if len(warn.Rows) == 0 {
		sec.Paragraphs = []string{"Không có cảnh báo: mọi nhóm đủ số phiếu hợp lệ tối thiểu và mọi tiêu chí thành phần đều có dữ liệu."}
	} else {
		sec.Paragraphs = []string{fmt.Sprintf("Nhóm có ít hơn %d phiếu hợp lệ cho một đơn vị không được tính cho đơn vị đó (thiếu phiếu); tiêu chí thành phần không có dữ liệu được 0 điểm.", run.Method.MinForms)}
		sec.Table = warn
	}
	r.Sections = append(r.Sections, sec)

	groups := &pdf.Table{Columns: []pdf.Column{{Title: "Nhóm", Width: 8}, {Title: "Tên nhóm", Width: 44}, {Title: "Trọng số", Width: 10, Right: true},
		{Title: "Phiếu thu về", Width: 12, Right: true}, {Title: "Hợp lệ", Width: 12, Right: true}, {Title: "Không hợp lệ", Width: 12, Right: true}}}
	for _, g := range def.Groups {
		var t struct{ forms, valid, invalid int64 }
		for _, x := range run.Tally {
			if x.Group == g.Code {
				t.forms, t.valid, t.invalid = t.forms+x.Forms, t.valid+x.Valid, t.invalid+x.Invalid
			}
		}
		weight := "1"
		for _, mg := range run.Method.Groups {
			if mg.Code == g.Code {
				weight = decimalComma(mg.Weight)
			}
		}
		if g.Imported() {
			groups.Rows = append(groups.Rows, pdf.TableRow{Cells: []string{g.Code, g.Name + " (tỷ lệ nhập từ nguồn ngoài)", weight, "—", "—", "—"}})
			continue
		}
		groups.Rows = append(groups.Rows, pdf.TableRow{Cells: []string{g.Code, g.Name, weight, vn.Int(t.forms), vn.Int(t.valid), vn.Int(t.invalid)}})
	}
	r.Sections = append(r.Sections, pdf.Section{Heading: "6. Phiếu theo nhóm đối tượng", Table: groups})

	// Each unit's criteria tree.
	if len(ranked) <= maxDetailUnits {
		for i := range run.Result.Units {
			u := &run.Result.Units[i] // definition order, where a reader looks a unit up
			t := &pdf.Table{Columns: []pdf.Column{{Title: "Mã", Width: 9}, {Title: "Lĩnh vực / tiêu chí / tiêu chí thành phần", Width: 61},
				{Title: "Tối đa", Width: 10, Right: true}, {Title: "Điểm", Width: 10, Right: true}, {Title: "Tỷ lệ (%)", Width: 10, Right: true}}}
			for ai, a := range u.Areas {
				da := def.Areas[ai]
				t.Rows = append(t.Rows, pdf.TableRow{Bold: true, Shade: true, Cells: []string{a.Code, da.Name, vn.Decimal(a.Max.Rat(), 2), scoring.FormatVN(a.Points), percentOf(a.Points, a.Max.Rat())}})
				for ci, c := range a.Criteria {
					dc := da.Criteria[ci]
					t.Rows = append(t.Rows, pdf.TableRow{Bold: true, Cells: []string{c.Code, dc.Name, vn.Decimal(c.Max.Rat(), 2), scoring.FormatVN(c.Points), percentOf(c.Points, c.Max.Rat())}})
					for si, sc := range c.Subs {
						name := dc.Subs[si].Name
						if sc.NoData {
							name += " (không có dữ liệu)"
						}
						t.Rows = append(t.Rows, pdf.TableRow{Cells: []string{sc.Code, name, vn.Decimal(sc.Max.Rat(), 2), scoring.FormatVN(sc.Points), percentOf(sc.Points, sc.Max.Rat())}})
					}
				}
			}
			head := fmt.Sprintf("7.%d. %s — %s điểm, hạng %d", i+1, UnitName(def, u.Unit), scoring.FormatVN(u.Total), u.Rank)
			if u.BandName != "" {
				head += ", xếp loại " + u.BandName
			}
			var notes []string
			for _, f := range u.Flags {
				notes = append(notes, "Ghi chú: "+f.Message)
			}
			r.Sections = append(r.Sections, pdf.Section{Heading: head, NewPage: i == 0, Table: t, Notes: notes})
		}
	} else {
		r.Sections = append(r.Sections, pdf.Section{Heading: "7. Điểm chi tiết từng đơn vị", Paragraphs: []string{
			fmt.Sprintf("Đợt khảo sát có %s đơn vị; điểm từng lĩnh vực, tiêu chí và tiêu chí thành phần của mỗi đơn vị có trong tệp Excel của cùng lần tính điểm (trang “%s”).", vn.Int(int64(len(ranked))), SheetSubs)}})
	}
	return r
}

// percentOf is points over max as a Vietnamese percentage; "" when max is 0.
func percentOf(points, max *big.Rat) string {
	if max.Sign() == 0 {
		return ""
	}
	return scoring.FormatVN(new(big.Rat).Mul(new(big.Rat).Quo(points, max), big.NewRat(100, 1)))
}

func orCLIName(by string) string {
	if by == "" {
		return "dòng lệnh"
	}
	return by
}

func shortHash(d string) string {
	if len(d) > 19 {
		return d[:19]
	}
	return d
}

// decimalComma writes "0.75" as "0,75".
func decimalComma(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			return s[:i] + "," + s[i+1:]
		}
	}
	return s
}
