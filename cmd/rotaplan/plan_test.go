package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"rotaplan/model"
	"rotaplan/solver"
)

// planTiny is a copy of examples/tiny.yaml for the plan tests.
const planTiny = "testdata/plan/tiny.yaml"

var secondsField = regexp.MustCompile(`("?seconds"?: )[^,}\n]+`)

// blankSeconds removes the one field of a plan file that may differ between runs.
func blankSeconds(s string) string { return secondsField.ReplaceAllString(s, "${1}X") }

func TestPlanGolden(t *testing.T) {
	for _, format := range []string{"yaml", "json", "csv"} {
		t.Run(format, func(t *testing.T) {
			code, out, errs := invokeMain("plan", planTiny, "--format", format)
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, errs)
			}
			golden(t, "plan/tiny.plan."+format, blankSeconds(out))
			// The summary goes to stderr when the plan goes to stdout.
			for _, want := range []string{"plan: 1 move written to stdout", "quotas: 1 of 2 units met",
				"城区学校交流比例 / U2", "moved 0 of 1, 1 short", "posts: 1 filled, 0 emptied; 6.5 km",
				"objective: quota 1000, backbone 0, fill -100, deficit 0, km 6.53, wish -50", "Z 856.53, bound 856.53, gap 0%, optimal"} {
				if !strings.Contains(errs, want) {
					t.Errorf("summary lacks %q:\n%s", want, errs)
				}
			}
		})
	}
}

// The plan file agrees with model.Evaluate and passes the rule checker.
func TestPlanFileContent(t *testing.T) {
	code, out, errs := invokeMain("plan", planTiny, "--format", "json", "--quiet")
	if code != ExitOK || errs != "" {
		t.Fatalf("exit %d, stderr %q (want nothing with --quiet)", code, errs)
	}
	var p model.Plan
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatal(err)
	}
	sc, err := model.Load(planTiny)
	if err != nil {
		t.Fatal(err)
	}
	in, err := model.Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	if p.Scenario.SHA256 != sc.SHA256 || p.Solver == nil || p.Objective == nil {
		t.Fatalf("plan header %+v", p)
	}
	moves, err := model.Placements(in, &p)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range model.Check(in, moves, nil) {
		if f.Hard() {
			t.Errorf("plan breaks %s: %s", f.Rule, f.Message)
		}
	}
	o := model.Evaluate(in, moves)
	if got, want := *p.Objective, model.RoundTerms(o.Terms); got != want {
		t.Errorf("objective terms %+v, Evaluate %+v", got, want)
	}
	if z := o.Terms.Total(); model.Round(z, 6) != p.Solver.Objective {
		t.Errorf("solver.objective %v, Evaluate %v", p.Solver.Objective, z)
	}
}

func TestPlanOutputFiles(t *testing.T) {
	dir := t.TempDir()
	cases := []struct{ name, format, check string }{
		{"plan.yaml", "", "version: 1\n"},
		{"plan.json", "", "{\n  \"version\": 1,"},
		{"plan.csv", "", "\ufeffteacher,name,from,to,subject,backbone,km\r\nT05,陈静,U1,T1,math,city,6.5\r\n"},
		{"plan.txt", "json", "{\n"},
		{"plan.out", "", "version: 1\n"},
	}
	for _, c := range cases {
		path := filepath.Join(dir, c.name)
		args := []string{"plan", planTiny, "-o", path}
		if c.format != "" {
			args = append(args, "--format", c.format)
		}
		code, out, errs := invokeMain(args...)
		if code != ExitOK {
			t.Fatalf("%s: exit %d: %s", c.name, code, errs)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(data), c.check) {
			t.Errorf("%s begins %q, want %q", c.name, data[:min(len(data), 60)], c.check)
		}
		// With -o the summary is on stdout and stderr is empty.
		if !strings.Contains(out, "plan: 1 move written to "+path) || errs != "" {
			t.Errorf("%s: stdout %q stderr %q", c.name, out, errs)
		}
	}
	// CSV: the BOM and exactly one row per move.
	data, _ := os.ReadFile(filepath.Join(dir, "plan.csv"))
	if rows := strings.Count(string(data), "\r\n"); rows != 2 {
		t.Errorf("CSV has %d lines, want a header and 1 move", rows)
	}
	// No temporary files are left behind.
	entries, _ := os.ReadDir(dir)
	if len(entries) != len(cases) {
		t.Errorf("%d files in the output folder, want %d", len(entries), len(cases))
	}
}

func TestPlanExitCodes(t *testing.T) {
	dir := t.TempDir()
	copyScenario := filepath.Join(dir, "tiny.yaml")
	orig, _ := os.ReadFile(planTiny)
	if err := os.WriteFile(copyScenario, orig, 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		code int
		errs []string
	}{
		{"ok", []string{"plan", planTiny, "-q"}, ExitOK, nil},
		{"missing file", []string{"plan", "testdata/plan/nosuch.yaml"}, ExitBadInput, []string{"nosuch.yaml"}},
		{"no argument", []string{"plan"}, ExitBadInput, []string{"accepts 1 arg"}},
		{"bad format", []string{"plan", planTiny, "--format", "xml"}, ExitBadInput, []string{`--format "xml"`}},
		{"negative gap", []string{"plan", planTiny, "--gap", "-1"}, ExitBadInput, []string{"--gap"}},
		{"bad duration", []string{"plan", planTiny, "--time-limit", "soon"}, ExitBadInput, []string{"time-limit"}},
		{"bad override", []string{"plan", planTiny, "--set", "policy.limits.max_km=far"}, ExitBadInput, []string{"max_km"}},
		{"overwrite input", []string{"plan", copyScenario, "-o", copyScenario}, ExitBadInput, []string{"never overwritten"}},
		// T05 pinned to R1 math: R1's one math post is held; T05 arrives anyway.
		{"impossible pins", []string{"plan", planTiny, "--set", "pins[0].to=R1", "-o", filepath.Join(dir, "none.yaml")}, ExitNoPlan,
			[]string{"no plan exists", "H2", "R1 math", "1 arrive, 0 leave, 0 posts open", "pinned: T05"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, errs := invokeMain(c.args...)
			if code != c.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, c.code, errs)
			}
			for _, w := range c.errs {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errs)
				}
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "none.yaml")); !os.IsNotExist(err) {
		t.Errorf("a plan file was written for impossible pins (%v)", err)
	}
	if now, _ := os.ReadFile(copyScenario); !bytes.Equal(now, orig) {
		t.Error("the scenario file was overwritten")
	}
}

// Two runs give byte-identical files except seconds, in every format, also
// with more moves (a what-if raising the quotas).
func TestPlanDeterministic(t *testing.T) {
	for _, extra := range [][]string{nil, {"--set", "policy.quotas[0].min_share=0.6", "--set", "policy.quotas[0].min_backbone_share=0.5"}} {
		for _, format := range []string{"yaml", "json", "csv"} {
			args := append([]string{"plan", planTiny, "-q", "--format", format}, extra...)
			_, a, _ := invokeMain(args...)
			_, b, _ := invokeMain(args...)
			if a == "" || blankSeconds(a) != blankSeconds(b) {
				t.Errorf("%v: runs differ:\n%s\n---\n%s", args, a, b)
			}
		}
	}
}

// Progress appears on a terminal only after the delay, is cleared at the
// end, and --quiet silences it. The solver is a stand-in that reports.
func TestPlanProgress(t *testing.T) {
	real := planSolve
	defer func() { planSolve = real }()
	planSolve = func(ctx context.Context, in *model.Instance, s *solver.Settings) (*solver.Result, error) {
		if s.Progress != nil {
			s.Progress(solver.Progress{Elapsed: 300 * time.Millisecond, Phase: "early", Objective: 5, Bound: 1})
			s.Progress(solver.Progress{Elapsed: 1500 * time.Millisecond, Phase: "dual", Objective: 900.25, Bound: 850, Nodes: 7})
			s.Progress(solver.Progress{Elapsed: 1550 * time.Millisecond, Phase: "throttled", Objective: 900, Bound: 850})
		}
		return real(ctx, in, s)
	}
	run := func(args ...string) string {
		var out, errb bytes.Buffer
		if code := Main(args, Streams{In: strings.NewReader(""), Out: &out, Err: &errb, Terminal: true}); code != 0 {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
		return errb.String()
	}
	errs := run("plan", planTiny, "-o", filepath.Join(t.TempDir(), "p.yaml"))
	if !strings.Contains(errs, "\r  1.5s dual       Z 900.2  bound 850.0  nodes 7") && !strings.Contains(errs, "\r  1.5s dual       Z 900.3  bound 850.0  nodes 7") {
		t.Errorf("progress line missing: %q", errs)
	}
	if strings.Contains(errs, "early") || strings.Contains(errs, "throttled") {
		t.Errorf("progress before the delay or too often: %q", errs)
	}
	if !strings.HasSuffix(errs, "\r") {
		t.Errorf("progress line not cleared at the end: %q", errs)
	}
	if errs := run("plan", planTiny, "-q", "-o", filepath.Join(t.TempDir(), "p.yaml")); errs != "" {
		t.Errorf("--quiet: stderr %q", errs)
	}
}
