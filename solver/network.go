package solver

import (
	"math"

	"rotaplan/model"
	"rotaplan/solver/flow"
)

// network is the min-cost circulation of the problem without its coupling
// rows (H4 and the quota units):
//
//	cell(home, subject) --dep[t]--> teacher t --move--> cell(d, k)
//	cell --(cap short, cost -fill·w)--> R              net arrivals
//	R --(cap surplus, cost 0)--> cell                   departures of surplus staff
//	R --(cap source_deficit, cost fill·w + deficit)--> cell   departures that empty posts
//
// Conservation at a cell is exactly in - out = arrivals - departures, so the
// cell arcs carry the convex cost of spec §6 and bound the net change by H2
// and H3. A pinned teacher has one move arc and a dep arc with lower bound 1.
type network struct {
	in *model.Instance
	g  *flow.Graph

	root      int
	teachers  []int32 // teachers with a node, in index order
	dep       []int32 // per teacher: dep arc, or -1
	moveFirst int     // arcs >= moveFirst are move arcs
	moveT     []int32 // per move arc (minus moveFirst): teacher
	moveCell  []int32 // per move arc: destination cell
	moveCost  []float64
	depBase   []float64 // per teacher: unmodified dep cost (0)
	cellArcs  []int32   // the R arcs, for the base cost
}

// buildNetwork enumerates every allowed move into a cell that can take a
// teacher: a cell with open posts, or one that a movable teacher of that
// subject may leave (a swap). Moves into other cells break H2 whatever else
// happens, so leaving them out loses nothing.
func buildNetwork(in *model.Instance) *network {
	sc := in.Scenario
	S, K, T := len(sc.Schools), in.K, len(sc.Teachers)
	w := sc.Objective
	takes := make([]bool, S*K)
	for c := range takes {
		takes[c] = in.Short(c) > 0
	}
	for t := range T {
		if in.Movable[t] || in.Pin[t] >= 0 {
			takes[in.Cell(in.Home[t], in.Subject[t])] = true
		}
	}
	type cand struct {
		t, cell int32
		cost    float64
	}
	var cands []cand
	nt := &network{in: in, dep: make([]int32, T), root: S * K}
	for t := range T {
		nt.dep[t] = -1
		home := in.Home[t]
		if in.Pin[t] >= 0 {
			d, k := in.PinTo[t], in.PinSubj[t]
			cands = append(cands, cand{int32(t), int32(in.Cell(d, k)), w.Km*in.Km(home, d) - w.Wish*in.WishScore(t, d)})
			nt.teachers = append(nt.teachers, int32(t))
			continue
		}
		if !in.Movable[t] {
			continue
		}
		n0 := len(cands)
		for d := range S {
			if d == home || !in.RouteAllows(home, d) {
				continue
			}
			for _, k := range in.Teaches[t] {
				c := in.Cell(d, k)
				if !takes[c] || !in.Allowed(t, d, k) {
					continue
				}
				cands = append(cands, cand{int32(t), int32(c), w.Km*in.Km(home, d) - w.Wish*in.WishScore(t, d)})
			}
		}
		if len(cands) > n0 {
			nt.teachers = append(nt.teachers, int32(t))
		}
	}
	nodes := S*K + 1 + len(nt.teachers)
	g := flow.NewGraph(nodes, 3*S*K+len(nt.teachers)+len(cands))
	nt.g = g
	tnode := make([]int32, T)
	for i, t := range nt.teachers {
		tnode[t] = int32(S*K + 1 + i)
	}
	for c := 0; c < S*K; c++ {
		wf := w.Fill * in.Weight(c)
		if v := in.Short(c); v > 0 {
			nt.cellArcs = append(nt.cellArcs, int32(g.AddArc(c, nt.root, int64(v), -wf)))
		}
		if v := in.Surplus(c); v > 0 {
			nt.cellArcs = append(nt.cellArcs, int32(g.AddArc(nt.root, c, int64(v), 0)))
		}
		if v := sc.Policy.Limits.SourceDeficit; v > 0 {
			nt.cellArcs = append(nt.cellArcs, int32(g.AddArc(nt.root, c, int64(v), wf+w.Deficit)))
		}
	}
	nt.depBase = make([]float64, T)
	for _, t := range nt.teachers {
		a := g.AddArc(in.Cell(in.Home[t], in.Subject[t]), int(tnode[t]), 1, 0)
		nt.dep[t] = int32(a)
		if in.Pin[t] >= 0 {
			g.SetLower(a, 1)
		}
	}
	nt.moveFirst = g.NumArcs()
	nt.moveT = make([]int32, len(cands))
	nt.moveCell = make([]int32, len(cands))
	nt.moveCost = make([]float64, len(cands))
	for i, c := range cands {
		g.AddArc(int(tnode[c.t]), int(c.cell), 1, c.cost)
		nt.moveT[i], nt.moveCell[i], nt.moveCost[i] = c.t, c.cell, c.cost
	}
	return nt
}

// placements reads the plan from the current flow, sorted by teacher.
func (nt *network) placements() []model.Placement {
	var out []model.Placement
	K := nt.in.K
	for i := range nt.moveT {
		if nt.g.Flow(nt.moveFirst+i) > 0 {
			c := int(nt.moveCell[i])
			out = append(out, model.Placement{Teacher: int(nt.moveT[i]), To: c / K, Subject: c % K})
		}
	}
	return out // move arcs were added in teacher order
}

// moved reads y_t (1 when teacher t leaves) from the current flow.
func (nt *network) moved(t int32) bool {
	a := nt.dep[t]
	return a >= 0 && nt.g.Flow(int(a)) > 0
}

// baseCost is the flow's cost with unmodified dep arcs: Z without the quota terms.
func (nt *network) baseCost() float64 {
	var z float64
	for _, a := range nt.cellArcs {
		z += nt.g.ArcCost(int(a)) * float64(nt.g.Flow(int(a)))
	}
	for i, c := range nt.moveCost {
		if nt.g.Flow(nt.moveFirst+i) > 0 {
			z += c
		}
	}
	return z
}

var inf = math.Inf(1)
