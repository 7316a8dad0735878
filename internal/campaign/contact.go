package campaign

import (
	"strings"
)

// IsZero reports whether the definition gives no contact at all.
func (c Contact) IsZero() bool { return c == Contact{} }

// Dial is the phone number as a tel: link wants it: digits only, a Vietnamese number written
// from +84 ("0222 3812 345" → "+842223812345"), a 1800/1900 hotline as it is. It is "" when
// there is no phone or the number is malformed (check refuses those).
func (c Contact) Dial() string {
	digits, ok := phoneDigits(c.Phone)
	switch {
	case !ok:
		return ""
	case strings.HasPrefix(digits, "+"):
		return digits
	case strings.HasPrefix(digits, "0"):
		return "+84" + digits[1:]
	}
	return digits
}

// phoneSeparators are what people put between the groups of digits of a phone number.
var phoneSeparators = strings.NewReplacer(" ", "", ".", "", "-", "", "(", "", ")", "", "\u00a0", "")

// phoneDigits takes the separators out of a phone number and reports whether what is left is
// one Vietnamese number: 0 and 9 or 10 digits (mobile 09x…, landline 02xx…), the same after +84
// instead of 0, or a 1800/1900 hotline of 8 to 10 digits.
func phoneDigits(phone string) (string, bool) {
	s := phoneSeparators.Replace(strings.TrimSpace(phone))
	rest, plus := strings.CutPrefix(s, "+84")
	if plus {
		rest = "0" + rest
	}
	if rest == "" || strings.Trim(rest, "0123456789") != "" {
		return "", false
	}
	switch {
	case strings.HasPrefix(rest, "1800"), strings.HasPrefix(rest, "1900"):
		if plus || len(rest) < 8 || len(rest) > 10 {
			return "", false
		}
	case rest[0] == '0':
		if len(rest) < 10 || len(rest) > 11 || rest[1] == '0' {
			return "", false
		}
	default:
		return "", false
	}
	if plus {
		return "+84" + rest[1:], true
	}
	return rest, true
}

// validEmail reports whether s is one plain e-mail address, local@domain.tld, in ASCII: what
// an official's mail client accepts when it is copied from a slip. Display names, several
// addresses and quoted local parts are refused.
func validEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || len(s) > 254 || strings.HasPrefix(local, ".") || strings.HasSuffix(local, ".") || strings.Contains(local, "..") {
		return false
	}
	for _, r := range local {
		if !(isASCIIAlnum(r) || strings.ContainsRune("._%+-", r)) {
			return false
		}
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			if !isASCIIAlnum(r) && r != '-' {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	return len(tld) >= 2 && strings.Trim(tld, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") == ""
}

func isASCIIAlnum(r rune) bool {
	return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
}

// checkContact checks the optional contact block: a block that is written gives a way to reach
// someone, and its phone and e-mail are well formed, since they are printed on every slip.
func (l *loader) checkContact(d *Definition, f string) {
	c := &d.Contact
	c.Office, c.Person = strings.TrimSpace(c.Office), strings.TrimSpace(c.Person)
	c.Phone, c.Email = strings.TrimSpace(c.Phone), strings.TrimSpace(c.Email)
	if _, written := l.lines[f]["contact"]; !written {
		return
	}
	if c.Phone == "" && c.Email == "" {
		l.add(f, "contact", "thông tin liên hệ cần có số điện thoại (phone) hoặc thư điện tử (email)")
	}
	if c.Phone != "" {
		if _, ok := phoneDigits(c.Phone); !ok {
			l.add(f, "contact.phone", "số điện thoại %q không đúng dạng: ghi một số, ví dụ 0222 3812 345, 0912 345 678, +84 222 3812 345 hoặc 1800 1234", c.Phone)
		}
	}
	if c.Email != "" && !validEmail(c.Email) {
		l.add(f, "contact.email", "địa chỉ thư điện tử %q không đúng dạng: ghi một địa chỉ, ví dụ khaosat@binhan.gov.vn", c.Email)
	}
}
