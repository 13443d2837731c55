package solver

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/floats"
)

// plainQP is the bundle QP of bundleQP solved on every row, the dead ones
// included: the same accelerated projected gradient steps, written
// without the reduction, as the reference.
func plainQP(bundle []bundleCut, center, hi []float64, t float64, out []float64) float64 {
	k := len(bundle)
	var lip float64
	for _, c := range bundle {
		lip += floats.Dot(c.g, c.g)
	}
	lip *= t
	point := func(a, p []float64) {
		copy(p, center)
		for j, c := range bundle {
			floats.AddScaled(p, t*a[j], c.g)
		}
		for r := range p {
			p[r] = math.Min(hi[r], math.Max(0, p[r]))
		}
	}
	x := make([]float64, k)
	x[k-1] = 1
	y, prev := slices.Clone(x), slices.Clone(x)
	grad := make([]float64, k)
	p := make([]float64, len(center))
	tk := 1.0
	for iter := 0; iter < 50000 && lip > 0; iter++ {
		point(y, p)
		for j, c := range bundle {
			grad[j] = c.e + floats.Dot(c.g, p)
		}
		copy(prev, x)
		for j := range x {
			x[j] = y[j] - grad[j]/lip
		}
		projectSimplex(x)
		var dir float64
		for j := range y {
			dir += grad[j] * (x[j] - prev[j])
		}
		if dir > 0 {
			copy(y, x)
			tk = 1
			continue
		}
		tn := (1 + math.Sqrt(1+4*tk*tk)) / 2
		for j := range y {
			y[j] = x[j] + (tk-1)/tn*(x[j]-prev[j])
		}
		tk = tn
	}
	point(x, out)
	model := math.Inf(1)
	for _, c := range bundle {
		model = math.Min(model, c.e+floats.Dot(c.g, out))
	}
	return model
}

// TestBundleQPLiveRows holds bundleQP, which solves the QP on the rows
// that can leave their bound only, to the plain QP on every row: the
// same point and the same promise, on boxes where some rows sit at 0 or
// at their bound with every cut pushing them out, and others sit there
// with cuts that pull them in.
func TestBundleQPLiveRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 7))
	for trial := range 30 {
		R, k := 40, 1+rng.IntN(10)
		s := &search{rl: &relaxation{rows: make([]row, R)}}
		center, hi := make([]float64, R), make([]float64, R)
		dead := make([]int, R) // -1: held at 0 by every cut, 1: at hi
		for r := range R {
			hi[r] = 1 + 4*rng.Float64()
			s.rl.rows[r].hi = hi[r]
			switch rng.IntN(5) {
			case 0:
				dead[r] = -1
			case 1:
				center[r], dead[r] = hi[r], 1
			case 2: // at 0, live
			case 3:
				center[r] = hi[r]
			default:
				center[r] = hi[r] * rng.Float64()
			}
		}
		var cuts []bundleCut
		for range k {
			g := make([]float64, R)
			for r := range g {
				g[r] = rng.NormFloat64()
				if dead[r] != 0 {
					g[r] = float64(dead[r]) * math.Abs(g[r])
				}
			}
			cuts = append(cuts, bundleCut{e: 10 * rng.NormFloat64(), g: g})
		}
		want := make([]float64, R)
		wantModel := plainQP(cuts, center, hi, 0.8, want)
		alpha := make([]float64, k)
		got := make([]float64, R)
		promise := s.bundleQP(cuts, alpha, center, -5, 0.8, got)
		for r := range R {
			if math.Abs(got[r]-want[r]) > 1e-6 {
				t.Fatalf("trial %d (%d cuts): row %d (dead %d) at %.9f, the plain QP %.9f", trial, k, r, dead[r], got[r], want[r])
			}
		}
		if d := promise - (wantModel + 5); math.Abs(d) > 1e-6 {
			t.Fatalf("trial %d: promise %.9f, the plain QP's %.9f", trial, promise, wantModel+5)
		}
	}
}
