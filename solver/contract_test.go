package solver

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"rotaplan/model"
)

// TestDeterministic: two solves of the same county give the same moves,
// objective, bound and status.
func TestDeterministic(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		in, err := model.Compile(randomScenario(seed, 4, 9))
		if err != nil {
			t.Fatal(err)
		}
		a, err1 := Solve(context.Background(), in, nil)
		b, err2 := Solve(context.Background(), in, nil)
		if err1 != nil || err2 != nil {
			t.Fatalf("seed %d: %v %v", seed, err1, err2)
		}
		if !reflect.DeepEqual(a.Moves, b.Moves) || a.Objective != b.Objective || a.Bound != b.Bound || a.Status != b.Status {
			t.Fatalf("seed %d: two solves differ:\n%+v\n%+v", seed, a, b)
		}
	}
}

// TestPinConflictInfeasible: two pins into the one open music post of R1
// break H2 by themselves; Solve reports infeasible and names both pins.
func TestPinConflictInfeasible(t *testing.T) {
	sc, err := model.Load("../examples/tiny.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sc.Pins = []model.Pin{{Teacher: "T08", To: "R1", Subject: "music"}, {Teacher: "T15", To: "R1", Subject: "music"}}
	sc.Forbids = nil
	in, err := model.Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Solve(context.Background(), in, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != Infeasible || len(res.Conflicts) == 0 {
		t.Fatalf("status %s, conflicts %v; want infeasible with conflicts", res.Status, res.Conflicts)
	}
	found := false
	for _, c := range res.Conflicts {
		if c.Rule == "H2" && c.School == "R1" && slices.Equal(c.Teachers, []string{"T08", "T15"}) {
			found = true
		}
	}
	if !found {
		t.Errorf("no H2 conflict at R1 naming T08 and T15: %+v", res.Conflicts)
	}
	if len(res.Moves) != 0 {
		t.Errorf("infeasible result carries moves %v", res.Moves)
	}
}

// TestCancelledContext: a context cancelled before Solve starts is a status,
// not an error: a valid plan (here at least the pins) with status feasible
// or, if the search proved it before looking at the context, optimal.
func TestCancelledContext(t *testing.T) {
	for seed := uint64(1); seed <= 30; seed++ {
		in, err := model.Compile(randomScenario(seed, 4, 9))
		if err != nil {
			t.Fatal(err)
		}
		if len(model.PinConflicts(in)) > 0 {
			continue
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		res, err := Solve(ctx, in, nil)
		if err != nil {
			t.Fatalf("seed %d: cancelled solve returned error %v", seed, err)
		}
		if res.Status != Feasible && res.Status != Optimal {
			t.Fatalf("seed %d: status %s", seed, res.Status)
		}
		if err := hardRulesOK(in, res.Moves); err != nil {
			t.Fatalf("seed %d: plan of a cancelled solve breaks a rule: %v", seed, err)
		}
		if z := model.Evaluate(in, res.Moves).Terms.Total(); z != res.Objective {
			t.Fatalf("seed %d: objective %v, plan evaluates to %v", seed, res.Objective, z)
		}
		if res.Bound > res.Objective {
			t.Fatalf("seed %d: bound %v above Z %v", seed, res.Bound, res.Objective)
		}
	}
}
