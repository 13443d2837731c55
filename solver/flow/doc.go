// Package flow is an exact minimum-cost flow engine on flat arrays.
//
// It solves
//
//	minimize   Σ_a cost[a]·x[a]
//	subject to Σ_{a out of v} x[a] − Σ_{a into v} x[a] = supply[v]   for every node v
//	           lower[a] ≤ x[a] ≤ cap[a]                              for every arc a
//
// with integer flows, integer bounds and supplies, and float64 costs of any sign.
// With all supplies zero the problem is a minimum-cost circulation: negative-cost
// cycles are saturated, which is how the rotation optimizer expresses "a move is
// worth making".
//
// # Algorithm
//
// The solver is the primal network simplex method on a strongly feasible
// spanning tree, stored as in LEMON's NetworkSimplex (Kiraly and Kovacs,
// "Efficient implementations of minimum-cost flow algorithms", Acta Univ.
// Sapientiae Informatica 4(1), 2012; Kovacs, "Minimum-cost flow algorithms:
// an experimental evaluation", Optimization Methods and Software 30(1), 2015):
// parent/predecessor arrays plus a preorder thread list with reverse thread,
// subtree sizes and last successors, so that every tree update costs time
// proportional to the nodes whose place in the tree changes. The entering arc
// is chosen by the block search pivot rule (blocks of 0.2·√m arcs, scanned
// cyclically; LEMON's factor is 1.0, see blockFactor). Negative-cost arcs
// start saturated.
// The basis is initialised with one artificial arc per node joined to an
// artificial root (cost 0 towards the root, a big-M cost from it); after the
// optimum any flow left on an artificial arc means the supplies are infeasible.
// Lower bounds are removed by the usual substitution x = lower + x'.
//
// Each pivot costs O(√m) for pricing plus O(n) in the worst case for the tree
// update (in practice the changed subtree is small). The number of pivots is
// not polynomially bounded in theory (the primal network simplex with block
// search is exponential in the worst case) but is modest in practice (about 11 per node on the
// benchmark network below); the
// algorithm always terminates because strongly feasible trees exclude cycling.
//
// # Warm starts
//
// The spanning tree, the flows and the arc states are kept between calls of
// [Graph.Solve]. After [Graph.SetCost] the old basis stays primal feasible, so
// the next Solve recomputes the potentials (O(n)) and continues pivoting from
// the previous optimum; this is what makes repeated solves in a Lagrangian
// loop cheap. After [Graph.SetCapacity], [Graph.SetLower] or [Graph.SetSupply]
// the flows on the tree are recomputed for the old tree (O(n+m)); where a
// tree arc's flow would leave its bounds, the arc is set to the nearest
// bound and leaves the tree, and the subtree below it hangs from the root by
// its artificial arc at the big-M cost, which the pivots drive out again.
// The rest of the tree is kept, so these solves are warm too (a bound change
// used to mean a cold start). Arcs added by [Graph.AddArc] after a solve
// start at flow 0 outside the tree, which keeps the basis feasible, so the
// next Solve is warm as well: a network can be grown by pricing (solve on
// some arcs, add those whose reduced cost is negative, solve again).
//
// # Performance
//
// BenchmarkCold80k / BenchmarkWarm80k (bench_test.go): 80,000 teachers,
// 12,000 school-subject cells, 1.72M arcs, 2-core AMD EPYC: cold solve about
// 3.1 s (1.04M pivots, over 90% degenerate), warm re-solve after changing 10%
// of the move costs about 0.3 s (~90k pivots); no allocation per pivot and
// none per re-solve after cost changes (a bounds change allocates one O(n)
// scratch slice).
//
// # Floating-point costs
//
// An arc is a candidate to enter the basis only when its reduced cost is below
// −ε, with ε = 1e-9·max(1, max |cost|). At the end the potentials are
// recomputed exactly from the tree and all arcs are priced again, so the
// reported solution satisfies the optimality conditions to within ε per arc.
// Everything is deterministic: no maps, no randomness, no goroutines (forks
// of a Rerouter may price on several goroutines; each answer is the one
// the origin would give).
package flow
