package solver

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"rotaplan/gen"
	"rotaplan/model"
	"rotaplan/solver/flow"
)

// TestBatchPassExact holds the local search's pricing to the flow: the
// change of Z that a batch of moves is priced at (each move re-routed on
// top of the ones before it) is the change the solve of the whole batch
// finds, pass after pass from a poor first plan, and every plan keeps the
// hard rules. On a sparse network (moves outside the graph) a batch may
// do better than priced, never worse. It fails if the Rerouter's
// successive paths or the quota terms' running update go wrong.
func TestBatchPassExact(t *testing.T) {
	defer func(k int) { sparseMoves = k }(sparseMoves)
	sparseMoves = 3
	cases := []struct {
		schools int
		seed    uint64
		variant int
		sparse  bool
	}{{12, 1, 0, false}, {14, 2, 1, false}, {16, 3, 2, false}, {18, 4, 4, false}, {14, 5, 1, true}, {16, 6, 0, true}}
	batches, swapBatches, tripleBatches := 0, 0, 0
	for _, tc := range cases {
		t.Run(fmt.Sprintf("schools%d_%s_sparse%v", tc.schools, policyVariants[tc.variant].name, tc.sparse), func(t *testing.T) {
			in, maxMoves := variantInstance(t, tc.schools, tc.seed, tc.variant, tc.sparse)
			nt := buildNetwork(in, maxMoves)
			if tc.sparse && len(nt.outside) == 0 {
				t.Fatal("network not sparse")
			}
			sr := firstPlan(t, nt, 0)
			bySchool := sr.classesBySchool()
			schools := slices.Sorted(maps.Keys(bySchool))
			for pass := range 12 {
				sr.setBounds(nil)
				lo, hi := slices.Clone(sr.lo), slices.Clone(sr.hi)
				y := sr.incumbentY()
				rr := sr.newRerouter()
				if !sr.fixIncumbent(rr, y, sr.pi) {
					t.Fatalf("pass %d: the incumbent's flow is not at hand", pass)
				}
				moves := schoolMoves(schools, bySchool, y, lo, hi, newQuotaTerms(in, nt, y))
				kind := pass % 3
				switch kind {
				case 1:
					// Swaps: two classes of two schools both one more, or
					// both one fewer (the cross-school moves of crossPairs).
					moves = moves[:0]
					for a := range nt.classes {
						for b := a + 1; b < len(nt.classes) && len(moves) < 3000; b += 7 {
							if nt.classes[a].school != nt.classes[b].school {
								d := int8(1 - 2*((a+b)%2))
								moves = append(moves, lsMove{a: int32(a), b: int32(b), da: d, db: d})
							}
						}
					}
				case 2:
					// Triples (crossTriples): two classes of a school and
					// one of another, with every mix of signs.
					moves = moves[:0]
					for a := range nt.classes {
						for b := a + 1; b < len(nt.classes) && nt.classes[b].school == nt.classes[a].school; b++ {
							for c := (a * 13) % 5; c < len(nt.classes) && len(moves) < 20000; c += 5 {
								if nt.classes[c].school != nt.classes[a].school {
									i := a + b + c
									moves = append(moves, lsMove{a: int32(a), b: int32(b), c: int32(c),
										da: int8(1 - 2*(i%2)), db: int8(1 - 2*(i/2%2)), dc: int8(1 - 2*(i/4%2))})
								}
							}
						}
					}
				}
				before := sr.bestZ
				improved, _, _, gain := sr.batchPass(rr, moves, y, lo, hi, newQuotaTerms(in, nt, y), sr.pi, 1<<30)
				if gain == 0 {
					if kind > 0 {
						continue // no swap or triple pays: the moves within schools may
					}
					break
				}
				if kind == 1 {
					swapBatches++
				}
				if kind == 2 {
					tripleBatches++
				}
				tol := 1e-6 * math.Max(1, math.Abs(before))
				got := sr.bestZ - before
				if !improved || got > gain+tol || (!tc.sparse && got < gain-tol) {
					t.Fatalf("pass %d: batch priced at %.9f, solved to %.9f (improved %v)", pass, gain, got, improved)
				}
				if err := hardRulesOK(in, sr.best); err != nil {
					t.Fatalf("pass %d: %v", pass, err)
				}
				if z := model.Evaluate(in, sr.best).Terms.Total(); math.Abs(z-sr.bestZ) > tol {
					t.Fatalf("pass %d: Z %.9f recorded, %.9f evaluated", pass, sr.bestZ, z)
				}
				batches++
			}
		})
	}
	if batches < 8 || swapBatches < 4 || tripleBatches < 4 {
		t.Fatalf("only %d batches checked (%d of swaps, %d of triples)", batches, swapBatches, tripleBatches)
	}
	t.Logf("%d batches checked (%d of swaps, %d of triples)", batches, swapBatches, tripleBatches)
}

// variantInstance compiles a generated county under a policy variant, and
// the maxMoves that makes its network sparse (every move but the cheapest
// outside the graph) or not.
func variantInstance(t *testing.T, schools int, seed uint64, variant int, sparse bool) (*model.Instance, int) {
	t.Helper()
	sc := gen.Generate(gen.Options{Schools: schools, Seed: seed})
	policyVariants[variant].apply(sc)
	in, err := model.Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	if sparse {
		return in, 1
	}
	return in, 0
}

// firstPlan returns a search on nt (screening on workers goroutines, 0:
// the default) that holds a first plan, far from the best: that of five
// subgradient steps.
func firstPlan(t *testing.T, nt *network, workers int) *search {
	t.Helper()
	rl := newRelaxation(nt)
	sr := newSearch(context.Background(), Settings{}, nt, rl)
	sr.workers = workers
	sr.budget = 100000
	sr.pi = make([]float64, len(rl.rows))
	sr.ascend(sr.pi, 5)
	if !sr.haveBest {
		t.Fatal("no plan")
	}
	return sr
}

// TestLocalSearchWorkers holds the parallel screening to the order of the
// moves: the local search makes the same plan whatever the number of
// goroutines that screen (the first move of a window that pays is the one
// screening in order applies), with budgets that end a pass in the middle
// of a window and budgets that let it run out of moves. It fails if a
// window applies a move other than its first that pays, or if a fork
// prices on a stale flow.
func TestLocalSearchWorkers(t *testing.T) {
	defer func(k int) { sparseMoves = k }(sparseMoves)
	sparseMoves = 3
	cases := []struct {
		schools int
		seed    uint64
		variant int
		sparse  bool
		tries   int
	}{{14, 2, 1, false, 2}, {16, 3, 0, false, 400}, {18, 4, 4, false, 7}, {22, 8, 0, true, 400}, {20, 7, 1, true, 5}}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("schools%d_%s_sparse%v_tries%d", tc.schools, policyVariants[tc.variant].name, tc.sparse, tc.tries), func(t *testing.T) {
			in, maxMoves := variantInstance(t, tc.schools, tc.seed, tc.variant, tc.sparse)
			var first []model.Placement
			var firstZ, startZ float64
			for _, workers := range []int{1, 2, 3, 5} {
				sr := firstPlan(t, buildNetwork(in, maxMoves), workers)
				z0 := sr.bestZ
				sr.localSearch(sr.pi, math.Inf(-1), tc.tries, 1000)
				if err := hardRulesOK(in, sr.best); err != nil {
					t.Fatalf("%d workers: %v", workers, err)
				}
				if workers == 1 {
					first, firstZ, startZ = sr.best, sr.bestZ, z0
					if !(firstZ < startZ) {
						t.Fatalf("the local search did not improve the plan (Z %.6f)", startZ)
					}
					continue
				}
				if sr.bestZ != firstZ || !slices.Equal(sr.best, first) {
					t.Fatalf("%d workers: Z %.9f, 1 worker: Z %.9f (from %.9f); plans equal %v", workers, sr.bestZ, firstZ, startZ, slices.Equal(sr.best, first))
				}
			}
		})
	}
}

// screenCases are the counties on which the local search's screening is
// held to its contract: two on full networks (standard and binding
// backbone shares), one on a sparse network.
var screenCases = []struct {
	schools int
	seed    uint64
	variant int
	sparse  bool
}{{16, 3, 0, false}, {18, 4, 1, false}, {22, 8, 0, true}}

// TestCappedLocalSearchWidens runs the local search with screens capped at
// two settled nodes (search.settleCap): it ends only where an uncapped
// search finds nothing more (a round that finds nothing raises the cap
// until none is left), and makes the same plan whatever the number of
// goroutines that screen (forks take the cap). It fails if widen stops
// early or a fork screens without the cap.
func TestCappedLocalSearchWidens(t *testing.T) {
	defer func(k int) { sparseMoves = k }(sparseMoves)
	sparseMoves = 3
	for _, tc := range screenCases {
		in, maxMoves := variantInstance(t, tc.schools, tc.seed, tc.variant, tc.sparse)
		var firstZ float64
		for _, workers := range []int{1, 2} {
			sr := firstPlan(t, buildNetwork(in, maxMoves), workers)
			z0 := sr.bestZ
			sr.settleCap = 2
			sr.localSearch(sr.pi, math.Inf(-1), 100000, 100000)
			if err := hardRulesOK(in, sr.best); err != nil {
				t.Fatal(err)
			}
			capped := sr.bestZ
			if !(capped < z0) {
				t.Fatalf("%d schools: the capped search did not improve the plan (Z %.6f)", tc.schools, z0)
			}
			if workers == 1 {
				firstZ = capped
			} else if capped != firstZ {
				t.Fatalf("%d schools, %d workers: Z %.9f, 1 worker %.9f", tc.schools, workers, capped, firstZ)
			}
			sr.settleCap = 0
			sr.localSearch(sr.pi, math.Inf(-1), 100000, 100000)
			if sr.bestZ < capped {
				t.Fatalf("%d schools: the uncapped search improved the capped one's end: Z %.6f -> %.6f", tc.schools, capped, sr.bestZ)
			}
		}
	}
}

// TestPromisingDropsOnlyHopeless holds the large path's ordering of the
// moves within schools (search.promising) to the exact screen: every move
// it drops is refused by an uncapped Rerouter.Cost on the incumbent's
// flow, and the quota-lowering moves it keeps stay first and in order.
// It fails if the potentials' part of a move's cost has the wrong sign or
// a paying move is dropped.
func TestPromisingDropsOnlyHopeless(t *testing.T) {
	defer func(k int) { sparseMoves = k }(sparseMoves)
	sparseMoves = 3
	dropped := 0
	for _, tc := range screenCases {
		in, maxMoves := variantInstance(t, tc.schools, tc.seed, tc.variant, tc.sparse)
		nt := buildNetwork(in, maxMoves)
		sr := firstPlan(t, nt, 1)
		rr, moves := incumbentMoves(t, sr)
		lowering := 0
		for lowering < len(moves) && moves[lowering].quota < 0 {
			lowering++
		}
		order := sr.promising(moves, lowering)
		kept := map[lsMove]bool{}
		for _, m := range order {
			kept[m] = true
		}
		var keptLowering []lsMove
		for i, m := range moves {
			if kept[m] {
				if i < lowering {
					keptLowering = append(keptLowering, m)
				}
				continue
			}
			dropped++
			from, to := sr.moveEnds(m)
			if cost, ok := rr.Cost(from, to, sr.moveLimit(m.quota)); ok {
				t.Fatalf("%d schools: dropped move %+v pays (flow %.6f, quota %.6f)", tc.schools, m, cost, m.quota)
			}
		}
		if !slices.Equal(order[:len(keptLowering)], keptLowering) {
			t.Fatalf("%d schools: the quota-lowering moves are not first and in order", tc.schools)
		}
		if len(order) == len(moves) {
			t.Fatalf("%d schools: nothing dropped", tc.schools)
		}
	}
	if dropped < 50 {
		t.Fatalf("only %d moves dropped", dropped)
	}
}

// TestRepairEndsWithPlan holds the repair of an ascent's flow to its
// promise on a large network: whatever the multipliers (0, which sends
// every teacher the flow likes, or a few steps in), the repaired flow
// keeps every school's outflow cap, so a plan is offered. Capping the schools over their cap
// alone can push departures into other schools round after round; the
// last round holds every school to what it sends. It fails if a repair
// ends with a school over its cap.
func TestRepairEndsWithPlan(t *testing.T) {
	repairs := 0
	for _, tc := range []struct {
		schools int
		seed    uint64
		share   float64
	}{{40, 1, 0.05}, {150, 1, 0.05}, {200, 1, 0.05}} {
		sc := gen.Generate(gen.Options{Schools: tc.schools, Seed: tc.seed})
		sc.Policy.Limits.MaxOutflowShare = &tc.share
		in, err := model.Compile(sc)
		if err != nil {
			t.Fatal(err)
		}
		nt := buildNetwork(in, 0)
		rl := newRelaxation(nt)
		sr := newSearch(context.Background(), Settings{}, nt, rl)
		sr.budget = 100000
		sr.large = true // the repair holds every school in its last round only there
		pi := make([]float64, len(rl.rows))
		for step := range 4 {
			if _, ok := rl.evaluate(pi); !ok {
				t.Fatal("flow infeasible")
			}
			sr.haveBest, sr.bestZ, sr.best = false, math.Inf(1), nil
			sr.repair(pi)
			if !sr.haveBest {
				t.Fatalf("%d schools, step %d: the repair ended without a plan", tc.schools, step)
			}
			if err := hardRulesOK(in, sr.best); err != nil {
				t.Fatalf("%d schools, step %d: %v", tc.schools, step, err)
			}
			repairs++
			// Multipliers a few ascent steps would reach: H4 priced.
			for r, rw := range rl.rows {
				pi[r] = math.Min(rw.hi, pi[r]+float64(step+1)*0.2*math.Max(0, rl.grad[r]))
			}
		}
	}
	if repairs < 12 {
		t.Fatalf("only %d repairs", repairs)
	}
}

// TestSmallestPairs holds the pair enumeration of the cross-school moves
// to brute force: the accepted pairs are the want smallest sums below the
// limit among those emit accepts (ties by index), in increasing order,
// with i < j on one list. It fails if the heap skips a pair or offers one
// twice.
func TestSmallestPairs(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for trial := range 300 {
		nx, ny := r.IntN(30), r.IntN(30)
		same := trial%2 == 0
		if same {
			ny = nx
		}
		x := make([]float64, nx)
		for i := range x {
			x[i] = float64(r.IntN(20) - 10)
		}
		slices.Sort(x)
		y := x
		if !same {
			y = make([]float64, ny)
			for j := range y {
				y[j] = float64(r.IntN(20) - 10)
			}
			slices.Sort(y)
		}
		limit := float64(r.IntN(10) - 8)
		want := 1 + r.IntN(15)
		reject := func(i, j int) bool { return (i+2*j)%5 == 0 } // emit refuses some
		type pair struct{ i, j int }
		var all []pair
		for i := range x {
			for j := range y {
				if (!same || i < j) && x[i]+y[j] < limit && !reject(i, j) {
					all = append(all, pair{i, j})
				}
			}
		}
		slices.SortStableFunc(all, func(a, b pair) int {
			return cmp.Or(cmp.Compare(x[a.i]+y[a.j], x[b.i]+y[b.j]), cmp.Compare(a.i, b.i), cmp.Compare(a.j, b.j))
		})
		var got []pair
		offered := map[pair]bool{}
		smallestPairs(x, y, same, limit, want, func(i, j int) bool {
			p := pair{i, j}
			if offered[p] {
				t.Fatalf("trial %d: pair %v offered twice", trial, p)
			}
			offered[p] = true
			if reject(i, j) {
				return false
			}
			got = append(got, p)
			return true
		})
		// The offers stop after 8·want; with rejections that rare, all
		// wanted pairs are reached.
		n := min(want, len(all))
		if len(got) != n {
			t.Fatalf("trial %d: %d pairs, want %d", trial, len(got), n)
		}
		for k := range got {
			if s1, s2 := x[got[k].i]+y[got[k].j], x[all[k].i]+y[all[k].j]; s1 != s2 {
				t.Fatalf("trial %d: pair %d sums %g, want %g", trial, k, s1, s2)
			}
		}
	}
}

// TestCrossTriples holds crossTriples to brute force: once no move within
// a school and no cross-school pair pays, it improves the plan exactly
// when some triple of its kind pays: two classes of a school (two more,
// two fewer or a trade) and one of another school that can take a post
// the pair leaves (or leave one the pair can take; or, changed the same
// way, take or give back a post at a pair's class's home, or it at its
// own), or whose quota terms change less together than apart, every such
// triple priced exactly here. The partner cap is lifted, so that it sees them
// all. It fails if the triples are drawn wrongly (a bound that is not
// one, a lost kind of pair, a wrong test of the posts) or priced wrongly.
func TestCrossTriples(t *testing.T) {
	defer func(k, l int) { triplePartners, lumpPartners = k, l }(triplePartners, lumpPartners)
	triplePartners, lumpPartners = 1<<20, 1<<20
	paying, lumpsPaying := 0, 0
	for _, tc := range []struct {
		schools int
		seed    uint64
		variant int
	}{{14, 2, 1}, {16, 3, 1}, {18, 4, 0}, {15, 6, 4}, {20, 9, 1}, {17, 11, 2}} {
		t.Run(fmt.Sprintf("schools%d_%s", tc.schools, policyVariants[tc.variant].name), func(t *testing.T) {
			in, _ := variantInstance(t, tc.schools, tc.seed, tc.variant, false)
			nt := buildNetwork(in, 0)
			sr := firstPlan(t, nt, 0)
			bySchool := sr.classesBySchool()
			schools := slices.Sorted(maps.Keys(bySchool))
			sr.setBounds(nil)
			lo, hi := slices.Clone(sr.lo), slices.Clone(sr.hi)
			rr := sr.newRerouter()
			fix := func() []int64 {
				y := sr.incumbentY()
				if !sr.fixIncumbent(rr, y, sr.pi) {
					t.Fatal("the incumbent's flow is not at hand")
				}
				return y
			}
			// Moves within schools and cross-school pairs until none pays.
			for round := 0; ; round++ {
				if round == 50 {
					t.Fatal("the moves and pairs do not settle")
				}
				y := fix()
				moves := schoolMoves(schools, bySchool, y, lo, hi, newQuotaTerms(in, nt, y))
				if ok, _, _, _ := sr.batchPass(rr, moves, y, lo, hi, newQuotaTerms(in, nt, y), sr.pi, 1<<30); ok {
					continue
				}
				y = fix()
				if ok, _ := sr.crossPairs(rr, y, lo, hi, newQuotaTerms(in, nt, y), sr.pi, 1<<30); !ok {
					break
				}
			}
			y := fix()
			qt := newQuotaTerms(in, nt, y)
			moved := make([]int64, len(in.Scenario.Schools))
			for c, cl := range nt.classes {
				moved[cl.school] += y[c]
			}
			g := nt.g
			// to[c]: the cells class c has a move arc to; used[c]: those
			// its arcs carry teachers to.
			to := make([]map[int32]bool, len(nt.classes))
			used := make([]map[int32]bool, len(nt.classes))
			for c := range nt.classes {
				to[c], used[c] = map[int32]bool{}, map[int32]bool{}
			}
			for i, c := range nt.moveClass {
				to[c][nt.moveCell[i]] = true
				if g.Flow(nt.moveFirst+i) > 0 {
					used[c][nt.moveCell[i]] = true
				}
			}
			meets := func(a, b map[int32]bool) bool {
				for cell := range a {
					if b[cell] {
						return true
					}
				}
				return false
			}
			// arcs: the cells a class sends one more teacher to (any of its
			// destinations) or one fewer from (those it sends to now).
			arcs := func(c int32, d int8) map[int32]bool {
				if d > 0 {
					return to[c]
				}
				return used[c]
			}
			related := func(m lsMove) bool {
				for _, x := range []change{{m.a, m.da}, {m.b, m.db}} {
					if x.d != m.dc && meets(arcs(x.c, x.d), arcs(m.c, m.dc)) ||
						x.d == m.dc && (arcs(m.c, m.dc)[nt.home(x.c)] || arcs(x.c, x.d)[nt.home(m.c)]) {
						return true
					}
				}
				return false
			}
			// The potentials' part of a change, a lower bound of its cost.
			pot := func(c int32, d int8) float64 {
				return float64(d) * (g.Potential(int(nt.classNode(c))) - g.Potential(int(nt.home(c))))
			}
			eps := -1e-9 * math.Max(1, math.Abs(sr.bestZ))
			pays, priced := 0, 0
			var paid []lsMove // the moves that pay, each alone
			C := len(nt.classes)
			for a := range C {
				for b := a + 1; b < C; b++ {
					if nt.classes[a].school != nt.classes[b].school {
						continue
					}
					for _, ds := range [][2]int8{{-1, -1}, {1, 1}, {-1, 1}, {1, -1}} {
						for c := range C {
							if nt.classes[c].school == nt.classes[a].school {
								continue
							}
							for _, dc := range []int8{-1, 1} {
								m := lsMove{a: int32(a), b: int32(b), c: int32(c), da: ds[0], db: ds[1], dc: dc}
								if !m.keeps(y, lo, hi) || !m.keepsH4(in, nt, moved) {
									continue
								}
								qd := qt.delta(m)
								apart := qt.delta(lsMove{a: m.a, b: m.b, da: m.da, db: m.db}) + qt.delta(lsMove{a: m.c, b: -1, da: m.dc})
								if !related(m) && qd >= apart+eps {
									continue // neither shared posts nor quota terms
								}
								if pot(m.a, m.da)+pot(m.b, m.db)+pot(m.c, m.dc)+qd >= eps {
									continue // cannot pay
								}
								priced++
								from, to := sr.moveEnds(m)
								if _, ok := rr.Cost(from, to, sr.moveLimit(qd)); ok {
									pays++
									paid = append(paid, m)
								}
							}
						}
					}
				}
			}
			// Lumps: a backbone teacher and another of one school, both
			// sent or both kept.
			lumps := 0
			for a := range C {
				for b := range C {
					if !nt.classes[a].bb || nt.classes[b].bb || nt.classes[a].school != nt.classes[b].school {
						continue
					}
					for _, d := range []int8{-1, 1} {
						m := lsMove{a: int32(a), b: int32(b), c: -1, da: d, db: d}
						if !m.keeps(y, lo, hi) || !m.keepsH4(in, nt, moved) {
							continue
						}
						qd := qt.delta(m)
						if pot(m.a, m.da)+pot(m.b, m.db)+qd >= eps {
							continue // cannot pay
						}
						priced++
						from, to := sr.moveEnds(m)
						if _, ok := rr.Cost(from, to, sr.moveLimit(qd)); ok {
							pays++
							lumps++
							paid = append(paid, m)
						}
					}
				}
			}
			if lumps > 0 {
				lumpsPaying++
			}
			// Every move that pays is a candidate (the partners lifted).
			cands, _ := sr.tripleCandidates(y, lo, hi, qt, 1<<30)
			listed := map[[3]change]bool{}
			for _, m := range cands {
				listed[sortedParts(m)] = true
			}
			for _, m := range paid {
				if !listed[sortedParts(m)] {
					t.Fatalf("move %+v pays but is no candidate", m)
				}
			}
			before := sr.bestZ
			improved, n := sr.crossTriples(rr, y, lo, hi, qt, sr.pi, 1<<30)
			t.Logf("%d triples and lumps priced, %d pay (%d lumps); crossTriples screened %d, Z %.6f -> %.6f", priced, pays, lumps, n, before, sr.bestZ)
			if improved != (pays > 0) || improved && sr.bestZ >= before {
				t.Fatalf("%d triples pay, crossTriples improved %v (Z %.9f -> %.9f)", pays, improved, before, sr.bestZ)
			}
			if err := hardRulesOK(in, sr.best); err != nil {
				t.Fatal(err)
			}
			if pays > 0 {
				paying++
			}
		})
	}
	if paying < 2 || lumpsPaying < 1 {
		t.Fatalf("a paying triple in only %d counties, a paying lump in %d: the test shows little", paying, lumpsPaying)
	}
}

// sortedParts is a move's changes in class order, unused ones last: the
// same for a move however its classes are named a, b and c.
func sortedParts(m lsMove) [3]change {
	ps, n := m.parts()
	for i := n; i < 3; i++ {
		ps[i] = change{c: math.MaxInt32}
	}
	slices.SortFunc(ps[:], func(x, y change) int { return cmp.Or(cmp.Compare(x.c, y.c), cmp.Compare(x.d, y.d)) })
	return ps
}

// BenchmarkScreen1000 prices the local search's first moves (those within
// a school, quota-lowering ones first) on the incumbent's flow of a
// generated city of 1,000 schools after the ascent of a run, one goroutine:
// the cost of a screen on a network of about 4 million arcs. Scanning
// only the arcs with flow for backward steps: 15.0 ms a screen before,
// 12.0 ms after (652 of the 1,000 moves pay; 2 cores, 2026-12-06). Since
// the large path repairs at every tenth step the incumbent differs: 617
// pay, 14.3-15.1 ms a screen, the same with the backward step in a
// helper of its own.
func BenchmarkScreen1000(b *testing.B) {
	in, err := model.Compile(gen.Generate(gen.Options{Schools: 1000, Seed: 1}))
	if err != nil {
		b.Fatal(err)
	}
	nt := buildNetwork(in, sparseArcs)
	rl := newRelaxation(nt)
	s := newSearch(context.Background(), Settings{}, nt, rl)
	s.large = nt.arcs > rootLPArcs
	s.budget = largeSolves
	s.pi = make([]float64, len(rl.rows))
	if _, ok := s.bundleAscend(s.pi, 50); !ok || !s.haveBest {
		b.Fatal("no plan")
	}
	rr, moves := incumbentMoves(b, s)
	const screens = 1000
	moves = moves[:min(screens, len(moves))]
	pays := 0
	for b.Loop() {
		pays = 0
		for _, m := range moves {
			from, to := s.moveEnds(m)
			if _, ok := rr.Cost(from, to, s.moveLimit(m.quota)); ok {
				pays++
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(moves)), "ns/screen")
	b.ReportMetric(float64(pays), "pay")
}

// incumbentMoves fixes the search's incumbent on the flow (fixIncumbent)
// and returns the Rerouter that screens on it and the moves within
// schools that the local search's batch pass takes, in its order.
func incumbentMoves(tb testing.TB, s *search) (*flow.Rerouter, []lsMove) {
	tb.Helper()
	s.setBounds(nil)
	y := s.incumbentY()
	lo, hi := slices.Clone(s.lo), slices.Clone(s.hi) // the free bounds: fixIncumbent fixes them
	rr := s.newRerouter()
	if !s.fixIncumbent(rr, y, s.pi) {
		tb.Fatal("incumbent's flow not at hand")
	}
	bySchool := s.classesBySchool()
	qt := newQuotaTerms(s.in, s.nt, y)
	return rr, schoolMoves(slices.Sorted(maps.Keys(bySchool)), bySchool, y, lo, hi, qt)
}
