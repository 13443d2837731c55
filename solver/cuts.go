package solver

import (
	"math"
	"slices"
)

// Envelope cuts. A quota unit's cost depends on the plan only through two
// integers, its moves M and backbone moves B:
//
//	g(M, B) = quota·max(0, q - M) + backbone·max(0, share·M - B)
//
// The LP relaxation prices it with the same formula at fractional (M, B),
// which can be far below any mix of integer points: with share 0.4, three
// moves of which 1.2 backbone cost nothing in the LP, while every integer
// plan near it pays. The lower convex envelope of g over the integer points
// of the unit's range (0 <= B <= backbone teachers, 0 <= M - B <= the
// others, M <= the sum of its schools' H4 caps) is a valid, tighter cost;
// each of its facets α + β·M + γ·B is a cut
//
//	quota·u + backbone·v >= α + β·M + γ·B
//
// on the unit's shortfall slacks u and v. separateCuts finds, for the LP's
// (M*, B*) of each unit, the facet of the envelope at that point (a linear
// program over the lattice points, in three rows) and adds it when the LP
// breaks it. This is the single-row strengthening that mixed-integer
// rounding cuts approximate (Marchand and Wolsey, "Aggregation and mixed
// integer rounding to solve MIPs", Operations Research 49(3), 2001); here
// the exact facet is cheap because the set has two integer dimensions.

// unitRange is a quota unit as the cuts see it.
type unitRange struct {
	countRow, bbRow  int // rows of relaxation; -1 when the term is absent
	cs               []int32
	mCap, bMax, nMax int
	q                int
	share            float64
	seen             map[[3]float64]bool
}

// cutUnits lists the quota units with a cost, once.
func (s *search) cutUnits() []*unitRange {
	if s.cutRanges != nil {
		return s.cutRanges
	}
	rl := s.rl
	bySchool := s.classesBySchool()
	s.cutRanges = []*unitRange{}
	for i, u := range s.in.Units {
		ur := &unitRange{countRow: int(rl.unitRows[i][0]), bbRow: int(rl.unitRows[i][1]), q: u.Target, share: u.BackboneShare, seen: map[[3]float64]bool{}}
		if ur.countRow < 0 && ur.bbRow < 0 {
			continue
		}
		for _, sch := range u.Schools {
			ur.cs = append(ur.cs, bySchool[sch]...)
			m := 0
			for _, c := range bySchool[sch] {
				m += len(s.nt.classes[c].members)
			}
			if cap := s.in.OutflowCap[sch]; cap >= 0 {
				m = min(m, cap)
			}
			ur.mCap += m
		}
		for _, c := range ur.cs {
			if s.nt.classes[c].bb {
				ur.bMax += len(s.nt.classes[c].members)
			} else {
				ur.nMax += len(s.nt.classes[c].members)
			}
		}
		if len(ur.cs) > 0 {
			s.cutRanges = append(s.cutRanges, ur)
		}
	}
	return s.cutRanges
}

// cost is g(M, B) with the terms that have rows.
func (ur *unitRange) cost(w weights, m, b int) float64 {
	var z float64
	if ur.countRow >= 0 {
		z += w.quota * float64(max(0, ur.q-m))
	}
	if ur.bbRow >= 0 {
		z += w.backbone * math.Max(0, ur.share*float64(m)-float64(b))
	}
	return z
}

// inside reports whether (m, b) is in the unit's range.
func (ur *unitRange) inside(m, b int) bool {
	return m >= 0 && m <= ur.mCap && b >= 0 && b <= ur.bMax && m-b >= 0 && m-b <= ur.nMax
}

type weights struct{ quota, backbone float64 }

// separateCuts adds the violated envelope facets at the LP departures ystar
// (slack: the master's row slacks) as rows of the relaxation, and returns
// how many.
func (s *search) separateCuts(ystar, slack []float64) int {
	rl := s.rl
	w := weights{s.in.Scenario.Objective.Quota, s.in.Scenario.Objective.Backbone}
	var added []row
	for _, ur := range s.cutUnits() {
		var M, B float64
		for _, c := range ur.cs {
			M += ystar[c]
			if s.nt.classes[c].bb {
				B += ystar[c]
			}
		}
		alpha, beta, gamma, ok := ur.facet(w, M, B)
		if !ok {
			continue
		}
		have := 0.0
		if ur.countRow >= 0 {
			have += w.quota * slack[ur.countRow]
		}
		if ur.bbRow >= 0 {
			have += w.backbone * slack[ur.bbRow]
		}
		if alpha+beta*M+gamma*B-have <= 1e-6*(w.quota+w.backbone) {
			continue
		}
		key := [3]float64{math.Round(alpha * 1e6), math.Round(beta * 1e6), math.Round(gamma * 1e6)}
		if ur.seen[key] {
			continue
		}
		ur.seen[key] = true
		// Scaled by the weights, so that the row's coefficients are of the
		// order of the other rows' (the master's basis stays well
		// conditioned); the dual scales the other way, the prices are the same.
		sc := 1 / (w.quota + w.backbone)
		rw := row{kind: rowCut, b: -alpha * sc, hi: rl.hardHi, cs: ur.cs}
		for _, c := range ur.cs {
			a := beta
			if s.nt.classes[c].bb {
				a += gamma
			}
			rw.coef = append(rw.coef, a*sc)
		}
		if ur.countRow >= 0 {
			rw.links = append(rw.links, link{row: int32(ur.countRow), coef: w.quota * sc})
		}
		if ur.bbRow >= 0 {
			rw.links = append(rw.links, link{row: int32(ur.bbRow), coef: w.backbone * sc})
		}
		added = append(added, rw)
	}
	if len(added) == 0 {
		return 0
	}
	// The cuts become problem rows (before any branching row), valid at
	// every node; the pool's columns get their activities.
	branch := slices.Clone(rl.rows[rl.base:])
	rl.rows = append(rl.rows[:rl.base], added...)
	rl.base = len(rl.rows)
	rl.setBranchRows(branch)
	for j, y := range s.pool.ys {
		for _, rw := range added {
			var a float64
			for k, c := range rw.cs {
				a += rw.coef[k] * float64(y[c])
			}
			s.pool.acts[j] = append(s.pool.acts[j], a)
		}
	}
	return len(added)
}

// dropCuts removes the cut rows (the rows from base0 to base).
func (s *search) dropCuts(base0 int) {
	rl := s.rl
	if rl.base == base0 {
		return
	}
	branch := slices.Clone(rl.rows[rl.base:])
	rl.rows = rl.rows[:base0]
	rl.base = base0
	rl.setBranchRows(branch)
	for j := range s.pool.acts {
		s.pool.acts[j] = s.pool.acts[j][:base0]
	}
	for _, ur := range s.cutRanges {
		clear(ur.seen)
	}
}

// facet returns the facet α + β·M + γ·B of the lower convex envelope of g
// over the unit's lattice points at the point (m, b), and whether there is
// one (the point lies in the range). It runs the primal simplex on
//
//	min Σ_p λ_p g(p)  s.t.  Σ_p λ_p (1, M_p, B_p) = (1, m, b),  λ >= 0
//
// over the lattice points p within a window around the point, from the
// triangle of the unit grid that contains it; the optimal basis is three
// points whose plane is the facet. The plane is then checked against every
// point of the range and lowered where the window missed one, so the cut
// is valid whatever the window. O(window² · pivots + range).
func (ur *unitRange) facet(w weights, m, b float64) (alpha, beta, gamma float64, ok bool) {
	const window = 6
	var pts [][2]int
	for pm := max(0, int(math.Floor(m))-window); pm <= min(ur.mCap, int(math.Ceil(m))+window); pm++ {
		for pb := max(0, int(math.Floor(b))-window); pb <= min(ur.bMax, int(math.Ceil(b))+window); pb++ {
			if ur.inside(pm, pb) {
				pts = append(pts, [2]int{pm, pb})
			}
		}
	}
	g := make([]float64, len(pts))
	for i, p := range pts {
		g[i] = ur.cost(w, p[0], p[1])
	}
	index := func(pm, pb int) int {
		for i, p := range pts {
			if p[0] == pm && p[1] == pb {
				return i
			}
		}
		return -1
	}
	// A triangle of the grid (diagonals along M = B + const, so the range,
	// bounded by lines B = k, M = k and M - B = k, is a union of them) that
	// holds the point.
	var basis [3]int
	var lambda [3]float64
	found := false
	for _, m0 := range []int{int(math.Floor(m)), int(math.Floor(m)) - 1} {
		for _, b0 := range []int{int(math.Floor(b)), int(math.Floor(b)) - 1} {
			fm, fb := m-float64(m0), b-float64(b0)
			for _, tri := range [2]struct {
				v [3][2]int
				l [3]float64
			}{
				{[3][2]int{{m0, b0}, {m0 + 1, b0}, {m0 + 1, b0 + 1}}, [3]float64{1 - fm, fm - fb, fb}},
				{[3][2]int{{m0, b0}, {m0, b0 + 1}, {m0 + 1, b0 + 1}}, [3]float64{1 - fb, fb - fm, fm}},
			} {
				okTri := true
				for k := range 3 {
					if tri.l[k] < -1e-9 || tri.l[k] > 1+1e-9 {
						okTri = false
					}
					if basis[k] = index(tri.v[k][0], tri.v[k][1]); basis[k] < 0 {
						okTri = false
					}
				}
				if okTri {
					for k := range 3 {
						lambda[k] = math.Min(1, math.Max(0, tri.l[k]))
					}
					found = true
					break
				}
			}
			if found {
				break
			}
		}
		if found {
			break
		}
	}
	if !found {
		return 0, 0, 0, false
	}
	plane := func() (float64, float64, float64, bool) {
		var A [3][3]float64
		var rhs [3]float64
		for k, i := range basis {
			A[k] = [3]float64{1, float64(pts[i][0]), float64(pts[i][1])}
			rhs[k] = g[i]
		}
		return solve3(A, rhs)
	}
	scale := 1 + w.quota + w.backbone
	for range 500 {
		var okP bool
		alpha, beta, gamma, okP = plane()
		if !okP {
			return 0, 0, 0, false
		}
		enter, best := -1, -1e-9*scale
		for i, p := range pts {
			if rc := g[i] - alpha - beta*float64(p[0]) - gamma*float64(p[1]); rc < best {
				enter, best = i, rc
			}
		}
		if enter < 0 {
			break
		}
		// d: the entering point in the basis' barycentric coordinates.
		var A [3][3]float64
		for k, i := range basis {
			A[0][k], A[1][k], A[2][k] = 1, float64(pts[i][0]), float64(pts[i][1])
		}
		d0, d1, d2, okD := solve3(A, [3]float64{1, float64(pts[enter][0]), float64(pts[enter][1])})
		if !okD {
			return 0, 0, 0, false
		}
		d := [3]float64{d0, d1, d2}
		leave, ratio := -1, math.Inf(1)
		for k := range 3 {
			if d[k] > 1e-12 {
				if t := lambda[k] / d[k]; t < ratio-1e-12 || (t <= ratio+1e-12 && leave >= 0 && basis[k] < basis[leave]) {
					leave, ratio = k, t
				}
			}
		}
		if leave < 0 {
			return 0, 0, 0, false // unbounded: cannot happen for a bounded set
		}
		for k := range 3 {
			lambda[k] = math.Max(0, lambda[k]-ratio*d[k])
		}
		lambda[leave] = ratio
		basis[leave] = enter
	}
	// Valid on the whole range: lower the plane under the lowest point.
	low := 0.0
	for pm := 0; pm <= ur.mCap; pm++ {
		for pb := max(0, pm-ur.nMax); pb <= min(pm, ur.bMax); pb++ {
			if d := ur.cost(w, pm, pb) - alpha - beta*float64(pm) - gamma*float64(pb); d < low {
				low = d
			}
		}
	}
	return alpha + low - 1e-9*scale, beta, gamma, true
}

// solve3 solves the 3x3 system A x = rhs by Gaussian elimination with
// partial pivoting; ok is false when A is singular.
func solve3(A [3][3]float64, rhs [3]float64) (x0, x1, x2 float64, ok bool) {
	for col := range 3 {
		p := col
		for r := col + 1; r < 3; r++ {
			if math.Abs(A[r][col]) > math.Abs(A[p][col]) {
				p = r
			}
		}
		if math.Abs(A[p][col]) < 1e-12 {
			return 0, 0, 0, false
		}
		A[col], A[p] = A[p], A[col]
		rhs[col], rhs[p] = rhs[p], rhs[col]
		for r := col + 1; r < 3; r++ {
			f := A[r][col] / A[col][col]
			for k := col; k < 3; k++ {
				A[r][k] -= f * A[col][k]
			}
			rhs[r] -= f * rhs[col]
		}
	}
	var x [3]float64
	for r := 2; r >= 0; r-- {
		v := rhs[r]
		for k := r + 1; k < 3; k++ {
			v -= A[r][k] * x[k]
		}
		x[r] = v / A[r][r]
	}
	return x[0], x[1], x[2], true
}
