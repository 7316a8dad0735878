package web

import "github.com/gofiber/fiber/v2"

// Every message a person reads from the handlers lives here.
const (
	msgInternal      = "Hệ thống gặp lỗi khi xử lý yêu cầu. Vui lòng thử lại; nếu lỗi lặp lại, hãy báo quản trị viên."
	msgCSRF          = "Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang rồi gửi lại."
	msgLoginFailed   = "Tên đăng nhập hoặc mật khẩu không đúng."
	msgLoginThrottle = "Đã có quá nhiều lần đăng nhập sai từ địa chỉ này hoặc cho tài khoản này. Vui lòng đợi 15 phút rồi thử lại, hoặc nhờ quản trị viên cấp lại mật khẩu."
	msgForbidden     = "Tài khoản của bạn không có quyền dùng chức năng này."
	msgNotFound      = "Không tìm thấy trang hoặc dữ liệu được yêu cầu."
	msgBadRequest    = "Yêu cầu không hợp lệ."
	msgLoggedOut     = "Bạn đã đăng xuất."

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
