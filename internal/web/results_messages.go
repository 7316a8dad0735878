package web

// Words of the results pages.
const (
	msgRunDone       = "Đã tính điểm (lần số %d): %s phiếu hợp lệ được tính, mã đối chiếu dữ liệu đầu vào %s."
	msgRunReused     = "Dữ liệu không thay đổi kể từ lần tính điểm số %d (lúc %s, mã đối chiếu dữ liệu đầu vào %s) nên không tạo lần tính mới; kết quả dưới đây là của lần số %d."
	msgNoRun         = "Chưa có lần tính điểm nào."
	msgRunNotFound   = "Không tìm thấy lần tính điểm này."
	msgUnitNotFound  = "Không có đơn vị này trong lần tính điểm."
	msgRatiosSaved   = "Đã nhập %s tỷ lệ hài lòng cho nhóm %s từ tệp %s (thay cho các tỷ lệ nhập trước đó). Hãy tính điểm lại để dùng số liệu mới."
	msgRatiosNoFile  = "Vui lòng chọn tệp Excel (.xlsx) hoặc CSV (.csv)."
	msgRatiosNoGroup = "Vui lòng chọn nhóm nhập tỷ lệ."
	msgRatiosTooBig  = "Tệp lớn quá 8 MB."
)
