package intake

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/fault"
	"github.com/parsurvey/parsurvey/internal/response"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/validation"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// Online is a respondent's post of an online form: the form behind the link, the questionnaire
// it shows, and the values posted by field name ("r_<key>" for a respondent field, "q_<code>",
// or "q_<code>_<unit>" on a matrix form).
type Online struct {
	Form *store.LinkForm
	// Group and Unit are the codes the form was issued to ("" unit for a matrix form); Units
	// are the units it asks about, UnitIDs every unit id of the campaign by code.
	Group, Unit string
	Units       []campaign.Unit
	UnitIDs     map[string]int64
	// IssuedUnits are the unit codes a matrix form was issued for (form_units); empty when it
	// covers every unit of its kind.
	IssuedUnits []string
	// Def is the effective definition (store.Effective): the rules in force.
	Def           *campaign.Definition
	Questionnaire *campaign.Questionnaire
	// Values are the posted values by name; Repeated the names posted more than once, which on a
	// question is a double mark and counts as unanswered, as on paper.
	Values   map[string]string
	Repeated map[string]bool
	// SubmissionID is the client's id of this submission, which makes a replay idempotent.
	SubmissionID string
	At           time.Time
}

// matrix reports whether the questionnaire asks about several units.
func (in *Online) matrix() bool { return in.Questionnaire.Shape == campaign.ShapeMatrix }

// fieldName is the posted name of question q about unit u.
func (in *Online) fieldName(q *campaign.Question, u campaign.Unit) string {
	if in.matrix() {
		return "q_" + q.Code + "_" + u.Code
	}
	return "q_" + q.Code
}

// Submit judges an online form and stores it, durably, through the group-commit writer. Input
// the respondent must correct (an unknown option, a missing respondent field, too few
// answers) is an Invalid error listing each field with a Vietnamese message, and nothing is
// stored. A replay of the same submission returns the same receipt.
func (s *Service) Submit(ctx context.Context, in Online) (store.Receipt, error) {
	sub, facts, fields := in.parse()
	v := judge(in.Def, facts)
	fields = append(fields, tooFew(in, v)...)
	if len(fields) > 0 {
		// A resend of a form already stored gets its receipt, even if the rules changed since.
		if r, ok, err := s.db.StoredReceipt(ctx, sub.FormID, sub.Digest); err != nil || ok {
			return r, err
		}
		return store.Receipt{}, fault.Fields(msgFix, fields...)
	}
	v.record(sub, facts)
	return s.committer.Submit(ctx, sub)
}

// parse builds the submission and the facts the rules judge from the posted values; fields are
// the values that fit no option.
func (in *Online) parse() (*store.Submission, validation.Facts, []fault.Field) {
	var fields []fault.Field
	respondent := map[string]string{}
	for _, fl := range in.Questionnaire.Fields {
		name := "r_" + fl.Key
		v := in.Values[name]
		n, err := strconv.Atoi(v)
		switch {
		case in.Repeated[name]:
			fields = append(fields, fault.Field{Name: name, Msg: fmt.Sprintf(msgFieldInvalid, fl.Label)})
		case v == "" && fl.Optional:
		case v == "":
			fields = append(fields, fault.Field{Name: name, Msg: fmt.Sprintf(msgFieldMissing, fl.Label)})
		case err != nil || n < 1 || n > len(fl.Options):
			fields = append(fields, fault.Field{Name: name, Msg: fmt.Sprintf(msgFieldInvalid, fl.Label)})
		default:
			respondent[fl.Key] = fl.Options[n-1]
		}
	}
	sub := &store.Submission{FormID: in.Form.ID, CampaignID: in.Form.CampaignID, Channel: string(campaign.ChannelOnline),
		SubmissionID: in.SubmissionID, ReceivedAt: in.At}
	facts := validation.Facts{Issued: true, IssuedGroup: in.Group, Group: in.Group, Channel: campaign.ChannelOnline,
		ReceivedAt: in.At, FirstForCode: true}
	if in.Unit != "" {
		facts.IssuedUnits = []string{in.Unit}
	} else if len(in.IssuedUnits) > 0 {
		facts.IssuedUnits = in.IssuedUnits
	}
	questions := in.Questionnaire.Questions()
	form := response.FormOf(questions)
	digest := sha256.New()
	for _, u := range in.Units {
		list := make([]response.Answer, len(questions))
		texts := map[int]string{}
		for i := range questions {
			q := &questions[i]
			name := in.fieldName(q, u)
			v := in.Values[name]
			n, err := strconv.Atoi(v)
			switch {
			case q.IsText():
				// An open answer: optional, its text kept beside the answers (issue 12).
				list[i] = response.Blank
				if text, err := response.CleanText(v, q.TextLimit()); err != nil {
					fields = append(fields, fault.Field{Name: name, Msg: vn.Capitalize(err.Error())})
				} else if text != "" {
					list[i], texts[i] = response.HasText, text
				}
			case in.Repeated[name]:
				list[i] = response.Multi
			case v == "":
				list[i] = response.Blank
			case err != nil || n < 1 || n > len(optionsOf(in.Def, q)):
				fields = append(fields, fault.Field{Name: name, Msg: msgAnswerInvalid})
				list[i] = response.Blank
			default:
				list[i] = response.OptionAnswer(n)
			}
		}
		// A question whose show_if is unmet is not asked: whatever was posted for it is dropped.
		ans := form.Apply(response.Build(list))
		for i := range questions {
			if text, ok := texts[i]; ok && ans.At(i) == response.HasText {
				sub.Texts = append(sub.Texts, store.TextAnswer{UnitID: in.UnitIDs[u.Code], Question: questions[i].Code, Body: text})
				fmt.Fprintf(digest, "%s/%s=%q;", u.Code, questions[i].Code, text)
			}
		}
		facts.Answers = append(facts.Answers, validation.UnitAnswers{Unit: u.Code, Answers: ans})
		sub.Answers = append(sub.Answers, store.UnitAnswers{UnitID: in.UnitIDs[u.Code], Answers: string(ans)})
		fmt.Fprintf(digest, "%s=%s;", u.Code, ans)
	}
	rb, _ := json.Marshal(respondent)
	sub.Respondent = string(rb)
	digest.Write(rb)
	sub.Digest = hex.EncodeToString(digest.Sum(nil))
	return sub, facts, fields
}

// tooFew turns the answered-share rule's verdict (domain.md, valid forms, rule 5) into what the
// respondent reads: per unit that falls short, how many answers it has and needs, on its first
// unanswered scored question that is asked. The rule itself is judged by validation alone.
func tooFew(in Online, v verdict) []fault.Field {
	if !v.Has(validation.TooFewAnswers) {
		return nil
	}
	short := map[string]bool{}
	for _, r := range v.Reasons {
		if r.Code == validation.TooFewAnswers {
			short[r.Unit] = true
		}
	}
	questions := in.Questionnaire.Questions()
	form := response.FormOf(questions)
	var out []fault.Field
	for i, u := range in.Units {
		if !short[u.Code] {
			continue
		}
		uv := v.Units[i]
		scale := int64(100 * campaign.DecimalScale)
		need := (int64(in.Def.Rules.MinAnsweredPercent)*int64(uv.Scored) + scale - 1) / scale
		msg := fmt.Sprintf(msgTooFewAnswers, uv.Answered, uv.Scored, need)
		if in.matrix() {
			msg = u.Name + ": " + msg
		}
		first := ""
		marks := make([]response.Answer, len(questions)) // as posted, to pass by skipped questions
		for j := range questions {
			marks[j] = response.Blank
			if n, err := strconv.Atoi(in.Values[in.fieldName(&questions[j], u)]); err == nil && n >= 1 && n <= response.MaxOptions {
				marks[j] = response.OptionAnswer(n)
			}
		}
		for j := range questions {
			name := in.fieldName(&questions[j], u)
			if questions[j].Scored() && (in.Values[name] == "" || in.Repeated[name]) && form.Asked(response.Build(marks), j) {
				first = name
				break
			}
		}
		out = append(out, fault.Field{Name: first, Msg: msg})
	}
	return out
}

// optionsOf are a question's options, its scale's when it names one.
func optionsOf(def *campaign.Definition, q *campaign.Question) []campaign.Option {
	if len(q.Options) == 0 && q.Scale != "" {
		if sc := def.Scale(q.Scale); sc != nil {
			return sc.Options
		}
	}
	return q.Options
}
