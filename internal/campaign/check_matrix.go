package campaign

import (
	"fmt"
	"strings"
)

// A matrix group over a subset of units (issue 12, item 6): nobody rates a hundred communes, so a
// matrix form may be issued for a list of units fixed at issuing (a delegate's constituency).
// The group may ask for at least MinUnits units per form. A matrix form issued without a list
// covers every unit of the group's kind, as before.

// checkMatrix checks a group's min_units: only a matrix group has one, it is not negative, and
// the group's kind has that many units.
func (l *loader) checkMatrix(d *Definition, f, p string, g *Group, q *Questionnaire) {
	if g.MinUnits == 0 {
		return
	}
	p += ".min_units"
	switch units := len(d.UnitsOfKind(g.Evaluates)); {
	case g.MinUnits < 0:
		l.add(f, p, "số đơn vị tối thiểu không được âm")
	case g.Imported():
		l.add(f, p, "nhóm %s nhập kết quả từ SIPAS, không phát phiếu: bỏ min_units", g.Code)
	case q != nil && q.Shape != ShapeMatrix:
		l.add(f, p, "min_units chỉ dùng cho nhóm trả lời phiếu ma trận; mẫu %s là phiếu một đơn vị", q.Code)
	case units > 0 && g.MinUnits > units:
		l.add(f, p, "nhóm %s cần ít nhất %d đơn vị trên mỗi phiếu nhưng loại %q chỉ có %d đơn vị", g.Code, g.MinUnits, g.Evaluates, units)
	}
}

// Matrix reports whether the group answers a matrix form, one form about several units.
func (d *Definition) Matrix(g *Group) bool {
	q := d.Questionnaire(g.Form)
	return q != nil && q.Shape == ShapeMatrix
}

// MatrixUnits lists the units a matrix form of the group asks about, in definition order: the
// units it was issued for (by code), or every unit of the group's kind when it was issued for
// none. Codes the definition no longer has are left out.
func (d *Definition) MatrixUnits(g *Group, issued []string) []Unit {
	all := d.UnitsOfKind(g.Evaluates)
	if len(issued) == 0 {
		return all
	}
	want := make(map[string]bool, len(issued))
	for _, c := range issued {
		want[c] = true
	}
	out := make([]Unit, 0, len(issued))
	for _, u := range all {
		if want[u.Code] {
			out = append(out, u)
		}
	}
	return out
}

// SplitUnitList reads a list of unit codes as staff type it: separated by commas, semicolons,
// spaces or line breaks.
func SplitUnitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ';' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	})
}

// UnitSubset checks a list of unit codes a matrix form of the group is to be issued for and
// returns it in definition order: every code names a unit (compared without regard to case) of
// the kind the group evaluates, none twice, and at least the group's MinUnits of them. The
// error, written for staff, names the first code at fault.
func (d *Definition) UnitSubset(g *Group, codes []string) ([]string, error) {
	if !d.Matrix(g) {
		return nil, fmt.Errorf("nhóm %s trả lời phiếu một đơn vị: chỉ phiếu ma trận mới phát theo danh sách đơn vị", g.Code)
	}
	if len(codes) == 0 {
		return nil, fmt.Errorf("danh sách đơn vị của phiếu đang trống")
	}
	seen := map[string]bool{}
	for _, c := range codes {
		u := d.Unit(c)
		if u == nil {
			for i := range d.Units {
				if strings.EqualFold(d.Units[i].Code, c) {
					u = &d.Units[i]
					break
				}
			}
		}
		switch {
		case u == nil:
			return nil, fmt.Errorf("không có đơn vị %q trong đợt khảo sát", c)
		case u.Kind != g.Evaluates:
			return nil, fmt.Errorf("đơn vị %s (%s) thuộc loại %q, nhóm %s chỉ đánh giá loại %q", u.Code, u.Name, u.Kind, g.Code, g.Evaluates)
		case seen[u.Code]:
			return nil, fmt.Errorf("đơn vị %s ghi hai lần trong danh sách", u.Code)
		}
		seen[u.Code] = true
	}
	if len(seen) < g.MinUnits {
		return nil, fmt.Errorf("nhóm %s cần ít nhất %d đơn vị trên mỗi phiếu, danh sách mới có %d", g.Code, g.MinUnits, len(seen))
	}
	out := make([]string, 0, len(seen))
	for _, u := range d.UnitsOfKind(g.Evaluates) {
		if seen[u.Code] {
			out = append(out, u.Code)
		}
	}
	return out, nil
}
