package solver

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// TestMasterLPAgainstGonum compares the master's optimum and its dual bound
// with gonum's simplex on random masters, including degenerate ones (integer
// data, repeated columns).
func TestMasterLPAgainstGonum(t *testing.T) {
	withPerturbations(t, testMasterLPAgainstGonum)
}

// withPerturbations runs a master test as solve runs, then with every
// degenerate pivot perturbing the basic values (and the next one turning
// to Bland's rule), then with a perturbation so large that the dual
// simplex repair of the true values has work to do; test reports how many
// solves perturbed and how many repair pivots they made.
func withPerturbations(t *testing.T, test func(*testing.T) (perturbed, repairs int)) {
	for _, c := range []struct {
		run  int
		size float64
	}{{30, 1e-7}, {0, 1e-7}, {0, 0.3}} {
		t.Run(fmt.Sprintf("degenerateRun=%d,perturbSize=%g", c.run, c.size), func(t *testing.T) {
			defer func(run, prun int, size float64) { degenerateRun, perturbRun, perturbSize = run, prun, size }(degenerateRun, perturbRun, perturbSize)
			degenerateRun, perturbRun, perturbSize = c.run, 10*c.run, c.size
			perturbed, repairs := test(t)
			t.Logf("%d solves perturbed, %d repair pivots", perturbed, repairs)
			if c.run == 0 && perturbed < 50 {
				t.Fatalf("only %d solves perturbed", perturbed)
			}
			if c.size > 0.1 && repairs == 0 {
				t.Fatal("no repair pivot")
			}
		})
	}
}

func testMasterLPAgainstGonum(t *testing.T) (perturbed, repairs int) {
	r := rand.New(rand.NewPCG(7, 7))
	for trial := range 300 {
		m, n := 1+r.IntN(8), 1+r.IntN(25)
		ml := randomRows(r, m)
		// Every third trial: rows past the first two charge the slacks of
		// one or two of the first two rows, as cut rows do.
		if trial%3 == 2 {
			for i := 2; i < m; i++ {
				for k := range 2 {
					if r.IntN(2) == 0 {
						ml.links[i] = append(ml.links[i], link{row: int32(k), coef: 0.1 + r.Float64()})
					}
				}
			}
		}
		for range n {
			a := make([]float64, m)
			for i := range a {
				a[i] = float64(r.IntN(11) - 5)
				if trial%2 == 1 {
					a[i] += r.Float64()
				}
			}
			ml.costs = append(ml.costs, float64(r.IntN(200)-100))
			ml.acts = append(ml.acts, a)
			if r.IntN(4) == 0 { // a duplicate column
				ml.costs = append(ml.costs, ml.costs[len(ml.costs)-1])
				ml.acts = append(ml.acts, append([]float64(nil), a...))
			}
		}
		n = len(ml.costs)
		sol, err := ml.solve()
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		perturbed += ml.perturbed
		repairs += ml.repairs
		// Column generation: solve with a part of the columns, add the
		// rest a few at a time, solving again from the kept basis and
		// inverse each time; same optimum.
		if n > 1 {
			part := &masterLP{b: ml.b, hi: ml.hi, links: ml.links, costs: ml.costs[: n/2 : n/2], acts: ml.acts[: n/2 : n/2]}
			if _, err := part.solve(); err != nil {
				t.Fatalf("trial %d: part: %v", trial, err)
			}
			var warm *masterSolution
			for k := n/2 + 1; k <= n; k = min(n, k+max(1, n/8)) {
				if part.inv == nil {
					t.Fatalf("trial %d: no inverse kept for the next solve", trial)
				}
				part.costs, part.acts = ml.costs[:k:k], ml.acts[:k:k]
				if warm, err = part.solve(); err != nil {
					t.Fatalf("trial %d: warm: %v", trial, err)
				}
				if k == n {
					break
				}
			}
			perturbed += part.perturbed
			repairs += part.repairs
			if math.Abs(warm.Value-sol.Value) > 1e-6*math.Max(1, math.Abs(sol.Value)) {
				t.Fatalf("trial %d: warm %.9f, cold %.9f", trial, warm.Value, sol.Value)
			}
		}
		// Reference: variables λ (n), s (m), slack per <= row (m); rows m + convexity.
		nv := n + 2*m
		A := mat.NewDense(m+1, nv, nil)
		c := make([]float64, nv)
		bb := make([]float64, m+1)
		for j := range n {
			c[j] = ml.costs[j]
			for i := range m {
				A.Set(i, j, ml.acts[j][i])
			}
			A.Set(m, j, 1)
		}
		for i := range m {
			c[n+i] = ml.hi[i]
			A.Set(i, n+i, -1)
			A.Set(i, n+m+i, 1)
			bb[i] = ml.b[i]
			for _, l := range ml.links[i] {
				A.Set(i, n+int(l.row), -l.coef)
			}
		}
		bb[m] = 1
		want, _, err := lp.Simplex(c, A, bb, 1e-10, nil)
		if err != nil {
			t.Fatalf("trial %d: reference: %v", trial, err)
		}
		if math.Abs(sol.Value-want) > 1e-6*math.Max(1, math.Abs(want)) {
			t.Fatalf("trial %d: master %.9f, gonum %.9f", trial, sol.Value, want)
		}
		// Primal feasibility of the reported solution, and its value.
		var sum, val float64
		for j, l := range sol.Lambda {
			if l < -1e-9 {
				t.Fatalf("trial %d: λ_%d = %g", trial, j, l)
			}
			sum += l
			val += l * ml.costs[j]
		}
		for i := range m {
			var act float64
			for j, l := range sol.Lambda {
				act += l * ml.acts[j][i]
			}
			for _, l := range ml.links[i] {
				act -= l.coef * sol.Slack[l.row]
			}
			if act-sol.Slack[i] > ml.b[i]+1e-7 {
				t.Fatalf("trial %d: row %d violated", trial, i)
			}
			val += ml.hi[i] * sol.Slack[i]
		}
		if math.Abs(sum-1) > 1e-9 || math.Abs(val-sol.Value) > 1e-6*math.Max(1, math.Abs(val)) {
			t.Fatalf("trial %d: Σλ=%g value %g vs %g", trial, sum, val, sol.Value)
		}
		// Dual: every column's reduced cost is >= 0 and the dual value equals the optimum.
		dualVal := sol.Mu
		for i := range m {
			dualVal -= sol.Pi[i] * ml.b[i]
		}
		for j := range n {
			rc := ml.costs[j] - sol.Mu
			for i := range m {
				rc += sol.Pi[i] * ml.acts[j][i]
			}
			if rc < -1e-6 {
				t.Fatalf("trial %d: column %d reduced cost %g", trial, j, rc)
			}
		}
		// Every slack's reduced cost is >= 0 (exactly: the Lagrangian
		// bound of the duals needs it), linked ones included.
		for i := range m {
			rc := ml.hi[i] - sol.Pi[i]
			for k := range m {
				for _, l := range ml.links[k] {
					if int(l.row) == i {
						rc -= l.coef * sol.Pi[k]
					}
				}
			}
			if rc < -1e-9 {
				t.Fatalf("trial %d: slack %d reduced cost %g", trial, i, rc)
			}
		}
		if math.Abs(dualVal-want) > 1e-6*math.Max(1, math.Abs(want)) {
			t.Fatalf("trial %d: dual value %g, optimum %g", trial, dualVal, want)
		}
	}
	return perturbed, repairs
}

// TestMasterWarmFromParent starts a child master from its parent's optimal
// basis, as branch and price does: some of the parent's columns are
// excluded (they break the child's bounds) and a branching row is
// appended. The optimum must equal a cold solve of the child's master
// without the excluded columns, and no excluded column may carry weight.
func TestMasterWarmFromParent(t *testing.T) {
	withPerturbations(t, testMasterWarmFromParent)
}

func testMasterWarmFromParent(t *testing.T) (perturbed, repairs int) {
	r := rand.New(rand.NewPCG(11, 3))
	phase1 := 0
	for trial := range 400 {
		m, n := 1+r.IntN(7), 2+r.IntN(25)
		parent := randomRows(r, m)
		var full [][]float64
		for range n {
			a := make([]float64, m+1) // the last entry: the branching row's activity
			for i := range a {
				a[i] = float64(r.IntN(11) - 5)
			}
			parent.costs = append(parent.costs, float64(r.IntN(200)-100))
			parent.acts = append(parent.acts, a[:m:m])
			full = append(full, a)
		}
		psol, err := parent.solve()
		if err != nil {
			t.Fatalf("trial %d: parent: %v", trial, err)
		}
		// The child: one more row (b, hi), and a random part of the
		// columns excluded, always one basic column when there is one.
		b, hi := float64(r.IntN(5)-2), 40.0
		excluded := make([]bool, n)
		for j := range n {
			excluded[j] = r.IntN(4) == 0
		}
		for j, l := range psol.Lambda {
			if l > 1e-9 && r.IntN(2) == 0 {
				excluded[j] = true
				break
			}
		}
		ok := false
		for j := range n {
			ok = ok || !excluded[j]
		}
		if !ok {
			excluded[0] = false
		}
		childOf := func(keep func(j int) bool) *masterLP {
			ch := &masterLP{b: append(slices.Clone(parent.b), b), hi: append(slices.Clone(parent.hi), hi), links: make([][]link, m+1)}
			for j := range n {
				if keep(j) {
					ch.costs = append(ch.costs, parent.costs[j])
					ch.acts = append(ch.acts, full[j])
				}
			}
			return ch
		}
		cold, err := childOf(func(j int) bool { return !excluded[j] }).solve()
		if err != nil {
			t.Fatalf("trial %d: cold: %v", trial, err)
		}
		warm := childOf(func(int) bool { return true })
		warm.excluded = excluded
		for _, v := range parent.basis {
			switch {
			case v < m:
				warm.basis = append(warm.basis, v)
			case v < 2*m:
				warm.basis = append(warm.basis, v+1)
			default:
				warm.basis = append(warm.basis, v+2)
			}
		}
		warm.basis = append(warm.basis, 2*m+1) // the new row's logical, a guess
		warm.fresh = []int{m}
		for _, v := range parent.basis {
			if v >= 2*m && excluded[v-2*m] && psol.Lambda[v-2*m] > 1e-9 {
				phase1++
				break
			}
		}
		wsol, err := warm.solve()
		if err != nil {
			t.Fatalf("trial %d: warm: %v", trial, err)
		}
		perturbed += warm.perturbed + parent.perturbed
		repairs += warm.repairs + parent.repairs
		if math.Abs(wsol.Value-cold.Value) > 1e-6*math.Max(1, math.Abs(cold.Value)) {
			t.Fatalf("trial %d: warm %.9f, cold %.9f", trial, wsol.Value, cold.Value)
		}
		for j, l := range wsol.Lambda {
			if excluded[j] && l > 1e-9 {
				t.Fatalf("trial %d: excluded column %d has λ %g", trial, j, l)
			}
		}
	}
	if phase1 < 50 {
		t.Errorf("only %d trials started with an excluded column in the basis", phase1)
	}
	return perturbed, repairs
}

// randomRows is a master of m rows without columns: right-hand sides in
// [-4, 4], slack costs in [1, 50].
func randomRows(r *rand.Rand, m int) *masterLP {
	ml := &masterLP{b: make([]float64, m), hi: make([]float64, m), links: make([][]link, m)}
	for i := range m {
		ml.b[i] = float64(r.IntN(9) - 4)
		ml.hi[i] = float64(1 + r.IntN(50))
	}
	return ml
}
