package scorerun

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"math/big"
	"slices"
	"strconv"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/intake"
	"github.com/parsurvey/parsurvey/internal/response"
	"github.com/parsurvey/parsurvey/internal/scoring"
	"github.com/parsurvey/parsurvey/internal/store"
)

// Run is a score run: the effective definition and method it used, a digest of every input,
// when and by whom, and every figure exactly (domain.md, "Answers and scoring").
type Run struct {
	// ID is 0 until the run is saved.
	ID              int64
	CampaignID      int64
	CampaignCode    string
	CampaignVersion int
	// Def is the effective definition: the version's definition with Settings laid over it.
	Def      *campaign.Definition
	Settings campaign.Settings
	Method   Method
	// InputDigest is "sha256:…" over the definition, the settings, every counted answer (with
	// its response id, group and unit) and every imported ratio.
	InputDigest string
	// ResultDigest is "sha256:…" of the stored figures.
	ResultDigest string
	CreatedAt    time.Time
	CreatedBy    string
	Result       *scoring.Result
	// Tally counts returned, valid and invalid forms per group × unit at the time of the run.
	Tally []store.Tally
	// Reused is set by Save when the campaign's newest run had the same inputs and figures:
	// nothing was stored and ID, CreatedAt and CreatedBy name that run.
	Reused bool
}

// snapshot is what a run stores as its figures.
type snapshot struct {
	Result *scoring.Result `json:"result"`
	Tally  []store.Tally   `json:"tally"`
}

// digestVersion names the layout of the input digest, so that a later change of layout cannot
// pass for the same inputs.
const digestVersion = "parsurvey-score-inputs-v1"

// Score scores a campaign from the database as it stands: it first judges again, under the
// stored settings, responses that arrived after a rule change, then streams every counted answer
// into the scorer in one query, adds the imported ratios and builds the result. The run is not
// saved; see Save. userID is recorded on any re-validation it audits.
func Score(ctx context.Context, db *store.DB, campaignID, userID int64) (*Run, error) {
	camp, err := db.Campaign(ctx, campaignID)
	if err != nil {
		return nil, fmt.Errorf("scorerun: campaign %d: %w", campaignID, err)
	}
	if err := intake.CatchUp(ctx, db, camp, userID); err != nil {
		return nil, fmt.Errorf("scorerun: judge new responses of %s: %w", camp.Code, err)
	}
	cs, err := db.CampaignSettings(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	settings := cs.Overrides
	def := settings.Apply(camp.Def)
	sc, err := scoring.New(def)
	if err != nil {
		return nil, fmt.Errorf("scorerun: compile %s: %w", camp.Code, err)
	}

	h := sha256.New()
	fmt.Fprintf(h, "%s\ndefinition %s\nsettings %s\n", digestVersion, camp.Digest, settings.JSON())
	buf := make([]byte, 0, 256)
	tally := map[[2]string]*store.Tally{}
	err = db.ScoringRows(ctx, campaignID, func(r *store.ScoringRow) error {
		t := tally[[2]string{r.Group, r.Unit}]
		if t == nil {
			t = &store.Tally{Group: r.Group, Unit: r.Unit}
			tally[[2]string{r.Group, r.Unit}] = t
		}
		t.Forms++
		switch {
		case !r.Judged:
			t.Pending++
			return nil
		case !r.Valid:
			t.Invalid++
			return nil
		}
		t.Valid++
		// domain.md step 2: only valid forms count; step 7: a matrix form once per unit.
		if err := sc.Add(scoring.Form{Group: r.Group, Unit: r.Unit, Answers: response.Answers(r.Answers)}); err != nil {
			return fmt.Errorf("response %d: %w", r.ResponseID, err)
		}
		buf = strconv.AppendInt(buf[:0], r.ResponseID, 10)
		buf = append(buf, ' ')
		buf = append(buf, r.Group...)
		buf = append(buf, ' ')
		buf = append(buf, r.Unit...)
		buf = append(buf, ' ')
		buf = append(buf, r.Answers...)
		buf = append(buf, '\n')
		h.Write(buf)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("scorerun: score %s: %w", camp.Code, err)
	}
	if err := addRatios(ctx, db, campaignID, sc, h); err != nil {
		return nil, fmt.Errorf("scorerun: score %s: %w", camp.Code, err)
	}
	return &Run{
		CampaignID: campaignID, CampaignCode: camp.Code, CampaignVersion: camp.Version,
		Def: def, Settings: settings, Method: MethodOf(def),
		InputDigest: "sha256:" + hex.EncodeToString(h.Sum(nil)),
		Result:      sc.Result(), Tally: sortedTally(tally),
	}, nil
}

// sortedTally lists the counts by group and unit code.
func sortedTally(m map[[2]string]*store.Tally) []store.Tally {
	out := make([]store.Tally, 0, len(m))
	for _, t := range m {
		out = append(out, *t)
	}
	slices.SortFunc(out, func(a, b store.Tally) int {
		return cmp.Or(cmp.Compare(a.Group, b.Group), cmp.Compare(a.Unit, b.Unit))
	})
	return out
}

// addRatios feeds the imported ratios to the scorer (domain.md step 8) and into the digest.
func addRatios(ctx context.Context, db *store.DB, campaignID int64, sc *scoring.Scorer, h hash.Hash) error {
	ratios, err := db.Ratios(ctx, campaignID)
	if err != nil {
		return err
	}
	for _, r := range ratios {
		v, ok := new(big.Rat).SetString(r.Ratio)
		if !ok {
			return fmt.Errorf("imported ratio %q of %s for %s is not a number", r.Ratio, r.Group, r.Unit)
		}
		if err := sc.Import(scoring.Ratio{Group: r.Group, Unit: r.Unit, Sub: r.Sub, Value: v}); err != nil {
			return err
		}
		fmt.Fprintf(h, "ratio %s %s %s %s\n", r.Group, r.Unit, r.Sub, v.RatString())
	}
	return nil
}

// Save stores the run as a snapshot made by the user and sets its id, time and author. When the
// campaign's newest run has the same input digest and figures, Save stores nothing and names that
// run instead (Reused); see store.DB.SaveScoreRun.
func Save(ctx context.Context, db *store.DB, run *Run, userID int64) error {
	body, err := json.Marshal(snapshot{Result: run.Result, Tally: run.Tally})
	if err != nil {
		return fmt.Errorf("scorerun: encode run of %s: %w", run.CampaignCode, err)
	}
	method, err := json.Marshal(run.Method)
	if err != nil {
		return fmt.Errorf("scorerun: encode method of %s: %w", run.CampaignCode, err)
	}
	sum := sha256.Sum256(body)
	run.ResultDigest = "sha256:" + hex.EncodeToString(sum[:])
	sr := &store.ScoreRun{CampaignID: run.CampaignID, CampaignVersion: run.CampaignVersion, Settings: run.Settings.JSON(),
		Method: string(method), InputDigest: run.InputDigest, ResultDigest: run.ResultDigest, Forms: run.Result.Forms,
		Result: body, CreatedByID: userID}
	if err := db.SaveScoreRun(ctx, sr); err != nil {
		return err
	}
	run.ID, run.CreatedAt, run.Reused = sr.ID, sr.CreatedAt, sr.Reused
	if sr.Reused {
		run.CreatedBy = sr.CreatedBy
	} else if u, err := db.UserByID(ctx, userID); err == nil {
		run.CreatedBy = u.Username
	}
	return nil
}

// ComputeAndSave scores a campaign (Score) and stores the run (Save) in one call; a run with the
// newest run's inputs reuses it (Run.Reused).
func ComputeAndSave(ctx context.Context, db *store.DB, campaignID, userID int64) (*Run, error) {
	run, err := Score(ctx, db, campaignID, userID)
	if err != nil {
		return nil, err
	}
	if err := Save(ctx, db, run, userID); err != nil {
		return nil, err
	}
	return run, nil
}

// Load reads a stored run back, with the definition of the version it used and its settings,
// so an earlier run stays readable after the campaign's settings or definition change. runID 0
// loads the newest run; store.ErrNotFound when there is none.
func Load(ctx context.Context, db *store.DB, campaignID, runID int64) (*Run, error) {
	var sr *store.ScoreRun
	var err error
	if runID == 0 {
		sr, err = db.LatestScoreRun(ctx, campaignID)
	} else {
		sr, err = db.ScoreRun(ctx, campaignID, runID)
	}
	if err != nil {
		return nil, err
	}
	base, err := db.DefinitionVersion(ctx, campaignID, sr.CampaignVersion)
	if err != nil {
		return nil, err
	}
	settings, err := campaign.ParseSettings(sr.Settings)
	if err != nil {
		return nil, err
	}
	run := &Run{ID: sr.ID, CampaignID: sr.CampaignID, CampaignCode: base.Code, CampaignVersion: sr.CampaignVersion,
		Def: settings.Apply(base), Settings: settings, InputDigest: sr.InputDigest, ResultDigest: sr.ResultDigest,
		CreatedAt: sr.CreatedAt, CreatedBy: sr.CreatedBy}
	if err := json.Unmarshal([]byte(sr.Method), &run.Method); err != nil {
		return nil, fmt.Errorf("scorerun: decode method of run %d: %w", sr.ID, err)
	}
	var snap snapshot
	if err := json.Unmarshal(sr.Result, &snap); err != nil {
		return nil, fmt.Errorf("scorerun: decode run %d: %w", sr.ID, err)
	}
	run.Result, run.Tally = snap.Result, snap.Tally
	if run.Result == nil {
		return nil, fmt.Errorf("scorerun: run %d has no figures", sr.ID)
	}
	return run, nil
}

// TallyFor returns the run's count for a group and unit (zero when none came).
func (r *Run) TallyFor(group, unit string) store.Tally {
	for _, t := range r.Tally {
		if t.Group == group && t.Unit == unit {
			return t
		}
	}
	return store.Tally{Group: group, Unit: unit}
}

// Totals sums the run's tally: returned, valid, invalid and pending forms (per unit covered).
func (r *Run) Totals() store.Tally {
	var t store.Tally
	for _, x := range r.Tally {
		t.Forms += x.Forms
		t.Valid += x.Valid
		t.Invalid += x.Invalid
		t.Pending += x.Pending
	}
	return t
}
