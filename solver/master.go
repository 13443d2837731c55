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
//
// A row may also charge other rows' slacks (links): a cut row of a quota
// unit (cuts.go) reads Σ_j a_kj λ_j - Σ_r c_kr s_r - s_k <= b_k, where the
// s_r are the unit's count and backbone shortfalls priced at their
// weights. The duals then keep π_r + Σ_k c_kr π_k <= hi_r for every linked
// slack, not the box alone.
type masterLP struct {
	b, hi []float64
	links [][]link // per row: the other rows' slacks it charges (nil for most)
	costs []float64
	acts  [][]float64 // per column: its m row activities
	// work counts the multiply-adds of all solves, a machine-independent
	// measure of the effort (the search caps it).
	work int64
	// basis is the last optimal basis (nil before the first solve): the
	// next solve starts from it, so add columns between solves, never
	// remove or change them. A caller may also set it before the first
	// solve (a node's master warm-started from its parent's basis, see
	// warmBasis); it is then checked, repaired or dropped.
	basis []int
	// excluded marks columns that must end at λ = 0 (they break the
	// node's bounds but are basic in the parent's basis the master starts
	// from): a first phase drives them out, and they never enter again.
	excluded []bool
	// perturbed counts the solves that perturbed the basic values (see
	// degenerateRun).
	perturbed int
	repairs   int // dual simplex pivots after the true values were restored
	// fresh lists rows whose basis entry is a guess (rows the parent did
	// not have): the logical, swapped for the row's slack when the start
	// breaks the row.
	fresh []int
	// inv and xB are the inverse and the basic values of basis after the
	// last solve, kept for the next one (column generation only adds
	// columns, which changes neither): a refactorization per solve cost
	// a fifth of a 150-school county's run. sinceRefactor counts the
	// pivots since the inverse was last computed afresh.
	inv, xB       []float64
	sinceRefactor int
}

// masterSolution is an optimal basic solution of the master and its duals.
type masterSolution struct {
	Value  float64
	Lambda []float64 // per column
	Slack  []float64 // per row: s_r
	Pi     []float64 // per row, in [0, hi_r]
	Mu     float64   // dual of the convexity row
}

// degenerateRun is how many degenerate pivots in a row make solve turn
// to Bland's rule, perturbRun how many in one solve (in a row or not) make
// it perturb the basic values, once. Ordinary solves of the masters of
// 60- to 200-school counties stay below perturbRun; the one that did not
// crawled. Variables, so that tests can make every master take both paths.
var degenerateRun, perturbRun = 30, 1000

// perturbSize is the order of the perturbation (tests raise it, so that
// the repair of the true values has work to do).
var perturbSize = 1e-7

var errMasterStalled = errors.New("master LP: iteration limit")

// solve runs the primal revised simplex with an explicit basis inverse,
// Dantzig's rule, Bland's rule after a run of degenerate pivots (which
// guarantees termination) and a perturbation of the basic values after a
// long run. The first start basis is one column with a slack
// per row, feasible by construction, so there is no phase 1; later calls
// start from the last optimal basis, which stays feasible when columns are
// only added (column generation). Each pivot costs O(m·(n+m)) for m rows
// and n columns; the inverse is refactored every 64 pivots (counted across
// solves: it is kept with the basis) to keep rounding errors from piling up.
func (lp *masterLP) solve() (*masterSolution, error) {
	warm := lp.basis != nil
	sol, err := lp.solveFrom()
	if err != nil && warm && len(lp.costs) > 0 {
		// The kept basis went singular through rounding: start again from
		// the slack basis, which is triangular, hence never singular.
		sol, err = lp.solveFrom()
	}
	return sol, err
}

// forget drops the basis and its inverse: the next solve starts from the
// slack basis.
func (lp *masterLP) forget() { lp.basis, lp.inv = nil, nil }

// solveFrom is solve from the kept basis, or the slack basis when there is none.
func (lp *masterLP) solveFrom() (*masterSolution, error) {
	m, n := len(lp.b), len(lp.costs)
	if n == 0 {
		return nil, errors.New("master LP: no column")
	}
	M := m + 1
	// linked[r]: the rows that charge slack r, with their coefficients.
	linked := make([][]link, m)
	for k, ls := range lp.links {
		for _, l := range ls {
			linked[l.row] = append(linked[l.row], link{row: int32(k), coef: l.coef})
		}
	}
	// Variables: 0..m-1 slacks s, m..2m-1 logicals w, 2m.. columns λ (so
	// that adding columns renumbers nothing).
	nv := 2*m + n
	cost := func(v int) float64 {
		switch {
		case v < m:
			return lp.hi[v]
		case v < 2*m:
			return 0
		}
		return lp.costs[v-2*m]
	}
	// column writes the constraint column of variable v into out (length M).
	column := func(v int, out []float64) {
		clear(out)
		switch {
		case v < m:
			out[v] = -1
			for _, l := range linked[v] {
				out[l.row] = -l.coef
			}
		case v < 2*m:
			out[v-m] = 1
		default:
			copy(out, lp.acts[v-2*m])
			out[m] = 1
		}
	}
	rhs := make([]float64, M)
	copy(rhs, lp.b)
	rhs[m] = 1
	if lp.basis == nil {
		// Start: the cheapest column in the convexity row, a slack or logical per row.
		j0 := 0
		for j := range n {
			if lp.costs[j] < lp.costs[j0] {
				j0 = j
			}
		}
		lp.basis = make([]int, M)
		lp.basis[m] = 2*m + j0
		// A row's own slack where the column breaks it, else its logical;
		// rows with links after the slacks they charge are known, since a
		// charged slack loosens the row that charges it.
		slackVal := make([]float64, m)
		for pass := range 2 {
			for r := range m {
				var ls []link
				if r < len(lp.links) {
					ls = lp.links[r]
				}
				if (len(ls) > 0) != (pass == 1) {
					continue
				}
				room := lp.b[r] - lp.acts[j0][r]
				for _, l := range ls {
					room += l.coef * slackVal[l.row]
				}
				if room >= 0 {
					lp.basis[r] = m + r
				} else {
					lp.basis[r] = r
					slackVal[r] = -room
				}
			}
		}
	}
	basis := lp.basis
	inBasis := make([]bool, nv)
	for _, v := range basis {
		inBasis[v] = true
	}
	kept := len(lp.inv) == M*M && len(lp.xB) == M && len(lp.fresh) == 0
	if !kept {
		lp.inv, lp.xB = make([]float64, M*M), make([]float64, M)
	}
	binv, xB := lp.inv, lp.xB
	colBuf := make([]float64, M)
	refactor := func() error {
		lp.sinceRefactor = 0
		B := mat.NewDense(M, M, nil)
		for i, v := range basis {
			column(v, colBuf)
			for k := range M {
				B.Set(k, i, colBuf[k])
			}
		}
		var inv mat.Dense
		if err := inv.Inverse(B); err != nil {
			return err
		}
		for i := range M {
			for k := range M {
				binv[i*M+k] = inv.At(i, k)
			}
		}
		for i := range M {
			var s float64
			row := binv[i*M : (i+1)*M]
			for k := range M {
				s += row[k] * rhs[k]
			}
			xB[i] = math.Max(0, s)
		}
		return nil
	}
	if !kept {
		if err := refactor(); err != nil {
			lp.forget()
			return nil, err
		}
	}
	if len(lp.fresh) > 0 {
		// A guessed logical whose row the start breaks: its value is
		// negative, while the row's slack takes the same value with the
		// opposite sign (the rows are appended, so the basis stays block
		// triangular and nonsingular).
		raw := func(i int) float64 {
			var s float64
			row := binv[i*M : (i+1)*M]
			for k := range M {
				s += row[k] * rhs[k]
			}
			return s
		}
		swapped := false
		for _, r := range lp.fresh {
			for i, v := range basis {
				if v == m+r && raw(i) < 0 {
					inBasis[v] = false
					basis[i] = r
					inBasis[r] = true
					swapped = true
				}
			}
		}
		lp.fresh = nil
		if swapped {
			if err := refactor(); err != nil {
				lp.forget()
				return nil, err
			}
		}
	}
	excluded := func(v int) bool {
		return v >= 2*m && lp.excluded != nil && lp.excluded[v-2*m]
	}
	y := make([]float64, M)
	d := make([]float64, M)
	cB := make([]float64, M)
	const tol = 1e-9
	// Phase 1 (only when an excluded column is basic above 0): minimize
	// the excluded columns' sum, from the given basis, which is feasible.
	phase1 := false
	for i, v := range basis {
		if excluded(v) && xB[i] > tol {
			phase1 = true
		}
	}
	phaseCost := func(v int) float64 {
		if phase1 {
			if excluded(v) {
				return 1
			}
			return 0
		}
		return cost(v)
	}
	// duals sets y = c_B B^-1; reducedCost prices a nonbasic variable.
	duals := func() {
		for i, v := range basis {
			cB[i] = phaseCost(v)
		}
		clear(y)
		for i := range M {
			if c := cB[i]; c != 0 {
				row := binv[i*M : (i+1)*M]
				for k := range M {
					y[k] += c * row[k]
				}
			}
		}
	}
	reducedCost := func(v int) float64 {
		rc := phaseCost(v)
		switch {
		case v < m:
			rc += y[v]
			for _, l := range linked[v] {
				rc += l.coef * y[l.row]
			}
		case v < 2*m:
			rc -= y[v-m]
		default:
			j := v - 2*m
			rc -= y[m]
			for r, a := range lp.acts[j] {
				rc -= y[r] * a
			}
		}
		return rc
	}
	// pivotOn brings enter into the basis in place of row leave, with d
	// = B^-1 a_enter and the step ratio: O(M^2) for the eta update, a
	// refactorization every 64 pivots.
	pivots := 0
	pivotOn := func(enter, leave int, ratio float64) error {
		lp.work += int64(M) * int64(nv+3*M)
		for i := range M {
			if i != leave {
				xB[i] = math.Max(0, xB[i]-ratio*d[i])
			}
		}
		xB[leave] = ratio
		// Eta update of the inverse: row leave /= d_leave, other rows -= d_i x row leave.
		p := d[leave]
		lrow := binv[leave*M : (leave+1)*M]
		for k := range M {
			lrow[k] /= p
		}
		for i := range M {
			if i == leave || d[i] == 0 {
				continue
			}
			f := d[i]
			row := binv[i*M : (i+1)*M]
			for k := range M {
				row[k] -= f * lrow[k]
			}
		}
		inBasis[basis[leave]] = false
		basis[leave] = enter
		inBasis[enter] = true
		pivots++
		lp.sinceRefactor++
		if lp.sinceRefactor >= 64 {
			return refactor()
		}
		return nil
	}
	direction := func(enter int) {
		column(enter, colBuf)
		for i := range M {
			var s float64
			row := binv[i*M : (i+1)*M]
			for k, a := range colBuf {
				if a != 0 {
					s += row[k] * a
				}
			}
			d[i] = s
		}
	}
	// Degeneracy: a master whose columns are flows has many basic
	// variables at 0, and its pivots are often of length 0. After a run
	// of them (degenerateRun) Bland's rule picks the pivots, which
	// cannot cycle but can crawl: a 187-row master of examples/jiulongpo
	// took 33,000 pivots, 28,000 of them degenerate. After perturbRun of
	// them in one solve the basic values at 0 are raised by small distinct
	// amounts instead, a perturbation of the right-hand side (Wolfe, "A
	// technique for resolving degeneracy in linear programming", SIAM J.
	// 11, 1963; Harris, "Pivot selection methods of the Devex LP code",
	// Math. Programming 5, 1973), which gives the ratio test a positive
	// step; the true values are restored at the optimum and the rows
	// left below 0 are repaired by dual simplex pivots, which keep the
	// duals optimal. Once per solve, and only in the rare long ones: the
	// others keep their pivots, and so the optimal vertex (one of many)
	// that the dives start from.
	degenerate, degenerateAll := 0, 0
	perturbed, mayPerturb := false, true
	maxPivots := 50 * (nv + M)
	for {
		if pivots > maxPivots {
			lp.forget()
			return nil, errMasterStalled
		}
		duals()
		if degenerateAll > perturbRun && mayPerturb {
			perturbed, mayPerturb, degenerate = true, false, 0
			lp.perturbed++
			for i := range M {
				if xB[i] < 1e-7 {
					xB[i] += perturbSize * (1 + float64((i*2654435761)%997)/997)
				}
			}
		}
		bland := degenerate > degenerateRun
		enter, best := -1, -tol
		for v := range nv {
			if inBasis[v] || excluded(v) {
				continue
			}
			rc := reducedCost(v)
			scale := 1 + math.Abs(phaseCost(v))
			if rc < best*scale {
				enter, best = v, rc/scale
				if bland {
					break
				}
			}
		}
		if enter < 0 {
			if phase1 {
				for i, v := range basis {
					if excluded(v) && xB[i] > 1e-7 {
						lp.forget()
						return nil, errors.New("master LP: the excluded columns cannot leave")
					}
				}
				phase1, degenerate = false, 0
				continue
			}
			if !perturbed {
				break
			}
			// The true right-hand side: the basis stays dual feasible;
			// dual simplex pivots until it is primal feasible too.
			if err := refactor(); err != nil {
				lp.forget()
				return nil, err
			}
			rawValues := func() {
				for i := range M {
					var s float64
					row := binv[i*M : (i+1)*M]
					for k := range M {
						s += row[k] * rhs[k]
					}
					xB[i] = s
				}
			}
			rawValues()
			perturbed = false
			clean := true
			for range M {
				leave, worst := -1, -1e-9
				for i := range M {
					if xB[i] < worst {
						leave, worst = i, xB[i]
					}
				}
				if leave < 0 {
					break
				}
				lp.repairs++
				// Entering: the least rc_v / -alpha_v over alpha_v < 0,
				// alpha the row leave of B^-1 A.
				lrow := binv[leave*M : (leave+1)*M]
				in, bestRatio := -1, math.Inf(1)
				for v := range nv {
					if inBasis[v] || excluded(v) {
						continue
					}
					column(v, colBuf)
					var alpha float64
					for k, a := range colBuf {
						if a != 0 {
							alpha += lrow[k] * a
						}
					}
					if alpha < -tol {
						if r := math.Max(0, reducedCost(v)) / -alpha; r < bestRatio {
							in, bestRatio = v, r
						}
					}
				}
				if in < 0 {
					clean = false
					break
				}
				direction(in)
				if err := pivotOn(in, leave, xB[leave]/d[leave]); err != nil {
					lp.forget()
					return nil, err
				}
				rawValues() // pivotOn clamps at 0, which the rows below 0 need not be
				duals()
			}
			for i := range M {
				xB[i] = math.Max(0, xB[i])
			}
			if !clean {
				break // the last resort: the clamped values
			}
			degenerate = 0
			continue // optimal for the true values, unless rounding says otherwise
		}
		direction(enter)
		leave, ratio := -1, math.Inf(1)
		if bland {
			for i := range M {
				if d[i] > tol {
					t := xB[i] / d[i]
					if t < ratio-1e-12 || (t <= ratio+1e-12 && leave >= 0 && basis[i] < basis[leave]) {
						leave, ratio = i, t
					}
				}
			}
		} else {
			// Harris's two-pass ratio test: among the rows that block
			// within a small tolerance, the largest pivot, which keeps the
			// basis well conditioned.
			bound := math.Inf(1)
			for i := range M {
				if d[i] > tol {
					bound = math.Min(bound, (xB[i]+1e-9)/d[i])
				}
			}
			for i := range M {
				if d[i] > tol && xB[i]/d[i] <= bound && (leave < 0 || d[i] > d[leave]) {
					leave = i
				}
			}
			if leave >= 0 {
				ratio = math.Max(0, xB[leave]/d[leave])
			}
		}
		if !phase1 {
			// An excluded column left basic at 0 is fixed there: it
			// blocks at once a step that would raise it.
			for i, v := range basis {
				if excluded(v) && d[i] < -tol {
					leave, ratio = i, 0
					break
				}
			}
		}
		if leave < 0 {
			lp.forget()
			return nil, errors.New("master LP: unbounded")
		}
		if ratio <= 1e-12 {
			degenerate++
			degenerateAll++
		} else {
			degenerate = 0
		}
		if err := pivotOn(enter, leave, ratio); err != nil {
			lp.forget()
			return nil, err
		}
	}
	sol := &masterSolution{Lambda: make([]float64, n), Slack: make([]float64, m), Pi: make([]float64, m), Mu: y[m]}
	for i, v := range basis {
		switch {
		case v < m:
			sol.Slack[v] = xB[i]
		case v >= 2*m:
			sol.Lambda[v-2*m] = xB[i]
		}
		sol.Value += cost(v) * xB[i]
	}
	for r := range m {
		sol.Pi[r] = math.Min(lp.hi[r], math.Max(0, -y[r]))
	}
	// Rounding may leave a linked slack's reduced cost a hair below 0,
	// which would make the duals' Lagrangian bound invalid: take the
	// excess off the slack's own dual, then off the rows that charge it.
	for r, ls := range linked {
		if len(ls) == 0 {
			continue
		}
		excess := sol.Pi[r] - lp.hi[r]
		for _, l := range ls {
			excess += l.coef * sol.Pi[l.row]
		}
		if excess <= 0 {
			continue
		}
		cut := math.Min(excess, sol.Pi[r])
		sol.Pi[r] -= cut
		excess -= cut
		if excess > 0 {
			var charged float64
			for _, l := range ls {
				charged += l.coef * sol.Pi[l.row]
			}
			f := math.Max(0, 1-excess/charged)
			for _, l := range ls {
				sol.Pi[l.row] *= f
			}
		}
	}
	return sol, nil
}
