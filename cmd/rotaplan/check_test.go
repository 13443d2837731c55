package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"rotaplan/gen"
	"rotaplan/model"
	"rotaplan/solver"
)

// update rewrites the golden files under testdata/ (go test -update). It is
// the one -update flag of the package's tests: other test files use it too.
var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// tinyScenario is a copy of examples/tiny.yaml, so that edits to the example
// do not change the golden files.
const tinyScenario = "testdata/check/tiny.yaml"

// invokeMain runs rotaplan with args and returns the exit code and outputs.
func invokeMain(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := Main(args, Streams{In: strings.NewReader(""), Out: &out, Err: &errb})
	return code, out.String(), errb.String()
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestCheckExitCodes(t *testing.T) {
	cases := []struct {
		name string
		args []string
		code int
		out  string // substring of stdout
		err  string // substring of stderr
	}{
		{"quota missed", []string{"testdata/check/good.yaml"}, ExitViolations,
			"error: quota: 城区学校交流比例 / U2: 0 moves, target 1", ""},
		{"quota allowed", []string{"testdata/check/good.yaml", "--allow-quota-shortfall"}, ExitOK,
			"warning: quota: 城区学校交流比例 / U2", ""},
		{"all hold", []string{"testdata/check/good.yaml", "--set", "policy.quotas[0].from.schools=[U1]"}, ExitOK,
			"good.yaml: ok, 1 move, all hard rules and quotas hold", ""},
		{"hard rule", []string{"testdata/check/bad.yaml", "--allow-quota-shortfall"}, ExitViolations, "error: H2:", ""},
		{"unknown names", []string{"testdata/check/unknown.yaml"}, ExitBadInput, "",
			"testdata/check/unknown.yaml:3:5: move: teacher \"T99\" is not in the scenario\ntestdata/check/unknown.yaml:4:5: move of teacher T06: school \"X9\""},
		{"missing plan", []string{"testdata/check/nothing.yaml"}, ExitBadInput, "", "cannot read plan"},
		{"bad format", []string{"testdata/check/good.yaml", "--format", "xml"}, ExitBadInput, "", `--format "xml"`},
		{"bad override", []string{"testdata/check/good.yaml", "--set", "schools[S99].demand.music=3"}, ExitBadInput, "",
			`--set schools[S99].demand.music=3: no item with id "S99" in schools`},
		{"csv plan", []string{"testdata/check/quota.csv"}, ExitViolations, "quota.csv:2:1: error: H3: U1 math: 2 leave (T05, T06)", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"check", tinyScenario}, c.args...)
			code, out, errs := invokeMain(args...)
			if code != c.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, c.code, out, errs)
			}
			if !strings.Contains(out, c.out) {
				t.Errorf("stdout lacks %q:\n%s", c.out, out)
			}
			if !strings.Contains(errs, c.err) {
				t.Errorf("stderr lacks %q:\n%s", c.err, errs)
			}
		})
	}
}

// The bad plan holds one of several kinds of mistakes; the text output is a golden file.
func TestCheckGoldenText(t *testing.T) {
	code, out, _ := invokeMain("check", tinyScenario, "testdata/check/bad.yaml")
	if code != ExitViolations {
		t.Errorf("exit %d", code)
	}
	for _, w := range []string{
		"bad.yaml:5:5: error: H1: T01 is moved 2 times",
		"bad.yaml:7:5: error: H1: move T03 U1 -> T1 (chinese) is not allowed: T03 is not eligible",
		"bad.yaml:10:5: error: H1: move T10 U2 -> U1 (chinese) is not allowed: no route allows U2 -> U1",
		"bad.yaml:11:5: error: H1: move T11 U2 -> R1 (chinese) is not allowed: T11 is forbidden to move",
		"tiny.yaml:92:5: error: H1: pin T05 -> T1 (math) is missing from the plan",
		"bad.yaml:8:5: error: H2: T1 music: 2 arrive (T08, T15), 0 leave, 1 post open",
		"bad.yaml:8:5: error: H3: U1 music: 1 leaves (T08)",
		"bad.yaml:1:1: warning: scenario: the plan was made for another version of the scenario",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q", w)
		}
	}
	golden(t, "check/bad.txt", out)
}

func TestCheckGitHubAnnotations(t *testing.T) {
	code, out, _ := invokeMain("check", tinyScenario, "testdata/check/bad.yaml", "--format", "github")
	if code != ExitViolations {
		t.Errorf("exit %d", code)
	}
	// Each offending move is annotated at its own line of the plan.
	plan, err := os.ReadFile("testdata/check/bad.yaml")
	if err != nil {
		t.Fatal(err)
	}
	planLines := strings.Split(string(plan), "\n")
	re := regexp.MustCompile(`^::(error|warning) file=([^,]+),line=(\d+)::(.*)$`)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	seen := map[string]bool{}
	for _, l := range lines[:len(lines)-1] {
		m := re.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("not an annotation: %q", l)
		}
		n, _ := strconv.Atoi(m[3])
		seen[m[1]+" "+m[2]+":"+m[3]+" "+strings.SplitN(m[4], ":", 2)[0]] = true
		if m[2] == "testdata/check/bad.yaml" && strings.HasPrefix(m[4], "H") {
			// The annotated plan line moves a teacher that the message names.
			tm := regexp.MustCompile(`teacher: (T\d+)`).FindStringSubmatch(planLines[n-1])
			if tm == nil || !strings.Contains(m[4], tm[1]) {
				t.Errorf("line %d (%q) annotated with %q", n, planLines[n-1], m[4])
			}
		}
	}
	for _, w := range []string{
		"error testdata/check/bad.yaml:5 H1", "error testdata/check/bad.yaml:6 H1", // T01 moved twice: both lines
		"error testdata/check/bad.yaml:8 H2", "error testdata/check/bad.yaml:9 H2", // T1 music over-filled
		"error testdata/check/bad.yaml:11 H1",
		"error testdata/check/tiny.yaml:92 H1",       // the missing pin, at the pin
		"warning testdata/check/bad.yaml:1 scenario", // hash mismatch, at line 1 of the plan
	} {
		if !seen[w] {
			t.Errorf("no annotation %q in:\n%s", w, out)
		}
	}
	// Quota misses become warnings with --allow-quota-shortfall.
	_, out, _ = invokeMain("check", tinyScenario, "testdata/check/good.yaml", "--format", "github", "--allow-quota-shortfall")
	if !strings.HasPrefix(out, "::warning file=testdata/check/tiny.yaml,line=79::quota: 城区学校交流比例 / U2: 0 moves") {
		t.Errorf("quota warning:\n%s", out)
	}
}

func TestCheckJSON(t *testing.T) {
	code, out, _ := invokeMain("check", tinyScenario, "testdata/check/bad.yaml", "--format", "json")
	if code != ExitViolations {
		t.Errorf("exit %d", code)
	}
	var r checkJSON
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.OK || r.Moves != 7 || r.Errors != len(r.Findings)-1 || r.Warnings != 1 {
		t.Errorf("summary: ok %v moves %d errors %d warnings %d of %d findings", r.OK, r.Moves, r.Errors, r.Warnings, len(r.Findings))
	}
	var twice *findingJSON
	for i, f := range r.Findings {
		if strings.Contains(f.Message, "T01 is moved 2 times") {
			twice = &r.Findings[i]
		}
	}
	if twice == nil || twice.Rule != "H1" || twice.Line != 5 || len(twice.Lines) != 2 || twice.Lines[1] != 6 ||
		len(twice.Teachers) != 1 || twice.Teachers[0] != "T01" {
		t.Errorf("T01 finding: %+v", twice)
	}
	golden(t, "check/bad.json", out)
}

// A plan carrying the scenario's own hash gets no warning.
func TestCheckScenarioHash(t *testing.T) {
	data, err := os.ReadFile(tinyScenario)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	plan := filepath.Join(t.TempDir(), "p.yaml")
	text := "scenario: {sha256: " + hex.EncodeToString(sum[:]) + "}\nmoves:\n  - {teacher: T05, to: T1}\n"
	if err := os.WriteFile(plan, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := invokeMain("check", tinyScenario, plan, "--allow-quota-shortfall")
	if code != ExitOK || strings.Contains(out, "scenario:") || !strings.Contains(out, "1 warning") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	text = strings.Replace(text, hex.EncodeToString(sum[:]), "abc", 1)
	if err := os.WriteFile(plan, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ = invokeMain("check", tinyScenario, plan, "--allow-quota-shortfall")
	if code != ExitOK || !strings.Contains(out, "warning: scenario: the plan was made for another version") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

// solvedPlan solves the scenario with the solver and writes the plan file
// the way plan does (model.NewPlan, model.WritePlan), into dir.
func solvedPlan(t *testing.T, scenario, dir string) string {
	t.Helper()
	in, err := loadScenario(scenario, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := solver.Solve(t.Context(), in, nil)
	if err != nil {
		t.Fatalf("%s: %v", scenario, err)
	}
	if res.Status == solver.Infeasible {
		t.Fatalf("%s: infeasible: %v", scenario, res.Conflicts)
	}
	path := filepath.Join(dir, strings.TrimSuffix(filepath.Base(scenario), ".yaml")+".plan.yaml")
	err = model.WriteFileAtomic(path, func(w io.Writer) error { return model.WritePlan(w, model.NewPlan(in, res.Moves), "yaml") })
	if err != nil {
		t.Fatal(err)
	}
	return path
}

// A solved plan passes check on every example: the solver and the
// independent checker agree on the hard rules.
func TestSolvedExamplesPassCheck(t *testing.T) {
	examples, err := filepath.Glob("../../examples/*.yaml")
	if err != nil || len(examples) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	dir := t.TempDir()
	for _, ex := range examples {
		plan := solvedPlan(t, ex, dir)
		code, out, errs := invokeMain("check", ex, plan, "--allow-quota-shortfall")
		if code != ExitOK || strings.Contains(out, "error:") {
			t.Errorf("%s: check exit %d:\n%s%s", ex, code, out, errs)
		}
	}
}

func TestCheckPlanFromStdin(t *testing.T) {
	var out, errb bytes.Buffer
	plan := "moves:\n  - {teacher: T05, to: T1}\n  - {teacher: T08, to: R1}\n"
	code := Main([]string{"check", tinyScenario, "-", "--allow-quota-shortfall"}, Streams{In: strings.NewReader(plan), Out: &out, Err: &errb})
	if code != ExitViolations || !strings.Contains(out.String(), "-:3:5: error: H3: U1 music: 1 leaves (T08)") {
		t.Errorf("exit %d:\n%s%s", code, out.String(), errb.String())
	}
}

// hasCommand reports whether rotaplan has the subcommand (plan is written
// by another engineer).
func hasCommand(name string) bool {
	root := newRootCmd(Streams{In: strings.NewReader(""), Out: io.Discard, Err: io.Discard})
	for _, c := range root.Commands() {
		if c.Name() == name {
			return true
		}
	}
	return false
}

// TestPlanThenCheck runs `rotaplan plan` and then `rotaplan check` on every
// example and on generated counties (YAML and CSV rosters): the plan keeps
// every hard rule by the independent checker, and the objective written in
// the plan file is Z of its moves by model.Evaluate.
func TestPlanThenCheck(t *testing.T) {
	if !hasCommand("plan") {
		t.Skip("rotaplan plan is not there yet")
	}
	dir := t.TempDir()
	scenarios, err := filepath.Glob("../../examples/*.yaml")
	if err != nil || len(scenarios) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	for seed := range uint64(4) {
		sc := gen.Generate(gen.Options{Schools: 8 + 4*int(seed), TeachersPerSchool: 25, Seed: seed, CSV: seed == 3})
		path := filepath.Join(dir, fmt.Sprintf("gen%d.yaml", seed))
		if err := gen.WriteFiles(path, sc, "generated for TestPlanThenCheck"); err != nil {
			t.Fatal(err)
		}
		scenarios = append(scenarios, path)
	}
	for i, s := range scenarios {
		plan := filepath.Join(dir, fmt.Sprintf("plan%d.yaml", i))
		if code, out, errs := invokeMain("plan", s, "-o", plan, "-q"); code != ExitOK {
			t.Errorf("%s: plan exit %d:\n%s%s", s, code, out, errs)
			continue
		}
		code, out, errs := invokeMain("check", s, plan, "--format", "json")
		var r checkJSON
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("%s: %v\n%s%s", s, err, out, errs)
		}
		for _, f := range r.Findings {
			if f.Rule != model.RuleQuota && f.Rule != model.RuleBackbone {
				t.Errorf("%s: %s %s: %s", s, f.Severity, f.Rule, f.Message)
			}
		}
		if (code == ExitOK) != r.OK {
			t.Errorf("%s: exit %d with ok %v", s, code, r.OK)
		}
		// The objective in the file is Z of the moves.
		in, err := loadScenario(s, nil)
		if err != nil {
			t.Fatal(err)
		}
		p, err := model.ReadPlan(plan)
		if err != nil {
			t.Fatal(err)
		}
		moves, err := model.Placements(in, p)
		if err != nil {
			t.Fatal(err)
		}
		z := model.Evaluate(in, moves).Terms.Total()
		var head struct {
			Solver struct{ Objective *float64 }
		}
		data, _ := os.ReadFile(plan)
		if err := yaml.Unmarshal(data, &head); err != nil || head.Solver.Objective == nil ||
			math.Abs(*head.Solver.Objective-z) > 1e-6*max(1, math.Abs(z)) {
			t.Errorf("%s: plan file solver.objective %v (%v), Evaluate %v", s, head.Solver.Objective, err, z)
		}
		t.Logf("%s: %d moves, Z %.2f, %d quota findings", filepath.Base(s), len(moves), z, len(r.Findings))
	}
}
