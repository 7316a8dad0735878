package campaign

import (
	"os"
	"testing"
)

// withContact writes a contact block into the fixture just before unit_kinds (line 20), so the
// block's first line is 20 and its fields follow in the order given.
func withContact(block string) edit {
	return replace(campaignYAML, "unit_kinds:\n", block+"unit_kinds:\n")
}

func TestContactChecks(t *testing.T) {
	runChecks(t, []checkCase{
		{
			name:  "a campaign without a contact block loads",
			edits: nil,
		},
		{
			name: "a full contact block loads",
			edits: []edit{withContact("contact:\n  office: Phòng Khảo sát, Viện Nghiên cứu Phát triển\n  person: Bà Nguyễn Thị Lan\n" +
				"  phone: 0222 3812 345\n  email: khaosat@binhan.gov.vn\n")},
		},
		{
			name:  "an international number loads",
			edits: []edit{withContact("contact:\n  phone: \"+84 912.345.678\"\n")},
		},
		{
			name:  "a contact block with neither phone nor e-mail is refused",
			edits: []edit{withContact("contact:\n  office: Viện Nghiên cứu Phát triển\n")},
			want:  []want{{campaignYAML, 20, "contact", "cần có số điện thoại (phone) hoặc thư điện tử (email)"}},
		},
		{
			name:  "a phone number with letters is refused on its line",
			edits: []edit{withContact("contact:\n  office: Viện\n  phone: 0222 381 23A5\n")},
			want:  []want{{campaignYAML, 22, "contact.phone", `số điện thoại "0222 381 23A5" không đúng dạng`}},
		},
		{
			name:  "a phone number one digit short is refused",
			edits: []edit{withContact("contact:\n  phone: 0912 345 67\n")},
			want:  []want{{campaignYAML, 21, "contact.phone", `số điện thoại "0912 345 67" không đúng dạng`}},
		},
		{
			name:  "two phone numbers in one field are refused",
			edits: []edit{withContact("contact:\n  phone: 0222 3812 345 / 0912 345 678\n")},
			want:  []want{{campaignYAML, 21, "contact.phone", "ghi một số"}},
		},
		{
			name:  "an e-mail address without a domain is refused on its line",
			edits: []edit{withContact("contact:\n  phone: 0222 3812 345\n  email: khaosat@binhan\n")},
			want:  []want{{campaignYAML, 22, "contact.email", `địa chỉ thư điện tử "khaosat@binhan" không đúng dạng`}},
		},
		{
			name:  "an e-mail address with a display name is refused",
			edits: []edit{withContact("contact:\n  email: \"Viện <khaosat@binhan.gov.vn>\"\n")},
			want:  []want{{campaignYAML, 21, "contact.email", "không đúng dạng"}},
		},
		{
			name:  "a malformed phone and a malformed e-mail are both reported",
			edits: []edit{withContact("contact:\n  phone: \"12345\"\n  email: lan..nguyen@binhan.gov.vn\n")},
			want: []want{
				{campaignYAML, 21, "contact.phone", `"12345"`},
				{campaignYAML, 22, "contact.email", `"lan..nguyen@binhan.gov.vn"`},
			},
		},
		{
			name:  "a misspelt contact field is refused as unknown",
			edits: []edit{withContact("contact:\n  phone: 0222 3812 345\n  mail: khaosat@binhan.gov.vn\n")},
			want:  []want{{campaignYAML, 22, "contact.mail", `trường "mail" không có trong định dạng`}},
		},
	})
}

func TestPhoneNumbers(t *testing.T) {
	for _, tt := range []struct {
		phone, dial string
	}{
		{"0222 3812 345", "+842223812345"},
		{"0912.345.678", "+84912345678"},
		{"(0222) 3812-345", "+842223812345"},
		{"+84 912 345 678", "+84912345678"},
		{"1800 1234", "18001234"},
		{"1900 1234 56", "1900123456"},
		{"", ""},
		{"912 345 678", ""},     // no leading 0
		{"00912345678", ""},     // 00 is no Vietnamese number
		{"0912 345 6789 0", ""}, // too long
		{"+84 1800 1234", ""},   // a hotline has no country code
		{"0912 345 678 ext 12", ""},
	} {
		if got := (Contact{Phone: tt.phone}).Dial(); got != tt.dial {
			t.Errorf("Dial(%q) = %q, want %q", tt.phone, got, tt.dial)
		}
	}
}

func TestEmailAddresses(t *testing.T) {
	for _, tt := range []struct {
		email string
		ok    bool
	}{
		{"khaosat@binhan.gov.vn", true},
		{"nguyen.thi-lan+dtxhh@vien.binhan.gov.vn", true},
		{"KhaoSat@BinhAn.gov.vn", true},
		{"khaosat@binhan", false},
		{"khaosat.binhan.gov.vn", false},
		{"@binhan.gov.vn", false},
		{"khảo.sát@binhan.gov.vn", false},
		{"a b@binhan.gov.vn", false},
		{"a@b@binhan.gov.vn", false},
		{".lan@binhan.gov.vn", false},
		{"lan@-binhan.gov.vn", false},
		{"lan@binhan.gov.v", false},
		{"lan@binhan.gov.123", false},
	} {
		if got := validEmail(tt.email); got != tt.ok {
			t.Errorf("validEmail(%q) = %v, want %v", tt.email, got, tt.ok)
		}
	}
}

func TestContactDoesNotChangeTheDigestOfADefinitionWithout(t *testing.T) {
	// A definition stored before contacts existed must keep its digest, or loading it again
	// would count as a change (refused once the campaign has responses).
	a, err := Load(os.DirFS("testdata"), fixtureDir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := loadEdited(t, withContact("contact:\n  phone: 0222 3812 345\n"))
	if err != nil {
		t.Fatal(err)
	}
	if a.Digest() == b.Digest() {
		t.Error("a contact does not change the digest")
	}
	b.Contact = Contact{}
	if a.Digest() != b.Digest() {
		t.Error("an empty contact changes the digest")
	}
	if b, _ := loadEdited(t, withContact("contact:\n  phone: \" 0222 3812 345 \"\n  email: khaosat@binhan.gov.vn\n")); b == nil || b.Contact.Phone != "0222 3812 345" || b.Contact.Email != "khaosat@binhan.gov.vn" {
		t.Errorf("contact read as %+v", b.Contact)
	}
}

func TestDemoCampaignGivesAContact(t *testing.T) {
	c := loadDemo(t).Contact
	if c.Office == "" || c.Person == "" || c.Dial() == "" || !validEmail(c.Email) {
		t.Errorf("demo contact %+v", c)
	}
}
