package model

import (
	"math"
	"reflect"
	"testing"
)

// loadTiny loads model/testdata/tiny.yaml, a copy of examples/tiny.yaml kept
// here so that the numbers below, worked out by hand from that file, stay put.
func loadTiny(t testing.TB) *Instance {
	t.Helper()
	sc, err := Load("testdata/tiny.yaml")
	if err != nil {
		t.Fatal(err)
	}
	in, err := Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// Indices in tiny: schools in file order, subjects sorted by id.
const (
	tU1, tU2, tT1, tR1           = 0, 1, 2, 3
	kChinese, kMath, kMusic, kPE = 0, 1, 2, 3
)

// teacherIdx returns the index of the teacher with the id.
func teacherIdx(t *testing.T, in *Instance, id string) int {
	t.Helper()
	i, ok := in.TeacherIndex[id]
	if !ok {
		t.Fatalf("no teacher %s", id)
	}
	return i
}

func TestTinyPosts(t *testing.T) {
	in := loadTiny(t)
	if !reflect.DeepEqual(in.Subjects, []string{"chinese", "math", "music", "pe"}) {
		t.Fatalf("subjects %v", in.Subjects)
	}
	// Catalogue: music and pe have priority 2.
	if !reflect.DeepEqual(in.SubjectPriority, []float64{1, 1, 2, 2}) {
		t.Errorf("subject priorities %v", in.SubjectPriority)
	}
	// Staff, counted from the teacher list (chinese, math, music, pe):
	//   U1: T01-T04 chinese, T05-T07 math, T08 music, T09 pe -> 4 3 1 1
	//   U2: T10-T12 chinese, T13-T14 math, T15 music         -> 3 2 1 0
	//   T1: T16-T17 chinese, T18 math                        -> 2 1 0 0
	//   R1: T19 chinese, T20 math                            -> 1 1 0 0
	staff := []int{4, 3, 1, 1, 3, 2, 1, 0, 2, 1, 0, 0, 1, 1, 0, 0}
	// Req is each school's demand (every subject is listed in tiny).
	req := []int{3, 2, 1, 1, 2, 2, 1, 1, 2, 2, 1, 1, 1, 1, 1, 1}
	// short = max(0, req - staff), surplus = max(0, staff - req).
	short := []int{0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1, 1, 0, 0, 1, 1}
	surplus := []int{1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	if !reflect.DeepEqual(in.Staff, staff) || !reflect.DeepEqual(in.Req, req) {
		t.Errorf("staff %v req %v", in.Staff, in.Req)
	}
	for c := range staff {
		if in.Short(c) != short[c] || in.Surplus(c) != surplus[c] {
			t.Errorf("cell %d: short %d surplus %d, want %d %d", c, in.Short(c), in.Surplus(c), short[c], surplus[c])
		}
	}
	if !reflect.DeepEqual(in.Size, []int{9, 6, 3, 2}) {
		t.Errorf("sizes %v", in.Size)
	}
	// Weight = school priority x subject priority: R1 has priority 2.
	if w := in.Weight(in.Cell(tR1, kMusic)); w != 4 {
		t.Errorf("R1 music weight %v, want 2 x 2", w)
	}
	if w := in.Weight(in.Cell(tU1, kMath)); w != 1 {
		t.Errorf("U1 math weight %v, want 1", w)
	}
}

func TestTinyEligibility(t *testing.T) {
	in := loadTiny(t)
	// min_years 6, cooldown 3 years, year 2027, no age limit.
	reasons := map[string]string{
		"T03": "3 years at U1 < 6",
		"T04": "exempt: 学科带头人项目", // exempt despite 12 years
		"T07": "2 years at U1 < 6",
		"T09": "4 years at U1 < 6",
		"T12": "1 years at U2 < 6",
		"T14": "rotated in 2025, 2 years before 2027 < cooldown 3", // 6 years, but rotated 2 years ago
		"T17": "5 years at T1 < 6",
		"T18": "2 years at T1 < 6",
		"T19": "4 years at R1 < 6",
	}
	for i, tc := range in.Scenario.Teachers {
		want := reasons[tc.ID]
		if got := in.IneligibleReason(i); got != want {
			t.Errorf("%s: reason %q, want %q", tc.ID, got, want)
		}
		if in.Eligible[i] != (want == "") {
			t.Errorf("%s: eligible %v", tc.ID, in.Eligible[i])
		}
	}
	// Eligible per school: U1 T01 T02 T05 T06 T08; U2 T10 T11 T13 T15; T1 T16; R1 T20.
	if !reflect.DeepEqual(in.Eligibles, []int{5, 4, 1, 1}) {
		t.Errorf("eligibles %v", in.Eligibles)
	}
	// Backbone levels default to county, city, province: T01 county, T05 city,
	// T13 county; T11 is a school-level backbone teacher and does not count.
	for i, tc := range in.Scenario.Teachers {
		want := tc.ID == "T01" || tc.ID == "T05" || tc.ID == "T13"
		if in.Backbone[i] != want {
			t.Errorf("%s: backbone %v", tc.ID, in.Backbone[i])
		}
	}
	// Movable: the 11 eligible teachers but T11 (forbidden outright); T15 is
	// a volunteer and also eligible.
	movable := map[string]bool{"T01": true, "T02": true, "T05": true, "T06": true, "T08": true,
		"T10": true, "T13": true, "T15": true, "T16": true, "T20": true}
	for i, tc := range in.Scenario.Teachers {
		if in.Movable[i] != movable[tc.ID] {
			t.Errorf("%s: movable %v", tc.ID, in.Movable[i])
		}
	}
	// T06 teaches math, also pe; T08 music, also chinese.
	if got := in.Teaches[teacherIdx(t, in, "T06")]; !reflect.DeepEqual(got, []int{kMath, kPE}) {
		t.Errorf("T06 teaches %v", got)
	}
	if got := in.Teaches[teacherIdx(t, in, "T08")]; !reflect.DeepEqual(got, []int{kMusic, kChinese}) {
		t.Errorf("T08 teaches %v", got)
	}
}

func TestTinyQuotaUnitsAndCaps(t *testing.T) {
	in := loadTiny(t)
	// One rule, each: true, urban schools: a unit per urban school.
	// U1: ceil(0.10 x 5) = ceil(0.5) = 1; U2: ceil(0.10 x 4) = ceil(0.4) = 1.
	want := []Unit{
		{Rule: 0, Name: "城区学校交流比例 / U1", Schools: []int{tU1}, Eligible: 5, Target: 1, BackboneShare: 0.2},
		{Rule: 0, Name: "城区学校交流比例 / U2", Schools: []int{tU2}, Eligible: 4, Target: 1, BackboneShare: 0.2},
	}
	if !reflect.DeepEqual(in.Units, want) {
		t.Errorf("units %+v", in.Units)
	}
	// max_outflow_share 0.5: floor(0.5 x 9, 6, 3, 2) = 4, 3, 1, 1.
	if !reflect.DeepEqual(in.OutflowCap, []int{4, 3, 1, 1}) {
		t.Errorf("outflow caps %v", in.OutflowCap)
	}
	// The pin of T05 to T1 in its own subject, math.
	t05 := teacherIdx(t, in, "T05")
	if in.Pin[t05] != 0 || in.PinTo[t05] != tT1 || in.PinSubj[t05] != kMath {
		t.Errorf("T05 pin %d %d %d", in.Pin[t05], in.PinTo[t05], in.PinSubj[t05])
	}
}

// lawOfCosines is the great-circle distance by the spherical law of cosines:
// a different formula from the haversine, equal on the sphere.
func lawOfCosines(a, b Location) float64 {
	r := math.Pi / 180
	c := math.Sin(a.Lat*r)*math.Sin(b.Lat*r) + math.Cos(a.Lat*r)*math.Cos(b.Lat*r)*math.Cos((b.Lon-a.Lon)*r)
	return 6371.0 * math.Acos(math.Min(1, c))
}

func TestTinyKm(t *testing.T) {
	in := loadTiny(t)
	loc := func(s int) Location { return *in.Scenario.Schools[s].Location }
	for s := range 4 {
		if in.Km(s, s) != 0 {
			t.Errorf("Km(%d, %d) = %v", s, s, in.Km(s, s))
		}
		for d := range 4 {
			if s == d {
				continue
			}
			want := lawOfCosines(loc(s), loc(d))
			if math.Abs(in.Km(s, d)-want) > 1e-6 || in.Km(s, d) != in.Km(d, s) {
				t.Errorf("Km(%d, %d) = %.9f, law of cosines %.9f", s, d, in.Km(s, d), want)
			}
		}
	}
	// U1 (30.68, 103.85) to R1 (30.60, 103.76) on a flat map: 0.08 degrees of
	// latitude x 111.19 km = 8.90 km north-south, 0.09 degrees of longitude x
	// 111.19 x cos(30.64 degrees) = 8.61 km east-west: hypot = 12.38 km.
	if got := in.Km(tU1, tR1); math.Abs(got-12.38) > 0.02 {
		t.Errorf("U1-R1 %.3f km, want about 12.38", got)
	}
	if Haversine(nil, &Location{}) != 0 {
		t.Error("a missing location must give 0 km")
	}
}

func TestTinyRoutes(t *testing.T) {
	in := loadTiny(t)
	// Route 1: urban (U1, U2) -> town or rural (T1, R1).
	// Route 2: same_group: U1, T1 and R1 are in G1; U2 has no group.
	allowed := map[[2]int]bool{
		{tU1, tT1}: true, {tU1, tR1}: true, {tU2, tT1}: true, {tU2, tR1}: true, // route 1
		{tT1, tU1}: true, {tR1, tU1}: true, {tT1, tR1}: true, {tR1, tT1}: true, // route 2
	}
	for s := range 4 {
		for d := range 4 {
			if s == d {
				continue
			}
			if in.RouteAllows(s, d) != allowed[[2]int{s, d}] {
				t.Errorf("RouteAllows(%s, %s) = %v", in.Scenario.Schools[s].ID, in.Scenario.Schools[d].ID, in.RouteAllows(s, d))
			}
		}
	}
}

func TestTinyAllowed(t *testing.T) {
	in := loadTiny(t)
	for _, c := range []struct {
		teacher string
		to, k   int
		want    string
	}{
		{"T01", tR1, kChinese, ""},
		{"T08", tT1, kChinese, ""}, // music teacher placed in her other subject
		{"T06", tR1, kPE, ""},
		{"T06", tR1, kMusic, "T06 cannot teach music"},
		{"T02", tU2, kChinese, "no route allows U1 -> U2"},
		{"T03", tR1, kChinese, "T03 is not eligible: 3 years at U1 < 6"},
		{"T14", tR1, kMath, "T14 is not eligible: rotated in 2025, 2 years before 2027 < cooldown 3"},
		{"T11", tR1, kChinese, "T11 is forbidden to move"},
		{"T20", tR1, kMath, "T20 is already at R1"},
		{"T05", tT1, kMath, ""}, // the pin
		{"T05", tR1, kMath, "T05 is pinned to T1 in math"},
		{"T15", tR1, kMusic, ""}, // U2 -> R1 by route 1
	} {
		ti := teacherIdx(t, in, c.teacher)
		if got := in.NotAllowedReason(ti, c.to, c.k); got != c.want {
			t.Errorf("%s -> %s %s: %q, want %q", c.teacher, in.Scenario.Schools[c.to].ID, in.Subjects[c.k], got, c.want)
		}
		if in.Allowed(ti, c.to, c.k) != (c.want == "") {
			t.Errorf("%s -> %d: Allowed disagrees with the reason", c.teacher, c.to)
		}
	}
}

func TestTinyWishScore(t *testing.T) {
	in := loadTiny(t)
	// T05 wishes [T1]: n = 1, T1 is r = 1: (1 - 1 + 1) / 1 = 1.
	// T10 wishes [R1, T1]: R1 (2 - 1 + 1) / 2 = 1, T1 (2 - 2 + 1) / 2 = 0.5.
	for _, c := range []struct {
		teacher string
		to      int
		want    float64
	}{{"T05", tT1, 1}, {"T05", tR1, 0}, {"T10", tR1, 1}, {"T10", tT1, 0.5}, {"T10", tU1, 0}, {"T01", tR1, 0}} {
		if got := in.WishScore(teacherIdx(t, in, c.teacher), c.to); got != c.want {
			t.Errorf("w(%s, %d) = %v, want %v", c.teacher, c.to, got, c.want)
		}
	}
}

// Eligibility rules not exercised by tiny: the age limit, per gender.
func TestAgeLimit(t *testing.T) {
	sc, errs := decodeText(t, t.TempDir(), `version: 1
year: 2027
schools: [{id: S1, category: urban}]
teachers:
  - {id: M1, school: S1, subject: math, years: 9, age: 55, gender: male}
  - {id: M2, school: S1, subject: math, years: 9, age: 54, gender: male}
  - {id: F1, school: S1, subject: math, years: 9, age: 50, gender: female}
  - {id: F2, school: S1, subject: math, years: 9, age: 50, gender: female, volunteer: true}
policy: {eligibility: {age_limit: {male: 55, female: 51}, min_years: 0}}
`)
	if errs != nil {
		t.Fatal(errs)
	}
	in, err := Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"age 55 >= male age limit 55", "", "", ""}
	for i := range want {
		if got := in.IneligibleReason(i); got != want[i] {
			t.Errorf("%s: %q, want %q", sc.Teachers[i].ID, got, want[i])
		}
	}
	if in.Movable[0] || !in.Movable[1] {
		t.Errorf("movable %v", in.Movable)
	}
}
