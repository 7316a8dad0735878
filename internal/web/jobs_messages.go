package web

// Messages about background print jobs (internal/jobs), shown to office staff.
const (
	msgJobUserBusy = "Bạn đang có %d lượt in chưa xong. Vui lòng chờ một lượt in xong rồi in tiếp."
	msgJobBusy     = "Hệ thống đang in nhiều lượt cùng lúc. Vui lòng thử lại sau ít phút."
	msgJobFailed   = "Lượt in gặp lỗi và không tạo được tệp. Vui lòng in lại; nếu lỗi lặp lại, hãy báo quản trị viên."
	msgJobNotFound = "Không tìm thấy lượt in này. Tệp in chỉ được giữ %d giờ sau khi in xong, và chỉ %d lượt in gần nhất của mỗi người; vui lòng in lại."
)
