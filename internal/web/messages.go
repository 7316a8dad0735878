package web

import "github.com/gofiber/fiber/v2"

// Every message a person reads from the handlers lives here.
const (
	msgInternal      = "Hệ thống gặp lỗi khi xử lý yêu cầu. Vui lòng thử lại; nếu lỗi lặp lại, hãy báo quản trị viên."
	msgCSRF          = "Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang rồi gửi lại."
	msgLoginFailed   = "Tên đăng nhập hoặc mật khẩu không đúng."
	msgLoginThrottle = "Đã có quá nhiều lần đăng nhập sai từ địa chỉ này hoặc cho tài khoản này. Vui lòng đợi 15 phút rồi thử lại, hoặc nhờ quản trị viên cấp lại mật khẩu."
	msgForbidden     = "Tài khoản của bạn không có quyền dùng chức năng này."
	// msgAccountsUnlimited refuses account management to an administrator limited to some
	// campaigns or one organisation: it could otherwise lift its own limits, or see and change
	// another organisation's staff.
	msgAccountsUnlimited = "Chỉ quản trị viên không bị giới hạn theo đợt khảo sát hay tổ chức mới quản lý được tài khoản."
	msgNotFound          = "Không tìm thấy trang hoặc dữ liệu được yêu cầu."
	msgBadRequest        = "Yêu cầu không hợp lệ."
	msgLoggedOut         = "Bạn đã đăng xuất."

	msgBodyTooLarge = "Dữ liệu gửi lên quá lớn (tối đa %s). Vui lòng kiểm tra lại tệp hoặc biểu mẫu."
	msgBodyLength   = "Yêu cầu phải cho biết độ dài dữ liệu gửi lên (Content-Length)."
	msgBodyEncoded  = "Không nhận dữ liệu gửi lên đã nén (Content-Encoding)."
	msgFormTooLarge = "Biểu mẫu gửi lên không đúng dạng: tối đa %d trường, mỗi trường tối đa %d ký tự."
)

func statusMessage(code int) string {
	switch code {
	case fiber.StatusNotFound:
		return msgNotFound
	case fiber.StatusForbidden:
		return msgForbidden
	case fiber.StatusTooManyRequests:
		return msgLoginThrottle
	case fiber.StatusBadRequest, fiber.StatusRequestEntityTooLarge, fiber.StatusMethodNotAllowed:
		return msgBadRequest
	}
	return msgInternal
}

func statusTitle(code int) string {
	switch code {
	case fiber.StatusNotFound:
		return "Không tìm thấy"
	case fiber.StatusForbidden:
		return "Không có quyền truy cập"
	case fiber.StatusTooManyRequests:
		return "Quá nhiều yêu cầu"
	case fiber.StatusBadRequest:
		return "Yêu cầu không hợp lệ"
	case fiber.StatusConflict:
		return "Xung đột dữ liệu"
	case fiber.StatusGone:
		return "Không còn hiệu lực"
	}
	if code >= 500 {
		return "Lỗi hệ thống"
	}
	return "Không thực hiện được"
}

// Messages for respondents.
const (
	msgFormNotFoundTitle = "Không tìm thấy phiếu khảo sát"
	msgFormNotFound      = "Đường dẫn này không đúng hoặc phiếu không còn hiệu lực. Vui lòng kiểm tra lại mã QR hoặc liên hệ cán bộ khảo sát."
	msgTooManyTitle      = "Vui lòng thử lại sau"
	msgTooMany           = "Có quá nhiều lần mở phiếu không hợp lệ từ mạng của bạn. Vui lòng đợi vài phút rồi thử lại."
	msgTooManyPosts      = "Phiếu này đã được gửi quá nhiều lần trong một phút. Vui lòng đợi một phút rồi gửi lại; các câu trả lời bạn đã chọn vẫn được giữ trên máy."
	msgBadPostTitle      = "Phiếu gửi lên không đúng dạng"
	msgBadPost           = "Dữ liệu gửi lên có nhiều trường hơn phiếu hoặc có câu trả lời quá dài. Vui lòng mở lại đường dẫn của phiếu và gửi lại."
	msgNotOpenTitle      = "Đợt khảo sát chưa bắt đầu"
	msgNotOpen           = "Đợt khảo sát bắt đầu nhận phiếu từ ngày %s. Vui lòng quay lại sau."
	msgClosedTitle       = "Đợt khảo sát đã kết thúc"
	msgClosed            = "Đợt khảo sát đã kết thúc nhận phiếu (hạn cuối ngày %s). Xin cảm ơn Ông/Bà đã quan tâm."
	msgAlreadyTitle      = "Phiếu đã được gửi"
	msgAlready           = "Phiếu khảo sát này đã được gửi và ghi nhận. Mỗi phiếu chỉ trả lời một lần. Xin cảm ơn Ông/Bà."
	msgConflictTitle     = "Phiếu đã được trả lời trước đó"
	msgConflict          = "Mã phiếu này đã được dùng để gửi một bản trả lời khác, nên bản này không được ghi nhận. Nếu Ông/Bà cho rằng có nhầm lẫn, vui lòng liên hệ cán bộ khảo sát."
	msgReusedTitle       = "Phiếu chưa được ghi nhận"
	msgReused            = "Lần gửi này mang mã gửi của một phiếu khác, nên chưa được ghi nhận; phiếu này vẫn chưa có câu trả lời. Vui lòng mở lại đường dẫn của phiếu rồi gửi lại."
	msgThanksTitle       = "Cảm ơn Ông/Bà đã trả lời phiếu khảo sát"
	msgThanks            = "Phiếu đã được ghi nhận an toàn. Ông/Bà có thể đóng trang này."
	msgFieldMissing      = "Vui lòng chọn «%s»."
	msgFieldInvalid      = "Lựa chọn cho «%s» không hợp lệ."
	msgAnswerInvalid     = "Lựa chọn không hợp lệ cho câu hỏi này."
	msgTooFewAnswers     = "Ông/Bà mới trả lời %d/%d câu hỏi; cần trả lời ít nhất %d câu để phiếu hợp lệ."
)

// Messages about issued forms.
const (
	msgCodeUnknown = "Không có phiếu mã %s trong đợt khảo sát này."
)

// Messages of the staff forms: a refused form comes back with the first sentence at the top of
// the page and each problem next to its field.
const (
	msgIssueRefused  = "Chưa phát được phiếu — vui lòng xem lại mục báo lỗi trong ô «Phát phiếu theo chỉ tiêu»."
	msgPrintRefused  = "Chưa in được phiếu — vui lòng xem lại mục báo lỗi trong ô «In phiếu và thư mời»."
	msgAssignRefused = "Chưa giao được phiếu — vui lòng xem lại mục báo lỗi trong ô «Giao phiếu cho điều tra viên»."
	msgVoidRefused   = "Chưa hủy được phiếu — vui lòng xem lại mục báo lỗi trong ô «Hủy phiếu»."

	msgGroupUnknown    = "Không có nhóm đối tượng %s trong đợt khảo sát này."
	msgGroupImported   = "Nhóm %s (%s) lấy kết quả từ khảo sát khác, không phát phiếu."
	msgUnitUnknown     = "Không có đơn vị %s trong đợt khảo sát này."
	msgGroupUnitKind   = "Nhóm %s (%s) đánh giá %s; đơn vị %s (%s) là %s."
	msgGroupUnitMatrix = "Nhóm %s (%s) dùng phiếu ma trận: mỗi phiếu đánh giá mọi đơn vị thuộc %s, nên không chọn đơn vị."
	msgGroupRequired   = "Cần chọn nhóm đối tượng."
	msgUnitRequired    = "Cần chọn đơn vị."

	msgReserveInvalid     = "Dự phòng phải là số nguyên từ 0 đến 100 (% chỉ tiêu)."
	msgIssuedNone         = "Mọi phiếu của lựa chọn này đã được phát trước đó; không phát thêm phiếu nào."
	msgIssued             = "Đã phát thêm %s phiếu."
	msgPrintNothingIssued = "Chưa có phiếu nào được phát cho lựa chọn này: hãy phát phiếu trước khi in."

	msgAssignEnumerator    = "Cần chọn điều tra viên."
	msgAssignNotEnumerator = "Người được giao phải là điều tra viên."
	msgAssignFrom          = "Số thứ tự bắt đầu phải là số nguyên từ 1 trở lên."
	msgAssignTo            = "Số thứ tự kết thúc phải là số nguyên, không nhỏ hơn số bắt đầu."
	msgAssignNone          = "Không có phiếu nào trong khoảng số thứ tự này."
	msgAssigned            = "Đã giao %d phiếu (%s … %s) cho điều tra viên."

	msgVoidReason   = "Cần ghi lý do hủy phiếu."
	msgVoidAlready  = "Phiếu %s đã bị hủy trước đó."
	msgVoidAnswered = "Phiếu %s đã có câu trả lời, không thể hủy."
	msgVoided       = "Đã hủy phiếu %s."
	msgVoidReplaced = " Phiếu thay thế: %s."

	msgLockConfirm = "Để khóa đợt khảo sát, hãy gõ đúng mã đợt %s vào ô xác nhận."
	msgLockAlready = "Đợt khảo sát đã được khóa trước đó."
	msgLocked      = "Đã khóa đợt khảo sát: từ nay không nhận thêm phiếu, trực tuyến hay phiếu giấy."

	msgAccountRefused  = "Chưa tạo được tài khoản — vui lòng xem lại mục báo lỗi."
	msgAccountUsername = "Cần nhập tên đăng nhập."
	msgAccountFullName = "Cần nhập họ và tên."
	msgAccountRole     = "Vai trò không hợp lệ."
	msgAccountTaken    = "Tên đăng nhập %q đã có người dùng."
	msgPasswordCurrent = "Mật khẩu hiện tại không đúng."
	msgPasswordRepeat  = "Hai lần nhập mật khẩu mới không khớp."
	msgPasswordChanged = "Đã đổi mật khẩu. Vui lòng đăng nhập lại."
	// msgMustChangePassword asks a user whose password an administrator set for their own.
	msgMustChangePassword = "Mật khẩu của bạn do quản trị viên cấp. Vui lòng đặt mật khẩu riêng trước khi tiếp tục."
)

// The default message of each kind of error (errors.go).
const (
	msgKindConflict = "Dữ liệu đã thay đổi hoặc đã được ghi nhận trước đó. Vui lòng tải lại trang để xem tình trạng mới nhất."
	msgKindInvalid  = "Dữ liệu nhập chưa đúng. Vui lòng kiểm tra lại các ô được đánh dấu."
	msgKindClosed   = "Đợt khảo sát đã khóa hoặc đã hết thời gian nhận phiếu."
)

// What is wrong with a typed text (fieldErrors.checkText).
const (
	msgTextNotUTF8 = "Nội dung có ký tự không hợp lệ (không phải UTF-8)."
	msgTextControl = "Nội dung có ký tự điều khiển (ví dụ ký tự tab hay NUL); hãy gõ lại."
	msgTextTooLong = "Nội dung dài quá %d ký tự."
)
