package outreach

import (
	"io"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/csvcell"
	"github.com/parsurvey/parsurvey/internal/sheet"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// smsHeader is the SMS gateway file's columns: the number, the text, and for staff the name and
// how many messages the gateway bills (Vietnamese with diacritics travels as UCS-2).
var smsHeader = []string{"Số điện thoại", "Nội dung", "Họ và tên", "Số ký tự", "Số tin nhắn"}

// Segments is how many SMS a text takes in UCS-2: 70 characters fit in one, 67 in each part of
// a longer one.
func Segments(text string) int {
	n := len(utf16.Encode([]rune(text)))
	if n <= 70 {
		return 1
	}
	return (n + 66) / 67
}

func smsRow(o Outgoing) []string {
	n := len(utf16.Encode([]rune(o.Text.Body)))
	return []string{o.Person.Phone, o.Text.Body, o.Person.Name, strconv.Itoa(n), strconv.Itoa(Segments(o.Text.Body))}
}

// WriteSMSCSV writes the messages as a CSV file for an SMS gateway (UTF-8 with a byte order
// mark, through csvcell so that no cell runs as a formula).
func WriteSMSCSV(w io.Writer, box []Outgoing) error {
	rows := make([][]string, len(box))
	for i, o := range box {
		rows[i] = smsRow(o)
	}
	return writeCSV(w, smsHeader, rows)
}

// WriteSMSXLSX writes the messages as a workbook for an SMS gateway; numbers stay text, so the
// leading 0 is kept.
func WriteSMSXLSX(w io.Writer, box []Outgoing) error {
	rows := make([][]string, len(box))
	for i, o := range box {
		rows[i] = smsRow(o)
	}
	return writeXLSX(w, "Tin nhắn", smsHeader, []float64{16, 90, 28, 10, 12}, rows)
}

// listHeader is the exported list's columns. A person's answers are not there, only whether
// they answered.
var listHeader = []string{"STT", "Nhóm", "Mã đơn vị", "Đơn vị được đánh giá", "Họ và tên", "Chức vụ", "Đơn vị công tác", "Số điện thoại",
	"Thư điện tử", "Mã phiếu", "Đường dẫn", "Thư mời", "Nhắc trả lời", "Đã mở đường dẫn", "Đã trả lời"}

func (s *Service) listRows(d *campaign.Definition, people []*store.Respondent) [][]string {
	rows := make([][]string, len(people))
	for i, p := range people {
		unit, unitName := p.Unit, ""
		if u := d.Unit(p.Unit); u != nil {
			unitName = u.Name
		} else if g := d.Group(p.Group); g != nil {
			unit, unitName = "MT", "Các đơn vị thuộc «"+kindName(d, g.Evaluates)+"»"
		}
		rows[i] = []string{strconv.Itoa(i + 1), p.Group, unit, unitName, p.Name, p.Position, p.Workplace, p.Phone, p.Email, p.Code, s.Link(p.Short, p.Token),
			HistoryText(p.History, Invitation), HistoryText(p.History, Reminder), yesNo(!p.Opened.IsZero()), answeredText(p)}
	}
	return rows
}

// HistoryText sums up the messages of a kind a person was sent: "Zalo 02/12/2026; Thư điện tử
// 03/12/2026 (lỗi)"; "" when none.
func HistoryText(h []store.Message, k Kind) string {
	var parts []string
	for _, m := range h {
		if m.Kind != string(k) {
			continue
		}
		at := m.Sent
		if at.IsZero() {
			at = m.Created
		}
		part := Channel(m.Channel).Label() + " " + vn.Date(at)
		switch m.Status {
		case "queued":
			part += " (đang chờ gửi)"
		case "failed":
			part += " (không gửi được)"
		case "skipped":
			part += " (không gửi)"
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, "; ")
}

func answeredText(p *store.Respondent) string {
	if p.Voided {
		return "Phiếu đã hủy"
	}
	return yesNo(p.Answered)
}

func yesNo(b bool) string {
	if b {
		return "Có"
	}
	return "Chưa"
}

func kindName(d *campaign.Definition, code string) string {
	if k := d.Kind(code); k != nil {
		return k.Name
	}
	return code
}

// WriteListCSV exports people of the lists as CSV (UTF-8 with a byte order mark, csvcell).
func (s *Service) WriteListCSV(w io.Writer, d *campaign.Definition, people []*store.Respondent) error {
	return writeCSV(w, listHeader, s.listRows(d, people))
}

// WriteListXLSX exports people of the lists as a workbook.
func (s *Service) WriteListXLSX(w io.Writer, d *campaign.Definition, people []*store.Respondent) error {
	return writeXLSX(w, "Danh sách người được mời", listHeader,
		[]float64{6, 8, 10, 32, 26, 22, 30, 14, 30, 16, 48, 28, 28, 12, 12}, s.listRows(d, people))
}

func writeCSV(w io.Writer, header []string, rows [][]string) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csvcell.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, r := range rows {
		if err := cw.Write(r); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeXLSX writes one sheet of text cells (internal/sheet).
func writeXLSX(w io.Writer, name string, header []string, widths []float64, rows [][]string) error {
	return sheet.Write(w, name, header, widths, func(emit func([]string) error) error {
		for _, r := range rows {
			if err := emit(r); err != nil {
				return err
			}
		}
		return nil
	})
}
