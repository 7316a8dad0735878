package outreach

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/fault"
	"github.com/parsurvey/parsurvey/internal/paper"
	"github.com/parsurvey/parsurvey/internal/store"
)

// CheckList checks that a group × unit can have a list: the group answers online (its people
// are sent links), and the unit is one it evaluates, or none for a matrix group whose one form
// covers every unit. The error names the input to correct: "group" or "unit".
func CheckList(d *campaign.Definition, group, unit string) error {
	g := d.Group(group)
	switch {
	case group == "":
		return fault.Fields("Cần chọn nhóm đối tượng.", fault.Field{Name: "group", Msg: "Cần chọn nhóm đối tượng."})
	case g == nil:
		return fault.Fields("", fault.Field{Name: "group", Msg: fmt.Sprintf("Không có nhóm đối tượng %s trong đợt khảo sát này.", group)})
	case g.Imported():
		return fault.Fields("", fault.Field{Name: "group", Msg: fmt.Sprintf("Nhóm %s (%s) lấy kết quả từ khảo sát khác, không phát phiếu.", g.Code, g.Name)})
	case !g.Has(campaign.ChannelOnline):
		return fault.Fields("", fault.Field{Name: "group", Msg: fmt.Sprintf("Nhóm %s (%s) chỉ trả lời trên phiếu giấy; danh sách người được mời dùng cho nhóm trả lời trực tuyến.", g.Code, g.Name)})
	}
	q := d.Questionnaire(g.Form)
	matrix := q != nil && q.Shape == campaign.ShapeMatrix
	u := d.Unit(unit)
	switch {
	case matrix && unit != "":
		return fault.Fields("", fault.Field{Name: "unit", Msg: fmt.Sprintf("Nhóm %s dùng phiếu ma trận: mỗi người đánh giá mọi đơn vị trên một phiếu, nên danh sách không chọn đơn vị.", g.Code)})
	case matrix:
		return nil
	case unit == "":
		return fault.Fields("", fault.Field{Name: "unit", Msg: "Cần chọn đơn vị được đánh giá."})
	case u == nil:
		return fault.Fields("", fault.Field{Name: "unit", Msg: fmt.Sprintf("Không có đơn vị %s trong đợt khảo sát này.", unit)})
	case u.Kind != g.Evaluates:
		return fault.Fields("", fault.Field{Name: "unit", Msg: fmt.Sprintf("Nhóm %s không đánh giá đơn vị %s (%s).", g.Code, u.Code, u.Name)})
	}
	return nil
}

// ImportFile is an uploaded list for one group × unit.
type ImportFile struct {
	Campaign    *store.Campaign
	Group, Unit string
	// Name is the file's name: its extension says how to read it (.xlsx or .csv).
	Name   string
	Data   io.Reader
	UserID int64
}

// ImportResult is what an import did: the people stored (each issued a form), or every wrong row.
type ImportResult struct {
	Stored int
	Errors []paper.RowError
}

// Import reads a list, checks every row, and stores the people with a new form each, all of
// them or, when any row is wrong, none (every wrong row is reported with its line, column and
// reason, like the paper import).
func (s *Service) Import(ctx context.Context, f ImportFile) (ImportResult, error) {
	if err := CheckList(f.Campaign.Def, f.Group, f.Unit); err != nil {
		return ImportResult{}, err
	}
	if closed(s.db, f.Campaign) {
		return ImportResult{}, fault.New(fault.Closed, "Đợt khảo sát đã kết thúc: không nhận thêm danh sách.", nil)
	}
	table, err := paper.ReadTable(f.Name, f.Data)
	if err != nil {
		return ImportResult{Errors: []paper.RowError{{Line: 1, Msg: tableMessage(err)}}}, nil
	}
	phones, emails, err := s.db.ListContacts(ctx, f.Campaign.ID, f.Group, f.Unit)
	if err != nil {
		return ImportResult{}, err
	}
	people, errs := ParseList(table, Contacts{Phones: phones, Emails: emails})
	if len(errs) > 0 {
		return ImportResult{Errors: errs}, nil
	}
	n, err := s.db.AddRespondents(ctx, f.Campaign.ID, f.UserID, store.RespondentList{Group: f.Group, Unit: f.Unit, File: f.Name, People: people})
	var taken *store.ContactTakenError
	switch {
	case errors.As(err, &taken):
		// Another upload stored the same person meanwhile.
		col, what := ColumnEmail, "địa chỉ thư điện tử"
		if taken.Column == "phone" {
			col, what = ColumnPhone, "số điện thoại"
		}
		return ImportResult{Errors: []paper.RowError{{Line: taken.Line, Column: col, Msg: what + " đã có trong danh sách của nhóm và đơn vị này"}}}, nil
	case errors.Is(err, store.ErrSerialsUsedUp):
		return ImportResult{Errors: []paper.RowError{{Line: 1, Msg: strings.TrimPrefix(err.Error(), "store: form serials used up: ")}}}, nil
	case errors.Is(err, store.ErrListClosed):
		return ImportResult{}, fault.New(fault.Closed, "Đợt khảo sát đã khóa: không nhận thêm danh sách.", err)
	case err != nil:
		return ImportResult{}, err
	}
	return ImportResult{Stored: n}, nil
}

// tableMessage is a file that could not be read as a table, for the report; ReadTable's
// errors are written for staff, with the cause after a colon.
func tableMessage(err error) string {
	msg, _, _ := strings.Cut(err.Error(), ": ")
	return msg
}

// closed reports whether a campaign no longer takes forms: locked, or past its last day.
func closed(db *store.DB, c *store.Campaign) bool {
	_, end := c.Def.Window()
	return !c.LockedAt.IsZero() || !db.Now().Before(end)
}

// Closed reports whether a campaign is over, so that its lists may be destroyed.
func (s *Service) Closed(c *store.Campaign) bool { return closed(s.db, c) }

// Destroy deletes every list of a closed campaign, with every message sent (store
// DestroyRespondents, an audited action). An open campaign refuses: its lists still serve
// reminders.
func (s *Service) Destroy(ctx context.Context, c *store.Campaign, userID int64) (store.Destroyed, error) {
	if !closed(s.db, c) {
		return store.Destroyed{}, fault.New(fault.Conflict, "Chỉ hủy được danh sách khi đợt khảo sát đã kết thúc (đã khóa hoặc đã qua ngày cuối).", nil)
	}
	return s.db.DestroyRespondents(ctx, c.ID, userID)
}
