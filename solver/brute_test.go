package solver

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"rotaplan/model"
)

// randomScenario builds a tiny county with every feature that couples moves:
// per-school and county-wide quotas with backbone shares, H4, source_deficit,
// routes, max_km, wishes, pins, forbids, volunteers and second subjects.
func randomScenario(seed uint64, schools, teachers int) *model.Scenario {
	r := rand.New(rand.NewPCG(seed, 7))
	subjects := []string{"math", "music", "pe"}
	sc := &model.Scenario{Version: 1, Name: fmt.Sprintf("random %d", seed), Year: 2027, Objective: model.DefaultWeights}
	sc.Policy.Eligibility.MinYears = 6
	sc.Policy.BackboneLevels = model.DefaultBackboneLevels
	cats := []string{model.Urban, model.Town, model.Rural}
	for s := range schools {
		sch := model.School{ID: fmt.Sprintf("S%d", s), Category: cats[r.IntN(3)], Tier: 1 + r.IntN(2), Priority: 1 + float64(r.IntN(2)),
			Location: &model.Location{Lat: 30 + r.Float64()*0.3, Lon: 104 + r.Float64()*0.3}, Demand: map[string]int{}}
		if r.IntN(2) == 0 {
			sch.Group = "G1"
		}
		if s == 0 {
			sch.Category = model.Urban
		}
		sc.Schools = append(sc.Schools, sch)
	}
	for t := range teachers {
		tc := model.Teacher{ID: fmt.Sprintf("T%02d", t), School: sc.Schools[r.IntN(schools)].ID, Subject: subjects[r.IntN(3)], Years: 3 + r.IntN(8)}
		if r.IntN(3) == 0 {
			tc.Also = []string{subjects[r.IntN(3)]}
			if tc.Also[0] == tc.Subject {
				tc.Also = nil
			}
		}
		if r.IntN(3) == 0 {
			tc.Backbone = "county"
		}
		if r.IntN(6) == 0 {
			tc.Volunteer = true
		}
		if r.IntN(3) == 0 {
			tc.Wishes = []string{sc.Schools[r.IntN(schools)].ID}
		}
		sc.Teachers = append(sc.Teachers, tc)
	}
	for s := range sc.Schools {
		for _, k := range subjects {
			if r.IntN(3) > 0 {
				sc.Schools[s].Demand[k] = r.IntN(4)
			}
		}
	}
	sc.Policy.Quotas = []model.Quota{{Name: "urban", From: model.Selector{Category: []string{model.Urban, model.Town}}, Each: true,
		MinShare: 0.1 + 0.4*r.Float64(), MinBackboneShare: 0.5 * r.Float64()}}
	if r.IntN(2) == 0 {
		sc.Policy.Quotas = append(sc.Policy.Quotas, model.Quota{Name: "county", Each: false, MinShare: 0.3 * r.Float64(), MinBackboneShare: 0.4})
	}
	if r.IntN(2) == 0 {
		v := 0.2 + 0.3*r.Float64()
		sc.Policy.Limits.MaxOutflowShare = &v
	}
	if r.IntN(3) == 0 {
		v := 15 + 20*r.Float64()
		sc.Policy.Limits.MaxKm = &v
	}
	sc.Policy.Limits.SourceDeficit = r.IntN(2)
	if r.IntN(3) == 0 {
		sc.Policy.Routes = []model.Route{{From: model.Selector{Category: []string{model.Urban}}}, {SameGroup: true}}
	}
	if r.IntN(3) == 0 {
		sc.Forbids = append(sc.Forbids, model.Forbid{Teacher: sc.Teachers[r.IntN(teachers)].ID})
	}
	if r.IntN(3) == 0 {
		sc.Forbids = append(sc.Forbids, model.Forbid{Teacher: sc.Teachers[r.IntN(teachers)].ID, To: sc.Schools[r.IntN(schools)].ID})
	}
	if r.IntN(4) == 0 {
		t := sc.Teachers[r.IntN(teachers)]
		for _, s := range sc.Schools {
			if s.ID != t.School {
				sc.Pins = []model.Pin{{Teacher: t.ID, To: s.ID}}
				break
			}
		}
		for i := 0; i < len(sc.Forbids); i++ {
			if sc.Forbids[i].Teacher == t.ID {
				sc.Forbids = append(sc.Forbids[:i], sc.Forbids[i+1:]...)
				i--
			}
		}
	}
	return sc
}

// hardRulesOK checks H1-H4 from scratch, sharing nothing with the solver.
func hardRulesOK(in *model.Instance, moves []model.Placement) error {
	sc := in.Scenario
	K := in.K
	seen := map[int]bool{}
	inF := make([]int, len(in.Staff))
	outF := make([]int, len(in.Staff))
	moved := make([]int, len(sc.Schools))
	for _, m := range moves {
		if seen[m.Teacher] {
			return fmt.Errorf("H1: teacher %d moves twice", m.Teacher)
		}
		seen[m.Teacher] = true
		if !in.Allowed(m.Teacher, m.To, m.Subject) {
			return fmt.Errorf("H1: move %+v not allowed: %s", m, in.NotAllowedReason(m.Teacher, m.To, m.Subject))
		}
		inF[m.To*K+m.Subject]++
		outF[in.Home[m.Teacher]*K+in.Subject[m.Teacher]]++
		moved[in.Home[m.Teacher]]++
	}
	for t := range sc.Teachers {
		if in.Pin[t] >= 0 && !seen[t] {
			return fmt.Errorf("H1: pin of %s missing", sc.Teachers[t].ID)
		}
	}
	for c := range inF {
		short := max(0, in.Req[c]-in.Staff[c])
		surplus := max(0, in.Staff[c]-in.Req[c])
		if inF[c]-outF[c] > short {
			return fmt.Errorf("H2 at cell %d", c)
		}
		if outF[c]-inF[c] > surplus+sc.Policy.Limits.SourceDeficit {
			return fmt.Errorf("H3 at cell %d", c)
		}
	}
	if share := sc.Policy.Limits.MaxOutflowShare; share != nil {
		for s, m := range moved {
			if m > int(math.Floor(*share*float64(in.Size[s])+1e-9)) {
				return fmt.Errorf("H4 at school %d", s)
			}
		}
	}
	return nil
}

// bruteForce enumerates every plan.
func bruteForce(in *model.Instance) (float64, []model.Placement) {
	sc := in.Scenario
	type opt struct{ d, k int }
	options := make([][]opt, len(sc.Teachers))
	for t := range sc.Teachers {
		if in.Pin[t] < 0 {
			options[t] = []opt{{-1, -1}}
		}
		for d := range sc.Schools {
			for k := 0; k < in.K; k++ {
				if in.Allowed(t, d, k) {
					options[t] = append(options[t], opt{d, k})
				}
			}
		}
	}
	best := math.Inf(1)
	var bestMoves []model.Placement
	var cur []model.Placement
	var rec func(t int)
	rec = func(t int) {
		if t == len(sc.Teachers) {
			if hardRulesOK(in, cur) != nil {
				return
			}
			z := model.Evaluate(in, cur).Terms.Total()
			if z < best-1e-9 {
				best = z
				bestMoves = append([]model.Placement(nil), cur...)
			}
			return
		}
		for _, o := range options[t] {
			if o.d < 0 {
				rec(t + 1)
				continue
			}
			cur = append(cur, model.Placement{Teacher: t, To: o.d, Subject: o.k})
			rec(t + 1)
			cur = cur[:len(cur)-1]
		}
	}
	rec(0)
	return best, bestMoves
}

func TestSolveMatchesBruteForce(t *testing.T) {
	n := 300
	if testing.Short() {
		n = 60
	}
	solved := 0
	for seed := uint64(1); seed <= uint64(n); seed++ {
		sc := randomScenario(seed, 3+int(seed%2), 7+int(seed%3))
		in, err := model.Compile(sc)
		if err != nil {
			t.Fatal(err)
		}
		if len(model.PinConflicts(in)) > 0 {
			continue
		}
		want, wantMoves := bruteForce(in)
		res, err := Solve(context.Background(), in, nil)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if err := hardRulesOK(in, res.Moves); err != nil {
			t.Fatalf("seed %d: solver plan breaks a rule: %v", seed, err)
		}
		if got := model.Evaluate(in, res.Moves).Terms.Total(); math.Abs(got-res.Objective) > 1e-6 {
			t.Fatalf("seed %d: reported Z %v, evaluated %v", seed, res.Objective, got)
		}
		if math.Abs(res.Objective-want) > 1e-6*math.Max(1, math.Abs(want)) {
			t.Fatalf("seed %d: Z = %v (status %s, bound %v), brute force %v with %v", seed, res.Objective, res.Status, res.Bound, want, wantMoves)
		}
		if res.Status != Optimal {
			t.Errorf("seed %d: status %s, bound %v, Z %v", seed, res.Status, res.Bound, res.Objective)
		}
		if res.Bound > want+1e-6*math.Max(1, math.Abs(want)) {
			t.Fatalf("seed %d: bound %v above the optimum %v", seed, res.Bound, want)
		}
		solved++
	}
	t.Logf("%d instances agree with brute force", solved)
}
