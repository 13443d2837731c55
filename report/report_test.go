package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"rotaplan/model"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func load(t testing.TB, scenario string, sets ...string) *model.Instance {
	t.Helper()
	sc, err := model.LoadOverridden(filepath.Join("testdata", scenario), sets)
	if err != nil {
		t.Fatal(err)
	}
	in, err := model.Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func planMoves(t testing.TB, in *model.Instance, plan string) []model.Placement {
	t.Helper()
	p, err := model.ReadPlan(filepath.Join("testdata", plan))
	if err != nil {
		t.Fatal(err)
	}
	moves, err := model.Placements(in, p)
	if err != nil {
		t.Fatal(err)
	}
	return moves
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update creates it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// TestIndicatorsByHand checks the CVs of tiny.yaml against values worked
// out by hand. All four schools are primary; P = 600+500+300+120 = 1520.
//
// Before any move, backbone of county level or above: U1 has T01 (county)
// and T05 (city), U2 has T13 (county; T11 is school level and does not
// count), T1 and R1 none. PE+music+art: U1 T08 (music) and T09 (pe), U2
// T15 (music): the same counts 2, 1, 0, 0. So for both indicators
//
//	X = 0.3333, 0.2, 0, 0; X̄ = 100 x 3/1520 = 0.197368
//	Σ (P_i/P)(X_i-X̄)² = 0.394737 x 0.135965² + 0.328947 x 0.002632²
//	                   + 0.197368 x 0.197368² + 0.078947 x 0.197368²
//	                 = 0.0072973 + 0.0000023 + 0.0076883 + 0.0030753 = 0.0180632
//	CV = sqrt(0.0180632) / 0.197368 = 0.134399 / 0.197368 = 0.68096
//
// After the pinned move T05 U1 -> T1 (math): backbone 1, 1, 1, 0, so
//
//	X = 0.166667, 0.2, 0.333333, 0
//	Σ = 0.394737 x 0.030702² + 0.328947 x 0.002632² + 0.197368 x 0.135965²
//	  + 0.078947 x 0.197368² = 0.0003721 + 0.0000023 + 0.0036486 + 0.0030753 = 0.0070983
//	CV = 0.084251 / 0.197368 = 0.42687
//
// and PE+art is unchanged (T05 teaches math).
func TestIndicatorsByHand(t *testing.T) {
	in := load(t, "tiny.yaml")
	got := Indicators(in, planMoves(t, in, "pins.yaml"))
	want := []IndicatorCV{
		{Stage: "primary", Indicator: BackbonePer100, BeforeCV: 0.68096, AfterCV: 0.42687, Threshold: 0.5},
		{Stage: "primary", Indicator: PEArtPer100, BeforeCV: 0.68096, AfterCV: 0.68096, Threshold: 0.5},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d indicators, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Stage != w.Stage || g.Indicator != w.Indicator || g.Threshold != w.Threshold || g.Students != 1520 || g.Schools != 4 {
			t.Errorf("indicator %d: got %+v, want %+v", i, g, w)
		}
		if math.Abs(g.BeforeCV-w.BeforeCV) > 1e-4 || math.Abs(g.AfterCV-w.AfterCV) > 1e-4 {
			t.Errorf("%s: CV %.6f -> %.6f, hand-computed %.5f -> %.5f", g.Indicator, g.BeforeCV, g.AfterCV, w.BeforeCV, w.AfterCV)
		}
		if math.Abs(g.BeforeMean-0.197368) > 1e-6 {
			t.Errorf("%s: mean %.6f, want 0.197368", g.Indicator, g.BeforeMean)
		}
	}
}

// TestIndicatorsPlacedSubject: a music teacher placed as chinese no longer
// counts for PE and art, at either school.
func TestIndicatorsPlacedSubject(t *testing.T) {
	in := load(t, "tiny.yaml")
	t08 := in.TeacherIndex["T08"]
	r1 := in.SchoolIndex["R1"]
	moves := []model.Placement{{Teacher: t08, To: r1, Subject: in.SubjectIndex["chinese"]}}
	rows := SchoolIndicators(in, moves)
	u1 := in.SchoolIndex["U1"]
	if rows[u1].PEArtBefore != 2 || rows[u1].PEArtAfter != 1 || rows[r1].PEArtAfter != 0 {
		t.Errorf("as chinese: U1 %d -> %d, R1 after %d; want 2 -> 1, 0", rows[u1].PEArtBefore, rows[u1].PEArtAfter, rows[r1].PEArtAfter)
	}
	moves[0].Subject = in.SubjectIndex["music"]
	rows = SchoolIndicators(in, moves)
	if rows[r1].PEArtAfter != 1 || math.Abs(rows[r1].PEArtX[1]-100.0/120) > 1e-12 {
		t.Errorf("as music: R1 after %d (%g per 100), want 1 (0.8333)", rows[r1].PEArtAfter, rows[r1].PEArtX[1])
	}
}

// cvIndependent is a second implementation of the CV: the variance as
// E[X²] - X̄² over the student distribution, counting teachers from the
// scenario's fields directly.
func cvIndependent(in *model.Instance, moves []model.Placement, stage, indicator string, after bool) float64 {
	sc := in.Scenario
	school := map[string]string{}
	subject := map[string]string{}
	for _, t := range sc.Teachers {
		school[t.ID], subject[t.ID] = t.School, t.Subject
	}
	if after {
		for _, m := range moves {
			id := sc.Teachers[m.Teacher].ID
			school[id], subject[id] = sc.Schools[m.To].ID, in.Subjects[m.Subject]
		}
	}
	count := map[string]float64{}
	for _, t := range sc.Teachers {
		switch indicator {
		case BackbonePer100:
			if t.Backbone == "county" || t.Backbone == "city" || t.Backbone == "province" {
				count[school[t.ID]]++
			}
		case PEArtPer100:
			if s := subject[t.ID]; s == "pe" || s == "music" || s == "art" {
				count[school[t.ID]]++
			}
		}
	}
	var P, sumPX, sumPX2 float64
	for _, s := range sc.Schools {
		if s.Stage != stage || s.Students == nil || *s.Students == 0 {
			continue
		}
		p := float64(*s.Students)
		x := 100 * count[s.ID] / p
		P += p
		sumPX += p * x
		sumPX2 += p * x * x
	}
	mean := sumPX / P
	if mean == 0 {
		return 0
	}
	return math.Sqrt(math.Max(0, sumPX2/P-mean*mean)) / mean
}

// TestIndicatorsIndependent compares Indicators with cvIndependent on
// random plans (they need not keep the hard rules) over a scenario with
// several stage groups.
func TestIndicatorsIndependent(t *testing.T) {
	in := load(t, "tiny.yaml", "schools[T1].stage=junior", "schools[R1].stage=junior", "schools[U2].students=0")
	rng := rand.New(rand.NewPCG(1, 2))
	S := len(in.Scenario.Schools)
	for trial := range 200 {
		var moves []model.Placement
		for tch := range in.Scenario.Teachers {
			if rng.IntN(4) == 0 {
				ks := in.Teaches[tch]
				moves = append(moves, model.Placement{Teacher: tch, To: rng.IntN(S), Subject: ks[rng.IntN(len(ks))]})
			}
		}
		got := Indicators(in, moves)
		if len(got) != 4 || got[0].Stage != "primary" || got[2].Stage != "junior" || got[1].Indicator != PEArtPer100 {
			t.Fatalf("groups: %+v", got)
		}
		if got[0].Schools != 1 || got[2].Schools != 2 {
			t.Fatalf("U2 without students must be left out: %+v", got)
		}
		for _, g := range got {
			b := cvIndependent(in, moves, g.Stage, g.Indicator, false)
			a := cvIndependent(in, moves, g.Stage, g.Indicator, true)
			if math.Abs(g.BeforeCV-b) > 1e-6 || math.Abs(g.AfterCV-a) > 1e-6 {
				t.Fatalf("trial %d %s %s: CV %.9f -> %.9f, independent %.9f -> %.9f", trial, g.Stage, g.Indicator, g.BeforeCV, g.AfterCV, b, a)
			}
		}
	}
}

var digits = regexp.MustCompile(`[0-9]`)

// TestBoundIsUpperBound: no valid plan moves more of a unit's teachers than
// Bound says, and on these small counties the bound is reached when a plan
// can reach it. Every plan is enumerated (each teacher stays or takes one
// of its allowed moves; a pinned teacher takes its pin) and checked against
// H2-H4 by counting, so chains and swaps are covered.
func TestBoundIsUpperBound(t *testing.T) {
	for _, c := range []struct {
		scenario string
		sets     []string
	}{
		{"tiny_nopin.yaml", nil}, {"tiny_nopin.yaml", []string{"policy.limits.source_deficit=1"}},
		{"tiny_nopin.yaml", []string{"policy.limits.max_outflow_share=0.25"}},
		{"tiny.yaml", nil}, {"tiny_pin_ineligible.yaml", nil},
	} {
		in := load(t, c.scenario, c.sets...)
		an := newAnalysis(in)
		best := exhaustiveMaxDepartures(in, an)
		for i, u := range in.Units {
			b := Bound(in, u.Schools, false).Max
			if best[i] > b {
				t.Errorf("%s %v %s: a valid plan moves %d, bound %d", c.scenario, c.sets, u.Name, best[i], b)
			}
			t.Logf("%s %v %s: most departures of a valid plan %d, bound %d", c.scenario, c.sets, u.Name, best[i], b)
		}
	}
}

// exhaustiveMaxDepartures enumerates every plan and returns, per unit, the
// most moves of a plan that keeps H2-H4.
func exhaustiveMaxDepartures(in *model.Instance, an *analysis) []int {
	sc := in.Scenario
	S, K := len(sc.Schools), in.K
	sd := sc.Policy.Limits.SourceDeficit
	var teachers []int
	for tch := range sc.Teachers {
		if len(an.cellsOf[tch]) > 0 {
			teachers = append(teachers, tch)
		}
	}
	net := make([]int, S*K) // in - out per cell
	moved := make([]int, S)
	best := make([]int, len(in.Units))
	var dfs func(i int)
	dfs = func(i int) {
		if i == len(teachers) {
			for c := range net {
				if net[c] > in.Short(c) || -net[c] > in.Surplus(c)+sd {
					return
				}
			}
			for s := range moved {
				if in.OutflowCap[s] >= 0 && moved[s] > in.OutflowCap[s] {
					return
				}
			}
			for ui, u := range in.Units {
				m := 0
				for _, s := range u.Schools {
					m += moved[s]
				}
				best[ui] = max(best[ui], m)
			}
			return
		}
		tch := teachers[i]
		if in.Pin[tch] < 0 {
			dfs(i + 1) // stays
		}
		home := in.Cell(in.Home[tch], in.Subject[tch])
		for _, c := range an.cellsOf[tch] {
			net[home]--
			net[c]++
			moved[in.Home[tch]]++
			dfs(i + 1)
			net[home]++
			net[c]--
			moved[in.Home[tch]]--
		}
	}
	dfs(0)
	return best
}

func hardBroken(in *model.Instance, moves []model.Placement) bool {
	for _, f := range model.Check(in, moves, nil) {
		if f.Hard() {
			return true
		}
	}
	return false
}

// TestBoundBinding: the cut names the rule that binds, with its numbers.
func TestBoundBinding(t *testing.T) {
	// max_outflow_share 0.1: U1 (9 teachers) may lose floor(0.9) = 0.
	in := load(t, "tiny_nopin.yaml", "policy.limits.max_outflow_share=0.1")
	b := Bound(in, []int{in.SchoolIndex["U1"]}, false)
	if b.Max != 0 || !strings.Contains(strings.Join(b.Binding, ";"), "H4 U1 may lose at most 0 of its 9 teachers") {
		t.Errorf("H4: max %d, binding %q", b.Max, b.Binding)
	}
	// U2: T11 is forbidden, T12 not eligible, T14 in cooldown; the movable
	// T10 (chinese), T13 (math, also pe) and T15 (music, volunteer) hold
	// posts without surplus except chinese (3 staff, 2 posts).
	in = load(t, "tiny_nopin.yaml")
	b = Bound(in, []int{in.SchoolIndex["U2"]}, false)
	if b.Teachers != 6 || b.Movable != 3 || len(b.Forbidden) != 1 || b.Forbidden[0] != "T11" {
		t.Errorf("U2 counts: %+v", b)
	}
	joined := strings.Join(b.Binding, ";")
	for _, want := range []string{"H3 U2 math may lose at most 0 (surplus 0", "H3 U2 music may lose at most 0 (surplus 0"} {
		if !strings.Contains(joined, want) {
			t.Errorf("U2 binding %q lacks %q", joined, want)
		}
	}
	// Remove the routes to the village and town schools: nobody at U2 has an
	// allowed destination.
	in = load(t, "tiny_nopin.yaml", "policy.limits.max_km=1")
	b = Bound(in, []int{in.SchoolIndex["U2"]}, false)
	if b.Max != 0 || len(b.NoDestination) != 3 || !strings.Contains(strings.Join(b.NoDestWhy, ","), "beyond max_km") {
		t.Errorf("max_km 1: %+v", b)
	}
}

// TestShortfallReasons: every short unit of every test plan carries a
// reason with numbers; met units carry none.
func TestShortfallReasons(t *testing.T) {
	for _, c := range []struct{ scenario, plan string }{
		{"tiny.yaml", "empty.yaml"}, {"tiny.yaml", "pins.yaml"}, {"tiny.yaml", "swap.yaml"}, {"tiny.yaml", "broken.yaml"},
		{"tiny_nopin.yaml", "nobackbone.yaml"}, {"tiny_nopin.yaml", "empty.yaml"},
	} {
		in := load(t, c.scenario)
		r := Build(in, planMoves(t, in, c.plan))
		for _, u := range r.Units {
			if (u.CountShort > 0) != (u.Reason != "") || (u.BackboneShort > 0) != (u.BackboneReason != "") {
				t.Errorf("%s %s %s: short %d/%g, reasons %q / %q", c.scenario, c.plan, u.Name, u.CountShort, u.BackboneShort, u.Reason, u.BackboneReason)
			}
			for _, reason := range []string{u.Reason, u.BackboneReason} {
				if reason != "" && !digits.MatchString(reason) {
					t.Errorf("%s %s %s: reason without numbers: %q", c.scenario, c.plan, u.Name, reason)
				}
			}
		}
	}
}

// TestTradeOffChange: the change a reason proposes really has the ΔZ it
// states: recompute it with Evaluate.
func TestTradeOffChange(t *testing.T) {
	in := load(t, "tiny_nopin.yaml")
	moves := planMoves(t, in, "nobackbone.yaml")
	r := Build(in, moves)
	u1 := r.Units[0]
	if u1.BackboneShort <= 0 || u1.CountShort != 0 {
		t.Fatalf("U1 should miss only its backbone share: %+v", u1)
	}
	m := regexp.MustCompile(`ΔZ ([-+0-9.]+)`).FindStringSubmatch(u1.BackboneReason)
	if m == nil {
		t.Fatalf("no ΔZ in %q", u1.BackboneReason)
	}
	// Recompute the best single change by brute force over the same kinds of changes.
	base := model.Evaluate(in, moves).Terms.Total()
	bestDelta := math.Inf(1)
	for tch := range in.Scenario.Teachers {
		if in.Home[tch] != in.SchoolIndex["U1"] || !in.Backbone[tch] || !in.Movable[tch] {
			continue
		}
		for d := range in.Scenario.Schools {
			for _, k := range in.Teaches[tch] {
				if !in.Allowed(tch, d, k) {
					continue
				}
				add := model.Placement{Teacher: tch, To: d, Subject: k}
				for _, next := range [][]model.Placement{append(append([]model.Placement(nil), moves...), add), {add}} {
					if !hardBroken(in, next) {
						bestDelta = math.Min(bestDelta, model.Evaluate(in, next).Terms.Total()-base)
					}
				}
			}
		}
	}
	if got := m[1]; got != signed(bestDelta) {
		t.Errorf("reason says ΔZ %s, brute force %s: %s", got, signed(bestDelta), u1.BackboneReason)
	}
}

func TestGolden(t *testing.T) {
	for _, c := range []struct{ scenario, plan, name string }{
		{"tiny.yaml", "swap.yaml", "swap"},
		{"tiny.yaml", "empty.yaml", "empty"},
		{"tiny.yaml", "broken.yaml", "broken"},
		{"tiny_nopin.yaml", "nobackbone.yaml", "nobackbone"},
	} {
		in := load(t, c.scenario)
		r := Build(in, planMoves(t, in, c.plan))
		r.Plan = c.plan
		for _, f := range []string{FormatText, FormatMD, FormatJSON} {
			var buf bytes.Buffer
			if err := Write(&buf, r, f); err != nil {
				t.Fatal(err)
			}
			golden(t, c.name+"."+map[string]string{"text": "txt", "md": "md", "json": "json"}[f], buf.Bytes())
			// Deterministic: a second build gives the same bytes.
			var again bytes.Buffer
			r2 := Build(in, planMoves(t, in, c.plan))
			r2.Plan = c.plan
			Write(&again, r2, f)
			if !bytes.Equal(buf.Bytes(), again.Bytes()) {
				t.Errorf("%s %s: two builds differ", c.name, f)
			}
		}
	}
}

// TestJSONShape: the keys other tools read.
func TestJSONShape(t *testing.T) {
	in := load(t, "tiny.yaml")
	var buf bytes.Buffer
	if err := WriteJSON(&buf, Build(in, planMoves(t, in, "pins.yaml"))); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Indicators []struct {
			Stage, Indicator string
			BeforeCV         float64 `json:"before_cv"`
			AfterCV          float64 `json:"after_cv"`
			Threshold        float64
		}
		Quotas []struct {
			Name   string
			Met    bool
			Reason string
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Indicators) != 2 || doc.Indicators[0].Indicator != "backbone_per_100" || doc.Indicators[0].Stage != "primary" ||
		math.Abs(doc.Indicators[0].AfterCV-0.42687) > 1e-4 || doc.Indicators[1].Threshold != 0.5 {
		t.Errorf("indicators: %+v", doc.Indicators)
	}
	if len(doc.Quotas) != 2 || !doc.Quotas[0].Met || doc.Quotas[1].Met || doc.Quotas[1].Reason == "" {
		t.Errorf("quotas: %+v", doc.Quotas)
	}
}

// TestDeltaMatchesEvaluate: the incremental evaluation of a single change
// gives the terms Evaluate gives for the changed plan, and on a valid plan
// it flags a change exactly when model.Check finds a hard-rule violation.
func TestDeltaMatchesEvaluate(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	chains := 0
	defer func() {
		if chains == 0 {
			t.Error("no chain of two was tried")
		}
	}()
	for _, sets := range [][]string{nil, {"policy.limits.source_deficit=1", "policy.limits.max_outflow_share=0.25"}} {
		in := load(t, "tiny.yaml", sets...)
		an := newAnalysis(in)
		for _, plan := range []string{"pins.yaml", "swap.yaml"} {
			moves := planMoves(t, in, plan)
			valid := !hardBroken(in, moves)
			o := model.Evaluate(in, moves)
			moved := make([]bool, len(in.Scenario.Teachers))
			for _, m := range moves {
				moved[m.Teacher] = true
			}
			for tch := range in.Scenario.Teachers {
				for _, cell := range an.cellsOf[tch] {
					p := model.Placement{Teacher: tch, To: cell / in.K, Subject: cell % in.K}
					c := Change{Remove: -1, Add: &p}
					if rng.IntN(2) == 0 {
						c.Remove = rng.IntN(len(moves))
					}
					if t2 := rng.IntN(len(in.Scenario.Teachers)); rng.IntN(2) == 0 && len(an.cellsOf[t2]) > 0 &&
						(c.Remove < 0 || moves[c.Remove].Teacher != t2) {
						c2 := an.cellsOf[t2][rng.IntN(len(an.cellsOf[t2]))]
						c.Then = &model.Placement{Teacher: t2, To: c2 / in.K, Subject: c2 % in.K}
						chains++
					}
					d, worse := delta(in, moves, o, moved, c)
					next := c.apply(moves)
					want := model.Evaluate(in, next).Terms
					if math.Abs(d.Total()-(want.Total()-o.Terms.Total())) > 1e-6 || math.Abs(d.Fill-(want.Fill-o.Terms.Fill)) > 1e-6 ||
						math.Abs(d.Backbone-(want.Backbone-o.Terms.Backbone)) > 1e-6 || math.Abs(d.Quota-(want.Quota-o.Terms.Quota)) > 1e-6 {
						t.Errorf("%v %s %+v then %+v remove %d: delta %+v, Evaluate %+v - %+v", sets, plan, p, c.Then, c.Remove, d, want, o.Terms)
					}
					if broke := hardBroken(in, next); valid && broke != worse {
						t.Errorf("%v %s %+v then %+v remove %d: incremental worse=%v, model.Check broken=%v", sets, plan, p, c.Then, c.Remove, worse, broke)
					}
				}
			}
		}
	}
}

// TestTradeOffChain: when U2's only movable teacher with a surplus post
// (T10, chinese) can reach no open chinese post, but T16 could leave T1's
// chinese post for an open one at U1, the reason proposes the chain of two
// and states its ΔZ as Evaluate computes it.
func TestTradeOffChain(t *testing.T) {
	in := load(t, "tiny_nopin.yaml", "schools[U1].demand.chinese=5")
	r := Build(in, nil)
	u2 := r.Units[1]
	if u2.CountShort != 1 {
		t.Fatalf("U2: %+v", u2)
	}
	want := "chains of two, adding T10 U2 -> T1 (chinese) and adding T16 T1 -> U1 (chinese)"
	if !strings.Contains(u2.Reason, want) {
		t.Fatalf("U2 reason lacks %q:\n%s", want, u2.Reason)
	}
	chain := []model.Placement{
		{Teacher: in.TeacherIndex["T10"], To: in.SchoolIndex["T1"], Subject: in.SubjectIndex["chinese"]},
		{Teacher: in.TeacherIndex["T16"], To: in.SchoolIndex["U1"], Subject: in.SubjectIndex["chinese"]},
	}
	if hardBroken(in, chain) {
		t.Fatal("the proposed chain breaks a hard rule")
	}
	dz := model.Evaluate(in, chain).Terms.Total() - model.Evaluate(in, nil).Terms.Total()
	if !strings.Contains(u2.Reason, "ΔZ "+signed(dz)+" ") {
		t.Errorf("reason does not state ΔZ %s: %s", signed(dz), u2.Reason)
	}
}
