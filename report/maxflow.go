package report

// maxFlow is a maximum flow on the networks the report builds: a unit's
// teachers and the cells they can reach (millions of arcs for a county-wide
// unit of a thousand schools).
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

// run pushes the maximum flow from s to t, on top of the flow already in
// the network, and returns the amount it added. Dinic's algorithm (Dinic,
// "Algorithm for solution of a problem of maximum flow in networks with
// power estimation", Soviet Math. Doklady 11, 1970): a breadth-first search
// layers the residual network by distance from s, and depth-first searches
// that never revisit a dead arc (the current-arc pointers) saturate every
// shortest augmenting path of a layer at once. O(V²E) in general and
// O(E√V) on unit networks; a county's unit of a thousand schools has
// millions of arcs, where one breadth-first search per path (Edmonds-Karp)
// took minutes. The value and the residual reachability from s (the
// source side of sourceSide) are those of every maximum flow.
func (g *maxFlow) run(s, t int) int {
	n := len(g.head)
	level := make([]int, n)
	cur := make([]int, n)
	queue := make([]int, 0, n)
	total := 0
	for {
		for i := range level {
			level[i] = -1
		}
		level[s] = 0
		queue = append(queue[:0], s)
		for i := 0; i < len(queue); i++ {
			u := queue[i]
			for a := g.head[u]; a >= 0; a = g.next[a] {
				if v := g.to[a]; g.cap[a] > 0 && level[v] < 0 {
					level[v] = level[u] + 1
					queue = append(queue, v)
				}
			}
		}
		if level[t] < 0 {
			return total
		}
		copy(cur, g.head)
		for {
			f := g.augment(s, t, int(^uint(0)>>1), level, cur)
			if f == 0 {
				break
			}
			total += f
		}
	}
}

// augment pushes up to limit units from u to t along arcs that go one
// layer deeper, advancing u's current arc past the arcs it cannot use.
// The recursion is as deep as the layers: a handful in the report's
// networks (source, school, origin, teacher, destination, sink).
func (g *maxFlow) augment(u, t, limit int, level, cur []int) int {
	if u == t {
		return limit
	}
	for ; cur[u] >= 0; cur[u] = g.next[cur[u]] {
		a := cur[u]
		v := g.to[a]
		if g.cap[a] <= 0 || level[v] != level[u]+1 {
			continue
		}
		if f := g.augment(v, t, min(limit, g.cap[a]), level, cur); f > 0 {
			g.cap[a] -= f
			g.cap[a^1] += f
			return f
		}
	}
	return 0
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
