package gen

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"rotaplan/model"
)

var update = flag.Bool("update", false, "rewrite the committed examples under ../examples")

const examplesDir = "../examples"

// exampleFiles builds the example and writes it into dir; it returns the
// scenario path.
func exampleFiles(t *testing.T, ex Example, dir string) string {
	t.Helper()
	sc := ex.Build()
	if ex.CSV {
		sc.TeachersCSV = RosterName(ex.Name + ".yaml")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, ex.Name+".yaml")
	if err := WriteFiles(path, sc, ex.Comment); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestExamples: the committed examples are what the builders make now
// (go generate ./gen, or go test ./gen -run TestExamples -update, rewrites
// them), and they load without errors.
func TestExamples(t *testing.T) {
	for _, ex := range Examples {
		t.Run(ex.Name, func(t *testing.T) {
			committed := filepath.Join(examplesDir, ex.Name)
			if *update {
				exampleFiles(t, ex, committed)
			}
			fresh := exampleFiles(t, ex, t.TempDir())
			sameFile(t, filepath.Join(committed, ex.Name+".yaml"), fresh)
			if ex.CSV {
				roster := ex.Name + ".roster.csv"
				sameFile(t, filepath.Join(committed, roster), filepath.Join(filepath.Dir(fresh), roster))
			}
			sc, err := model.Load(filepath.Join(committed, ex.Name+".yaml"))
			if err != nil {
				t.Fatalf("committed example does not load:\n%v", err)
			}
			in, err := model.Compile(sc)
			if err != nil {
				t.Fatal(err)
			}
			if pc := model.PinConflicts(in); len(pc) > 0 {
				t.Errorf("pins conflict: %+v", pc)
			}
			checkWishesAndPins(t, in)
		})
	}
}

func schoolNamed(t *testing.T, sc *model.Scenario, name string) *model.School {
	t.Helper()
	for i := range sc.Schools {
		if sc.Schools[i].Name == name {
			return &sc.Schools[i]
		}
	}
	t.Fatalf("no school %s", name)
	return nil
}

func groupsOf(sc *model.Scenario) []string {
	var gs []string
	for _, s := range sc.Schools {
		if s.Group != "" && !slices.Contains(gs, s.Group) {
			gs = append(gs, s.Group)
		}
	}
	return gs
}

func TestWenjiang(t *testing.T) {
	sc := Wenjiang()
	if g := groupsOf(sc); len(g) != 12 {
		t.Errorf("%d groups, want 12", len(g))
	}
	for _, members := range [][]string{
		{"温江中学", "涌泉学校", "永宁中学", "公平学校"},
		{"东大街第一小学", "万春学校", "通平小学"},
		{"庆丰小学", "和盛小学", "金马学校"},
	} {
		lead := schoolNamed(t, sc, members[0])
		if lead.Tier != 1 {
			t.Errorf("%s: tier %d, want 1", lead.Name, lead.Tier)
		}
		for _, m := range members[1:] {
			if s := schoolNamed(t, sc, m); s.Group != lead.Group || s.Group == "" {
				t.Errorf("%s is in group %q, want %s's group %q", m, s.Group, lead.Name, lead.Group)
			}
		}
	}
	if r := sc.Policy.Routes; len(r) != 1 || !r[0].SameGroup || len(r[0].From.Category)+len(r[0].To.Category) != 0 {
		t.Errorf("routes %+v, want only same_group", r)
	}
	q := sc.Policy.Quotas
	if len(q) != 1 || !q[0].Each || q[0].MinShare != 0.10 || q[0].MinBackboneShare != 0.20 {
		t.Errorf("quotas %+v, want one per-school 10%%/20%%", q)
	}
	near(t, sc, 30.68, 103.85, 20)
}

func TestJinchuan(t *testing.T) {
	sc := Jinchuan()
	in, err := model.Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	for _, pair := range [][2]string{{"市三小", "双湾镇中心小学"}, {"实验小学", "东四沟小学"}, {"市六小", "农垦小学"}, {"市七小", "天生炕小学"}} {
		city, village := schoolNamed(t, sc, pair[0]), schoolNamed(t, sc, pair[1])
		if city.Group == "" || city.Group != village.Group || city.Category != model.Urban || village.Category != model.Rural {
			t.Errorf("%s (%s, %s) and %s (%s, %s): want an urban and a rural school in one group",
				city.Name, city.Category, city.Group, village.Name, village.Category, village.Group)
		}
		v, c := in.SchoolIndex[village.ID], in.SchoolIndex[city.ID]
		if !in.RouteAllows(c, v) || in.RouteAllows(v, c) {
			t.Errorf("routes: %s -> %s must be allowed, the reverse not", city.Name, village.Name)
		}
		for _, k := range []string{"music", "pe", "art"} {
			cell := in.Cell(v, in.SubjectIndex[k])
			if in.Staff[cell] != 0 || in.Short(cell) == 0 {
				t.Errorf("%s %s: staff %d, short %d; want no teacher and open posts", village.Name, k, in.Staff[cell], in.Short(cell))
			}
		}
	}
	for _, s := range sc.Subjects {
		if want := map[string]bool{"music": true, "pe": true, "art": true}[s.ID]; want != (s.Priority > 2) {
			t.Errorf("subject %s priority %v: want music/PE/art above every other", s.ID, s.Priority)
		}
	}
	near(t, sc, 38.5, 102.19, 40)
}

func TestJiulongpo(t *testing.T) {
	sc := Jiulongpo()
	in, err := model.Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(sc.Teachers); n < 13000 || n > 15000 {
		t.Errorf("%d teachers, want about 14,000", n)
	}
	if g := groupsOf(sc); len(g) != 10 {
		t.Errorf("%d groups, want 10", len(g))
	}
	target, bb := 0, 0
	for _, u := range in.Units {
		target += u.Target
	}
	for t := range sc.Teachers {
		if in.Backbone[t] {
			bb++
		}
	}
	if target < 180 || target > 220 {
		t.Errorf("quota targets sum to %d moves, want about 200", target)
	}
	if s := share(bb, len(sc.Teachers)); s < 0.2 {
		t.Errorf("backbone share %.2f, want many (>= 0.2)", s)
	}
	if sc.Policy.Quotas[0].MinBackboneShare < 0.4 {
		t.Errorf("backbone share of moves %v, want >= 0.4", sc.Policy.Quotas[0].MinBackboneShare)
	}
	ex := Examples[slices.IndexFunc(Examples, func(e Example) bool { return e.Name == "jiulongpo" })]
	if !ex.CSV {
		t.Error("the Jiulongpo roster must be a CSV file")
	}
	near(t, sc, 29.5, 106.5, 40)
}

// near: every school within km of the place's real coordinates.
func near(t *testing.T, sc *model.Scenario, lat, lon, km float64) {
	t.Helper()
	at := model.Location{Lat: lat, Lon: lon}
	for _, s := range sc.Schools {
		if d := model.Haversine(&at, s.Location); d > km {
			t.Errorf("%s is %.1f km from %.2fN %.2fE", s.Name, d, lat, lon)
		}
	}
}
