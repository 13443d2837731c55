package main

import (
	"strings"
	"testing"
)

func TestDiffGolden(t *testing.T) {
	for _, c := range []struct {
		golden string
		args   []string
	}{
		{"diff/plain.txt", nil},
		{"diff/scenario.txt", []string{"--scenario", tinyScenario}},
		{"diff/set.txt", []string{"--scenario", tinyScenario, "--set", "policy.quotas[0].min_backbone_share=0"}},
	} {
		args := append([]string{"diff", "testdata/diff/a.yaml", "testdata/diff/b.yaml"}, c.args...)
		code, out, errs := invokeMain(args...)
		if code != ExitOK {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		golden(t, c.golden, out)
	}
}

func TestDiffContent(t *testing.T) {
	_, out, _ := invokeMain("diff", "testdata/diff/a.yaml", "testdata/diff/b.yaml", "--scenario", tinyScenario)
	for _, w := range []string{
		"moves: 1 added, 1 dropped, 1 changed, 1 the same",
		"+ T15    胡军       U2 -> R1 music", // subject filled in from the scenario
		"- T08    黄丽       U1 -> R1 music",
		"~ T06    刘洋       U1 -> R1 pe  =>  T1 pe",
		// U1 sends 3 in A, 2 in B; U2 sends T15 in B only.
		"U1           0     3    -3       0     2    -2       +1",
		"U2           0     0     0       0     1    -1       -1",
		// A misses U2's quota (1000), B meets its count but not its backbone share (0.2 x 1000).
		"quota                          1000            0        -1000",
		"backbone                          0          200         +200",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	// Without the scenario, T05's move without subject matches A's move in math.
	_, out, _ = invokeMain("diff", "testdata/diff/a.yaml", "testdata/diff/b.yaml")
	if !strings.Contains(out, "moves: 1 added, 1 dropped, 1 changed, 1 the same") {
		t.Errorf("without scenario:\n%s", out)
	}
	// A plan against itself: nothing changes.
	_, out, _ = invokeMain("diff", "testdata/diff/a.yaml", "testdata/diff/a.yaml", "--scenario", tinyScenario)
	if !strings.Contains(out, "moves: 0 added, 0 dropped, 0 changed, 3 the same") ||
		!strings.Contains(out, "objective Z                    781.29       781.29            0") {
		t.Errorf("self diff:\n%s", out)
	}
}

func TestDiffBadInput(t *testing.T) {
	code, _, errs := invokeMain("diff", "testdata/diff/a.yaml", "testdata/check/unknown.yaml", "--scenario", tinyScenario)
	if code != ExitBadInput || !strings.Contains(errs, `testdata/check/unknown.yaml:3:5: move: teacher "T99"`) {
		t.Errorf("exit %d: %s", code, errs)
	}
	code, _, errs = invokeMain("diff", "testdata/diff/a.yaml", "testdata/diff/none.yaml")
	if code != ExitBadInput || !strings.Contains(errs, "testdata/diff/none.yaml: cannot read plan") {
		t.Errorf("exit %d: %s", code, errs)
	}
	code, _, errs = invokeMain("diff", "testdata/diff/a.yaml", "testdata/diff/b.yaml", "--set", "objective.km=2")
	if code != ExitBadInput || !strings.Contains(errs, "--set needs --scenario") {
		t.Errorf("exit %d: %s", code, errs)
	}
}
