package web

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/forms"
	"github.com/parsurvey/parsurvey/internal/campaign"
)

// The demo's contact (forms/demo/campaign.yaml).
const (
	demoOffice  = "Phòng Điều tra xã hội học, Viện Nghiên cứu Phát triển tỉnh Bình An"
	demoPhone   = `<a href="tel:&#43;842003812345">0200 3812 345</a>` // the + escaped, as a browser reads it
	demoEmail   = `<a href="mailto:dtxhh@vienphattrien.binhan.gov.vn">`
	genericLine = "Vui lòng liên hệ cán bộ đã gửi phiếu cho Ông/Bà"
)

func TestRespondentPagesGiveTheCampaignsContact(t *testing.T) {
	t.Parallel()
	e, issued := newMatrixEnv(t, 12, 3)
	q := e.camp.Def.Questionnaire("CH1")
	units := e.camp.Def.UnitsOfKind("so")
	c := e.client()

	t.Run("the questionnaire", func(t *testing.T) {
		_, page := c.get("/p/" + issued[0].Token)
		mustContain(t, page, "Cần hỗ trợ?", demoOffice, demoPhone, demoEmail)
	})
	t.Run("the receipt", func(t *testing.T) {
		resp, page := c.post("/p/"+issued[0].Token, answers(q, units, 1, "contact-1"))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, page, "Số biên nhận", demoOffice, demoPhone, demoEmail)
	})
	t.Run("a refusal: different answers for a form already answered", func(t *testing.T) {
		resp, page := c.post("/p/"+issued[0].Token, answers(q, units, 2, "contact-2"))
		if resp.StatusCode != http.StatusConflict {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, page, demoOffice, demoPhone)
	})
	t.Run("a form opened after the campaign closed", func(t *testing.T) {
		e.db.SetClock(func() time.Time { return time.Date(2027, 1, 5, 9, 0, 0, 0, campaign.Zone) })
		defer e.db.SetClock(func() time.Time { return inWindow })
		resp, page := c.get("/p/" + issued[1].Token)
		if resp.StatusCode != http.StatusGone {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, page, "Đợt khảo sát đã kết thúc", demoPhone)
	})
	t.Run("a post refused before its handler (too large) is a respondent's page with the contact", func(t *testing.T) {
		v := answers(q, units, 1, "contact-3")
		v.Set("x", strings.Repeat("a", publicBodyLimit))
		resp, page := c.post("/p/"+issued[2].Token, v)
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, page, `<body class="public"`, demoPhone)
	})
	t.Run("an unknown link, with one campaign stored: that campaign's contact", func(t *testing.T) {
		resp, page := c.get("/p/AAAAAAAAAAAAAAAAAAAAAAAA")
		if resp.StatusCode != http.StatusNotFound {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, page, "Không tìm thấy phiếu khảo sát", demoOffice, demoPhone)
	})
}

func TestTheUnknownLinkPageNamesOnlyACampaignThatIsTakingForms(t *testing.T) {
	t.Parallel()
	// A second campaign beside the demo: another year's, with a contact of its own.
	other := func(t *testing.T, year int, opens, closes time.Time, phone string) *campaign.Definition {
		def, err := campaign.Load(forms.FS, forms.Demo3Cap)
		if err != nil {
			t.Fatal(err)
		}
		def.Code, def.Year = def.Code+"-khac", year
		def.Opens, def.Closes = campaign.Date{Time: opens}, campaign.Date{Time: closes}
		def.Contact.Phone = phone
		return def
	}
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, campaign.Zone) }
	cases := []struct {
		name  string
		def   func(t *testing.T) *campaign.Definition
		wants []string
		not   string
	}{
		{"the demo open, last year's campaign closed: the demo's contact",
			func(t *testing.T) *campaign.Definition {
				return other(t, 2025, day(2025, 11, 1), day(2025, 12, 31), "0200 3999 999")
			},
			[]string{demoPhone}, "0200 3999 999"},
		{"two campaigns open with different contacts: the generic line",
			func(t *testing.T) *campaign.Definition {
				return other(t, 2026, day(2026, 11, 1), day(2026, 12, 31), "0200 3999 999")
			},
			[]string{genericLine}, demoPhone},
		{"two campaigns open with the same contact: that contact",
			func(t *testing.T) *campaign.Definition {
				return other(t, 2026, day(2026, 11, 1), day(2026, 12, 31), "0200 3812 345")
			},
			[]string{demoPhone}, genericLine},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.db.SetClock(func() time.Time { return inWindow })
			if _, _, err := e.db.SaveDefinition(context.Background(), tc.def(t), 0); err != nil {
				t.Fatal(err)
			}
			_, page := e.client().get("/p/AAAAAAAAAAAAAAAAAAAAAAAA")
			mustContain(t, page, tc.wants...)
			if strings.Contains(page, tc.not) {
				t.Errorf("page shows %q", tc.not)
			}
		})
	}
}
