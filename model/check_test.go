package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tinyYAML is a copy of examples/tiny.yaml, kept here so that edits to the
// example do not change what these tests expect.
const tinyYAML = `# A county small enough to follow by hand: two urban schools with more math and
# Chinese teachers than posts, a town school and a village school short of
# music and PE. See the README walk-through.
version: 1
name: 小县 2027 学年交流轮岗 (tiny example)
year: 2027

subjects:
  chinese: {name: 语文}
  math: {name: 数学}
  music: {name: 音乐, priority: 2}
  pe: {name: 体育, priority: 2}

schools:
  - id: U1
    name: 城关第一小学
    category: urban
    tier: 1
    group: G1
    stage: primary
    students: 600
    location: {lat: 30.680, lon: 103.850}
    demand: {chinese: 3, math: 2, music: 1, pe: 1}
  - id: U2
    name: 城关第二小学
    category: urban
    tier: 2
    stage: primary
    students: 500
    location: {lat: 30.700, lon: 103.880}
    demand: {chinese: 2, math: 2, music: 1, pe: 1}
  - id: T1
    name: 永宁镇中心小学
    category: town
    tier: 2
    group: G1
    stage: primary
    students: 300
    location: {lat: 30.640, lon: 103.800}
    demand: {chinese: 2, math: 2, music: 1, pe: 1}
  - id: R1
    name: 金马村小
    category: rural
    tier: 3
    group: G1
    stage: primary
    students: 120
    location: {lat: 30.600, lon: 103.760}
    priority: 2
    demand: {chinese: 1, math: 1, music: 1, pe: 1}

teachers:
  - {id: T01, name: 张敏, school: U1, subject: chinese, years: 8, age: 41, gender: female, backbone: county}
  - {id: T02, name: 李强, school: U1, subject: chinese, years: 7, age: 38, gender: male}
  - {id: T03, name: 王芳, school: U1, subject: chinese, years: 3, age: 29, gender: female}
  - {id: T04, name: 赵磊, school: U1, subject: chinese, years: 12, age: 47, gender: male, exempt: 学科带头人项目}
  - {id: T05, name: 陈静, school: U1, subject: math, years: 9, age: 44, gender: female, backbone: city, wishes: [T1]}
  - {id: T06, name: 刘洋, school: U1, subject: math, years: 6, age: 33, gender: male, also: [pe]}
  - {id: T07, name: 杨帆, school: U1, subject: math, years: 2, age: 26, gender: male}
  - {id: T08, name: 黄丽, school: U1, subject: music, years: 10, age: 39, gender: female, also: [chinese]}
  - {id: T09, name: 周杰, school: U1, subject: pe, years: 4, age: 31, gender: male}
  - {id: T10, name: 吴倩, school: U2, subject: chinese, years: 6, age: 36, gender: female, wishes: [R1, T1]}
  - {id: T11, name: 徐刚, school: U2, subject: chinese, years: 15, age: 52, gender: male, backbone: school}
  - {id: T12, name: 孙悦, school: U2, subject: chinese, years: 1, age: 24, gender: female}
  - {id: T13, name: 马超, school: U2, subject: math, years: 11, age: 45, gender: male, backbone: county, also: [pe]}
  - {id: T14, name: 朱琳, school: U2, subject: math, years: 6, age: 35, gender: female, last_rotated: 2025}
  - {id: T15, name: 胡军, school: U2, subject: music, years: 7, age: 40, gender: male, volunteer: true}
  - {id: T16, name: 郭敏, school: T1, subject: chinese, years: 9, age: 43, gender: female}
  - {id: T17, name: 何平, school: T1, subject: chinese, years: 5, age: 30, gender: male}
  - {id: T18, name: 高翔, school: T1, subject: math, years: 2, age: 27, gender: male}
  - {id: T19, name: 林雪, school: R1, subject: chinese, years: 4, age: 28, gender: female}
  - {id: T20, name: 罗刚, school: R1, subject: math, years: 10, age: 50, gender: male}

policy:
  eligibility:
    min_years: 6
    cooldown_years: 3
  quotas:
    - name: 城区学校交流比例
      from: {category: [urban]}
      each: true
      min_share: 0.10
      min_backbone_share: 0.20
  limits:
    max_km: 40
    max_outflow_share: 0.5
  routes:
    - {from: {category: [urban]}, to: {category: [town, rural]}}
    - {same_group: true}

pins:
  - {teacher: T05, to: T1}
forbid:
  - {teacher: T11}
`

// tinyFile writes tinyYAML into a temporary folder and returns its path.
func tinyFile(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tiny.yaml")
	if err := os.WriteFile(path, []byte(tinyYAML), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// tiny loads the tiny example with overrides.
func tiny(t *testing.T, sets ...string) *Instance {
	t.Helper()
	sc, err := LoadOverridden(tinyFile(t), sets)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	in, err := Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// mv writes a plan move "teacher to [subject]"; its line is its index + 1.
func plan(moves ...string) *Plan {
	p := &Plan{Version: 1}
	for i, m := range moves {
		f := strings.Fields(m)
		pm := PlanMove{Teacher: f[0], To: f[1], Pos: Pos{File: "plan.yaml", Line: i + 1, Col: 5}}
		if len(f) > 2 {
			pm.Subject = f[2]
		}
		p.Moves = append(p.Moves, pm)
	}
	return p
}

func TestCheckCleanPlan(t *testing.T) {
	// With the pin T05 -> T1 alone, U1's quota is met (1 of target 1, a
	// backbone teacher) and U2's is the only miss; without quotas, nothing.
	in := tiny(t, "policy.quotas[0].min_share=0")
	fs, err := CheckPlan(in, plan("T05 T1"))
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 0 {
		t.Errorf("clean plan: got findings %v", fs)
	}
	in = tiny(t)
	fs, _ = CheckPlan(in, plan("T05 T1"))
	if len(fs) != 1 || fs[0].Rule != RuleQuota || !strings.Contains(fs[0].Message, "/ U2: 0 moves, target 1") {
		t.Errorf("want only U2's quota miss, got %v", fs)
	}
}

func TestCheckFindsEachViolation(t *testing.T) {
	cases := []struct {
		name  string
		sets  []string
		moves []string
		rule  string
		want  []string // substrings of the message
		lines []int    // plan lines of the offending moves
	}{
		{"moved twice", nil, []string{"T05 T1", "T01 T1", "T01 R1"}, RuleH1,
			[]string{"T01 is moved 2 times", "T1 (chinese)", "R1 (chinese)"}, []int{2, 3}},
		{"route", nil, []string{"T05 T1", "T10 U1"}, RuleH1,
			[]string{"T10 U2 -> U1", "no route allows U2 -> U1"}, []int{2}},
		{"max_km", []string{"policy.limits.max_km=5"}, []string{"T05 T1", "T06 R1 pe"}, RuleH1,
			[]string{"T06 U1 -> R1 (pe)", "km > max_km 5"}, []int{2}},
		{"ineligible", nil, []string{"T05 T1", "T03 T1"}, RuleH1,
			[]string{"T03", "not eligible: 3 years at U1 < 6"}, []int{2}},
		{"forbidden outright", nil, []string{"T05 T1", "T11 R1"}, RuleH1,
			[]string{"T11 is forbidden to move"}, []int{2}},
		{"forbidden destination", []string{"forbid=[{teacher: T06, to: R1}]"}, []string{"T05 T1", "T06 R1 pe"}, RuleH1,
			[]string{"T06 is forbidden to go to R1"}, []int{2}},
		{"cannot teach", nil, []string{"T05 T1", "T06 R1 music"}, RuleH1,
			[]string{"T06 cannot teach music"}, []int{2}},
		{"over-filled post", nil, []string{"T05 T1", "T08 T1", "T15 T1"}, RuleH2,
			[]string{"T1 music: 2 arrive (T08, T15), 0 leave, 1 post open", "1 too many"}, []int{2, 3}},
		{"source emptied", nil, []string{"T05 T1", "T08 R1"}, RuleH3,
			[]string{"U1 music: 1 leaves (T08), 0 arrive, surplus 0 + source_deficit 0", "1 short"}, []int{2}},
		{"outflow", []string{"policy.limits.max_outflow_share=0.2"}, []string{"T05 T1", "T06 R1 pe"}, RuleH4,
			[]string{"U1: 2 teachers leave (T05, T06), at most 1 may", "0.2 x 9 teachers"}, []int{1, 2}},
		{"missing pin", nil, []string{"T06 R1 pe"}, RuleH1,
			[]string{"pin T05 -> T1 (math) is missing"}, nil},
		{"pin other subject", []string{"pins=[{teacher: T06, to: R1, subject: pe}]"}, []string{"T06 R1 math"}, RuleH1,
			[]string{"pin T06 -> R1 (pe) is not kept: the plan moves T06 to R1 (math)"}, []int{1}},
		{"pin other school", nil, []string{"T05 R1"}, RuleH1,
			[]string{"pin T05 -> T1 (math) is not kept", "R1 (math)"}, []int{1}},
		{"count quota", nil, []string{"T05 T1"}, RuleQuota,
			[]string{"城区学校交流比例 / U2: 0 moves, target 1 = ceil(min_share 0.1 x 4 eligible); 1 short"}, nil},
		{"backbone share", []string{"pins=[]"}, []string{"T06 R1 pe"}, RuleBackbone,
			[]string{"城区学校交流比例 / U1: 0 backbone of 1 move, need min_backbone_share 0.2 x 1 = 0.2; 0.2 short"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := tiny(t, c.sets...)
			fs, err := CheckPlan(in, plan(c.moves...))
			if err != nil {
				t.Fatal(err)
			}
			var hit *Finding
			for i, f := range fs {
				ok := f.Rule == c.rule
				for _, w := range c.want {
					ok = ok && strings.Contains(f.Message, w)
				}
				if ok {
					hit = &fs[i]
					break
				}
			}
			if hit == nil {
				t.Fatalf("no %s finding with %q; got:\n%s", c.rule, c.want, dump(fs))
			}
			var lines []int
			for _, p := range hit.Moves {
				lines = append(lines, p.Line)
			}
			if !equalInts(lines, c.lines) {
				t.Errorf("offending lines %v, want %v", lines, c.lines)
			}
			if hit.Severity != SeverityError {
				t.Errorf("severity %q", hit.Severity)
			}
			if c.lines == nil && hit.At.Line == 0 {
				t.Errorf("a finding without a move should point at the scenario entity, got %v", hit.At)
			}
			if hit.Hard() != strings.HasPrefix(c.rule, "H") {
				t.Errorf("Hard() = %v for %s", hit.Hard(), c.rule)
			}
		})
	}
}

func TestCheckUnknownNamesAreInputErrors(t *testing.T) {
	in := tiny(t)
	_, err := CheckPlan(in, plan("T05 T1", "T99 R1", "T06 X9"))
	if err == nil {
		t.Fatal("want an error")
	}
	msg := err.Error()
	for _, w := range []string{`plan.yaml:2:5: move: teacher "T99"`, `plan.yaml:3:5: move of teacher T06: school "X9"`} {
		if !strings.Contains(msg, w) {
			t.Errorf("error %q lacks %q", msg, w)
		}
	}
}

func TestCheckIsDeterministicAndSorted(t *testing.T) {
	in := tiny(t, "policy.limits.max_outflow_share=0.2")
	p := plan("T08 T1", "T15 T1", "T03 T1", "T06 R1 pe", "T01 R1", "T01 T1")
	a, _ := CheckPlan(in, p)
	for range 5 {
		b, _ := CheckPlan(in, p)
		if dump(a) != dump(b) {
			t.Fatalf("findings differ between runs:\n%s\n---\n%s", dump(a), dump(b))
		}
	}
	for i := 1; i < len(a); i++ {
		if ruleRank[a[i-1].Rule] > ruleRank[a[i].Rule] {
			t.Errorf("findings not sorted by rule: %s before %s", a[i-1].Rule, a[i].Rule)
		}
	}
}

// TestCheckAgreesWithEvaluate cross-checks the checker's recount against
// Evaluate on random plans: H2/H3/H4 fire exactly where Evaluate's flows
// break them, and quota findings exactly for the units Evaluate says are unmet.
func TestCheckAgreesWithEvaluate(t *testing.T) {
	in := tiny(t, "policy.limits.max_outflow_share=0.3", "policy.limits.source_deficit=1",
		"policy.quotas=[{name: q, from: {category: [urban]}, min_share: 0.3, min_backbone_share: 0.5}, {name: all, each: false, min_share: 0.2}]")
	r := rand.New(rand.NewPCG(1, 2))
	T, S := len(in.Scenario.Teachers), len(in.Scenario.Schools)
	for iter := range 300 {
		var moves []Placement
		for range r.IntN(8) {
			t := r.IntN(T)
			moves = append(moves, Placement{Teacher: t, To: r.IntN(S), Subject: in.Teaches[t][r.IntN(len(in.Teaches[t]))]})
		}
		fs := Check(in, moves, nil)
		o := Evaluate(in, moves)
		count := map[string]int{}
		for _, f := range fs {
			count[f.Rule]++
		}
		var h2, h3, h4, q, b int
		for c := range o.In {
			if o.In[c]-o.Out[c] > in.Short(c) {
				h2++
			}
			if o.Out[c]-o.In[c] > in.Surplus(c)+in.Scenario.Policy.Limits.SourceDeficit {
				h3++
			}
		}
		for s := range S {
			if o.Moved[s] > in.OutflowCap[s] {
				h4++
			}
		}
		for _, u := range o.Units {
			if u.CountShort > 0 {
				q++
			}
			if u.BackboneShort > 1e-9 {
				b++
			}
		}
		got := [5]int{count[RuleH2], count[RuleH3], count[RuleH4], count[RuleQuota], count[RuleBackbone]}
		want := [5]int{h2, h3, h4, q, b}
		if got != want {
			t.Fatalf("iteration %d, moves %v: H2,H3,H4,quota,backbone findings %v, Evaluate says %v\n%s", iter, moves, got, want, dump(fs))
		}
		// A plan without H1 findings has only allowed moves, one per teacher.
		if count[RuleH1] == 0 {
			seen := map[int]bool{}
			for _, m := range moves {
				if seen[m.Teacher] || (in.Pin[m.Teacher] < 0 && !in.Allowed(m.Teacher, m.To, m.Subject)) {
					t.Fatalf("iteration %d: no H1 finding for %v", iter, moves)
				}
				seen[m.Teacher] = true
			}
		}
	}
}

func TestFmtShort(t *testing.T) {
	if got := fmtShort(0.1 + 0.2); got != "0.3" {
		t.Errorf("fmtShort(0.1+0.2) = %s", got)
	}
	if got := fmtShort(math.Inf(1)); got != "+Inf" {
		t.Errorf("fmtShort(Inf) = %s", got)
	}
}

func dump(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.Rule + " " + f.Message + "\n")
	}
	return b.String()
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestCheckPlanWarnsAboutStaleFrom(t *testing.T) {
	in := tiny(t, "policy.quotas=")
	p := plan("T05 T1")
	p.Moves[0].From = "U2"
	fs, err := CheckPlan(in, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].Rule != RulePlan || fs[0].Severity != SeverityWarning ||
		!strings.Contains(fs[0].Message, "the plan moves T05 from U2, the scenario has T05 at U1") || fs[0].Moves[0].Line != 1 {
		t.Errorf("findings:\n%s", dump(fs))
	}
	p.Moves[0].From = "U1"
	if fs, _ := CheckPlan(in, p); len(fs) != 0 {
		t.Errorf("findings:\n%s", dump(fs))
	}
}

// bigScenario writes a county of S schools with n teachers each.
func bigScenario(b *testing.B, S, n int) *Instance {
	b.Helper()
	subjects := []string{"chinese", "math", "english", "music", "pe", "art"}
	r := rand.New(rand.NewPCG(7, 7))
	var sb strings.Builder
	sb.WriteString("version: 1\nyear: 2027\nschools:\n")
	cats := []string{"urban", "town", "rural"}
	for s := range S {
		fmt.Fprintf(&sb, "  - {id: S%04d, category: %s, group: G%d, location: {lat: %.3f, lon: %.3f}, demand: {", s, cats[s%3], s%20,
			30+r.Float64(), 103+r.Float64())
		for k, subj := range subjects {
			if k > 0 {
				sb.WriteString(", ")
			}
			fmt.Fprintf(&sb, "%s: %d", subj, n/len(subjects)+r.IntN(3)-1)
		}
		sb.WriteString("}}\n")
	}
	sb.WriteString("teachers:\n")
	for s := range S {
		for i := range n {
			bb := "none"
			if r.IntN(5) == 0 {
				bb = "county"
			}
			fmt.Fprintf(&sb, "  - {id: T%04d%03d, school: S%04d, subject: %s, years: %d, backbone: %s}\n", s, i, s, subjects[r.IntN(len(subjects))], r.IntN(12), bb)
		}
	}
	sb.WriteString("policy:\n  quotas:\n    - {name: q, from: {category: [urban]}, min_share: 0.1, min_backbone_share: 0.2}\n")
	sb.WriteString("  limits: {max_km: 60, max_outflow_share: 0.15}\n  routes:\n    - {from: {category: [urban, town]}, to: {category: [rural]}}\n    - {same_group: true}\n")
	path := filepath.Join(b.TempDir(), "big.yaml")
	if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	sc, err := Load(path)
	if err != nil {
		b.Fatal(err)
	}
	in, err := Compile(sc)
	if err != nil {
		b.Fatal(err)
	}
	return in
}

// BenchmarkCheck checks a plan of 1500 random moves in a county of 200
// schools and 10,000 teachers.
func BenchmarkCheck(b *testing.B) {
	in := bigScenario(b, 200, 50)
	r := rand.New(rand.NewPCG(1, 1))
	T, S := len(in.Scenario.Teachers), len(in.Scenario.Schools)
	var moves []Placement
	for range 1500 {
		t := r.IntN(T)
		moves = append(moves, Placement{Teacher: t, To: r.IntN(S), Subject: in.Subject[t]})
	}
	b.ResetTimer()
	var n int
	for b.Loop() {
		n = len(Check(in, moves, nil))
	}
	b.ReportMetric(float64(n), "findings")
}

func ExampleCheck() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "tiny.yaml")
	_ = os.WriteFile(path, []byte(tinyYAML), 0o644)
	sc, _ := Load(path)
	in, _ := Compile(sc)
	// T08, U1's only music teacher, goes to the village school's open music post,
	// and T05's pin to T1 is left out.
	moves := []Placement{{Teacher: in.TeacherIndex["T08"], To: in.SchoolIndex["R1"], Subject: in.SubjectIndex["music"]}}
	for _, f := range Check(in, moves, []Pos{{File: "plan.yaml", Line: 4}}) {
		fmt.Printf("%s %s: %s\n", f.Rule, f.Severity, f.Message)
	}
	// Output:
	// H1 error: pin T05 -> T1 (math) is missing from the plan
	// H3 error: U1 music: 1 leaves (T08), 0 arrive, surplus 0 + source_deficit 0 (staff 1, posts 1); would end 1 short
	// quota error: 城区学校交流比例 / U2: 0 moves, target 1 = ceil(min_share 0.1 x 4 eligible); 1 short
	// backbone error: 城区学校交流比例 / U1: 0 backbone of 1 move, need min_backbone_share 0.2 x 1 = 0.2; 0.2 short
}
