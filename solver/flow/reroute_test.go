package flow

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestRerouterAgainstSolve holds Rerouter.Cost to a cold solve with the
// changed supplies, on random networks with fixed arcs (lower = capacity),
// for one to three units, and checks that a limit under the cost refuses,
// that a limit over it answers, and that the Graph is left as it was.
func TestRerouterAgainstSolve(t *testing.T) { bothLifts(t, testRerouterAgainstSolve) }

func testRerouterAgainstSolve(t *testing.T, lift bool) {
	r := rand.New(rand.NewPCG(11, 12))
	checked, infeasible := 0, 0
	for trial := range 300 {
		in := randInstance(r, genOpts{maxN: 12, maxM: 40, maxCap: 4, lowerProb: 0.15, supplyProb: 0.7})
		for a := range in.from {
			if r.IntN(8) == 0 { // a fixed arc, like a class's departures in a try
				in.lower[a] = in.upper[a]
			}
		}
		g := in.graph()
		if g.Solve() != Optimal {
			continue
		}
		rr := g.NewRerouter()
		if lift {
			rr.Lift(int32(trial % in.n))
			checkPotentials(t, rr)
		}
		flows := make([]int64, len(in.from))
		for a := range flows {
			flows[a] = g.Flow(a)
		}
		base := g.Cost()
		for range 5 {
			from, to, changed := randomChange(r, in, 1+r.IntN(3))
			cold := changed.graph()
			st := cold.Solve()
			got, ok := rr.Cost(from, to, math.Inf(1))
			for a := range flows {
				if g.Flow(a) != flows[a] {
					t.Fatalf("trial %d: Cost changed the flow on arc %d", trial, a)
				}
			}
			if st != Optimal {
				if ok {
					t.Fatalf("trial %d: %v -> %v: cold %v, Cost %g ok\n%v", trial, from, to, st, got, in)
				}
				infeasible++
				continue
			}
			want := cold.Cost() - base
			if !ok || math.Abs(got-want) > 1e-6*max(1, math.Abs(want)) {
				t.Fatalf("trial %d: %v -> %v: Cost %g %v, want %g\n%v", trial, from, to, got, ok, want, in)
			}
			if _, ok := rr.Cost(from, to, want-1e-3); ok {
				t.Fatalf("trial %d: limit under the cost %g answered", trial, want)
			}
			if v, ok := rr.Cost(from, to, want+1e-3); !ok || math.Abs(v-want) > 1e-6*max(1, math.Abs(want)) {
				t.Fatalf("trial %d: limit over the cost %g refused (%g %v)", trial, want, v, ok)
			}
			checked++
		}
		if !rr.Valid() {
			t.Fatalf("trial %d: Rerouter invalid without a change", trial)
		}
		if len(in.from) == 0 {
			continue
		}
		g.SetCost(0, g.ArcCost(0)+1)
		if rr.Valid() {
			t.Fatalf("trial %d: Rerouter valid after a cost change", trial)
		}
	}
	if checked < 500 || infeasible < 50 {
		t.Fatalf("only %d feasible and %d infeasible changes checked", checked, infeasible)
	}
}

// TestRerouterOutside prices on a network that holds only part of its arcs,
// the others offered by Outside: one unit's cost equals a cold solve of the
// whole network with the changed supplies, and more units never cost less.
func TestRerouterOutside(t *testing.T) { bothLifts(t, testRerouterOutside) }

func testRerouterOutside(t *testing.T, lift bool) {
	r := rand.New(rand.NewPCG(21, 22))
	exact := 0
	for trial := range 400 {
		in := randInstance(r, genOpts{maxN: 10, maxM: 40, maxCap: 4, supplyProb: 0.7})
		full := in.graph()
		if full.Solve() != Optimal {
			continue
		}
		// Leave out arcs without flow; keep the sparse network only when
		// its optimum prices every left-out arc (as pricing ensures).
		part := &instance{n: in.n, supply: in.supply}
		var out []int
		for a := range in.from {
			if full.Flow(a) == 0 && in.lower[a] == 0 && r.IntN(3) == 0 {
				out = append(out, a)
				continue
			}
			part.from = append(part.from, in.from[a])
			part.to = append(part.to, in.to[a])
			part.lower = append(part.lower, in.lower[a])
			part.upper = append(part.upper, in.upper[a])
			part.cost = append(part.cost, in.cost[a])
		}
		g := part.graph()
		if g.Solve() != Optimal || len(out) == 0 {
			continue
		}
		priced := true
		for _, a := range out {
			if in.upper[a] > 0 && in.cost[a]-g.Potential(in.from[a])+g.Potential(in.to[a]) < -1e-9 {
				priced = false
			}
		}
		if !priced {
			continue
		}
		rr := g.NewRerouter()
		// Per node, its left-out arcs (capacity 0: skipped, to -1).
		start := make([]int32, in.n+1)
		var to []int32
		var cost []float64
		for v := range in.n {
			for _, a := range out {
				if in.from[a] == v {
					if in.upper[a] > 0 {
						to = append(to, int32(in.to[a]))
					} else {
						to = append(to, -1)
					}
					cost = append(cost, in.cost[a])
				}
			}
			start[v+1] = int32(len(to))
		}
		rr.SetOutside(0, start, to, cost)
		if lift {
			rr.Lift(int32(trial % in.n))
			checkPotentials(t, rr)
		}
		for range 5 {
			k := 1 + r.IntN(2)
			from, to, changed := randomChange(r, in, k)
			cold := changed.graph()
			st := cold.Solve()
			got, ok := rr.Cost(from, to, math.Inf(1))
			if st != Optimal {
				continue
			}
			want := cold.Cost() - full.Cost()
			switch {
			case k == 1 && (!ok || math.Abs(got-want) > 1e-6*max(1, math.Abs(want))):
				t.Fatalf("trial %d: %v -> %v: Cost %g %v, whole network %g\n%v", trial, from, to, got, ok, want, in)
			case ok && got < want-1e-6*max(1, math.Abs(want)):
				t.Fatalf("trial %d: %d units cost %g, below the whole network's %g", trial, k, got, want)
			}
			if k == 1 {
				exact++
				// The limit prunes the search, outside arcs included.
				if v, ok := rr.Cost(from, to, want+1e-3); !ok || math.Abs(v-want) > 1e-6*max(1, math.Abs(want)) {
					t.Fatalf("trial %d: limit over the cost %g refused (%g %v)", trial, want, v, ok)
				}
				if _, ok := rr.Cost(from, to, want-1e-3); ok {
					t.Fatalf("trial %d: limit under the cost %g answered", trial, want)
				}
			}
		}
	}
	if exact < 200 {
		t.Fatalf("only %d single units checked", exact)
	}
}

// TestRerouterApply applies changes one after another (successive shortest
// paths across calls) and holds the running total to cold solves of the
// accumulated supplies, Cost on top of them too; Undo restores the flow.
func TestRerouterApply(t *testing.T) { bothLifts(t, testRerouterApply) }

func testRerouterApply(t *testing.T, lift bool) {
	r := rand.New(rand.NewPCG(31, 32))
	steps := 0
	for trial := range 300 {
		in := randInstance(r, genOpts{maxN: 12, maxM: 40, maxCap: 4, lowerProb: 0.1, supplyProb: 0.7})
		g := in.graph()
		if g.Solve() != Optimal {
			continue
		}
		base := g.Cost()
		flows := make([]int64, len(in.from))
		for a := range flows {
			flows[a] = g.Flow(a)
		}
		rr := g.NewRerouter()
		if lift {
			rr.Lift(int32(trial % in.n))
		}
		acc := in
		total := 0.0
		for range 6 {
			from, to, next := randomChange(r, acc, 1+r.IntN(2))
			cold := next.graph()
			st := cold.Solve()
			peek, pok := rr.Cost(from, to, math.Inf(1))
			got, ok := rr.Apply(from, to, math.Inf(1))
			if st != Optimal {
				if ok || pok {
					t.Fatalf("trial %d: infeasible change priced", trial)
				}
				continue
			}
			want := cold.Cost() - base - total
			if !ok || !pok || math.Abs(got-want) > 1e-6*max(1, math.Abs(want)) || math.Abs(peek-got) > 1e-9*max(1, math.Abs(got)) {
				t.Fatalf("trial %d step: Apply %g %v, Cost %g %v, want %g", trial, got, ok, peek, pok, want)
			}
			total += got
			acc = next
			steps++
		}
		rr.Undo()
		for a := range flows {
			if g.Flow(a) != flows[a] {
				t.Fatalf("trial %d: Undo left arc %d at %d, was %d", trial, a, g.Flow(a), flows[a])
			}
		}
		if v, ok := rr.Cost(nil, nil, 1); !ok || v != 0 {
			t.Fatalf("trial %d: empty change %g %v", trial, v, ok)
		}
	}
	if steps < 500 {
		t.Fatalf("only %d steps", steps)
	}
}

// TestRerouterFork holds a fork to its origin: after every Apply and a
// Sync, and after Undo and a Sync, a fork prices every change exactly as
// the origin does (same value, same answer under a limit), leaves the
// Graph's flow alone, and refuses to Apply. It fails if a fork reads the
// Graph's flow instead of its copy, or a Sync misses the potentials that
// Apply left.
func TestRerouterFork(t *testing.T) { bothLifts(t, testRerouterFork) }

func testRerouterFork(t *testing.T, lift bool) {
	r := rand.New(rand.NewPCG(41, 42))
	checks := 0
	for trial := range 200 {
		in := randInstance(r, genOpts{maxN: 12, maxM: 40, maxCap: 4, lowerProb: 0.1, supplyProb: 0.7})
		g := in.graph()
		if g.Solve() != Optimal {
			continue
		}
		rr := g.NewRerouter()
		early := rr.Fork() // made before any Apply: Sync must bring it up to date
		if lift {
			rr.Lift(int32(trial % in.n)) // after the fork: Sync must bring the lifted potentials too
		}
		acc := in
		compare := func(step string, f *Rerouter) {
			for range 4 {
				from, to, _ := randomChange(r, acc, 1+r.IntN(3))
				limit := math.Inf(1)
				if r.IntN(2) == 0 {
					limit = r.Float64()*20 - 5
				}
				flows := make([]int64, len(in.from))
				for a := range flows {
					flows[a] = g.Flow(a)
				}
				want, wok := rr.Cost(from, to, limit)
				got, ok := f.Cost(from, to, limit)
				if ok != wok || (ok && got != want) {
					t.Fatalf("trial %d %s: fork %g %v, origin %g %v", trial, step, got, ok, want, wok)
				}
				for a := range flows {
					if g.Flow(a) != flows[a] {
						t.Fatalf("trial %d %s: a Cost moved arc %d", trial, step, a)
					}
				}
				checks++
			}
		}
		for step := range 4 {
			from, to, next := randomChange(r, acc, 1+r.IntN(2))
			if _, ok := rr.Apply(from, to, math.Inf(1)); !ok {
				continue
			}
			acc = next
			early.Sync()
			compare(fmt.Sprintf("after apply %d", step), early)
			compare(fmt.Sprintf("new fork after apply %d", step), rr.Fork())
			if _, ok := early.Apply(from, to, math.Inf(1)); ok {
				t.Fatalf("trial %d: a fork applied a change", trial)
			}
		}
		rr.Undo()
		acc = in
		early.Sync()
		compare("after undo", early)
	}
	if checks < 2000 {
		t.Fatalf("only %d checks", checks)
	}
}

// bothLifts runs a Rerouter test on the simplex's potentials and on
// lifted ones (Rerouter.Lift, from a node the test picks): every answer
// must be the same.
func bothLifts(t *testing.T, test func(t *testing.T, lift bool)) {
	for _, lift := range []bool{false, true} {
		t.Run(fmt.Sprint("lift=", lift), func(t *testing.T) { test(t, lift) })
	}
}

// checkPotentials fails unless every residual arc, outside arcs included,
// has a reduced cost >= 0 at the potentials rr prices with (Lift's must
// be optimal potentials too), and unless they differ from the Graph's
// somewhere when the hub reaches a node at a positive distance.
func checkPotentials(t *testing.T, rr *Rerouter) {
	t.Helper()
	g, pi := rr.g, rr.pot()
	tol := 1e-9 * max(1, g.eps*1e9)
	for a := range g.m {
		rc := g.cost[a] + pi[g.src[a]] - pi[g.tgt[a]]
		if (g.flow[a] < g.capR[a] && rc < -tol) || (g.flow[a] > 0 && rc > tol) {
			t.Fatalf("arc %d (%d->%d, flow %d of %d): reduced cost %g at the lifted potentials", a, g.src[a], g.tgt[a], g.flow[a], g.capR[a], rc)
		}
	}
	for i := 0; i+1 < len(rr.outStart); i++ {
		u := rr.outFirst + int32(i)
		for k := rr.outStart[i]; k < rr.outStart[i+1]; k++ {
			if v := rr.outTo[k]; v >= 0 {
				if rc := rr.outCost[k] + pi[u] - pi[v]; rc < -tol {
					t.Fatalf("outside arc %d->%d: reduced cost %g at the lifted potentials", u, v, rc)
				}
			}
		}
	}
}

// randomChange draws k senders and k receivers among in's nodes and
// returns them with a copy of in whose supplies they change (a sender's
// up by one, a receiver's down by one).
func randomChange(r *rand.Rand, in *instance, k int) (from, to []int32, changed *instance) {
	for range k {
		from = append(from, int32(r.IntN(in.n)))
		to = append(to, int32(r.IntN(in.n)))
	}
	c := *in
	c.supply = slices.Clone(in.supply)
	for i := range k {
		c.supply[from[i]]++
		c.supply[to[i]]--
	}
	return from, to, &c
}

// TestRerouterMaxSettled caps the nodes a search settles: every change a
// capped Cost answers costs what the uncapped one says, a cap of one node
// refuses changes that need a longer search, and Apply ignores the cap.
func TestRerouterMaxSettled(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	answered, refused := 0, 0
	for range 200 {
		in := randInstance(r, genOpts{maxN: 14, maxM: 50, maxCap: 4, lowerProb: 0.1, supplyProb: 0.7})
		g := in.graph()
		if g.Solve() != Optimal {
			continue
		}
		rr := g.NewRerouter()
		for range 5 {
			from, to, _ := randomChange(r, in, 1+r.IntN(2))
			want, wantOK := rr.Cost(from, to, math.Inf(1))
			for _, limit := range []int{1, 3, 1 << 20} {
				rr.MaxSettled = limit
				got, ok := rr.Cost(from, to, math.Inf(1))
				switch {
				case ok && (!wantOK || math.Abs(got-want) > 1e-9*max(1, math.Abs(want))):
					t.Fatalf("cap %d: %v -> %v: Cost %g, uncapped %g %v", limit, from, to, got, want, wantOK)
				case ok:
					answered++
				case wantOK && limit == 1<<20:
					t.Fatalf("a cap above the network's size refused %v -> %v", from, to)
				case wantOK:
					refused++
				}
			}
			rr.MaxSettled = 1
			if wantOK {
				if got, ok := rr.Apply(from, to, math.Inf(1)); !ok || math.Abs(got-want) > 1e-9*max(1, math.Abs(want)) {
					t.Fatalf("Apply under a cap of 1: %g %v, want %g", got, ok, want)
				}
				rr.Undo()
			}
			rr.MaxSettled = 0
		}
	}
	if answered < 300 || refused < 100 {
		t.Fatalf("only %d capped answers and %d refusals", answered, refused)
	}
}
