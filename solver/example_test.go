package solver_test

import (
	"context"
	"fmt"

	"rotaplan/model"
	"rotaplan/solver"
)

// Solve the tiny example with the default settings (nil): the pinned move
// is the whole optimal plan, and the bound proves it.
func ExampleSolve() {
	sc, err := model.Load("../examples/tiny.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	in, err := model.Compile(sc)
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := solver.Solve(context.Background(), in, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range res.Moves {
		fmt.Printf("%s -> %s (%s)\n", sc.Teachers[m.Teacher].ID, sc.Schools[m.To].ID, in.Subjects[m.Subject])
	}
	fmt.Printf("%s: Z = %.3f, bound %.3f\n", res.Status, res.Objective, res.Bound)
	// Output:
	// T05 -> T1 (math)
	// optimal: Z = 856.531, bound 856.531
}
