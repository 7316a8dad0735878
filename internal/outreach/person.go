package outreach

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Longest texts a list may carry, in characters.
const (
	maxName  = 120
	maxTitle = 200
)

// phoneSeparators are what people put between the groups of digits of a phone number.
var phoneSeparators = strings.NewReplacer(" ", "", ".", "", "-", "", "(", "", ")", "", "\u00a0", "")

// mobilePhone normalises a Vietnamese mobile number to its ten digits, 0 then 3, 5, 7, 8 or 9
// (the prefixes of the mobile networks since 2018): "+84 912 345 678", "84912345678" and
// "0912.345.678" are all "0912345678". A spreadsheet that stored the number as a number drops
// the leading 0, so nine digits starting with a mobile prefix get it back. SMS gateways and Zalo
// both need a mobile number, so a landline is refused.
func mobilePhone(s string) (string, bool) {
	d := phoneSeparators.Replace(s)
	switch {
	case strings.HasPrefix(d, "+84"):
		d = "0" + d[3:]
	case strings.HasPrefix(d, "84") && len(d) == 11:
		d = "0" + d[2:]
	case len(d) == 9 && strings.ContainsRune("35789", rune(d[0])):
		d = "0" + d
	}
	if len(d) != 10 || d[0] != '0' || !strings.ContainsRune("35789", rune(d[1])) || strings.Trim(d, "0123456789") != "" {
		return "", false
	}
	return d, true
}

// emailAddress normalises an e-mail address to lower case and reports whether it is one plain
// address, local@domain.tld in ASCII, as the campaign's own contact address must be: display
// names, several addresses and quoted local parts are refused.
func emailAddress(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || len(s) > 254 || strings.HasPrefix(local, ".") || strings.HasSuffix(local, ".") || strings.Contains(local, "..") {
		return "", false
	}
	for _, r := range local {
		if !isAlnum(r) && !strings.ContainsRune("._%+-", r) {
			return "", false
		}
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return "", false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return "", false
		}
		for _, r := range l {
			if !isAlnum(r) && r != '-' {
				return "", false
			}
		}
	}
	tld := labels[len(labels)-1]
	if len(tld) < 2 || strings.Trim(tld, "abcdefghijklmnopqrstuvwxyz") != "" {
		return "", false
	}
	return s, true
}

func isAlnum(r rune) bool { return (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') }

// cleanText is a cell as a person's text: NFC, single spaces, no control characters.
func cleanText(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, norm.NFC.String(s))
	return strings.Join(strings.Fields(s), " ")
}

func tooLong(s string, n int) bool { return utf8.RuneCountInString(s) > n }

// headerKey folds a column title to the key it is matched by: lower case, without diacritics,
// words joined by "_": "Số điện thoại" → "so_dien_thoai", "E-mail" → "e_mail".
func headerKey(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	folded, _, _ := transform.String(t, strings.ToLower(strings.TrimSpace(s)))
	folded = strings.NewReplacer("đ", "d", "\u00a0", " ").Replace(folded)
	return strings.Join(strings.FieldsFunc(folded, func(r rune) bool { return !isAlnum(r) }), "_")
}
