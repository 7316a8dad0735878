// Package issuing turns a campaign's quotas into coded forms and prints them: questionnaires for
// paper groups, invitation slips for online groups, and distribution lists.
package issuing

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/fault"
	"github.com/parsurvey/parsurvey/internal/formcode"
	"github.com/parsurvey/parsurvey/internal/pdf"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// Service issues and prints the forms of campaigns.
type Service struct {
	DB      *store.DB
	BaseURL string
}

// Link is a form's full address, by its 128-bit token: /p/<token>. Links printed before the
// short links keep working.
func (s *Service) Link(token string) string { return FormURL(s.BaseURL, "", token) }

// ShortLink is the address printed for people to type and carried by the QR code: the base URL
// and the form's 12-character short code, which the server sends on to the full address.
func (s *Service) ShortLink(short string) string { return FormURL(s.BaseURL, short, "") }

// FormLink is the address printed for a form: its short link, or its full link for a form that
// has no short code.
func (s *Service) FormLink(f *store.IssuedForm) string { return FormURL(s.BaseURL, f.Short, f.Token) }

// FormURL is the address a form is handed out under, from the service's base URL: the short
// link when the form has a short code, else the full one. Printing, lists and invitations all
// build links with it.
func FormURL(baseURL, short, token string) string {
	base := strings.TrimRight(baseURL, "/")
	if short == "" {
		return base + "/p/" + token
	}
	return base + "/" + short
}

// Issue creates the forms the selection still lacks (quota plus reservePercent), and returns how
// many it created; asking again creates nothing more.
func (s *Service) Issue(ctx context.Context, c *store.Campaign, group, unit string, reservePercent int, userID int64) (int, error) {
	plan, err := c.Def.IssuePlan(group, unit, reservePercent)
	if err != nil {
		return 0, fault.New(fault.Invalid, vn.Capitalize(err.Error())+".", err) // IssuePlan's messages are written for staff
	}
	for _, t := range plan {
		if t.Quota+t.Reserve > formcode.MaxSerial {
			return 0, fault.New(fault.Invalid, fmt.Sprintf("Không phát được phiếu: nhóm %s, đơn vị %s cần %d phiếu, vượt quá %d số thứ tự của mã phiếu.", t.Group, t.Unit, t.Quota+t.Reserve, formcode.MaxSerial), nil)
		}
	}
	n, err := s.DB.Issue(ctx, c.ID, userID, plan)
	if errors.Is(err, store.ErrSerialsUsedUp) {
		return 0, fault.New(fault.Conflict, vn.Capitalize(strings.TrimPrefix(err.Error(), "store: form serials used up: "))+".", err)
	}
	return n, err
}

// IssueUnits creates matrix forms of the group, each covering exactly the listed units (by
// code; a delegate's constituency), until count live forms cover that list; it returns how many
// it created, so asking again creates nothing more (issue 12, item 6). The list is checked
// against the definition (campaign.UnitSubset), and a refusal is an Invalid error for staff.
func (s *Service) IssueUnits(ctx context.Context, c *store.Campaign, group string, units []string, count int, userID int64) (int, error) {
	g := c.Def.Group(group)
	switch {
	case g == nil:
		return 0, fault.New(fault.Invalid, fmt.Sprintf("Không có nhóm %q.", group), nil)
	case g.Imported():
		return 0, fault.New(fault.Invalid, fmt.Sprintf("Nhóm %s nhập kết quả từ SIPAS, không phát phiếu.", g.Code), nil)
	case count < 1 || count > formcode.MaxSerial:
		return 0, fault.New(fault.Invalid, fmt.Sprintf("Số phiếu cho danh sách đơn vị phải từ 1 đến %d.", formcode.MaxSerial), nil)
	}
	subset, err := c.Def.UnitSubset(g, units)
	if err != nil {
		return 0, fault.New(fault.Invalid, vn.Capitalize(err.Error())+".", err)
	}
	ch := campaign.ChannelOnline
	if g.Has(campaign.ChannelPaper) {
		ch = campaign.ChannelPaper
	}
	n, err := s.DB.IssueSubset(ctx, c.ID, userID, store.SubsetTarget{Group: g.Code, Units: subset, Channel: ch, Count: count})
	if errors.Is(err, store.ErrSerialsUsedUp) {
		return 0, fault.New(fault.Conflict, vn.Capitalize(strings.TrimPrefix(err.Error(), "store: form serials used up: "))+".", err)
	}
	return n, err
}

// Selection names what to print: a group (all when empty) and a unit (all when empty).
type Selection struct {
	Group string
	Unit  string
}

// run is the copies of one group for one unit ("" for matrix forms), printed as one file;
// matrix forms issued for a list of units make a run per list (subset, the codes sorted).
type run struct {
	group  *campaign.Group
	unit   string
	subset []string
	copies []pdf.Copy
	// mixed is set when a run joins matrix forms of different unit lists (one PDF of slips).
	mixed bool
	// slipUnits names, by form code, the units of a matrix form issued for a list.
	slipUnits map[string]string
}

// subsetKey is a form's unit list in one order, to tell runs apart.
func subsetKey(f *store.IssuedForm) []string {
	k := slices.Clone(f.Units)
	slices.Sort(k)
	return k
}

// runs streams the selection's live forms grouped into print runs, one group × unit at a time,
// so that memory holds one run, never the whole campaign.
func (s *Service) runs(ctx context.Context, c *store.Campaign, sel Selection, fn func(run) error) error {
	var cur *run
	err := s.DB.Forms(ctx, c.ID, store.FormFilter{Group: sel.Group, Unit: sel.Unit}, func(f *store.IssuedForm) error {
		subset := subsetKey(f)
		if cur != nil && (cur.group.Code != f.Group || cur.unit != f.Unit || !slices.Equal(cur.subset, subset)) {
			if err := fn(*cur); err != nil {
				return err
			}
			cur = nil
		}
		if cur == nil {
			g := c.Def.Group(f.Group)
			if g == nil {
				return fmt.Errorf("nhóm %s không còn trong định nghĩa", f.Group)
			}
			cur = &run{group: g, unit: f.Unit, subset: subset}
		}
		cur.copies = append(cur.copies, pdf.Copy{Code: f.Code, Link: s.FormLink(f)})
		return nil
	})
	if err != nil {
		return err
	}
	if cur != nil {
		return fn(*cur)
	}
	return nil
}

// Count returns how many copies a selection prints.
func (s *Service) Count(ctx context.Context, c *store.Campaign, sel Selection) (int, error) {
	p, err := s.Plan(ctx, c, sel)
	return p.Copies, err
}

// Plan is what printing a selection makes: how many copies in how many runs (group × unit),
// and whether it is one PDF or a ZIP of them.
type Plan struct {
	Copies int
	Runs   int
}

// PDF reports whether the selection prints as one PDF file: one group × unit, within the
// copies one PDF holds. Anything larger is a ZIP with a PDF per group × unit.
func (p Plan) PDF() bool { return p.Runs == 1 && p.Copies <= pdfLimit }

// Plan counts what a selection prints.
func (s *Service) Plan(ctx context.Context, c *store.Campaign, sel Selection) (Plan, error) {
	var p Plan
	last := ""
	err := s.DB.Forms(ctx, c.ID, store.FormFilter{Group: sel.Group, Unit: sel.Unit}, func(f *store.IssuedForm) error {
		p.Copies++
		if key := f.Group + "/" + f.Unit + "/" + strings.Join(subsetKey(f), ","); key != last {
			p.Runs, last = p.Runs+1, key
		}
		return nil
	})
	return p, err
}

// Print prints a selection as Plan says: one PDF, or a ZIP of PDFs. progress is called with
// copies done and total, after each file of a ZIP and once a PDF is written.
func (s *Service) Print(ctx context.Context, c *store.Campaign, sel Selection, p Plan, w io.Writer, progress func(done, total int)) error {
	if !p.PDF() {
		return s.PrintZIP(ctx, c, sel, w, progress)
	}
	if err := s.PrintPDF(ctx, c, sel, w); err != nil {
		return err
	}
	if progress != nil {
		progress(p.Copies, p.Copies)
	}
	return nil
}

// writeRun prints one run: questionnaires for a group collected on paper, slips for an
// online-only group.
func (s *Service) writeRun(w io.Writer, c *store.Campaign, r run) error {
	def := c.Def
	if !r.group.Has(campaign.ChannelPaper) {
		// A run may hold several units (a whole group in one PDF): each slip names its own,
		// found by the unit part of its code.
		names := map[string]string{}
		for _, u := range def.UnitsOfKind(r.group.Evaluates) {
			names[formcode.Fold(u.Code)] = u.Name
		}
		all := "Các đơn vị được đánh giá" // what a matrix form is about: every unit of its kind
		if k := def.Kind(r.group.Evaluates); k != nil {
			all = "Các " + lowerFirst(k.Name)
		}
		slips := make([]pdf.Slip, len(r.copies))
		for i, cp := range r.copies {
			unitName := all
			if code, err := formcode.Parse(cp.Code); err == nil && names[code.Unit] != "" {
				unitName = names[code.Unit]
			}
			if listed := r.slipUnits[cp.Code]; listed != "" {
				unitName = listed
			}
			slips[i] = pdf.Slip{Code: cp.Code, Link: cp.Link, Group: r.group.Name, Unit: unitName}
		}
		return pdf.WriteSlips(w, pdf.SlipSheet{Title: def.Name, Closes: def.Closes.Time, Contact: def.Contact}, slips)
	}
	q := def.Questionnaire(r.group.Form)
	if q == nil {
		return fmt.Errorf("nhóm %s không có mẫu phiếu", r.group.Code)
	}
	if r.mixed {
		return fmt.Errorf("các phiếu ma trận của nhóm %s được phát cho những danh sách đơn vị khác nhau: in ra tệp ZIP (mỗi danh sách một tệp PDF)", r.group.Code)
	}
	return pdf.WriteQuestionnaires(w, q, def.MatrixUnits(r.group, r.subset), def.Organizer, r.copies)
}

// PrintPDF prints a selection that makes one file: one group (and, if given, one unit).
func (s *Service) PrintPDF(ctx context.Context, c *store.Campaign, sel Selection, w io.Writer) error {
	if sel.Group == "" {
		return fmt.Errorf("in ra một tệp PDF cần chọn một nhóm; nhiều nhóm thì in ra tệp ZIP")
	}
	runs := 0
	var all run
	err := s.runs(ctx, c, sel, func(r run) error {
		runs++
		if all.group == nil {
			all = r
			all.slipUnits = map[string]string{}
		} else {
			all.copies = append(all.copies, r.copies...)
			all.unit = ""
			all.mixed = all.mixed || !slices.Equal(all.subset, r.subset)
		}
		if len(r.subset) > 0 {
			for _, cp := range r.copies {
				all.slipUnits[cp.Code] = subsetLabel(c.Def, r.group, r.subset)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if runs == 0 {
		return fmt.Errorf("chưa có phiếu nào được phát cho lựa chọn này")
	}
	if len(all.copies) > pdfLimit {
		return fmt.Errorf("%d bản là quá nhiều cho một tệp PDF (tối đa %d): chọn từng đơn vị hoặc in ra tệp ZIP", len(all.copies), pdfLimit)
	}
	return s.writeRun(w, c, all)
}

// pdfLimit caps one PDF: gofpdf holds a whole document in memory.
const pdfLimit = 2000

// zipBatch caps the copies of one PDF inside a ZIP, for the same reason.
const zipBatch = 500

// PrintZIP prints a selection as a ZIP of PDFs, one per group × unit (split further past
// zipBatch copies), calling progress after each file with copies done and total.
func (s *Service) PrintZIP(ctx context.Context, c *store.Campaign, sel Selection, w io.Writer, progress func(done, total int)) error {
	total, err := s.Count(ctx, c, sel)
	if err != nil {
		return err
	}
	if total == 0 {
		return fmt.Errorf("chưa có phiếu nào được phát cho lựa chọn này")
	}
	zw := zip.NewWriter(w)
	done := 0
	err = s.runs(ctx, c, sel, func(r run) error {
		for start := 0; start < len(r.copies); start += zipBatch {
			part := r.copies[start:min(start+zipBatch, len(r.copies))]
			name := r.group.Code + "_" + unitPart(r.unit)
			if len(r.subset) > 0 {
				// Runs of several unit lists share group and MT: the first code tells them apart.
				name = r.group.Code + "_" + strings.ReplaceAll(r.copies[0].Code, "-", "_")
			}
			if len(r.copies) > zipBatch {
				name += fmt.Sprintf("_%03d", start/zipBatch+1)
			}
			f, err := zw.Create(name + ".pdf")
			if err != nil {
				return err
			}
			pr := run{group: r.group, unit: r.unit, subset: r.subset, copies: part, slipUnits: map[string]string{}}
			if len(r.subset) > 0 {
				for _, cp := range part {
					pr.slipUnits[cp.Code] = subsetLabel(c.Def, r.group, r.subset)
				}
			}
			if err := s.writeRun(f, c, pr); err != nil {
				return fmt.Errorf("in %s: %w", name, err)
			}
			done += len(part)
			if progress != nil {
				progress(done, total)
			}
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return zw.Close()
}

// subsetLabel is what a slip says a matrix form issued for a list of units is about: "3 đơn
// vị: Xã An Bình, Xã Bình Sơn, Xã Cát Lâm".
func subsetLabel(def *campaign.Definition, g *campaign.Group, subset []string) string {
	units := def.MatrixUnits(g, subset)
	names := make([]string, len(units))
	for i, u := range units {
		names[i] = u.Name
	}
	return fmt.Sprintf("%d đơn vị: %s", len(units), strings.Join(names, ", "))
}

func unitPart(unit string) string {
	if unit == "" {
		return formcode.Matrix
	}
	return unit
}

// lowerFirst writes a name's first letter in lower case, for use inside a phrase: "Sở, ban,
// ngành" → "sở, ban, ngành".
func lowerFirst(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return s
	}
	return strings.ToLower(string(r[0])) + string(r[1:])
}
