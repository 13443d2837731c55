package solver

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"rotaplan/gen"
	"rotaplan/model"
)

// TestSparseNetworkExact holds a sparse network (each class starting with
// its cheapest moves, the rest priced in) to the full one: the same
// Lagrangian value at random multipliers and under random departure bounds,
// including bounds that leave no flow, while the sparse graph keeps fewer
// move arcs.
func TestSparseNetworkExact(t *testing.T) {
	sc := gen.Generate(gen.Options{Schools: 25, Seed: 9})
	policyVariants[1].apply(sc) // binding backbone shares: more rows
	in, err := model.Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	full := buildNetwork(in, 0)
	defer func(k int) { sparseMoves = k }(sparseMoves)
	sparseMoves = 1 // one move per class to start with: forced departures soon need the others
	sparse := buildNetwork(in, 1)
	if len(full.outside) != 0 || len(sparse.outside) == 0 {
		t.Fatalf("outside moves: full %d, sparse %d", len(full.outside), len(sparse.outside))
	}
	rf, rs := newRelaxation(full), newRelaxation(sparse)
	r := rand.New(rand.NewPCG(3, 5))
	infeasible := 0
	for trial := range 60 {
		pi := make([]float64, len(rf.rows))
		for i := range pi {
			if r.IntN(2) == 0 {
				pi[i] = r.Float64() * rf.rows[i].hi
			}
		}
		// Bounds as branching and the heuristics set them.
		for _, nt := range []*network{full, sparse} {
			for c := range nt.classes {
				nt.g.SetLower(int(nt.dep[c]), nt.lower(c))
				nt.g.SetCapacity(int(nt.dep[c]), nt.upper(c))
			}
		}
		rb := rand.New(rand.NewPCG(uint64(trial), 1))
		for range trial % 7 * 5 {
			c := rb.IntN(len(full.classes))
			hi := int64(rb.IntN(int(full.upper(c)) + 1))
			lo := max(full.lower(c), hi-int64(rb.IntN(2)))
			if rb.IntN(9) == 0 {
				lo = full.upper(c) // may force more departures than the cells take
			}
			for _, nt := range []*network{full, sparse} {
				nt.g.SetCapacity(int(nt.dep[c]), max(hi, lo))
				nt.g.SetLower(int(nt.dep[c]), lo)
			}
		}
		if trial%3 == 2 {
			// Many classes all leaving: the cells their cheapest moves
			// reach fill up, and only moves still outside can place them.
			for c := range full.classes {
				if rb.IntN(12) < trial%4 {
					for _, nt := range []*network{full, sparse} {
						nt.g.SetLower(int(nt.dep[c]), 1)
					}
				}
			}
		}
		Lf, okf := rf.evaluate(pi)
		Ls, oks := rs.evaluate(pi)
		if okf != oks {
			t.Fatalf("trial %d: full feasible %v, sparse %v", trial, okf, oks)
		}
		if !okf {
			infeasible++
			continue
		}
		if math.Abs(Lf-Ls) > 1e-6*math.Max(1, math.Abs(Lf)) {
			t.Fatalf("trial %d: L full %.9f, sparse %.9f", trial, Lf, Ls)
		}
		if trial == 0 && sparse.g.NumArcs() >= full.g.NumArcs() {
			t.Errorf("sparse graph has %d arcs after a solve, the full one %d", sparse.g.NumArcs(), full.g.NumArcs())
		}
	}
	if infeasible == 0 {
		t.Error("no trial left the flow infeasible")
	}
	t.Logf("full %d arcs, sparse %d (%d priced in, %d rounds), %d infeasible trials", full.g.NumArcs(), sparse.g.NumArcs(), sparse.priced, sparse.rounds, infeasible)
}

// TestSparseNetworkForcedDepartures forces departures of every subset of
// the tiny county's classes (at most 2^12 subsets) on a network that
// starts with one move per class: where the cheapest moves cannot place
// the forced teachers, the sparse flow must price the others in rather
// than report no flow, and its value must be the full network's.
func TestSparseNetworkForcedDepartures(t *testing.T) {
	in := loadTiny(t)
	defer func(k int) { sparseMoves = k }(sparseMoves)
	sparseMoves = 1
	full := buildNetwork(in, 0)
	C := min(len(full.classes), 12)
	both, needOutside := 0, 0
	for mask := range 1 << C {
		sparse := buildNetwork(in, 1)
		for _, nt := range []*network{full, sparse} {
			for c := range nt.classes {
				lo := nt.lower(c)
				if c < C && mask&(1<<c) != 0 {
					lo = 1
				}
				nt.g.SetLower(int(nt.dep[c]), lo)
			}
		}
		rf, rs := newRelaxation(full), newRelaxation(sparse)
		pi := make([]float64, len(rf.rows))
		Lf, okf := rf.evaluate(pi)
		Ls, oks := rs.evaluate(pi)
		if okf != oks {
			t.Fatalf("forced classes %b: full feasible %v, sparse %v", mask, okf, oks)
		}
		if okf {
			both++
			if math.Abs(Lf-Ls) > 1e-6*math.Max(1, math.Abs(Lf)) {
				t.Fatalf("forced classes %b: L full %.9f, sparse %.9f", mask, Lf, Ls)
			}
			if sparse.priced > 0 {
				needOutside++
			}
		}
	}
	t.Logf("%d classes, %d feasible subsets, %d of them priced outside moves in", C, both, needOutside)
	if needOutside == 0 {
		t.Error("no subset needed an outside move")
	}
}

// benchNetwork solves the flow of a generated county twice, at zero
// multipliers and at half their caps, on the full network (maxMoves 0) or
// a sparse one: the cost of a cold solve and of a warm one after a large
// change of the dep costs, pricing rounds included.
func benchNetwork(b *testing.B, schools, maxMoves int) {
	in, err := model.Compile(gen.Generate(gen.Options{Schools: schools, Seed: 1}))
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		nt := buildNetwork(in, maxMoves)
		rl := newRelaxation(nt)
		pi := make([]float64, len(rl.rows))
		if _, ok := rl.evaluate(pi); !ok {
			b.Fatal("infeasible")
		}
		for i := range pi {
			pi[i] = rl.rows[i].hi / 2
		}
		if _, ok := rl.evaluate(pi); !ok {
			b.Fatal("infeasible")
		}
		b.ReportMetric(float64(nt.g.NumArcs()), "arcs")
	}
}

// 300 schools: about 24,000 teachers, 416,000 arcs in full, 84,000 sparse
// after both solves (about 1.8x less time on 2 cores, 2026-11-30).
func BenchmarkNetworkFull300(b *testing.B)   { benchNetwork(b, 300, 0) }
func BenchmarkNetworkSparse300(b *testing.B) { benchNetwork(b, 300, 1) }

// TestSchoolRINSRestores runs the school neighbourhood after a short branch
// and price: it may only improve the incumbent (every plan it offers is
// scored by model.Evaluate and kept by the hard rules), and it must give
// back the search's own class bounds.
func TestSchoolRINSRestores(t *testing.T) {
	sc := gen.Generate(gen.Options{Schools: 20, Seed: 2001})
	policyVariants[1].apply(sc)
	in, err := model.Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	nt := buildNetwork(in, 0)
	rl := newRelaxation(nt)
	sr := newSearch(context.Background(), Settings{}, nt, rl)
	sr.budget = 3000
	sr.pi = make([]float64, len(rl.rows))
	sr.pool = &columnPool{seen: map[uint64][]int32{}}
	sr.masterCap = masterCapWork
	rl.onFlow = func() { sr.pool.collect(rl) }
	sr.ascend(sr.pi, 50)
	sr.priceAndBranch(5, 0)
	if !sr.haveBest || sr.rootY == nil {
		t.Fatal("no plan or no root LP")
	}
	before, roots := sr.bestZ, len(sr.rootBounds)
	sr.stopped = false
	sr.budget = rl.solves + 1000
	sr.schoolRINS(50)
	if sr.bestZ > before {
		t.Errorf("Z %.6f after, %.6f before", sr.bestZ, before)
	}
	if len(sr.rootBounds) != roots || len(sr.applied) != roots {
		t.Errorf("bounds left: %d root bounds (had %d), %d classes bounded (want the root bounds only)", len(sr.rootBounds), roots, len(sr.applied))
	}
	if err := hardRulesOK(in, sr.best); err != nil {
		t.Fatal(err)
	}
	if z := model.Evaluate(in, sr.best).Terms.Total(); math.Abs(z-sr.bestZ) > 1e-6*math.Max(1, math.Abs(z)) {
		t.Errorf("incumbent Z %.6f, evaluated %.6f", sr.bestZ, z)
	}
	t.Logf("Z %.6f -> %.6f", before, sr.bestZ)
}

// TestPickOutsideParts holds the parallel scan of the outside moves to the
// serial one: the same moves, in the same order, however many parts the
// list is split into (the split falls inside a class's moves unless moved
// to its end). It fails if a part boundary splits a class (a class would
// get more than its share) or the parts come back out of order.
func TestPickOutsideParts(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	const classes, cells = 3000, 400
	var out []moveArc
	for c := range classes {
		for range 1 + r.IntN(40) {
			cell := int32(r.IntN(cells))
			if r.IntN(10) == 0 {
				cell = -1 // a hole
			}
			out = append(out, moveArc{class: int32(c), cell: cell, cost: r.Float64() * 10})
		}
	}
	pot := make([]float64, cells+1+classes)
	for v := range pot {
		pot[v] = r.Float64() * 12
	}
	flat := func(p [][]int) []int {
		var all []int
		for _, x := range p {
			all = append(all, x...)
		}
		return all
	}
	want := flat(pickOutside(out, pot, cells+1, 1))
	if len(want) < classes/2 {
		t.Fatalf("only %d moves picked", len(want))
	}
	for _, parts := range []int{2, 3, 7, 64} {
		if got := flat(pickOutside(out, pot, cells+1, parts)); !slices.Equal(got, want) {
			t.Fatalf("%d parts: %d moves, serial %d (or another order)", parts, len(got), len(want))
		}
	}
}

// TestNetworkWithout holds the restricted network of reduced-cost fixing
// to the whole one: without move arcs of positive reduced cost that carry
// no flow, the Lagrangian value at the same multipliers is the same (the
// optimum kept every arc it uses), and every later evaluation is at least
// the whole network's (fewer arcs never make a flow cheaper); without an
// arc that carries flow it is never lower. The dep arcs, cell arcs and
// classes stay as they were. It fails if a kept move loses its class,
// cell or cost, or a pinned class its forced departure.
func TestNetworkWithout(t *testing.T) {
	sc := gen.Generate(gen.Options{Schools: 20, Seed: 21})
	in, err := model.Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	full := buildNetwork(in, 0)
	rf := newRelaxation(full)
	r := rand.New(rand.NewPCG(7, 8))
	randomPi := func() []float64 {
		pi := make([]float64, len(rf.rows))
		for i := range pi {
			if r.IntN(2) == 0 {
				pi[i] = r.Float64() * rf.rows[i].hi
			}
		}
		return pi
	}
	dropped := 0
	for trial := range 10 {
		pi := randomPi()
		L, ok := rf.evaluate(pi)
		if !ok {
			t.Fatal("infeasible")
		}
		drop := make([]bool, len(full.moveClass))
		var used int
		for i := range drop {
			a := full.moveFirst + i
			switch {
			case full.g.Flow(a) == 0 && full.g.ReducedCost(a) > 1e-9:
				drop[i] = true
				dropped++
			case full.g.Flow(a) > 0:
				used = i
			}
		}
		part := full.without(drop)
		if part.g.NumArcs() >= full.g.NumArcs() || len(part.dep) != len(full.dep) || len(part.cellArcs) != len(full.cellArcs) || part.arcs != full.arcs {
			t.Fatalf("trial %d: %d arcs of %d, %d dep arcs, %d cell arcs", trial, part.g.NumArcs(), full.g.NumArcs(), len(part.dep), len(part.cellArcs))
		}
		rp := newRelaxation(part)
		Lp, ok := rp.evaluate(pi)
		tol := 1e-7 * math.Max(1, math.Abs(L))
		if !ok || math.Abs(Lp-L) > tol {
			t.Fatalf("trial %d: restricted L %.9f (%v), whole %.9f", trial, Lp, ok, L)
		}
		for range 3 {
			pi2 := randomPi()
			L2, ok := rf.evaluate(pi2)
			Lp2, okp := rp.evaluate(pi2)
			if ok && okp && Lp2 < L2-tol {
				t.Fatalf("trial %d: restricted L %.9f below whole %.9f", trial, Lp2, L2)
			}
		}
		// Without an arc the optimum uses, L cannot go down.
		drop[used] = true
		rq := newRelaxation(full.without(drop))
		if Lq, ok := rq.evaluate(pi); ok && Lq < L-tol {
			t.Fatalf("trial %d: without a used arc L %.9f, whole %.9f", trial, Lq, L)
		}
		for c := range full.classes {
			if part.g.Lower(int(part.dep[c])) != full.lower(c) {
				t.Fatalf("trial %d: class %d lower bound %d", trial, c, part.g.Lower(int(part.dep[c])))
			}
		}
	}
	if dropped < 1000 {
		t.Fatalf("only %d arcs dropped", dropped)
	}
}

// BenchmarkBuildNetwork1000 builds the sparse network of a generated city of
// 1,000 schools (4.9 million possible moves, 79,000 teachers). Counting
// the moves before allocating them took the first build of a process from
// 3.6 s to 0.95 s in a whole run; here 3.27 s and 967 MB allocated per
// build before, 0.67 s and 217 MB after (2 cores, 2026-12-05).
func BenchmarkBuildNetwork1000(b *testing.B) {
	in, err := model.Compile(gen.Generate(gen.Options{Schools: 1000, Seed: 1}))
	if err != nil {
		b.Fatal(err)
	}
	var nt *network
	for b.Loop() {
		nt = buildNetwork(in, sparseArcs)
	}
	b.ReportMetric(float64(nt.arcs), "arcs")
	b.ReportMetric(float64(len(nt.outside)), "outside")
}
