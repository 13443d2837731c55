package model

import (
	"fmt"
	"math"
	"sort"
)

// Instance is the compiled, integer-indexed form of a valid scenario: the
// derived quantities of spec §2 and the allowed moves of §3. Schools and
// teachers keep the scenario's order; subjects are sorted by id. A cell is
// a (school, subject) pair, numbered s*K + k.
type Instance struct {
	Scenario *Scenario

	K               int            // number of subjects
	Subjects        []string       // subject ids, sorted
	SubjectPriority []float64      // per subject: catalogue priority, or 1
	SubjectIndex    map[string]int // id -> subject
	SchoolIndex     map[string]int // id -> school
	TeacherIndex    map[string]int // id -> teacher

	Staff []int // per cell: teachers whose school and subject it is
	Req   []int // per cell: required posts

	Size       []int // per school: all its teachers, N[s]
	Eligibles  []int // per school: eligible teachers, E[s]
	OutflowCap []int // per school: floor(max_outflow_share x N[s]), or -1 without a limit

	Home     []int   // per teacher: school
	Subject  []int   // per teacher: subject held now
	Teaches  [][]int // per teacher: subjects it may be placed in, its own first
	Eligible []bool  // per teacher
	Backbone []bool  // per teacher
	Movable  []bool  // per teacher: (eligible or volunteer) and not forbidden outright
	Pin      []int   // per teacher: index into Scenario.Pins, or -1
	PinTo    []int   // per teacher with a pin: destination school
	PinSubj  []int   // per teacher with a pin: subject
	forbidTo [][]int // per teacher: schools it may not go to, sorted

	Units []Unit

	km    []float64 // S x S distances
	route []bool    // S x S: some route allows s -> d
}

// Unit is a quota unit (spec §5): one school of an each-rule, or all the
// selected schools of a rule together.
type Unit struct {
	Rule          int    // index into Scenario.Policy.Quotas
	Name          string // rule name, with the school id for per-school units
	Schools       []int
	Eligible      int     // E_U
	Target        int     // q_U = ceil(min_share x E_U)
	BackboneShare float64 // min_backbone_share
}

// Shortfalls are the unit's count and backbone shortfalls (spec §5) when
// moved of its teachers move, backbone of them backbone teachers.
func (u Unit) Shortfalls(moved, backbone int) (count int, bb float64) {
	return max(0, u.Target-moved), math.Max(0, u.BackboneShare*float64(moved)-float64(backbone))
}

// Compile derives an Instance from a decoded, valid scenario.
func Compile(sc *Scenario) (*Instance, error) {
	in := &Instance{Scenario: sc, SchoolIndex: map[string]int{}, TeacherIndex: map[string]int{}, SubjectIndex: map[string]int{}}
	S, T := len(sc.Schools), len(sc.Teachers)
	for i, s := range sc.Schools {
		in.SchoolIndex[s.ID] = i
	}
	// Subjects: the catalogue and every subject the scenario uses.
	prio := map[string]float64{}
	for _, s := range sc.Subjects {
		prio[s.ID] = s.Priority
	}
	for _, s := range sc.Schools {
		for k := range s.Demand {
			prio[k] = prioOr1(prio, k)
		}
	}
	for _, t := range sc.Teachers {
		prio[t.Subject] = prioOr1(prio, t.Subject)
		for _, a := range t.Also {
			prio[a] = prioOr1(prio, a)
		}
	}
	for _, p := range sc.Pins {
		if p.Subject != "" {
			prio[p.Subject] = prioOr1(prio, p.Subject)
		}
	}
	for k := range prio {
		in.Subjects = append(in.Subjects, k)
	}
	sort.Strings(in.Subjects)
	in.K = len(in.Subjects)
	for i, k := range in.Subjects {
		in.SubjectIndex[k] = i
		in.SubjectPriority = append(in.SubjectPriority, prio[k])
	}
	K := in.K

	in.Staff = make([]int, S*K)
	in.Req = make([]int, S*K)
	in.Size = make([]int, S)
	in.Eligibles = make([]int, S)
	in.Home = make([]int, T)
	in.Subject = make([]int, T)
	in.Teaches = make([][]int, T)
	in.Eligible = make([]bool, T)
	in.Backbone = make([]bool, T)
	in.Movable = make([]bool, T)
	in.Pin = make([]int, T)
	in.PinTo = make([]int, T)
	in.PinSubj = make([]int, T)
	in.forbidTo = make([][]int, T)

	levels := sc.Policy.BackboneLevels
	for i, t := range sc.Teachers {
		in.TeacherIndex[t.ID] = i
		s, ok := in.SchoolIndex[t.School]
		if !ok {
			return nil, fmt.Errorf("teacher %s: school %q does not exist", t.ID, t.School)
		}
		k := in.SubjectIndex[t.Subject]
		in.Home[i], in.Subject[i] = s, k
		in.Teaches[i] = []int{k}
		for _, a := range t.Also {
			ak := in.SubjectIndex[a]
			dup := false
			for _, x := range in.Teaches[i] {
				dup = dup || x == ak
			}
			if !dup {
				in.Teaches[i] = append(in.Teaches[i], ak)
			}
		}
		in.Staff[s*K+k]++
		in.Size[s]++
		in.Eligible[i] = in.IneligibleReason(i) == ""
		if in.Eligible[i] {
			in.Eligibles[s]++
		}
		in.Backbone[i] = t.Backbone != "" && contains(levels, t.Backbone)
		in.Movable[i] = in.Eligible[i] || t.Volunteer
		in.Pin[i], in.PinTo[i], in.PinSubj[i] = -1, -1, -1
	}
	for s, sch := range sc.Schools {
		for k := 0; k < K; k++ {
			c := s*K + k
			if v, ok := sch.Demand[in.Subjects[k]]; ok {
				in.Req[c] = v
			} else {
				in.Req[c] = in.Staff[c]
			}
		}
	}
	for _, f := range sc.Forbids {
		t, ok := in.TeacherIndex[f.Teacher]
		if !ok {
			continue
		}
		if f.To == "" {
			in.Movable[t] = false
			continue
		}
		in.forbidTo[t] = append(in.forbidTo[t], in.SchoolIndex[f.To])
	}
	for t := range in.forbidTo {
		sort.Ints(in.forbidTo[t])
	}
	for i, p := range sc.Pins {
		t, ok := in.TeacherIndex[p.Teacher]
		if !ok {
			continue
		}
		in.Pin[t] = i
		in.PinTo[t] = in.SchoolIndex[p.To]
		in.PinSubj[t] = in.Subject[t]
		if p.Subject != "" {
			in.PinSubj[t] = in.SubjectIndex[p.Subject]
		}
	}

	in.OutflowCap = make([]int, S)
	for s := range in.OutflowCap {
		in.OutflowCap[s] = -1
		if share := sc.Policy.Limits.MaxOutflowShare; share != nil {
			in.OutflowCap[s] = int(math.Floor(*share*float64(in.Size[s]) + 1e-9))
		}
	}

	in.km = make([]float64, S*S)
	for s := range S {
		for d := s + 1; d < S; d++ {
			v := Haversine(sc.Schools[s].Location, sc.Schools[d].Location)
			in.km[s*S+d], in.km[d*S+s] = v, v
		}
	}
	in.route = make([]bool, S*S)
	if len(sc.Policy.Routes) == 0 {
		for i := range in.route {
			in.route[i] = true
		}
	}
	for _, r := range sc.Policy.Routes {
		var from, to []int
		for s := range sc.Schools {
			if r.From.Matches(&sc.Schools[s]) {
				from = append(from, s)
			}
			if r.To.Matches(&sc.Schools[s]) {
				to = append(to, s)
			}
		}
		for _, s := range from {
			for _, d := range to {
				if r.SameGroup && (sc.Schools[s].Group == "" || sc.Schools[s].Group != sc.Schools[d].Group) {
					continue
				}
				in.route[s*S+d] = true
			}
		}
	}

	for ri, q := range sc.Policy.Quotas {
		var sel []int
		for s := range sc.Schools {
			if q.From.Matches(&sc.Schools[s]) {
				sel = append(sel, s)
			}
		}
		name := q.Name
		if name == "" {
			name = fmt.Sprintf("quota %d", ri+1)
		}
		if q.Each {
			for _, s := range sel {
				in.Units = append(in.Units, in.unit(ri, name+" / "+sc.Schools[s].ID, []int{s}, q))
			}
		} else {
			in.Units = append(in.Units, in.unit(ri, name, sel, q))
		}
	}
	return in, nil
}

func prioOr1(m map[string]float64, k string) float64 {
	if v, ok := m[k]; ok {
		return v
	}
	return 1
}

func (in *Instance) unit(rule int, name string, schools []int, q Quota) Unit {
	u := Unit{Rule: rule, Name: name, Schools: schools, BackboneShare: q.MinBackboneShare}
	for _, s := range schools {
		u.Eligible += in.Eligibles[s]
	}
	u.Target = int(math.Ceil(q.MinShare*float64(u.Eligible) - 1e-9))
	if u.Target < 0 {
		u.Target = 0
	}
	return u
}

// Haversine is the great-circle distance in km on a sphere of radius 6371.0;
// 0 when either location is missing.
func Haversine(a, b *Location) float64 {
	if a == nil || b == nil {
		return 0
	}
	const r = 6371.0
	rad := math.Pi / 180
	dLat := (b.Lat - a.Lat) * rad
	dLon := (b.Lon - a.Lon) * rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(h)))
}

// Cell numbers the (school, subject) pair.
func (in *Instance) Cell(s, k int) int { return s*in.K + k }

// Short is max(0, req - staff) of a cell.
func (in *Instance) Short(c int) int { return max(0, in.Req[c]-in.Staff[c]) }

// Surplus is max(0, staff - req) of a cell.
func (in *Instance) Surplus(c int) int { return max(0, in.Staff[c]-in.Req[c]) }

// Weight is the fill weight multiplier of a cell: school priority x subject priority.
func (in *Instance) Weight(c int) float64 {
	return in.Scenario.Schools[c/in.K].Priority * in.SubjectPriority[c%in.K]
}

// Km is the distance between two schools.
func (in *Instance) Km(s, d int) float64 { return in.km[s*len(in.Scenario.Schools)+d] }

// RouteAllows reports whether some route allows moves from s to d.
func (in *Instance) RouteAllows(s, d int) bool { return in.route[s*len(in.Scenario.Schools)+d] }

// Forbidden reports whether teacher t is forbidden to go to school d.
func (in *Instance) Forbidden(t, d int) bool {
	i := sort.SearchInts(in.forbidTo[t], d)
	return i < len(in.forbidTo[t]) && in.forbidTo[t][i] == d
}

// CanTeach reports whether teacher t may hold a post in subject k.
func (in *Instance) CanTeach(t, k int) bool {
	for _, x := range in.Teaches[t] {
		if x == k {
			return true
		}
	}
	return false
}

// Refusal names the rule of spec §3 that refuses a move; "" means allowed.
// The values are short labels, fit for grouping refused moves in reports.
type Refusal string

// The refusals, in the order Refuse tests them.
const (
	RefusedPinnedElsewhere Refusal = "pinned elsewhere"
	RefusedHomeSchool      Refusal = "home school"
	RefusedCannotTeach     Refusal = "cannot teach"
	RefusedNotEligible     Refusal = "not eligible"
	RefusedForbiddenToMove Refusal = "forbidden to move"
	RefusedNoRoute         Refusal = "no route"
	RefusedBeyondMaxKm     Refusal = "beyond max_km"
	RefusedForbidden       Refusal = "forbidden"
)

// Allowed reports whether the move of teacher t to school d in subject k is
// allowed (spec §3). A pinned teacher's only allowed move is its pin.
func (in *Instance) Allowed(t, d, k int) bool {
	return in.Refuse(t, d, k) == ""
}

// Refuse says which rule refuses the move, or "" when it is allowed. It
// formats nothing, so it is cheap enough for enumerating every move.
func (in *Instance) Refuse(t, d, k int) Refusal {
	sc := in.Scenario
	if in.Pin[t] >= 0 {
		if in.PinTo[t] == d && in.PinSubj[t] == k {
			return ""
		}
		return RefusedPinnedElsewhere
	}
	s := in.Home[t]
	switch {
	case d == s:
		return RefusedHomeSchool
	case !in.CanTeach(t, k):
		return RefusedCannotTeach
	case !in.Movable[t]:
		if !in.Eligible[t] && !sc.Teachers[t].Volunteer {
			return RefusedNotEligible
		}
		return RefusedForbiddenToMove
	case !in.RouteAllows(s, d):
		return RefusedNoRoute
	case sc.Policy.Limits.MaxKm != nil && in.Km(s, d) > *sc.Policy.Limits.MaxKm:
		return RefusedBeyondMaxKm
	case in.Forbidden(t, d):
		return RefusedForbidden
	}
	return ""
}

// NotAllowedReason says why a move is not allowed, with the numbers, or ""
// when it is.
func (in *Instance) NotAllowedReason(t, d, k int) string {
	sc := in.Scenario
	tc := &sc.Teachers[t]
	s := in.Home[t]
	switch in.Refuse(t, d, k) {
	case RefusedPinnedElsewhere:
		return fmt.Sprintf("%s is pinned to %s in %s", tc.ID, sc.Schools[in.PinTo[t]].ID, in.Subjects[in.PinSubj[t]])
	case RefusedHomeSchool:
		return fmt.Sprintf("%s is already at %s", tc.ID, sc.Schools[d].ID)
	case RefusedCannotTeach:
		return fmt.Sprintf("%s cannot teach %s", tc.ID, in.Subjects[k])
	case RefusedNotEligible:
		return fmt.Sprintf("%s is not eligible: %s", tc.ID, in.IneligibleReason(t))
	case RefusedForbiddenToMove:
		return fmt.Sprintf("%s is forbidden to move", tc.ID)
	case RefusedNoRoute:
		return fmt.Sprintf("no route allows %s -> %s", sc.Schools[s].ID, sc.Schools[d].ID)
	case RefusedBeyondMaxKm:
		return fmt.Sprintf("%s -> %s is %.1f km > max_km %g", sc.Schools[s].ID, sc.Schools[d].ID, in.Km(s, d), *sc.Policy.Limits.MaxKm)
	case RefusedForbidden:
		return fmt.Sprintf("%s is forbidden to go to %s", tc.ID, sc.Schools[d].ID)
	}
	return ""
}

// IneligibleReason says why teacher t is not eligible (spec §2), or "".
func (in *Instance) IneligibleReason(t int) string {
	sc := in.Scenario
	tc := &sc.Teachers[t]
	e := sc.Policy.Eligibility
	if tc.Exempt != "" {
		return "exempt: " + tc.Exempt
	}
	if tc.Years < e.MinYears {
		return fmt.Sprintf("%d years at %s < %d", tc.Years, tc.School, e.MinYears)
	}
	limit := e.AgeLimitMale
	if tc.Gender == "female" {
		limit = e.AgeLimitFemale
	}
	if tc.Gender != "" && limit != nil && tc.Age != nil && *tc.Age >= *limit {
		return fmt.Sprintf("age %d >= %s age limit %d", *tc.Age, tc.Gender, *limit)
	}
	if e.CooldownYears != nil && tc.LastRotated != nil && sc.Year-*tc.LastRotated < *e.CooldownYears {
		return fmt.Sprintf("rotated in %d, %d years before %d < cooldown %d", *tc.LastRotated, sc.Year-*tc.LastRotated, sc.Year, *e.CooldownYears)
	}
	return ""
}

// WishScore is w(t, d) of spec §6: (n - r + 1) / n when d is the r-th of the
// teacher's n wishes, else 0.
func (in *Instance) WishScore(t, d int) float64 {
	w := in.Scenario.Teachers[t].Wishes
	id := in.Scenario.Schools[d].ID
	for r, x := range w {
		if x == id {
			n := float64(len(w))
			return (n - float64(r)) / n
		}
	}
	return 0
}
