package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExportFormats(t *testing.T) {
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"export", planTiny}, []string{"NAME rotaplan FREE\nROWS\n N obj\n", " FX bnd x_T05_T1_math 1\n", "ENDATA\n"}},
		{[]string{"export", planTiny, "--format", "lp"}, []string{"Minimize\n obj:", " x_T05_T1_math = 1\n", "End\n"}},
		// --set reaches the program: U1 target ceil(0.5 x 5 eligible) = 3.
		{[]string{"export", planTiny, "--set", "policy.quotas[0].min_share=0.5"}, []string{" rhs cnt_q1_U1 3\n"}},
	}
	for _, c := range cases {
		code, out, errs := invokeMain(c.args...)
		if code != ExitOK {
			t.Fatalf("%v: exit %d: %s", c.args, code, errs)
		}
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: output lacks %q", c.args, w)
			}
		}
	}
	code, out, _ := invokeMain("export", planTiny, "--format", "json")
	var jm struct {
		Vars     []string `json:"vars"`
		MoveVars int      `json:"move_vars"`
	}
	if code != ExitOK || json.Unmarshal([]byte(out), &jm) != nil || jm.MoveVars != 20 || len(jm.Vars) != 32 {
		t.Errorf("json export: exit %d, %d vars, %d moves (want 32 and 20, counted in the mip tests)", code, len(jm.Vars), jm.MoveVars)
	}
}

func TestExportFileAndErrors(t *testing.T) {
	dir := t.TempDir()
	for ext, head := range map[string]string{".mps": "NAME rotaplan", ".lp": "\\ rotaplan", ".json": "{\"name\""} {
		path := filepath.Join(dir, "m"+ext)
		code, _, errs := invokeMain("export", planTiny, "-o", path)
		if code != ExitOK || !strings.Contains(errs, "32 variables (20 moves), 25 rows, 120 nonzeros") {
			t.Fatalf("%s: exit %d: %s", ext, code, errs)
		}
		data, _ := os.ReadFile(path)
		if !strings.HasPrefix(string(data), head) {
			t.Errorf("%s begins %q", ext, data[:min(30, len(data))])
		}
	}
	// Pins that break H2 alone: no plan, so no model either.
	none := filepath.Join(dir, "none.mps")
	code, _, errs := invokeMain("export", planTiny, "--set", "pins[0].to=R1", "-o", none)
	if code != ExitNoPlan || !strings.Contains(errs, "pinned: T05") {
		t.Errorf("impossible pins: exit %d: %s", code, errs)
	}
	if _, err := os.Stat(none); !os.IsNotExist(err) {
		t.Errorf("a model was written for impossible pins (%v)", err)
	}
	for _, args := range [][]string{
		{"export", planTiny, "--format", "xlsx"},
		{"export", "testdata/plan/nosuch.yaml"},
		{"export", planTiny, "-o", planTiny},
	} {
		if code, _, _ := invokeMain(args...); code != ExitBadInput {
			t.Errorf("%v: exit %d, want %d", args, code, ExitBadInput)
		}
	}
}
