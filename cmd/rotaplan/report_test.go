package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"rotaplan/model"
	"rotaplan/report"
	"rotaplan/solver"
)

// The report tests use copies of examples/tiny.yaml and hand-made plans
// under testdata/report, so edits to the example do not move the goldens.
const (
	reportTiny  = "testdata/report/tiny.yaml"
	reportSwap  = "testdata/report/swap.yaml"
	reportEmpty = "testdata/report/empty.yaml"
)

func TestReportGolden(t *testing.T) {
	for _, c := range []struct {
		plan, format, golden string
	}{
		{reportSwap, "text", "report/swap.txt"},
		{reportSwap, "json", "report/swap.json"},
		{reportSwap, "md", "report/swap.md"},
		{reportEmpty, "text", "report/empty.txt"},
		{"testdata/report/broken.yaml", "text", "report/broken.txt"},
	} {
		code, out, errs := invokeMain("report", reportTiny, c.plan, "--format", c.format)
		if code != ExitOK || errs != "" {
			t.Fatalf("%s %s: exit %d: %s", c.plan, c.format, code, errs)
		}
		golden(t, c.golden, out)
	}
}

// TestReportOutputFile: -o writes the same bytes as stdout, atomically (no
// temporary file left beside it), and prints nothing.
func TestReportOutputFile(t *testing.T) {
	dir := t.TempDir()
	for _, format := range report.Formats {
		path := filepath.Join(dir, "r."+format)
		code, out, errs := invokeMain("report", reportTiny, reportSwap, "--format", format, "-o", path)
		if code != ExitOK || out != "" || errs != "" {
			t.Fatalf("%s: exit %d, stdout %q, stderr %q", format, code, out, errs)
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		_, want, _ := invokeMain("report", reportTiny, reportSwap, "--format", format)
		if string(got) != want {
			t.Errorf("%s: -o file differs from stdout", format)
		}
	}
	// -o never overwrites an input.
	planCopy := filepath.Join(dir, "plan.yaml")
	data, _ := os.ReadFile(reportSwap)
	os.WriteFile(planCopy, data, 0o644)
	code, _, errs := invokeMain("report", reportTiny, planCopy, "-o", planCopy)
	if after, _ := os.ReadFile(planCopy); code != ExitBadInput || string(after) != string(data) || !strings.Contains(errs, "input files are never overwritten") {
		t.Errorf("-o onto the plan: exit %d, %s", code, errs)
	}
	os.Remove(planCopy)
	entries, _ := os.ReadDir(dir)
	if len(entries) != len(report.Formats) {
		t.Errorf("%d files in the output folder, want %d (a temporary file left?)", len(entries), len(report.Formats))
	}
}

func TestReportErrors(t *testing.T) {
	dir := t.TempDir()
	badPlan := filepath.Join(dir, "bad.yaml")
	os.WriteFile(badPlan, []byte("version: 1\nmoves:\n  - {teacher: T99, to: R1}\n  - {teacher: T01, to: X9}\n"), 0o644)
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"report", reportTiny, reportSwap, "--format", "pdf"}, []string{`--format "pdf"`}},
		{[]string{"report", reportTiny}, []string{"accepts 2 arg"}},
		{[]string{"report", reportTiny, filepath.Join(dir, "missing.yaml")}, []string{"missing.yaml", "cannot read plan"}},
		{[]string{"report", reportTiny, badPlan}, []string{badPlan + ":3:5", "T99", badPlan + ":4:5", "X9"}},
		{[]string{"report", reportTiny, reportSwap, "--set", "policy.quotas[0].min_share=2"}, []string{"min_share"}},
		{[]string{"explain", reportTiny, reportSwap}, []string{"--teacher is required"}},
		{[]string{"explain", reportTiny, reportSwap, "--teacher", "T99"}, []string{"T99"}},
		{[]string{"explain", reportTiny, reportSwap, "--teacher", "T01", "--format", "html"}, []string{"text or json"}},
	}
	for _, c := range cases {
		code, out, errs := invokeMain(c.args...)
		if code != ExitBadInput || out != "" {
			t.Errorf("%v: exit %d, stdout %q; want exit 2, no output", c.args, code, out)
		}
		for _, w := range c.want {
			if !strings.Contains(errs, w) {
				t.Errorf("%v: stderr lacks %q:\n%s", c.args, w, errs)
			}
		}
	}
}

// TestReportSet: --set what-if overrides reach the report: a higher
// min_share raises U1's target from 1 to ceil(0.5 x 5) = 3.
func TestReportSet(t *testing.T) {
	code, out, errs := invokeMain("report", reportTiny, reportSwap, "--format", "json", "--set", "policy.quotas[0].min_share=0.5")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Quotas []struct {
			Name   string
			Target int
			Moves  int
			Reason string
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Quotas) != 2 || doc.Quotas[0].Target != 3 || doc.Quotas[0].Moves != 2 || !strings.Contains(doc.Quotas[0].Reason, "needs 3 departures (ceil(0.5 x 5 eligible))") {
		t.Errorf("quotas: %+v", doc.Quotas)
	}
}

func TestExplainGolden(t *testing.T) {
	for _, id := range []string{"T06", "T05", "T03"} {
		code, out, errs := invokeMain("explain", reportTiny, reportSwap, "--teacher", id)
		if code != ExitOK || errs != "" {
			t.Fatalf("%s: exit %d: %s", id, code, errs)
		}
		golden(t, "explain/"+id+".txt", out)
	}
	code, out, _ := invokeMain("explain", reportTiny, reportSwap, "--teacher", "T06", "--format", "json")
	var e report.Explanation
	if code != ExitOK || json.Unmarshal([]byte(out), &e) != nil || e.Teacher != "T06" || len(e.Options) != 5 {
		t.Errorf("json: exit %d, %+v", code, e)
	}
}

var hasDigit = regexp.MustCompile(`[0-9]`)

// exampleScenarios are the scenarios under examples/, at the top or one folder down.
func exampleScenarios(t *testing.T) []string {
	top, _ := filepath.Glob("../../examples/*.yaml")
	sub, _ := filepath.Glob("../../examples/*/*.yaml")
	all := append(top, sub...)
	if len(all) == 0 {
		t.Fatal("no examples")
	}
	return all
}

// TestReportExamplesExplainShortfalls: on every example, with the empty
// plan and with the solver's plan (when the solver works, and for the
// examples small enough to solve in a unit test), every quota unit that is
// short carries a reason with numbers, and every format renders.
func TestReportExamplesExplainShortfalls(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "empty.yaml")
	os.WriteFile(empty, []byte("version: 1\nmoves: []\n"), 0o644)
	for _, ex := range exampleScenarios(t) {
		in, err := loadScenario(ex, nil)
		if err != nil {
			t.Fatalf("%s: %v", ex, err)
		}
		plans := map[string][]model.Placement{"empty": nil}
		if len(in.Scenario.Teachers) <= 2000 {
			if res, err := solver.Solve(context.Background(), in, nil); err == nil && res.Status != solver.Infeasible {
				plans["solved"] = res.Moves
			} else {
				t.Logf("%s: no solver plan (%v)", ex, err)
			}
		}
		for _, name := range []string{"empty", "solved"} {
			moves, ok := plans[name]
			if !ok {
				continue
			}
			r := report.Build(in, moves)
			short := 0
			for _, u := range r.Units {
				if u.CountShort > 0 {
					short++
					if !hasDigit.MatchString(u.Reason) {
						t.Errorf("%s %s plan: %s is %d short without a numeric reason: %q", ex, name, u.Name, u.CountShort, u.Reason)
					}
				}
				if u.BackboneShort > 0 {
					short++
					if !hasDigit.MatchString(u.BackboneReason) {
						t.Errorf("%s %s plan: %s misses its backbone share without a numeric reason: %q", ex, name, u.Name, u.BackboneReason)
					}
				}
			}
			t.Logf("%s %s plan: %d moves, %d of %d units met, %d shortfalls explained", filepath.Base(ex), name, len(moves), r.Summary.UnitsMet, len(r.Units), short)
			for _, f := range report.Formats {
				if err := report.Write(discard{}, r, f); err != nil {
					t.Errorf("%s %s: %v", ex, f, err)
				}
			}
		}
	}
	// The plan file route too: report reads what plan writes.
	code, _, errs := invokeMain("report", "../../examples/tiny.yaml", empty)
	if code != ExitOK {
		t.Errorf("report on examples/tiny.yaml: exit %d: %s", code, errs)
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
