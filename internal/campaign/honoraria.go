package campaign

// RespondentRate is what the respondent of one of the group's forms is paid: the group's own
// rate, else its level's (the kind it evaluates), else the default; 0 when the plan pays
// respondents nothing.
func (h Honoraria) RespondentRate(g *Group) int64 {
	if v, ok := h.Respondent.ByGroup[g.Code]; ok {
		return v
	}
	if v, ok := h.Respondent.ByKind[g.Evaluates]; ok {
		return v
	}
	return h.Respondent.Default
}

// EnumeratorUnitRate is what the enumerator is paid once for each unit of the kind surveyed:
// the level's own rate, else the enumerator default, else the older per_unit.
func (h Honoraria) EnumeratorUnitRate(kind string) int64 {
	if v, ok := h.Enumerator.ByKind[kind]; ok {
		return v
	}
	if h.Enumerator.Default != 0 {
		return h.Enumerator.Default
	}
	return h.PerUnit
}

// Counts reports whether a form that came in through the channel earns per-form honoraria:
// paper forms (keyed or imported from a file) always, online forms when the plan says so.
func (h Honoraria) Counts(c Channel) bool {
	switch c {
	case ChannelPaper, ChannelFileImport:
		return true
	case ChannelOnline:
		return h.Online
	}
	return false
}

// checkHonoraria refuses negative amounts and rates for kinds or groups the campaign does not
// have; a per-unit rate paid to enumerators has no per-group form.
func (l *loader) checkHonoraria(d *Definition, f string, kinds map[string]bool) {
	h := d.Honoraria
	if h.PerForm < 0 || h.PerUnit < 0 {
		l.add(f, "honoraria", "mức thù lao không được âm")
	}
	for _, r := range []struct {
		path  string
		rates Rates
	}{{"honoraria.respondent", h.Respondent}, {"honoraria.enumerator", h.Enumerator}} {
		if r.rates.Default < 0 {
			l.add(f, r.path+".default", "mức thù lao không được âm")
		}
		for _, k := range sortedKeys64(r.rates.ByKind) {
			p := r.path + ".by_kind." + k
			if !kinds[k] {
				l.add(f, p, "loại đơn vị %q chưa khai báo trong unit_kinds", k)
			}
			if r.rates.ByKind[k] < 0 {
				l.add(f, p, "mức thù lao không được âm")
			}
		}
		for _, code := range sortedKeys64(r.rates.ByGroup) {
			p := r.path + ".by_group." + code
			switch g := d.Group(code); {
			case r.path == "honoraria.enumerator":
				l.add(f, p, "thù lao điều tra viên tính theo đơn vị điều tra, không theo nhóm: dùng by_kind")
			case g == nil:
				l.add(f, p, "nhóm %q không tồn tại", code)
			case g.Imported():
				l.add(f, p, "nhóm %s nhập kết quả từ SIPAS, không có phiếu để trả thù lao", code)
			}
			if r.rates.ByGroup[code] < 0 {
				l.add(f, p, "mức thù lao không được âm")
			}
		}
	}
}

func sortedKeys64(m map[string]int64) []string {
	ints := make(map[string]int, len(m))
	for k := range m {
		ints[k] = 0
	}
	return sortedKeys(ints)
}
