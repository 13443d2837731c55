package flow

import "math"

// blockFactor scales the block size √m of the block search pivot rule.
// LEMON uses 1.0; on the rotation-shaped benchmark network, where more than
// 90% of the pivots are degenerate, smaller blocks are faster (0.2: 3.2 s,
// 1.0: 5.4 s cold at 1.7M arcs) because pricing streams the arc arrays from
// memory.
const blockFactor = 0.2

// Solve computes a minimum-cost flow with the primal network simplex method
// (see the package documentation) and returns Optimal, Infeasible or
// Unbounded. It reuses the previous basis when there is one (see "Warm
// starts" in the package documentation).
//
// Complexity: O(√m) pricing plus an O(n) worst-case tree update per pivot;
// memory O(n+m) allocated once (the first Solve) and reused afterwards.
func (g *Graph) Solve() Status {
	g.flush()
	g.solveCount++
	g.pivots = 0
	g.warm = false
	g.total = 0
	g.solved = true
	n, m := g.n, g.m

	// Validate supplies and bounds.
	var sum int64
	for _, b := range g.supply {
		sum += b
	}
	if sum != 0 {
		g.status = Infeasible
		return g.status
	}
	g.hasLower = false
	for a := 0; a < m; a++ {
		if g.lower[a] > g.upper[a] {
			g.status = Infeasible
			return g.status
		}
		if g.lower[a] != 0 {
			g.hasLower = true
		}
	}
	if n == 0 {
		g.status = Optimal
		return g.status
	}

	// Tolerance and big-M from the costs.
	maxAbs := 0.0
	for _, c := range g.cost[:m] {
		if math.IsNaN(c) || math.IsInf(c, 0) {
			panic("flow: arc cost is NaN or infinite")
		}
		maxAbs = max(maxAbs, math.Abs(c))
	}
	g.eps = 1e-9 * max(1, maxAbs)
	artCost := (maxAbs + 1) * float64(n+1)

	g.alloc()
	if g.hasBasis && g.boundsDirty {
		g.shiftBounds()
		if !g.recomputeTreeFlows() {
			g.repairTree()
		}
	}
	if g.hasBasis {
		g.warm = true
	} else {
		g.shiftBounds()
		g.coldInit()
	}
	g.boundsDirty = false
	// Artificial arc costs (big-M only on arcs leaving the root).
	root := int32(n)
	for u := 0; u < n; u++ {
		e := m + u
		if g.src[e] == root {
			g.cost[e] = artCost
		} else {
			g.cost[e] = 0
		}
	}

	// Pivot until optimal; then recompute exact potentials and check again.
	for round := 0; ; round++ {
		g.computePotentials()
		st := g.pivotLoop()
		if st == Unbounded {
			g.status = Unbounded
			return g.status
		}
		g.computePotentials()
		if !g.anyEligible() || round >= 20 {
			break
		}
	}

	// Artificial flow left means infeasible supplies.
	for e := m; e < m+n; e++ {
		if g.flow[e] != 0 {
			g.status = Infeasible
			return g.status
		}
	}
	total := 0.0
	for a := 0; a < m; a++ {
		if f := g.flow[a] + g.lower[a]; f != 0 {
			total += g.cost[a] * float64(f)
		}
	}
	g.total = total
	g.status = Optimal
	return g.status
}

// alloc sizes the solver arrays for n nodes and m arcs (without losing a
// basis that is still valid).
func (g *Graph) alloc() {
	n, m := g.n, g.m
	na := m + n
	if len(g.src) != na {
		// Append the artificial arcs (they are rewritten by coldInit).
		g.src, g.tgt, g.cost = g.src[:m], g.tgt[:m], g.cost[:m]
		for u := 0; u < n; u++ {
			g.src = append(g.src, int32(u))
			g.tgt = append(g.tgt, int32(n))
			g.cost = append(g.cost, 0)
		}
		g.hasBasis = false
	}
	g.capR = grow(g.capR, na)
	g.flow = grow(g.flow, na)
	g.state = grow(g.state, na)
	g.sup = grow(g.sup, n+1)
	g.pi = grow(g.pi, n+1)
	g.parent = grow(g.parent, n+1)
	g.pred = grow(g.pred, n+1)
	g.thread = grow(g.thread, n+1)
	g.revThread = grow(g.revThread, n+1)
	g.succNum = grow(g.succNum, n+1)
	g.lastSucc = grow(g.lastSucc, n+1)
	g.predDir = grow(g.predDir, n+1)
	if cap(g.dirty) < n+1 {
		g.dirty = make([]int32, 0, n+1)
	}
}

func grow[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	t := make([]T, n)
	copy(t, s)
	return t
}

// shiftBounds computes the residual capacities and the supplies after the
// substitution x = lower + x'.
func (g *Graph) shiftBounds() {
	n, m := g.n, g.m
	copy(g.sup, g.supply)
	g.sup[n] = 0
	for a := 0; a < m; a++ {
		l, u := g.lower[a], g.upper[a]
		if u >= Inf {
			g.capR[a] = Inf
		} else {
			g.capR[a] = u - l
		}
		if l != 0 {
			g.sup[g.src[a]] -= l
			g.sup[g.tgt[a]] += l
		}
	}
	for e := m; e < m+n; e++ {
		g.capR[e] = Inf
	}
}

// coldInit builds the artificial starting basis: every arc with a negative
// cost starts saturated (at its capacity; this halves the pivots on
// circulations whose optimum saturates many of them), every other arc at 0,
// and every node hangs from the root by an artificial arc carrying what is
// left of its supply: towards the root at cost 0, from the root at the big-M
// cost.
func (g *Graph) coldInit() {
	n, m := g.n, g.m
	for a := 0; a < m; a++ {
		g.flow[a] = 0
		g.state[a] = stateLower
		if g.cost[a] < 0 && g.capR[a] < Inf && g.capR[a] > 0 {
			f := g.capR[a]
			g.flow[a] = f
			g.state[a] = stateUpper
			g.sup[g.src[a]] -= f
			g.sup[g.tgt[a]] += f
		}
	}
	root := int32(n)
	g.parent[root] = -1
	g.pred[root] = -1
	g.thread[root] = 0
	g.revThread[0] = root
	g.succNum[root] = int32(n + 1)
	g.lastSucc[root] = root - 1
	g.pi[root] = 0
	for u := 0; u < n; u++ {
		e := m + u
		g.parent[u] = root
		g.pred[u] = int32(e)
		g.thread[u] = int32(u + 1)
		g.revThread[u+1] = int32(u)
		g.succNum[u] = 1
		g.lastSucc[u] = int32(u)
		g.state[e] = stateTree
		if s := g.sup[u]; s >= 0 {
			g.predDir[u] = dirUp
			g.src[e], g.tgt[e] = int32(u), root
			g.flow[e] = s
		} else {
			g.predDir[u] = dirDown
			g.src[e], g.tgt[e] = root, int32(u)
			g.flow[e] = -s
		}
	}
	g.nextArc = 0
	g.hasBasis = true
}

// recomputeTreeFlows sets the non-tree arcs to the bound given by their
// state and solves for the tree flows (leaves first). It reports whether the
// old tree is still a feasible basis.
func (g *Graph) recomputeTreeFlows() bool {
	n, m := g.n, g.m
	excess := make([]int64, n+1) // remaining amount that must leave the node
	copy(excess, g.sup)
	for e := 0; e < m+n; e++ {
		switch g.state[e] {
		case stateTree:
			continue
		case stateUpper:
			if g.capR[e] >= Inf || g.capR[e] == 0 {
				g.state[e] = stateLower
				g.flow[e] = 0
			} else {
				g.flow[e] = g.capR[e]
			}
		default:
			g.flow[e] = 0
		}
		if f := g.flow[e]; f != 0 {
			excess[g.src[e]] -= f
			excess[g.tgt[e]] += f
		}
	}
	root := int32(n)
	ok := true
	for u := g.revThread[root]; u != root; u = g.revThread[u] {
		e, p := g.pred[u], g.parent[u]
		var f int64
		if g.predDir[u] == dirUp {
			f = excess[u]
		} else {
			f = -excess[u]
		}
		excess[p] += excess[u]
		g.flow[e] = f
		if f < 0 || (g.capR[e] < Inf && f > g.capR[e]) {
			ok = false
		}
	}
	return ok
}

// repairTree makes the tree a feasible basis again after bound changes
// broke it: every tree arc whose flow would leave its bounds is set to the
// nearest bound and leaves the tree, and its child hangs from the root by
// its artificial arc, which carries what the arc cannot (at the big-M cost
// when it comes from the root). The rest of the tree, and with it most of
// the previous optimum, is kept; the pivots drive the artificial flow out
// again, or leave it when the new bounds are infeasible. This is the
// artificial-arc warm start of the primal network simplex (Ahuja, Magnanti
// and Orlin, "Network Flows", 1993, §11.2, whose artificial start it
// applies to the broken subtrees only). O(n + m).
func (g *Graph) repairTree() {
	n, m := g.n, g.m
	excess := make([]int64, n+1)
	copy(excess, g.sup)
	for e := 0; e < m+n; e++ {
		if g.state[e] == stateTree {
			continue
		}
		if f := g.flow[e]; f != 0 {
			excess[g.src[e]] -= f
			excess[g.tgt[e]] += f
		}
	}
	root := int32(n)
	for u := g.revThread[root]; u != root; u = g.revThread[u] {
		e, p := g.pred[u], g.parent[u]
		f := excess[u]
		if g.predDir[u] == dirDown {
			f = -f
		}
		if f >= 0 && (g.capR[e] >= Inf || f <= g.capR[e]) {
			g.flow[e] = f
			excess[p] += excess[u]
			continue
		}
		if int(e) < m {
			// The arc leaves the tree at the bound nearest its flow.
			var fb int64
			g.state[e] = stateLower
			if f > 0 {
				fb = g.capR[e]
				g.state[e] = stateUpper
			}
			g.flow[e] = fb
			if g.predDir[u] == dirUp {
				excess[u] -= fb
				excess[p] += fb
			} else {
				excess[u] += fb
				excess[p] -= fb
			}
		}
		// u hangs from the root by its artificial arc, in the direction of
		// its excess (an artificial pred arc just turns round).
		a := int32(m) + u
		g.parent[u], g.pred[u] = root, a
		g.state[a] = stateTree
		if r := excess[u]; r >= 0 {
			g.src[a], g.tgt[a], g.predDir[u], g.flow[a] = u, root, dirUp, r
		} else {
			g.src[a], g.tgt[a], g.predDir[u], g.flow[a] = root, u, dirDown, -r
		}
		excess[root] += excess[u]
	}
	g.rebuildThread()
}

// rebuildThread recomputes the preorder thread, its reverse, the subtree
// sizes and last successors from the parent array, visiting children in
// the order of the old thread (so the result is deterministic). O(n).
func (g *Graph) rebuildThread() {
	n := g.n
	root := int32(n)
	first := make([]int32, n+1) // first child, -1 if none
	last := make([]int32, n+1)
	next := make([]int32, n+1) // next sibling
	for i := range first {
		first[i], last[i], next[i] = -1, -1, -1
	}
	for u := g.thread[root]; u != root; u = g.thread[u] {
		p := g.parent[u]
		if first[p] < 0 {
			first[p] = u
		} else {
			next[last[p]] = u
		}
		last[p] = u
	}
	order := make([]int32, 0, n+1)
	stack := []int32{root}
	for len(stack) > 0 {
		u := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		order = append(order, u)
		// Push the children in reverse so that the first is visited first.
		var kids []int32
		for c := first[u]; c >= 0; c = next[c] {
			kids = append(kids, c)
		}
		for i := len(kids) - 1; i >= 0; i-- {
			stack = append(stack, kids[i])
		}
	}
	for i, u := range order {
		v := order[(i+1)%len(order)]
		g.thread[u] = v
		g.revThread[v] = u
	}
	for i := len(order) - 1; i >= 0; i-- {
		u := order[i]
		g.succNum[u] = 1
		g.lastSucc[u] = u
		for c := first[u]; c >= 0; c = next[c] {
			g.succNum[u] += g.succNum[c]
		}
		if l := last[u]; l >= 0 {
			g.lastSucc[u] = g.lastSucc[l]
		}
	}
}

// computePotentials sets pi from the tree so that every tree arc has zero
// reduced cost (preorder along the thread, root potential 0).
func (g *Graph) computePotentials() {
	root := int32(g.n)
	pi, parent, pred, predDir, thread := g.pi, g.parent, g.pred, g.predDir, g.thread
	cost := g.cost
	pi[root] = 0
	for u := thread[root]; u != root; u = thread[u] {
		c := cost[pred[u]]
		if predDir[u] == dirUp {
			pi[u] = pi[parent[u]] - c
		} else {
			pi[u] = pi[parent[u]] + c
		}
	}
}

// anyEligible reports whether some arc violates the optimality conditions by
// more than the tolerance.
func (g *Graph) anyEligible() bool {
	m := g.m
	src, tgt, cost, state, pi := g.src[:m], g.tgt[:m], g.cost[:m], g.state[:m], g.pi
	eps := g.eps
	for e := range m {
		if float64(state[e])*(cost[e]+pi[src[e]]-pi[tgt[e]]) < -eps {
			return true
		}
	}
	return false
}

// pivotLoop runs network simplex pivots until no arc is eligible.
func (g *Graph) pivotLoop() Status {
	m := g.m
	src, tgt, cost, state := g.src[:m], g.tgt[:m], g.cost[:m], g.state[:m]
	pi := g.pi
	eps := g.eps
	blockSize := max(int(blockFactor*math.Sqrt(float64(m))), 10)
	next := g.nextArc
	if next >= m {
		next = 0
	}
	for m > 0 {
		// Block search pivot rule (LEMON's BlockSearchPivotRule): scan
		// blocks of blockSize arcs cyclically from next and take the most
		// negative reduced cost of the first block that has one.
		in := -1
		e := next
		for scanned := 0; scanned < m; {
			hi := min(e+blockSize, m)
			best, _ := priceBlock(src[e:hi], tgt[e:hi], cost[e:hi], state[e:hi], pi, -eps)
			scanned += hi - e
			if best >= 0 {
				in = e + best
				e = hi
				break
			}
			e = hi
			if e == m {
				e = 0
			}
		}
		if e == m {
			e = 0
		}
		if in < 0 {
			g.nextArc = next
			return Optimal
		}
		next = e
		g.pivots++
		if !g.pivot(int32(in)) {
			g.nextArc = next
			return Unbounded
		}
	}
	return Optimal
}

// priceBlock returns the index of the arc with the most negative
// state·reduced cost below limit in the given block, or -1.
func priceBlock(src, tgt []int32, cost []float64, state []int8, pi []float64, limit float64) (int, float64) {
	best := -1
	tgt = tgt[:len(src)]
	cost = cost[:len(src)]
	state = state[:len(src)]
	for i, s := range src {
		rc := float64(state[i]) * (cost[i] + pi[s] - pi[tgt[i]])
		if rc < limit {
			limit = rc
			best = i
		}
	}
	return best, limit
}

// pivot brings arc in into the basis. It returns false if the cycle is
// unbounded.
func (g *Graph) pivot(in int32) bool {
	src, tgt := g.src, g.tgt
	parent, pred, predDir, succNum := g.parent, g.pred, g.predDir, g.succNum
	flow, capR, state := g.flow, g.capR, g.state

	// Join node: the lowest common ancestor of the two ends.
	u, v := src[in], tgt[in]
	for u != v {
		if succNum[u] < succNum[v] {
			u = parent[u]
		} else {
			v = parent[v]
		}
	}
	join := u

	// Leaving arc: the last blocking arc in the cycle direction (this keeps
	// the tree strongly feasible).
	var first, second int32
	if state[in] == stateLower {
		first, second = src[in], tgt[in]
	} else {
		first, second = tgt[in], src[in]
	}
	delta := capR[in]
	result := 0
	var uOut int32 = -1
	for u := first; u != join; u = parent[u] {
		e := pred[u]
		d := flow[e]
		if predDir[u] == dirDown {
			if c := capR[e]; c >= Inf {
				d = Inf
			} else {
				d = c - d
			}
		}
		if d < delta {
			delta = d
			uOut = u
			result = 1
		}
	}
	for u := second; u != join; u = parent[u] {
		e := pred[u]
		d := flow[e]
		if predDir[u] == dirUp {
			if c := capR[e]; c >= Inf {
				d = Inf
			} else {
				d = c - d
			}
		}
		if d <= delta {
			delta = d
			uOut = u
			result = 2
		}
	}
	if delta >= Inf {
		return false
	}
	var uIn, vIn int32
	if result == 1 {
		uIn, vIn = first, second
	} else {
		uIn, vIn = second, first
	}

	// Augment along the cycle.
	if delta > 0 {
		val := int64(state[in]) * delta
		flow[in] += val
		for u := src[in]; u != join; u = parent[u] {
			flow[pred[u]] -= int64(predDir[u]) * val
		}
		for u := tgt[in]; u != join; u = parent[u] {
			flow[pred[u]] += int64(predDir[u]) * val
		}
	}
	if result == 0 {
		// The entering arc itself blocks: it moves to its other bound.
		state[in] = -state[in]
		return true
	}
	state[in] = stateTree
	out := pred[uOut]
	if flow[out] == 0 {
		state[out] = stateLower
	} else {
		state[out] = stateUpper
	}
	g.updateTree(in, join, uIn, vIn, uOut)
	g.updatePotential(in, uIn, vIn)
	return true
}

// updateTree replaces the tree arc pred[uOut] with arc in, re-hanging the
// subtree of uOut below vIn through uIn (LEMON's updateTreeStructure).
func (g *Graph) updateTree(in, join, uIn, vIn, uOut int32) {
	parent, pred, predDir := g.parent, g.pred, g.predDir
	thread, revThread, succNum, lastSucc := g.thread, g.revThread, g.succNum, g.lastSucc

	oldRevThread := revThread[uOut]
	oldSuccNum := succNum[uOut]
	oldLastSucc := lastSucc[uOut]
	vOut := parent[uOut]

	if uIn == uOut {
		parent[uIn] = vIn
		pred[uIn] = in
		if uIn == g.src[in] {
			predDir[uIn] = dirUp
		} else {
			predDir[uIn] = dirDown
		}
		if thread[vIn] != uOut {
			after := thread[oldLastSucc]
			thread[oldRevThread] = after
			revThread[after] = oldRevThread
			after = thread[vIn]
			thread[vIn] = uOut
			revThread[uOut] = vIn
			thread[oldLastSucc] = after
			revThread[after] = oldLastSucc
		}
	} else {
		// When oldRevThread == vIn, join and vOut coincide.
		var threadContinue int32
		if oldRevThread == vIn {
			threadContinue = thread[oldLastSucc]
		} else {
			threadContinue = thread[vIn]
		}

		// Update thread and parent along the stem (uIn .. uOut).
		stem := uIn
		parStem := vIn
		last := lastSucc[uIn]
		after := thread[last]
		thread[vIn] = uIn
		dirty := g.dirty[:0]
		dirty = append(dirty, vIn)
		for stem != uOut {
			nextStem := parent[stem]
			thread[last] = nextStem
			dirty = append(dirty, last)

			// Remove the subtree of stem from the thread list.
			before := revThread[stem]
			thread[before] = after
			revThread[after] = before

			parent[stem] = parStem
			parStem = stem
			stem = nextStem

			if lastSucc[stem] == lastSucc[parStem] {
				last = revThread[parStem]
			} else {
				last = lastSucc[stem]
			}
			after = thread[last]
		}
		parent[uOut] = parStem
		thread[last] = threadContinue
		revThread[threadContinue] = last
		lastSucc[uOut] = last

		if oldRevThread != vIn {
			thread[oldRevThread] = after
			revThread[after] = oldRevThread
		}
		for _, u := range dirty {
			revThread[thread[u]] = u
		}
		g.dirty = dirty[:0]

		// Update pred, predDir, lastSucc and succNum along the stem from
		// uOut to uIn.
		var tmpSc int32
		tmpLs := lastSucc[uOut]
		for u := uOut; u != uIn; {
			p := parent[u]
			pred[u] = pred[p]
			predDir[u] = -predDir[p]
			tmpSc += succNum[u] - succNum[p]
			succNum[u] = tmpSc
			lastSucc[p] = tmpLs
			u = p
		}
		pred[uIn] = in
		if uIn == g.src[in] {
			predDir[uIn] = dirUp
		} else {
			predDir[uIn] = dirDown
		}
		succNum[uIn] = oldSuccNum
	}

	// Update lastSucc from vIn towards the root.
	var upLimitOut int32 = -1
	if lastSucc[join] == vIn {
		upLimitOut = join
	}
	lastSuccOut := lastSucc[uOut]
	for u := vIn; u != -1 && lastSucc[u] == vIn; u = parent[u] {
		lastSucc[u] = lastSuccOut
	}

	// Update lastSucc from vOut towards the root.
	if join != oldRevThread && vIn != oldRevThread {
		for u := vOut; u != upLimitOut && lastSucc[u] == oldLastSucc; u = parent[u] {
			lastSucc[u] = oldRevThread
		}
	} else if lastSuccOut != oldLastSucc {
		for u := vOut; u != upLimitOut && lastSucc[u] == oldLastSucc; u = parent[u] {
			lastSucc[u] = lastSuccOut
		}
	}

	// Update succNum from vIn and from vOut to join.
	for u := vIn; u != join; u = parent[u] {
		succNum[u] += oldSuccNum
	}
	for u := vOut; u != join; u = parent[u] {
		succNum[u] -= oldSuccNum
	}
}

// updatePotential shifts the potentials of the re-hung subtree so that the
// entering arc has zero reduced cost.
func (g *Graph) updatePotential(in, uIn, vIn int32) {
	pi, thread := g.pi, g.thread
	sigma := pi[vIn] - pi[uIn] - float64(g.predDir[uIn])*g.cost[in]
	end := thread[g.lastSucc[uIn]]
	for u := uIn; u != end; u = thread[u] {
		pi[u] += sigma
	}
}
