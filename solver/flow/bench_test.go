package flow

import (
	"math"
	"math/rand/v2"
	"testing"
)

// rotaNet builds a network shaped like the rotation model: school-subject
// cells, teachers hanging from their home cell, ~arcsPer moves per teacher
// to cells of the same subject in schools within 60 km, and per cell an arc
// to the root (shortage, cost −100), from the root (surplus, cost 0) and a
// deficit arc from the root (cap 1, cost 300). teacherArcs lists the move
// arcs (the ones a Lagrangian loop re-prices).
func rotaNet(teachers, schools, subjects, arcsPer int, seed uint64) (g *Graph, teacherArcs []int) {
	r := rand.New(rand.NewPCG(seed, 1))
	cells := schools * subjects
	root := cells + teachers
	g = NewGraph(cells+teachers+1, teachers*(arcsPer+1)+3*cells)
	x := make([]float64, schools)
	y := make([]float64, schools)
	for s := range schools {
		x[s], y[s] = r.Float64()*120, r.Float64()*120
	}
	// neighbour lists within 60 km
	near := make([][]int, schools)
	for s := range schools {
		for d := range schools {
			if d != s && math.Hypot(x[s]-x[d], y[s]-y[d]) <= 60 {
				near[s] = append(near[s], d)
			}
		}
	}
	for t := range teachers {
		s, k := r.IntN(schools), r.IntN(subjects)
		tn := cells + t
		g.AddArc(s*subjects+k, tn, 1, 0)
		for range arcsPer {
			if len(near[s]) == 0 {
				break
			}
			d := near[s][r.IntN(len(near[s]))]
			kk := k
			if r.IntN(5) == 0 { // a second subject
				kk = r.IntN(subjects)
			}
			km := max(1, math.Hypot(x[s]-x[d], y[s]-y[d]))
			if r.IntN(10) == 0 {
				km -= 50 * float64(1+r.IntN(3)) / 3 // wish bonus
			}
			teacherArcs = append(teacherArcs, g.AddArc(tn, d*subjects+kk, 1, km))
		}
	}
	for c := range cells {
		short, surplus := int64(0), int64(0)
		switch r.IntN(4) {
		case 0:
			short = int64(1 + r.IntN(4))
		case 1, 2:
			surplus = int64(1 + r.IntN(5))
		}
		g.AddArc(c, root, short, -100)
		g.AddArc(root, c, surplus, 0)
		g.AddArc(root, c, 1, 300)
	}
	return g, teacherArcs
}

func perturb(g *Graph, arcs []int, r *rand.Rand) {
	for _, a := range arcs {
		if r.IntN(10) == 0 {
			g.SetCost(a, g.ArcCost(a)+r.Float64()*20-10)
		}
	}
}

func benchCold(b *testing.B, teachers, schools int) {
	g, _ := rotaNet(teachers, schools, 12, 20, 1)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		g.ResetBasis()
		if g.Solve() != Optimal {
			b.Fatal("not optimal")
		}
	}
	b.ReportMetric(float64(g.Pivots()), "pivots")
	b.ReportMetric(float64(g.NumArcs()), "arcs")
}

func benchWarm(b *testing.B, teachers, schools int) {
	g, ta := rotaNet(teachers, schools, 12, 20, 1)
	if g.Solve() != Optimal {
		b.Fatal("not optimal")
	}
	r := rand.New(rand.NewPCG(2, 2))
	b.ReportAllocs()
	b.ResetTimer()
	piv := 0
	for b.Loop() {
		perturb(g, ta, r)
		if g.Solve() != Optimal || !g.Warm() {
			b.Fatal("not optimal or not warm")
		}
		piv += g.Pivots()
	}
	b.ReportMetric(float64(piv)/float64(b.N), "pivots")
}

func BenchmarkColdSmall(b *testing.B) { benchCold(b, 8000, 100) }
func BenchmarkWarmSmall(b *testing.B) { benchWarm(b, 8000, 100) }
func BenchmarkCold80k(b *testing.B)   { benchCold(b, 80000, 1000) }
func BenchmarkWarm80k(b *testing.B)   { benchWarm(b, 80000, 1000) }

// TestRotaNetCertificate checks the benchmark network's optimum with the
// dual certificate, cold and after a warm re-solve.
func TestRotaNetCertificate(t *testing.T) {
	n := 4000
	if testing.Short() {
		n = 1000
	}
	g, ta := rotaNet(n, 60, 12, 20, 3)
	in := &instance{n: g.NumNodes(), supply: make([]int64, g.NumNodes())}
	for a := range g.NumArcs() {
		u, v := g.Arc(a)
		in.from = append(in.from, u)
		in.to = append(in.to, v)
		in.lower = append(in.lower, 0)
		in.upper = append(in.upper, g.Capacity(a))
		in.cost = append(in.cost, g.ArcCost(a))
	}
	if st := g.Solve(); st != Optimal {
		t.Fatal(st)
	}
	certify(t, in, g)
	r := rand.New(rand.NewPCG(1, 1))
	perturb(g, ta, r)
	for a := range in.cost {
		in.cost[a] = g.ArcCost(a)
	}
	if st := g.Solve(); st != Optimal || !g.Warm() {
		t.Fatal(st, g.Warm())
	}
	certify(t, in, g)
	t.Logf("cost %.3f, warm pivots %d", g.Cost(), g.Pivots())
}
