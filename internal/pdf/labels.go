package pdf

// The words printed on questionnaires and slips, kept together so they read as one text.
const (
	labelFormCode     = "MÃ PHIẾU"
	labelForm         = "Mẫu phiếu"
	labelUnit         = "Đơn vị được đánh giá:"
	labelMatrixUnits  = "Phiếu đánh giá nhiều đơn vị"
	labelScanToAnswer = "Trả lời trực tuyến: quét mã QR hoặc vào"
	labelRespondent   = "THÔNG TIN VỀ NGƯỜI TRẢ LỜI"
	labelOptional     = "(không bắt buộc)"
	labelQuestion     = "Câu"
	labelUnitColumn   = "Đơn vị"
	labelPage         = "Trang"
	labelThanks       = "Xin trân trọng cảm ơn sự hợp tác của Ông/Bà!"
	slipInstruction   = "Quét mã QR hoặc nhập địa chỉ sau vào trình duyệt để trả lời trực tuyến:"
	slipDeadline      = "Hạn trả lời: hết ngày %s"
	labelContact      = "Liên hệ:"
	labelPhone        = "ĐT"
	labelEmail        = "thư điện tử"
)

// Skip logic on paper (skips.go).
const (
	labelOnlyIf  = "(Chỉ trả lời nếu ở câu %d chọn %s.)"
	labelJump    = "→ Nếu chọn %s, chuyển sang câu %d."
	labelJumpEnd = "→ Nếu chọn %s, bỏ qua các câu còn lại."
)
