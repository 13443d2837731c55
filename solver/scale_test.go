package solver

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"rotaplan/model"
)

// countyScenario is a synthetic county for scale tests: urban schools with
// surplus main-subject teachers, rural ones short of music/PE/art, per-school
// and county quotas, H4 and max_km.
func countyScenario(seed uint64, schools, perSchool int) *model.Scenario {
	r := rand.New(rand.NewPCG(seed, 11))
	subjects := []string{"chinese", "math", "english", "science", "music", "pe", "art", "it"}
	share := []float64{0.25, 0.22, 0.15, 0.1, 0.07, 0.08, 0.07, 0.06}
	sc := &model.Scenario{Version: 1, Name: "county", Year: 2027, Objective: model.DefaultWeights}
	sc.Policy.Eligibility.MinYears = 6
	sc.Policy.BackboneLevels = model.DefaultBackboneLevels
	maxKm, outflow := 45.0, 0.15
	sc.Policy.Limits.MaxKm = &maxKm
	sc.Policy.Limits.MaxOutflowShare = &outflow
	sc.Policy.Quotas = []model.Quota{
		{Name: "urban", From: model.Selector{Category: []string{model.Urban}}, Each: true, MinShare: 0.1, MinBackboneShare: 0.2},
		{Name: "county", Each: false, MinShare: 0.1, MinBackboneShare: 0.2},
	}
	sc.Policy.Routes = []model.Route{{From: model.Selector{Category: []string{model.Urban, model.Town}}, To: model.Selector{Category: []string{model.Town, model.Rural}}}, {SameGroup: true}}
	tid := 0
	for s := range schools {
		cat := model.Rural
		switch x := r.Float64(); {
		case x < 0.25:
			cat = model.Urban
		case x < 0.55:
			cat = model.Town
		}
		rad := map[string]float64{model.Urban: 0.05, model.Town: 0.2, model.Rural: 0.35}[cat]
		sch := model.School{ID: fmt.Sprintf("S%04d", s), Category: cat, Tier: 1 + r.IntN(3), Priority: 1, Group: fmt.Sprintf("G%d", s%10),
			Location: &model.Location{Lat: 30 + (r.Float64()*2-1)*rad, Lon: 104 + (r.Float64()*2-1)*rad}, Demand: map[string]int{}}
		n := perSchool/2 + r.IntN(perSchool)
		for k, subj := range subjects {
			req := int(math.Round(float64(n) * share[k]))
			staff := req
			switch {
			case cat == model.Urban && k < 4:
				staff += r.IntN(3)
			case cat == model.Rural && k >= 4:
				staff -= r.IntN(min(req, 2) + 1)
			default:
				staff += r.IntN(3) - 1
			}
			sch.Demand[subj] = req
			for range max(0, staff) {
				tc := model.Teacher{ID: fmt.Sprintf("T%06d", tid), School: sch.ID, Subject: subj, Years: r.IntN(14)}
				tid++
				if r.IntN(5) == 0 {
					tc.Backbone = "county"
				}
				if r.IntN(6) == 0 {
					tc.Also = []string{subjects[4+r.IntN(4)]}
				}
				sc.Teachers = append(sc.Teachers, tc)
			}
		}
		sc.Schools = append(sc.Schools, sch)
	}
	return sc
}

func solveCounty(tb testing.TB, schools, perSchool int) (*model.Instance, *Result) {
	sc := countyScenario(1, schools, perSchool)
	in, err := model.Compile(sc)
	if err != nil {
		tb.Fatal(err)
	}
	res, err := Solve(context.Background(), in, nil)
	if err != nil {
		tb.Fatal(err)
	}
	if err := hardRulesOK(in, res.Moves); err != nil {
		tb.Fatal(err)
	}
	return in, res
}

func TestSolveCounty(t *testing.T) {
	in, res := solveCounty(t, 30, 40)
	t.Logf("teachers %d moves %d status %s Z %.4f bound %.4f gap %.2g nodes %d", len(in.Scenario.Teachers), len(res.Moves), res.Status, res.Objective, res.Bound, res.Gap, res.Nodes)
}

func benchCounty(b *testing.B, schools, perSchool int) {
	var res *Result
	for b.Loop() {
		_, res = solveCounty(b, schools, perSchool)
	}
	b.ReportMetric(res.Gap, "gap")
	b.ReportMetric(float64(res.Nodes), "nodes")
}

func BenchmarkSolve60(b *testing.B)   { benchCounty(b, 60, 80) }
func BenchmarkSolve150(b *testing.B)  { benchCounty(b, 150, 80) }
func BenchmarkSolve1000(b *testing.B) { benchCounty(b, 1000, 80) }
