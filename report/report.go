package report

import (
	"cmp"
	"slices"

	"rotaplan/model"
)

// Report is everything the report shows about one plan, in plain data: the
// writers only format it. Slices keep scenario order (schools, units) or
// teacher-id order (moves).
type Report struct {
	Scenario   string            `json:"scenario"` // scenario name
	File       string            `json:"file"`     // scenario file as given
	Year       int               `json:"year"`
	Plan       string            `json:"plan,omitempty"` // plan file as given
	Summary    Summary           `json:"summary"`
	Objective  model.Terms       `json:"objective"` // the six terms of Z, rounded to 0.001
	Z          float64           `json:"z"`
	Violations []string          `json:"violations"` // hard-rule findings of model.Check (H1-H4)
	Units      []UnitRow         `json:"quotas"`
	Schools    []SchoolRow       `json:"schools"`
	Indicators []IndicatorCV     `json:"indicators"`
	PerSchool  []SchoolIndicator `json:"school_indicators"`
	Moves      []MoveRow         `json:"moves"`
}

// Summary counts the plan at a glance.
type Summary struct {
	Schools       int     `json:"schools"`
	Teachers      int     `json:"teachers"`
	Eligible      int     `json:"eligible"`
	Moves         int     `json:"moves"`
	BackboneMoves int     `json:"backbone_moves"`
	Filled        int     `json:"filled"`  // required posts newly filled
	Emptied       int     `json:"emptied"` // required posts left empty
	Km            float64 `json:"km"`
	UnitsMet      int     `json:"units_met"`
	Units         int     `json:"units"`
}

// SchoolRow is one school before and after the plan.
type SchoolRow struct {
	ID             string       `json:"id"`
	Name           string       `json:"name"`
	Category       string       `json:"category"`
	Stage          string       `json:"stage,omitempty"`
	Students       *int         `json:"students,omitempty"`
	Lat            *float64     `json:"lat,omitempty"`
	Lon            *float64     `json:"lon,omitempty"`
	TeachersBefore int          `json:"teachers_before"`
	TeachersAfter  int          `json:"teachers_after"`
	Subjects       []SubjectRow `json:"subjects"` // subjects with posts or staff, sorted by id
	Filled         int          `json:"shortages_filled"`
	Emptied        int          `json:"posts_emptied"`
	Out            int          `json:"moved_out"`
	In             int          `json:"moved_in"`
	BackboneOut    int          `json:"backbone_out"`
	BackboneIn     int          `json:"backbone_in"`
	LeaverKm       float64      `json:"leaver_km"` // km travelled by its leavers, rounded to 0.1
}

// SubjectRow is one school subject: required posts and the posts held.
type SubjectRow struct {
	Subject      string `json:"subject"`
	Req          int    `json:"required"`
	StaffBefore  int    `json:"staff_before"`
	StaffAfter   int    `json:"staff_after"`
	FilledBefore int    `json:"filled_before"` // min(staff, req)
	FilledAfter  int    `json:"filled_after"`
}

// UnitRow is a quota unit after the plan. Reason and BackboneReason explain
// a shortfall with numbers; they are empty when that part is met.
type UnitRow struct {
	Name           string   `json:"name"`
	Schools        []string `json:"schools"`
	Eligible       int      `json:"eligible"`
	Target         int      `json:"target"`
	Moves          int      `json:"moves"`
	CountShort     int      `json:"count_short"`
	BackboneShare  float64  `json:"backbone_share"`
	BackboneNeeded float64  `json:"backbone_needed"` // share x moves
	BackboneMoves  int      `json:"backbone_moves"`
	BackboneShort  float64  `json:"backbone_short"`
	Met            bool     `json:"met"`
	MaxDepartures  int      `json:"max_departures"` // bound under H2-H4 (see Bound)
	Reason         string   `json:"reason,omitempty"`
	BackboneReason string   `json:"backbone_reason,omitempty"`
}

// MoveRow is one move of the plan.
type MoveRow struct {
	Teacher  string  `json:"teacher"`
	Name     string  `json:"name"`
	From     string  `json:"from"`
	To       string  `json:"to"`
	Subject  string  `json:"subject"`
	Own      bool    `json:"own_subject"` // placed in the subject it holds now
	Backbone string  `json:"backbone,omitempty"`
	Km       float64 `json:"km"`
	Wish     int     `json:"wish,omitempty"` // rank of the destination among the teacher's wishes, 1 = first
}

// Build computes the report of moves on an instance. Moves must name valid
// indices (model.Placements gives them); they need not keep the hard rules:
// what they break is listed in Violations.
func Build(in *model.Instance, moves []model.Placement) *Report {
	sc := in.Scenario
	o := model.Evaluate(in, moves)
	r := &Report{Scenario: sc.Name, File: sc.File, Year: sc.Year, Objective: model.RoundTerms(o.Terms), Z: model.Round(o.Terms.Total(), 3)}
	r.Violations = []string{}
	for _, f := range model.Check(in, moves, nil) {
		if f.Hard() {
			r.Violations = append(r.Violations, f.Rule+": "+f.Message)
		}
	}
	S, K := len(sc.Schools), in.K

	r.Summary = Summary{Schools: S, Teachers: len(sc.Teachers), Moves: len(moves), Filled: o.Filled, Emptied: o.Emptied, Km: model.Round(o.Km, 1), Units: len(in.Units)}
	for t := range sc.Teachers {
		if in.Eligible[t] {
			r.Summary.Eligible++
		}
	}

	// Schools.
	leaverKm := make([]float64, S)
	bbIn := make([]int, S)
	for _, m := range moves {
		s := in.Home[m.Teacher]
		leaverKm[s] += in.Km(s, m.To)
		if in.Backbone[m.Teacher] {
			bbIn[m.To]++
			r.Summary.BackboneMoves++
		}
	}
	for s, sch := range sc.Schools {
		row := SchoolRow{ID: sch.ID, Name: sch.Name, Category: sch.Category, Stage: sch.Stage, Students: sch.Students,
			TeachersBefore: in.Size[s], Out: o.Moved[s], BackboneOut: o.BackboneMoved[s], BackboneIn: bbIn[s],
			LeaverKm: model.Round(leaverKm[s], 1), Subjects: []SubjectRow{}}
		if sch.Location != nil {
			lat, lon := sch.Location.Lat, sch.Location.Lon
			row.Lat, row.Lon = &lat, &lon
		}
		for k := range K {
			c := in.Cell(s, k)
			row.In += o.In[c]
			after := in.Staff[c] + o.In[c] - o.Out[c]
			if in.Req[c] == 0 && in.Staff[c] == 0 && after == 0 {
				continue
			}
			sr := SubjectRow{Subject: in.Subjects[k], Req: in.Req[c], StaffBefore: in.Staff[c], StaffAfter: after,
				FilledBefore: min(in.Staff[c], in.Req[c]), FilledAfter: min(after, in.Req[c])}
			if d := sr.FilledAfter - sr.FilledBefore; d > 0 {
				row.Filled += d
			} else {
				row.Emptied -= d
			}
			row.Subjects = append(row.Subjects, sr)
		}
		row.TeachersAfter = row.TeachersBefore + row.In - row.Out
		r.Schools = append(r.Schools, row)
	}

	// Quota units.
	r.Units = []UnitRow{}
	an := newAnalysis(in)
	for i, u := range in.Units {
		uo := o.Units[i]
		row := UnitRow{Name: u.Name, Eligible: u.Eligible, Target: u.Target, Moves: uo.Moves, CountShort: uo.CountShort,
			BackboneShare: u.BackboneShare, BackboneNeeded: model.Round(u.BackboneShare*float64(uo.Moves), 3),
			BackboneMoves: uo.Backbone, BackboneShort: model.Round(uo.BackboneShort, 3), Met: uo.Met()}
		for _, s := range u.Schools {
			row.Schools = append(row.Schools, sc.Schools[s].ID)
		}
		b := an.bound(u.Schools, false)
		row.MaxDepartures = b.Max
		if uo.CountShort > 0 {
			row.Reason = countReason(an, moves, o, i, b)
		}
		if uo.BackboneShort > 1e-9 {
			row.BackboneReason = backboneReason(an, moves, o, i)
		}
		if row.Met {
			r.Summary.UnitsMet++
		}
		r.Units = append(r.Units, row)
	}

	r.Indicators = Indicators(in, moves)
	if r.Indicators == nil {
		r.Indicators = []IndicatorCV{}
	}
	r.PerSchool = SchoolIndicators(in, moves)

	r.Moves = []MoveRow{}
	for _, m := range moves {
		t := &sc.Teachers[m.Teacher]
		mr := MoveRow{Teacher: t.ID, Name: t.Name, From: t.School, To: sc.Schools[m.To].ID, Subject: in.Subjects[m.Subject],
			Own: m.Subject == in.Subject[m.Teacher], Backbone: t.Backbone, Km: model.Round(in.Km(in.Home[m.Teacher], m.To), 1)}
		if i := slices.Index(t.Wishes, mr.To); i >= 0 {
			mr.Wish = i + 1
		}
		r.Moves = append(r.Moves, mr)
	}
	slices.SortStableFunc(r.Moves, func(a, b MoveRow) int { return cmp.Compare(a.Teacher, b.Teacher) })
	return r
}
