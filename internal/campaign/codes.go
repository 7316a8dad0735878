package campaign

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// formPattern is what a questionnaire (mẫu phiếu) code may look like. It is printed on the
// paper form and shown to staff, but never enters a form code (internal/formcode carries the
// group and unit codes only), so real plans' spellings load: MAU_PHIEU_01, CX1-LD, 01CT/2016.
var formPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_./-]{0,31}$`)

// maxFormCode is the longest questionnaire code formPattern takes.
const maxFormCode = 32

// formCodeProblem says which rule a questionnaire code breaks, with a legal spelling to use
// instead; "" when the code is fine.
func formCodeProblem(code string) string {
	if formPattern.MatchString(code) && !strings.Contains(code, "..") {
		return ""
	}
	rule := "chỉ gồm chữ cái không dấu, chữ số và các dấu _ - . /, bắt đầu bằng chữ hoặc số, tối đa 32 ký tự"
	var broken string
	switch {
	case strings.TrimSpace(code) == "":
		return "thiếu mã mẫu phiếu (" + rule + ")"
	case len([]rune(code)) > maxFormCode:
		broken = fmt.Sprintf("dài %d ký tự", len([]rune(code)))
	case strings.ContainsAny(code, " \t"):
		broken = "có khoảng trắng"
	case strings.Contains(code, ".."):
		broken = "có hai dấu chấm liền nhau"
	default:
		broken = "có ký tự " + firstBad(code, func(r rune) bool {
			return r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("_./-", r))
		})
		if first := []rune(code)[0]; strings.ContainsRune("_./-", first) {
			broken = fmt.Sprintf("bắt đầu bằng “%c”", first)
		}
	}
	msg := fmt.Sprintf("mã mẫu phiếu %q không dùng được: %s (%s)", code, broken, rule)
	if s := suggestFormCode(code); s != "" {
		msg += fmt.Sprintf("; gợi ý: %s", s)
	}
	return msg
}

// suggestFormCode spells a questionnaire code legally: diacritics dropped, spaces and other
// characters turned into "_", cut to the longest length allowed.
func suggestFormCode(code string) string {
	var b strings.Builder
	for _, r := range plain(code) {
		switch {
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("_./-", r)):
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "_"):
			b.WriteByte('_')
		}
	}
	s := strings.Trim(b.String(), "_./-")
	for strings.Contains(s, "..") {
		s = strings.ReplaceAll(s, "..", ".")
	}
	if len(s) > maxFormCode {
		s = strings.TrimRight(s[:maxFormCode], "_./-")
	}
	if !formPattern.MatchString(s) {
		return ""
	}
	return s
}

// keyCodeProblem says which rule a unit or group code breaks, with a legal spelling; "" when
// the code is fine. These codes are the parts of every form code (NHÓM-ĐƠN VỊ-SỐ-KIỂM TRA)
// that enumerators key and respondents read over the phone, so they stay short, upper case,
// without separators and without the letter O, which form codes read as the digit 0.
func keyCodeProblem(what, code string) string {
	if codePattern.MatchString(code) {
		return ""
	}
	var broken string
	n := len([]rune(code))
	switch {
	case code == "":
		broken = "đang để trống"
	case n > 6:
		broken = fmt.Sprintf("dài %d ký tự", n)
	case strings.ContainsAny(code, "Oo"):
		broken = "có chữ O, mã phiếu đọc là số 0"
	case code != strings.ToUpper(code):
		broken = "có chữ thường"
	default:
		broken = "có ký tự " + firstBad(code, func(r rune) bool { return r < 128 && (unicode.IsUpper(r) || unicode.IsDigit(r)) })
	}
	msg := fmt.Sprintf("mã %s %q phải gồm 1–6 chữ in hoa hoặc chữ số (không dùng chữ O): mã đang %s; mã này nằm trong mã phiếu in trên giấy", what, code, broken)
	if s := suggestKeyCode(code); s != "" {
		msg += fmt.Sprintf("; gợi ý: %s", s)
	}
	return msg
}

// suggestKeyCode spells a unit or group code legally: diacritics and separators dropped, upper
// case, O as 0, cut to 6 characters.
func suggestKeyCode(code string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(plain(code)) {
		switch {
		case r == 'O':
			b.WriteByte('0')
		case r < 128 && (unicode.IsUpper(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
		}
	}
	s := b.String()
	if len(s) > 6 {
		s = s[:6]
	}
	if !codePattern.MatchString(s) {
		return ""
	}
	return s
}

// firstBad quotes the first character of s that ok refuses: “-”.
func firstBad(s string, ok func(rune) bool) string {
	for _, r := range s {
		if !ok(r) {
			return fmt.Sprintf("“%c”", r)
		}
	}
	return "không hợp lệ"
}

// plain drops Vietnamese diacritics: "Mẫu số" → "Mau so", "Đ" → "D".
func plain(s string) string {
	s = strings.NewReplacer("đ", "d", "Đ", "D").Replace(s)
	out, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), s)
	if err != nil {
		return s
	}
	return out
}
