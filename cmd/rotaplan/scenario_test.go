package main

import (
	"regexp"
	"strings"
	"testing"
)

// --set works on every command that loads a scenario through scenarioFlags.
func TestSetOnValidate(t *testing.T) {
	code, out, errs := invokeMain("validate", tinyScenario, "--set", "policy.quotas[0].min_share=0.5", "--set", "teachers[T03].years=9")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	// U1 has 6 eligible teachers once T03 has 9 years: target ceil(0.5 x 6) = 3.
	if !regexp.MustCompile(`城区学校交流比例 / U1\s+eligible\s+6\s+target\s+3\s`).MatchString(out) {
		t.Errorf("summary:\n%s", out)
	}
	code, _, errs = invokeMain("validate", tinyScenario, "--set", "policy.quotas[0].min_share=2", "--set", "schools[U9].tier=1")
	if code != ExitBadInput || !strings.Contains(errs, `--set schools[U9].tier=1: no item with id "U9" in schools`) {
		t.Errorf("exit %d: %s", code, errs)
	}
	code, _, errs = invokeMain("validate", tinyScenario, "--set", "policy.quotas[0].min_share=2")
	if code != ExitBadInput || strings.TrimSpace(errs) != `--set policy.quotas[0].min_share: quota "城区学校交流比例": min_share must be in [0, 1], got 2` {
		t.Errorf("exit %d: %q", code, errs)
	}
}
