package solver

import (
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// dualOracle evaluates a concave function at pi: its value and a
// supergradient (the oracle may reuse the gradient slice between calls).
// ok is false when the value is -Inf (an infeasible subproblem).
type dualOracle func(pi []float64) (value float64, grad []float64, ok bool)

// boxResult is what boxstep found.
type boxResult struct {
	Pi        []float64 // best point
	Value     float64   // the oracle's value there
	Iters     int       // oracle calls
	Converged bool      // the cuts allow no increase above tol inside the last box
	Feasible  bool      // false when the oracle reported an infeasible subproblem
}

// boxstep maximizes a concave piecewise-linear function over the box
// 0 <= pi <= hi (hi may be +Inf, capped at capHi) by Kelley's cutting-plane
// method restricted to a box around the best point (the boxstep method of
// Marsten, Hogan and Blankenship, "The Boxstep method for large-scale
// optimization", Operations Research 23(3), 1975). Each master problem is
// the small LP
//
//	max θ  s.t.  θ <= f_i + g_i·(π - π_i) for every cut i,  π in box ∩ [π̄-Δ, π̄+Δ]
//
// solved with gonum's simplex; its value minus f(π̄) is the largest increase
// the cuts allow; it stops when that is <= tol. A step that
// gains a tenth of the predicted increase moves the centre and doubles Δ;
// otherwise Δ shrinks. It stops early once the value reaches target (a
// bound that already prunes), after maxIters oracle calls, or when the
// master fails. On the Lagrangian dual of a 60-school county it reaches the
// LP bound (-30522.44, CBC's LP value) in 85 flow solves where projected
// subgradient steps stopped 0.6% short after 400; the dense gonum master,
// not the flows, then takes most of the 2-4 s. From a cold start it is too
// slow on 150 schools (160 rows: 0.48% short of the LP bound after 200
// solves and 75 s, nearly all in the master), so use it warm, from the
// multipliers of the subgradient phase, or give it a sparse master.
//
// The dimension is the number of dualized rows (tens to a few thousand);
// the master is dense, so the cuts are capped at m/2+10 (at least 20): beyond
// that the cut with the most slack at the master's solution is dropped.
// Convergence is local to the last box (an increase above tol elsewhere
// would need a steep ascent just outside it); every value is a valid bound
// whatever happens, which is what the branch and bound needs.
func boxstep(pi0, hi []float64, oracle dualOracle, maxIters int, delta0, target, tol float64) boxResult {
	const capHi = 1e6
	m := len(pi0)
	maxCuts := max(m/2+10, 20)
	up := func(r int) float64 { return math.Min(hi[r], capHi) }
	type cut struct {
		f  float64
		g  []float64
		pi []float64
	}
	res := boxResult{Pi: append([]float64(nil), pi0...), Feasible: true}
	for r := range res.Pi {
		res.Pi[r] = math.Min(up(r), math.Max(0, res.Pi[r]))
	}
	f, g, ok := oracle(res.Pi)
	res.Iters = 1
	if !ok {
		res.Feasible = false
		res.Value = math.Inf(-1)
		return res
	}
	res.Value = f
	cuts := []cut{{f, append([]float64(nil), g...), append([]float64(nil), res.Pi...)}}
	delta := delta0
	if m == 0 {
		res.Converged = true
		return res
	}
	lo := make([]float64, m)
	hiB := make([]float64, m)
	for res.Iters < maxIters && res.Value < target {
		for r := range m {
			lo[r] = math.Max(0, res.Pi[r]-delta)
			hiB[r] = math.Min(up(r), res.Pi[r]+delta)
		}
		// Variables θ' = θ - f(π̄) >= 0 (the optimum has θ >= f(π̄): every
		// cut is above f) and p = π - lo >= 0; one slack per row.
		nv, nr := 1+m, len(cuts)+m
		A := mat.NewDense(nr, nv+nr, nil)
		b := make([]float64, nr)
		c := make([]float64, nv+nr)
		c[0] = -1
		for i, ct := range cuts {
			A.Set(i, 0, 1)
			rhs := ct.f - res.Value
			for r := range m {
				A.Set(i, 1+r, -ct.g[r])
				rhs += ct.g[r] * (lo[r] - ct.pi[r])
			}
			b[i] = rhs
		}
		for r := range m {
			A.Set(len(cuts)+r, 1+r, 1)
			b[len(cuts)+r] = hiB[r] - lo[r]
		}
		for i := range nr {
			A.Set(i, nv+i, 1)
			// gonum's simplex has no anti-cycling rule; a distinct tiny
			// relaxation of every row keeps the master nondegenerate.
			b[i] += 1e-9 * float64(1+(i*7919)%nr) / float64(nr)
		}
		val, x, err := lp.Simplex(c, A, b, 1e-10, nil)
		if err != nil {
			break
		}
		pred := -val // θ' at the master optimum: the predicted increase
		if pred <= tol {
			res.Converged = true
			break
		}
		pi := make([]float64, m)
		for r := range m {
			pi[r] = math.Min(hiB[r], lo[r]+x[1+r])
		}
		f, g, ok := oracle(pi)
		res.Iters++
		if !ok {
			res.Feasible = false
			res.Value = math.Inf(-1)
			return res
		}
		if len(cuts) >= maxCuts {
			// Drop the cut with the most slack at the master's solution.
			worst, worstSlack := 0, -1.0
			for i, ct := range cuts {
				s := ct.f - res.Value - x[0]
				for r := range m {
					s += ct.g[r] * (pi[r] - ct.pi[r])
				}
				if s > worstSlack {
					worst, worstSlack = i, s
				}
			}
			cuts = append(cuts[:worst], cuts[worst+1:]...)
		}
		cuts = append(cuts, cut{f, append([]float64(nil), g...), pi})
		if f > res.Value+0.1*pred {
			res.Pi, res.Value = pi, f
			delta *= 2
		} else {
			delta = math.Max(1e-6, delta*0.7)
		}
	}
	return res
}
