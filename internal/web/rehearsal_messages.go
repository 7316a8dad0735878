package web

// Messages of the rehearsal pages (rehearsal*.go), shown to administrators and analysts.
const (
	msgRehearsalBanner     = "Đây là bản diễn tập, không phải số liệu thật."
	msgRehearsalOff        = "Chức năng diễn tập chưa được bật trên dịch vụ này."
	msgRehearsalRunning    = "Một lượt diễn tập của đợt này đang chạy. Vui lòng chờ lượt đó xong."
	msgRehearsalExists     = "Đợt này đã có một bản diễn tập. Hãy xóa bản đó trước khi diễn tập lại."
	msgRehearsalNone       = "Đợt này chưa có bản diễn tập nào."
	msgRehearsalFailed     = "Lượt diễn tập gặp lỗi và không hoàn thành. Hãy xóa bản diễn tập rồi thử lại; nếu lỗi lặp lại, hãy báo quản trị viên."
	msgRehearsalUnreadable = "Không đọc được bản diễn tập của đợt này. Hãy xóa bản đó; nếu không xóa được, hãy báo quản trị viên."
	msgRehearsalResponses  = "Số phiếu phải là số nguyên từ 1 đến %s."
	msgRehearsalSeed       = "Hạt giống phải là số nguyên không âm, ví dụ 1."
	msgRehearsalRefused    = "Chưa bắt đầu diễn tập: hãy sửa các ô được đánh dấu."
	msgRehearsalDeleted    = "Đã xóa toàn bộ bản diễn tập %s."
	msgRehearsalStarted    = "Đã bắt đầu diễn tập với %s phiếu. Trang tự cập nhật khi xong."
)
