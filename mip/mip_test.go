package mip

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"rotaplan/model"
)

// tinyYAML is a copy of examples/tiny.yaml, so that edits to the example do
// not change the hand-worked numbers below.
const tinyPath = "testdata/tiny.yaml"

func loadTiny(t testing.TB, edit func(*model.Scenario)) *model.Instance {
	t.Helper()
	sc, err := model.Load(tinyPath)
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(sc)
	}
	in, err := model.Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func varIndex(t *testing.T, m *Model, name string) int {
	t.Helper()
	j, ok := m.Index()[name]
	if !ok {
		t.Fatalf("no variable %s", name)
	}
	return j
}

// The spec: Z of the empty plan is quota x Σ_U q_U. In the tiny county
// (pins dropped, or the empty plan would not be a plan) U1 has 5 eligible
// teachers (T01 T02 T05 T06 T08; T03 T07 T09 have too few years, T04 is
// exempt), so q = ceil(0.1 x 5) = 1; U2 has 4 (T10 T11 T13 T15; T12 has one
// year, T14 rotated in 2025 within the 3-year cooldown), so q = 1.
// Z = 1000 x (1 + 1) = 2000.
func TestEmptyPlanByHand(t *testing.T) {
	in := loadTiny(t, func(sc *model.Scenario) { sc.Pins = nil })
	if got := []int{in.Units[0].Target, in.Units[1].Target}; got[0] != 1 || got[1] != 1 {
		t.Fatalf("targets %v, want [1 1] by hand", got)
	}
	m := Build(in)
	x, err := m.Vector(nil)
	if err != nil {
		t.Fatal(err)
	}
	if v := m.Violations(x); len(v) > 0 {
		t.Fatalf("the empty plan breaks rows: %v", v)
	}
	if z := m.Objective(x); math.Abs(z-2000) > 1e-9 {
		t.Errorf("MIP objective of the empty plan %v, want 2000", z)
	}
	if z := model.Evaluate(in, nil).Terms.Total(); math.Abs(z-2000) > 1e-9 {
		t.Errorf("Evaluate of the empty plan %v, want 2000", z)
	}
	// u at its bound: lowering it breaks the count row.
	x[varIndex(t, m, "u_q1_U1")] = 0
	if v := m.Violations(x); len(v) != 1 || !strings.HasPrefix(v[0], "row cnt_q1_U1") {
		t.Errorf("violations %v, want the count row of U1", v)
	}
}

func TestTinyModelByHand(t *testing.T) {
	in := loadTiny(t, nil)
	m := Build(in)
	idx := m.Index()
	// The pin T05 -> T1 is fixed to 1; it is T05's only variable.
	pin := m.Vars[varIndex(t, m, "x_T05_T1_math")]
	if pin.Lo != 1 || pin.Hi != 1 || !pin.Integer {
		t.Errorf("pin variable %+v, want fixed at 1", pin)
	}
	for name := range idx {
		for _, id := range []string{"T03", "T04", "T07", "T09", "T11", "T12", "T14"} {
			if strings.HasPrefix(name, "x_"+id+"_") {
				t.Errorf("%s: %s may not move (years, exemption, forbid, cooldown)", name, id)
			}
		}
		if strings.HasPrefix(name, "x_T05_") && name != "x_T05_T1_math" {
			t.Errorf("%s: T05 is pinned", name)
		}
	}
	// Cost of a move: km x distance - wish x w(t,d). T10 wishes [R1, T1]:
	// T1 is its second of two wishes, w = 1/2, so the cost is km - 25.
	j := varIndex(t, m, "x_T10_T1_chinese")
	km := model.Haversine(in.Scenario.Schools[1].Location, in.Scenario.Schools[2].Location)
	if want := km - 25; math.Abs(m.Vars[j].Cost-want) > 1e-9 {
		t.Errorf("cost of x_T10_T1_chinese %v, want %v", m.Vars[j].Cost, want)
	}
	// R1 music is short one post of a school of priority 2 in a subject of
	// priority 2: filling it is worth 100 x 2 x 2.
	p := m.Vars[varIndex(t, m, "p_R1_music")]
	if p.Cost != -400 || p.Hi != 1 {
		t.Errorf("p_R1_music %+v, want cost -400 and at most 1", p)
	}
	// H4: U1 has 9 teachers, max_outflow_share 0.5: at most 4 leave.
	for _, r := range m.Rows {
		if r.Name == "h4_U1" && (r.RHS != 4 || r.Sense != LE) {
			t.Errorf("h4_U1 %c %v, want <= 4", r.Sense, r.RHS)
		}
	}
	// The solver's plan of the tiny county (T05 to T1 only) is a solution of
	// the model whose objective is its Z.
	moves := []model.Placement{{Teacher: in.TeacherIndex["T05"], To: in.SchoolIndex["T1"], Subject: in.SubjectIndex["math"]}}
	x, err := m.Vector(moves)
	if err != nil {
		t.Fatal(err)
	}
	if v := m.Violations(x); len(v) > 0 {
		t.Fatal(v)
	}
	if z, want := m.Objective(x), model.Evaluate(in, moves).Terms.Total(); math.Abs(z-want) > 1e-9 {
		t.Errorf("objective %v, Evaluate %v", z, want)
	}
	if got := m.Placements(x); len(got) != 1 || got[0] != moves[0] {
		t.Errorf("Placements %v, want %v", got, moves)
	}
}

var namePattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// Ids that sanitize to the same name still get unique names.
func TestNamesUniqueAndPlain(t *testing.T) {
	in := loadTiny(t, func(sc *model.Scenario) {
		sc.Teachers[0].ID = "T-1"   // sanitizes to Tu2d1
		sc.Teachers[1].ID = "Tu2d1" // literally
		sc.Teachers[2].ID = "张老师"
		sc.Teachers[2].Years = 10
		sc.Pins = nil
	})
	m := Build(in)
	seen := map[string]bool{}
	for _, v := range m.Vars {
		if seen[v.Name] {
			t.Errorf("duplicate variable %s", v.Name)
		}
		seen[v.Name] = true
		if !namePattern.MatchString(v.Name) {
			t.Errorf("variable name %q has characters MPS or LP may not take", v.Name)
		}
	}
	for _, r := range m.Rows {
		if seen[r.Name] {
			t.Errorf("duplicate name %s", r.Name)
		}
		seen[r.Name] = true
	}
	if !seen["x_Tu2d1_T1_chinese"] || !seen["x_Tu2d1_T1_chinese_2"] || !seen["x_u5f20u8001u5e08_T1_chinese"] {
		t.Errorf("want x_Tu2d1_T1_chinese, its _2 twin and x_u5f20u8001u5e08_T1_chinese")
	}
}

func TestWriteJSONRoundTrip(t *testing.T) {
	in := loadTiny(t, nil)
	m := Build(in)
	var b bytes.Buffer
	if err := m.Write(&b, FormatJSON); err != nil {
		t.Fatal(err)
	}
	var jm jsonModel
	if err := json.Unmarshal(b.Bytes(), &jm); err != nil {
		t.Fatal(err)
	}
	if len(jm.Vars) != len(m.Vars) || len(jm.Rows) != len(m.Rows) || len(jm.Col) != m.Nonzeros() || jm.MoveVars != len(m.Moves) {
		t.Fatalf("sizes differ: %d vars %d rows %d nz", len(jm.Vars), len(jm.Rows), len(jm.Col))
	}
	for i, r := range m.Rows {
		a, z := jm.RowStart[i], jm.RowStart[i+1]
		if z-a != len(r.Idx) {
			t.Fatalf("row %s: %d entries, want %d", r.Name, z-a, len(r.Idx))
		}
		for k := range r.Idx {
			if jm.Col[a+k] != r.Idx[k] || jm.Val[a+k] != r.Val[k] {
				t.Fatalf("row %s entry %d differs", r.Name, k)
			}
		}
		switch r.Sense {
		case LE:
			if jm.RowLo[i] != nil || *jm.RowHi[i] != r.RHS {
				t.Errorf("row %s bounds", r.Name)
			}
		case GE:
			if *jm.RowLo[i] != r.RHS || jm.RowHi[i] != nil {
				t.Errorf("row %s bounds", r.Name)
			}
		}
	}
	for j, v := range m.Vars {
		if jm.Cost[j] != v.Cost || jm.Lo[j] != v.Lo || jm.Integer[j] != v.Integer || (jm.Hi[j] == nil) != math.IsInf(v.Hi, 1) {
			t.Errorf("variable %s differs", v.Name)
		}
	}
	if err := m.Write(&b, "xls"); err == nil {
		t.Error("want an error for an unknown format")
	}
}

func TestMPSAndLPText(t *testing.T) {
	in := loadTiny(t, nil)
	m := Build(in)
	var mps, lp bytes.Buffer
	if err := m.WriteMPS(&mps); err != nil {
		t.Fatal(err)
	}
	if err := m.WriteLP(&lp); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"ROWS\n N obj\n", " FX bnd x_T05_T1_math 1\n", " rhs h4_U1 4\n", "ENDATA\n"} {
		if !strings.Contains(mps.String(), want) {
			t.Errorf("MPS lacks %q", want)
		}
	}
	for _, want := range []string{"Minimize\n obj:", " x_T05_T1_math = 1\n", " h4_U1: ", "<= 4\n", "General\n", "End\n"} {
		if !strings.Contains(lp.String(), want) {
			t.Errorf("LP lacks %q", want)
		}
	}
	for i, line := range strings.Split(lp.String(), "\n") {
		if len(line) > 510 {
			t.Errorf("LP line %d has %d characters", i+1, len(line))
		}
	}
	// Every variable appears in the COLUMNS section, in order.
	cols := mps.String()[strings.Index(mps.String(), "COLUMNS"):strings.Index(mps.String(), "RHS")]
	last := -1
	for j, v := range m.Vars {
		i := strings.Index(cols, " "+v.Name+" ")
		if i < 0 || i < last {
			t.Fatalf("column %d %s missing or out of order", j, v.Name)
		}
		last = i
	}
}

func TestReadCBCSolution(t *testing.T) {
	in := loadTiny(t, nil)
	m := Build(in)
	text := "Optimal - objective value 856.53112508\n" +
		"      2 x_T05_T1_math                  1              -43.468875\n" +
		"**   30 u_q2_U2                        1                       0\n"
	sol, err := ReadCBCSolution(strings.NewReader(text), m)
	if err != nil {
		t.Fatal(err)
	}
	if sol.Status != "Optimal" || sol.Objective != 856.53112508 {
		t.Errorf("status %q objective %v", sol.Status, sol.Objective)
	}
	if sol.X[varIndex(t, m, "x_T05_T1_math")] != 1 || sol.X[varIndex(t, m, "u_q2_U2")] != 1 {
		t.Errorf("values not read")
	}
	for _, bad := range []string{"", "garbage\n", "Optimal - objective value x\n", "Optimal - objective value 1\n 3 nosuch 1 0\n"} {
		if _, err := ReadCBCSolution(strings.NewReader(bad), m); err == nil {
			t.Errorf("no error for %q", bad)
		}
	}
}

// randomScenario is a county with every feature of the spec that changes
// the program: catalogue priorities, groups and routes, max_km, H4, age
// limits, cooldowns, exemptions, volunteers, ranked wishes, pins, forbids,
// per-school and county-wide quotas with binding backbone shares, and a
// source deficit.
func randomScenario(seed uint64, schools, teachers int) *model.Scenario {
	r := rand.New(rand.NewPCG(seed, 2027))
	subjects := []string{"chinese", "math", "music", "pe", "art"}
	sc := &model.Scenario{Version: 1, Name: fmt.Sprintf("random %d", seed), Year: 2027, Objective: model.DefaultWeights}
	sc.Objective.Wish = float64(r.IntN(80))
	sc.Objective.Deficit = float64(r.IntN(300))
	sc.HasCatalog = true
	for i, k := range subjects {
		sc.Subjects = append(sc.Subjects, model.Subject{ID: k, Priority: 1 + float64(i/2)})
	}
	sc.Policy.Eligibility.MinYears = 6
	male, female := 55, 50
	sc.Policy.Eligibility.AgeLimitMale, sc.Policy.Eligibility.AgeLimitFemale = &male, &female
	cool := 3
	sc.Policy.Eligibility.CooldownYears = &cool
	sc.Policy.BackboneLevels = model.DefaultBackboneLevels
	cats := []string{model.Urban, model.Town, model.Rural}
	for s := range schools {
		sch := model.School{ID: fmt.Sprintf("S%02d", s), Category: cats[s%3], Tier: 1 + r.IntN(3), Priority: 1 + float64(r.IntN(3))/2,
			Location: &model.Location{Lat: 30 + r.Float64()*0.4, Lon: 104 + r.Float64()*0.4}, Demand: map[string]int{}}
		sch.Group = fmt.Sprintf("G%d", r.IntN(3))
		sc.Schools = append(sc.Schools, sch)
	}
	levels := []string{"", "", "school", "county", "city", "province"}
	for t := range teachers {
		age := 24 + r.IntN(36)
		tc := model.Teacher{ID: fmt.Sprintf("T%04d", t), School: sc.Schools[r.IntN(schools)].ID, Subject: subjects[r.IntN(len(subjects))],
			Years: r.IntN(14), Age: &age, Gender: []string{"male", "female"}[r.IntN(2)], Backbone: levels[r.IntN(len(levels))]}
		if r.IntN(4) == 0 {
			if a := subjects[r.IntN(len(subjects))]; a != tc.Subject {
				tc.Also = []string{a}
			}
		}
		if r.IntN(8) == 0 {
			y := 2020 + r.IntN(7)
			tc.LastRotated = &y
		}
		if r.IntN(20) == 0 {
			tc.Exempt = "孕期"
		}
		if r.IntN(8) == 0 {
			tc.Volunteer = true
		}
		for range r.IntN(4) {
			if d := sc.Schools[r.IntN(schools)].ID; d != tc.School {
				tc.Wishes = append(tc.Wishes, d)
			}
		}
		sc.Teachers = append(sc.Teachers, tc)
	}
	staff := map[string]int{}
	for _, tc := range sc.Teachers {
		staff[tc.School+"/"+tc.Subject]++
	}
	for s := range sc.Schools {
		for _, k := range subjects {
			n := staff[sc.Schools[s].ID+"/"+k]
			switch {
			case sc.Schools[s].Category == model.Rural:
				sc.Schools[s].Demand[k] = n + r.IntN(3)
			case r.IntN(2) == 0:
				sc.Schools[s].Demand[k] = max(0, n-r.IntN(3))
			}
		}
	}
	sc.Policy.Quotas = []model.Quota{{Name: "城镇", From: model.Selector{Category: []string{model.Urban, model.Town}}, Each: true,
		MinShare: 0.05 + 0.2*r.Float64(), MinBackboneShare: 0.2 + 0.3*r.Float64()}}
	if r.IntN(2) == 0 {
		sc.Policy.Quotas = append(sc.Policy.Quotas, model.Quota{Name: "全县", Each: false, MinShare: 0.1 * r.Float64(), MinBackboneShare: 0.3})
	}
	if r.IntN(2) == 0 {
		sc.Policy.Quotas = append(sc.Policy.Quotas, model.Quota{Name: "一级校", From: model.Selector{Tier: []int{1}}, Each: false, MinShare: 0.15, MinBackboneShare: 0.25})
	}
	if r.IntN(3) > 0 {
		v := 0.1 + 0.2*r.Float64()
		sc.Policy.Limits.MaxOutflowShare = &v
	}
	if r.IntN(2) == 0 {
		v := 20 + 25*r.Float64()
		sc.Policy.Limits.MaxKm = &v
	}
	sc.Policy.Limits.SourceDeficit = r.IntN(2)
	if r.IntN(2) == 0 {
		sc.Policy.Routes = []model.Route{
			{From: model.Selector{Category: []string{model.Urban, model.Town}}, To: model.Selector{Category: []string{model.Town, model.Rural}}},
			{SameGroup: true}}
	}
	for range 1 + r.IntN(3) {
		sc.Forbids = append(sc.Forbids, model.Forbid{Teacher: sc.Teachers[r.IntN(teachers)].ID})
		sc.Forbids = append(sc.Forbids, model.Forbid{Teacher: sc.Teachers[r.IntN(teachers)].ID, To: sc.Schools[r.IntN(schools)].ID})
	}
	// Pins the pins alone can keep: a teacher from a cell with surplus to
	// an open post of its subject at a rural school, at most one per cell.
	pinned := map[string]bool{}
	used := map[string]bool{}
	for range r.IntN(4) {
		tc := sc.Teachers[r.IntN(teachers)]
		from := tc.School + "/" + tc.Subject
		var home *model.School
		for i := range sc.Schools {
			if sc.Schools[i].ID == tc.School {
				home = &sc.Schools[i]
			}
		}
		if d, ok := home.Demand[tc.Subject]; pinned[tc.ID] || used[from] || !ok || d >= staff[from] {
			continue
		}
		for _, s := range sc.Schools {
			to := s.ID + "/" + tc.Subject
			if s.ID != tc.School && s.Category == model.Rural && !used[to] && s.Demand[tc.Subject] > staff[to] {
				sc.Pins = append(sc.Pins, model.Pin{Teacher: tc.ID, To: s.ID})
				pinned[tc.ID], used[from], used[to] = true, true, true
				break
			}
		}
	}
	fs := sc.Forbids[:0]
	for _, f := range sc.Forbids {
		if !pinned[f.Teacher] {
			fs = append(fs, f)
		}
	}
	sc.Forbids = fs
	return sc
}
