package model

import (
	"fmt"
	"sort"
	"strings"
)

// Placement is a move in index form: teacher t goes to school To in subject Subject.
type Placement struct {
	Teacher, To, Subject int
}

// Terms are the six terms of the objective Z (spec §6), each already
// multiplied by its weight; fill and wish are <= 0 when posts are filled
// and wishes granted.
type Terms struct {
	Quota    float64 `yaml:"quota" json:"quota"`
	Backbone float64 `yaml:"backbone" json:"backbone"`
	Fill     float64 `yaml:"fill" json:"fill"`
	Deficit  float64 `yaml:"deficit" json:"deficit"`
	Km       float64 `yaml:"km" json:"km"`
	Wish     float64 `yaml:"wish" json:"wish"`
}

// Total is Z, the sum of the terms.
func (t Terms) Total() float64 { return t.Quota + t.Backbone + t.Fill + t.Deficit + t.Km + t.Wish }

// UnitOutcome is a quota unit after a plan.
type UnitOutcome struct {
	Moves         int     // M_U
	Backbone      int     // B_U
	CountShort    int     // u_U
	BackboneShort float64 // v_U
}

// Met reports whether both shortfalls are 0.
func (u UnitOutcome) Met() bool { return u.CountShort == 0 && u.BackboneShort <= 1e-9 }

// Outcome is what a set of moves does to the scenario: the flows of spec §3,
// the quota results of §5 and the objective of §6. It does not check the
// hard rules; that is the rule checker's job.
type Outcome struct {
	In, Out       []int // per cell
	Moved         []int // per school
	BackboneMoved []int // per school
	Units         []UnitOutcome
	Filled        int     // required posts newly filled, summed over cells with filled > 0
	Emptied       int     // required posts left empty, summed
	Km            float64 // total km of the moves
	Terms         Terms
}

// Evaluate computes the outcome of the moves. Moves must name valid
// indices; each is counted as given (duplicates count twice).
func Evaluate(in *Instance, moves []Placement) *Outcome {
	S, K := len(in.Scenario.Schools), in.K
	o := &Outcome{In: make([]int, S*K), Out: make([]int, S*K), Moved: make([]int, S), BackboneMoved: make([]int, S)}
	w := in.Scenario.Objective
	var km, wish float64
	for _, m := range moves {
		s := in.Home[m.Teacher]
		o.Out[s*K+in.Subject[m.Teacher]]++
		o.In[m.To*K+m.Subject]++
		o.Moved[s]++
		if in.Backbone[m.Teacher] {
			o.BackboneMoved[s]++
		}
		km += in.Km(s, m.To)
		wish += in.WishScore(m.Teacher, m.To)
	}
	var fill float64
	for c := range o.In {
		after := in.Staff[c] + o.In[c] - o.Out[c]
		filled := min(after, in.Req[c]) - min(in.Staff[c], in.Req[c])
		fill += in.Weight(c) * float64(filled)
		if filled > 0 {
			o.Filled += filled
		} else {
			o.Emptied -= filled
		}
	}
	var countShort int
	var bbShort float64
	o.Units = make([]UnitOutcome, len(in.Units))
	for i, u := range in.Units {
		uo := &o.Units[i]
		for _, s := range u.Schools {
			uo.Moves += o.Moved[s]
			uo.Backbone += o.BackboneMoved[s]
		}
		uo.CountShort, uo.BackboneShort = u.Shortfalls(uo.Moves, uo.Backbone)
		countShort += uo.CountShort
		bbShort += uo.BackboneShort
	}
	o.Km = km
	o.Terms = Terms{
		Quota:    w.Quota * float64(countShort),
		Backbone: w.Backbone * bbShort,
		Fill:     -w.Fill * fill,
		Deficit:  w.Deficit * float64(o.Emptied),
		Km:       w.Km * km,
		Wish:     -w.Wish * wish,
	}
	return o
}

// PinConflict is a hard rule that the pins alone break (spec §3): then no plan exists.
type PinConflict struct {
	Rule     string   // H2, H3 or H4
	School   string   // school id
	Subject  string   // subject id; empty for H4
	Teachers []string // the pinned teachers involved, sorted
	Detail   string   // the numbers, e.g. "3 arrive, 0 leave, 1 post open"
}

func (p PinConflict) String() string {
	where := p.School
	if p.Subject != "" {
		where += " " + p.Subject
	}
	return fmt.Sprintf("%s: %s: %s; pinned: %s", p.Rule, where, p.Detail, strings.Join(p.Teachers, ", "))
}

// PinConflicts evaluates the plan made of the pins alone against H2-H4.
func PinConflicts(in *Instance) []PinConflict {
	sc := in.Scenario
	var moves []Placement
	involved := map[int][]string{}  // cell -> teachers arriving or leaving
	schoolOut := map[int][]string{} // school -> teachers leaving
	for t := range sc.Teachers {
		if in.Pin[t] < 0 {
			continue
		}
		moves = append(moves, Placement{Teacher: t, To: in.PinTo[t], Subject: in.PinSubj[t]})
		id := sc.Teachers[t].ID
		from := in.Cell(in.Home[t], in.Subject[t])
		to := in.Cell(in.PinTo[t], in.PinSubj[t])
		involved[from] = append(involved[from], id)
		involved[to] = append(involved[to], id)
		schoolOut[in.Home[t]] = append(schoolOut[in.Home[t]], id)
	}
	if len(moves) == 0 {
		return nil
	}
	o := Evaluate(in, moves)
	var out []PinConflict
	sd := sc.Policy.Limits.SourceDeficit
	for c := range o.In {
		net := o.In[c] - o.Out[c]
		s, k := c/in.K, c%in.K
		names := append([]string(nil), involved[c]...)
		sort.Strings(names)
		if net > in.Short(c) {
			out = append(out, PinConflict{Rule: "H2", School: sc.Schools[s].ID, Subject: in.Subjects[k], Teachers: names,
				Detail: fmt.Sprintf("%d arrive, %d leave, %d posts open", o.In[c], o.Out[c], in.Short(c))})
		}
		if -net > in.Surplus(c)+sd {
			out = append(out, PinConflict{Rule: "H3", School: sc.Schools[s].ID, Subject: in.Subjects[k], Teachers: names,
				Detail: fmt.Sprintf("%d leave, %d arrive, surplus %d + source_deficit %d", o.Out[c], o.In[c], in.Surplus(c), sd)})
		}
	}
	for s := range sc.Schools {
		if in.OutflowCap[s] >= 0 && o.Moved[s] > in.OutflowCap[s] {
			names := append([]string(nil), schoolOut[s]...)
			sort.Strings(names)
			out = append(out, PinConflict{Rule: "H4", School: sc.Schools[s].ID, Teachers: names,
				Detail: fmt.Sprintf("%d leave, at most %d may (max_outflow_share of %d teachers)", o.Moved[s], in.OutflowCap[s], in.Size[s])})
		}
	}
	return out
}
