// Package scoretest fills a real database with a large synthetic campaign for the scoring and
// export benchmarks: hundreds of units, four collected groups on one 40-question form, an
// imported group, and one stored response per issued form, judged by the valid-form rules.
package scoretest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/response"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/validation"
)

// Questions is the length of the synthetic form; the first 36 are scored over 12 sub-criteria.
const Questions = 40

// Groups is the number of collected groups; a fifth group is imported.
const Groups = 4

// Code is the synthetic campaign's code.
const Code = "bench-2026"

// InWindow is an instant inside the synthetic campaign's window.
var InWindow = time.Date(2026, 11, 15, 9, 0, 0, 0, campaign.Zone)

func dec(s string) campaign.Decimal { return campaign.MustDecimal(s) }

func decp(s string) *campaign.Decimal { d := dec(s); return &d }

// Definition is a synthetic campaign of units communes scored on 36 points.
func Definition(units int) *campaign.Definition {
	yes := true
	scale := []campaign.Option{
		{Label: "Tốt", Weight: decp("1")}, {Label: "Khá", Weight: decp("0.6")}, {Label: "Trung bình", Weight: decp("0.2")},
		{Label: "Kém", Weight: decp("0")}, {Label: "Không biết / không có ý kiến", DontKnow: true},
	}
	d := &campaign.Definition{
		Code: Code, Name: "Đợt khảo sát đo hiệu năng", Year: 2026, Level: "tỉnh", Organizer: "Viện Nghiên cứu thử nghiệm",
		Opens:        campaign.Date{Time: time.Date(2026, 11, 1, 0, 0, 0, 0, campaign.Zone)},
		Closes:       campaign.Date{Time: time.Date(2026, 12, 31, 0, 0, 0, 0, campaign.Zone)},
		SurveyPoints: dec("36"),
		Bands: []campaign.Band{{Code: "A", Name: "Tốt", MinPercent: dec("90")}, {Code: "B", Name: "Khá", MinPercent: dec("80")},
			{Code: "C", Name: "Trung bình", MinPercent: dec("70")}, {Code: "D", Name: "Yếu", MinPercent: dec("0")}},
		Scoring: campaign.Scoring{DontKnow: campaign.MissingExclude, Blank: campaign.MissingExclude, Combine: campaign.CombineGroupWeights, MinForms: 5},
		Rules:   campaign.Rules{MinAnsweredPercent: dec("70"), EnforceWindow: &yes, DoubleEntry: &yes},
		Kinds:   []campaign.Kind{{Code: "xa", Name: "Xã, phường, thị trấn"}},
	}
	for i := 0; i < units; i++ {
		d.Units = append(d.Units, campaign.Unit{Code: fmt.Sprintf("X%03d", i), Kind: "xa", Name: fmt.Sprintf("Xã Thử Nghiệm %d", i)})
	}
	area := campaign.Area{Code: "1", Name: "Cải cách hành chính", Points: dec("36")}
	for c := 0; c < 4; c++ {
		crit := campaign.Criterion{Code: fmt.Sprintf("1.%d", c+1), Name: fmt.Sprintf("Tiêu chí %d", c+1), Points: dec("9")}
		for s := 0; s < 3; s++ {
			crit.Subs = append(crit.Subs, campaign.SubCriterion{Code: fmt.Sprintf("1.%d.%d", c+1, s+1), Name: fmt.Sprintf("Thành phần %d.%d", c+1, s+1), Points: dec("3")})
		}
		area.Criteria = append(area.Criteria, crit)
	}
	d.Areas = []campaign.Area{area}
	var qs []campaign.Question
	for i := 0; i < Questions; i++ {
		q := campaign.Question{Code: fmt.Sprintf("C%02d", i+1), Text: fmt.Sprintf("Câu hỏi thử số %d", i+1), Options: scale}
		if i < 36 {
			q.Feeds = fmt.Sprintf("1.%d.%d", i%12/3+1, i%3+1)
		}
		qs = append(qs, q)
	}
	d.Questionnaires = []campaign.Questionnaire{{Code: "PX", Title: "Phiếu khảo sát thử", Shape: campaign.ShapeSingle,
		Fields:   []campaign.Field{{Key: "gioi_tinh", Label: "Giới tính", Options: []string{"Nam", "Nữ"}}},
		Sections: []campaign.Section{{Title: "I", Questions: qs}}}}
	for g := 1; g <= Groups; g++ {
		d.Groups = append(d.Groups, campaign.Group{Code: fmt.Sprintf("G%d", g), Name: fmt.Sprintf("Nhóm thử %d", g), Evaluates: "xa", Form: "PX",
			Quota: 1, Weight: decp(fmt.Sprint(g)), Channels: []campaign.Channel{campaign.ChannelOnline}})
	}
	d.Groups = append(d.Groups, campaign.Group{Code: "GI", Name: "Người dân (SIPAS)", Evaluates: "xa", Weight: decp("2"),
		Channels: []campaign.Channel{campaign.ChannelSIPAS}, Feeds: []string{"1.4.1", "1.4.2", "1.4.3"}})
	return d
}

// Populate loads a campaign of units units with perUnit forms per group and unit (forms =
// units × 4 × perUnit), issues them, stores one random response for each through the
// group-commit writer, judged by the valid-form rules, and imports a ratio for every other unit.
func Populate(ctx context.Context, db *store.DB, units, perUnit int) (*store.Campaign, error) {
	db.SetClock(func() time.Time { return InWindow })
	def := Definition(units)
	for i := range def.Groups {
		def.Groups[i].Quota = perUnit
	}
	camp, _, err := db.SaveDefinition(ctx, def, 0)
	if err != nil {
		return nil, err
	}
	plan, err := camp.Def.IssuePlan("", "", 0)
	if err != nil {
		return nil, err
	}
	if _, err := db.Issue(ctx, camp.ID, 0, plan); err != nil {
		return nil, err
	}
	unitIDs, err := db.UnitIDs(ctx, camp.ID)
	if err != nil {
		return nil, err
	}
	var forms []*store.IssuedForm
	if err := db.Forms(ctx, camp.ID, store.FormFilter{}, func(f *store.IssuedForm) error { forms = append(forms, f); return nil }); err != nil {
		return nil, err
	}
	subs := make([]*store.Submission, len(forms))
	rng := rand.New(rand.NewPCG(1, 2))
	const chars = "1234512345123451234500*"
	buf := make([]byte, Questions)
	for i, f := range forms {
		for j := range buf {
			buf[j] = chars[rng.IntN(len(chars))]
		}
		ans := string(buf)
		sub := &store.Submission{FormID: f.ID, CampaignID: camp.ID, Channel: "online", SubmissionID: fmt.Sprintf("bench-%d", f.ID),
			Respondent: fmt.Sprintf(`{"gioi_tinh":%q}`, []string{"Nam", "Nữ"}[i%2]), ReceivedAt: InWindow,
			Answers: []store.UnitAnswers{{UnitID: unitIDs[f.Unit], Answers: ans}}}
		v := validation.Check(camp.Def, validation.Facts{Issued: true, IssuedGroup: f.Group, IssuedUnits: []string{f.Unit}, Group: f.Group,
			Channel: campaign.ChannelOnline, ReceivedAt: InWindow, FirstForCode: true,
			Answers: []validation.UnitAnswers{{Unit: f.Unit, Answers: response.Answers(ans)}}})
		sub.Valid, sub.Answers[0].Valid, sub.Reasons = v.Valid, v.Valid, "[]"
		if !v.Valid {
			b, _ := json.Marshal(v.Reasons)
			sub.Reasons = string(b)
		}
		sum := sha256.Sum256([]byte(ans + sub.Respondent))
		sub.Digest = hex.EncodeToString(sum[:])
		subs[i] = sub
	}
	c := db.NewCommitter()
	defer c.Close()
	var wg sync.WaitGroup
	errs := make(chan error, 1)
	next := make(chan *store.Submission)
	for w := 0; w < 512; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := range next {
				if _, err := c.Submit(ctx, s); err != nil {
					select {
					case errs <- fmt.Errorf("scoretest: submit form %d: %w", s.FormID, err):
					default:
					}
				}
			}
		}()
	}
	for _, s := range subs {
		next <- s
	}
	close(next)
	wg.Wait()
	select {
	case err := <-errs:
		return nil, err
	default:
	}
	var ratios []store.ImportedRatio
	for i := 0; i < units; i += 2 {
		ratios = append(ratios, store.ImportedRatio{Group: "GI", Unit: def.Units[i].Code, Ratio: fmt.Sprintf("%d/100", 50+i%50), Source: "scoretest"})
	}
	if err := db.ReplaceRatios(ctx, camp.ID, 0, "GI", "scoretest", ratios); err != nil {
		return nil, err
	}
	return camp, nil
}
