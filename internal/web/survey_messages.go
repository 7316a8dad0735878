package web

// Messages of the respondents' pages added with drafts and the step view; the older ones are
// in messages.go.
const (
	msgRespondentErrorTitle = "Chưa thực hiện được"
	msgRespondentInternal   = "Hệ thống gặp lỗi khi xử lý phiếu. Các câu trả lời Ông/Bà đã chọn vẫn được giữ; vui lòng thử lại sau ít phút. Nếu lỗi lặp lại, xin liên hệ theo thông tin dưới đây."
	msgTooManyDrafts        = "Phiếu được lưu tạm quá nhiều lần trong một phút. Vui lòng đợi một phút rồi lưu lại; các câu trả lời vẫn được giữ trên máy."
	msgDraftAnsweredJSON    = "Phiếu này đã được gửi."
	msgDraftStaleJSON       = "Bản lưu tạm đã được cập nhật từ thiết bị khác."
)
