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

// Pricing changes of an optimal flow without solving: one teacher must
// leave school A and takes B's open post (10 km, fill bonus 100). What
// would one more leaving cost? C's posts are 30 km away.
func ExampleRerouter() {
	const root, a, b, c = 0, 1, 2, 3
	g := flow.NewGraph(4, 4)
	g.AddArc(a, b, 1, 10)      // to B: 10 km
	g.AddArc(a, c, 2, 30)      // to C: 30 km
	g.AddArc(b, root, 1, -100) // B's open post
	g.AddArc(c, root, 2, -100) // C's two open posts
	g.SetSupply(a, 1)
	g.SetSupply(root, -1)
	fmt.Println(g.Solve(), g.Cost())

	rr := g.NewRerouter()
	more := func(limit float64) (float64, bool) {
		return rr.Cost([]int32{a}, []int32{root}, limit) // A sends one more
	}
	fmt.Println(more(0))
	_, ok := more(-80) // refused: it does not gain 80
	fmt.Println(ok)
	// Keep the change and price a third, then a fourth teacher.
	rr.Apply([]int32{a}, []int32{root}, 0)
	fmt.Println(more(0))
	rr.Apply([]int32{a}, []int32{root}, 0)
	_, ok = more(0) // no post left
	fmt.Println(ok)
	rr.Undo() // the Graph's flow as solved again
	// Output:
	// optimal -90
	// -70 true
	// false
	// -70 true
	// false
}
