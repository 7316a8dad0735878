package validation

// Codes are every reason code, in the order of domain.md "Valid forms".
var Codes = []Code{NotIssued, Voided, WrongGroup, WrongUnit, OutsideWindow, Duplicate, BadAnswers, TooFewAnswers, NotVerified}

// Labels are the Vietnamese names of the rules the codes name, as staff pages, data files and
// their codebooks show them; read them through Code.Label, never change them.
var Labels = map[Code]string{
	NotIssued:     "Mã phiếu không được phát hành",
	Voided:        "Mã phiếu đã bị hủy",
	WrongGroup:    "Mã phiếu thuộc nhóm đối tượng khác",
	WrongUnit:     "Đánh giá đơn vị không đúng với mã phiếu",
	OutsideWindow: "Nhận ngoài thời gian khảo sát",
	Duplicate:     "Mã phiếu đã có phiếu được nhận trước",
	BadAnswers:    "Câu trả lời không khớp mẫu phiếu",
	TooFewAnswers: "Trả lời chưa đủ số câu hỏi tính điểm tối thiểu",
	NotVerified:   "Phiếu giấy: hai lần nhập chưa khớp, chưa được xử lý",
}

// Label is the Vietnamese name of the rule the code names; a code this binary does not know
// (stored by a newer one) reads "Lý do khác (code)".
func (c Code) Label() string {
	if l, ok := Labels[c]; ok {
		return l
	}
	return "Lý do khác (" + string(c) + ")"
}
