package web

import (
	"bytes"
	"fmt"
	"math/big"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/paper"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// paperHonorariaData is what each enumerator and each unit is owed for verified paper returns,
// and what each group's respondents are owed per form, amounts written in đồng the Vietnamese
// way; Rates states the plan's rates.
type paperHonorariaData struct {
	paperData
	Rates                                   []string
	Total, EnumeratorTotal, RespondentTotal string
	Forms                                   int
	ByEnumerator, ByUnit                    []payLine
	Respondents                             []respondentPayLine
}

// respondentPayLine is one group's respondent honoraria as the page shows it.
type respondentPayLine struct {
	Group, Name, Kind    string
	Rate, Amount         string
	Paper, Online, Forms int
	OnlineCounted        bool
}

type payLine struct {
	Name                          string
	Forms, Units                  int
	FormAmount, UnitAmount, Total string
	Enumerators, Codes            []string
}

func honorariaView(base paperData, p paper.Pay) paperHonorariaData {
	d := paperHonorariaData{paperData: base, Rates: p.RateLines, Total: vn.Int(p.Total), Forms: p.Forms,
		EnumeratorTotal: vn.Int(p.EnumeratorTotal), RespondentTotal: vn.Int(p.RespondentTotal)}
	for _, r := range p.Respondents {
		d.Respondents = append(d.Respondents, respondentPayLine{Group: r.Group, Name: r.Name, Kind: r.KindName, Rate: vn.Int(r.Rate),
			Amount: vn.Int(r.Amount), Paper: r.Paper, Online: r.Online, Forms: r.Forms, OnlineCounted: r.OnlineCounted})
	}
	for _, e := range p.ByEnumerator {
		d.ByEnumerator = append(d.ByEnumerator, payLine{Name: e.Name, Forms: e.Forms, Units: len(e.Units), FormAmount: vn.Int(e.FormAmount),
			UnitAmount: vn.Int(e.UnitAmount), Total: vn.Int(e.Total), Codes: e.Codes})
	}
	for _, u := range p.ByUnit {
		d.ByUnit = append(d.ByUnit, payLine{Name: u.Name, Forms: u.Forms, Units: 1, FormAmount: vn.Int(u.FormAmount),
			UnitAmount: vn.Int(u.UnitAmount), Total: vn.Int(u.Total), Enumerators: u.Enumerators, Codes: u.Codes})
	}
	return d
}

// honoraria loads the honoraria page's campaign and computes its honoraria at the plan's rates
// (campaign.Honoraria): the enumerators' from verified paper returns, the respondents' from
// every stored form that counts.
func (s *Server) honoraria(c *fiber.Ctx) (paperData, paper.Pay, error) {
	base, err := s.paperBase(c, "/honoraria")
	if err != nil {
		return base, paper.Pay{}, err
	}
	list, err := s.db.PaperReturns(c.UserContext(), base.C.ID)
	if err != nil {
		return base, paper.Pay{}, err
	}
	returns := make([]paper.Return, len(list))
	for i, r := range list {
		returns[i] = paper.Return{EnumeratorID: r.EnumeratorID, Enumerator: r.Enumerator, Group: r.Group, Unit: r.Unit,
			UnitName: unitLabel(base.Def, r.Unit, r.UnitName), Kind: r.UnitKind, Code: r.Code, ReceivedOn: r.ReceivedOn, Valid: r.Valid}
	}
	counts, err := s.db.AnsweredByChannel(c.UserContext(), base.C.ID)
	if err != nil {
		return base, paper.Pay{}, err
	}
	answered := make([]paper.Answered, len(counts))
	for i, n := range counts {
		answered[i] = paper.Answered{Group: n.Group, Channel: campaign.Channel(n.Channel), Forms: n.Forms}
	}
	pay := paper.Honoraria(base.Def.Honoraria, returns)
	pay.PayRespondents(base.Def, answered)
	return base, pay, nil
}

func (s *Server) paperHonoraria(c *fiber.Ctx) error {
	base, pay, err := s.honoraria(c)
	if err != nil {
		return err
	}
	return s.renderPage(c, fiber.StatusOK, "paper_honoraria", honorariaView(base, pay))
}

// paperHonorariaXLSX downloads the honoraria as a workbook.
func (s *Server) paperHonorariaXLSX(c *fiber.Ctx) error {
	base, pay, err := s.honoraria(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := pay.WriteXLSX(&buf, base.C.Name); err != nil {
		return err
	}
	name := fmt.Sprintf("thu-lao-%s-%s.xlsx", base.C.Code, time.Now().In(time.UTC).Format("20060102"))
	c.Set(fiber.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s"`, name))
	return c.Send(buf.Bytes())
}

// paperStatsData is the keyers' work per day.
type paperStatsData struct {
	paperData
	Days []keyerDayLine
}

type keyerDayLine struct {
	Day      time.Time
	Name     string
	Keyed    int
	Duration string
	PerHour  string
	Compared int
	Differ   int
	Rate     string
}

func (s *Server) paperStats(c *fiber.Ctx) error {
	base, err := s.paperBase(c, "/stats")
	if err != nil {
		return err
	}
	stats, err := s.db.KeyerStats(c.UserContext(), base.C.ID)
	if err != nil {
		return err
	}
	d := paperStatsData{paperData: base}
	for _, st := range stats {
		line := keyerDayLine{Day: st.Day, Name: st.Name, Keyed: st.Keyed, Compared: st.Compared, Differ: st.Differing,
			Duration: durationVN(st.Duration), PerHour: "—", Rate: "—"}
		if ms := st.Duration.Milliseconds(); ms > 0 {
			// forms per hour = keyed · 3 600 000 / ms, shown with one decimal.
			line.PerHour = vn.Decimal(big.NewRat(int64(st.Keyed)*3600000, ms), 1)
		}
		if st.Compared > 0 {
			line.Rate = vn.Decimal(big.NewRat(int64(st.Differing)*100, int64(st.Compared)), 1) + "%"
		}
		d.Days = append(d.Days, line)
	}
	return s.renderPage(c, fiber.StatusOK, "paper_stats", d)
}

// durationVN writes a keying time as people read it: "1 giờ 05 phút", "3 phút 20 giây".
func durationVN(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, sec := int(d/time.Hour), int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second)
	switch {
	case h > 0:
		return fmt.Sprintf("%d giờ %02d phút", h, m)
	case m > 0:
		return fmt.Sprintf("%d phút %02d giây", m, sec)
	}
	return fmt.Sprintf("%d giây", sec)
}
