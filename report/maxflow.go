package report

// maxFlow is a small augmenting-path maximum flow (Edmonds-Karp): the
// networks the report builds have a unit's teachers and the cells they can
// reach, a few thousand arcs at most, so clarity beats speed here.
type maxFlow struct {
	head []int // per node: first arc, -1 for none
	next []int // per arc
	to   []int
	cap  []int // residual capacity
}

func newMaxFlow(n int) *maxFlow {
	g := &maxFlow{head: make([]int, n)}
	for i := range g.head {
		g.head[i] = -1
	}
	return g
}

// addArc adds u -> v with capacity c and returns the arc's index; its
// reverse arc is index^1.
func (g *maxFlow) addArc(u, v, c int) int {
	id := len(g.to)
	g.to = append(g.to, v, u)
	g.cap = append(g.cap, c, 0)
	g.next = append(g.next, g.head[u], g.head[v])
	g.head[u], g.head[v] = id, id+1
	return id
}

// flow is the flow on arc a (the residual capacity of its reverse).
func (g *maxFlow) flow(a int) int { return g.cap[a^1] }

// run pushes the maximum flow from s to t and returns its value.
func (g *maxFlow) run(s, t int) int {
	total := 0
	pred := make([]int, len(g.head))
	for {
		for i := range pred {
			pred[i] = -1
		}
		pred[s] = -2
		queue := []int{s}
		for len(queue) > 0 && pred[t] == -1 {
			u := queue[0]
			queue = queue[1:]
			for a := g.head[u]; a >= 0; a = g.next[a] {
				if v := g.to[a]; g.cap[a] > 0 && pred[v] == -1 {
					pred[v] = a
					queue = append(queue, v)
				}
			}
		}
		if pred[t] == -1 {
			return total
		}
		push := int(^uint(0) >> 1)
		for v := t; v != s; v = g.to[pred[v]^1] {
			push = min(push, g.cap[pred[v]])
		}
		for v := t; v != s; v = g.to[pred[v]^1] {
			g.cap[pred[v]] -= push
			g.cap[pred[v]^1] += push
		}
		total += push
	}
}

// sourceSide marks the nodes reachable from s in the residual network after
// run: the source side of a minimum cut.
func (g *maxFlow) sourceSide(s int) []bool {
	seen := make([]bool, len(g.head))
	seen[s] = true
	stack := []int{s}
	for len(stack) > 0 {
		u := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for a := g.head[u]; a >= 0; a = g.next[a] {
			if v := g.to[a]; g.cap[a] > 0 && !seen[v] {
				seen[v] = true
				stack = append(stack, v)
			}
		}
	}
	return seen
}
