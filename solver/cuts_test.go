package solver

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestEnvelopeFacet checks the quota units' envelope facets against brute
// force: at random points of random unit ranges the facet must lie under
// g at every lattice point of the range (a valid cut) and, where the range
// fits in the search window, meet the exact lower convex envelope at the
// point (the strongest cut there).
func TestEnvelopeFacet(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 9))
	strict := 0
	for trial := range 400 {
		ur := &unitRange{countRow: 0, bbRow: 1, q: 1 + r.IntN(8), share: []float64{0.2, 0.25, 0.3, 0.4, 0.5}[r.IntN(5)]}
		if trial%5 == 0 {
			ur.countRow = -1
		}
		ur.bMax, ur.nMax = r.IntN(7), 1+r.IntN(10)
		ur.mCap = 1 + r.IntN(ur.bMax+ur.nMax)
		big := trial%4 == 3
		if big { // wider than the window: the facet is valid, maybe not tight
			ur.bMax, ur.nMax, ur.mCap = 10+r.IntN(20), 10+r.IntN(30), 20+r.IntN(40)
		}
		w := weights{quota: float64(100 + r.IntN(900)), backbone: float64(100 + r.IntN(2000))}
		var pts [][2]int
		for m := 0; m <= ur.mCap; m++ {
			for b := 0; b <= m; b++ {
				if ur.inside(m, b) {
					pts = append(pts, [2]int{m, b})
				}
			}
		}
		// A random point of the range: a mix of three lattice points.
		var M, B, sum float64
		for range 3 {
			p := pts[r.IntN(len(pts))]
			l := r.Float64()
			M, B, sum = M+l*float64(p[0]), B+l*float64(p[1]), sum+l
		}
		M, B = M/sum, B/sum
		alpha, beta, gamma, ok := ur.facet(w, M, B)
		if !ok && (ur.bMax == 0 || ur.nMax == 0) {
			continue // a segment, not an area: g is its own envelope there
		}
		if !ok {
			t.Fatalf("trial %d: no facet at (%g, %g) in %+v", trial, M, B, ur)
		}
		for _, p := range pts {
			if v := alpha + beta*float64(p[0]) + gamma*float64(p[1]); v > ur.cost(w, p[0], p[1])+1e-7 {
				t.Fatalf("trial %d: facet %g above g %g at %v", trial, v, ur.cost(w, p[0], p[1]), p)
			}
		}
		got := alpha + beta*M + gamma*B
		if big {
			continue // too many points for the reference below
		}
		// The exact envelope at (M, B) by brute force: the least mix of
		// three lattice points around it (Carathéodory), barycentric
		// coordinates by Cramer's rule.
		env := math.Inf(1)
		for i := range pts {
			for j := i + 1; j < len(pts); j++ {
				for k := j + 1; k < len(pts); k++ {
					p, q, o := pts[i], pts[j], pts[k]
					ax, ay := float64(q[0]-p[0]), float64(q[1]-p[1])
					bx, by := float64(o[0]-p[0]), float64(o[1]-p[1])
					det := ax*by - ay*bx
					if det == 0 {
						continue
					}
					px, py := M-float64(p[0]), B-float64(p[1])
					l1 := (px*by - py*bx) / det
					l2 := (ax*py - ay*px) / det
					l0 := 1 - l1 - l2
					if l0 < -1e-9 || l1 < -1e-9 || l2 < -1e-9 {
						continue
					}
					v := l0*ur.cost(w, p[0], p[1]) + l1*ur.cost(w, q[0], q[1]) + l2*ur.cost(w, o[0], o[1])
					env = math.Min(env, v)
				}
			}
		}
		tol := 1e-6 * (w.quota + w.backbone)
		if got > env+tol {
			t.Fatalf("trial %d: facet %g above the envelope %g", trial, got, env)
		}
		{
			strict++
			if got < env-tol {
				t.Fatalf("trial %d: facet %g below the envelope %g at (%g, %g)", trial, got, env, M, B)
			}
		}
	}
	if strict < 200 {
		t.Fatalf("only %d trials checked for tightness", strict)
	}
}
