// Package solver finds the rotation plan that minimizes the objective Z of
// the scenario spec under the hard rules H1-H4. It works on model types only:
// no files, no YAML, no command line.
//
// # Model
//
// Without the quota units and H4 the problem is a minimum-cost circulation
// (network.go): a node per school-subject cell, a node per class of
// interchangeable movable teachers, a root; a class's dep arc carries how
// many of its teachers leave, move arcs carry them to cells, and the cell
// arcs to and from the root carry the convex cost of filling and emptying
// posts while bounding each cell's net change by H2 and H3. The flow core is
// the network simplex of package flow, warm-started between solves.
//
// # Algorithm
//
// The quota units (count and backbone share) and H4 couple a school's dep
// arcs. They are dualized (lagrange.go): for multipliers within their
// bounds, the flow's optimum minus the multipliers' constant is a lower bound
// on Z, and its maximum equals the LP relaxation's optimum, since the flow
// polytope is integral (Fisher 1981; Ahuja, Magnanti and Orlin, "Network
// Flows", 1993, ch. 16). search.go maximizes it by projected subgradient
// steps with Polyak's step size (Held, Wolfe and Crowder 1974), each one warm
// flow solve. Plans come from the flow solutions: repaired to keep H4,
// rounded from the average of recent solutions (Sherali and Choi 1996),
// extended one departure at a time for quota units that fall short, and
// polished with every class's departures fixed. A best-first branch and
// bound on class departures closes the gap; a local search on the
// incumbent's departures follows when it does not (one departure more,
// fewer, or traded within a school; the trades that lower the quota terms,
// known exactly without a flow, first).
//
// On networks of up to 60,000 arcs (about 60 schools) the bound is exact
// instead: branch and price (price.go) solves the LP relaxation at every
// node by column generation (with Wentges's dual smoothing), the
// restricted master over the flows seen (master.go, a small dense simplex
// with one row per coupling row) giving duals that price the next flow, so
// a node's bound is its LP optimum, not an approximation of it. The LP is
// strengthened by envelope cuts (cuts.go): a quota unit's cost depends on
// two integers, its moves and backbone moves, and the facets of its lower
// convex hull over them cut off fractional mixes that the plain formula
// prices too low (binding backbone shares gain most). Once a plan is known,
// the root duals' reduced costs fix class departures that no better plan
// can have, and take out of the graph the moves that no better plan makes
// (about 80% of them at 60 schools, so the tree's flow solves scan a
// fifth of the arcs). Dives from the root LP (fix classes to integers, solve again)
// find the plans; the tree branches on fractional sums of departures per
// school, then per class (on classes at once after 50 nodes that do not
// raise the tree's bound: sums move a plateau of LP optima no more than
// classes do, and classes find more plans). When it does not close within its effort (80%
// of the flow budget, treeShare), a
// neighbourhood of the plan is searched the same way (schoolRINS: the
// schools where the root LP and the plan disagree free, every other
// class fixed to the plan), and the subgradient branch and bound above
// takes the rest of the budget, warm from the LP duals.
//
// Up to 400,000 arcs (about 200 schools) the root LP alone is solved the
// same way, its bulk dive gives the first plan and the local search the
// rest: the bound is the LP's, far tighter than the subgradient's. Above,
// the subgradient ascent gives the bound and its repaired flows the first
// plans, and the local search (batched, see below) improves the plan; its
// steps are scaled per row (AdaGrad, Duchi, Hazan and Singer 2011), which
// in 50 steps ends nearer the LP bound than the plain steps do.
//
// The local search prices its moves without solving (flow.Rerouter): on
// the incumbent's flow, optimal for its departures, a move's flow change
// is the cost of re-routing one or two units, found exactly by successive
// shortest paths in the residual network, cut short once it cannot pay.
// The moves that pay are applied one after another to that flow (each
// priced on top of the ones before it, so the sum is exact) and the whole
// batch is solved once. A move is a departure more or fewer in a class,
// one traded between two classes of a school, or, when none of those
// pays (they get half the screens), one traded between two schools or a
// swap (two schools each send one more teacher, who may take each
// other's place, or each one fewer); of the hundreds of millions of such
// pairs in a city, those with the least lower bound are drawn from a heap.
// When no pair pays either, a triple: two classes of a school (two more,
// two fewer, or a trade) and one of another school that can take a post
// they leave or leave one they take (binding backbone shares make a
// school's plans lumpy, so a school may have to send two fewer at once
// for another to send one more), or such a lump alone: a backbone
// teacher and another of one school sent, or kept, together. The moves
// are screened on as many goroutines as there are cores (at most 8),
// each on its own copy of the flow
// (flow.Rerouter.Fork), a window of moves at a time: the first of a window
// that pays is applied and the next window starts after it, so the batch
// is the one screening in order makes, whatever the number of cores.
//
// The screening prices with potentials lifted from the root of the cells'
// arcs (flow.Rerouter.Lift), equally optimal ones that tell a search how
// far it still is from its sink once it has passed that root, next to
// every cell.
//
// A network too big for branch and price (more than 60,000 move arcs; a
// city of 80,000 teachers has 4.9 million) is sparse: each class starts
// with its 12 cheapest moves and the others are priced in when their
// reduced cost at the flow's potentials turns negative (network.solve), so
// every solve is exact on the whole network while the graph holds a tenth
// of it.
//
// # Cost and determinism
//
// Each step costs one warm network-simplex solve: O(pivots x (sqrt(m) +
// changed subtree)) for m arcs, in practice milliseconds for a few thousand
// teachers and about 0.4 s for 80,000 (sparse). The work is bounded by a number of
// flow solves (Settings.MaxSolves; by default 20,000 on networks of up to
// 15,000 arcs, then shrinking with the network's size), never by the clock
// unless Settings.TimeLimit is set, so the same scenario gives the same plan
// (on any number of cores: the parallel screening keeps the serial order).
// The master LPs are bounded the same way, by their multiply-adds (2e9).
// Status Optimal means the bound meets Z within 1e-6 relative.
package solver
