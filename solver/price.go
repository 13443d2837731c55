package solver

import (
	"cmp"
	"hash/fnv"
	"math"
	"slices"
	"time"
)

// columnPool keeps every distinct flow solution seen: its cost without the
// coupling rows, its row activities and its departures per class. Every
// flow solved under any bounds is a point of the flow polytope, so a column
// once found serves every node whose bounds it keeps.
type columnPool struct {
	costs []float64
	acts  [][]float64
	ys    [][]int32
	seen  map[uint64][]int32
	last  int // index of the column of the latest flow
}

// collect adds the relaxation's current flow to the pool (once).
func (p *columnPool) collect(rl *relaxation) {
	h := fnv.New64a()
	var buf [4]byte
	for _, v := range rl.y {
		buf[0], buf[1], buf[2], buf[3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
		h.Write(buf[:])
	}
	key := h.Sum64()
	base := rl.nt.g.Cost()
	for c, v := range rl.y {
		base -= rl.depCost[c] * float64(v)
	}
	y := int32s(rl.y)
	for _, j := range p.seen[key] {
		if slices.Equal(p.ys[j], y) {
			// Same departures: the flow's cost for them is the same minimum
			// (up to ties); keep the cheaper.
			if base < p.costs[j] {
				p.costs[j] = base
			}
			p.last = int(j)
			return
		}
	}
	act := make([]float64, rl.base)
	for r, rw := range rl.rows[:rl.base] {
		act[r] = rl.grad[r] + rw.b
	}
	p.costs = append(p.costs, base)
	p.acts = append(p.acts, act)
	p.ys = append(p.ys, y)
	p.last = len(p.costs) - 1
	p.seen[key] = append(p.seen[key], int32(p.last))
}

func int32s(y []int64) []int32 {
	out := make([]int32, len(y))
	for i, v := range y {
		out[i] = int32(v)
	}
	return out
}

// pruneTol is the slack below the incumbent under which a node is pruned:
// tighter than the optimality tolerance of the status, so that plans whose
// Z differs in the last reported digits are still told apart.
func (s *search) pruneTol() float64 {
	z := math.Max(1, math.Abs(s.bestZ))
	return math.Max(1e-9*z, s.settings.Gap*z)
}

// smoothing is the weight of the stability centre in Wentges's dual
// smoothing of column generation (Wentges, "Weighted Dantzig-Wolfe
// decomposition for linear mixed-integer programming", International
// Transactions in Operational Research 4(2), 1997).
const smoothing = 0.7

// lpStatus says how a node's LP ended.
type lpStatus uint8

const (
	lpSolved     lpStatus = iota // column generation converged
	lpPruned                     // the bound reached the incumbent
	lpInfeasible                 // no flow keeps the node's bounds
	lpStopped                    // the work budget ran out, or the master failed
)

type lpResult struct {
	status  lpStatus
	lb      float64   // proven lower bound of the node
	ystar   []float64 // LP departures per class (lpSolved)
	pi      []float64 // the last duals
	slack   []float64 // the master's row slacks (lpSolved)
	h4slack bool      // the LP breaks an H4 row (at its penalty)
	warm    *warmBasis
}

// warmBasis is a node's optimal master basis, kept for its children: their
// masters start from it instead of from the slack basis (a child differs
// from its parent by one bound or row), which saves about a third of the
// pivots of a node's first master solve.
// Entries are slack r (r), logical r (rows + r) or pool column j
// (2·rows + j), for a master of rows rows over rows[:base] plus branching
// rows.
type warmBasis struct {
	base, rows int
	vars       []int
}

// nodeLP solves a node's LP relaxation by column generation: the master
// over the pool's columns that keep the node's bounds (the best-priced ones
// at the parent's duals), a new flow priced at the master's duals, until
// no flow has a negative reduced cost. Every flow is offered as a plan.
// The node's bounds and branching rows stay set.
func (s *search) nodeLP(nd *node) lpResult {
	rl := s.rl
	C := len(s.nt.classes)
	s.setBounds(nd.bounds)
	rl.setBranchRows(nd.extra)
	if s.boundsInfeasible() || s.branchRowsInfeasible() {
		return lpResult{status: lpInfeasible}
	}
	s.nodes++
	s.epoch++
	if nb := len(nd.pi) - len(nd.extra); nb < rl.base {
		// Cuts were added since the node was made: their duals start at 0.
		pi := append(slices.Clip(nd.pi[:nb]), make([]float64, rl.base-nb)...)
		nd.pi = append(pi, nd.pi[nb:]...)
	}
	s.pi = append(s.pi[:0], nd.pi...)
	// The columns that keep the node's bounds: those of the whole search
	// (rootBounds, checked once per column) and the node's own.
	if s.deadFor != s.rootVersion {
		s.dead, s.deadFor = s.dead[:0], s.rootVersion
	}
	for j := len(s.dead); j < len(s.pool.ys); j++ {
		y := s.pool.ys[j]
		out := false
		for _, b := range s.rootBounds {
			if v := int64(y[b.c]); v < b.lo || v > b.hi {
				out = true
				break
			}
		}
		s.dead = append(s.dead, out)
	}
	var elig []int
	for j, y := range s.pool.ys {
		if s.dead[j] {
			continue
		}
		ok := true
		for _, b := range nd.bounds {
			if v := int64(y[b.c]); v < b.lo || v > b.hi {
				ok = false
				break
			}
		}
		if ok {
			elig = append(elig, j)
		}
	}
	mark := func(j int) bool {
		for len(s.mark) <= j {
			s.mark = append(s.mark, 0)
		}
		if s.mark[j] == s.epoch {
			return false
		}
		s.mark[j] = s.epoch
		return true
	}
	res := lpResult{lb: nd.lb, pi: nd.pi}
	if len(elig) == 0 {
		L, ok := rl.evaluate(nd.pi)
		if !ok {
			return lpResult{status: lpInfeasible}
		}
		res.lb = math.Max(res.lb, L)
		s.offer()
		elig = append(elig, s.pool.last)
	}
	ml := &masterLP{b: make([]float64, len(rl.rows)), hi: make([]float64, len(rl.rows)), links: make([][]link, len(rl.rows))}
	for r, rw := range rl.rows {
		ml.b[r], ml.hi[r], ml.links[r] = rw.b, rw.hi, rw.links
	}
	actOf := func(j int) []float64 {
		act := s.pool.acts[j]
		if len(rl.rows) > rl.base {
			act = append(slices.Clip(act), make([]float64, len(rl.rows)-rl.base)...)
			for r, rw := range rl.rows[rl.base:] {
				for k, c := range rw.cs {
					act[rl.base+r] += rw.coef[k] * float64(s.pool.ys[j][c])
				}
			}
		}
		return act
	}
	if keep := 2*len(rl.rows) + 20; len(elig) > keep {
		// Start from the columns that price best at the parent's duals:
		// a master of every column ever seen grows too slow to solve.
		// The branching rows' part of the price, per class, so that a
		// column's price costs O(rows + classes), not O(branch rows x set).
		perClass := make([]float64, C)
		var touched []int32 // the classes with a share, in class order
		for r, rw := range rl.rows[rl.base:] {
			if rl.base+r >= len(nd.pi) {
				break
			}
			if p := nd.pi[rl.base+r]; p != 0 {
				for k, c := range rw.cs {
					perClass[c] += p * rw.coef[k]
				}
			}
		}
		for c, v := range perClass {
			if v != 0 {
				touched = append(touched, int32(c))
			}
		}
		rc := make([]float64, len(elig))
		order := make([]int, len(elig))
		for k, j := range elig {
			order[k] = k
			rc[k] = s.pool.costs[j]
			for r, a := range s.pool.acts[j] {
				rc[k] += nd.pi[r] * a
			}
			y := s.pool.ys[j]
			for _, c := range touched {
				if v := y[c]; v != 0 {
					rc[k] += perClass[c] * float64(v)
				}
			}
		}
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(rc[a], rc[b]) })
		order = order[:keep]
		slices.Sort(order)
		e2 := make([]int, 0, keep)
		for _, k := range order {
			e2 = append(e2, elig[k])
		}
		elig = e2
	}
	// The parent's basis, when its rows are the node's first ones: its
	// pool columns join the master (flagged when they break the node's
	// bounds), its rows past the parent's start on a guess.
	var start []int
	if w := nd.warm; w != nil && w.base == rl.base && w.rows <= len(rl.rows) {
		m, m0 := len(rl.rows), w.rows
		in := map[int]int{}
		for k, j := range elig {
			in[j] = k
		}
		for _, v := range w.vars {
			if v >= 2*m0 {
				if _, ok := in[v-2*m0]; !ok {
					in[v-2*m0] = len(elig)
					elig = append(elig, v-2*m0)
				}
			}
		}
		for _, v := range w.vars {
			switch {
			case v < m0:
				start = append(start, v)
			case v < 2*m0:
				start = append(start, m+v-m0)
			default:
				start = append(start, 2*m+in[v-2*m0])
			}
		}
		for r := m0; r < m; r++ {
			start = append(start, m+r)
			ml.fresh = append(ml.fresh, r)
		}
	}
	for _, j := range elig {
		mark(j)
		ml.costs = append(ml.costs, s.pool.costs[j])
		ml.acts = append(ml.acts, actOf(j))
	}
	if start != nil {
		ml.basis = start
		ml.excluded = make([]bool, len(elig))
		for k, j := range elig {
			for _, c := range s.applied {
				if v := int64(s.pool.ys[j][c]); v < s.lo[c] || v > s.hi[c] {
					ml.excluded[k] = true
					break
				}
			}
		}
	}
	var sol *masterSolution
	converged := false
	var center []float64 // the duals of the best bound so far
	centerL := math.Inf(-1)
	// price evaluates L at the duals y, offers the flow as a plan, and keeps
	// the best duals as the stability centre.
	price := func(y []float64) (float64, bool) {
		L, ok := rl.evaluate(y)
		if !ok {
			return 0, false
		}
		s.offer()
		if center == nil || L > centerL {
			center, centerL = slices.Clone(y), L
		}
		res.lb = math.Max(res.lb, L)
		return L, true
	}
	// pruned: the node's bound reached the incumbent.
	pruned := func() bool { return s.haveBest && res.lb >= s.bestZ-s.pruneTol() }
	addColumn := func(j int) {
		elig = append(elig, j)
		ml.costs = append(ml.costs, s.pool.costs[j])
		ml.acts = append(ml.acts, actOf(j))
		if ml.excluded != nil {
			ml.excluded = append(ml.excluded, false)
		}
	}
	for !s.timeUp() {
		w0 := ml.work
		ms, err := ml.solve()
		s.masterWork += ml.work - w0
		if err != nil {
			s.tracef("master LP (%d rows, %d columns): %v", len(ml.b), len(ml.costs), err)
			break
		}
		sol = ms
		// Wentges smoothing: price at a point between the best duals so far
		// (the stability centre) and the master's, which damps the
		// oscillation of plain column generation; when that column does
		// not price out at the master's duals, price at those.
		tolV := 1e-9 * math.Max(1, math.Abs(ms.Value))
		priced := false
		if center != nil {
			sep := make([]float64, len(ms.Pi))
			for r := range sep {
				sep[r] = smoothing*center[r] + (1-smoothing)*ms.Pi[r]
			}
			if _, ok := price(sep); !ok {
				break
			}
			j := s.pool.last
			rc := s.pool.costs[j] - ms.Mu
			for r, a := range actOf(j) {
				rc += ms.Pi[r] * a
			}
			if rc < -tolV && mark(j) {
				addColumn(j)
				priced = true
			}
		}
		if pruned() {
			res.status = lpPruned
			return res
		}
		if centerL >= ms.Value-tolV {
			converged = true
			break
		}
		if priced {
			continue
		}
		L, ok := price(ms.Pi)
		if !ok {
			break
		}
		if pruned() {
			res.status = lpPruned
			return res
		}
		if L >= ms.Value-tolV {
			converged = true
			break
		}
		j := s.pool.last
		if !mark(j) {
			// The priced column is already in the master: the duals
			// are optimal up to rounding.
			converged = true
			break
		}
		addColumn(j)
	}
	if sol != nil {
		res.pi = append([]float64(nil), sol.Pi...)
		s.pi = append(s.pi[:0], sol.Pi...)
	}
	if !converged || sol == nil {
		res.status = lpStopped
		return res
	}
	res.slack = sol.Slack
	if ml.basis != nil {
		m := len(rl.rows)
		w := &warmBasis{base: rl.base, rows: m, vars: make([]int, len(ml.basis))}
		for i, v := range ml.basis {
			if v >= 2*m {
				v = 2*m + elig[v-2*m]
			}
			w.vars[i] = v
		}
		res.warm = w
	}
	res.ystar = make([]float64, C)
	for k, j := range elig[:len(sol.Lambda)] { // columns added after the last solve have λ = 0
		if l := sol.Lambda[k]; l > 0 {
			for c, v := range s.pool.ys[j] {
				if v != 0 {
					res.ystar[c] += l * float64(v)
				}
			}
		}
	}
	for r, rw := range rl.rows {
		if rw.kind == rowH4 && sol.Slack[r] > 1e-7 {
			res.h4slack = true
		}
	}
	return res
}

// mostFractional returns the class whose LP departures are farthest from
// an integer, or -1 when all are integers.
func mostFractional(y []float64) int {
	best, score := -1, 1e-6
	for c, v := range y {
		f := v - math.Floor(v)
		if sc := math.Min(f, 1-f); sc > score {
			best, score = c, sc
		}
	}
	return best
}

// dive is the diving heuristic of branch and price (Sadykov, Vanderbeck,
// Pessoa, Tahiri and Uchoa, "Primal heuristics for branch and price: the
// assets of diving methods", INFORMS Journal on Computing 31(2), 2019):
// from a node's LP solution it fixes the departures of the class closest
// to an integer (but not one) to that integer, solves the LP again, and
// goes on until the LP departures are all integers, which fixed give a
// plan; a fixing that makes the LP infeasible is tried the other way once.
// At most maxDepth fixings. Mode 0 fixes the class nearest an integer to
// that integer; mode 1 the one with the largest fraction to its ceiling
// (more departures, for the quotas); mode 2 the one with the smallest
// fraction to its floor; mode 3 (bulk) also fixes at once every class whose
// LP departures are integers and the third of the fractional ones nearest
// an integer (the integral ones alone when that raises the LP bound), which
// takes a few LPs where the others take one per class.
func (s *search) dive(nd *node, res lpResult, maxDepth int, mode int) {
	cur := nd
	for depth := 0; depth < maxDepth && !s.timeUp(); depth++ {
		if res.status != lpSolved {
			s.tracef("dive %d ends at depth %d: status %d", mode, depth, res.status)
			return
		}
		copy(s.avgY, res.ystar)
		c, score := -1, 2.0
		for k, v := range res.ystar {
			f := v - math.Floor(v)
			d := math.Min(f, 1-f)
			if mode == 1 {
				d = 1 - f // up: the largest fraction first
			}
			if mode == 2 {
				d = f // down: the smallest fraction first
			}
			if f > 1e-6 && f < 1-1e-6 && d < score {
				c, score = k, d
			}
		}
		if c < 0 {
			s.roundAverage(res.pi)
			return
		}
		v := int64(math.Round(res.ystar[c]))
		switch mode {
		case 1:
			v = int64(math.Ceil(res.ystar[c]))
		case 2:
			v = int64(math.Floor(res.ystar[c]))
		}
		alt := int64(math.Floor(res.ystar[c]))
		if alt == v {
			alt = v + 1
		}
		tries := [][]bound{{{c: int32(c), lo: v, hi: v}}, {{c: int32(c), lo: alt, hi: alt}}}
		roundsFractional := false // the first try also rounds fractional classes (bulk)
		if mode == 3 {
			// Bulk: also every class whose LP departures are integers and
			// the third of the fractional ones nearest an integer, rounded;
			// one class alone when that leaves no flow.
			fixed := make([]bool, len(res.ystar))
			for _, b := range cur.bounds {
				if b.lo == b.hi {
					fixed[b.c] = true
				}
			}
			var frac []int
			bulk := []bound{tries[0][0]}
			for k, y := range res.ystar {
				f := y - math.Floor(y)
				switch {
				case k == c || fixed[k]:
				case f <= 1e-6 || f >= 1-1e-6:
					r := int64(math.Round(y))
					bulk = append(bulk, bound{c: int32(k), lo: r, hi: r})
				default:
					frac = append(frac, k)
				}
			}
			dist := func(k int) float64 { f := res.ystar[k] - math.Floor(res.ystar[k]); return math.Min(f, 1-f) }
			slices.SortStableFunc(frac, func(a, b int) int { return cmp.Compare(dist(a), dist(b)) })
			integral := slices.Clip(bulk)
			for _, k := range frac[:len(frac)/3] {
				r := int64(math.Round(res.ystar[k]))
				bulk = append(bulk, bound{c: int32(k), lo: r, hi: r})
			}
			roundsFractional = len(bulk) > len(integral)
			if roundsFractional {
				tries = append([][]bound{bulk, integral}, tries...)
			} else {
				tries = append([][]bound{integral}, tries...)
			}
		}
		var next lpResult
		for i, fix := range tries {
			child := &node{id: -1, lb: res.lb, pi: res.pi, extra: cur.extra, warm: res.warm,
				bounds: append(slices.Clip(cur.bounds), fix...)}
			next = s.nodeLP(child)
			if roundsFractional && i == 0 && (next.status != lpSolved || next.lb > res.lb+1e-9*math.Max(1, math.Abs(res.lb))) {
				// Rounding the fractional classes raised the LP bound:
				// fix the integral ones alone.
				continue
			}
			if next.status != lpInfeasible {
				cur = child
				break
			}
		}
		if next.status == lpInfeasible || next.status == lpPruned {
			s.tracef("dive %d ends at depth %d: status %d", mode, depth, next.status)
			return
		}
		res = next
		if mode == 3 {
			s.tracef("bulk dive depth %d: lb %.4f", depth, res.lb)
		}
	}
}

// stallNodes: after this many nodes without a rise of the tree's bound,
// branch and price branches on classes instead of sums of them. The sums
// balance the tree and prove most counties sooner, but where the LP has
// a plateau of optima they move the bound as little as the classes do
// and find fewer plans: a 20-school county with many volunteers (seed
// 20040) stayed 0.005% above the optimum after 640 nodes of sums, and
// reached it at the 15th node branching on classes.
const stallNodes = 50

// priceAndBranch is branch and price (Barnhart, Johnson, Nemhauser,
// Savelsbergh and Vance, "Branch-and-price: column generation for solving
// huge integer programs", Operations Research 46(3), 1998): at every node
// the LP relaxation under the node's bounds is solved exactly by column
// generation (nodeLP). LP departures Σ λ_j y_j that are all integers give
// a plan of no greater Z (the flow with those departures fixed is
// integral, and no costlier than the mix); otherwise the search branches
// on a fractional sum of departures (aggSets) or class, best bound first.
// The root's LP is dived on for a plan (dive), and every node's LP
// departures are rounded and repaired into one.
//
// It returns the proven lower bound; complete reports whether the tree was
// exhausted (the bound is then exact to the pruning tolerance).
func (s *search) priceAndBranch(maxNodes, diveDepth int) (lb float64, complete bool) {
	rl := s.rl
	open := []*node{{id: 0, pi: append([]float64(nil), s.pi...), lb: math.Inf(-1)}}
	nextID := 1
	unresolved := math.Inf(1) // least bound of nodes given up on
	base0 := rl.base
	var rootPi []float64   // the root LP's duals, for reduced-cost fixing
	fixedAt := math.Inf(1) // the incumbent when the bounds were last fixed
	// The tree's bound and the node count when it last rose (see
	// stallNodes).
	lastGlobal, risenAt, processed := math.Inf(-1), 0, 0
	defer func() {
		s.dropCuts(base0)
		rl.setBranchRows(nil)
		s.pi = s.pi[:rl.base]
		s.setBounds(nil)
	}()
	for len(open) > 0 {
		slices.SortFunc(open, func(a, b *node) int {
			return cmp.Or(cmp.Compare(a.lb, b.lb), cmp.Compare(a.id, b.id))
		})
		global := math.Min(open[0].lb, unresolved)
		if global > lastGlobal+1e-9*math.Max(1, math.Abs(global)) {
			lastGlobal, risenAt = global, processed
		}
		if s.haveBest && global >= s.bestZ-s.pruneTol() {
			s.givenUp(global)
			return math.Min(global, s.bestZ), true
		}
		if s.timeUp() || s.nodes >= maxNodes {
			return global, false
		}
		if s.haveBest && rootPi != nil && s.bestZ < fixedAt {
			n := s.fixByReducedCost(rootPi)
			s.tracef("reduced-cost fixing at Z %.6f: %d class bounds", s.bestZ, n)
			fixedAt = s.bestZ
		}
		nd := open[0]
		open = open[1:]
		processed++
		res := s.cutRounds(nd, s.nodeLP(nd))
		if nd.id == 0 {
			s.tracef("root LP: status %d, bound %.6f", res.status, res.lb)
		}
		s.tracef("node %d depth %d: status %d, bound %.6f (parent %.6f), %d open", nd.id, nd.depth, res.status, res.lb, nd.lb, len(open))
		if s.settings.Progress != nil {
			s.settings.Progress(Progress{Elapsed: time.Since(s.start), Phase: "branch and price", Objective: s.bestZ, Bound: math.Min(res.lb, global), Nodes: s.nodes})
		}
		switch res.status {
		case lpInfeasible:
			continue
		case lpPruned:
			s.givenUp(res.lb)
			continue
		case lpStopped:
			if s.timeUp() {
				open = append(open, &node{id: nextID, lb: res.lb, pi: nd.pi, bounds: nd.bounds, extra: nd.extra, depth: nd.depth, warm: nd.warm})
				nextID++
			} else {
				unresolved = math.Min(unresolved, res.lb)
			}
			continue
		}
		if nd.id == 0 && res.status == lpSolved {
			rootPi = slices.Clone(res.pi)
			if s.rootY == nil {
				s.rootY = slices.Clone(res.ystar)
			}
		}
		if nd.depth <= 2 && diveDepth > 0 {
			modes := s.diveModes
			if modes == nil {
				modes = []int{3, 0, 1, 2} // bulk, nearest, up, down
			}
			for _, mode := range modes {
				if mode == 0 || nd.depth == 0 {
					s.dive(nd, res, diveDepth, mode)
					s.tracef("dive %d from node %d done", mode, nd.id)
				}
			}
			s.setBounds(nd.bounds)
			rl.setBranchRows(nd.extra)
			if s.haveBest && res.lb >= s.bestZ-s.pruneTol() {
				s.givenUp(res.lb)
				continue
			}
		}
		copy(s.avgY, res.ystar)
		s.roundAverage(res.pi)
		if s.haveBest && res.lb >= s.bestZ-s.pruneTol() {
			s.givenUp(res.lb)
			continue
		}
		branchC := mostFractional(res.ystar)
		if branchC < 0 {
			// Integral departures: fixing them (roundAverage did) gives an
			// integral flow whose Z is at most the node's LP value.
			if res.h4slack {
				unresolved = math.Min(unresolved, res.lb)
			}
			continue
		}
		aggBest, aggFrac, aggV := -1, 1e-6, 0.0
		sums := s.aggSets()
		if processed-risenAt >= stallNodes {
			sums = nil // stalled: branch on a class
		}
		for a, set := range sums {
			var v float64
			for _, c := range set {
				v += res.ystar[c]
			}
			f := v - math.Floor(v)
			if sc := math.Min(f, 1-f); sc > aggFrac {
				aggBest, aggFrac, aggV = a, sc, v
			}
		}
		if aggBest >= 0 {
			set := sums[aggBest]
			s.tracef("node %d: branch on a sum of %d classes of school %d at %.4f", nd.id, len(set), s.nt.classes[set[0]].school, aggV)
			k := math.Floor(aggV)
			ones := make([]float64, len(set))
			negs := make([]float64, len(set))
			for i := range set {
				ones[i], negs[i] = 1, -1
			}
			for _, rw := range []row{
				{kind: rowBranch, b: k, hi: rl.hardHi, cs: set, coef: ones},
				{kind: rowBranch, b: -(k + 1), hi: rl.hardHi, cs: set, coef: negs},
			} {
				child := &node{id: nextID, lb: res.lb, depth: nd.depth + 1, pi: append(slices.Clip(res.pi), 0), bounds: nd.bounds, warm: res.warm}
				child.extra = append(slices.Clip(nd.extra), rw)
				nextID++
				open = append(open, child)
			}
			continue
		}
		v := int64(math.Floor(res.ystar[branchC]))
		s.tracef("node %d: branch on class %d of school %d at %.4f", nd.id, branchC, s.nt.classes[branchC].school, res.ystar[branchC])
		for _, b := range []bound{{c: int32(branchC), lo: 0, hi: v}, {c: int32(branchC), lo: v + 1, hi: math.MaxInt32}} {
			child := &node{id: nextID, lb: res.lb, depth: nd.depth + 1, pi: res.pi, extra: nd.extra, warm: res.warm}
			child.bounds = append(slices.Clip(nd.bounds), b)
			nextID++
			open = append(open, child)
		}
	}
	if s.haveBest {
		return math.Min(unresolved, s.bestZ), unresolved == math.Inf(1)
	}
	return unresolved, unresolved == math.Inf(1)
}

// fixByReducedCost tightens the class bounds of the whole search from the
// root LP's duals pi: at pi the flow's optimum is a lower bound L, and a
// dep arc with reduced cost rc > 0 at its lower bound raises the
// Lagrangian cost of every flow by at least rc per extra departure (the
// flow's cost exceeds the optimum by Σ rc·(x - x*) over all arcs, each term
// >= 0). So no plan better than the incumbent Z* takes more than
// (Z* - L)/rc departures beyond the bound, and symmetrically at the upper
// bound (Nemhauser and Wolsey, "Integer and Combinatorial Optimization",
// 1988, II.4 on reduced-cost fixing). The same holds for a move arc: one
// whose reduced cost is beyond Z* - L carries no teacher in a better plan,
// so the search goes on without it (network.without). Returns how many
// class bounds changed.
func (s *search) fixByReducedCost(pi []float64) int {
	rl := s.rl
	rl.setBranchRows(nil)
	s.setBounds(nil)
	if len(pi) < rl.base {
		pi = append(slices.Clip(pi), make([]float64, rl.base-len(pi))...)
	}
	L, ok := rl.evaluate(pi[:rl.base])
	if !ok {
		return 0
	}
	s.offer()
	gap := s.bestZ - s.pruneTol() - L
	if gap < 0 {
		s.givenUp(L)
		return 0 // the root is pruned: nothing better exists
	}
	// What the fixing below leaves out costs at least bestZ - pruneTol.
	s.givenUp(s.bestZ - s.pruneTol())
	g := s.nt.g
	var fix []bound
	for c := range s.nt.classes {
		a := int(s.nt.dep[c])
		rc, y := g.ReducedCost(a), g.Flow(a)
		lo, hi := s.lo[c], s.hi[c]
		switch {
		case rc > 1e-7 && y == lo:
			if nh := lo + int64(math.Floor(gap/rc)); nh < hi {
				fix = append(fix, bound{c: int32(c), lo: lo, hi: nh})
			}
		case rc < -1e-7 && y == hi:
			if nl := hi - int64(math.Floor(gap/-rc)); nl > lo {
				fix = append(fix, bound{c: int32(c), lo: nl, hi: hi})
			}
		}
	}
	// Move arcs too: a plan that sends a teacher along an arc costs at
	// least L + its reduced cost, so the arcs beyond the gap leave the
	// graph (most of them: the flow solves of the tree then scan a
	// fraction of the arcs). Not on a sparse network, whose pricing
	// would bring them back.
	if len(s.nt.outside) == 0 {
		drop := make([]bool, len(s.nt.moveClass))
		n := 0
		for i := range drop {
			a := s.nt.moveFirst + i
			if g.Flow(a) == 0 && g.ReducedCost(a) > gap {
				drop[i] = true
				n++
			}
		}
		if n >= len(drop)/10 && n > 0 {
			s.useNetwork(s.nt.without(drop))
			s.tracef("reduced-cost fixing: %d of %d moves out of the graph", n, len(drop))
		}
	}
	s.setRootBounds(append(s.rootBounds, fix...))
	s.setBounds(nil)
	return len(fix)
}

// useNetwork makes the search solve nt (a restriction of its network,
// see network.without): same classes, bounds applied anew.
func (s *search) useNetwork(nt *network) {
	s.nt, s.rl.nt = nt, nt
	clear(s.rl.depCost)
	s.applied = s.applied[:0]
	for c := range nt.classes {
		s.lo[c], s.hi[c] = nt.lower(c), nt.upper(c)
	}
}

// cutRounds adds the envelope facets that the node's LP res breaks and
// solves the LP again, until none is left or a round raises the bound by
// nothing (at most maxCutRounds at the root, 3 elsewhere). Cuts are valid everywhere, so those found at a node
// serve every node after it.
func (s *search) cutRounds(nd *node, res lpResult) lpResult {
	rounds := 3
	if nd.id == 0 {
		rounds = maxCutRounds
	}
	for round := 0; round < rounds && res.status == lpSolved && !s.timeUp(); round++ {
		n := s.separateCuts(res.ystar, res.slack)
		if n == 0 {
			break
		}
		s.tracef("node %d: %d envelope cuts at bound %.6f", nd.id, n, res.lb)
		nd.pi = append(slices.Clip(res.pi), make([]float64, n)...)
		nd.lb = res.lb
		res = s.nodeLP(nd)
		if res.status == lpSolved && res.lb-nd.lb <= 1e-9*math.Max(1, math.Abs(nd.lb)) {
			// Tailing off: the round's cuts did not raise the bound, and
			// the next round's seldom do (at 150 schools, seed 4, two
			// rounds of one cut each, 0.5 s apiece, raised it by nothing).
			break
		}
	}
	return res
}

// maxCutRounds bounds the rounds of envelope cuts at the root.
const maxCutRounds = 20

// aggSets are the sums of departures that branch and price branches on
// before single classes: per school all its classes and its backbone
// classes, and the same per quota unit of several schools. The quota terms
// and H4 depend on the departures only through these sums, and branching
// on a class alone would let an interchangeable class take its share.
func (s *search) aggSets() [][]int32 {
	if s.aggs != nil {
		return s.aggs
	}
	bySchool := make([][]int32, len(s.in.Scenario.Schools))
	for c, cl := range s.nt.classes {
		bySchool[cl.school] = append(bySchool[cl.school], int32(c))
	}
	add := func(cs []int32) {
		var all, bb []int32
		for _, c := range cs {
			all = append(all, c)
			if s.nt.classes[c].bb {
				bb = append(bb, c)
			}
		}
		if len(all) > 1 {
			s.aggs = append(s.aggs, all)
		}
		if len(bb) > 1 && len(bb) < len(all) {
			s.aggs = append(s.aggs, bb)
		}
	}
	for _, cs := range bySchool {
		add(cs)
	}
	for _, u := range s.in.Units {
		if len(u.Schools) > 1 {
			var cs []int32
			for _, sc := range u.Schools {
				cs = append(cs, bySchool[sc]...)
			}
			add(cs)
		}
	}
	s.aggs = append(s.aggs, []int32{}) // never empty, so the cache is set
	return s.aggs
}

// branchRowsInfeasible reports a branching row that the class bounds
// cannot meet.
func (s *search) branchRowsInfeasible() bool {
	for _, rw := range s.rl.rows[s.rl.base:] {
		var least float64
		for k, c := range rw.cs {
			if rw.coef[k] > 0 {
				least += rw.coef[k] * float64(s.lo[c])
			} else {
				least += rw.coef[k] * float64(s.hi[c])
			}
		}
		if least > rw.b+1e-9 {
			return true
		}
	}
	return false
}
