package report

import (
	"math"

	"rotaplan/model"
)

// Indicator names, as they appear in JSON.
const (
	BackbonePer100 = "backbone_per_100" // backbone teachers of county level or above per 100 students
	PEArtPer100    = "pe_art_per_100"   // PE, music and art teachers per 100 students
)

// CVThreshold is the highest coefficient of variation the 2017 evaluation
// accepts per stage group; nine-year schools are held to the junior limit.
var CVThreshold = map[string]float64{"primary": 0.50, "junior": 0.45, "nine_year": 0.45}

// indicatorLevels are the backbone levels the inspection counts. They are
// fixed by the evaluation, whatever policy.backbone_levels says.
var indicatorLevels = map[string]bool{"county": true, "city": true, "province": true}

// peArtSubjects are the subject ids the PE and art indicator counts.
var peArtSubjects = map[string]bool{"pe": true, "music": true, "art": true}

// IndicatorCV is the student-weighted coefficient of variation of one
// indicator over the schools of one stage group, before and after a plan.
type IndicatorCV struct {
	Stage      string  `json:"stage"`
	Indicator  string  `json:"indicator"`
	Schools    int     `json:"schools"`     // schools in the group (with students)
	Students   int     `json:"students"`    // P
	BeforeMean float64 `json:"before_mean"` // X̄ before: group teachers counted per 100 students
	AfterMean  float64 `json:"after_mean"`
	BeforeCV   float64 `json:"before_cv"`
	AfterCV    float64 `json:"after_cv"`
	Threshold  float64 `json:"threshold"`
}

// SchoolIndicator is one school's two indicators before and after a plan.
type SchoolIndicator struct {
	School         string     `json:"school"`
	Stage          string     `json:"stage,omitempty"`
	Students       int        `json:"students"`
	BackboneBefore int        `json:"backbone_before"` // teachers counted
	BackboneAfter  int        `json:"backbone_after"`
	PEArtBefore    int        `json:"pe_art_before"`
	PEArtAfter     int        `json:"pe_art_after"`
	BackboneX      [2]float64 `json:"backbone_per_100"` // before, after; 0 without students
	PEArtX         [2]float64 `json:"pe_art_per_100"`
}

// SchoolIndicators counts, per school in scenario order, the teachers each
// indicator counts before and after the moves. After the plan a moved
// teacher counts at the destination, in the subject placed: a music teacher
// placed as chinese no longer counts for PE and art.
func SchoolIndicators(in *model.Instance, moves []model.Placement) []SchoolIndicator {
	sc := in.Scenario
	out := make([]SchoolIndicator, len(sc.Schools))
	for s, sch := range sc.Schools {
		out[s].School, out[s].Stage = sch.ID, sch.Stage
		if sch.Students != nil {
			out[s].Students = *sch.Students
		}
	}
	where := make([]int, len(sc.Teachers)) // school after the plan
	subj := make([]int, len(sc.Teachers))  // subject after the plan
	for t := range sc.Teachers {
		where[t], subj[t] = in.Home[t], in.Subject[t]
	}
	for _, m := range moves {
		where[m.Teacher], subj[m.Teacher] = m.To, m.Subject
	}
	for t, tc := range sc.Teachers {
		if indicatorLevels[tc.Backbone] {
			out[in.Home[t]].BackboneBefore++
			out[where[t]].BackboneAfter++
		}
		if peArtSubjects[in.Subjects[in.Subject[t]]] {
			out[in.Home[t]].PEArtBefore++
		}
		if peArtSubjects[in.Subjects[subj[t]]] {
			out[where[t]].PEArtAfter++
		}
	}
	for s := range out {
		if p := float64(out[s].Students); p > 0 {
			o := &out[s]
			o.BackboneX = [2]float64{100 * float64(o.BackboneBefore) / p, 100 * float64(o.BackboneAfter) / p}
			o.PEArtX = [2]float64{100 * float64(o.PEArtBefore) / p, 100 * float64(o.PEArtAfter) / p}
		}
	}
	return out
}

// Indicators computes, for each stage group (primary, junior, nine_year, in
// that order, groups without schools left out) and each indicator
// (backbone_per_100, then pe_art_per_100), the student-weighted coefficient
// of variation CV = sqrt(Σ (P_i/P)(X_i - X̄)²) / X̄ before and after the
// moves, X̄ being the group's teachers counted per 100 of its students.
// Schools without a stage or without students are left out. A group whose
// X̄ is 0 has every X_i = 0 and gets CV 0.
func Indicators(in *model.Instance, moves []model.Placement) []IndicatorCV {
	rows := SchoolIndicators(in, moves)
	var out []IndicatorCV
	for _, stage := range model.Stages {
		var group []SchoolIndicator
		for _, r := range rows {
			if r.Stage == stage && r.Students > 0 {
				group = append(group, r)
			}
		}
		if len(group) == 0 {
			continue
		}
		for _, ind := range []string{BackbonePer100, PEArtPer100} {
			c := IndicatorCV{Stage: stage, Indicator: ind, Schools: len(group), Threshold: CVThreshold[stage]}
			var n [2][]float64 // counts before, after
			var p []float64
			for _, r := range group {
				c.Students += r.Students
				p = append(p, float64(r.Students))
				if ind == BackbonePer100 {
					n[0], n[1] = append(n[0], float64(r.BackboneBefore)), append(n[1], float64(r.BackboneAfter))
				} else {
					n[0], n[1] = append(n[0], float64(r.PEArtBefore)), append(n[1], float64(r.PEArtAfter))
				}
			}
			c.BeforeMean, c.BeforeCV = weightedCV(p, n[0])
			c.AfterMean, c.AfterCV = weightedCV(p, n[1])
			out = append(out, c)
		}
	}
	return out
}

// weightedCV returns X̄ = 100 Σn/ΣP and the student-weighted CV of
// X_i = 100 n_i / P_i.
func weightedCV(p, n []float64) (mean, cv float64) {
	var P, N float64
	for i := range p {
		P += p[i]
		N += n[i]
	}
	mean = 100 * N / P
	if mean == 0 {
		return 0, 0
	}
	var v float64
	for i := range p {
		d := 100*n[i]/p[i] - mean
		v += p[i] / P * d * d
	}
	return mean, math.Sqrt(v) / mean
}
