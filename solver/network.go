package solver

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"rotaplan/model"
	"rotaplan/solver/flow"
)

// network is the min-cost circulation of the problem without its coupling
// rows (H4 and the quota units):
//
//	cell(home, subject) --dep[c]--> class c --move--> cell(d, k)
//	cell --(cap short, cost -fill·w)--> R              net arrivals
//	R --(cap surplus, cost 0)--> cell                   departures of surplus staff
//	R --(cap source_deficit, cost fill·w + deficit)--> cell   departures that empty posts
//
// Conservation at a cell is exactly in - out = arrivals - departures, so the
// cell arcs carry the convex cost of spec §6 and bound the net change by H2
// and H3.
//
// Teachers who are interchangeable (same school, subjects, backbone status,
// no wishes, no forbidden destination, no pin) form one class: one node whose
// dep arc carries how many of them leave. This shrinks the network and, more
// important, removes the symmetry that would make branch and bound try every
// permutation of equal teachers.
type network struct {
	in *model.Instance
	g  *flow.Graph

	root      int
	classes   []class
	dep       []int32 // per class: dep arc
	moveFirst int     // arcs >= moveFirst are move arcs
	moveClass []int32 // per move arc (minus moveFirst): class
	moveCell  []int32 // per move arc: destination cell
	moveCost  []float64
	cellArcs  []int32 // the R arcs, for the base cost
	pinned    []int32 // the classes of pinned teachers (one member each)
	// arcs is the size of the whole network, outside moves included: it
	// chooses the method and the work budget, so that pricing changes
	// neither.
	arcs int
	// outside are the move arcs not in the graph yet (a sparse network, see
	// buildNetwork), in class order; price moves those whose reduced cost
	// is negative into the graph.
	outside []moveArc
	priced  int       // move arcs priced into the graph so far
	pot     []float64 // scratch: node potentials while pricing
	holes   int       // entries of outside priced in but not yet removed (cell -1)
	rounds  int       // pricing rounds (solves of a sparse network)
}

// moveArc is an allowed move of a class's teachers into a cell.
type moveArc struct {
	class, cell int32
	cost        float64
}

// class is a set of interchangeable movable teachers.
type class struct {
	school  int
	members []int32 // teacher indices, ascending
	pinned  bool
	bb      bool
}

// buildNetwork enumerates every allowed move into a cell that can take a
// teacher: a cell with open posts, or one that a movable teacher of that
// subject may leave (a swap). Moves into other cells break H2 whatever else
// happens, so leaving them out loses nothing.
//
// A network of more than maxMoves move arcs is sparse: each class starts
// with its sparseMoves cheapest moves (km less wishes), and the others wait
// outside the graph until their reduced cost turns negative (solve prices
// them in), so every solve is still exact on the whole network. 0 means no
// limit.
func buildNetwork(in *model.Instance, maxMoves int) *network {
	sc := in.Scenario
	S, K, T := len(sc.Schools), in.K, len(sc.Teachers)
	w := sc.Objective
	takes := make([]bool, S*K)
	for c := range takes {
		takes[c] = in.Short(c) > 0
	}
	hasForbidTo := make([]bool, T)
	for _, f := range sc.Forbids {
		if f.To != "" {
			hasForbidTo[in.TeacherIndex[f.Teacher]] = true
		}
	}
	nt := &network{in: in, root: S * K}
	classOf := map[string]int{}
	for t := range T {
		if !(in.Movable[t] || in.Pin[t] >= 0) {
			continue
		}
		takes[in.Cell(in.Home[t], in.Subject[t])] = true
		key := ""
		if in.Pin[t] < 0 && len(sc.Teachers[t].Wishes) == 0 && !hasForbidTo[t] {
			var b strings.Builder
			b.WriteString(strconv.Itoa(in.Home[t]))
			for _, k := range in.Teaches[t] {
				b.WriteString("," + strconv.Itoa(k))
			}
			if in.Backbone[t] {
				b.WriteString(",bb")
			}
			key = b.String()
		}
		if c, ok := classOf[key]; ok && key != "" {
			nt.classes[c].members = append(nt.classes[c].members, int32(t))
			continue
		}
		if key != "" {
			classOf[key] = len(nt.classes)
		}
		nt.classes = append(nt.classes, class{school: in.Home[t], members: []int32{int32(t)}, pinned: in.Pin[t] >= 0, bb: in.Backbone[t]})
	}
	type cand = moveArc
	// An upper bound on the moves first, so that the candidates (4.9
	// million at 1,000 schools) are allocated once: growing them by
	// appends copied them about ten times and took 2.5 of the build's
	// 3.5 s there, mostly in page faults and in the collector waiting
	// for the copies to end.
	bound := 0
	for _, cl := range nt.classes {
		t := int(cl.members[0])
		if cl.pinned {
			bound++
			continue
		}
		home := in.Home[t]
		for d := range S {
			if d == home || !in.RouteAllows(home, d) {
				continue
			}
			for _, k := range in.Teaches[t] {
				if takes[in.Cell(d, k)] {
					bound++
				}
			}
		}
	}
	cands := make([]cand, 0, bound)
	kept := nt.classes[:0]
	for _, cl := range nt.classes {
		t := int(cl.members[0])
		home := in.Home[t]
		n0 := len(cands)
		ci := int32(len(kept))
		if cl.pinned {
			d, k := in.PinTo[t], in.PinSubj[t]
			cands = append(cands, cand{ci, int32(in.Cell(d, k)), w.Km*in.Km(home, d) - w.Wish*in.WishScore(t, d)})
		} else {
			for d := range S {
				if d == home || !in.RouteAllows(home, d) {
					continue
				}
				for _, k := range in.Teaches[t] {
					c := in.Cell(d, k)
					if !takes[c] || !in.Allowed(t, d, k) {
						continue
					}
					cands = append(cands, cand{ci, int32(c), w.Km*in.Km(home, d) - w.Wish*in.WishScore(t, d)})
				}
			}
		}
		if len(cands) > n0 {
			kept = append(kept, cl)
		}
	}
	nt.classes = kept
	for c, cl := range nt.classes {
		if cl.pinned {
			nt.pinned = append(nt.pinned, int32(c))
		}
	}
	all := len(cands)
	sparse := maxMoves > 0 && len(cands) > maxMoves
	if sparse {
		// Sparse: per class (cands are grouped by class) its
		// sparseMoves cheapest moves in, with any that tie with the
		// last; the rest outside, in their order.
		var inside []cand
		nt.outside = make([]cand, 0, len(cands))
		var costs []float64
		for lo := 0; lo < len(cands); {
			hi := lo
			for hi < len(cands) && cands[hi].class == cands[lo].class {
				hi++
			}
			if hi-lo > sparseMoves {
				// The sparseMoves-th smallest cost is the cut, whatever
				// the order of ties.
				costs = costs[:0]
				for _, c := range cands[lo:hi] {
					costs = append(costs, c.cost)
				}
				slices.Sort(costs)
				cut := costs[sparseMoves-1]
				for _, c := range cands[lo:hi] {
					if c.cost <= cut {
						inside = append(inside, c)
					} else {
						nt.outside = append(nt.outside, c)
					}
				}
			} else {
				inside = append(inside, cands[lo:hi]...)
			}
			lo = hi
		}
		cands = inside
	}
	maxOut := -1.0 // no big-M arc unless sparse
	if sparse {
		maxOut = 0
		for _, c := range nt.outside {
			maxOut = math.Max(maxOut, math.Abs(c.cost))
		}
	}
	nt.assemble(cands, maxOut)
	nt.arcs = len(nt.cellArcs) + len(nt.dep) + all
	return nt
}

// assemble builds the graph: cell arcs, dep arcs (pinned classes forced),
// then the move arcs cands. A maxOut >= 0 adds the sparse network's big-M
// arc before the moves.
func (nt *network) assemble(cands []moveArc, maxOut float64) {
	in := nt.in
	sc := in.Scenario
	S, K := len(sc.Schools), in.K
	w := sc.Objective
	nodes := S*K + 1 + len(nt.classes)
	g := flow.NewGraph(nodes, 3*S*K+len(nt.classes)+len(cands)+1)
	nt.g = g
	nt.cellArcs, nt.moveClass, nt.moveCell, nt.moveCost = nil, nil, nil, nil
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
	nt.dep = make([]int32, len(nt.classes))
	for i, cl := range nt.classes {
		t := cl.members[0]
		a := g.AddArc(in.Cell(in.Home[t], in.Subject[t]), S*K+1+i, int64(len(cl.members)), 0)
		nt.dep[i] = int32(a)
		if cl.pinned {
			g.SetLower(a, 1)
		}
	}
	if maxOut >= 0 {
		// An arc that never carries flow (capacity 0) with the largest
		// outside cost: the flow's big-M, which grows with the largest
		// cost in the graph, is then big enough for the whole network,
		// so an infeasible flow whose potentials price no outside move
		// is infeasible on the whole network too.
		g.AddArc(nt.root, nt.root, 0, maxOut)
	}
	nt.moveFirst = g.NumArcs()
	for _, c := range cands {
		nt.addMove(c)
	}
}

// without returns the network less the move arcs that drop marks (by
// move index, arc minus moveFirst): the same nodes, classes, outside
// moves and size for the budgets, a graph with default bounds, zero dep
// costs and no basis. Reduced-cost fixing uses it to solve only the moves
// that a better plan may take.
func (nt *network) without(drop []bool) *network {
	r := &network{in: nt.in, root: nt.root, classes: nt.classes, pinned: nt.pinned, arcs: nt.arcs,
		outside: nt.outside, priced: nt.priced, holes: nt.holes, rounds: nt.rounds}
	var cands []moveArc
	for i := range nt.moveClass {
		if !drop[i] {
			cands = append(cands, moveArc{class: nt.moveClass[i], cell: nt.moveCell[i], cost: nt.moveCost[i]})
		}
	}
	maxOut := -1.0
	if nt.moveFirst > len(nt.cellArcs)+len(nt.dep) {
		maxOut = nt.g.ArcCost(nt.moveFirst - 1)
	}
	r.assemble(cands, maxOut)
	return r
}

// sparseMoves is how many moves per class a sparse network starts with (a
// variable so that tests can start sparser); pricePerClass how many more a
// class may take per pricing round.
var sparseMoves = 12

const pricePerClass = 2

// addMove adds a move arc to the graph.
func (nt *network) addMove(c moveArc) {
	S, K := len(nt.in.Scenario.Schools), nt.in.K
	nt.g.AddArc(S*K+1+int(c.class), int(c.cell), int64(len(nt.classes[c.class].members)), c.cost)
	nt.moveClass = append(nt.moveClass, c.class)
	nt.moveCell = append(nt.moveCell, c.cell)
	nt.moveCost = append(nt.moveCost, c.cost)
}

// solve solves the flow on the whole network: on a sparse one it prices
// the outside moves at the optimal potentials and solves again (warm)
// until none has a negative reduced cost, which makes the flow optimal for
// every move (Dantzig's column generation on the arcs; Ahuja, Magnanti and
// Orlin, "Network Flows", 1993, §11.5 on candidate lists). An infeasible
// flow is priced the same way: its potentials price the big-M problem,
// whose big-M covers the outside moves too (see buildNetwork), so
// infeasibility is never an artefact of the missing arcs.
func (nt *network) solve() flow.Status {
	g := nt.g
	for {
		st := g.Solve()
		if len(nt.outside) == nt.holes || st == flow.Unbounded {
			return st
		}
		S, K := len(nt.in.Scenario.Schools), nt.in.K
		// The potentials once, so that the scan of millions of moves reads
		// a slice.
		pot := nt.pot[:0]
		for v := range g.NumNodes() {
			pot = append(pot, g.Potential(v))
		}
		nt.pot = pot
		// Per class, its most negative moves (pickOutside). A move priced
		// in leaves the list as a hole (cell -1); the holes are squeezed
		// out when they are a quarter of it, so a round that adds nothing
		// only reads.
		added := 0
		out := nt.outside
		parts := 1
		if len(out) >= 1<<18 {
			parts = cores()
		}
		for _, picks := range pickOutside(out, pot, S*K+1, parts) {
			for _, i := range picks {
				nt.addMove(out[i])
				out[i].cell = -1
				added++
			}
		}
		nt.holes += added
		if nt.holes > len(out)/4 {
			kept := out[:0]
			for _, c := range out {
				if c.cell >= 0 {
					kept = append(kept, c)
				}
			}
			clear(out[len(kept):])
			nt.outside, nt.holes = kept, 0
		}
		nt.priced += added
		nt.rounds++
		if added == 0 {
			return st
		}
	}
}

// pickOutside returns, per class of the outside moves out (grouped by
// class), its pricePerClass most negative moves at potentials pot (class c
// at node first+c), in list order: adding every negative one would fill
// the graph with moves that the potentials of the next solve no longer
// want. The list is split at class boundaries into parts scanned on as
// many goroutines; the picks come back per part, in list order, so the
// graph grows the same way whatever their number.
func pickOutside(out []moveArc, pot []float64, first, parts int) [][]int {
	bounds := []int{0}
	for p := 1; p < parts; p++ {
		i := max(bounds[len(bounds)-1], len(out)*p/parts)
		for i > 0 && i < len(out) && out[i].class == out[i-1].class {
			i++
		}
		bounds = append(bounds, i)
	}
	bounds = append(bounds, len(out))
	picks := make([][]int, parts)
	scan := func(p int) {
		var best [pricePerClass]int
		var bestRC [pricePerClass]float64
		var got []int
		hiEnd := bounds[p+1]
		for lo := bounds[p]; lo < hiEnd; {
			cl := out[lo].class
			hi := lo
			nb := 0
			pc := pot[first+int(cl)]
			for ; hi < hiEnd && out[hi].class == cl; hi++ {
				c := out[hi]
				if c.cell < 0 {
					continue
				}
				rc := c.cost - pc + pot[c.cell]
				if rc >= -1e-7*max(1, math.Abs(c.cost)) {
					continue
				}
				// insertion into the nb best so far, most negative first
				k := nb
				if nb < pricePerClass {
					nb++
				} else if rc >= bestRC[nb-1] {
					continue
				} else {
					k = nb - 1
				}
				for ; k > 0 && bestRC[k-1] > rc; k-- {
					best[k], bestRC[k] = best[k-1], bestRC[k-1]
				}
				best[k], bestRC[k] = hi, rc
			}
			slices.Sort(best[:nb]) // in list order, so the arcs' order does not depend on the prices' ties
			got = append(got, best[:nb]...)
			lo = hi
		}
		picks[p] = got
	}
	var wg sync.WaitGroup
	for p := 1; p < parts; p++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			scan(p)
		}()
	}
	scan(0)
	wg.Wait()
	return picks
}

// lower and upper are the default bounds of a class's departures.
func (nt *network) lower(c int) int64 {
	if nt.classes[c].pinned {
		return 1
	}
	return 0
}
func (nt *network) upper(c int) int64 { return int64(len(nt.classes[c].members)) }

// placements reads the plan from the current flow: the members of a class
// are given its moves in order, so the plan is deterministic. Sorted by teacher.
func (nt *network) placements() []model.Placement {
	var out []model.Placement
	K := nt.in.K
	next := make([]int, len(nt.classes))
	for i := range nt.moveClass {
		f := nt.g.Flow(nt.moveFirst + i)
		c := nt.moveClass[i]
		cell := int(nt.moveCell[i])
		for ; f > 0; f-- {
			t := nt.classes[c].members[next[c]]
			next[c]++
			out = append(out, model.Placement{Teacher: int(t), To: cell / K, Subject: cell % K})
		}
	}
	slices.SortFunc(out, func(a, b model.Placement) int { return a.Teacher - b.Teacher })
	return out
}

// home is the node of class c's home cell (its dep arc's tail).
func (nt *network) home(c int32) int32 {
	t := nt.classes[c].members[0]
	return int32(nt.in.Cell(nt.in.Home[t], nt.in.Subject[t]))
}

// classNode is the node of class c.
func (nt *network) classNode(c int32) int32 { return int32(nt.root+1) + c }

// leaving is the number of a class's teachers that leave in the current flow.
func (nt *network) leaving(c int) int64 { return nt.g.Flow(int(nt.dep[c])) }

// baseCost is the flow's cost with unmodified dep arcs: Z without the quota terms.
func (nt *network) baseCost() float64 {
	var z float64
	for _, a := range nt.cellArcs {
		z += nt.g.ArcCost(int(a)) * float64(nt.g.Flow(int(a)))
	}
	for i, c := range nt.moveCost {
		z += c * float64(nt.g.Flow(nt.moveFirst+i))
	}
	return z
}
