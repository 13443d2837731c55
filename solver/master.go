package solver

import (
	"errors"
	"math"

	"gonum.org/v1/gonum/mat"
)

// masterLP is the restricted master problem of Dantzig-Wolfe decomposition
// over the flow polytope (Dantzig and Wolfe, "Decomposition principle for
// linear programs", Operations Research 8, 1960; Desrosiers and Lübbecke,
// "A primer in column generation", 2005):
//
//	min  Σ_j c_j λ_j + Σ_r hi_r s_r
//	s.t. Σ_j a_rj λ_j - s_r <= b_r     for every coupling row r
//	     Σ_j λ_j = 1
//	     λ, s >= 0
//
// Column j is a flow solution: c_j its cost without the coupling rows, a_rj
// its activity in row r. The slack s_r prices a row's violation at hi_r,
// the cap of its Lagrange multiplier, so the master's dual is exactly the
// Lagrangian dual of relaxation over the convex hull of the columns: its
// row duals π_r lie in [0, hi_r] and can be handed to the flow to price the
// next column.
type masterLP struct {
	b, hi []float64
	costs []float64
	acts  [][]float64 // per column: its m row activities
}

// masterSolution is an optimal basic solution of the master and its duals.
type masterSolution struct {
	Value  float64
	Lambda []float64 // per column
	Slack  []float64 // per row: s_r
	Pi     []float64 // per row, in [0, hi_r]
	Mu     float64   // dual of the convexity row
}

var errMasterStalled = errors.New("master LP: iteration limit")

// solve runs the primal revised simplex with an explicit basis inverse,
// Dantzig's rule and Bland's rule after a run of degenerate pivots (which
// guarantees termination). The start basis is one column with a slack per
// row, feasible by construction, so there is no phase 1. Each pivot costs
// O(m·(n+m)) for m rows and n columns; the inverse is refactored every
// 64 pivots to keep rounding errors from piling up.
func (lp *masterLP) solve() (*masterSolution, error) {
	m, n := len(lp.b), len(lp.costs)
	if n == 0 {
		return nil, errors.New("master LP: no column")
	}
	M := m + 1
	// Variables: 0..n-1 columns λ, n..n+m-1 slacks s, n+m..n+2m-1 logicals w.
	nv := n + 2*m
	cost := func(v int) float64 {
		switch {
		case v < n:
			return lp.costs[v]
		case v < n+m:
			return lp.hi[v-n]
		}
		return 0
	}
	// column writes the constraint column of variable v into out (length M).
	column := func(v int, out []float64) {
		clear(out)
		switch {
		case v < n:
			copy(out, lp.acts[v])
			out[m] = 1
		case v < n+m:
			out[v-n] = -1
		default:
			out[v-n-m] = 1
		}
	}
	rhs := make([]float64, M)
	copy(rhs, lp.b)
	rhs[m] = 1
	// Start: the cheapest column in the convexity row, a slack or logical per row.
	j0 := 0
	for j := range n {
		if lp.costs[j] < lp.costs[j0] {
			j0 = j
		}
	}
	basis := make([]int, M)
	basis[m] = j0
	for r := range m {
		if lp.b[r]-lp.acts[j0][r] >= 0 {
			basis[r] = n + m + r
		} else {
			basis[r] = n + r
		}
	}
	inBasis := make([]bool, nv)
	for _, v := range basis {
		inBasis[v] = true
	}
	Binv := mat.NewDense(M, M, nil)
	xB := make([]float64, M)
	colBuf := make([]float64, M)
	refactor := func() error {
		B := mat.NewDense(M, M, nil)
		for i, v := range basis {
			column(v, colBuf)
			for k := range M {
				B.Set(k, i, colBuf[k])
			}
		}
		if err := Binv.Inverse(B); err != nil {
			return err
		}
		for i := range M {
			var s float64
			for k := range M {
				s += Binv.At(i, k) * rhs[k]
			}
			xB[i] = math.Max(0, s)
		}
		return nil
	}
	if err := refactor(); err != nil {
		return nil, err
	}
	y := make([]float64, M)
	d := make([]float64, M)
	const tol = 1e-9
	degenerate := 0
	maxPivots := 50 * (nv + M)
	for pivots := 0; ; pivots++ {
		if pivots > maxPivots {
			return nil, errMasterStalled
		}
		// Duals y = c_B B^-1.
		for k := range M {
			var s float64
			for i, v := range basis {
				s += cost(v) * Binv.At(i, k)
			}
			y[k] = s
		}
		bland := degenerate > 30
		enter, best := -1, -tol
		for v := range nv {
			if inBasis[v] {
				continue
			}
			var rc float64
			switch {
			case v < n:
				rc = lp.costs[v] - y[m]
				for r, a := range lp.acts[v] {
					rc -= y[r] * a
				}
			case v < n+m:
				rc = lp.hi[v-n] + y[v-n]
			default:
				rc = -y[v-n-m]
			}
			scale := 1 + math.Abs(cost(v))
			if rc < best*scale {
				enter, best = v, rc/scale
				if bland {
					break
				}
			}
		}
		if enter < 0 {
			break
		}
		column(enter, colBuf)
		for i := range M {
			var s float64
			for k := range M {
				if colBuf[k] != 0 {
					s += Binv.At(i, k) * colBuf[k]
				}
			}
			d[i] = s
		}
		leave, ratio := -1, math.Inf(1)
		for i := range M {
			if d[i] > tol {
				t := xB[i] / d[i]
				if t < ratio-1e-12 || (t <= ratio+1e-12 && leave >= 0 && basis[i] < basis[leave]) {
					leave, ratio = i, t
				}
			}
		}
		if leave < 0 {
			return nil, errors.New("master LP: unbounded")
		}
		if ratio <= 1e-12 {
			degenerate++
		} else {
			degenerate = 0
		}
		for i := range M {
			if i != leave {
				xB[i] = math.Max(0, xB[i]-ratio*d[i])
			}
		}
		xB[leave] = ratio
		// Eta update of the inverse: row leave /= d_leave, other rows -= d_i x row leave.
		p := d[leave]
		for k := range M {
			Binv.Set(leave, k, Binv.At(leave, k)/p)
		}
		for i := range M {
			if i == leave || d[i] == 0 {
				continue
			}
			f := d[i]
			for k := range M {
				Binv.Set(i, k, Binv.At(i, k)-f*Binv.At(leave, k))
			}
		}
		inBasis[basis[leave]] = false
		basis[leave] = enter
		inBasis[enter] = true
		if pivots%64 == 63 {
			if err := refactor(); err != nil {
				return nil, err
			}
		}
	}
	sol := &masterSolution{Lambda: make([]float64, n), Slack: make([]float64, m), Pi: make([]float64, m), Mu: y[m]}
	for i, v := range basis {
		switch {
		case v < n:
			sol.Lambda[v] = xB[i]
		case v < n+m:
			sol.Slack[v-n] = xB[i]
		}
		sol.Value += cost(v) * xB[i]
	}
	for r := range m {
		sol.Pi[r] = math.Min(lp.hi[r], math.Max(0, -y[r]))
	}
	return sol, nil
}
