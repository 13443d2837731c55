package flow_test

import (
	"fmt"

	"rotaplan/solver/flow"
)

// A circulation with a negative cycle: a teacher moves from school A to
// school B when the fill bonus (100) outweighs the distance (12 km).
func Example() {
	const root, a, t, b = 0, 1, 2, 3
	g := flow.NewGraph(4, 4)
	g.AddArc(root, a, 1, 0)            // A has one surplus teacher
	g.AddArc(a, t, 1, 0)               // the teacher leaves A
	move := g.AddArc(t, b, 1, 12)      // ... and goes to B, 12 km away
	fill := g.AddArc(b, root, 2, -100) // B is short of two teachers
	fmt.Println(g.Solve(), g.Cost(), g.Flow(move), g.Flow(fill))

	// Re-solve after a cost change (warm start from the previous tree).
	g.SetCost(move, 150)
	fmt.Println(g.Solve(), g.Cost(), g.Flow(move), g.Warm())
	// Output:
	// optimal -88 1 1
	// optimal 0 0 true
}
