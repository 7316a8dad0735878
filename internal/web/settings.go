package web

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/parsurvey/parsurvey/internal/auth"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/intake"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// Words of the settings page.
const (
	msgSettingsSaved     = "Đã lưu phương pháp tính điểm và quy tắc phiếu hợp lệ."
	msgSettingsJudged    = " Đã xét lại %s phiếu theo quy tắc mới: %s phiếu thay đổi kết quả xét; số phiếu hợp lệ từ %s thành %s."
	msgSettingsRecompute = " Hãy tính điểm lại để áp dụng."
	msgSettingsBadNumber = "%s phải là một số."
	msgTokenNameMissing  = "Vui lòng đặt tên cho khóa truy cập (hệ thống sẽ dùng nó)."
	msgTokenRevoked      = "Đã thu hồi khóa truy cập %q."
	msgTokenNotFound     = "Không tìm thấy khóa truy cập này."
)

// weightField is a group's weight on the settings form.
type weightField struct {
	Code, Name, Value, Default string
	Imported                   bool
}

// tokenRow is an API token as the settings page lists it.
type tokenRow struct {
	ID                    int64
	Name, Scope, Created  string
	By, LastUsed, Revoked string
}

// settingsData is the view model of the settings page.
type settingsData struct {
	campaignData
	CanEdit bool
	// The form's values, and the definition's for comparison.
	DontKnow, Blank, Combine                string
	MinForms, MinAnswered                   string
	EnforceWindow, DoubleEntry              bool
	DefDontKnow, DefBlank, DefCombine       string
	DefMinForms, DefMinAnswered             string
	DefEnforceWindow, DefDoubleEntry        bool
	Weights                                 []weightField
	Overridden                              bool
	UpdatedAt, UpdatedBy                    string
	Errors                                  []string
	Tokens                                  []tokenRow
	NewToken, NewTokenName, APIPath, APIURL string
}

func (s *Server) settingsView(c *fiber.Ctx, cp *store.Campaign) (settingsData, error) {
	u := currentUser(c)
	d := settingsData{campaignData: campaignData{pageData: s.page(c), C: cp, Tab: "results"}, CanEdit: s.allowed(u, "POST", "/campaigns/:id/settings")}
	d.Title = "Phương pháp tính điểm và quy tắc phiếu hợp lệ"
	cs, err := s.db.CampaignSettings(c.UserContext(), cp.ID)
	if err != nil {
		return d, err
	}
	set := cs.Overrides
	d.Overridden = set.JSON() != "{}"
	if !cs.UpdatedAt.IsZero() {
		d.UpdatedAt, d.UpdatedBy = vn.DateTime(cs.UpdatedAt), cs.UpdatedBy
	}
	d.fill(cp.Def, campaign.EffectiveOf(set.Apply(cp.Def)))
	base := campaign.EffectiveOf(cp.Def)
	d.DefDontKnow, d.DefBlank, d.DefCombine = string(base.DontKnow), string(base.Blank), string(base.Combine)
	d.DefMinForms, d.DefMinAnswered = strconv.Itoa(base.MinForms), decimalText(base.MinAnsweredPercent)
	d.DefEnforceWindow, d.DefDoubleEntry = base.EnforceWindow, base.DoubleEntry
	for i := range d.Weights {
		d.Weights[i].Default = decimalText(base.GroupWeights[d.Weights[i].Code])
	}
	tokens, err := s.db.APITokens(c.UserContext(), cp.ID)
	if err != nil {
		return d, err
	}
	for _, t := range tokens {
		row := tokenRow{ID: t.ID, Name: t.Name, Scope: "đợt khảo sát này", Created: vn.DateTime(t.CreatedAt), By: t.CreatedBy,
			LastUsed: vn.DateTime(t.LastUsedAt), Revoked: vn.DateTime(t.RevokedAt)}
		if t.CampaignID == 0 {
			row.Scope = "mọi đợt khảo sát"
		}
		d.Tokens = append(d.Tokens, row)
	}
	d.APIPath = fmt.Sprintf("/api/v1/campaigns/%d/scores", cp.ID)
	d.APIURL = s.cfg.BaseURL + d.APIPath
	return d, nil
}

// fill puts effective settings into the form.
func (d *settingsData) fill(def *campaign.Definition, e campaign.Effective) {
	d.DontKnow, d.Blank, d.Combine = string(e.DontKnow), string(e.Blank), string(e.Combine)
	d.MinForms, d.MinAnswered = strconv.Itoa(e.MinForms), decimalText(e.MinAnsweredPercent)
	d.EnforceWindow, d.DoubleEntry = e.EnforceWindow, e.DoubleEntry
	d.Weights = nil
	for _, g := range def.Groups {
		d.Weights = append(d.Weights, weightField{Code: g.Code, Name: g.Name, Value: decimalText(e.GroupWeights[g.Code]), Imported: g.Imported()})
	}
}

// decimalText writes a definition number with a decimal comma and no trailing zeros.
func decimalText(d campaign.Decimal) string { return strings.Replace(d.String(), ".", ",", 1) }

func (s *Server) settingsPage(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	d, err := s.settingsView(c, cp)
	if err != nil {
		return err
	}
	return s.renderSettings(c, fiber.StatusOK, d)
}

func (s *Server) renderSettings(c *fiber.Ctx, status int, d settingsData) error {
	body, err := s.views.render("layout", "settings", d)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store") // a new token is shown on this page once
	return send(c, status, body)
}

// settingsForm copies the posted settings out of the request.
func settingsForm(c *fiber.Ctx, def *campaign.Definition) (campaign.Effective, []string) {
	var errs []string
	e := campaign.Effective{
		DontKnow: campaign.Missing(c.FormValue("dont_know")), Blank: campaign.Missing(c.FormValue("blank")),
		Combine:       campaign.Combine(c.FormValue("combine")),
		EnforceWindow: c.FormValue("enforce_window") == "1", DoubleEntry: c.FormValue("double_entry") == "1",
		GroupWeights: map[string]campaign.Decimal{},
	}
	n, err := strconv.Atoi(strings.TrimSpace(c.FormValue("min_forms")))
	if err != nil {
		errs = append(errs, fmt.Sprintf(msgSettingsBadNumber, "Số phiếu hợp lệ tối thiểu"))
	}
	e.MinForms = n
	if e.MinAnsweredPercent, err = campaign.ParseDecimal(vn.NFC(c.FormValue("min_answered"))); err != nil {
		errs = append(errs, fmt.Sprintf(msgSettingsBadNumber, "Tỷ lệ câu phải trả lời"))
	}
	for _, g := range def.Groups {
		w, err := campaign.ParseDecimal(vn.NFC(c.FormValue("weight_" + g.Code)))
		if err != nil {
			errs = append(errs, fmt.Sprintf(msgSettingsBadNumber, "Trọng số nhóm "+g.Code))
		}
		e.GroupWeights[g.Code] = w
	}
	return e, errs
}

// saveSettings stores new settings; a changed valid-form rule judges every stored form again in
// the same transaction (intake.ChangeSettings), and the change is audited.
func (s *Server) saveSettings(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	next, errs := settingsForm(c, cp.Def)
	var rv intake.Revalidation
	if len(errs) == 0 {
		rv, err = intake.ChangeSettings(c.UserContext(), s.db, cp.ID, currentUser(c).ID, next)
		s.forgetSettings(cp.ID)
		var se *intake.SettingsError
		switch {
		case errors.As(err, &se):
			errs = se.Problems
		case err != nil:
			return err
		}
	}
	if len(errs) > 0 {
		d, err := s.settingsView(c, cp)
		if err != nil {
			return err
		}
		d.fill(cp.Def, next)
		for i := range d.Weights {
			d.Weights[i].Value = vn.NFC(c.FormValue("weight_" + d.Weights[i].Code))
		}
		d.MinForms, d.MinAnswered = vn.NFC(c.FormValue("min_forms")), vn.NFC(c.FormValue("min_answered"))
		d.Errors = errs
		return s.renderSettings(c, fiber.StatusUnprocessableEntity, d)
	}
	msg := msgSettingsSaved
	if rv.Judged > 0 {
		msg += fmt.Sprintf(msgSettingsJudged, vn.Int(int64(rv.Judged)), vn.Int(int64(rv.Changed)), vn.Int(int64(rv.ValidBefore)), vn.Int(int64(rv.ValidAfter)))
	}
	s.setFlash(c, msg+msgSettingsRecompute)
	return c.Redirect(fmt.Sprintf("/campaigns/%d/settings", cp.ID), fiber.StatusSeeOther)
}

// createToken makes an API token for the campaign's feed and shows it once.
func (s *Server) createToken(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	name := postedText(c, "name")
	errs := fieldErrors{}
	if name == "" {
		errs.add("name", msgTokenNameMissing)
	}
	errs.checkText("name", name, 100)
	if len(errs) > 0 {
		d, err := s.settingsView(c, cp)
		if err != nil {
			return err
		}
		d.Errors = []string{errs["name"]}
		return s.renderSettings(c, fiber.StatusUnprocessableEntity, d)
	}
	token := "pst_" + auth.Token(32)
	if _, err := s.db.CreateAPIToken(c.UserContext(), token, name, cp.ID, currentUser(c).ID); err != nil {
		return err
	}
	d, err := s.settingsView(c, cp)
	if err != nil {
		return err
	}
	d.NewToken, d.NewTokenName = token, name
	return s.renderSettings(c, fiber.StatusOK, d)
}

func (s *Server) revokeToken(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.Params("token"), 10, 64)
	if err != nil {
		return &Error{Status: fiber.StatusNotFound, Msg: msgTokenNotFound}
	}
	tokens, err := s.db.APITokens(c.UserContext(), cp.ID)
	if err != nil {
		return err
	}
	name := ""
	for _, t := range tokens {
		if t.ID == id {
			name = t.Name
		}
	}
	err = s.db.RevokeAPIToken(c.UserContext(), cp.ID, id, currentUser(c).ID)
	if errors.Is(err, store.ErrNotFound) {
		return &Error{Status: fiber.StatusNotFound, Msg: msgTokenNotFound}
	}
	if err != nil {
		return err
	}
	s.setFlash(c, fmt.Sprintf(msgTokenRevoked, name))
	return c.Redirect(fmt.Sprintf("/campaigns/%d/settings", cp.ID), fiber.StatusSeeOther)
}
