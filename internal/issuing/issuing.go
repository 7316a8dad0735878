// Package issuing turns a campaign's quotas into coded forms and prints them: questionnaires for
// paper groups, invitation slips for online groups, and distribution lists.
package issuing

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/fault"
	"github.com/parsurvey/parsurvey/internal/formcode"
	"github.com/parsurvey/parsurvey/internal/pdf"
	"github.com/parsurvey/parsurvey/internal/store"
)

// Service issues and prints the forms of campaigns.
type Service struct {
	DB      *store.DB
	BaseURL string
}

// Link is the address a form's QR code and slip point to.
func (s *Service) Link(token string) string { return strings.TrimRight(s.BaseURL, "/") + "/p/" + token }

// Issue creates the forms the selection still lacks (quota plus reservePercent), and returns how
// many it created; asking again creates nothing more.
func (s *Service) Issue(ctx context.Context, c *store.Campaign, group, unit string, reservePercent int, userID int64) (int, error) {
	plan, err := c.Def.IssuePlan(group, unit, reservePercent)
	if err != nil {
		return 0, fault.New(fault.Invalid, capitalize(err.Error())+".", err) // IssuePlan's messages are written for staff
	}
	for _, t := range plan {
		if t.Quota+t.Reserve > formcode.MaxSerial {
			return 0, fault.New(fault.Invalid, fmt.Sprintf("Không phát được phiếu: nhóm %s, đơn vị %s cần %d phiếu, vượt quá %d số thứ tự của mã phiếu.", t.Group, t.Unit, t.Quota+t.Reserve, formcode.MaxSerial), nil)
		}
	}
	n, err := s.DB.Issue(ctx, c.ID, userID, plan)
	if errors.Is(err, store.ErrSerialsUsedUp) {
		return 0, fault.New(fault.Conflict, capitalize(strings.TrimPrefix(err.Error(), "store: form serials used up: "))+".", err)
	}
	return n, err
}

// Selection names what to print: a group (all when empty) and a unit (all when empty).
type Selection struct {
	Group string
	Unit  string
}

// run is the copies of one group for one unit ("" for matrix forms), printed as one file.
type run struct {
	group  *campaign.Group
	unit   string
	copies []pdf.Copy
}

// runs streams the selection's live forms grouped into print runs, one group × unit at a time,
// so that memory holds one run, never the whole campaign.
func (s *Service) runs(ctx context.Context, c *store.Campaign, sel Selection, fn func(run) error) error {
	var cur *run
	err := s.DB.Forms(ctx, c.ID, store.FormFilter{Group: sel.Group, Unit: sel.Unit}, func(f *store.IssuedForm) error {
		if cur != nil && (cur.group.Code != f.Group || cur.unit != f.Unit) {
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
			cur = &run{group: g, unit: f.Unit}
		}
		cur.copies = append(cur.copies, pdf.Copy{Code: f.Code, Link: s.Link(f.Token)})
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
	n := 0
	err := s.DB.Forms(ctx, c.ID, store.FormFilter{Group: sel.Group, Unit: sel.Unit}, func(*store.IssuedForm) error {
		n++
		return nil
	})
	return n, err
}

// writeRun prints one run: questionnaires for a group collected on paper, slips for an
// online-only group.
func (s *Service) writeRun(w io.Writer, c *store.Campaign, r run) error {
	def := c.Def
	if !r.group.Has(campaign.ChannelPaper) {
		unitName := "các đơn vị được đánh giá"
		if u := def.Unit(r.unit); u != nil {
			unitName = u.Name
		}
		slips := make([]pdf.Slip, len(r.copies))
		for i, cp := range r.copies {
			slips[i] = pdf.Slip{Code: cp.Code, Link: cp.Link, Group: r.group.Name, Unit: unitName}
		}
		return pdf.WriteSlips(w, def.Name, slips)
	}
	q := def.Questionnaire(r.group.Form)
	if q == nil {
		return fmt.Errorf("nhóm %s không có mẫu phiếu", r.group.Code)
	}
	return pdf.WriteQuestionnaires(w, q, def.UnitsOfKind(r.group.Evaluates), def.Organizer, r.copies)
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
		} else {
			all.copies = append(all.copies, r.copies...)
			all.unit = ""
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
			if len(r.copies) > zipBatch {
				name += fmt.Sprintf("_%03d", start/zipBatch+1)
			}
			f, err := zw.Create(name + ".pdf")
			if err != nil {
				return err
			}
			if err := s.writeRun(f, c, run{group: r.group, unit: r.unit, copies: part}); err != nil {
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

func unitPart(unit string) string {
	if unit == "" {
		return formcode.Matrix
	}
	return unit
}

func capitalize(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return s
	}
	return strings.ToUpper(string(r[0])) + string(r[1:])
}
