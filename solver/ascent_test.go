package solver

import (
	"context"
	"math"
	"testing"

	"rotaplan/gen"
	"rotaplan/model"
)

// TestScaledAscentNearerLP holds the ascent's two step rules to the root
// LP (column generation, itself held to CBC's LP relaxation by
// TestRootLPAgainstCBCRelaxation): after the same number of steps, from
// zero multipliers, each bound is at most the LP value, and the scaled
// steps that the large path takes (AdaGrad) end nearer to it than the
// plain Polyak steps do, on most counties and in sum (on the first,
// 40 schools, the plain steps are nearer; from 60 schools on the
// scaled ones, 0.60% below the LP at 150 schools against 1.27%).
func TestScaledAscentNearerLP(t *testing.T) {
	if testing.Short() {
		t.Skip("solves column generation to optimality on several counties")
	}
	const steps = 50
	var gapPlain, gapScaled, gapBundle float64
	nearer, bundleNearer, counties := 0, 0, 0
	for _, c := range []struct {
		schools int
		seed    uint64
		variant int
	}{{40, 1, 0}, {40, 2, 1}, {60, 3, 0}, {60, 4, 2}, {100, 5, 4}, {150, 1, 0}} {
		sc := gen.Generate(gen.Options{Schools: c.schools, Seed: c.seed})
		policyVariants[c.variant].apply(sc)
		in, err := model.Compile(sc)
		if err != nil {
			t.Fatal(err)
		}
		ascent := func(scaled, bundle bool) (*search, float64) {
			nt := buildNetwork(in, 1)
			rl := newRelaxation(nt)
			s := newSearch(context.Background(), Settings{}, nt, rl)
			s.budget = 20000
			s.pi = make([]float64, len(rl.rows))
			s.scaledSteps = scaled
			asc := s.ascend
			if bundle {
				asc = s.bundleAscend
			}
			b, ok := asc(s.pi, steps)
			if !ok {
				t.Fatal("ascent: infeasible")
			}
			return s, b
		}
		_, plain := ascent(false, false)
		_, bundle := ascent(false, true)
		s, scaled := ascent(true, false)
		s.pool = &columnPool{seen: map[uint64][]int32{}}
		s.rl.onFlow = func() { s.pool.collect(s.rl) }
		s.ascend(s.pi, 20)
		res := s.nodeLP(&node{pi: append([]float64(nil), s.pi...), lb: math.Inf(-1)})
		if res.status != lpSolved {
			t.Fatalf("root LP status %d", res.status)
		}
		lp := res.lb
		scale := math.Max(1, math.Abs(lp))
		if plain > lp+1e-6*scale || scaled > lp+1e-6*scale || bundle > lp+1e-6*scale {
			t.Fatalf("%d schools, seed %d: a bound above the LP %.6f: plain %.6f, scaled %.6f, bundle %.6f", c.schools, c.seed, lp, plain, scaled, bundle)
		}
		counties++
		if scaled > plain {
			nearer++
		}
		gapPlain += (lp - plain) / scale
		gapScaled += (lp - scaled) / scale
		gapBundle += (lp - bundle) / scale
		if bundle > scaled {
			bundleNearer++
		}
		t.Logf("%d schools, seed %d, %s: LP %.4f; after %d steps plain %.4f (%.3f%% below), scaled %.4f (%.3f%% below), bundle %.4f (%.3f%% below)",
			c.schools, c.seed, policyVariants[c.variant].name, lp, steps, plain, 100*(lp-plain)/scale, scaled, 100*(lp-scaled)/scale, bundle, 100*(lp-bundle)/scale)
	}
	// 2026-12-05: the bundle nearer on 5 of 6, 3.5% below in sum
	// (exact to 0.001% on four), scaled steps 88.7% (87.5% of it on the
	// binding backbone shares at 40 schools, the bundle's 2.75%).
	if gapBundle >= gapScaled || 2*bundleNearer <= counties {
		t.Errorf("bundle steps nearer the LP than scaled ones on %d of %d counties, %.4f%% below it in sum", bundleNearer, counties, 100*gapBundle)
	}
	if gapScaled >= gapPlain || 2*nearer <= counties {
		t.Errorf("scaled steps nearer the LP on %d of %d counties, %.4f%% below it in sum, plain ones %.4f%%", nearer, counties, 100*gapScaled, 100*gapPlain)
	}
}
