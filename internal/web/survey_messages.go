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

// Question kinds on the questionnaire page (issue 12, item 4).
const (
	// msgShowIf says when a question is asked, for a page without its script: the earlier
	// question's number and the options that ask it.
	msgShowIf = "Chỉ trả lời nếu ở câu %d Ông/Bà chọn %s."
	// msgOpenLabel labels an open question's text box, with its length limit.
	msgOpenLabel = "Ý kiến của Ông/Bà (không bắt buộc, tối đa %s ký tự):"
)
