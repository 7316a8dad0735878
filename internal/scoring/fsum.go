package scoring

import "math/big"

// fsum is an exact weighted sum of fractions kept as one unreduced fraction num/den: adding
// costs a few integer multiplications and only the final value is reduced, one gcd per figure
// instead of one per addition (big.Rat reduces after every operation).
type fsum struct {
	num, den, t big.Int
	n64, d64    big.Int // add64's arguments
}

func (s *fsum) reset() {
	s.num.SetInt64(0)
	s.den.SetInt64(1)
}

// add adds w·n/d for d > 0.
func (s *fsum) add(w int64, n, d *big.Int) {
	s.t.SetInt64(w)
	s.t.Mul(&s.t, n)
	if d.Cmp(&s.den) == 0 {
		s.num.Add(&s.num, &s.t)
		return
	}
	s.t.Mul(&s.t, &s.den)
	s.num.Mul(&s.num, d)
	s.num.Add(&s.num, &s.t)
	s.den.Mul(&s.den, d)
}

// add64 adds w·n/d for d > 0.
func (s *fsum) add64(w, n, d int64) {
	s.n64.SetInt64(n)
	s.d64.SetInt64(d)
	s.add(w, &s.n64, &s.d64)
}

// addRat adds w·r.
func (s *fsum) addRat(w int64, r *big.Rat) { s.add(w, r.Num(), r.Denom()) }

// quo returns the sum divided by div (> 0) as a new reduced number.
func (s *fsum) quo(div int64) *big.Rat {
	s.t.SetInt64(div)
	s.t.Mul(&s.t, &s.den)
	return new(big.Rat).SetFrac(&s.num, &s.t)
}
