package report

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"rotaplan/model"
)

// Departures bounds how many teachers of a set of schools can leave at the
// same time under the hard rules, and says what binds. It is the maximum
// flow of the network
//
//	source -> school (H4: max_outflow_share cap)
//	       -> origin cell (H3: surplus + source_deficit + teachers who could replace)
//	       -> teacher (1)
//	       -> destination cell it is allowed to (H2: open posts + posts its own teachers could vacate)
//	       -> sink
//
// a relaxation of H1-H4 (teachers from elsewhere competing for the same
// posts are ignored, chains of moves are allowed for), so no plan moves more
// of these teachers than Max. The minimum cut names the binding rules.
type Departures struct {
	Teachers      int      // teachers of the schools considered
	Movable       int      // of them: eligible or volunteer and not forbidden outright, or pinned
	Max           int      // most of them that can leave at once
	Forbidden     []string // eligible or volunteer but forbidden outright
	NoDestination []string // movable, but no school is allowed (routes, max_km, forbids)
	NoDestWhy     []string // the distinct reasons for NoDestination, sorted
	NoOpenPost    []string // allowed destinations exist, none with an open post in a subject they teach
	NoOpenSubj    []string // the subjects NoOpenPost teachers teach, sorted
	Binding       []string // the rules in the minimum cut, with their numbers
	Chained       int      // of Max, departures only into posts other teachers would vacate first
}

const unlimited = 1 << 30

// analysis holds what every bound of an instance shares: the cells each
// movable teacher may move to and the chain capacities.
type analysis struct {
	in      *model.Instance
	cellsOf [][]int // per teacher: cells it is allowed to move to (nil if not movable)
	vacate  []int   // per cell: its teachers who could leave for a post that may be open
	replace []int   // per cell: teachers elsewhere allowed to move into it
	byHome  [][]int // per cell: its teachers with somewhere to go
	into    [][]int // per cell: teachers allowed to move into it
}

// maxChains caps the chains of two tried per shortfall, so that a large
// county's report stays fast; the order, and so the cap, is deterministic.
const maxChains = 200000

func newAnalysis(in *model.Instance) *analysis {
	sc := in.Scenario
	S, K := len(sc.Schools), in.K
	// allowed[t]: the cells teacher t may move to.
	allowedCells := func(t int) []int {
		var cells []int
		for dst := range S {
			for _, k := range in.Teaches[t] {
				if in.Allowed(t, dst, k) {
					cells = append(cells, in.Cell(dst, k))
				}
			}
		}
		return cells
	}
	// Capacities of H2 and H3 relaxed for chains: a cell can take short +
	// the teachers of its own who have somewhere to go, and lose surplus +
	// source_deficit + the teachers who could come in to replace them.
	vacate := make([]int, S*K)
	replace := make([]int, S*K)
	cellsOf := make([][]int, len(sc.Teachers))
	for t := range sc.Teachers {
		if !in.Movable[t] && in.Pin[t] < 0 { // a pin moves the teacher whatever its eligibility
			continue
		}
		cellsOf[t] = allowedCells(t)
		if len(cellsOf[t]) > 0 {
			vacate[in.Cell(in.Home[t], in.Subject[t])]++
		}
		for _, c := range cellsOf[t] {
			replace[c]++
		}
	}
	destCap := func(c int) int { return in.Short(c) + vacate[c] }
	// A teacher can vacate a post only if it has a post to go to: prune to
	// the greatest fixpoint (swaps between two surplus-free cells survive, as
	// they should: a swap keeps H2 and H3).
	for changed := true; changed; {
		changed = false
		next := make([]int, S*K)
		for t := range sc.Teachers {
			for _, c := range cellsOf[t] {
				if destCap(c) > 0 {
					next[in.Cell(in.Home[t], in.Subject[t])]++
					break
				}
			}
		}
		if !slices.Equal(next, vacate) {
			vacate, changed = next, true
		}
	}

	an := &analysis{in: in, cellsOf: cellsOf, vacate: vacate, replace: replace, byHome: make([][]int, S*K), into: make([][]int, S*K)}
	for t, cells := range cellsOf {
		if len(cells) > 0 {
			h := in.Cell(in.Home[t], in.Subject[t])
			an.byHome[h] = append(an.byHome[h], t)
		}
		for _, c := range cells {
			an.into[c] = append(an.into[c], t)
		}
	}
	return an
}

// Bound computes Departures for the teachers of the schools; with backbone
// only backbone teachers count.
func Bound(in *model.Instance, schools []int, backbone bool) *Departures {
	return newAnalysis(in).bound(schools, backbone)
}

func (an *analysis) bound(schools []int, backbone bool) *Departures {
	in := an.in
	sc := in.Scenario
	S, K := len(sc.Schools), in.K
	sd := sc.Policy.Limits.SourceDeficit
	cellsOf, vacate, replace := an.cellsOf, an.vacate, an.replace
	destCap := func(c int) int { return in.Short(c) + vacate[c] }
	d := &Departures{}
	inUnit := make([]bool, S)
	for _, s := range schools {
		inUnit[s] = true
	}

	const src, sink = 0, 1
	g := newMaxFlow(2)
	grow := func() int { g.head = append(g.head, -1); return len(g.head) - 1 }
	schoolNode := map[int]int{}
	schoolArc := map[int]int{}
	originNode := map[int]int{}
	originArc := map[int]int{}
	originWho := map[int][]string{} // origin cell -> its teachers in the network
	destNode := map[int]int{}
	var destOrder []int
	same := map[string][]int{} // origin and open posts -> the arcs of its teachers' node
	var key []byte
	for t := range sc.Teachers {
		s := in.Home[t]
		if !inUnit[s] || (backbone && !in.Backbone[t]) {
			continue
		}
		d.Teachers++
		tc := &sc.Teachers[t]
		if !in.Movable[t] && in.Pin[t] < 0 {
			if in.Eligible[t] || tc.Volunteer {
				d.Forbidden = append(d.Forbidden, tc.ID)
			}
			continue
		}
		d.Movable++
		if len(cellsOf[t]) == 0 {
			d.NoDestination = append(d.NoDestination, tc.ID)
			d.NoDestWhy = append(d.NoDestWhy, notAllowedClasses(in, t)...)
			continue
		}
		var open []int
		for _, c := range cellsOf[t] {
			if destCap(c) > 0 {
				open = append(open, c)
			}
		}
		if len(open) == 0 {
			d.NoOpenPost = append(d.NoOpenPost, tc.ID)
			for _, k := range in.Teaches[t] {
				d.NoOpenSubj = append(d.NoOpenSubj, in.Subjects[k])
			}
			continue
		}
		sn, ok := schoolNode[s]
		if !ok {
			sn = grow()
			schoolNode[s] = sn
			c := unlimited
			if in.OutflowCap[s] >= 0 {
				c = in.OutflowCap[s]
			}
			schoolArc[s] = g.addArc(src, sn, c)
		}
		oc := in.Cell(s, in.Subject[t])
		on, ok := originNode[oc]
		if !ok {
			on = grow()
			originNode[oc] = on
			originArc[oc] = g.addArc(sn, on, in.Surplus(oc)+sd+replace[oc])
		}
		originWho[oc] = append(originWho[oc], tc.ID)
		// Teachers of one origin with the same open posts are one node
		// whose arcs carry as many units as there are such teachers: the
		// same maximum flow and cut on a network a few times smaller.
		key = key[:0]
		key = strconv.AppendInt(key, int64(oc), 10)
		for _, c := range open {
			key = strconv.AppendInt(append(key, ','), int64(c), 10)
		}
		if arcs, ok := same[string(key)]; ok {
			for _, a := range arcs {
				g.cap[a]++
			}
			continue
		}
		tn := grow()
		arcs := []int{g.addArc(on, tn, 1)}
		for _, c := range open {
			dn, ok := destNode[c]
			if !ok {
				dn = grow()
				destNode[c] = dn
				g.addArc(dn, sink, in.Short(c))
				destOrder = append(destOrder, c)
			}
			arcs = append(arcs, g.addArc(tn, dn, 1))
		}
		same[string(key)] = arcs
	}
	// First into open posts only, then also into posts others could vacate:
	// augmenting from the first flow, the second run counts the departures
	// that need a chain.
	direct := g.run(src, sink)
	for _, c := range destOrder {
		if vacate[c] > 0 {
			g.addArc(destNode[c], sink, vacate[c])
		}
	}
	d.Max = direct + g.run(src, sink)
	d.Chained = d.Max - direct
	side := g.sourceSide(src)
	sid := func(s int) string { return sc.Schools[s].ID }
	for _, s := range schools {
		sn, ok := schoolNode[s]
		if ok && !side[sn] {
			d.Binding = append(d.Binding, fmt.Sprintf("H4 %s may lose at most %d of its %d teachers (max_outflow_share %g)",
				sid(s), in.OutflowCap[s], in.Size[s], *sc.Policy.Limits.MaxOutflowShare))
		}
	}
	origins := keysSorted(originNode)
	for _, c := range origins {
		s := c / K
		if side[schoolNode[s]] && !side[originNode[c]] {
			who := originWho[c]
			list := strings.Join(who[:min(len(who), 5)], ", ")
			if len(who) > 5 {
				list += fmt.Sprintf(" and %d more", len(who)-5)
			}
			d.Binding = append(d.Binding, fmt.Sprintf("H3 %s %s may lose at most %d (surplus %d, source_deficit %d%s) of its %d %s (%s)",
				sid(s), in.Subjects[c%K], in.Surplus(c)+sd+replace[c], in.Surplus(c), sd, extra(replace[c], "could be replaced"),
				len(who), plural(len(who), "teacher with a place to go", "teachers with a place to go"), list))
		}
	}
	slices.Sort(destOrder)
	var full []string
	for _, c := range destOrder {
		if side[destNode[c]] {
			post := fmt.Sprintf("%s %s %d open", sid(c/K), in.Subjects[c%K], in.Short(c))
			if vacate[c] > 0 {
				post += fmt.Sprintf(" + %d its teachers could vacate", vacate[c])
			}
			full = append(full, post)
		}
	}
	if len(full) > 0 {
		d.Binding = append(d.Binding, "H2 the posts they can reach are all taken: "+strings.Join(full, ", "))
	}
	slices.Sort(d.NoDestWhy)
	d.NoDestWhy = slices.Compact(d.NoDestWhy)
	slices.Sort(d.NoOpenSubj)
	d.NoOpenSubj = slices.Compact(d.NoOpenSubj)
	return d
}

func extra(n int, what string) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(", %d %s", n, what)
}

func keysSorted(m map[int]int) []int {
	var ks []int
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// notAllowedClasses names why teacher t may go nowhere: the kinds of
// NotAllowedReason over the other schools.
func notAllowedClasses(in *model.Instance, t int) []string {
	var out []string
	for d := range in.Scenario.Schools {
		if d == in.Home[t] {
			continue
		}
		kind := string(in.Refuse(t, d, in.Teaches[t][0]))
		if kind == "" {
			kind = "allowed"
		}
		if mk := in.Scenario.Policy.Limits.MaxKm; kind == "beyond max_km" && mk != nil {
			kind = fmt.Sprintf("beyond max_km %g", *mk)
		}
		out = append(out, kind)
	}
	return out
}

// describe renders the bound: who cannot leave and what binds.
func (d *Departures) describe(what string) string {
	var parts []string
	if n := len(d.Forbidden); n > 0 {
		parts = append(parts, fmt.Sprintf("%d forbidden to move (%s)", n, strings.Join(d.Forbidden, ", ")))
	}
	if n := len(d.NoDestination); n > 0 {
		parts = append(parts, fmt.Sprintf("%d with no allowed destination (%s: %s)", n, strings.Join(d.NoDestination, ", "), strings.Join(d.NoDestWhy, ", ")))
	}
	if n := len(d.NoOpenPost); n > 0 {
		parts = append(parts, fmt.Sprintf("%d teach %s and no school they may go to has an open post in those (%s)", n, strings.Join(d.NoOpenSubj, " or "), strings.Join(d.NoOpenPost, ", ")))
	}
	s := fmt.Sprintf("of its %d %s, %d may move (eligible or volunteer and not forbidden, or pinned) and at most %d can leave at once under H2-H4", d.Teachers, what, d.Movable, d.Max)
	if len(parts) > 0 {
		s += ": " + strings.Join(parts, "; ")
	}
	if d.Chained > 0 {
		s += fmt.Sprintf("; %d of the %d only into posts other teachers would have to vacate first (a chain of moves)", d.Chained, d.Max)
	}
	if len(d.Binding) > 0 {
		s += "; binding: " + strings.Join(d.Binding, "; ")
	}
	return s
}

func countReason(an *analysis, moves []model.Placement, o *model.Outcome, ui int, b *Departures) string {
	in := an.in
	u := in.Units[ui]
	q := in.Scenario.Policy.Quotas[u.Rule]
	uo := o.Units[ui]
	s := fmt.Sprintf("%s needs %d %s (ceil(%g x %d eligible)), the plan has %d; %s",
		unitWho(in, u), u.Target, plural(u.Target, "departure", "departures"), q.MinShare, u.Eligible, uo.Moves, b.describe("teachers"))
	if b.Max < u.Target {
		return s + fmt.Sprintf(". So no plan meets it: at most %d of %d.", b.Max, u.Target)
	}
	return s + ". " + tradeOff(an, moves, o, ui, false, b.Max)
}

func backboneReason(an *analysis, moves []model.Placement, o *model.Outcome, ui int) string {
	in := an.in
	u := in.Units[ui]
	uo := o.Units[ui]
	b := an.bound(u.Schools, true)
	need := math.Ceil(u.BackboneShare*float64(uo.Moves) - 1e-9)
	s := fmt.Sprintf("%s needs %s backbone departures (%g x %d moves), the plan has %d; %s",
		unitWho(in, u), fmtNum(u.BackboneShare*float64(uo.Moves)), u.BackboneShare, uo.Moves, uo.Backbone, b.describe("backbone teachers ("+strings.Join(in.Scenario.Policy.BackboneLevels, ", ")+")"))
	if float64(b.Max) < need {
		return s + fmt.Sprintf(". So with %d moves no plan meets it: at most %d backbone departures, %s needed.", uo.Moves, b.Max, fmtNum(need))
	}
	return s + ". " + tradeOff(an, moves, o, ui, true, b.Max)
}

func unitWho(in *model.Instance, u model.Unit) string {
	if len(u.Schools) == 1 {
		return in.Scenario.Schools[u.Schools[0]].ID
	}
	return fmt.Sprintf("the %d schools of %s", len(u.Schools), u.Name)
}

func fmtNum(x float64) string { return fmt.Sprintf("%g", model.Round(x, 3)) }

// Change is a single change to a plan and what it does to Z.
type Change struct {
	Remove int              // index of the plan move removed, or -1
	Add    *model.Placement // move added, or nil
	Then   *model.Placement // a second move added that makes room for Add (a chain of two), or nil
	Delta  model.Terms      // terms after minus terms before
}

// Total is ΔZ.
func (c Change) Total() float64 { return c.Delta.Total() }

// apply returns the moves with the change made.
func (c Change) apply(moves []model.Placement) []model.Placement {
	out := make([]model.Placement, 0, len(moves)+1)
	for i, m := range moves {
		if i != c.Remove {
			out = append(out, m)
		}
	}
	if c.Add != nil {
		out = append(out, *c.Add)
	}
	if c.Then != nil {
		out = append(out, *c.Then)
	}
	return out
}

// delta evaluates a change incrementally from the plan's outcome: only the
// cells, schools and units the change touches are recomputed, so trying
// every candidate stays cheap on a large county. It also reports whether
// the change makes any hard rule worse (H1 for the added teacher, H2 and
// H3 at the touched cells, H4 at the origin); a valid plan stays valid
// exactly when it does not. Evaluate gives the same terms (tested).
func delta(in *model.Instance, moves []model.Placement, o *model.Outcome, moved []bool, c Change) (model.Terms, bool) {
	sc := in.Scenario
	w := sc.Objective
	sd := sc.Policy.Limits.SourceDeficit
	type cellD struct{ c, in, out int }
	var cells []cellD
	touch := func(c, din, dout int) {
		for i := range cells {
			if cells[i].c == c {
				cells[i].in += din
				cells[i].out += dout
				return
			}
		}
		cells = append(cells, cellD{c, din, dout})
	}
	type schoolD struct{ s, moved, bb int }
	var schools []schoolD
	touchS := func(s, dm, db int) {
		for i := range schools {
			if schools[i].s == s {
				schools[i].moved += dm
				schools[i].bb += db
				return
			}
		}
		schools = append(schools, schoolD{s, dm, db})
	}
	var d model.Terms
	apply := func(p model.Placement, sign int) {
		s := in.Home[p.Teacher]
		touch(in.Cell(s, in.Subject[p.Teacher]), 0, sign)
		touch(in.Cell(p.To, p.Subject), sign, 0)
		bb := 0
		if in.Backbone[p.Teacher] {
			bb = sign
		}
		touchS(s, sign, bb)
		d.Km += float64(sign) * w.Km * in.Km(s, p.To)
		d.Wish -= float64(sign) * w.Wish * in.WishScore(p.Teacher, p.To)
	}
	worse := false
	if c.Remove >= 0 {
		r := moves[c.Remove]
		if in.Pin[r.Teacher] >= 0 && (c.Add == nil || *c.Add != r) { // H1: the pin goes missing
			worse = true
		}
		apply(r, -1)
	}
	if c.Add != nil {
		t := c.Add.Teacher
		if (moved[t] && (c.Remove < 0 || moves[c.Remove].Teacher != t)) || !in.Allowed(t, c.Add.To, c.Add.Subject) {
			worse = true
		}
		apply(*c.Add, +1)
	}
	if c.Then != nil {
		t := c.Then.Teacher
		if moved[t] || (c.Add != nil && c.Add.Teacher == t) || !in.Allowed(t, c.Then.To, c.Then.Subject) {
			worse = true
		}
		apply(*c.Then, +1)
	}
	filled := func(c, after int) int { return min(after, in.Req[c]) - min(in.Staff[c], in.Req[c]) }
	for _, x := range cells {
		before := in.Staff[x.c] + o.In[x.c] - o.Out[x.c]
		after := before + x.in - x.out
		f0, f1 := filled(x.c, before), filled(x.c, after)
		d.Fill -= w.Fill * in.Weight(x.c) * float64(f1-f0)
		d.Deficit += w.Deficit * float64(max(0, -f1)-max(0, -f0))
		net0, net1 := o.In[x.c]-o.Out[x.c], o.In[x.c]+x.in-o.Out[x.c]-x.out
		if net1 > net0 && net1 > in.Short(x.c) { // H2 worse
			worse = true
		}
		if -net1 > -net0 && -net1 > in.Surplus(x.c)+sd { // H3 worse
			worse = true
		}
	}
	for _, x := range schools {
		if x.moved > 0 && in.OutflowCap[x.s] >= 0 && o.Moved[x.s]+x.moved > in.OutflowCap[x.s] {
			worse = true
		}
	}
	for ui, u := range in.Units {
		dm, db := 0, 0
		for _, x := range schools {
			if slices.Contains(u.Schools, x.s) {
				dm += x.moved
				db += x.bb
			}
		}
		if dm == 0 && db == 0 {
			continue
		}
		uo := o.Units[ui]
		m1, b1 := uo.Moves+dm, uo.Backbone+db
		d.Quota += w.Quota * float64(max(0, u.Target-m1)-uo.CountShort)
		d.Backbone += w.Backbone * (math.Max(0, u.BackboneShare*float64(m1)-float64(b1)) - uo.BackboneShort)
	}
	return d, worse
}

// tradeOff looks for the best single change that helps the unit and keeps
// H1-H4 (a move added for one of its teachers; for the backbone share also
// a non-backbone move of the unit swapped for a backbone teacher's) and
// says what it costs against the quota weight. Every candidate is tried.
func tradeOff(an *analysis, moves []model.Placement, o *model.Outcome, ui int, backbone bool, bound int) string {
	in := an.in
	sc := in.Scenario
	u := in.Units[ui]
	inUnit := map[int]bool{}
	for _, s := range u.Schools {
		inUnit[s] = true
	}
	moved := make([]bool, len(sc.Teachers))
	for _, m := range moves {
		moved[m.Teacher] = true
	}
	var swaps []int // plan moves of the unit's non-backbone, unpinned teachers
	for i, m := range moves {
		if inUnit[in.Home[m.Teacher]] && !in.Backbone[m.Teacher] && in.Pin[m.Teacher] < 0 {
			swaps = append(swaps, i)
		}
	}
	var best *Change
	tried := 0
	consider := func(c Change) {
		tried++
		dt, worse := delta(in, moves, o, moved, c)
		if worse {
			return
		}
		c.Delta = dt
		if best == nil || c.Total() < best.Total()-1e-9 {
			best = &c
		}
	}
	for t := range sc.Teachers {
		if !inUnit[in.Home[t]] || moved[t] || (backbone && !in.Backbone[t]) {
			continue
		}
		for _, cell := range an.cellsOf[t] {
			p := model.Placement{Teacher: t, To: cell / in.K, Subject: cell % in.K}
			consider(Change{Remove: -1, Add: &p})
			if backbone {
				for _, i := range swaps {
					consider(Change{Remove: i, Add: &p})
				}
			}
		}
	}
	if best == nil {
		// No single move fits: try chains of two, the unit's teacher's move
		// and a move that makes room for it, either a teacher leaving the
		// post it takes or a teacher arriving to replace it at home.
		pairs := 0
	chains:
		for t := range sc.Teachers {
			if !inUnit[in.Home[t]] || moved[t] || (backbone && !in.Backbone[t]) {
				continue
			}
			home := in.Cell(in.Home[t], in.Subject[t])
			for _, cell := range an.cellsOf[t] {
				p := model.Placement{Teacher: t, To: cell / in.K, Subject: cell % in.K}
				var helpers []model.Placement
				for _, t2 := range an.byHome[cell] {
					for _, c2 := range an.cellsOf[t2] {
						helpers = append(helpers, model.Placement{Teacher: t2, To: c2 / in.K, Subject: c2 % in.K})
					}
				}
				for _, t2 := range an.into[home] {
					helpers = append(helpers, model.Placement{Teacher: t2, To: home / in.K, Subject: home % in.K})
				}
				for _, h := range helpers {
					if h.Teacher == t || moved[h.Teacher] {
						continue
					}
					if pairs++; pairs > maxChains {
						break chains
					}
					consider(Change{Remove: -1, Add: &p, Then: &h})
				}
			}
		}
	}
	if best == nil {
		return fmt.Sprintf("Up to %d could leave, but none of the %d single changes and chains of two tried (a move added%s) keeps H1-H4 without breaking more: meeting it needs other moves changed.",
			bound, tried, map[bool]string{true: " or swapped for a backbone teacher's", false: ""}[backbone])
	}
	gain := best.Delta.Quota
	term, weight := "quota", sc.Objective.Quota
	others := best.Delta
	if backbone {
		gain = best.Delta.Backbone
		term, weight = "backbone", sc.Objective.Backbone
		others.Backbone = 0
	} else {
		others.Quota = 0
	}
	rest := best.Total() - gain
	keeps := "keeps H1-H4"
	for _, f := range model.Check(in, moves, nil) {
		if f.Hard() {
			keeps = "makes no hard rule worse"
			break
		}
	}
	kind := "single changes"
	if best.Then != nil {
		kind = "single changes and chains of two"
	}
	s := fmt.Sprintf("The best of %d %s, %s, %s and changes the %s term by %s (weight %g) and the other terms by %s (%s)",
		tried, kind, describeChange(in, moves, *best), keeps, term, signed(gain), weight, signed(rest), termsDelta(others))
	if best.Total() >= -1e-9 {
		return s + fmt.Sprintf(": ΔZ %s >= 0, so missing the target is a trade-off the objective prefers.", signed(best.Total()))
	}
	return s + fmt.Sprintf(": ΔZ %s < 0, so this plan is not optimal here.", signed(best.Total()))
}

func describeChange(in *model.Instance, moves []model.Placement, c Change) string {
	sc := in.Scenario
	var parts []string
	if c.Remove >= 0 {
		m := moves[c.Remove]
		parts = append(parts, fmt.Sprintf("dropping %s -> %s", sc.Teachers[m.Teacher].ID, sc.Schools[m.To].ID))
	}
	for _, a := range []*model.Placement{c.Add, c.Then} {
		if a != nil {
			parts = append(parts, fmt.Sprintf("adding %s %s -> %s (%s)", sc.Teachers[a.Teacher].ID, sc.Schools[in.Home[a.Teacher]].ID, sc.Schools[a.To].ID, in.Subjects[a.Subject]))
		}
	}
	return strings.Join(parts, " and ")
}

func signed(x float64) string {
	x = model.Round(x, 3)
	if x > 0 {
		return fmt.Sprintf("+%g", x)
	}
	if x == 0 {
		return "0"
	}
	return fmt.Sprintf("%g", x)
}

// termsDelta lists the nonzero terms of a difference.
func termsDelta(t model.Terms) string {
	var parts []string
	for _, kv := range []struct {
		name string
		v    float64
	}{{"quota", t.Quota}, {"backbone", t.Backbone}, {"fill", t.Fill}, {"deficit", t.Deficit}, {"km", t.Km}, {"wish", t.Wish}} {
		if math.Abs(kv.v) > 5e-4 {
			parts = append(parts, kv.name+" "+signed(kv.v))
		}
	}
	if len(parts) == 0 {
		return "no term changes"
	}
	return strings.Join(parts, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
