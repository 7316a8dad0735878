package intake

// What respondents and keyers read when intake refuses their input, in Vietnamese.
const (
	msgFix           = "Phiếu còn câu trả lời cần sửa."
	msgFieldMissing  = "Vui lòng chọn «%s»."
	msgFieldInvalid  = "Lựa chọn cho «%s» không hợp lệ."
	msgAnswerInvalid = "Lựa chọn không hợp lệ cho câu hỏi này."
	msgTooFewAnswers = "Ông/Bà mới trả lời %d/%d câu hỏi; cần trả lời ít nhất %d câu để phiếu hợp lệ."
)

// What an institute reads about an import row refused at the last moment.
const (
	msgImportClash  = "mã phiếu vừa được nhận qua kênh khác trong lúc tải tệp"
	msgImportKeying = "mã phiếu đang được nhập tay từ phiếu giấy"
)
