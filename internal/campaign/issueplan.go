package campaign

import "fmt"

// IssueTarget is how many forms one group needs for one unit (Unit "" for a matrix form, which
// covers every unit of the group's kind): the quota plus a reserve for lost or spoiled copies.
type IssueTarget struct {
	Group   string
	Unit    string
	Channel Channel
	Quota   int
	Reserve int
}

// IssuePlan lists the forms the campaign needs, for one group and one unit when given, with a
// reserve of reservePercent of each quota (rounded up). Imported groups need no forms.
func (d *Definition) IssuePlan(group, unit string, reservePercent int) ([]IssueTarget, error) {
	if reservePercent < 0 || reservePercent > 100 {
		return nil, fmt.Errorf("tỷ lệ dự phòng %d%% phải trong khoảng 0–100", reservePercent)
	}
	if group != "" && d.Group(group) == nil {
		return nil, fmt.Errorf("không có nhóm %q", group)
	}
	if unit != "" && d.Unit(unit) == nil {
		return nil, fmt.Errorf("không có đơn vị %q", unit)
	}
	var out []IssueTarget
	for _, g := range d.Groups {
		if g.Imported() || (group != "" && g.Code != group) {
			continue
		}
		ch := ChannelOnline
		if g.Has(ChannelPaper) {
			ch = ChannelPaper
		}
		reserve := func(q int) int { return (q*reservePercent + 99) / 100 }
		if q := d.Questionnaire(g.Form); q != nil && q.Shape == ShapeMatrix {
			if unit == "" {
				out = append(out, IssueTarget{Group: g.Code, Channel: ch, Quota: g.Quota, Reserve: reserve(g.Quota)})
			}
			continue
		}
		for _, u := range d.UnitsOfKind(g.Evaluates) {
			if unit != "" && u.Code != unit {
				continue
			}
			q := g.QuotaFor(u.Code)
			out = append(out, IssueTarget{Group: g.Code, Unit: u.Code, Channel: ch, Quota: q, Reserve: reserve(q)})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("không có phiếu nào cần phát cho lựa chọn này")
	}
	return out, nil
}
