package mip

import (
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"rotaplan/gen"
	"rotaplan/model"
	"rotaplan/solver"
)

// needCBC skips the test when the cbc program (Debian package coinor-cbc)
// is not installed.
func needCBC(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("cbc"); err != nil {
		t.Skip("cbc is not on PATH (apt-get install coinor-cbc)")
	}
}

func relClose(a, b float64) bool { return math.Abs(a-b) <= 1e-6*math.Max(1, math.Abs(b)) }

// crossCheck solves the instance's program with CBC and checks the export
// against model.Evaluate and the solver:
//   - CBC's solution, mapped back to moves, keeps the hard rules (the
//     independent rule checker) and Evaluate gives it CBC's objective;
//   - solver.Solve's plan is a feasible point of the program with its Z as
//     objective, and its Z equals CBC's optimum (both are proofs of optimality).
func crossCheck(t *testing.T, in *model.Instance) {
	t.Helper()
	m := Build(in)
	sol, err := SolveCBC(context.Background(), m, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	res, err := solver.Solve(context.Background(), in, nil)
	if err != nil {
		t.Fatal(err)
	}
	if conflicts := model.PinConflicts(in); len(conflicts) > 0 {
		// Spec §3: when the pins alone break a hard rule there is no plan,
		// even if other moves could repair the rule; the program does not
		// encode that clause, so CBC may still find a solution.
		t.Logf("pins conflict: %v; CBC: %s", conflicts, sol.Status)
		if res.Status != solver.Infeasible {
			t.Errorf("pins conflict but the solver says %s", res.Status)
		}
		return
	}
	if sol.Status != "Optimal" {
		t.Fatalf("CBC status %q", sol.Status)
	}
	moves := m.Placements(sol.X)
	for _, f := range model.Check(in, moves, nil) {
		if f.Hard() {
			t.Errorf("CBC's plan breaks %s: %s", f.Rule, f.Message)
		}
	}
	z := model.Evaluate(in, moves).Terms.Total()
	if !relClose(z, sol.Objective) || !relClose(m.Objective(sol.X), z) {
		t.Errorf("CBC objective %v (recomputed %v), Evaluate of its %d moves %v", sol.Objective, m.Objective(sol.X), len(moves), z)
	}
	x, err := m.Vector(res.Moves)
	if err != nil {
		t.Fatalf("solver plan: %v", err)
	}
	if v := m.Violations(x); len(v) > 0 {
		t.Errorf("the solver's plan is not a solution of the program: %v", v)
	}
	if !relClose(m.Objective(x), res.Objective) {
		t.Errorf("program objective of the solver's plan %v, solver Z %v", m.Objective(x), res.Objective)
	}
	if res.Status != solver.Optimal {
		t.Logf("solver status %s gap %v", res.Status, res.Gap)
	}
	switch {
	case res.Status == solver.Feasible:
		// The solver stopped at its node limit: its bound and plan must
		// bracket the optimum; the distance is reported, not failed.
		if z < res.Bound-1e-6*math.Max(1, math.Abs(z)) || z > res.Objective+1e-6*math.Max(1, math.Abs(z)) {
			t.Errorf("CBC optimum %v outside the solver's [bound %v, Z %v]", z, res.Bound, res.Objective)
		}
		if !relClose(res.Objective, z) {
			t.Logf("NOT OPTIMAL: solver Z %v (feasible, bound %v, %d nodes), CBC optimum %v", res.Objective, res.Bound, res.Nodes, z)
		}
	case !relClose(res.Objective, z):
		t.Errorf("solver Z %v (%s, bound %v), CBC optimum %v", res.Objective, res.Status, res.Bound, z)
	}
	if res.Status == solver.Optimal && !relClose(res.Bound, z) {
		t.Errorf("solver bound %v, CBC optimum %v", res.Bound, z)
	}
	t.Logf("%d vars (%d moves), %d rows: Z %.6f, %d moves", len(m.Vars), len(m.Moves), len(m.Rows), z, len(moves))
}

func TestCBCTiny(t *testing.T) {
	needCBC(t)
	crossCheck(t, loadTiny(t, nil))
	crossCheck(t, loadTiny(t, func(sc *model.Scenario) { sc.Pins = nil }))
	// T01 pinned to R1 chinese, where no post is open and no one may
	// leave: no plan, and the program is infeasible too.
	in := loadTiny(t, func(sc *model.Scenario) {
		sc.Pins = append(sc.Pins, model.Pin{Teacher: "T01", To: "R1"})
	})
	crossCheck(t, in)
	if sol, err := SolveCBC(context.Background(), Build(in), t.TempDir()); err != nil || !strings.HasPrefix(sol.Status, "Infeasible") {
		t.Errorf("CBC on impossible pins: %v %v, want infeasible", sol, err)
	}
}

// The LP rendering gives the same optimum as the MPS one.
func TestCBCReadsLP(t *testing.T) {
	needCBC(t)
	m := Build(loadTiny(t, nil))
	dir := t.TempDir()
	lp := filepath.Join(dir, "tiny.lp")
	f, err := os.Create(lp)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.WriteLP(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	solu := filepath.Join(dir, "tiny.sol")
	if out, err := exec.Command("cbc", lp, "ratioGap", "0", "solve", "solu", solu).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	sf, err := os.Open(solu)
	if err != nil {
		t.Fatal(err)
	}
	defer sf.Close()
	fromLP, err := ReadCBCSolution(sf, m)
	if err != nil {
		t.Fatal(err)
	}
	fromMPS, err := SolveCBC(context.Background(), m, dir)
	if err != nil {
		t.Fatal(err)
	}
	if fromLP.Status != "Optimal" || !relClose(fromLP.Objective, fromMPS.Objective) {
		t.Errorf("LP: %s %v, MPS: %s %v", fromLP.Status, fromLP.Objective, fromMPS.Status, fromMPS.Objective)
	}
}

func TestCBCRandomCounties(t *testing.T) {
	needCBC(t)
	sizes := []struct{ schools, teachers int }{
		{4, 30}, {5, 40}, {6, 60}, {6, 80}, {8, 100}, {8, 120},
		{10, 150}, {10, 180}, {12, 200}, {12, 240}, {15, 260}, {15, 300},
	}
	for i, sz := range sizes {
		seed := uint64(100 + i)
		t.Run(fmt.Sprintf("seed%d_%dx%d", seed, sz.schools, sz.teachers), func(t *testing.T) {
			in, err := model.Compile(randomScenario(seed, sz.schools, sz.teachers))
			if err != nil {
				t.Fatal(err)
			}
			crossCheck(t, in)
		})
	}
}

// Counties of the synthetic generator (realistic layout, posts and gaps).
func TestCBCGeneratedCounties(t *testing.T) {
	needCBC(t)
	for _, o := range []gen.Options{{Schools: 6, TeachersPerSchool: 12, Seed: 1}, {Schools: 9, TeachersPerSchool: 14, Seed: 2}} {
		t.Run(fmt.Sprintf("schools%d_seed%d", o.Schools, o.Seed), func(t *testing.T) {
			in, err := model.Compile(gen.Generate(o))
			if err != nil {
				t.Fatal(err)
			}
			crossCheck(t, in)
		})
	}
}
