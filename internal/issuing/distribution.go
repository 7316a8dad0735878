package issuing

import (
	"context"
	"io"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/csvcell"
	"github.com/parsurvey/parsurvey/internal/sheet"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// distributionHeader is the distribution list's columns. "Đường dẫn" is the short link printed
// on the form; the full link by token, which forms printed before the short links carry, comes
// last.
var distributionHeader = []string{"Mã phiếu", "Nhóm", "Tên nhóm", "Đơn vị", "Tên đơn vị", "Kênh", "Đường dẫn", "Điều tra viên", "Ngày giao", "Trạng thái", "Đường dẫn đầy đủ"}

// status names an issued form's state for people.
func status(f *store.IssuedForm) string {
	switch {
	case f.Voided():
		return "Đã hủy: " + f.VoidReason
	case f.Answered:
		return "Đã nhận phiếu"
	case f.Reserve:
		return "Dự phòng"
	}
	return "Đã phát"
}

func (s *Service) distributionRows(ctx context.Context, c *store.Campaign, sel Selection, fn func([]string) error) error {
	return s.DB.Forms(ctx, c.ID, store.FormFilter{Group: sel.Group, Unit: sel.Unit, WithVoided: true}, func(f *store.IssuedForm) error {
		groupName, unit, unitName := "", f.Unit, f.UnitName
		if g := c.Def.Group(f.Group); g != nil {
			groupName = g.Name
			if unit == "" && len(f.Units) > 0 {
				unit, unitName = "MT", subsetLabel(c.Def, g, f.Units)
			} else if unit == "" {
				unit, unitName = "MT", "Các "+kindName(c.Def, g.Evaluates)
			}
		}
		channel := campaign.Channel(f.Channel).Title()
		return fn([]string{f.Code, f.Group, groupName, unit, unitName, channel, s.FormLink(f), f.Enumerator, vn.Date(f.AssignedAt), status(f), s.Link(f.Token)})
	})
}

func kindName(d *campaign.Definition, code string) string {
	if k := d.Kind(code); k != nil {
		return k.Name
	}
	return code
}

// WriteDistributionCSV writes the distribution list as CSV with a UTF-8 byte order mark, so
// that Excel opens the Vietnamese correctly; names that look like formulas are neutralised.
func (s *Service) WriteDistributionCSV(ctx context.Context, c *store.Campaign, sel Selection, w io.Writer) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csvcell.NewWriter(w)
	if err := cw.Write(distributionHeader); err != nil {
		return err
	}
	if err := s.distributionRows(ctx, c, sel, cw.Write); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// WriteDistributionXLSX writes the distribution list as an XLSX workbook, streamed row by row.
func (s *Service) WriteDistributionXLSX(ctx context.Context, c *store.Campaign, sel Selection, w io.Writer) error {
	widths := []float64{18, 8, 40, 9, 40, 12, 44, 24, 12, 22, 60}
	return sheet.Write(w, "Danh sách phát phiếu", distributionHeader, widths, func(emit func([]string) error) error {
		return s.distributionRows(ctx, c, sel, emit)
	})
}
