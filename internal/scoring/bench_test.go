package scoring

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/response"
)

// benchCampaign is a synthetic campaign the size of a large province: 500 communes, four
// collected groups on one 40-question form (36 scored over 12 sub-criteria) and an imported
// group, with 100,000 forms of 40 answers.
func benchCampaign() (*campaign.Definition, []Form, []Ratio) {
	const units, questions, subs, nforms = 500, 40, 12, 100_000
	d := &campaign.Definition{
		Code: "BENCH", Name: "Bench", Year: 2025, SurveyPoints: dec("36"),
		Bands:   []campaign.Band{{Code: "A", Name: "Tốt", MinPercent: dec("90")}, {Code: "B", Name: "Khá", MinPercent: dec("80")}},
		Scoring: campaign.Scoring{DontKnow: campaign.MissingExclude, Blank: campaign.MissingExclude, Combine: campaign.CombineGroupWeights, MinForms: 5},
		Kinds:   []campaign.Kind{{Code: "X", Name: "Xã"}},
		Scales:  []campaign.Scale{{Code: "L4", Options: scale4()}},
	}
	for i := 0; i < units; i++ {
		d.Units = append(d.Units, campaign.Unit{Code: fmt.Sprintf("X%03d", i), Kind: "X", Name: fmt.Sprintf("Xã %d", i)})
	}
	area := campaign.Area{Code: "A", Name: "Lĩnh vực", Points: dec("36")}
	for c := 0; c < 4; c++ {
		crit := campaign.Criterion{Code: fmt.Sprintf("C%d", c), Name: "Tiêu chí", Points: dec("9")}
		for s := 0; s < subs/4; s++ {
			crit.Subs = append(crit.Subs, campaign.SubCriterion{Code: fmt.Sprintf("S%d", c*3+s), Name: "Thành phần", Points: dec("3")})
		}
		area.Criteria = append(area.Criteria, crit)
	}
	d.Areas = []campaign.Area{area}
	var qs []campaign.Question
	for i := 0; i < questions; i++ {
		q := campaign.Question{Code: fmt.Sprintf("Q%02d", i), Text: "Câu", Scale: "L4"}
		if i < 36 {
			q.Feeds = fmt.Sprintf("S%d", i%subs)
		}
		qs = append(qs, q)
	}
	d.Questionnaires = []campaign.Questionnaire{{Code: "F", Title: "Phiếu", Shape: campaign.ShapeSingle, Sections: []campaign.Section{{Title: "I", Questions: qs}}}}
	for g := 1; g <= 4; g++ {
		d.Groups = append(d.Groups, campaign.Group{Code: fmt.Sprintf("G%d", g), Name: "Nhóm", Evaluates: "X", Form: "F", Quota: 50,
			Weight: decp(fmt.Sprint(g)), Channels: []campaign.Channel{campaign.ChannelOnline}})
	}
	d.Groups = append(d.Groups, campaign.Group{Code: "GI", Name: "SIPAS", Evaluates: "X", Weight: decp("2"),
		Channels: []campaign.Channel{campaign.ChannelSIPAS}})

	rng := rand.New(rand.NewPCG(1, 2))
	const answerChars = "1234512345123451234500*"
	fs := make([]Form, nforms)
	buf := make([]byte, questions)
	for i := range fs {
		for j := range buf {
			buf[j] = answerChars[rng.IntN(len(answerChars))]
		}
		fs[i] = Form{Group: d.Groups[i%4].Code, Unit: d.Units[(i/4)%units].Code, Answers: response.Answers(buf)}
	}
	var ratios []Ratio
	for i := 0; i < units; i += 2 {
		ratios = append(ratios, ratio("GI", d.Units[i].Code, "", fmt.Sprintf("%d/100", 50+i%50)))
	}
	return d, fs, ratios
}

func BenchmarkScore100k(b *testing.B) {
	def, fs, ratios := benchCampaign()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Score(def, fs, ratios); err != nil {
			b.Fatal(err)
		}
	}
}

func TestTheBenchmarkCampaignScores(t *testing.T) {
	def, fs, ratios := benchCampaign()
	res, err := Score(def, fs, ratios)
	if err != nil {
		t.Fatal(err)
	}
	if res.Forms != int64(len(fs)) || len(res.Units) != 500 || res.Units[0].Total.Sign() <= 0 {
		t.Fatalf("forms %d, units %d, first total %s", res.Forms, len(res.Units), res.Units[0].Total.RatString())
	}
}
