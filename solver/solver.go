package solver

import (
	"context"
	"io"
	"math"
	"time"

	"rotaplan/model"
)

// Status says what a Result is.
type Status string

const (
	// Optimal: a lower bound equal to the objective proves the plan optimal.
	Optimal Status = "optimal"
	// Feasible: a valid plan, with a bound and a gap that were not closed
	// (a time limit, a node limit, a gap tolerance or a cancelled context).
	Feasible Status = "feasible"
	// Infeasible: no plan exists; the pins alone break a hard rule (see Conflicts).
	Infeasible Status = "infeasible"
)

// priceArcs is the largest network solved by branch and price; above it
// the master LPs (one row per coupling row, dense) cost more than they
// bring and the subgradient branch and bound runs alone. A 60-school
// county has about 21,000 arcs, a 150-school one 118,000.
const priceArcs = 60_000

// rootLPArcs is the largest network whose root LP is solved by column
// generation when the tree is not (above priceArcs); rootLPSolves is the
// flow budget of that path (the root LP of a 150-school county takes
// about 800 solves, its dive a few hundred).
const (
	rootLPArcs   = 400_000
	rootLPSolves = 2000
)

// largeSolves is the flow budget above rootLPArcs: a warm solve of a
// sparse network of 80,000 teachers takes about 0.4 s.
const largeSolves = 160

// largeSteps is the ascent's steps above rootLPArcs, with a repair at
// every tenth (not fifth) but the first: at 1,000 schools the repaired
// plans only start the local search, and that of π = 0 never did, while
// its repair took 2.5 s. With the time it left, and a QP on the live rows
// only (bundleQP), the ascent takes 95 steps in the time of 80 (12-06).
// 80 steps with a repair at every tenth, against 50 at every fifth, had
// brought the bounds of seeds 1-5 0.003-0.2 points nearer (12-05).
const largeSteps = 95

// largeSettleCap is the local search's first cap on the nodes a screen
// settles above rootLPArcs (flow.Rerouter.MaxSettled, raised fourfold
// after a round that finds nothing). At 1,000 schools a screen settled
// about 1,400 nodes on average, but a tenth of them settled over 10,000,
// paying or not; capped at 3,000, three times as many moves are screened
// in the same time (a screen counts as a 150th of a solve, not a 50th),
// and the plans of seeds 1-5 came 0.38 points nearer their bounds.
const largeSettleCap = 3000

// sparseArcs is the most move arcs a network holds in full; above it the
// moves are priced into the graph as needed (network.solve). Branch and
// price keeps the full network (its reduced-cost fixing drops moves from
// it); above that the root LP's flow solves are faster sparse: at 150
// schools (100,000 moves) its column generation and dive take 3.2 s
// instead of 4.8 s, with the same bound and plan.
const sparseArcs = priceArcs

// treeShare is the part of the flow budget that branch and price may
// spend; when its tree does not close, the school RINS and the subgradient
// branch and bound, whose rounding of averaged flows finds other plans than
// the dives do, share the rest. With all of it for the tree, a 20-school
// county with many volunteers and exemptions ended 0.02% above CBC's
// optimum; with a fifth left, the subgradient tree finds the optimum, and
// two more of the 24 policy variants of 25-40 schools are proven optimal.
const treeShare = 0.8

// masterCapWork bounds the master LPs' multiply-adds in branch and price:
// a few seconds of arithmetic, however many nodes that is.
const masterCapWork = 4e9

// Settings tune Solve. A nil *Settings means the defaults: no time limit,
// prove optimality (Gap 0), no progress reports.
type Settings struct {
	TimeLimit time.Duration  // 0: none. Results then depend on the clock, so it is off by default.
	Gap       float64        // stop when (Z - bound) <= Gap x max(1, |Z|); 0 proves optimality
	Progress  func(Progress) // called now and then from the solving goroutine; may be nil
	MaxNodes  int            // branch-and-bound nodes; 0 means 5000
	MaxSolves int            // flow solves (the work budget); 0 means 20,000 on networks of up to 15,000 arcs, shrinking with size^1.5, 2,000 from 60,000 to 400,000 arcs (root LP) and 160 above
	Trace     io.Writer      // when set, a line per phase of the search (for developers)
}

// Progress is a snapshot reported while solving.
type Progress struct {
	Elapsed   time.Duration
	Phase     string
	Objective float64 // best plan so far
	Bound     float64 // best lower bound so far
	Nodes     int
}

// Result is the outcome of Solve.
type Result struct {
	Status    Status
	Moves     []model.Placement // sorted by teacher index
	Objective float64           // Z of Moves
	Terms     model.Terms       // its six terms
	Bound     float64           // lower bound on the optimal Z; -Inf when none is known
	Gap       float64           // (Objective - Bound) / max(1, |Objective|)
	Nodes     int               // branch-and-bound nodes explored
	Conflicts []model.PinConflict
}

// Solve finds the plan of minimum Z (spec §6) under the hard rules H1-H4.
//
// The problem is a min-cost circulation (see network) plus coupling rows: H4
// and the quota units. Solve dualizes the rows (Lagrangian relaxation, see
// relaxation), maximizes the dual by projected subgradient steps with the
// network simplex warm-started at every step, keeps every flow solution that
// keeps H4 as a candidate plan, and closes the gap by best-first branch and
// bound on teacher departures; on networks of up to priceArcs arcs it first
// runs branch and price, whose node bounds are exact LP optima (see the
// package doc). Status is Optimal only when the bound reaches
// Z (within 1e-6 relative). Without coupling rows the first flow is optimal.
//
// Each dual step costs one warm network simplex solve; the number of steps
// and nodes is bounded by the defaults below, never by the clock unless
// Settings.TimeLimit is set, so results are deterministic.
func Solve(ctx context.Context, in *model.Instance, s *Settings) (*Result, error) {
	return solve(ctx, in, s, sizeLimits{priceArcs, rootLPArcs, sparseArcs})
}

// sizeLimits choose the method by the network's arcs: branch and price up
// to tree, its root LP alone up to root, the subgradient search above; a
// network of more than sparse move arcs is priced (buildNetwork). Tests
// lower them to run every path on small instances.
type sizeLimits struct{ tree, root, sparse int }

func solve(ctx context.Context, in *model.Instance, s *Settings, limits sizeLimits) (*Result, error) {
	var set Settings
	if s != nil {
		set = *s
	}
	if ctx == nil {
		ctx = context.Background()
	}
	if c := model.PinConflicts(in); len(c) > 0 {
		return &Result{Status: Infeasible, Conflicts: c, Bound: math.Inf(1), Objective: math.Inf(1)}, nil
	}
	nt := buildNetwork(in, limits.sparse)
	rl := newRelaxation(nt)
	sr := newSearch(ctx, set, nt, rl)
	maxNodes := set.MaxNodes
	if maxNodes == 0 {
		maxNodes = 5000
	}
	sr.budget = set.MaxSolves
	if sr.budget == 0 {
		// A fixed amount of work, not of time, so that results do not depend
		// on the machine: 20,000 warm flow solves on networks of up to 15,000
		// arcs (enough to prove optimality on county-sized scenarios), then
		// shrinking with the size to the power 1.5, at least 100.
		arcs := float64(max(1, nt.arcs))
		sr.budget = int(max(100, min(20000, 20000*math.Pow(15000/arcs, 1.5))))
	}
	sr.large = nt.arcs > limits.root
	sr.pi = make([]float64, len(rl.rows))
	bound := math.Inf(-1)
	arcs := nt.arcs
	rootOnly := len(rl.rows) > 0 && arcs > limits.tree && arcs <= limits.root
	if rootOnly {
		// Too big for the tree, not for its root: the LP relaxation by
		// column generation (a far better bound than the subgradient's),
		// a bulk dive from it for a plan, then the local search.
		if set.MaxSolves == 0 {
			sr.budget = rootLPSolves
		}
		sr.pool = &columnPool{seen: map[uint64][]int32{}}
		sr.masterCap = 5 * masterCapWork
		sr.diveModes = []int{3}
		rl.onFlow = func() { sr.pool.collect(rl) }
		if _, ok := sr.ascend(sr.pi, min(50, sr.budget/4)); ok && sr.haveBest && !sr.interrupted() {
			sr.quotaDive(sr.pi, max(20, sr.budget/10))
		}
		sr.tracef("warm start done; flow budget %d solves", sr.budget)
		bound, _ = sr.priceAndBranch(1, 200)
		sr.tracef("root LP and dive done: bound %.6f", bound)
		rl.onFlow = nil
		sr.stopped, sr.masterCap = false, 0
	} else if len(rl.rows) > 0 && arcs <= limits.tree {
		// Branch and price, warm-started with the flows of a short
		// subgradient ascent (columns and a first incumbent).
		sr.pool = &columnPool{seen: map[uint64][]int32{}}
		// Master LPs may take about as much work as the flows: a few
		// seconds of arithmetic at most, however many nodes that is.
		sr.masterCap = masterCapWork
		rl.onFlow = func() { sr.pool.collect(rl) }
		if _, ok := sr.ascend(sr.pi, min(100, sr.budget/4)); ok && sr.haveBest && !sr.interrupted() {
			sr.quotaDive(sr.pi, max(20, sr.budget/10))
		}
		sr.tracef("warm start done; flow budget %d solves", sr.budget)
		var complete bool
		full := sr.budget
		sr.budget = int(treeShare * float64(full))
		bound, complete = sr.priceAndBranch(maxNodes, 200)
		sr.budget = full
		sr.tracef("branch and price done: bound %.6f, complete %v, %d nodes", bound, complete, sr.nodes)
		if left := sr.budget - sr.rl.solves; !complete && !sr.interrupted() && left >= 500 {
			// Not proven, flows left: part of them for the neighbourhood
			// of the schools where the root LP and the plan disagree,
			// with a master budget of its own.
			total := sr.budget
			sr.stopped = false
			sr.budget = sr.rl.solves + min(3000, left)
			sr.masterCap += masterCapWork
			sr.schoolRINS(300)
			sr.budget = total
		}
		if !complete && !sr.interrupted() {
			// Not proven: the subgradient branch and bound, warm from the
			// LP duals, spends the rest of the flow budget on its own
			// heuristics (its rounding of averaged flows finds other plans
			// than the dives do); either bound holds.
			sr.stopped, sr.masterCap = false, 0
			rl.onFlow = nil
			bound = math.Max(bound, sr.run(min(400, sr.budget/2), 60, maxNodes))
			sr.tracef("subgradient branch and bound done: bound %.6f", bound)
		}
	} else if sr.large && set.MaxSolves == 0 {
		// No LP: the ascent for the bound and the first plans (largeSteps), at
		// the root only (a node of the subgradient tree costs as much and
		// moves the bound less than the local search moves the plan); the
		// batched local search below makes the plan. The steps are those
		// of a proximal bundle method (bundleAscend): at 1,000 schools
		// 0.42% below the LP after 50 of them, scaled subgradient steps
		// 1.7%.
		sr.budget = largeSolves
		sr.bundleSteps = true
		sr.settleCap = largeSettleCap
		bound = sr.run(largeSteps, 60, 1)
	} else {
		bound = sr.run(min(400, sr.budget/2), 60, maxNodes)
	}
	// What was given up on within the gap bounds the proof (see floor).
	bound = math.Min(bound, sr.floor)
	if sr.haveBest && sr.bestZ-bound > sr.tol(sr.bestZ) {
		// Not proven: spend a last, fixed effort on the incumbent (on a
		// large network each try is a warm solve of the sparse network).
		switch {
		case sr.large:
			sr.localSearch(sr.pi, bound, 60, 60)
		case rootOnly:
			// No tree to spend the flows on: the local search gets as
			// many tries as the root had flow solves. At 150 schools
			// (seeds 1-6) the gap falls from a mean of 0.024% to 0.011%
			// (seed 4 0.081% -> 0.026%, seeds 3 and 5 under 0.01%) for
			// 0.6-1.3 s more; half as many tries gave 0.013%, and a stale
			// limit of 500 tries lost most of seed 4's gain.
			sr.localSearch(sr.pi, bound, min(3000, sr.budget), 1000)
		default:
			sr.localSearch(sr.pi, bound, min(3000, max(20, sr.budget/4)), 1000)
		}
		sr.tracef("local search done")
	}
	if !sr.haveBest {
		// Stopped before the first flow: the pins alone are a plan (they
		// keep H1-H4, PinConflicts said so).
		for t := range in.Scenario.Teachers {
			if in.Pin[t] >= 0 {
				sr.best = append(sr.best, model.Placement{Teacher: t, To: in.PinTo[t], Subject: in.PinSubj[t]})
			}
		}
		bound = math.Inf(-1)
	}
	out := model.Evaluate(in, sr.best)
	z := out.Terms.Total()
	res := &Result{Moves: sr.best, Objective: z, Terms: out.Terms, Bound: math.Min(bound, z), Nodes: sr.nodes}
	res.Gap = math.Max(0, (z-res.Bound)/math.Max(1, math.Abs(z)))
	res.Status = Feasible
	if z-res.Bound <= 1e-6*math.Max(1, math.Abs(z)) {
		res.Status = Optimal
		res.Gap = 0
	}
	return res, nil
}
