package solver

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"rotaplan/gen"
	"rotaplan/model"
)

// policyVariants rewrite a generated county's policy and weights so the
// comparison with CBC covers what the generator's standard policy leaves
// out: binding backbone shares, quotas on tiers and groups, a county quota
// that binds, other weights, a source deficit, no routes, a tight max_km,
// other backbone levels, many volunteers and exemptions.
type policyVariant struct {
	name  string
	apply func(sc *model.Scenario)
}

var policyVariants = []policyVariant{
	{"standard", func(*model.Scenario) {}},
	{"binding_backbone", func(sc *model.Scenario) {
		sc.Policy.Quotas = []model.Quota{
			{Name: "urban", From: model.Selector{Category: []string{model.Urban}}, Each: true, MinShare: 0.10, MinBackboneShare: 0.40},
			{Name: "town", From: model.Selector{Category: []string{model.Town}}, Each: true, MinShare: 0.15, MinBackboneShare: 0.30},
			{Name: "county", Each: false, MinShare: 0.12, MinBackboneShare: 0.25},
		}
	}},
	{"weights_deficit", func(sc *model.Scenario) {
		sc.Objective = model.Weights{Quota: 400, Backbone: 3000, Fill: 150, Deficit: 50, Km: 2, Wish: 120}
		sc.Policy.Limits.SourceDeficit = 1
		sc.Policy.Limits.MaxOutflowShare = ptr(0.10)
	}},
	{"open_routes", func(sc *model.Scenario) {
		sc.Policy.Routes = nil
		sc.Policy.Limits.MaxKm = ptr(25.0)
		sc.Policy.Eligibility.AgeLimitMale, sc.Policy.Eligibility.AgeLimitFemale = nil, nil
		sc.Policy.Eligibility.CooldownYears = ptr(5)
		sc.Policy.BackboneLevels = []string{"city", "province"}
	}},
	{"tiers_groups", func(sc *model.Scenario) {
		sc.Policy.Quotas = []model.Quota{
			{Name: "tier1", From: model.Selector{Tier: []int{1}}, Each: true, MinShare: 0.20, MinBackboneShare: 0.50},
			{Name: "groups", From: model.Selector{Category: []string{model.Urban, model.Town}}, Each: false, MinShare: 0.08, MinBackboneShare: 0.20},
		}
		sc.Policy.Limits.MaxOutflowShare = nil
		sc.Policy.Routes = []model.Route{{SameGroup: true}, {To: model.Selector{Category: []string{model.Rural}}}}
	}},
	{"pins_forbids", func(sc *model.Scenario) {
		// Decisions taken on a plan of the county as it is: some of its
		// moves pinned, some of its movers forbidden to move at all or to
		// their destination, so the optimum must differ from that plan.
		in, err := model.Compile(sc)
		if err != nil {
			panic(err)
		}
		res, err := Solve(context.Background(), in, &Settings{MaxSolves: 200})
		if err != nil {
			panic(err)
		}
		for i, m := range res.Moves {
			t, to := sc.Teachers[m.Teacher].ID, sc.Schools[m.To].ID
			switch i % 9 {
			case 0:
				// Only pins that keep the rules alone (spec §3: pins that
				// break one mean there is no plan, a case of its own).
				sc.Pins = append(sc.Pins, model.Pin{Teacher: t, To: to, Subject: in.Subjects[m.Subject]})
				if in2, err := model.Compile(sc); err != nil || len(model.PinConflicts(in2)) > 0 {
					sc.Pins = sc.Pins[:len(sc.Pins)-1]
				}
			case 3:
				sc.Forbids = append(sc.Forbids, model.Forbid{Teacher: t})
			case 6:
				sc.Forbids = append(sc.Forbids, model.Forbid{Teacher: t, To: to})
			}
		}
	}},
	{"volunteers_exempt", func(sc *model.Scenario) {
		// Many volunteers (movable whatever their eligibility) and
		// exemptions: a 20-school county of this kind (seed 20040) needed
		// the subgradient tree after branch and price to reach the optimum.
		for i := range sc.Teachers {
			if i%7 == 0 {
				sc.Teachers[i].Volunteer = true
			}
			if i%11 == 0 {
				sc.Teachers[i].Exempt = "病休"
			}
		}
	}},
}

func ptr[T any](v T) *T { return &v }

// TestPolicyVariantsAgainstCBC holds Solve's Z to CBC's optimum on generated
// counties under every policy variant. ROTAPLAN_VARIANT_SCHOOLS (comma
// separated) runs other sizes than the default 15.
func TestPolicyVariantsAgainstCBC(t *testing.T) {
	needCBC(t)
	sizes := []int{15}
	if env := os.Getenv("ROTAPLAN_VARIANT_SCHOOLS"); env != "" {
		sizes = nil
		for _, f := range strings.Split(env, ",") {
			n, err := strconv.Atoi(f)
			if err != nil {
				t.Fatal(err)
			}
			sizes = append(sizes, n)
		}
	}
	type variantCase struct {
		schools, variant int
		seed             uint64
	}
	var cases []variantCase
	for _, n := range sizes {
		for i := range policyVariants {
			cases = append(cases, variantCase{n, i, uint64(100*n + i)})
		}
	}
	// Counties that once missed the optimum, run whatever the sizes.
	volunteers := slices.IndexFunc(policyVariants, func(v policyVariant) bool { return v.name == "volunteers_exempt" })
	cases = append(cases, variantCase{20, volunteers, 20040}) // needed the subgradient tree after branch and price (treeShare)
	for _, c := range cases {
		n, v := c.schools, policyVariants[c.variant]
		name := fmt.Sprintf("schools%d_%s", n, v.name)
		if c.seed != uint64(100*n+c.variant) {
			name += fmt.Sprintf("_seed%d", c.seed)
		}
		t.Run(name, func(t *testing.T) {
			sc := gen.Generate(gen.Options{Schools: n, Seed: c.seed})
			v.apply(sc)
			in, err := model.Compile(sc)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("teachers %d, pins %d, forbids %d", len(in.Scenario.Teachers), len(in.Scenario.Pins), len(in.Scenario.Forbids))
			opt, res := solveBoth(t, in)
			matchOptimum(t, opt, res)
		})
	}
}
