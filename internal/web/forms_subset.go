package web

// subset lists the unit codes a matrix form was issued for (issue 12, item 6); empty when it
// covers every unit of its kind. The respondent page asks about these units only.
func (f *linkForm) subset() []string {
	ids := f.UnitIDs()
	if len(ids) == 0 {
		return nil
	}
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if code, ok := f.codes.units[id]; ok {
			out = append(out, code)
		}
	}
	return out
}

// Messages of issuing matrix forms for a list of units, for staff.
const (
	msgSubsetCount   = "Số phiếu cho danh sách đơn vị phải là số nguyên từ 1 đến %d."
	msgSubsetNoGroup = "Phát phiếu theo danh sách đơn vị cần chọn một nhóm dùng phiếu ma trận."
	msgSubsetAndUnit = "Đã ghi danh sách đơn vị thì không chọn một đơn vị: để «Tất cả»."
)
