package analysis

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/scoring"
)

// Replicates and Seed are the bootstrap's defaults: enough resamples for a 95% percentile
// interval, and a fixed seed so that the same data always give the same interval.
const (
	Replicates = 200
	Seed       = 2026
)

// Precision is how precisely the survey measured each unit's total: a 95% interval from a
// bootstrap over forms, and the ranks each unit could hold.
type Precision struct {
	Replicates int
	Seed       uint64
	// Units are in definition order.
	Units []UnitPrecision
}

// UnitPrecision is one unit's total with its 95% interval.
type UnitPrecision struct {
	Unit, Kind string
	// Total and Rank are the unit's exact total and rank on all valid forms (internal/scoring).
	Total *big.Rat
	Rank  int
	// Forms is the unit's valid forms, a matrix form once per unit (domain.md step 7).
	Forms int64
	// Low and High bound the 95% percentile interval of the total over the resamples: two of
	// the resamples' exact totals.
	Low, High *big.Rat
	// RankLow and RankHigh bound the ranks (among units of its kind) the unit held in the
	// middle 95% of the resamples.
	RankLow, RankHigh int
	// Overlaps lists the units of the same kind whose intervals overlap this one's, in
	// ranking order: their ranks cannot be told apart from this unit's.
	Overlaps []string
}

// PrecisionMethod states the method of Bootstrap in Vietnamese, for the page and the report.
func PrecisionMethod(p *Precision) []string {
	return []string{
		fmt.Sprintf("Khoảng tin cậy 95%% của tổng điểm mỗi đơn vị được ước lượng bằng phương pháp bootstrap: lấy mẫu lặp lại có hoàn lại %d lần từ các phiếu hợp lệ, "+
			"riêng trong từng nhóm đối tượng × đơn vị (giữ nguyên số phiếu của mỗi nhóm), rồi tính lại toàn bộ điểm theo đúng phương pháp tính điểm của đợt khảo sát.", p.Replicates),
		"Khoảng tin cậy là khoảng từ phân vị 2,5% đến phân vị 97,5% của tổng điểm qua các lần lấy mẫu; khoảng hạng là hạng thấp nhất và cao nhất trong 95% số lần lấy mẫu ở giữa.",
		"Tỷ lệ hài lòng nhập từ nguồn ngoài (SIPAS) được giữ nguyên, nên khoảng tin cậy chỉ phản ánh sai số do chọn mẫu người trả lời phiếu.",
		"Hai đơn vị có khoảng tin cậy giao nhau thì không phân biệt được thứ hạng của chúng với độ tin cậy 95%.",
		fmt.Sprintf("Hạt giống ngẫu nhiên cố định (%d), nên cùng một bộ dữ liệu luôn cho cùng kết quả.", p.Seed),
	}
}

// stratum is the valid forms of one group about one unit, by index into Data.Forms.
type stratum struct{ forms []int }

// Bootstrap re-scores the campaign replicates times on resamples of its valid forms, drawn with
// replacement within each group × unit so that every group keeps its number of forms, with
// the imported ratios unchanged, and reports each unit's 95% percentile interval and range of
// ranks. Scoring is internal/scoring's, unchanged. The seed fixes the draws. It stops with ctx's error when ctx ends first.
func Bootstrap(ctx context.Context, def *campaign.Definition, data *Data, replicates int, seed uint64) (*Precision, error) {
	if replicates < 1 {
		replicates = Replicates
	}
	base, err := scoring.New(def)
	if err != nil {
		return nil, fmt.Errorf("analysis: bootstrap: %w", err)
	}
	var strata []*stratum
	at := map[[2]string]*stratum{}
	forms := map[string]int64{}
	for i := range data.Forms {
		f := &data.Forms[i]
		if !f.Counts() {
			continue
		}
		if g := def.Group(f.Group); g == nil || g.Imported() {
			continue
		}
		if err := base.Add(scoring.Form{Group: f.Group, Unit: f.Unit, Answers: f.Answers}); err != nil {
			return nil, fmt.Errorf("analysis: bootstrap: response %d: %w", f.Response, err)
		}
		forms[f.Unit]++
		key := [2]string{f.Group, f.Unit}
		s := at[key]
		if s == nil {
			s = &stratum{}
			at[key] = s
			strata = append(strata, s)
		}
		s.forms = append(s.forms, i)
	}
	for _, r := range data.Ratios {
		if err := base.Import(r); err != nil {
			return nil, fmt.Errorf("analysis: bootstrap: %w", err)
		}
	}
	res := base.Result()
	p := &Precision{Replicates: replicates, Seed: seed}
	index := map[string]int{}
	for i, u := range res.Units {
		index[u.Unit] = i
		p.Units = append(p.Units, UnitPrecision{Unit: u.Unit, Kind: u.Kind, Total: u.Total, Rank: u.Rank, Forms: forms[u.Unit]})
	}
	totals := make([][]*big.Rat, len(res.Units)) // [unit][replicate]
	ranks := make([][]int, len(res.Units))
	for i := range totals {
		totals[i] = make([]*big.Rat, replicates)
		ranks[i] = make([]int, replicates)
	}
	// Replicates run in parallel, each with its own generator seeded from (seed, replicate), so
	// the draws do not depend on how many run at once.
	jobs := make(chan int)
	errs := make(chan error, replicates)
	var wg sync.WaitGroup
	for range max(1, min(runtime.GOMAXPROCS(0), replicates)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range jobs {
				if err := ctx.Err(); err != nil {
					errs <- err
					continue
				}
				if err := replicate(def, data, strata, index, seed, b, totals, ranks, p.Units); err != nil {
					errs <- err
				}
			}
		}()
	}
	for b := range replicates {
		jobs <- b
	}
	close(jobs)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return nil, fmt.Errorf("analysis: bootstrap: %w", err)
	}
	lo, hi := percentileIndexes(replicates)
	for i := range p.Units {
		t := slices.Clone(totals[i])
		slices.SortFunc(t, (*big.Rat).Cmp)
		p.Units[i].Low, p.Units[i].High = t[lo], t[hi]
		r := slices.Clone(ranks[i])
		slices.Sort(r)
		p.Units[i].RankLow, p.Units[i].RankHigh = r[lo], r[hi]
	}
	for i := range p.Units {
		u := &p.Units[i]
		var others []*UnitPrecision
		for j := range p.Units {
			o := &p.Units[j]
			if j != i && o.Kind == u.Kind && o.Low.Cmp(u.High) <= 0 && u.Low.Cmp(o.High) <= 0 {
				others = append(others, o)
			}
		}
		slices.SortStableFunc(others, func(a, b *UnitPrecision) int { return a.Rank - b.Rank })
		for _, o := range others {
			u.Overlaps = append(u.Overlaps, o.Unit)
		}
	}
	return p, nil
}

// replicate scores resample b and records each unit's total and rank in column b.
func replicate(def *campaign.Definition, data *Data, strata []*stratum, index map[string]int, seed uint64, b int,
	totals [][]*big.Rat, ranks [][]int, units []UnitPrecision) error {
	rng := rand.New(rand.NewPCG(seed, uint64(b)))
	sc, err := scoring.New(def)
	if err != nil {
		return err
	}
	for _, s := range strata {
		n := len(s.forms)
		for range n {
			f := &data.Forms[s.forms[rng.IntN(n)]]
			if err := sc.Add(scoring.Form{Group: f.Group, Unit: f.Unit, Answers: f.Answers}); err != nil {
				return err
			}
		}
	}
	for _, r := range data.Ratios {
		if err := sc.Import(r); err != nil {
			return err
		}
	}
	for _, u := range sc.Result().Units {
		totals[index[u.Unit]][b] = u.Total
	}
	rankReplicate(units, totals, ranks, b)
	return nil
}

// percentileIndexes are the positions of the 2.5th and 97.5th percentiles in n sorted values.
func percentileIndexes(n int) (lo, hi int) {
	lo = int(math.Floor(0.025 * float64(n)))
	hi = int(math.Ceil(0.975*float64(n))) - 1
	return min(max(lo, 0), n-1), min(max(hi, 0), n-1)
}

// rankReplicate ranks the units of each kind on replicate b's totals: equal totals share a
// rank and the next is skipped (1, 2, 2, 4), as scoring ranks (domain.md step 7).
func rankReplicate(units []UnitPrecision, totals [][]*big.Rat, ranks [][]int, b int) {
	byKind := map[string][]int{}
	for i, u := range units {
		byKind[u.Kind] = append(byKind[u.Kind], i)
	}
	for _, idx := range byKind {
		slices.SortFunc(idx, func(x, y int) int { return totals[y][b].Cmp(totals[x][b]) })
		for pos, i := range idx {
			if pos > 0 && totals[i][b].Cmp(totals[idx[pos-1]][b]) == 0 {
				ranks[i][b] = ranks[idx[pos-1]][b]
			} else {
				ranks[i][b] = pos + 1
			}
		}
	}
}
