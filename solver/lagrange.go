package solver

import (
	"math"

	"rotaplan/model"
	"rotaplan/solver/flow"
)

// Coupling rows. Every row is Σ_c a_rc·y_c <= b_r over the departure counts
// y_c of the teacher classes, dualized with a multiplier 0 <= π_r <= hi_r:
//
//	H4:       Σ_{c in s} y_c <= cap_s
//	count:   -Σ_{c in U} y_c <= -q_U  (slack u_U costs w.quota, so hi = w.quota)
//	backbone: Σ_{c in U} (share - bb_c)·y_c <= 0 (slack v_U costs w.backbone, hi = w.backbone)
//
// The slacks are eliminated: for π within [0, hi] their best value is 0.
// L(π) = min over flows of (cost + Σ_r π_r·(A_r y - b_r)) is a lower bound
// on Z for every such π (Fisher, "The Lagrangian relaxation method for
// solving integer programming problems", Management Science 27, 1981;
// Ahuja, Magnanti, Orlin, "Network Flows", 1993, ch. 16). As the flow
// polytope is integral, max L equals the LP relaxation's optimum.
type rowKind uint8

const (
	rowH4 rowKind = iota
	rowCount
	rowBackbone
	rowBranch // a branching constraint of branch and price
	rowCut    // a facet of a quota unit's cost (cuts.go)
)

type row struct {
	kind  rowKind
	b     float64
	hi    float64
	cs    []int32 // classes
	coef  []float64
	links []link // rowCut: the count and backbone rows whose slacks it charges
}

// link says that a row charges coef times another row's slack.
type link struct {
	row  int32
	coef float64
}

type relaxation struct {
	nt   *network
	in   *model.Instance
	rows []row
	// per class: the rows it appears in (CSR)
	cStart []int32
	cRow   []int32
	cCoef  []float64

	depCost []float64 // current dep costs, to skip unchanged SetCost calls
	grad    []float64
	y       []int64 // per class: departures in the current flow
	solves  int     // flow solves so far: the unit of the work budget
	// onFlow, when set, is called after every successful solve (the
	// column generation collects the flows as columns).
	onFlow func()
	base   int // rows[:base] are the problem's (and cuts); the rest are branching rows
	// unitRows: per quota unit, its count and backbone rows (-1: none).
	unitRows [][2]int32
	hardHi   float64 // multiplier cap of a hard row (H4, branching)
}

// setBranchRows replaces the branching rows (rows past base) with extra.
func (r *relaxation) setBranchRows(extra []row) {
	r.rows = append(r.rows[:r.base], extra...)
	r.index()
}

// index builds the per-class view of the rows (CSR) and sizes the gradient.
func (r *relaxation) index() {
	C := len(r.nt.classes)
	count := make([]int32, C+1)
	for _, rw := range r.rows {
		for _, c := range rw.cs {
			count[c+1]++
		}
	}
	for c := range C {
		count[c+1] += count[c]
	}
	r.cStart = count
	r.cRow = make([]int32, count[C])
	r.cCoef = make([]float64, count[C])
	fill := append([]int32(nil), count[:C]...)
	for ri, rw := range r.rows {
		for j, c := range rw.cs {
			r.cRow[fill[c]] = int32(ri)
			r.cCoef[fill[c]] = rw.coef[j]
			fill[c]++
		}
	}
	r.grad = make([]float64, len(r.rows))
}

func newRelaxation(nt *network) *relaxation {
	in := nt.in
	sc := in.Scenario
	w := sc.Objective
	r := &relaxation{nt: nt, in: in}
	bySchool := make([][]int32, len(sc.Schools))
	size := make([]int, len(sc.Schools))
	for c, cl := range nt.classes {
		bySchool[cl.school] = append(bySchool[cl.school], int32(c))
		size[cl.school] += len(cl.members)
	}
	// No departure is worth more than this, so neither is an H4 multiplier:
	// bounding it keeps the subgradient steps sane and the bound valid.
	maxW := 0.0
	for c := range in.Staff {
		maxW = math.Max(maxW, in.Weight(c))
	}
	// A departure can count in every quota unit at once (a school in a
	// per-school and a county unit).
	units := float64(len(in.Units) + 1)
	h4hi := (w.Quota+w.Backbone)*units + w.Fill*maxW + w.Deficit + w.Wish + 1
	r.hardHi = h4hi
	ones := func(cs []int32, v float64) []float64 {
		out := make([]float64, len(cs))
		for i := range out {
			out[i] = v
		}
		return out
	}
	for s, cs := range bySchool {
		if cap := in.OutflowCap[s]; cap >= 0 && size[s] > cap {
			r.rows = append(r.rows, row{kind: rowH4, b: float64(cap), hi: h4hi, cs: cs, coef: ones(cs, 1)})
		}
	}
	for _, u := range in.Units {
		var cs []int32
		for _, s := range u.Schools {
			cs = append(cs, bySchool[s]...)
		}
		ur := [2]int32{-1, -1}
		if u.Target > 0 && w.Quota > 0 {
			ur[0] = int32(len(r.rows))
			r.rows = append(r.rows, row{kind: rowCount, b: -float64(u.Target), hi: w.Quota, cs: cs, coef: ones(cs, -1)})
		}
		if u.BackboneShare > 0 && w.Backbone > 0 && len(cs) > 0 {
			ur[1] = int32(len(r.rows))
			rw := row{kind: rowBackbone, b: 0, hi: w.Backbone, cs: cs}
			for _, c := range cs {
				a := u.BackboneShare
				if nt.classes[c].bb {
					a--
				}
				rw.coef = append(rw.coef, a)
			}
			r.rows = append(r.rows, rw)
		}
		r.unitRows = append(r.unitRows, ur)
	}
	r.base = len(r.rows)
	r.index()
	C := len(nt.classes)
	r.depCost = make([]float64, C)
	r.y = make([]int64, C)
	return r
}

// evaluate solves the flow at multipliers pi. It returns L(pi), or ok=false
// when the flow is infeasible (possible under branching bounds).
func (r *relaxation) evaluate(pi []float64) (float64, bool) {
	g := r.nt.g
	for c := range r.nt.classes {
		var v float64
		for j := r.cStart[c]; j < r.cStart[c+1]; j++ {
			v += pi[r.cRow[j]] * r.cCoef[j]
		}
		if v != r.depCost[c] {
			r.depCost[c] = v
			g.SetCost(int(r.nt.dep[c]), v)
		}
	}
	r.solves++
	if r.nt.solve() != flow.Optimal {
		return math.Inf(-1), false
	}
	L := g.Cost()
	for i, rw := range r.rows {
		L -= pi[i] * rw.b
	}
	for c := range r.nt.classes {
		r.y[c] = r.nt.leaving(c)
	}
	for i, rw := range r.rows {
		v := -rw.b
		for j, c := range rw.cs {
			v += rw.coef[j] * float64(r.y[c])
		}
		r.grad[i] = v
	}
	if r.onFlow != nil {
		r.onFlow()
	}
	return L, true
}

// primal computes Z of the current flow solution; ok is false when it breaks H4.
// It is a screen: offers recompute Z with model.Evaluate.
func (r *relaxation) primal() (float64, bool) {
	in := r.in
	w := in.Scenario.Objective
	moved := make([]int, len(in.Scenario.Schools))
	bbMoved := make([]int, len(in.Scenario.Schools))
	for c, cl := range r.nt.classes {
		moved[cl.school] += int(r.y[c])
		if cl.bb {
			bbMoved[cl.school] += int(r.y[c])
		}
	}
	for s, m := range moved {
		if cp := in.OutflowCap[s]; cp >= 0 && m > cp {
			return 0, false
		}
	}
	z := r.nt.baseCost()
	for _, u := range in.Units {
		var M, B int
		for _, s := range u.Schools {
			M += moved[s]
			B += bbMoved[s]
		}
		z += w.Quota * float64(max(0, u.Target-M))
		z += w.Backbone * math.Max(0, u.BackboneShare*float64(M)-float64(B))
	}
	return z, true
}
