package web

// The authoring pages' messages: upload, check, preview and publishing of campaign definitions.
const (
	msgAuthoringNoFile      = "Chưa chọn tệp: hãy chọn sổ tính Excel (.xlsx) hoặc tệp nén YAML (.zip)."
	msgAuthoringFileType    = "Tệp “%s” không phải sổ tính .xlsx hay tệp nén .zip: hãy lưu sổ tính dưới dạng Excel Workbook (.xlsx)."
	msgAuthoringTooBig      = "Tệp lớn quá 8 MB, không phải một định nghĩa đợt khảo sát."
	msgAuthoringSaved       = "Đã lưu bản nháp “%s”."
	msgAuthoringReplaced    = "Đã thay bản nháp bằng tệp “%s”."
	msgAuthoringPublished   = "Đã xuất bản đợt khảo sát %s (phiên bản %d)."
	msgAuthoringUnchanged   = "Đợt khảo sát %s đã đúng như bản nháp: không có gì thay đổi."
	msgAuthoringHasErrors   = "Bản nháp còn lỗi: hãy sửa và tải lên lại trước khi xem trước hay xuất bản."
	msgAuthoringPublishedAl = "Bản nháp này đã được xuất bản; hãy tải lên một bản nháp mới để thay đổi tiếp."
	msgAuthoringNoGroup     = "Chưa có nhóm đối tượng nào dùng mẫu phiếu %s, nên chưa xem trước được."
	msgAuthoringNoForm      = "Bản nháp không có mẫu phiếu này."
	msgAuthoringLocked      = "Đợt khảo sát %s đã có %d phiếu trả lời: định nghĩa không thể thay đổi nữa, vì như vậy sẽ đổi ý nghĩa của các phiếu đã nhận. Các thay đổi dưới đây bị từ chối."
	msgAuthoringIssuedGone  = "Đợt khảo sát %s đã phát %d phiếu: không bỏ được đơn vị hay nhóm đã có phiếu (%s). Hãy giữ lại chúng trong sổ tính, hoặc hủy các phiếu đã phát trước."
	msgAuthoringNoCampaign  = "Hãy chọn đợt khảo sát để sao chép."
	msgAuthoringEditIssued  = "Đợt khảo sát đã phát %d phiếu: chỉ tiêu và danh sách đơn vị không sửa trực tiếp được nữa. Hãy tải sổ tính về, sửa và tải lên như một bản nháp."
	msgAuthoringEditSaved   = "Đã lưu chỉ tiêu và danh sách đơn vị (phiên bản %d)."
	msgAuthoringEditNoop    = "Không có gì thay đổi."
	msgAuthoringUnitLine    = "Dòng %d của danh sách đơn vị: cần «Mã; Loại; Tên đơn vị» (và «; Mã cấp trên» nếu có), đang là “%s”."
	msgAuthoringQuota       = "Số phiếu của nhóm %s phải là số nguyên, đang là “%s”."
)
