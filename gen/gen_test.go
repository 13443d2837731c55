package gen

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"gopkg.in/yaml.v3"

	"rotaplan/model"
)

// writeLoad writes sc under dir (with its roster when TeachersCSV is set),
// loads it back and compiles it; any load error fails the test.
func writeLoad(t testing.TB, dir string, sc *model.Scenario) (string, *model.Scenario, *model.Instance) {
	t.Helper()
	path := filepath.Join(dir, "county.yaml")
	if err := WriteFiles(path, sc, "test county"); err != nil {
		t.Fatal(err)
	}
	back, err := model.Load(path)
	if err != nil {
		t.Fatalf("generated scenario does not load:\n%v", err)
	}
	in, err := model.Compile(back)
	if err != nil {
		t.Fatal(err)
	}
	return path, back, in
}

// TestGenerateValid: every size and seed gives a file that loads without
// errors, whose pins do not conflict, and that the writer renders back to
// the same bytes after a load (so writer and decoder agree on every field).
func TestGenerateValid(t *testing.T) {
	sizes := []int{1, 2, 3, 10, 60, 150}
	if !testing.Short() {
		sizes = append(sizes, 1000)
	}
	for _, n := range sizes {
		seeds := 6
		if n >= 150 {
			seeds = 2
		}
		if n >= 1000 {
			seeds = 1
		}
		for seed := range uint64(seeds) {
			csv := seed%2 == 1 || n >= 1000
			t.Run(fmt.Sprintf("n%d/seed%d/csv=%t", n, seed, csv), func(t *testing.T) {
				sc := Generate(Options{Schools: n, Seed: seed, CSV: csv})
				if len(sc.Schools) != n {
					t.Fatalf("%d schools, want %d", len(sc.Schools), n)
				}
				path, back, in := writeLoad(t, t.TempDir(), sc)
				if pc := model.PinConflicts(in); len(pc) > 0 {
					t.Errorf("pins conflict: %+v", pc)
				}
				if len(back.Teachers) != len(sc.Teachers) || len(back.Pins) != len(sc.Pins) || len(back.Forbids) != len(sc.Forbids) {
					t.Errorf("loaded %d teachers, %d pins, %d forbids; generated %d, %d, %d",
						len(back.Teachers), len(back.Pins), len(back.Forbids), len(sc.Teachers), len(sc.Pins), len(sc.Forbids))
				}
				again := filepath.Join(t.TempDir(), "county.yaml")
				if err := WriteFiles(again, back, "test county"); err != nil {
					t.Fatal(err)
				}
				sameFile(t, path, again)
				if csv {
					sameFile(t, filepath.Join(filepath.Dir(path), RosterFile), filepath.Join(filepath.Dir(again), RosterFile))
				}
			})
		}
	}
}

func sameFile(t *testing.T, a, b string) {
	t.Helper()
	x, err := os.ReadFile(a)
	if err != nil {
		t.Fatal(err)
	}
	y, err := os.ReadFile(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(x, y) {
		t.Errorf("%s and %s differ after a load and a write:\n%s", a, b, firstDiff(x, y))
	}
}

func firstDiff(x, y []byte) string {
	xs, ys := bytes.Split(x, []byte("\n")), bytes.Split(y, []byte("\n"))
	for i := range min(len(xs), len(ys)) {
		if !bytes.Equal(xs[i], ys[i]) {
			return fmt.Sprintf("line %d:\n  %s\n  %s", i+1, xs[i], ys[i])
		}
	}
	return fmt.Sprintf("%d lines vs %d", len(xs), len(ys))
}

func render(t *testing.T, opts Options) []byte {
	t.Helper()
	var b bytes.Buffer
	sc := Generate(opts)
	if err := WriteYAML(&b, sc, ""); err != nil {
		t.Fatal(err)
	}
	if sc.TeachersCSV != "" {
		if err := WriteRoster(&b, sc.Teachers); err != nil {
			t.Fatal(err)
		}
	}
	return b.Bytes()
}

func TestDeterministic(t *testing.T) {
	for _, opts := range []Options{{Schools: 40, Seed: 7}, {Schools: 40, Seed: 7, CSV: true}, {Schools: 25, Seed: 1, TeachersPerSchool: 30}} {
		a, b := render(t, opts), render(t, opts)
		if !bytes.Equal(a, b) {
			t.Errorf("%+v: two runs differ:\n%s", opts, firstDiff(a, b))
		}
		other := opts
		other.Seed++
		if bytes.Equal(a, render(t, other)) {
			t.Errorf("%+v: seeds %d and %d give the same file", opts, opts.Seed, other.Seed)
		}
	}
}

// stats are the structural figures of a compiled county.
type stats struct {
	schools, teachers   [3]int // by category
	eligible, exempt    int
	backbone, tierN     [3]int // by tier 1, 2, 3+
	artsShort, artsReq  [3]int // music, PE, art, by category
	mainSurplus, mainN  [3]int // chinese and math, by category
	short, surplus, req int
}

func measure(in *model.Instance) stats {
	var st stats
	sc := in.Scenario
	cat := func(s int) int {
		for i, c := range model.Categories {
			if sc.Schools[s].Category == c {
				return i
			}
		}
		panic("category")
	}
	for t, tc := range sc.Teachers {
		s := in.Home[t]
		st.teachers[cat(s)]++
		tier := min(sc.Schools[s].Tier, 3) - 1
		st.tierN[tier]++
		if in.Backbone[t] {
			st.backbone[tier]++
		}
		if in.Eligible[t] {
			st.eligible++
		}
		if tc.Exempt != "" {
			st.exempt++
		}
	}
	for s := range sc.Schools {
		st.schools[cat(s)]++
		for k, subj := range in.Subjects {
			c := in.Cell(s, k)
			st.short += in.Short(c)
			st.surplus += in.Surplus(c)
			st.req += in.Req[c]
			switch subj {
			case "music", "pe", "art":
				st.artsShort[cat(s)] += in.Short(c)
				st.artsReq[cat(s)] += in.Req[c]
			case "chinese", "math":
				st.mainSurplus[cat(s)] += in.Surplus(c)
				st.mainN[cat(s)] += in.Req[c]
			}
		}
	}
	return st
}

func share(a, b int) float64 { return float64(a) / math.Max(1, float64(b)) }

// TestStructure checks the shape the domain notes describe, on counties of
// several sizes and seeds.
func TestStructure(t *testing.T) {
	for _, c := range []struct {
		schools int
		seed    uint64
	}{{60, 1}, {60, 2}, {150, 3}, {150, 4}} {
		t.Run(fmt.Sprintf("n%d/seed%d", c.schools, c.seed), func(t *testing.T) {
			sc := Generate(Options{Schools: c.schools, Seed: c.seed})
			in, err := model.Compile(sc)
			if err != nil {
				t.Fatal(err)
			}
			st := measure(in)
			T := len(sc.Teachers)
			n := float64(c.schools)
			if u, r := float64(st.schools[0]), float64(st.schools[2]); math.Abs(u-0.2*n) > 1 || math.Abs(r-0.5*n) > 1 {
				t.Errorf("schools by category %v, want about 20/30/50%%", st.schools)
			}
			if s := share(st.teachers[0]+st.teachers[1], T); s < 0.7 {
				t.Errorf("urban and town schools hold %.2f of the teachers, want most (>= 0.7)", s)
			}
			if per := float64(T) / n; per < 68 || per > 92 {
				t.Errorf("%.1f teachers per school, want about 80", per)
			}
			if s := share(st.eligible, T); s < 0.25 || s > 0.45 {
				t.Errorf("eligible share %.3f, want 0.25-0.45", s)
			}
			if s := share(st.exempt, T); s < 0.01 || s > 0.06 {
				t.Errorf("exempt share %.3f, want a few percent", s)
			}
			rural, urban := share(st.artsShort[2], st.artsReq[2]), share(st.artsShort[0], st.artsReq[0])
			if rural < urban+0.3 {
				t.Errorf("music/PE/art posts open: rural %.2f, urban %.2f; want rural far above", rural, urban)
			}
			if u, r := share(st.mainSurplus[0], st.mainN[0]), share(st.mainSurplus[2], st.mainN[2]); u < 0.05 || r > 0.01 {
				t.Errorf("chinese/math surplus: urban %.3f (want >= 0.05), rural %.3f (want ~0)", u, r)
			}
			b1, b3 := share(st.backbone[0], st.tierN[0]), share(st.backbone[2], st.tierN[2])
			if b1 < 2*b3 || b1 < 0.15 {
				t.Errorf("backbone share tier 1 %.3f, tier 3+ %.3f: want tier 1 at least twice tier 3", b1, b3)
			}
			checkPlaces(t, in, Options{}.center())
			checkWishesAndPins(t, in)
		})
	}
}

func (o Options) center() model.Location {
	if o.Center == (model.Location{}) {
		return model.Location{Lat: 30.0, Lon: 104.0}
	}
	return o.Center
}

// checkPlaces: urban schools near the seat, rural ones 10-60 km out; every
// group has a tier-1 school.
func checkPlaces(t *testing.T, in *model.Instance, seat model.Location) {
	t.Helper()
	lead := map[string]bool{}
	for _, s := range in.Scenario.Schools {
		km := model.Haversine(&seat, s.Location)
		switch {
		case s.Category == model.Urban && km > 7.1:
			t.Errorf("urban school %s is %.1f km from the seat", s.ID, km)
		case s.Category == model.Rural && (km < 9.9 || km > 60.1):
			t.Errorf("rural school %s is %.1f km from the seat", s.ID, km)
		}
		if s.Group != "" && s.Tier == 1 {
			lead[s.Group] = true
		}
	}
	for _, s := range in.Scenario.Schools {
		if s.Group != "" && !lead[s.Group] {
			t.Errorf("group %s (school %s) has no tier-1 school", s.Group, s.ID)
		}
	}
}

// checkWishesAndPins: wishes and pins go where a route allows, within
// max_km, never to the own school; pinned teachers are eligible.
func checkWishesAndPins(t *testing.T, in *model.Instance) {
	t.Helper()
	sc := in.Scenario
	maxKm := math.Inf(1)
	if sc.Policy.Limits.MaxKm != nil {
		maxKm = *sc.Policy.Limits.MaxKm
	}
	reach := func(tch int, d string) string {
		s, di := in.Home[tch], in.SchoolIndex[d]
		switch {
		case s == di:
			return "its own school"
		case !in.RouteAllows(s, di):
			return "a school no route allows"
		case in.Km(s, di) > maxKm:
			return fmt.Sprintf("a school %.1f km away", in.Km(s, di))
		}
		return ""
	}
	wishes := 0
	for i, tc := range sc.Teachers {
		for _, w := range tc.Wishes {
			wishes++
			if why := reach(i, w); why != "" {
				t.Errorf("teacher %s wishes %s, %s", tc.ID, w, why)
			}
		}
	}
	if wishes == 0 {
		t.Error("no teacher has wishes")
	}
	if len(sc.Pins) == 0 || len(sc.Forbids) == 0 {
		t.Errorf("%d pins, %d forbids; want some of each", len(sc.Pins), len(sc.Forbids))
	}
	for _, p := range sc.Pins {
		i := in.TeacherIndex[p.Teacher]
		if why := reach(i, p.To); why != "" {
			t.Errorf("pin of %s goes to %s, %s", p.Teacher, p.To, why)
		}
		if !in.Eligible[i] {
			t.Errorf("pinned teacher %s is not eligible: %s", p.Teacher, in.IneligibleReason(i))
		}
	}
}

func TestTeachersPerSchool(t *testing.T) {
	for _, per := range []float64{20, 80, 160} {
		sc := Generate(Options{Schools: 100, Seed: 5, TeachersPerSchool: per})
		got := float64(len(sc.Teachers)) / 100
		if got < 0.8*per || got > 1.2*per {
			t.Errorf("TeachersPerSchool %v: got %.1f per school", per, got)
		}
	}
}

func TestScalar(t *testing.T) {
	plain := []string{"张敏", "S01", "T0001", "music", "城区第一小学", "nine_year", "a b", "合成县 2027 学年 (seed 1)"}
	quoted := []string{"", "true", "False", "yes", "null", "~", "12", "1e3", ".5", "-1", "a: b", "a #b", "[x]", "{x}", "x,y", "'a'", `"a"`, "- a", "a ", " a", "*a", "&a", "!a", "|", ">", "%a", "@a", "`a", "a\nb", "a\tb", ".inf", "0x1F"}
	for _, s := range plain {
		if got := scalar(s); got != s {
			t.Errorf("scalar(%q) = %s, want it plain", s, got)
		}
	}
	for _, s := range quoted {
		if got := scalar(s); got == s {
			t.Errorf("scalar(%q) is plain, want it quoted", s)
		}
	}
	// Whatever the form, YAML reads back the same string, in a block and in
	// a flow mapping.
	for _, s := range append(plain, quoted...) {
		var block map[string]string
		var flow []map[string]string
		if err := yaml.Unmarshal([]byte("k: "+scalar(s)+"\n"), &block); err != nil || block["k"] != s {
			t.Errorf("block %s: read %q, %v", scalar(s), block["k"], err)
		}
		if err := yaml.Unmarshal([]byte("- {k: "+scalar(s)+", j: 1}\n"), &flow); err != nil || len(flow) != 1 || flow[0]["k"] != s {
			t.Errorf("flow %s: read %v, %v", scalar(s), flow, err)
		}
	}
}

func TestRosterName(t *testing.T) {
	for in, want := range map[string]string{
		"county.yaml": "county.roster.csv", "out/x.yml": "x.roster.csv", "a.b.yaml": "a.b.roster.csv", "noext": "noext.roster.csv",
	} {
		if got := RosterName(in); got != want {
			t.Errorf("RosterName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNumeral(t *testing.T) {
	for n, want := range map[int]string{1: "一", 10: "十", 12: "十二", 20: "二十", 21: "二十一", 105: "一百零五", 110: "一百一十", 1001: "一千零一"} {
		if got := numeral(n); got != want {
			t.Errorf("numeral(%d) = %s, want %s", n, got, want)
		}
	}
}

func TestSplit(t *testing.T) {
	got := split(10, []float64{1, 1, 1, 0})
	if sum := got[0] + got[1] + got[2] + got[3]; sum != 10 || got[3] != 0 {
		t.Errorf("split(10, 1:1:1:0) = %v: want sum 10 and nothing for a zero share", got)
	}
	for _, x := range got[:3] {
		if x < 3 || x > 4 {
			t.Errorf("split(10, 1:1:1:0) = %v: want 3 or 4 each", got)
		}
	}
}

func ExampleGenerate() {
	sc := Generate(Options{Schools: 60, Seed: 1})
	count := map[string]int{}
	for _, s := range sc.Schools {
		count[s.Category]++
	}
	fmt.Printf("%d urban, %d town, %d rural schools\n", count[model.Urban], count[model.Town], count[model.Rural])
	// Output: 12 urban, 18 town, 30 rural schools
}

func BenchmarkGenerate1000(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		Generate(Options{Schools: 1000, Seed: uint64(i)})
	}
}

func BenchmarkWrite1000(b *testing.B) {
	sc := Generate(Options{Schools: 1000, Seed: 1})
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := WriteYAML(&buf, sc, ""); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}
