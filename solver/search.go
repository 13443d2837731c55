package solver

import (
	"cmp"
	"context"
	"math"
	"slices"
	"time"

	"rotaplan/model"
)

// fix is a branching decision: teacher t leaves (1) or stays (0).
type fix struct {
	t   int32
	val int8
}

type node struct {
	id    int
	fixes []fix
	rows  []row // branching rows on aggregates
	pi    []float64 // multipliers to start from
	lb    float64   // bound inherited from the parent
	depth int
}

type search struct {
	ctx      context.Context
	settings Settings
	start    time.Time
	nt       *network
	rl       *relaxation
	in       *model.Instance

	best      []model.Placement
	bestZ     float64
	haveBest  bool
	applied   []fix
	nodes     int
	stopped   bool
	avgY      []float64 // per teacher, ergodic average of y over recent iterations
	lastFlows int
}

func (s *search) tol(z float64) float64 {
	return math.Max(1e-6*math.Max(1, math.Abs(z)), s.settings.Gap*math.Max(1, math.Abs(z)))
}

// offer records a plan if it is better than the incumbent. Z is recomputed
// with model.Evaluate, the spec's own objective.
func (s *search) offer() {
	zEst, ok := s.rl.primal()
	if !ok {
		return
	}
	if s.haveBest && zEst >= s.bestZ-1e-9*math.Max(1, math.Abs(s.bestZ)) {
		return
	}
	moves := s.nt.placements()
	z := model.Evaluate(s.in, moves).Terms.Total()
	if !s.haveBest || z < s.bestZ-1e-9*math.Max(1, math.Abs(s.bestZ)) {
		s.best, s.bestZ, s.haveBest = moves, z, true
	}
}

// applyFixes sets the dep arc bounds of a node's fixes, undoing the previous node's.
func (s *search) applyFixes(fs []fix) {
	g := s.nt.g
	in := s.in
	for _, f := range s.applied {
		a := int(s.nt.dep[f.t])
		if in.Pin[f.t] < 0 {
			g.SetLower(a, 0)
		}
		g.SetCapacity(a, 1)
	}
	for _, f := range fs {
		a := int(s.nt.dep[f.t])
		if f.val == 0 {
			g.SetCapacity(a, 0)
		} else {
			g.SetLower(a, 1)
		}
	}
	s.applied = append(s.applied[:0], fs...)
}

func (s *search) timeUp() bool {
	if s.stopped {
		return true
	}
	if s.ctx.Err() != nil || (s.settings.TimeLimit > 0 && time.Since(s.start) > s.settings.TimeLimit) {
		s.stopped = true
	}
	return s.stopped
}

// ascend maximizes L over the multipliers from pi (updated in place) by the
// projected subgradient method with Polyak steps towards the incumbent
// (Polyak 1969; Held, Wolfe, Crowder 1974). It returns the best bound found,
// or ok=false when the node is infeasible.
func (s *search) ascend(pi []float64, iters int) (float64, bool) {
	rl := s.rl
	best := math.Inf(-1)
	bestPi := append([]float64(nil), pi...)
	alpha := 1.0
	stall := 0
	for i := range s.avgY {
		s.avgY[i] = 0
	}
	samples := 0
	for it := 0; it < iters; it++ {
		if s.timeUp() {
			break
		}
		L, ok := rl.evaluate(pi)
		if !ok {
			return math.Inf(-1), false
		}
		if it%5 == 0 {
			s.repair() // leaves the flow changed: re-evaluate below
			if L2, ok2 := rl.evaluate(pi); ok2 {
				L = L2
			}
		} else {
			s.offer()
		}
		if L > best+1e-9*math.Max(1, math.Abs(L)) {
			best = L
			copy(bestPi, pi)
			stall = 0
		} else {
			stall++
			if stall >= 8 {
				alpha /= 2
				stall = 0
				copy(pi, bestPi)
				continue
			}
		}
		if it >= iters/2 {
			samples++
			for _, t := range s.nt.teachers {
				if rl.y[t] {
					s.avgY[t]++
				}
			}
		}
		if s.haveBest && best >= s.bestZ-s.tol(s.bestZ) {
			break
		}
		// Projected subgradient: components at a bound that point outwards do not move.
		var norm float64
		for r := range rl.grad {
			gr := rl.grad[r]
			if (pi[r] <= 0 && gr < 0) || (pi[r] >= rl.rows[r].hi && gr > 0) {
				rl.grad[r] = 0
				continue
			}
			norm += gr * gr
		}
		if norm == 0 {
			break // L is maximal: the flow solution satisfies every row with complementary slackness
		}
		target := best + math.Max(1, 0.05*math.Abs(best))
		if s.haveBest && s.bestZ < target {
			target = s.bestZ
		}
		step := alpha * (target - L) / norm
		if step <= 0 || alpha < 1e-6 {
			break
		}
		for r := range pi {
			pi[r] = math.Min(rl.rows[r].hi, math.Max(0, pi[r]+step*rl.grad[r]))
		}
	}
	copy(pi, bestPi)
	if samples > 0 {
		for _, t := range s.nt.teachers {
			s.avgY[t] /= float64(samples)
		}
	}
	// Leave the flow at the best multipliers, so branching reads its solution.
	rl.evaluate(pi)
	for _, t := range s.nt.teachers {
		if samples == 0 {
			s.avgY[t] = b2f(rl.y[t])
		}
	}
	return best, true
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// branchTeacher picks the teacher to branch on: the most fractional in the
// ergodic average of recent solutions among teachers in rows, else a teacher
// of a violated or not complementary row. -1 when there is none.
func (s *search) branchTeacher(fixed []fix) int32 {
	isFixed := map[int32]bool{}
	for _, f := range fixed {
		isFixed[f.t] = true
	}
	rl := s.rl
	bestT, bestScore := int32(-1), 0.0
	for _, t := range s.nt.teachers {
		if isFixed[t] || s.in.Pin[t] >= 0 || rl.tStart[t] == rl.tStart[t+1] {
			continue
		}
		f := s.avgY[t]
		score := math.Min(f, 1-f)
		if score > bestScore+1e-12 {
			bestT, bestScore = t, score
		}
	}
	if bestT >= 0 {
		return bestT
	}
	// No fractional teacher: take a free teacher of the row whose
	// complementary slackness is violated most (Z - L = Σ_r of these terms).
	worst, worstV := -1, 1e-9
	for r, rw := range rl.rows {
		g, p := rl.grad[r], rl.pi[r]
		v := -p * g
		if g > 0 && (rw.kind == rowCount || rw.kind == rowBackbone) {
			v = (rw.hi - p) * g
		} else if g > 0 {
			v = math.Inf(1) // H4 broken
		}
		if v <= worstV {
			continue
		}
		for _, t := range rw.ts {
			if !isFixed[t] && s.in.Pin[t] < 0 {
				worst, worstV = r, v
				break
			}
		}
	}
	if worst < 0 {
		return -1
	}
	// In that row, the free teacher whose departure best explains the
	// violation: one that leaves when the row wants fewer, else one that stays.
	wantFewer := rl.grad[worst] > 0 == (rl.rows[worst].kind == rowH4)
	var pick int32 = -1
	for _, t := range rl.rows[worst].ts {
		if isFixed[t] || s.in.Pin[t] >= 0 {
			continue
		}
		if pick < 0 || rl.y[t] == wantFewer {
			pick = t
			if rl.y[t] == wantFewer {
				break
			}
		}
	}
	return pick
}

// run is best-first branch and bound over teacher departures.
func (s *search) run(rootIters, nodeIters, maxNodes int) (bound float64) {
	rl := s.rl
	open := []*node{{id: 0, pi: make([]float64, rl.nBase), lb: math.Inf(-1)}}
	nextID := 1
	globalLB := math.Inf(-1)
	for len(open) > 0 {
		// Best bound first; ties by id, so the order is deterministic.
		slices.SortFunc(open, func(a, b *node) int {
			return cmp.Or(cmp.Compare(a.lb, b.lb), cmp.Compare(a.id, b.id))
		})
		globalLB = open[0].lb
		if s.haveBest && globalLB >= s.bestZ-s.tol(s.bestZ) {
			return math.Min(globalLB, s.bestZ)
		}
		if s.timeUp() || s.nodes >= maxNodes {
			return globalLB
		}
		nd := open[0]
		open = open[1:]
		if s.fixesBreakH4(nd.fixes) || s.rowsImpossible(nd) {
			continue
		}
		s.nodes++
		s.applyFixes(nd.fixes)
		rl.setBranchRows(nd.rows)
		pi := nd.pi
		rl.pi = pi
		iters := nodeIters
		if nd.depth == 0 {
			iters = rootIters
		}
		lb, ok := s.ascend(pi, iters)
		if !ok {
			continue
		}
		lb = math.Max(lb, nd.lb)
		if s.settings.Progress != nil {
			s.settings.Progress(Progress{Elapsed: time.Since(s.start), Phase: "branch and bound", Objective: s.bestZ, Bound: lb, Nodes: s.nodes})
		}
		if s.haveBest && lb >= s.bestZ-s.tol(s.bestZ) {
			continue
		}
		if left, right, ok := s.branchAggregate(nd); ok && len(nd.rows) < 4 {
			for _, rw := range []row{left, right} {
				child := &node{id: nextID, lb: lb, depth: nd.depth + 1, fixes: nd.fixes,
					rows: append(append([]row(nil), nd.rows...), rw),
					pi:   append(append([]float64(nil), pi...), 0)}
				nextID++
				open = append(open, child)
			}
			continue
		}
		t := s.branchTeacher(nd.fixes)
		if t < 0 {
			// Nothing left to branch on: the bound of this node cannot be
			// improved by this search; keep it as the bound.
			if !s.haveBest || lb < s.bestZ {
				return lb
			}
			continue
		}
		for _, v := range []int8{1, 0} {
			child := &node{id: nextID, lb: lb, depth: nd.depth + 1, rows: nd.rows, pi: append([]float64(nil), pi...)}
			child.fixes = append(append([]fix(nil), nd.fixes...), fix{t: t, val: v})
			nextID++
			open = append(open, child)
		}
	}
	if s.haveBest {
		return s.bestZ
	}
	return globalLB
}

// repair turns the current flow solution into a plan that keeps H4 when it
// does not: at each school that sends too many teachers it keeps the
// departures of at most cap of them (pinned and branched-in ones first, then
// backbone teachers, who help the quotas, then by index), closes the
// departure arcs of the school's other teachers, and solves again, for up to
// three rounds. The closures are undone afterwards. The result is offered as
// an incumbent; the relaxation's flow is left as the repair solved it.
func (s *search) repair() {
	in, rl, nt := s.in, s.rl, s.nt
	g := nt.g
	var closed []int32
	forced := map[int32]bool{}
	for _, f := range s.applied {
		if f.val == 1 {
			forced[f.t] = true
		}
	}
	isClosed := map[int32]bool{}
	for _, f := range s.applied {
		if f.val == 0 {
			isClosed[f.t] = true
		}
	}
	for round := 0; round < 3; round++ {
		bySchool := map[int][]int32{}
		for _, t := range nt.teachers {
			bySchool[in.Home[t]] = append(bySchool[in.Home[t]], t)
		}
		violated := false
		for sIdx := range in.Scenario.Schools {
			cap := in.OutflowCap[sIdx]
			ts := bySchool[sIdx]
			if cap < 0 || len(ts) <= cap {
				continue
			}
			var leaving []int32
			for _, t := range ts {
				if rl.y[t] {
					leaving = append(leaving, t)
				}
			}
			if len(leaving) <= cap {
				continue
			}
			violated = true
			slices.SortStableFunc(leaving, func(a, b int32) int {
				ra := rankKeep(in, forced, a)
				rb := rankKeep(in, forced, b)
				return cmp.Or(cmp.Compare(ra, rb), cmp.Compare(a, b))
			})
			keep := map[int32]bool{}
			for _, t := range leaving[:cap] {
				keep[t] = true
			}
			for _, t := range ts {
				if keep[t] || isClosed[t] || forced[t] || in.Pin[t] >= 0 {
					continue
				}
				g.SetCapacity(int(nt.dep[t]), 0)
				isClosed[t] = true
				closed = append(closed, t)
			}
		}
		if !violated {
			break
		}
		if _, ok := rl.evaluate(rl.pi); !ok {
			break
		}
	}
	s.offer()
	for _, t := range closed {
		g.SetCapacity(int(nt.dep[t]), 1)
	}
}

func rankKeep(in *model.Instance, forced map[int32]bool, t int32) int {
	switch {
	case in.Pin[t] >= 0 || forced[t]:
		return 0
	case in.Backbone[t]:
		return 1
	}
	return 2
}

// fixesBreakH4 reports whether the teachers forced to leave (pins and
// branching) already exceed a school's H4 cap: such a node has no plan.
func (s *search) fixesBreakH4(fs []fix) bool {
	in := s.in
	out := map[int]int{}
	for t := range in.Scenario.Teachers {
		if in.Pin[t] >= 0 {
			out[in.Home[t]]++
		}
	}
	for _, f := range fs {
		if f.val == 1 && in.Pin[f.t] < 0 {
			out[in.Home[f.t]]++
		}
	}
	for sIdx, n := range out {
		if c := in.OutflowCap[sIdx]; c >= 0 && n > c {
			return true
		}
	}
	return false
}

// branchAggregate picks the departure count that is most fractional in the
// ergodic average of recent flow solutions, among the quota units (all their
// teachers, and their backbone teachers) and the schools with an H4 row, and
// returns the two branches M <= floor and M >= floor+1. Branching on these
// aggregates instead of on single teachers avoids the symmetry of many
// interchangeable teachers (Vanderbeck and Wolsey, "Reformulation and
// decomposition of integer programs", 2010, on branching on aggregates).
func (s *search) branchAggregate(nd *node) (row, row, bool) {
	rl := s.rl
	best, bestScore := -1, 0.25
	var bestTs []int32
	var bestAvg float64
	consider := func(ts []int32) {
		var avg float64
		for _, t := range ts {
			avg += s.avgY[t]
		}
		f := avg - math.Floor(avg)
		if sc := math.Min(f, 1-f); sc > bestScore+1e-9 {
			best, bestScore, bestTs, bestAvg = 1, sc, ts, avg
		}
	}
	for _, rw := range rl.rows[:rl.nBase] {
		switch rw.kind {
		case rowH4, rowCount:
			consider(rw.ts)
		case rowBackbone:
			var bb []int32
			for _, t := range rw.ts {
				if s.in.Backbone[t] {
					bb = append(bb, t)
				}
			}
			consider(bb)
		}
	}
	if best < 0 {
		return row{}, row{}, false
	}
	m := math.Floor(bestAvg)
	le := row{kind: rowBranch, b: m, hi: rl.branchHi, ts: bestTs, coef: make([]float64, len(bestTs))}
	ge := row{kind: rowBranch, b: -(m + 1), hi: rl.branchHi, ts: bestTs, coef: make([]float64, len(bestTs))}
	for i := range bestTs {
		le.coef[i], ge.coef[i] = 1, -1
	}
	return le, ge, true
}

// rowsImpossible reports whether a node's branching rows cannot hold given
// its fixed and pinned teachers.
func (s *search) rowsImpossible(nd *node) bool {
	val := map[int32]int8{}
	for _, f := range nd.fixes {
		val[f.t] = f.val
	}
	for _, rw := range nd.rows {
		var minLHS float64
		for i, t := range rw.ts {
			v, fixed := val[t]
			if s.in.Pin[t] >= 0 {
				v, fixed = 1, true
			}
			switch {
			case fixed:
				minLHS += rw.coef[i] * float64(v)
			case rw.coef[i] < 0:
				minLHS += rw.coef[i]
			}
		}
		if minLHS > rw.b+1e-9 {
			return true
		}
	}
	return false
}
