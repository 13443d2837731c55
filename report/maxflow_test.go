package report

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// edmondsKarp is the textbook maximum flow (one breadth-first search per
// augmenting path), kept as the oracle of maxFlow.run.
func edmondsKarp(n int, arcs [][3]int, s, t int) (int, []bool) {
	capa := make([][]int, n)
	for i := range capa {
		capa[i] = make([]int, n)
	}
	for _, a := range arcs {
		capa[a[0]][a[1]] += a[2]
	}
	total := 0
	for {
		pred := make([]int, n)
		for i := range pred {
			pred[i] = -1
		}
		pred[s] = s
		queue := []int{s}
		for len(queue) > 0 {
			u := queue[0]
			queue = queue[1:]
			for v := range n {
				if capa[u][v] > 0 && pred[v] < 0 {
					pred[v] = u
					queue = append(queue, v)
				}
			}
		}
		if pred[t] < 0 {
			side := make([]bool, n)
			for v := range n {
				side[v] = pred[v] >= 0
			}
			return total, side
		}
		push := int(^uint(0) >> 1)
		for v := t; v != s; v = pred[v] {
			push = min(push, capa[pred[v]][v])
		}
		for v := t; v != s; v = pred[v] {
			capa[pred[v]][v] -= push
			capa[v][pred[v]] += push
		}
		total += push
	}
}

// TestMaxFlowAgainstEdmondsKarp: on random networks, run (Dinic) finds the
// maximum flow's value and the residual reachability from the source that
// the textbook algorithm finds, also when a second run augments after arcs
// were added (as bound does).
func TestMaxFlowAgainstEdmondsKarp(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for trial := range 300 {
		n := 2 + rng.IntN(12)
		var arcs [][3]int
		for range rng.IntN(4 * n) {
			u, v := rng.IntN(n), rng.IntN(n)
			if u != v {
				arcs = append(arcs, [3]int{u, v, 1 + rng.IntN(4)})
			}
		}
		split := rng.IntN(len(arcs) + 1)
		g := newMaxFlow(n)
		for _, a := range arcs[:split] {
			g.addArc(a[0], a[1], a[2])
		}
		first := g.run(0, 1)
		for _, a := range arcs[split:] {
			g.addArc(a[0], a[1], a[2])
		}
		got := first + g.run(0, 1)
		want0, _ := edmondsKarp(n, arcs[:split], 0, 1)
		want, side := edmondsKarp(n, arcs, 0, 1)
		if first != want0 || got != want {
			t.Fatalf("trial %d: flows %d then %d, want %d then %d (%v)", trial, first, got, want0, want, arcs)
		}
		if s := g.sourceSide(0); !slices.Equal(s, side) {
			t.Fatalf("trial %d: source side %v, want %v (%v)", trial, s, side, arcs)
		}
	}
}
