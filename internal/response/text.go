package response

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parsurvey/parsurvey/internal/vn"
)

// CleanText is an open-ended answer as it is stored: NFC-normalised, line breaks as "\n",
// without surrounding spaces. An error says in the respondent's Vietnamese what is wrong: bytes
// that are not UTF-8, control characters other than line breaks and tabs, or more than limit
// characters (counted after normalising, so "ệ" is one character however it was typed).
func CleanText(s string, limit int) (string, error) {
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("ý kiến có ký tự không đọc được, vui lòng gõ lại")
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.TrimSpace(vn.NFC(s))
	if strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }) {
		return "", fmt.Errorf("ý kiến có ký tự điều khiển không hợp lệ, vui lòng gõ lại")
	}
	if n := utf8.RuneCountInString(s); n > limit {
		return "", fmt.Errorf("ý kiến dài %s ký tự, vượt quá %s ký tự cho phép: vui lòng rút gọn", vn.Int(int64(n)), vn.Int(int64(limit)))
	}
	return s, nil
}
