package mip

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"rotaplan/model"
)

// Var is a column of the program.
type Var struct {
	Name    string
	Lo, Hi  float64 // Hi may be +Inf
	Cost    float64
	Integer bool
}

// Sense of a row.
const (
	LE = 'L' // <=
	GE = 'G' // >=
	EQ = 'E' // =
)

// Row is a linear constraint Σ Val[i] x Var[Idx[i]] (Sense) RHS.
type Row struct {
	Name  string
	Sense byte
	RHS   float64
	Idx   []int
	Val   []float64
}

// Model is the program of one instance. The first len(Moves) variables are
// the move variables x, in the order of Moves.
type Model struct {
	Name  string
	Vars  []Var
	Rows  []Row
	Moves []model.Placement // Moves[j] is the move of variable j

	in   *model.Instance
	kind []byte // per variable: 'x', 'p', 'z', 'e', 'u' or 'v'
	ref  []int  // per variable: move, cell or unit index
}

// Build states the rotation problem of the instance as a MIP (see the package
// documentation). Move variables are created for every allowed move into a
// cell that could take a teacher: a cell with open posts, or one whose own
// teachers may leave (H2 lets an arrival replace a departure).
func Build(in *model.Instance) *Model {
	sc := in.Scenario
	S, K, T := len(sc.Schools), in.K, len(sc.Teachers)
	w := sc.Objective
	m := &Model{Name: "rotaplan", in: in}
	names := map[string]bool{}
	unique := func(base string) string {
		name := base
		for i := 2; names[name]; i++ {
			name = base + "_" + strconv.Itoa(i)
		}
		names[name] = true
		return name
	}
	addVar := func(name string, lo, hi, cost float64, integer bool, kind byte, ref int) int {
		m.Vars = append(m.Vars, Var{Name: unique(name), Lo: lo, Hi: hi, Cost: cost, Integer: integer})
		m.kind, m.ref = append(m.kind, kind), append(m.ref, ref)
		return len(m.Vars) - 1
	}

	// Cells that may receive: open posts, or own teachers that may leave.
	open := make([]bool, S*K)
	for c := range open {
		open[c] = in.Short(c) > 0
	}
	for t := range T {
		if in.Movable[t] || in.Pin[t] >= 0 {
			open[in.Cell(in.Home[t], in.Subject[t])] = true
		}
	}

	// Move variables, teacher by teacher in scenario order.
	byTeacher := make([][]int, T)
	for t := range T {
		if !in.Movable[t] && in.Pin[t] < 0 {
			continue
		}
		s := in.Home[t]
		maxKm := sc.Policy.Limits.MaxKm
		for d := range S {
			// Cheap tests first: in.Allowed formats a reason for every
			// refusal, which dominates on large counties.
			if in.Pin[t] >= 0 && d != in.PinTo[t] || in.Pin[t] < 0 && (d == s || !in.RouteAllows(s, d) ||
				maxKm != nil && in.Km(s, d) > *maxKm || in.Forbidden(t, d)) {
				continue
			}
			for _, k := range in.Teaches[t] {
				// A pin gets its variable even into a closed cell: the
				// program is then infeasible, as the plan is (H2).
				if in.Pin[t] < 0 && !open[in.Cell(d, k)] || !in.Allowed(t, d, k) {
					continue
				}
				cost := w.Km*in.Km(s, d) - w.Wish*in.WishScore(t, d)
				lo := 0.0
				if in.Pin[t] >= 0 {
					lo = 1
				}
				j := addVar(fmt.Sprintf("x_%s_%s_%s", sanitize(sc.Teachers[t].ID), sanitize(sc.Schools[d].ID), sanitize(in.Subjects[k])), lo, 1, cost, true, 'x', len(m.Moves))
				m.Moves = append(m.Moves, model.Placement{Teacher: t, To: d, Subject: k})
				byTeacher[t] = append(byTeacher[t], j)
			}
		}
	}
	// H1: at most one move per teacher.
	for t, js := range byTeacher {
		if len(js) < 2 {
			continue
		}
		r := Row{Name: unique("one_" + sanitize(sc.Teachers[t].ID)), Sense: LE, RHS: 1}
		for _, j := range js {
			r.Idx, r.Val = append(r.Idx, j), append(r.Val, 1)
		}
		m.Rows = append(m.Rows, r)
	}

	// Cell balance: in - out - p + z + e = 0.
	cellIn := make([][]int, S*K)
	cellOut := make([][]int, S*K)
	for j, mv := range m.Moves {
		cellIn[in.Cell(mv.To, mv.Subject)] = append(cellIn[in.Cell(mv.To, mv.Subject)], j)
		from := in.Cell(in.Home[mv.Teacher], in.Subject[mv.Teacher])
		cellOut[from] = append(cellOut[from], j)
	}
	sd := float64(sc.Policy.Limits.SourceDeficit)
	for c := range S * K {
		if len(cellIn[c]) == 0 && len(cellOut[c]) == 0 {
			continue
		}
		cell := sanitize(sc.Schools[c/K].ID) + "_" + sanitize(in.Subjects[c%K])
		r := Row{Name: unique("bal_" + cell), Sense: EQ}
		for _, j := range cellIn[c] {
			r.Idx, r.Val = append(r.Idx, j), append(r.Val, 1)
		}
		for _, j := range cellOut[c] {
			r.Idx, r.Val = append(r.Idx, j), append(r.Val, -1)
		}
		fw := w.Fill * in.Weight(c)
		if sh := in.Short(c); sh > 0 && len(cellIn[c]) > 0 {
			p := addVar("p_"+cell, 0, float64(sh), -fw, false, 'p', c)
			r.Idx, r.Val = append(r.Idx, p), append(r.Val, -1)
		}
		if len(cellOut[c]) > 0 {
			if sp := in.Surplus(c); sp > 0 {
				z := addVar("z_"+cell, 0, float64(sp), 0, false, 'z', c)
				r.Idx, r.Val = append(r.Idx, z), append(r.Val, 1)
			}
			if sd > 0 {
				e := addVar("e_"+cell, 0, sd, fw+w.Deficit, false, 'e', c)
				r.Idx, r.Val = append(r.Idx, e), append(r.Val, 1)
			}
		}
		m.Rows = append(m.Rows, r)
	}

	// H4: moved[s] <= cap.
	fromSchool := make([][]int, S)
	for j, mv := range m.Moves {
		fromSchool[in.Home[mv.Teacher]] = append(fromSchool[in.Home[mv.Teacher]], j)
	}
	for s := range S {
		if cp := in.OutflowCap[s]; cp >= 0 && len(fromSchool[s]) > cp {
			r := Row{Name: unique("h4_" + sanitize(sc.Schools[s].ID)), Sense: LE, RHS: float64(cp)}
			for _, j := range fromSchool[s] {
				r.Idx, r.Val = append(r.Idx, j), append(r.Val, 1)
			}
			m.Rows = append(m.Rows, r)
		}
	}

	// Quota units.
	for i, u := range in.Units {
		name := fmt.Sprintf("q%d", i+1)
		if len(u.Schools) == 1 {
			name += "_" + sanitize(sc.Schools[u.Schools[0]].ID)
		}
		var js []int
		for _, s := range u.Schools {
			js = append(js, fromSchool[s]...)
		}
		if u.Target > 0 {
			uv := addVar("u_"+name, 0, math.Inf(1), w.Quota, false, 'u', i)
			r := Row{Name: unique("cnt_" + name), Sense: GE, RHS: float64(u.Target), Idx: []int{uv}, Val: []float64{1}}
			for _, j := range js {
				r.Idx, r.Val = append(r.Idx, j), append(r.Val, 1)
			}
			m.Rows = append(m.Rows, r)
		}
		if u.BackboneShare > 0 && len(js) > 0 {
			vv := addVar("v_"+name, 0, math.Inf(1), w.Backbone, false, 'v', i)
			r := Row{Name: unique("bb_" + name), Sense: GE, Idx: []int{vv}, Val: []float64{1}}
			for _, j := range js {
				c := -u.BackboneShare
				if in.Backbone[m.Moves[j].Teacher] {
					c += 1
				}
				if c != 0 {
					r.Idx, r.Val = append(r.Idx, j), append(r.Val, c)
				}
			}
			m.Rows = append(m.Rows, r)
		}
	}
	return m
}

// Placements maps a solution vector (one value per variable, as an outside
// solver reports it) back to moves: every move variable above one half.
func (m *Model) Placements(sol []float64) []model.Placement {
	var out []model.Placement
	for j, mv := range m.Moves {
		if j < len(sol) && sol[j] > 0.5 {
			out = append(out, mv)
		}
	}
	return out
}

// Vector is the solution vector of a set of moves: x = 1 for the moves and
// the other variables at their least cost for those moves. The moves must be
// move variables of the model (allowed moves into cells that may receive).
// For a plan that keeps the hard rules the vector is feasible
// (Violations is empty) and its Objective is the plan's Z.
func (m *Model) Vector(moves []model.Placement) ([]float64, error) {
	in := m.in
	at := make(map[model.Placement]int, len(m.Moves))
	for j, mv := range m.Moves {
		at[mv] = j
	}
	x := make([]float64, len(m.Vars))
	for _, mv := range moves {
		j, ok := at[mv]
		if !ok {
			return nil, fmt.Errorf("move of %s to %s in %s is not a variable of the model",
				in.Scenario.Teachers[mv.Teacher].ID, in.Scenario.Schools[mv.To].ID, in.Subjects[mv.Subject])
		}
		x[j]++
	}
	o := model.Evaluate(in, moves)
	for j := range m.Vars {
		r := m.ref[j]
		switch m.kind[j] {
		case 'p':
			x[j] = float64(max(0, o.In[r]-o.Out[r]))
		case 'z':
			x[j] = float64(min(max(0, o.Out[r]-o.In[r]), in.Surplus(r)))
		case 'e':
			x[j] = float64(max(0, o.Out[r]-o.In[r]-in.Surplus(r)))
		case 'u':
			x[j] = float64(o.Units[r].CountShort)
		case 'v':
			x[j] = o.Units[r].BackboneShort
		}
	}
	return x, nil
}

// Violations lists the bounds and rows a solution vector breaks, beyond a
// tolerance of 1e-6 (and integrality of integer variables).
func (m *Model) Violations(x []float64) []string {
	const tol = 1e-6
	var out []string
	for j, v := range m.Vars {
		if x[j] < v.Lo-tol || x[j] > v.Hi+tol {
			out = append(out, fmt.Sprintf("%s = %g outside [%g, %g]", v.Name, x[j], v.Lo, v.Hi))
		}
		if v.Integer && math.Abs(x[j]-math.Round(x[j])) > tol {
			out = append(out, fmt.Sprintf("%s = %g is not integral", v.Name, x[j]))
		}
	}
	for _, r := range m.Rows {
		var lhs float64
		for k, j := range r.Idx {
			lhs += r.Val[k] * x[j]
		}
		if (r.Sense == LE || r.Sense == EQ) && lhs > r.RHS+tol || (r.Sense == GE || r.Sense == EQ) && lhs < r.RHS-tol {
			out = append(out, fmt.Sprintf("row %s: %g %c %g", r.Name, lhs, r.Sense, r.RHS))
		}
	}
	return out
}

// Objective is the objective value of a solution vector.
func (m *Model) Objective(sol []float64) float64 {
	var z float64
	for j, v := range m.Vars {
		if j < len(sol) {
			z += v.Cost * sol[j]
		}
	}
	return z
}

// Index returns the variable index by name, for reading solution files.
func (m *Model) Index() map[string]int {
	idx := make(map[string]int, len(m.Vars))
	for j, v := range m.Vars {
		idx[v.Name] = j
	}
	return idx
}

// Nonzeros counts the matrix entries.
func (m *Model) Nonzeros() int {
	n := 0
	for _, r := range m.Rows {
		n += len(r.Idx)
	}
	return n
}

// sanitize keeps names to the characters MPS and CPLEX LP both accept
// everywhere: ASCII letters, digits and underscore. Other characters (ids
// may be Chinese) become u<hex>; Build makes the results unique.
func sanitize(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
		default:
			fmt.Fprintf(&b, "u%x", r)
		}
	}
	return b.String()
}
