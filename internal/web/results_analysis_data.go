package web

import (
	"fmt"
	"io"

	"github.com/gofiber/fiber/v2"

	"github.com/parsurvey/parsurvey/internal/analysis"
	"github.com/parsurvey/parsurvey/internal/export"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// Words of the data downloads.
const (
	msgDataNoForm  = "Không có mẫu phiếu này trong đợt khảo sát."
	msgDataLayout  = "Dạng bảng không hợp lệ: chọn “wide” (một dòng mỗi phiếu) hoặc “long” (một dòng mỗi câu trả lời)."
	msgDataDialect = "Kiểu CSV không hợp lệ: chọn “comma” (dấu phẩy, số thập phân có dấu chấm) hoặc “vi” (dấu chấm phẩy, cho Excel tiếng Việt)."
)

// dataRows streams the responses of some groups of the campaign for a data file written while
// the handler runs.
func (s *Server) dataRows(c *fiber.Ctx, cp *store.Campaign) export.DataRows {
	return func(groups []string, fn func(*store.ResponseRow) error) error {
		return s.db.DataRows(c.UserContext(), cp.ID, groups, fn)
	}
}

// dataTexts reads the open-ended answers of a questionnaire of the campaign for a data file.
func (s *Server) dataTexts(c *fiber.Ctx, cp *store.Campaign) export.DataTexts {
	return func(form string) (map[analysis.TextKey]string, error) {
		rows, err := s.db.TextAnswers(c.UserContext(), cp.ID, store.TextFilter{Questionnaire: form})
		if err != nil {
			return nil, err
		}
		out := make(map[analysis.TextKey]string, len(rows))
		for _, r := range rows {
			out[analysis.TextKey{Response: r.ResponseID, Unit: r.Unit, Question: r.Question}] = r.Body
		}
		return out, nil
	}
}

// analysisDataXLSX downloads the analysis-ready workbook: a sheet per questionnaire and the
// codebook.
func (s *Server) analysisDataXLSX(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	def, err := s.db.Effective(c.UserContext(), cp)
	if err != nil {
		return err
	}
	attachment(c, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", fmt.Sprintf("du-lieu-%s.xlsx", cp.Code))
	return sendSpooled(c, func(w io.Writer) error { return export.WriteDataXLSX(w, def, s.dataRows(c, cp), s.dataTexts(c, cp)) })
}

// analysisDataCSV downloads one questionnaire's data as CSV: ?layout=long for one row per
// answer, ?dialect=vi for semicolons and a decimal comma.
func (s *Server) analysisDataCSV(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	def, err := s.db.Effective(c.UserContext(), cp)
	if err != nil {
		return err
	}
	form := vn.NFC(c.Params("form"))
	if q := def.Questionnaire(form); q == nil || len(analysis.GroupsOf(def, form)) == 0 {
		return &Error{Status: fiber.StatusNotFound, Msg: msgDataNoForm}
	}
	long := false
	switch c.Query("layout") {
	case "", "wide":
	case "long":
		long = true
	default:
		return &Error{Status: fiber.StatusBadRequest, Msg: msgDataLayout}
	}
	dialect, suffix := export.DialectDefault, ""
	switch c.Query("dialect") {
	case "", "comma":
	case "vi":
		dialect, suffix = export.DialectVietnamese, "-excel-vn"
	default:
		return &Error{Status: fiber.StatusBadRequest, Msg: msgDataDialect}
	}
	name := fmt.Sprintf("du-lieu-%s-%s", cp.Code, form)
	if long {
		name += "-dai"
	}
	attachment(c, "text/csv; charset=utf-8", name+suffix+".csv")
	return sendSpooled(c, func(w io.Writer) error {
		return export.WriteDataCSV(w, def, form, long, dialect, s.dataRows(c, cp), s.dataTexts(c, cp))
	})
}
