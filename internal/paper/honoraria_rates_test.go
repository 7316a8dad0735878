package paper

import (
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
)

func TestHonorariaAtPerLevelRates(t *testing.T) {
	day := time.Date(2026, 11, 20, 0, 0, 0, 0, campaign.Zone)
	def := &campaign.Definition{
		Kinds:  []campaign.Kind{{Code: "so", Name: "Sở, ban, ngành"}, {Code: "xa", Name: "Xã, phường, đặc khu"}},
		Units:  []campaign.Unit{{Code: "SNV", Kind: "so", Name: "Sở Nội vụ"}, {Code: "X01", Kind: "xa", Name: "Phường An Bình"}},
		Groups: []campaign.Group{{Code: "S3", Name: "Lãnh đạo phòng", Evaluates: "so"}, {Code: "X3", Name: "Lãnh đạo phòng thuộc sở", Evaluates: "xa"}, {Code: "X4", Name: "SIPAS", Evaluates: "xa", Channels: []campaign.Channel{campaign.ChannelSIPAS}}},
	}
	returns := []Return{
		{EnumeratorID: 1, Enumerator: "Đỗ Thị An", Group: "S3", Unit: "SNV", Kind: "so", Code: "S3-SNV-0001X", ReceivedOn: day, Valid: true},
		{EnumeratorID: 1, Enumerator: "Đỗ Thị An", Group: "X3", Unit: "X01", Kind: "xa", Code: "X3-X01-0001X", ReceivedOn: day, Valid: true},
		{EnumeratorID: 1, Enumerator: "Đỗ Thị An", Group: "X3", Unit: "X01", Kind: "xa", Code: "X3-X01-0002X", ReceivedOn: day, Valid: false},
	}
	answered := []Answered{
		{Group: "S3", Channel: campaign.ChannelPaper, Forms: 1}, {Group: "S3", Channel: campaign.ChannelOnline, Forms: 4},
		{Group: "X3", Channel: campaign.ChannelPaper, Forms: 2}, {Group: "X3", Channel: campaign.ChannelFileImport, Forms: 3},
	}
	for _, c := range []struct {
		name                        string
		rates                       campaign.Honoraria
		enumerator, respondent, all int64
		lines                       int
	}{
		{"older plans: per_form and per_unit to the enumerator, nothing to respondents",
			campaign.Honoraria{PerForm: 10000, PerUnit: 200000}, 3*10000 + 2*200000, 0, 3*10000 + 2*200000, 0},
		{"a level's own rate per unit, the other level's from per_unit",
			campaign.Honoraria{PerUnit: 200000, Enumerator: campaign.Rates{ByKind: map[string]int64{"so": 300000}}}, 500000, 0, 500000, 0},
		{"respondents by level, paper and imported forms counted, online ones not",
			campaign.Honoraria{Respondent: campaign.Rates{ByKind: map[string]int64{"so": 20000, "xa": 10000}}}, 0, 20000 + 5*10000, 70000, 2},
		{"a group's own rate over its level's, online forms counted when the plan says so",
			campaign.Honoraria{Online: true, Respondent: campaign.Rates{Default: 10000, ByGroup: map[string]int64{"S3": 25000}}}, 0, 5*25000 + 5*10000, 175000, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := Honoraria(c.rates, returns)
			p.PayRespondents(def, answered)
			if p.EnumeratorTotal != c.enumerator || p.RespondentTotal != c.respondent || p.Total != c.all || len(p.Respondents) != c.lines {
				t.Fatalf("enumerator %d, respondents %d (%d lines), total %d; want %d, %d (%d), %d",
					p.EnumeratorTotal, p.RespondentTotal, len(p.Respondents), p.Total, c.enumerator, c.respondent, c.lines, c.all)
			}
			var units int64
			for _, u := range p.ByUnit {
				units += u.Total
			}
			if units != p.EnumeratorTotal {
				t.Errorf("unit view %d, enumerator view %d", units, p.EnumeratorTotal)
			}
			if len(p.RateLines) == 0 {
				t.Error("no rates stated")
			}
		})
	}
}
