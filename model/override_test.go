package model

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestOverridesByIndexIDAndCreatedKeys(t *testing.T) {
	sc, err := LoadOverridden(tinyFile(t), []string{
		"policy.quotas[0].min_share=0.15",      // list index
		"schools[R1].demand.music=3",           // list item by id
		"teachers[T03].years=9",                // teacher by id
		"objective.km=2",                       // creates the objective mapping
		"policy.eligibility.age_limit.male=50", // creates age_limit
		"pins[T05].to=R1",                      // pin by teacher
		"forbid[0]={teacher: T11, to: T1}",     // replace a whole item
		"policy.quotas[城区学校交流比例].each=false",   // quota by name
		"name=what if",                         // a plain string
	})
	if err != nil {
		t.Fatal(err)
	}
	q := sc.Policy.Quotas[0]
	if q.MinShare != 0.15 || q.Each {
		t.Errorf("quota: min_share %v each %v", q.MinShare, q.Each)
	}
	if got := sc.Schools[3].Demand["music"]; got != 3 {
		t.Errorf("R1 music demand %d", got)
	}
	if sc.Teachers[2].ID != "T03" || sc.Teachers[2].Years != 9 {
		t.Errorf("T03 years %d", sc.Teachers[2].Years)
	}
	if sc.Objective.Km != 2 || sc.Objective.Quota != 1000 {
		t.Errorf("objective %+v", sc.Objective)
	}
	if a := sc.Policy.Eligibility.AgeLimitMale; a == nil || *a != 50 {
		t.Errorf("age limit %v", a)
	}
	if sc.Pins[0].To != "R1" {
		t.Errorf("pin to %s", sc.Pins[0].To)
	}
	if len(sc.Forbids) != 1 || sc.Forbids[0].To != "T1" {
		t.Errorf("forbids %+v", sc.Forbids)
	}
	if sc.Name != "what if" {
		t.Errorf("name %q", sc.Name)
	}
}

func TestOverrideValueTypes(t *testing.T) {
	sc, err := LoadOverridden(tinyFile(t), []string{
		"teachers[T06].also=[pe, music]",
		"schools[U1].location={lat: 30.5, lon: 103.5}",
		"teachers[T01].volunteer=true",
		"policy.limits.max_outflow_share=0.25",
		"teachers[T01].title=一级",
		"policy.limits.max_km=", // empty: null, that is absent
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(sc.Teachers[5].Also, ","); got != "pe,music" {
		t.Errorf("also %q", got)
	}
	if l := sc.Schools[0].Location; l == nil || l.Lat != 30.5 || l.Lon != 103.5 {
		t.Errorf("location %+v", l)
	}
	if !sc.Teachers[0].Volunteer || sc.Teachers[0].Title != "一级" {
		t.Errorf("T01 %+v", sc.Teachers[0])
	}
	if s := sc.Policy.Limits.MaxOutflowShare; s == nil || *s != 0.25 {
		t.Errorf("max_outflow_share %v", s)
	}
	if sc.Policy.Limits.MaxKm != nil {
		t.Errorf("max_km should be absent, got %v", *sc.Policy.Limits.MaxKm)
	}
}

func TestOverrideBadPaths(t *testing.T) {
	cases := []struct{ set, want string }{
		{"schools[S99].demand.music=3", `--set schools[S99].demand.music=3: no item with id "S99" in schools`},
		{"policy.quotas[3].min_share=0.1", "--set policy.quotas[3].min_share=0.1: index 3 out of range: policy.quotas has 1 items"},
		{"year[0]=1", "year is \"2027\", not a list"},
		{"year.month=1", "year is \"2027\", not a mapping: cannot set month in it"},
		{"policy.routes[0].from.category.x=1", "policy.routes[0].from.category is a list, not a mapping"},
		{"policy.nothing[0]=1", "policy.nothing does not exist"},
		{"policy.quotas=", ""}, // valid: removes the quotas
		{"novalue", "--set novalue: expected PATH=VALUE"},
		{"=3", "empty path"},
		{"a..b=3", "empty key"},
		{"schools[S01=3", "missing ]"},
		{"schools[]=3", "empty []"},
		{"name=[unclosed", "not valid YAML"},
	}
	for _, c := range cases {
		_, err := LoadOverridden(tinyFile(t), []string{c.set})
		if c.want == "" {
			if err != nil {
				t.Errorf("%s: unexpected error %v", c.set, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.set, err, c.want)
		}
	}
}

func TestOverrideErrorsAllAtOnce(t *testing.T) {
	_, err := LoadOverridden(tinyFile(t), []string{"schools[X].id=1", "policy.quotas[0].min_share=0.2", "teachers[Y].years=1"})
	list, ok := err.(ErrorList)
	if !ok || len(list) != 2 {
		t.Fatalf("want 2 errors, got %v", err)
	}
	if !strings.HasPrefix(list[0].Error(), "--set schools[X].id=1:") || !strings.HasPrefix(list[1].Error(), "--set teachers[Y].years=1:") {
		t.Errorf("errors in the wrong order or form:\n%v", err)
	}
}

// Validation errors in a value set by --set name the override, never a line.
func TestOverrideValidationErrorsNameTheOverride(t *testing.T) {
	_, err := LoadOverridden(tinyFile(t), []string{"objective.km=1", "policy.quotas[0].min_share=1.5", "schools[U1].demand={music: x}"})
	if err == nil {
		t.Fatal("want errors")
	}
	msg := err.Error()
	for _, w := range []string{"--set policy.quotas[0].min_share: ", "min_share must be in [0, 1], got 1.5", "--set schools[U1].demand: "} {
		if !strings.Contains(msg, w) {
			t.Errorf("error lacks %q:\n%s", w, msg)
		}
	}
	if strings.Contains(msg, "tiny.yaml:") {
		t.Errorf("an override's error points into the file:\n%s", msg)
	}
}

func TestOverrideCSVRoster(t *testing.T) {
	dir := t.TempDir()
	scen := "version: 1\nyear: 2027\nschools:\n  - {id: A, category: urban, demand: {math: 1}}\n  - {id: B, category: rural, demand: {math: 1}}\nteachers_csv: roster.csv\n"
	roster := "id,school,subject,years\nT1,A,math,7\nT2,A,math,8\n"
	if err := os.WriteFile(filepath.Join(dir, "s.yaml"), []byte(scen), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "roster.csv"), []byte(roster), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadOverridden(filepath.Join(dir, "s.yaml"), []string{"teachers[T1].years=3"})
	if err == nil || !strings.Contains(err.Error(), "the roster is a CSV file (teachers_csv)") {
		t.Errorf("error %v", err)
	}
	sc, err := LoadOverridden(filepath.Join(dir, "s.yaml"), []string{"schools[B].demand.math=2"})
	if err != nil || sc.Schools[1].Demand["math"] != 2 {
		t.Errorf("a school override on a CSV-roster scenario: %v", err)
	}
}

func TestApplyOverridesMarksPositions(t *testing.T) {
	root, err := Parse("x.yaml", []byte("a: {b: 1}\nc: [1, 2]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := ApplyOverrides(root, []string{"a.b=2", "c[1]={d: [3]}", "e.f=4"}); err != nil {
		t.Fatal(err)
	}
	var walk func(n *yaml.Node, want int)
	walk = func(n *yaml.Node, want int) {
		if n.Line != 0 || n.Column != want {
			t.Errorf("node %q at %d:%d, want 0:%d", n.Value, n.Line, n.Column, want)
		}
		for _, c := range n.Content {
			walk(c, want)
		}
	}
	walk(lookup(lookup(root, "a"), "b"), 1)
	walk(lookup(root, "c").Content[1], 2)
	walk(lookup(root, "e"), 3)
	if n := lookup(root, "c").Content[0]; n.Line != 2 {
		t.Errorf("untouched item moved to line %d", n.Line)
	}
	out, _ := yaml.Marshal(root)
	if got := string(out); got != "a: {b: 2}\nc: [1, {d: [3]}]\ne:\n    f: 4\n" {
		t.Errorf("tree after overrides:\n%s", got)
	}
}

func ExampleApplyOverrides() {
	root, _ := Parse("county.yaml", []byte("schools:\n  - {id: S01, demand: {music: 1}}\npolicy:\n  quotas:\n    - {name: q, min_share: 0.1}\n"))
	err := ApplyOverrides(root, []string{
		"schools[S01].demand.music=3",     // by id
		"policy.quotas[0].min_share=0.15", // by index
		"policy.limits.max_km=30",         // limits is created
	})
	fmt.Println(err)
	out, _ := yaml.Marshal(root)
	fmt.Print(string(out))
	fmt.Println(ApplyOverrides(root, []string{"schools[S99].demand.music=3"}))
	// Output:
	// <nil>
	// schools:
	//     - {id: S01, demand: {music: 3}}
	// policy:
	//     quotas:
	//         - {name: q, min_share: 0.15}
	//     limits:
	//         max_km: 30
	// --set schools[S99].demand.music=3: no item with id "S99" in schools
}

// FuzzApplyOverrides: any override either applies or is an error naming
// it; nothing panics, and a tree that was changed still decodes without panicking.
func FuzzApplyOverrides(f *testing.F) {
	for _, s := range []string{"schools[U1].demand.music=3", "policy.quotas[0].min_share=0.15", "a[0][1].b=[1, {c: d}]",
		"teachers[T01]=", "pins[T05].to=R1", "x.y.z={", "forbid[-1]=1", "schools[U1].x[0]=*a", "name=&a [*a]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, set string) {
		root, err := Parse("tiny.yaml", []byte(tinyYAML))
		if err != nil {
			t.Fatal(err)
		}
		err = ApplyOverrides(root, []string{set})
		if err != nil {
			list, ok := err.(ErrorList)
			if !ok || len(list) != 1 || !strings.HasPrefix(list[0].Error(), "--set "+set+": ") {
				t.Fatalf("error %v", err)
			}
			return
		}
		_, _ = Decode("tiny.yaml", root, ".")
	})
}

// A misspelt key created by --set is reported at the override, with the suggestion.
func TestOverrideUnknownKey(t *testing.T) {
	_, err := LoadOverridden(tinyFile(t), []string{"policy.limitz.max_km=3", "teachers[T01].agee=3"})
	want := "--set policy.limitz.max_km: policy: unknown key \"limitz\" (did you mean \"limits\"?)\n" +
		"--set teachers[T01].agee: teacher T01: unknown key \"agee\" (did you mean \"age\"?)"
	if err == nil || err.Error() != want {
		t.Errorf("error:\n%v\nwant:\n%s", err, want)
	}
}
