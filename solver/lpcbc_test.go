package solver

import (
	"context"
	"math"
	"testing"

	"rotaplan/gen"
	"rotaplan/mip"
	"rotaplan/model"
)

// TestRootLPAgainstCBCRelaxation holds the root LP of branch and price
// (column generation over the flows, before any envelope cut) to CBC's
// optimum of the exported MIP's LP relaxation, on generated counties under
// policies whose rows differ (binding backbone shares, tier and group
// quotas, a source deficit), dense and sparse. The two formulations share
// nothing but the spec: a lost row, a wrong coefficient or a column
// generation that stops early shows as a difference.
func TestRootLPAgainstCBCRelaxation(t *testing.T) {
	needCBC(t)
	for _, v := range []int{0, 1, 2, 4} { // standard, binding backbone, weights and deficit, tiers and groups
		for _, sparse := range []int{0, 1} {
			name := policyVariants[v].name
			if sparse > 0 {
				name += "_sparse"
			}
			t.Run(name, func(t *testing.T) {
				sc := gen.Generate(gen.Options{Schools: 20, Seed: uint64(300 + v)})
				policyVariants[v].apply(sc)
				in, err := model.Compile(sc)
				if err != nil {
					t.Fatal(err)
				}
				sol, err := mip.SolveCBCRelaxation(context.Background(), mip.Build(in), t.TempDir())
				if err != nil {
					t.Fatal(err)
				}
				if sol.Status != "Optimal" {
					t.Fatalf("cbc LP status %q", sol.Status)
				}
				want := sol.Objective
				nt := buildNetwork(in, sparse)
				rl := newRelaxation(nt)
				s := newSearch(context.Background(), Settings{}, nt, rl)
				s.budget = 20000
				s.pi = make([]float64, len(rl.rows))
				s.pool = &columnPool{seen: map[uint64][]int32{}}
				rl.onFlow = func() { s.pool.collect(rl) }
				s.ascend(s.pi, 20)
				res := s.nodeLP(&node{pi: append([]float64(nil), s.pi...), lb: math.Inf(-1)})
				if res.status != lpSolved {
					t.Fatalf("root LP status %d", res.status)
				}
				if d := math.Abs(res.lb - want); d > 1e-6*math.Max(1, math.Abs(want)) {
					t.Errorf("root LP %.9f, CBC's LP relaxation %.9f (%d rows, %d classes)", res.lb, want, len(rl.rows), len(nt.classes))
				}
				t.Logf("root LP %.6f, CBC %.6f, %d flow solves", res.lb, want, rl.solves)
			})
		}
	}
}
