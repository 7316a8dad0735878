package outreach

import (
	"fmt"
	"io"
	"strings"

	"github.com/parsurvey/parsurvey/internal/csvcell"
	"github.com/parsurvey/parsurvey/internal/paper"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/xuri/excelize/v2"
)

// The columns of a list file, by key. Row 1 names them, by key or by the Vietnamese title.
const (
	ColumnName      = "ho_ten"
	ColumnPosition  = "chuc_vu"
	ColumnWorkplace = "don_vi_cong_tac"
	ColumnPhone     = "dien_thoai"
	ColumnEmail     = "email"
)

// listColumns are the template's columns in order, with their titles.
var listColumns = []struct{ Key, Title, Example string }{
	{ColumnName, "Họ và tên", "Nguyễn Văn An"},
	{ColumnPosition, "Chức vụ", "Phó Trưởng phòng"},
	{ColumnWorkplace, "Đơn vị công tác", "Phòng Tư pháp huyện Tân Phú"},
	{ColumnPhone, "Số điện thoại", "0912 345 678"},
	{ColumnEmail, "Thư điện tử", "nvan@tanphu.binhan.gov.vn"},
}

// columnAliases maps the folded titles an institute's own spreadsheet may use (headerKey) to a
// column key; "stt" and "ghi_chu" are accepted and not read.
var columnAliases = map[string]string{
	"ho_ten": ColumnName, "ho_va_ten": ColumnName, "ten": ColumnName,
	"chuc_vu": ColumnPosition, "chuc_danh": ColumnPosition,
	"don_vi_cong_tac": ColumnWorkplace, "noi_cong_tac": ColumnWorkplace, "co_quan": ColumnWorkplace, "don_vi": ColumnWorkplace,
	"dien_thoai": ColumnPhone, "so_dien_thoai": ColumnPhone, "sdt": ColumnPhone, "di_dong": ColumnPhone, "so_di_dong": ColumnPhone,
	"email": ColumnEmail, "e_mail": ColumnEmail, "thu_dien_tu": ColumnEmail, "dia_chi_email": ColumnEmail, "dia_chi_thu_dien_tu": ColumnEmail,
	"stt": "", "ghi_chu": "",
}

// MaxListRows caps the people of one file: a group × unit has no more form serials than that.
const MaxListRows = 9999

// ParseList reads the people of a list file (paper.ReadTable's cells) and checks every row: a
// name; a mobile number or an e-mail address, or both, well formed; nothing too long; and no
// number or address given twice, in the file or on the list already (taken). Every problem is
// reported with its line and column, the header being line 1; the rows without one are returned.
func ParseList(table [][]string, taken Contacts) ([]store.NewRespondent, []paper.RowError) {
	if len(table) == 0 || allEmpty(table[0]) {
		return nil, []paper.RowError{{Line: 1, Msg: "Tệp trống hoặc thiếu dòng tiêu đề (ho_ten, chuc_vu, don_vi_cong_tac, dien_thoai, email)"}}
	}
	var errs []paper.RowError
	cols := map[string]int{}
	for j, h := range table[0] {
		if strings.TrimSpace(h) == "" {
			continue
		}
		key, ok := columnAliases[headerKey(h)]
		switch {
		case !ok:
			errs = append(errs, paper.RowError{Line: 1, Column: h, Msg: "cột không được nhận: dùng ho_ten, chuc_vu, don_vi_cong_tac, dien_thoai, email (hoặc tiêu đề tiếng Việt của tệp mẫu)"})
		case key == "":
		default:
			if _, dup := cols[key]; dup {
				errs = append(errs, paper.RowError{Line: 1, Column: h, Msg: "cột bị lặp lại"})
			}
			cols[key] = j
		}
	}
	if _, ok := cols[ColumnName]; !ok {
		errs = append(errs, paper.RowError{Line: 1, Column: ColumnName, Msg: "thiếu cột họ và tên"})
	}
	_, hasPhone := cols[ColumnPhone]
	_, hasEmail := cols[ColumnEmail]
	if !hasPhone && !hasEmail {
		errs = append(errs, paper.RowError{Line: 1, Msg: "cần có cột số điện thoại (dien_thoai) hoặc cột thư điện tử (email) để gửi đường dẫn"})
	}
	if len(errs) > 0 {
		return nil, errs
	}
	cell := func(row []string, key string) string {
		if j, ok := cols[key]; ok && j < len(row) {
			return cleanText(row[j])
		}
		return ""
	}
	phoneLine, emailLine := map[string]int{}, map[string]int{}
	var out []store.NewRespondent
	people := 0
	for i, row := range table[1:] {
		line := i + 2
		if allEmpty(row) {
			continue
		}
		if people++; people > MaxListRows {
			errs = append(errs, paper.RowError{Line: line, Msg: fmt.Sprintf("một tệp có tối đa %d người; chia danh sách thành nhiều tệp", MaxListRows)})
			break
		}
		p := store.NewRespondent{Line: line, Name: cell(row, ColumnName), Position: cell(row, ColumnPosition), Workplace: cell(row, ColumnWorkplace)}
		bad := len(errs)
		switch {
		case p.Name == "":
			errs = append(errs, paper.RowError{Line: line, Column: ColumnName, Msg: "thiếu họ và tên"})
		case tooLong(p.Name, maxName):
			errs = append(errs, paper.RowError{Line: line, Column: ColumnName, Msg: fmt.Sprintf("họ và tên dài quá %d ký tự", maxName)})
		}
		if tooLong(p.Position, maxTitle) {
			errs = append(errs, paper.RowError{Line: line, Column: ColumnPosition, Msg: fmt.Sprintf("chức vụ dài quá %d ký tự", maxTitle)})
		}
		if tooLong(p.Workplace, maxTitle) {
			errs = append(errs, paper.RowError{Line: line, Column: ColumnWorkplace, Msg: fmt.Sprintf("đơn vị công tác dài quá %d ký tự", maxTitle)})
		}
		if raw := cell(row, ColumnPhone); raw != "" {
			ph, ok := mobilePhone(raw)
			switch {
			case !ok:
				errs = append(errs, paper.RowError{Line: line, Column: ColumnPhone, Msg: fmt.Sprintf("%q không phải số di động Việt Nam (10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09)", raw)})
			case phoneLine[ph] > 0:
				errs = append(errs, paper.RowError{Line: line, Column: ColumnPhone, Msg: fmt.Sprintf("số %s đã có ở dòng %d", ph, phoneLine[ph])})
			case taken.Phones[ph]:
				errs = append(errs, paper.RowError{Line: line, Column: ColumnPhone, Msg: fmt.Sprintf("số %s đã có trong danh sách của nhóm và đơn vị này", ph)})
			default:
				phoneLine[ph], p.Phone = line, ph
			}
		}
		if raw := cell(row, ColumnEmail); raw != "" {
			em, ok := emailAddress(raw)
			switch {
			case !ok:
				errs = append(errs, paper.RowError{Line: line, Column: ColumnEmail, Msg: fmt.Sprintf("%q không phải một địa chỉ thư điện tử (ví dụ ten@donvi.gov.vn)", raw)})
			case emailLine[em] > 0:
				errs = append(errs, paper.RowError{Line: line, Column: ColumnEmail, Msg: fmt.Sprintf("địa chỉ %s đã có ở dòng %d", em, emailLine[em])})
			case taken.Emails[em]:
				errs = append(errs, paper.RowError{Line: line, Column: ColumnEmail, Msg: fmt.Sprintf("địa chỉ %s đã có trong danh sách của nhóm và đơn vị này", em)})
			default:
				emailLine[em], p.Email = line, em
			}
		}
		if len(errs) == bad && p.Phone == "" && p.Email == "" {
			errs = append(errs, paper.RowError{Line: line, Column: ColumnPhone, Msg: "cần số điện thoại di động hoặc thư điện tử để gửi đường dẫn"})
		}
		if len(errs) == bad {
			out = append(out, p)
		}
	}
	if people == 0 && len(errs) == 0 {
		errs = append(errs, paper.RowError{Line: 2, Msg: "tệp không có người nào: từ dòng 2, mỗi dòng là một người"})
	}
	return out, errs
}

// Contacts are the mobile numbers and e-mail addresses already on a list.
type Contacts struct {
	Phones, Emails map[string]bool
}

func allEmpty(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// WriteTemplateCSV writes an empty list, its header alone (an example row would be imported as a
// person if left in), comma-separated UTF-8 with a byte order mark so that Excel reads the
// Vietnamese.
func WriteTemplateCSV(w io.Writer) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csvcell.NewWriter(w)
	var head []string
	for _, c := range listColumns {
		head = append(head, c.Key)
	}
	cw.Write(head)
	cw.Flush()
	return cw.Error()
}

// WriteTemplateXLSX writes an empty list as a workbook: the header (keys) with the phone column
// as text, so that Excel keeps the leading 0, and a guide with an example on a second sheet.
func WriteTemplateXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Danh sách"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49})
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	for i, c := range listColumns {
		col, _ := excelize.ColumnNumberToName(i + 1)
		f.SetColWidth(sheet, col, col, 30)
		if c.Key == ColumnPhone {
			f.SetColStyle(sheet, col, text)
		}
		f.SetCellValue(sheet, col+"1", c.Key)
		f.SetCellStyle(sheet, col+"1", col+"1", bold)
	}
	// The guide goes on a sheet of its own: only the first sheet is read back.
	const guide = "Hướng dẫn"
	if _, err := f.NewSheet(guide); err != nil {
		return err
	}
	f.SetColWidth(guide, "A", "A", 110)
	var example []string
	for _, c := range listColumns {
		example = append(example, c.Title+": "+c.Example)
	}
	for i, line := range []string{
		"Trang «Danh sách»: dòng 1 giữ nguyên tên cột; từ dòng 2, mỗi dòng là một người.",
		"Ví dụ một dòng — " + strings.Join(example, "; ") + ".",
		"ho_ten: họ và tên (bắt buộc). chuc_vu, don_vi_cong_tac: không bắt buộc.",
		"dien_thoai: số di động (10 chữ số, bắt đầu bằng 03, 05, 07, 08, 09); email: một địa chỉ thư điện tử. Mỗi người cần ít nhất một trong hai.",
		"Một số điện thoại hoặc địa chỉ thư chỉ có một lần trong danh sách của một nhóm và đơn vị.",
		"Nếu có dòng sai, không dòng nào được lưu; trang kết quả liệt kê mọi dòng sai kèm cột và lý do.",
	} {
		f.SetCellValue(guide, fmt.Sprintf("A%d", i+1), line)
	}
	_, err = f.WriteTo(w)
	return err
}
