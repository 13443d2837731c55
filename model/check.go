package model

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// The rule checker is written apart from the solver on purpose: it recounts
// the flows of a plan from the moves themselves and tests each rule of spec
// §3-§5 literally, so that a solver bug cannot hide behind shared code.

// Severity of a finding.
type Severity string

const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// Rules a finding can report, in the order findings are sorted.
const (
	RuleH1       = "H1"       // one move per teacher, moves allowed, pins present
	RuleH2       = "H2"       // no arrival to a post that is not open
	RuleH3       = "H3"       // sending schools stay staffed
	RuleH4       = "H4"       // max_outflow_share
	RuleQuota    = "quota"    // a quota unit's count target
	RuleBackbone = "backbone" // a quota unit's backbone share
	RulePlan     = "plan"     // a warning: the plan file disagrees with the scenario about a move
)

var ruleRank = map[string]int{RulePlan: 0, RuleH1: 1, RuleH2: 2, RuleH3: 3, RuleH4: 4, RuleQuota: 5, RuleBackbone: 6}

// Finding is one broken rule or missed quota.
type Finding struct {
	Rule     string
	Severity Severity
	Message  string   // with the numbers, the teachers and the schools involved
	Teachers []string // teacher ids involved, sorted
	Schools  []string // school ids involved, sorted
	Moves    []Pos    // plan positions of the offending moves, in plan order; empty when no move is to blame
	At       Pos      // for findings without a move: the scenario entity (a pin, a quota rule)
}

// Hard reports whether the finding breaks a hard rule (H1-H4).
func (f Finding) Hard() bool { return strings.HasPrefix(f.Rule, "H") }

// CheckPlan resolves the plan's moves and checks them; unknown teachers,
// schools or subjects are an ErrorList at the moves' positions. A move
// whose from differs from the teacher's school in the scenario adds a
// warning (rule "plan") before the findings of Check.
func CheckPlan(in *Instance, p *Plan) ([]Finding, error) {
	moves, err := Placements(in, p)
	if err != nil {
		return nil, err
	}
	pos := make([]Pos, len(p.Moves))
	for i, m := range p.Moves {
		pos[i] = m.Pos
	}
	var stale []Finding
	for i, m := range p.Moves {
		t := moves[i].Teacher
		if home := in.Scenario.Teachers[t].School; m.From != "" && m.From != home {
			stale = append(stale, Finding{Rule: RulePlan, Severity: SeverityWarning, Teachers: []string{m.Teacher},
				Schools: []string{home, m.From}, Moves: []Pos{m.Pos},
				Message: fmt.Sprintf("the plan moves %s from %s, the scenario has %s at %s: was the plan made for another roster?", m.Teacher, m.From, m.Teacher, home)})
		}
	}
	return append(stale, Check(in, moves, pos)...), nil
}

// Check verifies moves against the hard rules H1-H4 and the quotas of the
// scenario (spec §3-§5) and returns every finding, sorted by rule, then by
// the first plan position, then by message. pos, when not nil, holds the
// plan position of each move. Moves must name valid indices. A teacher
// moved twice is reported under H1 and every one of its moves still counts
// in H2-H4 and the quotas, as Evaluate counts them.
func Check(in *Instance, moves []Placement, pos []Pos) []Finding {
	sc := in.Scenario
	S, K := len(sc.Schools), in.K
	at := func(i int) Pos {
		if i < len(pos) {
			return pos[i]
		}
		return Pos{}
	}
	tid := func(t int) string { return sc.Teachers[t].ID }
	sid := func(s int) string { return sc.Schools[s].ID }
	var out []Finding
	add := func(f Finding) {
		f.Severity = SeverityError
		slices.Sort(f.Teachers)
		f.Teachers = slices.Compact(f.Teachers)
		slices.Sort(f.Schools)
		f.Schools = slices.Compact(f.Schools)
		out = append(out, f)
	}

	// H1: at most one move per teacher.
	byTeacher := map[int][]int{} // teacher -> move indices
	var order []int
	for i, m := range moves {
		if len(byTeacher[m.Teacher]) == 0 {
			order = append(order, m.Teacher)
		}
		byTeacher[m.Teacher] = append(byTeacher[m.Teacher], i)
	}
	for _, t := range order {
		idx := byTeacher[t]
		if len(idx) < 2 {
			continue
		}
		f := Finding{Rule: RuleH1, Teachers: []string{tid(t)}, Schools: []string{sid(in.Home[t])}}
		var dests []string
		for _, i := range idx {
			f.Moves = append(f.Moves, at(i))
			dests = append(dests, fmt.Sprintf("%s (%s)", sid(moves[i].To), in.Subjects[moves[i].Subject]))
			f.Schools = append(f.Schools, sid(moves[i].To))
		}
		f.Message = fmt.Sprintf("%s is moved %d times: to %s; a teacher moves at most once", tid(t), len(idx), strings.Join(dests, ", "))
		add(f)
	}

	// H1: every move allowed. Pinned teachers are judged by the pin check below.
	for i, m := range moves {
		t := m.Teacher
		if in.Pin[t] >= 0 {
			continue
		}
		if why := in.NotAllowedReason(t, m.To, m.Subject); why != "" {
			add(Finding{Rule: RuleH1, Teachers: []string{tid(t)}, Schools: []string{sid(in.Home[t]), sid(m.To)}, Moves: []Pos{at(i)},
				Message: fmt.Sprintf("move %s %s -> %s (%s) is not allowed: %s", tid(t), sid(in.Home[t]), sid(m.To), in.Subjects[m.Subject], why)})
		}
	}

	// H1: every pin present, with its destination and subject.
	for _, p := range sc.Pins {
		t, ok := in.TeacherIndex[p.Teacher]
		if !ok {
			continue
		}
		d, k := in.PinTo[t], in.PinSubj[t]
		want := fmt.Sprintf("%s -> %s (%s)", tid(t), sid(d), in.Subjects[k])
		idx := byTeacher[t]
		found := false
		f := Finding{Rule: RuleH1, Teachers: []string{tid(t)}, Schools: []string{sid(d)}, At: p.Pos}
		var got []string
		for _, i := range idx {
			if moves[i].To == d && moves[i].Subject == k {
				found = true
				continue
			}
			f.Moves = append(f.Moves, at(i))
			f.Schools = append(f.Schools, sid(moves[i].To))
			got = append(got, fmt.Sprintf("%s (%s)", sid(moves[i].To), in.Subjects[moves[i].Subject]))
		}
		switch {
		case len(idx) == 0:
			f.Message = fmt.Sprintf("pin %s is missing from the plan", want)
			add(f)
		case !found:
			f.Message = fmt.Sprintf("pin %s is not kept: the plan moves %s to %s", want, tid(t), strings.Join(got, ", "))
			add(f)
		case len(got) > 0:
			f.Message = fmt.Sprintf("pinned teacher %s has other moves besides pin %s: to %s", tid(t), want, strings.Join(got, ", "))
			add(f)
		}
	}

	// Flows, recounted here from the moves.
	in_ := make([]int, S*K)
	out_ := make([]int, S*K)
	arrive := make([][]int, S*K) // cell -> move indices arriving
	leave := make([][]int, S*K)  // cell -> move indices leaving
	leaveSchool := make([][]int, S)
	for i, m := range moves {
		from := in.Cell(in.Home[m.Teacher], in.Subject[m.Teacher])
		to := in.Cell(m.To, m.Subject)
		out_[from]++
		in_[to]++
		leave[from] = append(leave[from], i)
		arrive[to] = append(arrive[to], i)
		leaveSchool[in.Home[m.Teacher]] = append(leaveSchool[in.Home[m.Teacher]], i)
	}
	names := func(idx []int) []string {
		var ns []string
		for _, i := range idx {
			ns = append(ns, tid(moves[i].Teacher))
		}
		return ns
	}
	poss := func(idx []int) []Pos {
		var ps []Pos
		for _, i := range idx {
			ps = append(ps, at(i))
		}
		return ps
	}
	list := func(idx []int) string {
		if len(idx) == 0 {
			return ""
		}
		ns := names(idx)
		slices.Sort(ns)
		return " (" + strings.Join(ns, ", ") + ")"
	}
	sd := sc.Policy.Limits.SourceDeficit
	for s := range S {
		for k := range K {
			c := in.Cell(s, k)
			where := sid(s) + " " + in.Subjects[k]
			if net := in_[c] - out_[c]; net > in.Short(c) {
				f := Finding{Rule: RuleH2, Teachers: append(names(arrive[c]), names(leave[c])...), Schools: []string{sid(s)}, Moves: poss(arrive[c])}
				for _, i := range arrive[c] {
					f.Schools = append(f.Schools, sid(in.Home[moves[i].Teacher]))
				}
				f.Message = fmt.Sprintf("%s: %s%s, %s%s, %s (staff %d, posts %d); %d too many arrive",
					where, count(in_[c], "arrives", "arrive"), list(arrive[c]), count(out_[c], "leaves", "leave"), list(leave[c]),
					plural(in.Short(c), "post open", "posts open"), in.Staff[c], in.Req[c], net-in.Short(c))
				add(f)
			}
			if net := out_[c] - in_[c]; net > in.Surplus(c)+sd {
				f := Finding{Rule: RuleH3, Teachers: append(names(leave[c]), names(arrive[c])...), Schools: []string{sid(s)}, Moves: poss(leave[c])}
				f.Message = fmt.Sprintf("%s: %s%s, %s%s, surplus %d + source_deficit %d (staff %d, posts %d); would end %d short",
					where, count(out_[c], "leaves", "leave"), list(leave[c]), count(in_[c], "arrives", "arrive"), list(arrive[c]),
					in.Surplus(c), sd, in.Staff[c], in.Req[c], in.Req[c]-(in.Staff[c]-net))
				add(f)
			}
		}
		if limit := in.OutflowCap[s]; limit >= 0 && len(leaveSchool[s]) > limit {
			f := Finding{Rule: RuleH4, Teachers: names(leaveSchool[s]), Schools: []string{sid(s)}, Moves: poss(leaveSchool[s])}
			f.Message = fmt.Sprintf("%s: %d teachers leave%s, at most %d may (floor(max_outflow_share %g x %d teachers))",
				sid(s), len(leaveSchool[s]), list(leaveSchool[s]), limit, *sc.Policy.Limits.MaxOutflowShare, in.Size[s])
			add(f)
		}
	}

	// Quotas (spec §5), per unit.
	for _, u := range in.Units {
		q := sc.Policy.Quotas[u.Rule]
		var m, b int
		var ids []string
		for _, s := range u.Schools {
			ids = append(ids, sid(s))
			for _, i := range leaveSchool[s] {
				m++
				if in.Backbone[moves[i].Teacher] {
					b++
				}
			}
		}
		target := int(math.Ceil(q.MinShare*float64(u.Eligible) - 1e-9))
		if m < target {
			add(Finding{Rule: RuleQuota, Schools: ids, At: q.Pos,
				Message: fmt.Sprintf("%s: %s, target %d = ceil(min_share %g x %d eligible); %d short",
					u.Name, count(m, "move", "moves"), target, q.MinShare, u.Eligible, target-m)})
		}
		if need := q.MinBackboneShare * float64(m); float64(b) < need-1e-9 {
			add(Finding{Rule: RuleBackbone, Schools: ids, At: q.Pos,
				Message: fmt.Sprintf("%s: %d backbone of %s, need min_backbone_share %g x %d = %s; %s short",
					u.Name, b, count(m, "move", "moves"), q.MinBackboneShare, m, fmtShort(need), fmtShort(need-float64(b)))})
		}
	}

	slices.SortStableFunc(out, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(ruleRank[a.Rule], ruleRank[b.Rule]), comparePos(firstPos(a), firstPos(b)), cmp.Compare(a.Message, b.Message))
	})
	return out
}

func firstPos(f Finding) Pos {
	if len(f.Moves) > 0 {
		return f.Moves[0]
	}
	return f.At
}

func comparePos(a, b Pos) int {
	return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func plural(n int, one, many string) string { return count(n, one, many) }

// fmtShort formats a fractional teacher count with at most 3 decimals.
func fmtShort(x float64) string { return strconv.FormatFloat(Round(x, 3), 'f', -1, 64) }
