package flow

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestRerouterAgainstSolve holds Rerouter.Cost to a cold solve with the
// changed supplies, on random networks with fixed arcs (lower = capacity),
// for one to three units, and checks that a limit under the cost refuses,
// that a limit over it answers, and that the Graph is left as it was.
func TestRerouterAgainstSolve(t *testing.T) {
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
		flows := make([]int64, len(in.from))
		for a := range flows {
			flows[a] = g.Flow(a)
		}
		base := g.Cost()
		for range 5 {
			k := 1 + r.IntN(3)
			var from, to []int32
			for range k {
				from = append(from, int32(r.IntN(in.n)))
				to = append(to, int32(r.IntN(in.n)))
			}
			changed := *in
			changed.supply = slices.Clone(in.supply)
			for i := range k {
				changed.supply[from[i]]++
				changed.supply[to[i]]--
			}
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
