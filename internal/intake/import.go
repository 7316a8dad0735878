package intake

import (
	"context"
	"errors"
	"io"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/fault"
	"github.com/parsurvey/parsurvey/internal/paper"
	"github.com/parsurvey/parsurvey/internal/store"
)

// ImportFile is an institute's file of forms keyed in Excel (the layout of README "Import
// layout"), uploaded by a member of staff.
type ImportFile struct {
	CampaignID int64
	// Def is the effective definition.
	Def    *campaign.Definition
	UserID int64
	Name   string
	Data   io.Reader
}

// Imported is what an import did: nothing stored and every wrong row listed, or the rows
// stored.
type Imported struct {
	// Errors are the wrong rows; when there is any, nothing was stored.
	Errors []paper.RowError
	// Stored and Already count the rows stored now and those an earlier upload stored;
	// Invalid the stored rows that are invalid forms.
	Stored, Already, Invalid int
}

// Import checks every row of a file like a keyed form and stores them all in one transaction,
// or none: a file with any wrong row is an Invalid error, with every row's line, column and
// reason in Imported.Errors. Rows an earlier upload stored as they are count as already there.
func (s *Service) Import(ctx context.Context, in ImportFile) (Imported, error) {
	var out Imported
	table, err := paper.ReadTable(in.Name, in.Data)
	if err != nil {
		out.Errors = []paper.RowError{{Line: 1, Msg: err.Error()}}
		return out, fault.New(fault.Invalid, "", err)
	}
	rows, errs := paper.ParseTable(in.Def, table)
	codes := make([]string, len(rows))
	for i, r := range rows {
		codes[i] = r.Code
	}
	facts, err := s.db.CodeFacts(ctx, in.CampaignID, codes)
	if err != nil {
		return out, err
	}
	unitIDs, err := s.db.UnitIDs(ctx, in.CampaignID)
	if err != nil {
		return out, err
	}
	var subs []*store.Submission
	var lines []int
	invalid := 0
	for _, r := range rows {
		cf, found := facts[r.Code]
		r, rowErrs := r.ForUnits(in.Def, cf.Units) // a matrix form issued for a list of units
		if len(rowErrs) > 0 {
			errs = append(errs, rowErrs...)
			continue
		}
		stored, rowErrs := paper.CheckRow(r, paper.RowFacts{Found: found, Voided: cf.Voided, Answered: cf.Answered, Digest: cf.Digest, Keyed: cf.Keyed})
		if len(rowErrs) > 0 {
			errs = append(errs, rowErrs...)
			continue
		}
		// A row sent again as it is goes to the store too, which counts it as already there and
		// never writes it twice; checking it in the same transaction keeps a race from slipping in.
		sub := paperSubmission(r.Layout, r.Entry, r.ReceivedOn, unitIDs)
		sub.Channel, sub.Digest, sub.FormID = string(campaign.ChannelFileImport), r.Digest, cf.FormID
		f := paper.ImportFacts(r)
		judge(in.Def, f).record(sub, f)
		subs = append(subs, sub)
		lines = append(lines, r.Line)
		if !stored && !sub.Valid {
			invalid++
		}
	}
	if len(errs) > 0 {
		out.Errors = errs
		return out, fault.New(fault.Invalid, "", nil)
	}
	res, err := s.db.ImportSubmissions(ctx, in.CampaignID, in.UserID, in.Name, subs)
	if errors.Is(err, store.ErrImportRefused) {
		for i, e := range res.Failed {
			msg := msgImportClash
			if errors.Is(e, store.ErrKeyingInProgress) {
				msg = msgImportKeying
			}
			out.Errors = append(out.Errors, paper.RowError{Line: lines[i], Column: paper.ColumnCode, Msg: msg})
		}
		return out, fault.New(fault.Invalid, "", err)
	}
	if err != nil {
		return out, err
	}
	out.Stored, out.Already = res.Stored, res.Already
	if res.Stored > 0 {
		out.Invalid = invalid
	}
	return out, nil
}
