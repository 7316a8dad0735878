package export

import (
	"bufio"
	"fmt"
	"io"
	"strconv"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/csvcell"
	"github.com/parsurvey/parsurvey/internal/scorerun"
	"github.com/parsurvey/parsurvey/internal/scoring"
	"github.com/parsurvey/parsurvey/internal/store"
)

// bom makes Excel read the file as UTF-8, so Vietnamese letters survive a double click.
const bom = "\ufeff"

// WriteResponsesCSV writes every response, one row per form and unit, with the same columns as
// the workbook's "Phiếu" sheet: UTF-8 with a BOM, comma-separated, answers as option numbers,
// names that look like formulas neutralised.
func WriteResponsesCSV(w io.Writer, def *campaign.Definition, rows Rows) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := bw.WriteString(bom); err != nil {
		return fmt.Errorf("export: responses CSV: %w", err)
	}
	cw := csvcell.NewWriter(bw)
	l := newResponseLayout(def)
	if err := cw.Write(l.header()); err != nil {
		return fmt.Errorf("export: responses CSV: %w", err)
	}
	n := 0
	rec := make([]string, 0, 13+l.questions)
	err := rows(false, func(r *store.ResponseRow) error {
		n++
		rec = append(append(rec[:0], strconv.Itoa(n)), l.fixed(r)...)
		for i := 0; i < len(r.Answers); i++ {
			a := "" // blank
			switch v := answerCell(r.Answers[i]).(type) {
			case int:
				a = strconv.Itoa(v)
			case string:
				a = v
			}
			rec = append(rec, a)
		}
		return cw.Write(rec)
	})
	if err != nil {
		return fmt.Errorf("export: responses CSV: %w", err)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("export: responses CSV: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("export: responses CSV: %w", err)
	}
	return nil
}

// WriteScoresCSV writes the run's scores, one row per unit in ranking order: kind, rank, unit,
// total, percent, band, valid forms, then the points of every sub-criterion (its code heads the
// column), rounded half up to 2 decimals with a dot. UTF-8 with a BOM; names that look like
// formulas are neutralised.
func WriteScoresCSV(w io.Writer, run *scorerun.Run) error {
	def := run.Def
	if _, err := io.WriteString(w, bom); err != nil {
		return fmt.Errorf("export: scores CSV: %w", err)
	}
	cw := csvcell.NewWriter(w)
	head := []string{"Loại đơn vị", "Hạng", "Mã đơn vị", "Tên đơn vị", "Tổng điểm", "Tỷ lệ (%)", "Xếp loại", "Phiếu hợp lệ", "Tổng điểm (giá trị chính xác)"}
	codes := subCodes(def)
	head = append(head, codes...)
	if err := cw.Write(head); err != nil {
		return fmt.Errorf("export: scores CSV: %w", err)
	}
	for _, u := range Ranking(run.Result, def) {
		fu := feedUnit(run, u)
		rec := []string{fu.KindName, strconv.Itoa(u.Rank), u.Unit, fu.Name, scoring.Round2(u.Total), scoring.Round2(u.Percent), u.BandName,
			strconv.FormatInt(fu.ValidForms, 10), u.Total.RatString()}
		for _, code := range codes {
			if s := u.Sub(code); s != nil {
				rec = append(rec, scoring.Round2(s.Points))
			} else {
				rec = append(rec, "") // not in the tree of the unit's kind
			}
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("export: scores CSV: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("export: scores CSV: %w", err)
	}
	return nil
}

// subCodes lists the sub-criterion codes of every kind's tree (Definition.TreeFor), each once,
// in tree order.
func subCodes(def *campaign.Definition) []string {
	var out []string
	seen := map[string]bool{}
	trees := [][]campaign.Area{def.Areas}
	for _, k := range def.Kinds {
		trees = append(trees, def.TreeFor(k.Code))
	}
	for _, t := range trees {
		for _, a := range t {
			for _, c := range a.Criteria {
				for _, s := range c.Subs {
					if !seen[s.Code] {
						seen[s.Code] = true
						out = append(out, s.Code)
					}
				}
			}
		}
	}
	return out
}
