package model

import (
	"math"
	"reflect"
	"testing"
)

// move builds a placement on tiny from ids.
func move(t *testing.T, in *Instance, teacherID, to, subject string) Placement {
	t.Helper()
	return Placement{Teacher: teacherIdx(t, in, teacherID), To: in.SchoolIndex[to], Subject: in.SubjectIndex[subject]}
}

// km is the distance between two tiny schools by the law of cosines.
func km(in *Instance, s, d string) float64 {
	return lawOfCosines(*in.Scenario.Schools[in.SchoolIndex[s]].Location, *in.Scenario.Schools[in.SchoolIndex[d]].Location)
}

func assertTerms(t *testing.T, got, want Terms) {
	t.Helper()
	g := []float64{got.Quota, got.Backbone, got.Fill, got.Deficit, got.Km, got.Wish}
	w := []float64{want.Quota, want.Backbone, want.Fill, want.Deficit, want.Km, want.Wish}
	for i := range g {
		if math.Abs(g[i]-w[i]) > 1e-6 {
			t.Errorf("terms %+v, want %+v", got, want)
			return
		}
	}
	if math.Abs(got.Total()-(want.Quota+want.Backbone+want.Fill+want.Deficit+want.Km+want.Wish)) > 1e-6 {
		t.Errorf("Total %v", got.Total())
	}
}

// Default weights: quota 1000, backbone 1000, fill 100, deficit 200, km 1, wish 50.

func TestEvaluateEmptyPlan(t *testing.T) {
	in := loadTiny(t)
	o := Evaluate(in, nil)
	// Z of the empty plan is quota x (q_U1 + q_U2) = 1000 x (1 + 1); the
	// backbone shortfall is 0.2 x 0 - 0 = 0.
	assertTerms(t, o.Terms, Terms{Quota: 2000})
	if o.Filled != 0 || o.Emptied != 0 || o.Km != 0 {
		t.Errorf("outcome %+v", o)
	}
	if !reflect.DeepEqual(o.Units, []UnitOutcome{{CountShort: 1}, {CountShort: 1}}) || o.Units[0].Met() {
		t.Errorf("units %+v", o.Units)
	}
}

func TestEvaluatePinOnly(t *testing.T) {
	in := loadTiny(t)
	// T05 (U1 math, city backbone) -> T1 math.
	//   U1 math: staff 3, req 2, after 2: filled min(2,2) - min(3,2) = 0.
	//   T1 math: staff 1, req 2, after 2: filled 2 - 1 = 1, weight 1 x 1: fill -100.
	//   Unit U1: 1 move >= target 1; backbone 0.2 x 1 - 1 < 0: met. Unit U2: 1 short: 1000.
	//   T1 is T05's only wish: w = 1: wish -50.
	o := Evaluate(in, []Placement{move(t, in, "T05", "T1", "math")})
	assertTerms(t, o.Terms, Terms{Quota: 1000, Fill: -100, Km: km(in, "U1", "T1"), Wish: -50})
	if !o.Units[0].Met() || o.Units[1].Met() || o.Units[0].Moves != 1 || o.Units[0].Backbone != 1 {
		t.Errorf("units %+v", o.Units)
	}
}

func TestEvaluateFillsAndEmpties(t *testing.T) {
	in := loadTiny(t)
	moves := []Placement{
		move(t, in, "T05", "T1", "math"),  // fills T1 math (weight 1)
		move(t, in, "T08", "R1", "music"), // empties U1 music (weight 1 x 2), fills R1 music (2 x 2)
		move(t, in, "T13", "R1", "pe"),    // empties U2 math (1 x 1), fills R1 pe (2 x 2)
	}
	o := Evaluate(in, moves)
	// filled, weighted: T1 math +1, U1 music -2, R1 music +4, U2 math -1, R1 pe +4 = 6:
	// fill = -100 x 6 = -600. Two required posts emptied: deficit 200 x 2 = 400.
	// So emptying U1 music costs fill x 2 + deficit = 400, as the spec says.
	// Units: U1 2 moves, 1 backbone (T05) >= 0.2 x 2; U2 1 move, backbone T13: met.
	wantKm := km(in, "U1", "T1") + km(in, "U1", "R1") + km(in, "U2", "R1")
	assertTerms(t, o.Terms, Terms{Fill: -600, Deficit: 400, Km: wantKm, Wish: -50})
	if o.Filled != 3 || o.Emptied != 2 || math.Abs(o.Km-wantKm) > 1e-9 {
		t.Errorf("filled %d emptied %d km %v", o.Filled, o.Emptied, o.Km)
	}
	if !reflect.DeepEqual(o.Moved, []int{2, 1, 0, 0}) || !reflect.DeepEqual(o.BackboneMoved, []int{1, 1, 0, 0}) {
		t.Errorf("moved %v backbone %v", o.Moved, o.BackboneMoved)
	}
	if o.In[in.Cell(tR1, kMusic)] != 1 || o.Out[in.Cell(tU1, kMusic)] != 1 || o.Out[in.Cell(tU2, kMath)] != 1 || o.In[in.Cell(tR1, kPE)] != 1 {
		t.Errorf("in %v out %v", o.In, o.Out)
	}
}

func TestEvaluateBeyondRequirementAndBackboneShort(t *testing.T) {
	in := loadTiny(t)
	// T02 (U1 chinese, not backbone) -> R1 chinese: R1 has its 1 chinese post
	// filled already: filled min(2,1) - min(1,1) = 0; U1 chinese goes from 4
	// to 3 teachers for 3 posts: 0 too. Unit U1: 1 move, 0 backbone:
	// v = 0.2 x 1 - 0 = 0.2, x 1000 = 200. Unit U2: 1 short.
	o := Evaluate(in, []Placement{move(t, in, "T02", "R1", "chinese")})
	assertTerms(t, o.Terms, Terms{Quota: 1000, Backbone: 200, Km: km(in, "U1", "R1")})
	if o.Filled != 0 || o.Emptied != 0 || math.Abs(o.Units[0].BackboneShort-0.2) > 1e-12 {
		t.Errorf("outcome %+v", o)
	}
	// T10's second wish of two: w = (2 - 2 + 1) / 2 = 0.5: wish -25. T1
	// chinese is full (2 of 2) and U2 chinese keeps 2 for 2 posts: no fill.
	// Now U1 is 1 short and U2's move is not backbone: 0.2 x 1000.
	o = Evaluate(in, []Placement{move(t, in, "T10", "T1", "chinese")})
	assertTerms(t, o.Terms, Terms{Quota: 1000, Backbone: 200, Km: km(in, "U2", "T1"), Wish: -25})
}

// A school bound by two rules counts in both; an each: false rule pools its schools.
func TestEvaluateOverlappingQuotas(t *testing.T) {
	in := loadTiny(t)
	sc := *in.Scenario
	sc.Policy.Quotas = append(append([]Quota(nil), sc.Policy.Quotas...),
		Quota{Name: "全县", Each: false, MinShare: 0.3, MinBackboneShare: 0.5})
	in, err := Compile(&sc)
	if err != nil {
		t.Fatal(err)
	}
	// Pooled unit: all 11 eligible teachers: ceil(0.3 x 11) = ceil(3.3) = 4.
	if len(in.Units) != 3 || in.Units[2].Eligible != 11 || in.Units[2].Target != 4 || in.Units[2].Name != "全县" {
		t.Fatalf("units %+v", in.Units)
	}
	// Empty plan: 1 + 1 + 4 = 6 short.
	assertTerms(t, Evaluate(in, nil).Terms, Terms{Quota: 6000})
	// T02 -> R1: U1 met, U2 short 1; pooled: 1 move of 4 (3 short) and
	// backbone 0.5 x 1 - 0 = 0.5; U1 backbone 0.2. Quota 4000, backbone 700.
	o := Evaluate(in, []Placement{move(t, in, "T02", "R1", "chinese")})
	assertTerms(t, o.Terms, Terms{Quota: 4000, Backbone: 700, Km: km(in, "U1", "R1")})
}

func TestPinConflicts(t *testing.T) {
	in := loadTiny(t)
	if got := PinConflicts(in); got != nil {
		t.Errorf("tiny's own pin conflicts: %v", got)
	}
	sc := *in.Scenario
	sc.Pins = append(append([]Pin(nil), sc.Pins...),
		// Two music teachers to R1's single open music post: H2 at R1 music.
		// Each leaves the only music post of its school: H3 at U1 and U2 music.
		Pin{Teacher: "T08", To: "R1"}, Pin{Teacher: "T15", To: "R1"},
		// Both R1 teachers leave: cap floor(0.5 x 2) = 1: H4 at R1; each
		// leaves a post R1 needs: H3 at R1 chinese and math. T20 goes to U1
		// math, which T05 (pinned) leaves: in - out = 1 - 1 = 0 <= 0 open
		// posts, no conflict there.
		Pin{Teacher: "T19", To: "T1", Subject: "chinese"}, Pin{Teacher: "T20", To: "U1"},
	)
	in, err := Compile(&sc)
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ rule, school, subject string }
	got := map[key][]string{}
	for _, c := range PinConflicts(in) {
		got[key{c.Rule, c.School, c.Subject}] = c.Teachers
	}
	// T19 arrives at T1 chinese: staff 2, req 2, 0 open: H2 at T1 chinese.
	want := map[key][]string{
		{"H2", "R1", "music"}:   {"T08", "T15"},
		{"H3", "U1", "music"}:   {"T08"},
		{"H3", "U2", "music"}:   {"T15"},
		{"H3", "R1", "chinese"}: {"T19"},
		{"H3", "R1", "math"}:    {"T20"},
		{"H2", "T1", "chinese"}: {"T19"},
		{"H4", "R1", ""}:        {"T19", "T20"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("conflicts:\n%v\nwant:\n%v", got, want)
	}
	for _, c := range PinConflicts(in) {
		if c.Rule == "H4" && c.Detail != "2 leave, at most 1 may (max_outflow_share of 2 teachers)" {
			t.Errorf("H4 detail %q", c.Detail)
		}
		if c.Rule == "H2" && c.School == "R1" && c.Detail != "2 arrive, 0 leave, 1 posts open" {
			t.Errorf("H2 detail %q", c.Detail)
		}
	}
}
