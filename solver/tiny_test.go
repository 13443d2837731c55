package solver

import (
	"context"
	"testing"

	"rotaplan/model"
)

func loadTiny(t testing.TB) *model.Instance {
	t.Helper()
	sc, err := model.Load("../examples/tiny.yaml")
	if err != nil {
		t.Fatal(err)
	}
	in, err := model.Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func TestSolveTiny(t *testing.T) {
	in := loadTiny(t)
	res, err := Solve(context.Background(), in, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := hardRulesOK(in, res.Moves); err != nil {
		t.Fatal(err)
	}
	if f := model.Check(in, res.Moves, nil); len(f) > 0 {
		for _, x := range f {
			if x.Hard() {
				t.Errorf("checker: %+v", x)
			}
		}
	}
	want, wantMoves := bruteForce(in)
	if res.Status != Optimal || res.Objective > want+1e-6 || res.Objective < want-1e-6 {
		t.Fatalf("status %s Z %v, brute force %v %v", res.Status, res.Objective, want, wantMoves)
	}
	for _, m := range res.Moves {
		t.Logf("%s -> %s %s", in.Scenario.Teachers[m.Teacher].ID, in.Scenario.Schools[m.To].ID, in.Subjects[m.Subject])
	}
	t.Logf("Z %v terms %+v", res.Objective, res.Terms)
}
