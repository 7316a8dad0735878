package web

// Words of the year-on-year comparison pages (results_compare*.go).
const (
	msgCompareLinked       = "Đã liên kết với đợt %s để so sánh; đơn vị được ghép theo mã."
	msgCompareLinkedSheet  = "Đã liên kết với đợt %s để so sánh; %s dòng ghép đơn vị từ tệp %s."
	msgCompareLinkedKept   = "Đã liên kết với đợt %s để so sánh; giữ bảng ghép đơn vị %s đã tải lên trước đó."
	msgCompareUnlinked     = "Đã bỏ liên kết so sánh với năm trước."
	msgCompareNoEarlier    = "Vui lòng chọn đợt khảo sát năm trước để so sánh."
	msgCompareBadEarlier   = "Đợt khảo sát được chọn không có hoặc chính là đợt này."
	msgCompareLaterEarlier = "Đợt %s là năm %d, sau năm %d của đợt này: chỉ so sánh được với một đợt năm trước hoặc cùng năm."
	msgCompareTooBig       = "Tệp ghép đơn vị lớn quá 8 MB."
	msgCompareNotLinked    = "Đợt khảo sát này chưa được liên kết với đợt năm trước nào."
	msgCompareNoRunNow     = "Đợt này chưa có lần tính điểm nào: hãy tính điểm trên trang Kết quả rồi quay lại."
	msgCompareNoRunBefore  = "Đợt năm trước (%s) chưa có lần tính điểm nào: hãy mở kết quả của đợt đó và tính điểm."
	msgCompareTemplateFor  = "Vui lòng chọn đợt năm trước để tải mẫu bảng ghép đơn vị."
)
