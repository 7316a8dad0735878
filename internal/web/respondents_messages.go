package web

// Messages of the respondent lists and the invitations pages.
const (
	msgListImportNoFile   = "Chọn tệp Excel (.xlsx) hoặc CSV (.csv) có danh sách để tải lên."
	msgListImportRejected = "Danh sách chưa được nhập: %d lỗi ở %d dòng. Không người nào được lưu và không phiếu nào được phát; sửa các dòng dưới đây rồi tải lên lại cả tệp."
	msgListImported       = "Đã nhập %s người từ tệp %s vào danh sách %s; mỗi người được phát một phiếu riêng (mã phiếu và đường dẫn)."
	msgListRefused        = "Chưa nhập được danh sách — vui lòng xem lại mục báo lỗi."
	msgListDestroyConfirm = "Để hủy danh sách, hãy gõ đúng mã đợt %s vào ô xác nhận."
	msgListDestroyed      = "Đã hủy danh sách người được mời: %s người và %s lượt gửi. Phiếu và câu trả lời vẫn được giữ, không còn gắn với tên người."
	msgListsGone          = "Danh sách người được mời của đợt này đã bị hủy lúc %s (%s). Không còn họ tên, số điện thoại hay thư điện tử nào."

	msgInviteRecorded = "Đã ghi nhận %s đã gửi qua %s cho %s người."
	msgInviteQueued   = "Đã xếp %s thư điện tử vào hàng gửi; việc gửi chạy nền, trang này cho biết tiến độ."
	msgInviteResumed  = "Đã tiếp tục gửi các thư còn chờ."
	msgSendNotFound   = "Không tìm thấy lượt gửi thư này."
)
