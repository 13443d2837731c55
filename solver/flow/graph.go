package flow

import "fmt"

// Inf is the capacity of an uncapacitated arc: any capacity >= Inf is treated
// as unbounded. Flows and supplies must stay well below Inf.
const Inf int64 = 1 << 62

// Status is the outcome of [Graph.Solve].
type Status int

const (
	// Optimal: a minimum-cost flow was found.
	Optimal Status = iota
	// Infeasible: no flow satisfies the supplies and the arc bounds (this
	// includes supplies that do not sum to zero and lower > capacity).
	Infeasible
	// Unbounded: a negative-cost cycle of uncapacitated (cap >= Inf) arcs exists.
	Unbounded
)

func (s Status) String() string {
	switch s {
	case Optimal:
		return "optimal"
	case Infeasible:
		return "infeasible"
	case Unbounded:
		return "unbounded"
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// arc states, as in LEMON: the sign makes state·reducedCost < 0 mean "eligible".
const (
	stateUpper int8 = -1
	stateTree  int8 = 0
	stateLower int8 = 1
)

// predecessor arc directions
const (
	dirUp   int8 = 1  // pred arc goes from the node to its parent
	dirDown int8 = -1 // pred arc goes from the parent to the node
)

// Graph is a flow network with its solver state. Nodes are 0..NumNodes()-1 and
// arcs are numbered in the order of [Graph.AddArc]. All data lives in flat
// slices indexed by int32; a Graph is not safe for concurrent use.
//
// The zero value is not usable; call [NewGraph].
type Graph struct {
	n int // nodes given by the user; node n is the artificial root
	m int // arcs given by the user; arcs m..m+n-1 are artificial

	// Per arc. src, tgt and cost have length m, or m+n once the artificial
	// arcs have been appended by Solve.
	src, tgt []int32
	cost     []float64
	lower    []int64 // len m
	upper    []int64 // len m
	capR     []int64 // upper-lower (Inf for uncapacitated); len m+n
	flow     []int64 // flow minus lower bound; len m+n
	state    []int8  // len m+n

	supply []int64 // len n, as given
	sup    []int64 // len n+1, after removing lower bounds

	// Spanning tree, len n+1 each.
	pi        []float64 // internal potentials: tree arcs have cost+pi[src]-pi[tgt] = 0
	parent    []int32
	pred      []int32
	thread    []int32
	revThread []int32
	succNum   []int32
	lastSucc  []int32
	predDir   []int8
	dirty     []int32 // scratch for the tree update

	// Arcs added while a basis is kept: their ends and costs wait here
	// until flush moves the artificial arcs up to make room (one pass for
	// any number of added arcs).
	pendSrc, pendTgt []int32
	pendCost         []float64

	hasBasis    bool // tree arrays describe a spanning tree for the current arc set
	boundsDirty bool // bounds or supplies changed since the basis was computed
	nextArc     int  // block search position

	status     Status
	solved     bool
	solveCount int // Solve calls so far: potentials computed later differ
	total      float64
	pivots     int
	warm       bool
	eps        float64
	hasLower   bool
}

// NewGraph returns an empty network on nodes 0..nodes-1 with room for arcsHint
// arcs. All supplies are 0.
func NewGraph(nodes int, arcsHint int) *Graph {
	if nodes < 0 || nodes >= 1<<31-2 {
		panic("flow: bad node count")
	}
	if arcsHint < 0 {
		arcsHint = 0
	}
	h := arcsHint + nodes
	return &Graph{
		n:      nodes,
		src:    make([]int32, 0, h),
		tgt:    make([]int32, 0, h),
		cost:   make([]float64, 0, h),
		lower:  make([]int64, 0, arcsHint),
		upper:  make([]int64, 0, arcsHint),
		supply: make([]int64, nodes),
	}
}

// NumNodes is the number of nodes.
func (g *Graph) NumNodes() int { return g.n }

// NumArcs is the number of arcs added so far.
func (g *Graph) NumArcs() int { return g.m }

// AddArc adds an arc from → to with lower bound 0, the given capacity (>= 0;
// Inf or more means uncapacitated) and cost, and returns its id (0, 1, ...).
// Self-loops and parallel arcs are allowed. Adding arcs after a solve keeps
// the basis: a new arc starts at flow 0 outside the tree, which changes no
// node's balance, so the next Solve is warm (this is how a network is grown
// by pricing: solve on part of the arcs, add those whose reduced cost is
// negative, solve again).
func (g *Graph) AddArc(from, to int, capacity int64, cost float64) int {
	if from < 0 || from >= g.n || to < 0 || to >= g.n {
		panic(fmt.Sprintf("flow: AddArc(%d, %d): node out of range [0, %d)", from, to, g.n))
	}
	if capacity < 0 {
		panic("flow: negative capacity")
	}
	if g.m >= 1<<31-2-g.n {
		panic("flow: too many arcs")
	}
	if g.hasBasis && len(g.src) == g.m-len(g.pendSrc)+g.n {
		// Kept basis: the arc waits until flush makes room for it.
		g.pendSrc = append(g.pendSrc, int32(from))
		g.pendTgt = append(g.pendTgt, int32(to))
		g.pendCost = append(g.pendCost, cost)
	} else {
		// No basis: drop the artificial arcs, if any.
		g.flush()
		g.src, g.tgt, g.cost = g.src[:g.m], g.tgt[:g.m], g.cost[:g.m]
		g.hasBasis = false
		g.src = append(g.src, int32(from))
		g.tgt = append(g.tgt, int32(to))
		g.cost = append(g.cost, cost)
	}
	g.lower = append(g.lower, 0)
	g.upper = append(g.upper, min(capacity, Inf))
	g.m++
	g.solved = false
	return g.m - 1
}

// flush makes room for the arcs added since the last solve: the artificial
// arcs, stored after the user's, move up by their number (O(m+n) once for
// any number of added arcs), and the tree's references to them follow.
func (g *Graph) flush() {
	k := len(g.pendSrc)
	if k == 0 {
		return
	}
	n, m := g.n, g.m
	m0 := m - k
	g.src = grow(g.src, m+n)
	g.tgt = grow(g.tgt, m+n)
	g.cost = grow(g.cost, m+n)
	g.capR = grow(g.capR, m+n)
	g.flow = grow(g.flow, m+n)
	g.state = grow(g.state, m+n)
	copy(g.src[m:], g.src[m0:m0+n])
	copy(g.tgt[m:], g.tgt[m0:m0+n])
	copy(g.cost[m:], g.cost[m0:m0+n])
	copy(g.capR[m:], g.capR[m0:m0+n])
	copy(g.flow[m:], g.flow[m0:m0+n])
	copy(g.state[m:], g.state[m0:m0+n])
	copy(g.src[m0:], g.pendSrc)
	copy(g.tgt[m0:], g.pendTgt)
	copy(g.cost[m0:], g.pendCost)
	for a := m0; a < m; a++ {
		g.capR[a] = g.upper[a] // lower bound 0
		g.flow[a] = 0
		g.state[a] = stateLower
	}
	for v := range g.pred {
		if g.pred[v] >= int32(m0) {
			g.pred[v] += int32(k)
		}
	}
	g.pendSrc, g.pendTgt, g.pendCost = g.pendSrc[:0], g.pendTgt[:0], g.pendCost[:0]
}

// Arc returns the end nodes of arc a.
func (g *Graph) Arc(a int) (from, to int) {
	g.flush()
	return int(g.src[a]), int(g.tgt[a])
}

// SetSupply sets the supply of node v: b > 0 is a source, b < 0 a sink. The
// supplies must sum to zero; with all supplies zero the problem is a
// circulation.
func (g *Graph) SetSupply(v int, b int64) {
	if g.supply[v] != b {
		g.supply[v] = b
		g.boundsDirty = true
		g.solved = false
	}
}

// Supply returns the supply of node v.
func (g *Graph) Supply(v int) int64 { return g.supply[v] }

// SetCost changes the cost of arc a. The basis is kept: the next Solve starts
// from the previous optimal tree.
func (g *Graph) SetCost(a int, c float64) {
	if a < 0 || a >= g.m {
		panic("flow: arc out of range")
	}
	g.flush()
	g.cost[a] = c
	g.solved = false
}

// Cost of arc a as last set.
func (g *Graph) ArcCost(a int) float64 {
	g.flush()
	return g.cost[a]
}

// SetCapacity changes the capacity (upper bound) of arc a; c >= 0, Inf or more
// means uncapacitated. Setting it to 0 forbids the arc.
func (g *Graph) SetCapacity(a int, c int64) {
	if c < 0 {
		panic("flow: negative capacity")
	}
	c = min(c, Inf)
	if g.upper[a] != c {
		g.upper[a] = c
		g.boundsDirty = true
		g.solved = false
	}
}

// Capacity returns the upper bound of arc a.
func (g *Graph) Capacity(a int) int64 { return g.upper[a] }

// SetLower sets the lower bound of arc a (l >= 0); SetLower(a, 1) with
// capacity 1 forces the arc. If l exceeds the capacity, Solve reports
// Infeasible.
func (g *Graph) SetLower(a int, l int64) {
	if l < 0 {
		panic("flow: negative lower bound")
	}
	if g.lower[a] != l {
		g.lower[a] = l
		g.boundsDirty = true
		g.solved = false
	}
}

// Lower returns the lower bound of arc a.
func (g *Graph) Lower(a int) int64 { return g.lower[a] }

// ResetBasis discards the spanning tree, so that the next Solve is cold.
func (g *Graph) ResetBasis() {
	g.hasBasis = false
	g.solved = false
}

// Flow returns the flow on arc a found by the last Solve (valid when it
// returned Optimal).
func (g *Graph) Flow(a int) int64 {
	if !g.hasBasis {
		return 0
	}
	g.flush()
	return g.flow[a] + g.lower[a]
}

// Cost returns Σ cost·flow of the last Solve.
func (g *Graph) Cost() float64 { return g.total }

// Potential returns the optimal dual value of node v's conservation
// constraint: with rc(a) = cost(a) − Potential(from) + Potential(to), an arc
// with rc > 0 carries its lower bound and an arc with rc < 0 its capacity
// (within the pricing tolerance). The potentials of one connected component
// are determined up to a common constant.
func (g *Graph) Potential(v int) float64 {
	if !g.hasBasis {
		return 0
	}
	return -g.pi[v]
}

// ReducedCost returns cost(a) − Potential(from) + Potential(to).
func (g *Graph) ReducedCost(a int) float64 {
	g.flush()
	if !g.hasBasis {
		return g.cost[a]
	}
	return g.cost[a] + g.pi[g.src[a]] - g.pi[g.tgt[a]]
}

// Pivots returns the number of simplex pivots of the last Solve.
func (g *Graph) Pivots() int { return g.pivots }

// Warm reports whether the last Solve started from a previous basis.
func (g *Graph) Warm() bool { return g.warm }

// Status returns the result of the last Solve.
func (g *Graph) Status() Status { return g.status }
