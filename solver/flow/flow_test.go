package flow

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// instance is a network description independent of the solver.
type instance struct {
	n      int
	from   []int
	to     []int
	lower  []int64
	upper  []int64
	cost   []float64
	supply []int64
}

func (in *instance) graph() *Graph {
	g := NewGraph(in.n, len(in.from))
	for a := range in.from {
		g.AddArc(in.from[a], in.to[a], in.upper[a], in.cost[a])
		if in.lower[a] != 0 {
			g.SetLower(a, in.lower[a])
		}
	}
	for v, b := range in.supply {
		g.SetSupply(v, b)
	}
	return g
}

func (in *instance) String() string {
	s := fmt.Sprintf("n=%d supply=%v\n", in.n, in.supply)
	for a := range in.from {
		s += fmt.Sprintf("  arc %d: %d->%d [%d,%d] cost %g\n", a, in.from[a], in.to[a], in.lower[a], in.upper[a], in.cost[a])
	}
	return s
}

type genOpts struct {
	maxN, maxM     int
	maxCap         int64
	lowerProb      float64
	supplyProb     float64 // probability that supplies are non-zero
	intCosts       bool
	allowUnbalance bool
}

func randInstance(r *rand.Rand, o genOpts) *instance {
	n := 1 + r.IntN(o.maxN)
	m := r.IntN(o.maxM + 1)
	in := &instance{n: n, supply: make([]int64, n)}
	for range m {
		u, v := r.IntN(n), r.IntN(n)
		if u == v && r.IntN(4) != 0 { // self-loops are rare
			v = (u + 1) % n
		}
		c := int64(r.IntN(int(o.maxCap) + 1))
		if r.IntN(8) == 0 {
			c = 0
		}
		var l int64
		if c > 0 && r.Float64() < o.lowerProb {
			l = int64(r.IntN(int(c) + 1))
		}
		var cost float64
		if o.intCosts {
			cost = float64(r.IntN(21) - 10)
		} else {
			cost = math.Round((r.Float64()*20-10)*1000) / 1000
			if r.IntN(10) == 0 {
				cost = 0
			}
		}
		in.from = append(in.from, u)
		in.to = append(in.to, v)
		in.lower = append(in.lower, l)
		in.upper = append(in.upper, c)
		in.cost = append(in.cost, cost)
		// parallel copy now and then
		if r.IntN(10) == 0 {
			in.from = append(in.from, u)
			in.to = append(in.to, v)
			in.lower = append(in.lower, 0)
			in.upper = append(in.upper, c)
			in.cost = append(in.cost, cost+float64(r.IntN(3)-1))
		}
	}
	if r.Float64() < o.supplyProb {
		var sum int64
		for v := range n {
			in.supply[v] = int64(r.IntN(7) - 3)
			sum += in.supply[v]
		}
		if !o.allowUnbalance || r.IntN(5) != 0 {
			in.supply[r.IntN(n)] -= sum
		}
	}
	return in
}

// certify checks that the solver's answer is a feasible flow and that the
// potentials prove optimality: the dual value Σ b·π + Σ min(l·rc, u·rc)
// equals the primal cost (weak duality makes that a certificate), and
// complementary slackness holds arc by arc.
func certify(t *testing.T, in *instance, g *Graph) {
	t.Helper()
	net := make([]int64, in.n)
	primal := 0.0
	scale := 1.0
	for a := range in.from {
		f := g.Flow(a)
		if f < in.lower[a] || f > in.upper[a] {
			t.Fatalf("arc %d flow %d outside [%d,%d]\n%v", a, f, in.lower[a], in.upper[a], in)
		}
		net[in.from[a]] += f
		net[in.to[a]] -= f
		primal += in.cost[a] * float64(f)
		scale += math.Abs(in.cost[a] * float64(max(in.upper[a], 1)))
	}
	for v := range in.n {
		if net[v] != in.supply[v] {
			t.Fatalf("node %d: net outflow %d, supply %d\n%v", v, net[v], in.supply[v], in)
		}
	}
	if math.Abs(primal-g.Cost()) > 1e-9*scale {
		t.Fatalf("Cost() = %g, recomputed %g", g.Cost(), primal)
	}
	dual := 0.0
	for v := range in.n {
		dual += float64(in.supply[v]) * g.Potential(v)
	}
	for a := range in.from {
		rc := in.cost[a] - g.Potential(in.from[a]) + g.Potential(in.to[a])
		if d := math.Abs(rc - g.ReducedCost(a)); d > 1e-6 {
			t.Fatalf("ReducedCost(%d) = %g, want %g", a, g.ReducedCost(a), rc)
		}
		dual += min(float64(in.lower[a])*rc, float64(in.upper[a])*rc)
		f := g.Flow(a)
		if rc > 1e-6 && f != in.lower[a] {
			t.Fatalf("arc %d: rc %g > 0 but flow %d > lower %d\n%v", a, rc, f, in.lower[a], in)
		}
		if rc < -1e-6 && f != in.upper[a] {
			t.Fatalf("arc %d: rc %g < 0 but flow %d < cap %d\n%v", a, rc, f, in.upper[a], in)
		}
	}
	if math.Abs(dual-primal) > 1e-6*scale {
		t.Fatalf("dual %g != primal %g\n%v", dual, primal, in)
	}
}

// lpSolve solves the instance with gonum's dense simplex. Variables are x'
// = x − lower and a slack per arc; rows are the conservation constraints
// (one dropped per connected component, which makes A full rank) and
// x' + s = upper − lower. ok is false when the LP code gave up.
func lpSolve(in *instance) (cost float64, feasible, ok bool) {
	n, m := in.n, len(in.from)
	// components (union-find) and shifted supplies
	comp := make([]int, n)
	for i := range comp {
		comp[i] = i
	}
	var find func(int) int
	find = func(x int) int {
		for comp[x] != x {
			comp[x] = comp[comp[x]]
			x = comp[x]
		}
		return x
	}
	b := make([]float64, n)
	for v := range n {
		b[v] = float64(in.supply[v])
	}
	offset := 0.0
	for a := range m {
		comp[find(in.from[a])] = find(in.to[a])
		l := float64(in.lower[a])
		b[in.from[a]] -= l
		b[in.to[a]] += l
		offset += l * in.cost[a]
	}
	sums := map[int]float64{}
	dropped := map[int]bool{}
	rowOf := make([]int, n)
	rows := 0
	for v := range n {
		r := find(v)
		sums[r] += b[v]
		if !dropped[r] {
			dropped[r] = true
			rowOf[v] = -1
			continue
		}
		rowOf[v] = rows
		rows++
	}
	for _, s := range sums {
		if s != 0 {
			return 0, false, true
		}
	}
	if m == 0 {
		return offset, true, true
	}
	A := mat.NewDense(rows+m, 2*m, nil)
	rhs := make([]float64, rows+m)
	c := make([]float64, 2*m)
	for v := range n {
		if rowOf[v] >= 0 {
			rhs[rowOf[v]] = b[v]
		}
	}
	for a := range m {
		if r := rowOf[in.from[a]]; r >= 0 {
			A.Set(r, a, A.At(r, a)+1)
		}
		if r := rowOf[in.to[a]]; r >= 0 {
			A.Set(r, a, A.At(r, a)-1)
		}
		A.Set(rows+a, a, 1)
		A.Set(rows+a, m+a, 1)
		rhs[rows+a] = float64(in.upper[a] - in.lower[a])
		c[a] = in.cost[a]
	}
	f, _, err := lp.Simplex(c, A, rhs, 1e-10, nil)
	switch err {
	case nil:
		return f + offset, true, true
	case lp.ErrInfeasible:
		return 0, false, true
	}
	return 0, false, false
}

func TestAgainstLP(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	opts := []genOpts{
		{maxN: 6, maxM: 12, maxCap: 4, lowerProb: 0, supplyProb: 0},
		{maxN: 8, maxM: 20, maxCap: 5, lowerProb: 0.2, supplyProb: 0.5},
		{maxN: 10, maxM: 30, maxCap: 3, lowerProb: 0.1, supplyProb: 0.7, intCosts: true},
		{maxN: 12, maxM: 40, maxCap: 6, lowerProb: 0.1, supplyProb: 0.5},
	}
	var solved, infeasible, skipped int
	for i := range 600 {
		in := randInstance(r, opts[i%len(opts)])
		want, feasible, ok := lpSolve(in)
		if !ok {
			skipped++
			continue
		}
		g := in.graph()
		st := g.Solve()
		if !feasible {
			if st != Infeasible {
				t.Fatalf("case %d: status %v, LP says infeasible\n%v", i, st, in)
			}
			infeasible++
			continue
		}
		if st != Optimal {
			t.Fatalf("case %d: status %v, LP optimum %g\n%v", i, st, want, in)
		}
		if math.Abs(g.Cost()-want) > 1e-6*max(1, math.Abs(want)) {
			t.Fatalf("case %d: cost %.9g, LP %.9g\n%v", i, g.Cost(), want, in)
		}
		certify(t, in, g)
		solved++
	}
	t.Logf("optimal %d, infeasible %d, LP gave up %d", solved, infeasible, skipped)
	if skipped > 30 || solved < 350 || infeasible < 20 {
		t.Fatalf("too few usable cases: optimal %d, infeasible %d, skipped %d", solved, infeasible, skipped)
	}
}

// bruteForce enumerates every integer flow within the bounds.
func bruteForce(in *instance) (best float64, feasible bool) {
	m := len(in.from)
	x := make([]int64, m)
	copy(x, in.lower)
	best = math.Inf(1)
	for {
		net := make([]int64, in.n)
		cost := 0.0
		for a := range m {
			net[in.from[a]] += x[a]
			net[in.to[a]] -= x[a]
			cost += in.cost[a] * float64(x[a])
		}
		okv := true
		for v := range in.n {
			if net[v] != in.supply[v] {
				okv = false
				break
			}
		}
		if okv && cost < best {
			best, feasible = cost, true
		}
		// next combination
		a := 0
		for ; a < m; a++ {
			if x[a] < in.upper[a] {
				x[a]++
				break
			}
			x[a] = in.lower[a]
		}
		if a == m {
			return best, feasible
		}
	}
}

func TestBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	o := genOpts{maxN: 4, maxM: 7, maxCap: 2, lowerProb: 0.25, supplyProb: 0.6, intCosts: false, allowUnbalance: true}
	var feas, infeas int
	for i := range 3000 {
		in := randInstance(r, o)
		if len(in.from) > 8 {
			continue
		}
		want, feasible := bruteForce(in)
		g := in.graph()
		st := g.Solve()
		if !feasible {
			if st != Infeasible {
				t.Fatalf("case %d: status %v, brute force finds no flow\n%v", i, st, in)
			}
			infeas++
			continue
		}
		if st != Optimal {
			t.Fatalf("case %d: status %v, brute force %g\n%v", i, st, want, in)
		}
		if math.Abs(g.Cost()-want) > 1e-9*max(1, math.Abs(want)) {
			t.Fatalf("case %d: cost %.12g, brute force %.12g\n%v", i, g.Cost(), want, in)
		}
		certify(t, in, g)
		feas++
	}
	t.Logf("feasible %d, infeasible %d", feas, infeas)
	if feas < 1000 || infeas < 100 {
		t.Fatalf("generator too one-sided: %d feasible, %d infeasible", feas, infeas)
	}
}

func TestNegativeCycleCirculation(t *testing.T) {
	// Two negative cycles sharing an arc of capacity 3: 0→1→2→0 (cost -3 per
	// unit, caps 5) and 0→1→3→0 (cost -1 per unit, caps 4); shared arc 0→1.
	in := &instance{n: 4, supply: make([]int64, 4)}
	add := func(u, v int, c int64, cost float64) {
		in.from = append(in.from, u)
		in.to = append(in.to, v)
		in.lower = append(in.lower, 0)
		in.upper = append(in.upper, c)
		in.cost = append(in.cost, cost)
	}
	add(0, 1, 3, -1)
	add(1, 2, 5, -1)
	add(2, 0, 5, -1)
	add(1, 3, 4, 0)
	add(3, 0, 4, 0)
	g := in.graph()
	if st := g.Solve(); st != Optimal {
		t.Fatal(st)
	}
	if g.Cost() != -9 {
		t.Fatalf("cost %g, want -9", g.Cost())
	}
	certify(t, in, g)
}

func TestInfeasible(t *testing.T) {
	g := NewGraph(3, 2)
	g.AddArc(0, 1, 2, 1)
	g.AddArc(1, 2, 1, 1)
	g.SetSupply(0, 2)
	g.SetSupply(2, -2)
	if st := g.Solve(); st != Infeasible {
		t.Fatalf("bottleneck: %v", st)
	}
	g.SetCapacity(1, 2)
	if st := g.Solve(); st != Optimal || g.Cost() != 4 {
		t.Fatalf("after raising capacity: %v %g", st, g.Cost())
	}
	g.SetSupply(2, -1) // unbalanced
	if st := g.Solve(); st != Infeasible {
		t.Fatalf("unbalanced supplies: %v", st)
	}
	g.SetSupply(2, -2)
	g.SetLower(0, 3) // lower > capacity
	if st := g.Solve(); st != Infeasible {
		t.Fatalf("lower > cap: %v", st)
	}
	g.SetLower(0, 0)
	// wrong direction
	h := NewGraph(2, 1)
	h.AddArc(0, 1, 5, -1)
	h.SetSupply(1, 1)
	h.SetSupply(0, -1)
	if st := h.Solve(); st != Infeasible {
		t.Fatalf("wrong direction: %v", st)
	}
	// forced circulation with no way back
	k := NewGraph(2, 1)
	k.AddArc(0, 1, 1, 0)
	k.SetLower(0, 1)
	if st := k.Solve(); st != Infeasible {
		t.Fatalf("forced arc without return: %v", st)
	}
}

func TestUnbounded(t *testing.T) {
	g := NewGraph(2, 2)
	g.AddArc(0, 1, Inf, -1)
	g.AddArc(1, 0, Inf, 0)
	if st := g.Solve(); st != Unbounded {
		t.Fatalf("status %v", st)
	}
	g.SetCapacity(1, 7)
	if st := g.Solve(); st != Optimal || g.Cost() != -7 {
		t.Fatalf("status %v cost %g", st, g.Cost())
	}
}

func TestEmptyAndTrivial(t *testing.T) {
	if st := NewGraph(0, 0).Solve(); st != Optimal {
		t.Fatal(st)
	}
	g := NewGraph(5, 0)
	if st := g.Solve(); st != Optimal || g.Cost() != 0 {
		t.Fatal(st, g.Cost())
	}
	g.SetSupply(0, 1)
	g.SetSupply(1, -1)
	if st := g.Solve(); st != Infeasible {
		t.Fatal(st)
	}
}

// mediumInstance is a random network too big for the dense LP, checked by
// the dual certificate and by cold/warm agreement.
func mediumInstance(r *rand.Rand, n, m int, withSupply bool) *instance {
	in := &instance{n: n, supply: make([]int64, n)}
	for range m {
		u, v := r.IntN(n), r.IntN(n)
		if u == v {
			v = (u + 1) % n
		}
		c := int64(r.IntN(10))
		in.from = append(in.from, u)
		in.to = append(in.to, v)
		in.lower = append(in.lower, 0)
		in.upper = append(in.upper, c)
		in.cost = append(in.cost, math.Round((r.Float64()*100-40)*100)/100)
	}
	if withSupply {
		// route supply along existing arcs so that it is feasible
		used := make([]int64, m)
		for range n / 3 {
			a := r.IntN(m)
			used[a]++
			in.supply[in.from[a]]++
			in.supply[in.to[a]]--
		}
		for a := range m {
			in.upper[a] = max(in.upper[a], used[a])
		}
	}
	return in
}

func TestWarmStartCosts(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	for trial := range 40 {
		in := mediumInstance(r, 40+r.IntN(200), 300+r.IntN(3000), trial%2 == 0)
		g := in.graph()
		st := g.Solve()
		if st != Optimal {
			t.Fatalf("trial %d: first solve %v", trial, st)
		}
		certify(t, in, g)
		for round := range 4 {
			for a := range in.cost {
				if r.IntN(10) < 3 {
					in.cost[a] = math.Round((r.Float64()*100-50)*100) / 100
					g.SetCost(a, in.cost[a])
				}
			}
			st := g.Solve()
			if !g.Warm() {
				t.Fatalf("trial %d round %d: cost change did not warm start", trial, round)
			}
			cold := in.graph()
			cst := cold.Solve()
			if st != cst {
				t.Fatalf("trial %d round %d: warm %v cold %v", trial, round, st, cst)
			}
			if math.Abs(g.Cost()-cold.Cost()) > 1e-6*max(1, math.Abs(cold.Cost())) {
				t.Fatalf("trial %d round %d: warm cost %.9g cold %.9g", trial, round, g.Cost(), cold.Cost())
			}
			certify(t, in, g)
		}
	}
}

func TestWarmStartBounds(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	warm := 0
	for trial := range 60 {
		in := mediumInstance(r, 20+r.IntN(100), 100+r.IntN(1000), trial%2 == 0)
		g := in.graph()
		if st := g.Solve(); st != Optimal {
			t.Fatalf("trial %d: %v", trial, st)
		}
		for round := range 5 {
			// branching-like changes: forbid some arcs, force some others
			for range 1 + r.IntN(5) {
				a := r.IntN(len(in.from))
				switch r.IntN(3) {
				case 0:
					in.upper[a], in.lower[a] = 0, 0
				case 1:
					if in.upper[a] > 0 {
						in.lower[a] = 1
					}
				default:
					in.upper[a] = int64(r.IntN(10))
					in.lower[a] = min(in.lower[a], in.upper[a])
				}
				g.SetLower(a, 0)
				g.SetCapacity(a, in.upper[a])
				g.SetLower(a, in.lower[a])
			}
			if round == 4 {
				for a := range in.cost {
					if r.IntN(4) == 0 {
						in.cost[a] = -in.cost[a]
						g.SetCost(a, in.cost[a])
					}
				}
			}
			st := g.Solve()
			if g.Warm() {
				warm++
			}
			cold := in.graph()
			cst := cold.Solve()
			if st != cst {
				t.Fatalf("trial %d round %d: warm %v cold %v", trial, round, st, cst)
			}
			if st != Optimal {
				continue
			}
			if math.Abs(g.Cost()-cold.Cost()) > 1e-6*max(1, math.Abs(cold.Cost())) {
				t.Fatalf("trial %d round %d: warm cost %.9g cold %.9g", trial, round, g.Cost(), cold.Cost())
			}
			certify(t, in, g)
		}
	}
	// A broken tree is repaired, never thrown away (repairTree).
	if warm != 300 {
		t.Errorf("%d of 300 re-solves after bound changes were warm", warm)
	}
}

// TestAddArcAfterSolve grows networks as pricing does: solve on part of
// the arcs, add batches of arcs (some between bound and cost changes, some
// read before the next solve), solve again. Every re-solve must be warm and
// optimal, with the cost of a cold solve of the same network.
func TestAddArcAfterSolve(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	warm := 0
	for trial := range 40 {
		full := mediumInstance(r, 20+r.IntN(80), 200+r.IntN(800), trial%2 == 0)
		// Start with the arcs that carry supply routes (so it stays feasible) and a third of the rest.
		in := &instance{n: full.n, supply: full.supply}
		var later []int
		for a := range full.from {
			if full.upper[a] > 0 && r.IntN(3) == 0 || trial%2 == 0 && a < 5 {
				in.from = append(in.from, full.from[a])
				in.to = append(in.to, full.to[a])
				in.lower = append(in.lower, 0)
				in.upper = append(in.upper, full.upper[a])
				in.cost = append(in.cost, full.cost[a])
			} else {
				later = append(later, a)
			}
		}
		g := in.graph()
		st0 := g.Solve()
		for round := 0; len(later) > 0; round++ {
			k := min(len(later), 1+r.IntN(len(later)))
			for _, a := range later[:k] {
				id := g.AddArc(full.from[a], full.to[a], full.upper[a], full.cost[a])
				if id != len(in.from) {
					t.Fatalf("trial %d: AddArc returned %d, want %d", trial, id, len(in.from))
				}
				in.from = append(in.from, full.from[a])
				in.to = append(in.to, full.to[a])
				in.lower = append(in.lower, 0)
				in.upper = append(in.upper, full.upper[a])
				in.cost = append(in.cost, full.cost[a])
				if f := g.Flow(id); f != 0 {
					t.Fatalf("trial %d: a new arc carries %d before the solve", trial, f)
				}
			}
			later = later[k:]
			if round%2 == 1 {
				a := r.IntN(len(in.from))
				in.cost[a] = -in.cost[a]
				g.SetCost(a, in.cost[a])
				b := r.IntN(len(in.from))
				in.upper[b] = int64(r.IntN(4))
				g.SetCapacity(b, in.upper[b])
			}
			had := g.hasBasis
			st := g.Solve()
			if had && g.Warm() {
				warm++
			} else if had {
				t.Errorf("trial %d round %d: cold after adding arcs", trial, round)
			}
			cold := in.graph()
			if cst := cold.Solve(); cst != st {
				t.Fatalf("trial %d round %d: grown %v, cold %v", trial, round, st, cst)
			}
			if st != Optimal {
				continue
			}
			if math.Abs(g.Cost()-cold.Cost()) > 1e-6*max(1, math.Abs(cold.Cost())) {
				t.Fatalf("trial %d round %d: grown cost %.9g, cold %.9g", trial, round, g.Cost(), cold.Cost())
			}
			certify(t, in, g)
		}
		_ = st0
	}
	if warm < 40 {
		t.Errorf("only %d warm re-solves after adding arcs", warm)
	}
}

func TestDeterministic(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	in := mediumInstance(r, 300, 5000, true)
	g1, g2 := in.graph(), in.graph()
	g1.Solve()
	g2.Solve()
	for a := range in.from {
		if g1.Flow(a) != g2.Flow(a) {
			t.Fatalf("arc %d: %d vs %d", a, g1.Flow(a), g2.Flow(a))
		}
	}
	for v := range in.n {
		if g1.Potential(v) != g2.Potential(v) {
			t.Fatalf("node %d potential differs", v)
		}
	}
	if g1.Cost() != g2.Cost() || g1.Pivots() != g2.Pivots() {
		t.Fatal("cost or pivots differ")
	}
}

// TestAddArcAfterResetBasis adds arcs after a solve, discards the basis,
// adds more, and solves: no added arc may be lost.
func TestAddArcAfterResetBasis(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 1))
	in := mediumInstance(r, 40, 300, true)
	g := in.graph()
	if st := g.Solve(); st != Optimal {
		t.Fatal(st)
	}
	add := func() {
		for range 7 {
			u, v := r.IntN(in.n), r.IntN(in.n)
			in.from = append(in.from, u)
			in.to = append(in.to, v)
			in.lower = append(in.lower, 0)
			in.upper = append(in.upper, 2)
			in.cost = append(in.cost, -30)
			g.AddArc(u, v, 2, -30)
		}
	}
	add()
	g.ResetBasis()
	add()
	if g.NumArcs() != len(in.from) {
		t.Fatalf("%d arcs, want %d", g.NumArcs(), len(in.from))
	}
	if st := g.Solve(); st != Optimal {
		t.Fatal(st)
	}
	cold := in.graph()
	cold.Solve()
	if math.Abs(g.Cost()-cold.Cost()) > 1e-6*max(1, math.Abs(cold.Cost())) {
		t.Fatalf("cost %.9g, cold %.9g", g.Cost(), cold.Cost())
	}
	certify(t, in, g)
}
