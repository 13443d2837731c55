package solver

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/floats"
)

// bundleCut is a linearization of the dual function: L(π) <= e + g·π for
// every π, with equality at the point where it was taken.
type bundleCut struct {
	e    float64
	g    []float64
	idle int // QPs in a row that gave the cut no weight
}

// bundleAscend maximizes the dual function L over the box 0 <= π <= hi by
// a proximal bundle method (Kiwiel, "Proximity control in bundle methods
// for convex nondifferentiable minimization", Math. Programming 46, 1990;
// Frangioni, "Generalized bundle methods", SIAM J. Optim. 13, 2002): the
// next point maximizes the cutting-plane model of L, the least of the
// cuts kept, less a proximal term (1/2t)·|π - center|², and the center
// moves to it when L rises by at least a tenth of what the model
// promised (a serious step; otherwise a null step, whose cut makes the
// model better). Unlike subgradient steps it remembers every direction it
// has seen, so it does not zig-zag between the rows. The contract is that
// of ascend: iters flow solves (and the repairs of ascentStep), π left at the
// best point, the flow solved there, the best value returned.
//
// Each step costs one warm flow solve and a QP over the cuts (bundleQP,
// O(iterations · cuts · live rows)).
func (s *search) bundleAscend(pi []float64, iters int) (float64, bool) {
	rl := s.rl
	R := len(pi)
	best := math.Inf(-1)
	bestPi := slices.Clone(pi)
	center := slices.Clone(pi)
	centerL := math.Inf(-1)
	trial := slices.Clone(pi)
	var bundle []bundleCut
	var alpha []float64
	t, predicted := 0.0, 0.0
	clear(s.avgY)
	samples := 0
steps:
	for it := 0; it < iters; it++ {
		if s.timeUp() {
			break
		}
		L, ok := s.ascentStep(trial, it)
		if !ok {
			return math.Inf(-1), false
		}
		g := slices.Clone(rl.grad[:R])
		bundle = append(bundle, bundleCut{e: L - floats.Dot(g, trial), g: g})
		alpha = append(alpha, 0)
		if it >= iters/3 {
			samples++
			for c := range s.avgY {
				s.avgY[c] += float64(rl.y[c])
			}
		}
		if L > best {
			best = L
			copy(bestPi, trial)
		}
		if s.haveBest && best >= s.bestZ-s.tol(s.bestZ) {
			break
		}
		switch {
		case it == 0:
			var norm float64
			for r, gr := range g {
				if (trial[r] <= 0 && gr < 0) || (trial[r] >= rl.rows[r].hi && gr > 0) {
					continue
				}
				norm += gr * gr
			}
			if norm == 0 {
				break steps // L is maximal on the box
			}
			// The first step as long as the subgradient's (a Polyak
			// step towards 5% above L).
			t = 0.05 * math.Max(1, math.Abs(L)) / norm
			copy(center, trial)
			centerL = L
		case L-centerL >= 0.1*predicted:
			if L-centerL >= 0.5*predicted {
				t *= 2
			}
			copy(center, trial)
			centerL = L
		default:
			if L < centerL {
				t *= 0.7
			}
		}
		// Drop the cuts that have had no weight for a while (maxIdle):
		// at the large path's steps (largeSteps) none is. Dropping them
		// after 8 QPs, as before, kept about 20 cuts; with all of them
		// (and 95 steps instead of 80) the bound of ten generated
		// 1,000-school counties rose 0.07% on average: by up to 0.53%
		// on six, fell by up to 0.15% on four (12-06).
		k := 0
		for j := range bundle {
			if bundle[j].idle < maxIdle || j == len(bundle)-1 {
				bundle[k], alpha[k] = bundle[j], alpha[j]
				k++
			}
		}
		bundle, alpha = bundle[:k], alpha[:k]
		predicted = s.bundleQP(bundle, alpha, center, centerL, t, trial)
		s.tracef("bundle %d: L %.3f center %.3f t %.3g cuts %d promise %.3f", it, L, centerL, t, len(bundle), predicted)
		// The QP is solved inexactly, so a promise of nothing or less
		// does not prove the center optimal: the step is tried anyway,
		// and its cut corrects the model.
	}
	copy(pi, bestPi)
	if _, ok := rl.evaluate(pi); !ok {
		return math.Inf(-1), false
	}
	s.averageFlows(samples)
	return best, true
}

// bundleQP finds the next point of the bundle method,
//
//	argmax over 0 <= π <= hi of  min_j (e_j + g_j·π) - |π - center|²/2t,
//
// by its dual over the weights α of the cuts (the unit simplex): for given
// α the best π is center + t·Σ α_j g_j clipped to the box, and the dual
// is convex and smooth in α, its gradient the cuts' values at that π. It
// runs accelerated projected gradient steps (Beck and Teboulle, FISTA,
// SIAM J. Imaging Sci. 2, 2009) from the last weights, writes the point
// into out and the weights into alpha, and returns the rise the model
// promises over centerL.
func (s *search) bundleQP(bundle []bundleCut, alpha, center []float64, centerL, t float64, out []float64) float64 {
	rows := s.rl.rows
	k := len(bundle)
	// A row at a bound of the box that every cut pushes further out stays
	// there for every α (the point is clipped): it is dead, its part of a
	// cut's value a constant (folded into base), and the QP runs on the
	// live rows only (at 1,000 schools a third of them).
	var live []int
	for r := range center {
		atZero, atCap := center[r] <= 0, center[r] >= rows[r].hi
		keep := !atZero && !atCap
		for _, c := range bundle {
			if keep {
				break
			}
			keep = (atZero && c.g[r] > 0) || (atCap && c.g[r] < 0)
		}
		if keep {
			live = append(live, r)
			out[r] = 0 // set below
		} else {
			out[r] = center[r] // 0 or hi: the clipped value
		}
	}
	R := len(live)
	base := make([]float64, k)
	gl := make([][]float64, k)
	for j, c := range bundle {
		base[j] = c.e + floats.Dot(c.g, out) // the dead rows' part
		gl[j] = make([]float64, R)
		for i, r := range live {
			gl[j][i] = c.g[r]
		}
	}
	cl := make([]float64, R)
	hi := make([]float64, R)
	for i, r := range live {
		cl[i], hi[i] = center[r], rows[r].hi
	}
	// Lipschitz constant of the gradient: t·|G|² <= t·Σ|g_j|² (live rows).
	var lip float64
	for _, g := range gl {
		lip += floats.Dot(g, g)
	}
	lip *= t
	point := func(a []float64, p []float64) {
		copy(p, cl)
		for j, g := range gl {
			if a[j] != 0 {
				floats.AddScaled(p, t*a[j], g)
			}
		}
		for i := range p {
			p[i] = math.Min(hi[i], math.Max(0, p[i]))
		}
	}
	var sum float64
	for _, a := range alpha {
		sum += a
	}
	if sum <= 0 {
		clear(alpha)
		alpha[k-1] = 1
	}
	x := slices.Clone(alpha)
	y := slices.Clone(alpha)
	prev := slices.Clone(alpha)
	grad := make([]float64, k)
	p := make([]float64, R)
	tk := 1.0
	for iter := 0; iter < qpIters && lip > 0; iter++ {
		point(y, p)
		for j, g := range gl {
			grad[j] = base[j] + floats.Dot(g, p)
		}
		copy(prev, x)
		for j := range x {
			x[j] = y[j] - grad[j]/lip
		}
		projectSimplex(x)
		var moved, from, dir float64
		for j := range y {
			dir += grad[j] * (x[j] - prev[j])
			moved = math.Max(moved, math.Abs(x[j]-prev[j]))
			from = math.Max(from, math.Abs(y[j]-prev[j]))
		}
		if moved < 1e-9 && from < 1e-9 {
			// A step from x itself that stays there: x is optimal. (A
			// step from an extrapolated point that lands on x again
			// is not, and stopping there left the QP short.)
			break
		}
		if dir > 0 {
			// Adaptive restart (O'Donoghue and Candès 2015): the momentum
			// points uphill, so the next step starts from x without it.
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
	copy(alpha, x)
	for j := range bundle {
		if alpha[j] < 1e-9 {
			bundle[j].idle++
		} else {
			bundle[j].idle = 0
		}
	}
	point(alpha, p)
	for i, r := range live {
		out[r] = p[i]
	}
	model := math.Inf(1)
	for _, c := range bundle {
		model = math.Min(model, c.e+floats.Dot(c.g, out))
	}
	return model - centerL
}

// qpIters caps the gradient steps of a bundleQP: 300 left the QP so
// inexact that the point it gave promised a fall (a 300-school county
// ended 0.26% further below the LP than with 3,000).
const qpIters = 3000

// maxIdle is the number of QPs in a row without weight after which
// bundleAscend drops a cut.
const maxIdle = 100

// projectSimplex projects x onto {x >= 0, Σx = 1} (Held, Wolfe and
// Crowder 1974; the sort-based form of Duchi et al., ICML 2008).
func projectSimplex(x []float64) {
	u := slices.Clone(x)
	slices.Sort(u)
	slices.Reverse(u)
	var cum, theta float64
	for i, v := range u {
		cum += v
		if th := (cum - 1) / float64(i+1); v-th > 0 {
			theta = th
		}
	}
	for i := range x {
		x[i] = math.Max(0, x[i]-theta)
	}
}
