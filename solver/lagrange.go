package solver

import (
	"math"

	"rotaplan/model"
	"rotaplan/solver/flow"
)

// Coupling rows. Every row is Σ_t a_rt·y_t <= b_r over the departure
// indicators y_t of teachers, dualized with a multiplier 0 <= π_r <= hi_r:
//
//	H4:       Σ_{t in s} y_t <= cap_s                          hi = +Inf
//	count:   -Σ_{t in U} y_t <= -q_U  (slack u_U costs w.quota) hi = w.quota
//	backbone: Σ_{t in U} (share - bb_t)·y_t <= 0 (slack v_U costs w.backbone) hi = w.backbone
//
// The slacks are eliminated: for π within [0, hi] their best value is 0.
// L(π) = min over flows of (cost + Σ_r π_r·(A_r y - b_r)) is a lower bound
// on Z for every such π (Fisher 1981; Ahuja, Magnanti, Orlin, "Network
// Flows", 1993, ch. 16).
type rowKind uint8

const (
	rowH4 rowKind = iota
	rowCount
	rowBackbone
	rowBranch // a branching decision on an aggregate: Σ y <= m or -Σ y <= -(m+1)
)

type row struct {
	kind rowKind
	ref  int // school for H4, unit for quota rows
	b    float64
	hi   float64
	ts   []int32 // teachers with a node
	coef []float64
}

type relaxation struct {
	nt   *network
	in   *model.Instance
	rows     []row // base rows, then the current node's branching rows
	nBase    int
	branchHi float64
	// per teacher: the rows it appears in (CSR)
	tStart []int32
	tRow   []int32
	tCoef  []float64

	pi      []float64
	depCost []float64 // current dep costs, to skip unchanged SetCost calls
	grad    []float64
	y       []bool // per teacher with a node (index into nt.teachers order is not used: per teacher)
	moved   []int  // per school, scratch
	bbMoved []int
}

func newRelaxation(nt *network) *relaxation {
	in := nt.in
	sc := in.Scenario
	w := sc.Objective
	T := len(sc.Teachers)
	r := &relaxation{nt: nt, in: in}
	hasNode := make([]bool, T)
	for _, t := range nt.teachers {
		hasNode[t] = true
	}
	bySchool := make([][]int32, len(sc.Schools))
	for _, t := range nt.teachers {
		bySchool[in.Home[t]] = append(bySchool[in.Home[t]], t)
	}
	// No departure is worth more than this, so neither is an H4 multiplier:
	// bounding it keeps the subgradient steps sane and the bound valid.
	maxW := 0.0
	for c := range in.Staff {
		maxW = math.Max(maxW, in.Weight(c))
	}
	h4hi := w.Quota + w.Backbone + w.Fill*maxW + w.Deficit + w.Wish + 1
	for s, ts := range bySchool {
		if cap := in.OutflowCap[s]; cap >= 0 && len(ts) > cap {
			rw := row{kind: rowH4, ref: s, b: float64(cap), hi: h4hi, ts: ts}
			for range ts {
				rw.coef = append(rw.coef, 1)
			}
			r.rows = append(r.rows, rw)
		}
	}
	for ui, u := range in.Units {
		var ts []int32
		for _, s := range u.Schools {
			ts = append(ts, bySchool[s]...)
		}
		if u.Target > 0 && w.Quota > 0 {
			rw := row{kind: rowCount, ref: ui, b: -float64(u.Target), hi: w.Quota, ts: ts}
			for range ts {
				rw.coef = append(rw.coef, -1)
			}
			r.rows = append(r.rows, rw)
		}
		if u.BackboneShare > 0 && w.Backbone > 0 && len(ts) > 0 {
			rw := row{kind: rowBackbone, ref: ui, b: 0, hi: w.Backbone, ts: ts}
			for _, t := range ts {
				a := u.BackboneShare
				if in.Backbone[t] {
					a--
				}
				rw.coef = append(rw.coef, a)
			}
			r.rows = append(r.rows, rw)
		}
	}
	r.nBase = len(r.rows)
	r.branchHi = 10 * h4hi
	r.setBranchRows(nil)
	r.depCost = make([]float64, T)
	r.y = make([]bool, T)
	r.moved = make([]int, len(sc.Schools))
	r.bbMoved = make([]int, len(sc.Schools))
	return r
}

// evaluate solves the flow at multipliers pi. It returns L(pi), or ok=false
// when the flow is infeasible (possible under branching fixes).
func (r *relaxation) evaluate(pi []float64) (float64, bool) {
	g := r.nt.g
	for _, t := range r.nt.teachers {
		var c float64
		for j := r.tStart[t]; j < r.tStart[t+1]; j++ {
			c += pi[r.tRow[j]] * r.tCoef[j]
		}
		if c != r.depCost[t] {
			r.depCost[t] = c
			g.SetCost(int(r.nt.dep[t]), c)
		}
	}
	if g.Solve() != flow.Optimal {
		return math.Inf(-1), false
	}
	L := g.Cost()
	for i, rw := range r.rows {
		L -= pi[i] * rw.b
	}
	for _, t := range r.nt.teachers {
		r.y[t] = r.nt.moved(t)
	}
	for i, rw := range r.rows {
		v := -rw.b
		for j, t := range rw.ts {
			if r.y[t] {
				v += rw.coef[j]
			}
		}
		r.grad[i] = v
	}
	return L, true
}

// primal computes Z of the current flow solution; ok is false when it breaks H4.
func (r *relaxation) primal() (float64, bool) {
	in := r.in
	w := in.Scenario.Objective
	clear(r.moved)
	clear(r.bbMoved)
	for _, t := range r.nt.teachers {
		if r.y[t] {
			s := in.Home[t]
			r.moved[s]++
			if in.Backbone[t] {
				r.bbMoved[s]++
			}
		}
	}
	for s, m := range r.moved {
		if c := in.OutflowCap[s]; c >= 0 && m > c {
			return 0, false
		}
	}
	z := r.nt.baseCost()
	for _, u := range in.Units {
		var M, B int
		for _, s := range u.Schools {
			M += r.moved[s]
			B += r.bbMoved[s]
		}
		z += w.Quota * float64(max(0, u.Target-M))
		z += w.Backbone * math.Max(0, u.BackboneShare*float64(M)-float64(B))
	}
	return z, true
}

// setBranchRows replaces the branching rows and rebuilds the per-teacher index.
func (r *relaxation) setBranchRows(extra []row) {
	T := len(r.in.Scenario.Teachers)
	r.rows = append(r.rows[:r.nBase], extra...)
	// CSR of rows per teacher.
	count := make([]int32, T+1)
	for _, rw := range r.rows {
		for _, t := range rw.ts {
			count[t+1]++
		}
	}
	for t := range T {
		count[t+1] += count[t]
	}
	r.tStart = count
	r.tRow = make([]int32, count[T])
	r.tCoef = make([]float64, count[T])
	fill := append([]int32(nil), count[:T]...)
	for ri, rw := range r.rows {
		for j, t := range rw.ts {
			r.tRow[fill[t]] = int32(ri)
			r.tCoef[fill[t]] = rw.coef[j]
			fill[t]++
		}
	}
	r.grad = make([]float64, len(r.rows))
}
