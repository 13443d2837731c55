package solver

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// pwl is f(π) = min_j a_j + c_j·π, a concave piecewise-linear function like
// a Lagrangian dual (one piece per flow solution).
type pwl struct {
	a []float64
	c [][]float64
}

func (p *pwl) eval(pi []float64) (float64, []float64) {
	best, arg := math.Inf(1), 0
	for j := range p.a {
		v := p.a[j]
		for r, x := range pi {
			v += p.c[j][r] * x
		}
		if v < best {
			best, arg = v, j
		}
	}
	return best, p.c[arg]
}

// maxByLP is the exact maximum of f over the box, from one LP:
// max θ s.t. θ - c_j·π <= a_j, π <= hi, with θ = θ⁺ - θ⁻.
func (p *pwl) maxByLP(t *testing.T, hi []float64) float64 {
	m, J := len(hi), len(p.a)
	nv := 2 + m
	nr := J + m
	A := mat.NewDense(nr, nv+nr, nil)
	b := make([]float64, nr)
	c := make([]float64, nv+nr)
	c[0], c[1] = -1, 1
	for j := range J {
		A.Set(j, 0, 1)
		A.Set(j, 1, -1)
		for r := range m {
			A.Set(j, 2+r, -p.c[j][r])
		}
		b[j] = p.a[j]
	}
	for r := range m {
		A.Set(J+r, 2+r, 1)
		b[J+r] = hi[r]
	}
	for i := range nr {
		A.Set(i, nv+i, 1)
	}
	f, _, err := lp.Simplex(c, A, b, 1e-10, nil)
	if err != nil {
		t.Fatalf("reference LP: %v", err)
	}
	return -f
}

func randomPWL(r *rand.Rand, m, pieces int) *pwl {
	p := &pwl{}
	for range pieces {
		p.a = append(p.a, 100*r.Float64()-50)
		g := make([]float64, m)
		for i := range g {
			g[i] = float64(r.IntN(11) - 5) // integer gradients, as row activities are
		}
		p.c = append(p.c, g)
	}
	return p
}

// TestBoxstepFindsMaximum: on random concave piecewise-linear functions,
// boxstep reaches the maximum that one LP over all the pieces computes,
// every reported value is the function's value at the reported point, and
// no value exceeds the maximum.
func TestBoxstepFindsMaximum(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	for trial := range 40 {
		m := 1 + r.IntN(6)
		p := randomPWL(r, m, 5+r.IntN(25))
		hi := make([]float64, m)
		for i := range hi {
			hi[i] = 5 + 20*r.Float64()
			if r.IntN(4) == 0 {
				hi[i] = math.Inf(1)
			}
		}
		// An unbounded direction would make the maximum infinite; the
		// cap of boxstep (1e6) is then the box. Keep the test finite.
		capped := append([]float64(nil), hi...)
		for i := range capped {
			capped[i] = math.Min(capped[i], 1e6)
		}
		want := p.maxByLP(t, capped)
		calls := 0
		oracle := func(pi []float64) (float64, []float64, bool) {
			calls++
			v, g := p.eval(pi)
			return v, g, true
		}
		res := boxstep(make([]float64, m), hi, oracle, 500, 1, math.Inf(1), 1e-9)
		got, _ := p.eval(res.Pi)
		if math.Abs(got-res.Value) > 1e-9*math.Max(1, math.Abs(got)) {
			t.Fatalf("trial %d: reported %v, f at the point is %v", trial, res.Value, got)
		}
		for i, x := range res.Pi {
			if x < 0 || x > hi[i] {
				t.Fatalf("trial %d: π[%d] = %v outside [0, %v]", trial, i, x, hi[i])
			}
		}
		tol := 1e-6 * math.Max(1, math.Abs(want))
		if res.Value > want+tol {
			t.Fatalf("trial %d: value %v above the maximum %v", trial, res.Value, want)
		}
		if res.Value < want-tol {
			t.Fatalf("trial %d (m=%d, %d pieces): value %v, maximum %v after %d calls (converged %v)", trial, m, len(p.a), res.Value, want, res.Iters, res.Converged)
		}
		if calls != res.Iters {
			t.Fatalf("trial %d: %d oracle calls, reported %d", trial, calls, res.Iters)
		}
	}
}

// TestBoxstepStops: a target already reached stops after one call, and an
// infeasible oracle is reported, not hidden.
func TestBoxstepStops(t *testing.T) {
	p := randomPWL(rand.New(rand.NewPCG(1, 2)), 3, 10)
	oracle := func(pi []float64) (float64, []float64, bool) { v, g := p.eval(pi); return v, g, true }
	res := boxstep(make([]float64, 3), []float64{10, 10, 10}, oracle, 100, 1, math.Inf(-1), 0)
	if res.Iters != 1 {
		t.Errorf("target -Inf: %d calls, want 1", res.Iters)
	}
	bad := func(pi []float64) (float64, []float64, bool) { return 0, nil, false }
	if res := boxstep(make([]float64, 3), []float64{1, 1, 1}, bad, 100, 1, math.Inf(1), 0); res.Feasible {
		t.Errorf("infeasible oracle reported feasible")
	}
}
