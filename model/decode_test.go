package model

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// decodeText decodes a scenario text named s.yaml in dir (where a roster
// may be), returning the scenario and the error lines.
func decodeText(t *testing.T, dir, text string) (*Scenario, []string) {
	t.Helper()
	path := filepath.Join(dir, "s.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	sc, err := Load(path)
	if err == nil {
		return sc, nil
	}
	list, ok := err.(ErrorList)
	if !ok {
		t.Fatalf("error %T %v, want an ErrorList", err, err)
	}
	var lines []string
	for _, e := range list {
		if e.Pos.Line < 1 || e.Pos.Col < 1 {
			t.Errorf("error without a position: %v", e)
		}
		lines = append(lines, strings.TrimPrefix(e.Error(), dir+string(filepath.Separator)))
	}
	return sc, lines
}

// smallHead is the start of a small valid scenario; rows append to it. Lines:
// 1 version, 2 year, 3 schools, 4 S1, 5 S2, 6 teachers, 7 T1.
const smallHead = `version: 1
year: 2027
schools:
  - {id: S1, category: urban, group: G1}
  - {id: S2, category: rural}
teachers:
  - {id: T1, school: S1, subject: math, years: 8}
`

// withCatalog is smallHead with a subjects catalogue: lines 3-5 are the catalogue,
// 6 schools, 7 S1, 8 S2, 9 teachers, 10 T1.
const withCatalog = `version: 1
year: 2027
subjects:
  math: {name: 数学}
  music:
schools:
  - {id: S1, category: urban, group: G1}
  - {id: S2, category: rural}
teachers:
  - {id: T1, school: S1, subject: math, years: 8}
`

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"empty file", ``, []string{`s.yaml:1:1: the scenario file is empty`}},
		{"only comments", "# nothing\n\n", []string{`s.yaml:1:1: the scenario file is empty`}},
		{"not a mapping", "- 1\n- 2\n", []string{`s.yaml:1:1: scenario: expected a mapping, got a list`}},
		// yaml.v3 says "line 3" (where the mapping starts); the problem is the ':' on line 5.
		{"syntax indentation", "version: 1\nyear: 2027\nschools:\n  - id: S1\n     category: urban\n",
			[]string{`s.yaml:5:14: YAML syntax: mapping values are not allowed in this context`}},
		{"syntax unclosed flow", smallHead + "  - {id: T2, school: S1, subject: math, years: 8, also: [pe}\n",
			[]string{`s.yaml:8:60: YAML syntax: did not find expected ',' or ']'`}},
		{"syntax tab", "version: 1\n\tyear: 2027\n", []string{`s.yaml:2:1: YAML syntax: found a tab character that violates indentation`}},
		{"syntax unknown alias", smallHead + "pins: *nothing\n", []string{`s.yaml:8:7: YAML syntax: unknown anchor 'nothing' referenced`}},
		{"missing version and year", "schools: []\nteachers: []\n", []string{
			`s.yaml:1:1: scenario: missing required key "version"`,
			`s.yaml:1:1: scenario: missing required key "year"`}},
		{"version 2", strings.Replace(smallHead, "version: 1", "version: 2", 1),
			[]string{`s.yaml:1:10: scenario: version 2 is not supported (this rotaplan reads version 1)`}},
		{"version a string", strings.Replace(smallHead, "version: 1", `version: "1"`, 1),
			[]string{`s.yaml:1:10: scenario: version: expected an integer, got "1"`}},
		{"year empty", strings.Replace(smallHead, "year: 2027", "year:", 1),
			[]string{`s.yaml:2:1: scenario: year has no value`}},
		{"unknown top key", smallHead + "objectives: {}\n",
			[]string{`s.yaml:8:1: scenario: unknown key "objectives" (did you mean "objective"?)`}},
		{"repeated top key", smallHead + "year: 2028\n",
			[]string{`s.yaml:8:1: scenario: key "year" repeated (first at line 2)`}},
		{"no teachers", "version: 1\nyear: 2027\nschools: []\n",
			[]string{`s.yaml:1:1: scenario: missing required key "teachers" (or "teachers_csv")`}},
		{"teachers and roster", smallHead + "teachers_csv: r.csv\n",
			[]string{`s.yaml:8:1: scenario: give either teachers or teachers_csv, not both`}},
		{"unknown school key", strings.Replace(smallHead, "category: rural}", "category: rural, kind: 1}", 1),
			[]string{`s.yaml:5:31: school S2: unknown key "kind"`}},
		{"school wrong types", strings.Replace(smallHead, "category: rural}", "category: rural, tier: 1.5, students: many, location: here, demand: [1]}", 1), []string{
			`s.yaml:5:37: school S2: tier: expected an integer, got "1.5"`,
			`s.yaml:5:52: school S2: students: expected an integer, got "many"`,
			`s.yaml:5:68: school S2: location: expected a mapping, got "here"`,
			`s.yaml:5:82: school S2: demand: expected a mapping of subject: posts, got a list`}},
		{"school missing id and category", strings.Replace(smallHead, "{id: S2, category: rural}", "{name: 二小}", 1), []string{
			`s.yaml:5:5: schools[1]: missing required key "category"`,
			`s.yaml:5:5: schools[1]: missing required key "id"`}},
		{"school enums and ranges", strings.Replace(smallHead, "{id: S2, category: rural}",
			"{id: S2, category: rural, stage: high, tier: 0, students: -1, priority: 0, location: {lat: 91, lon: -181}, demand: {math: -2}}", 1), []string{
			`s.yaml:5:38: school S2: stage "high" is not one of primary, junior, nine_year`,
			`s.yaml:5:50: school S2: tier must be >= 1, got 0`,
			`s.yaml:5:63: school S2: students must be >= 0, got -1`,
			`s.yaml:5:77: school S2: priority must be > 0, got 0`,
			`s.yaml:5:96: school S2: lat must be in [-90, 90], got 91`,
			`s.yaml:5:105: school S2: lon must be in [-180, 180], got -181`,
			`s.yaml:5:127: school S2: demand math must be >= 0, got -2`}},
		{"category enum", strings.Replace(smallHead, "category: rural", "category: village", 1),
			[]string{`s.yaml:5:24: school S2: category "village" is not one of urban, town, rural`}},
		{"duplicate school", strings.Replace(smallHead, "{id: S2", "{id: S1", 1),
			[]string{`s.yaml:5:5: school S1: duplicate school id (first at line 4)`}},
		{"unknown teacher key", smallHead + "  - {id: T2, school: S1, subject: math, years: 8, hobby: go}\n",
			[]string{`s.yaml:8:51: teacher T2: unknown key "hobby"`}},
		{"teacher missing keys", smallHead + "  - {id: T2, name: 李}\n", []string{
			`s.yaml:8:5: teacher T2: missing required key "school"`,
			`s.yaml:8:5: teacher T2: missing required key "subject"`,
			`s.yaml:8:5: teacher T2: missing required key "years"`}},
		{"teacher wrong types", smallHead + "  - {id: T2, school: S1, subject: [math], years: 8.5, volunteer: 1, age: old, wishes: {a: 1}}\n", []string{
			`s.yaml:8:35: teacher T2: subject: expected a string, got a list`,
			`s.yaml:8:50: teacher T2: years: expected an integer, got "8.5"`,
			`s.yaml:8:66: teacher T2: volunteer: expected true or false, got "1"`,
			`s.yaml:8:74: teacher T2: age: expected an integer, got "old"`,
			`s.yaml:8:87: teacher T2: wishes: expected a list, got a mapping`}},
		{"teacher enums and ranges", smallHead + "  - {id: T2, school: S1, subject: math, years: -1, gender: x, backbone: national, last_rotated: -3}\n", []string{
			`s.yaml:8:48: teacher T2: years must be >= 0, got -1`,
			`s.yaml:8:60: teacher T2: gender "x" is not one of male, female`,
			`s.yaml:8:73: teacher T2: backbone "national" is not one of none, school, county, city, province`,
			`s.yaml:8:97: teacher T2: last_rotated must be >= 0, got -3`}},
		{"duplicate teacher", smallHead + "  - {id: T1, school: S2, subject: math, years: 1}\n",
			[]string{`s.yaml:8:5: teacher T1: duplicate teacher id (first at line 7)`}},
		{"dangling school and wish", smallHead + "  - {id: T2, school: S9, subject: math, years: 1, wishes: [S2, S8]}\n", []string{
			`s.yaml:8:22: teacher T2: school "S9" does not exist`,
			`s.yaml:8:64: teacher T2: wish "S8" is not a school`}},
		{"subjects not in catalogue", strings.Replace(withCatalog, "{id: S2, category: rural}", "{id: S2, category: rural, demand: {art: 1}}", 1) +
			"  - {id: T2, school: S1, subject: pe, also: [music, art], years: 1}\n" +
			"pins:\n  - {teacher: T1, to: S2, subject: chess}\n", []string{
			`s.yaml:8:40: school S2: subject "art" is not in the subjects catalogue`,
			`s.yaml:11:35: teacher T2: subject "pe" is not in the subjects catalogue`,
			`s.yaml:11:53: teacher T2: subject "art" is not in the subjects catalogue`,
			`s.yaml:13:36: pin of teacher T1: subject "chess" is not in the subjects catalogue`,
			`s.yaml:13:36: pin of teacher T1: the teacher cannot teach chess (subject math, nothing else)`}},
		{"catalogue problems", strings.Replace(withCatalog, "  music:\n", "  music: {priority: 0, hours: 2}\n  math: {}\n  art: 3\n", 1), []string{
			`s.yaml:5:24: subject music: unknown key "hours"`,
			`s.yaml:5:21: subject music: priority must be > 0, got 0`,
			`s.yaml:6:3: subject math: duplicate subject (first at line 4)`,
			`s.yaml:7:8: subject art: expected a mapping, got "3"`}},
		{"pins and forbids", smallHead + "pins:\n  - {teacher: T9, to: S2}\n  - {teacher: T1, to: S1}\n  - {teacher: T1, to: S7, why: x}\n  - {to: S2}\n" +
			"forbid:\n  - {teacher: T8}\n  - {teacher: T1, to: S6}\n  - {teacher: T1, from: S1}\n", []string{
			`s.yaml:9:15: pin of teacher T9: teacher "T9" does not exist`,
			`s.yaml:10:23: pin of teacher T1: the teacher is already at S1`,
			`s.yaml:11:5: pin of teacher T1: the teacher is pinned twice (first at line 10)`,
			`s.yaml:11:23: pin of teacher T1: school "S7" does not exist`,
			`s.yaml:11:27: pin 3: unknown key "why"`,
			`s.yaml:12:5: pin 4: missing required key "teacher"`,
			`s.yaml:14:15: forbid of teacher T8: teacher "T8" does not exist`,
			`s.yaml:16:5: forbid of teacher T1: forbids the move pinned at line 10 (to S1)`,
			`s.yaml:15:23: forbid of teacher T1: school "S6" does not exist`,
			`s.yaml:16:19: forbid 3: unknown key "from"`}},
		{"pin and forbid on the same move", smallHead + "  - {id: T2, school: S1, subject: math, also: [pe], years: 1}\n" +
			"pins:\n  - {teacher: T2, to: S2, subject: music}\nforbid:\n  - {teacher: T2}\n", []string{
			`s.yaml:10:36: pin of teacher T2: the teacher cannot teach music (subject math, also pe)`,
			`s.yaml:12:5: forbid of teacher T2: forbids the move pinned at line 10 (to S2)`}},
		{"pinned twice", smallHead + "pins:\n  - {teacher: T1, to: S2}\n  - {teacher: T1, to: S2}\n",
			[]string{`s.yaml:10:5: pin of teacher T1: the teacher is pinned twice (first at line 9)`}},
		{"policy", smallHead + `policy:
  eligibility: {min_years: -1, cooldown_years: -2, age_limit: {male: 0, women: 50}}
  backbone_levels: [county, nation]
  quotas:
    - {name: 城区, from: {category: [metro], schools: [S1, S3], group: [G9], tier: [0, x], size: 1}, each: 1, min_share: 1.1, min_backbone_share: -0.1}
    - 0.1
  limits: {max_km: -5, max_outflow_share: 2, source_deficit: -1, min_km: 1}
  routes:
    - {from: {schools: [S4]}, to: {}, same_group: yes, via: S1}
  rules: []
`, []string{
			`s.yaml:9:28: policy.eligibility: min_years must be >= 0, got -1`,
			`s.yaml:9:48: policy.eligibility: cooldown_years must be >= 0, got -2`,
			`s.yaml:9:70: policy.eligibility.age_limit: male must be > 0, got 0`,
			`s.yaml:9:73: policy.eligibility.age_limit: unknown key "women"`,
			`s.yaml:10:29: policy: backbone_levels: "nation" is not one of none, school, county, city, province`,
			`s.yaml:12:36: quota "城区": from: category "metro" is not one of urban, town, rural`,
			`s.yaml:12:58: quota "城区": from: school "S3" does not exist`,
			`s.yaml:12:71: quota "城区": from: group "G9" is not the group of any school`,
			`s.yaml:12:83: quota "城区": from: tier must be >= 1, got 0`,
			`s.yaml:12:86: quota "城区": from: tier: expected an integer, got "x"`,
			`s.yaml:12:90: quota "城区": from: unknown key "size"`,
			`s.yaml:12:106: quota "城区": each: expected true or false, got "1"`,
			`s.yaml:12:120: quota "城区": min_share must be in [0, 1], got 1.1`,
			`s.yaml:12:145: quota "城区": min_backbone_share must be in [0, 1], got -0.1`,
			`s.yaml:13:7: quota 2: expected a mapping, got "0.1"`,
			`s.yaml:14:20: policy.limits: max_km must be >= 0, got -5`,
			`s.yaml:14:43: policy.limits: max_outflow_share must be in [0, 1], got 2`,
			`s.yaml:14:62: policy.limits: source_deficit must be >= 0, got -1`,
			`s.yaml:14:66: policy.limits: unknown key "min_km" (did you mean "max_km"?)`,
			`s.yaml:16:25: route 1: from: school "S4" does not exist`,
			`s.yaml:16:51: route 1: same_group: expected true or false, got "yes"`,
			`s.yaml:16:56: route 1: unknown key "via"`,
			`s.yaml:17:3: policy: unknown key "rules"`,
			`s.yaml:7:5: teacher T1: gender is required when policy.eligibility.age_limit is set`,
			`s.yaml:4:5: school S1: location is required when policy.limits.max_km is set`,
			`s.yaml:5:5: school S2: location is required when policy.limits.max_km is set`}},
		{"objective", smallHead + "objective: {quota: -1, fill: x, wishes: 3}\n", []string{
			`s.yaml:8:20: objective: quota must be >= 0, got -1`,
			`s.yaml:8:30: objective: fill: expected a number, got "x"`,
			`s.yaml:8:33: objective: unknown key "wishes" (did you mean "wish"?)`}},
		{"age limit needs gender and age", smallHead + "  - {id: T2, school: S1, subject: math, years: 9, gender: male}\n" +
			"policy: {eligibility: {age_limit: {male: 55}}}\n", []string{
			`s.yaml:7:5: teacher T1: gender is required when policy.eligibility.age_limit is set`,
			`s.yaml:8:5: teacher T2: age is required when policy.eligibility.age_limit.male is set`}},
		{"roster missing", strings.Replace(smallHead, "teachers:\n  - {id: T1, school: S1, subject: math, years: 8}\n", "teachers_csv: none.csv\n", 1),
			[]string{`s.yaml:6:15: scenario: teachers_csv: cannot read roster ` + "none.csv" + `: no such file or directory`}},
		{"roster path empty", strings.Replace(smallHead, "teachers:\n  - {id: T1, school: S1, subject: math, years: 8}\n", "teachers_csv: \"\"\n", 1),
			[]string{`s.yaml:6:15: scenario: teachers_csv: the roster path is empty`}},
		{"merge key not a mapping", smallHead + "  - {<<: [1], id: T2, school: S1, subject: math, years: 1}\n",
			[]string{`s.yaml:8:11: teacher T2: <<: expected a mapping to merge, got "1"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			text := strings.ReplaceAll(tc.text, "none.csv", filepath.Join(dir, "none.csv"))
			_, got := decodeText(t, dir, text)
			want := tc.want
			for i := range want {
				want[i] = strings.ReplaceAll(want[i], "none.csv", filepath.Join(dir, "none.csv"))
			}
			sortLines(want)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// sortLines sorts expected lines the way ErrorList.Sort does, so that the
// table can list them in reading order.
func sortLines(lines []string) {
	var l ErrorList
	for _, s := range lines {
		var e Error
		parts := strings.SplitN(s, ":", 4)
		e.Pos.File = parts[0]
		e.Pos.Line = atoiOr0(parts[1])
		e.Pos.Col = atoiOr0(parts[2])
		e.Msg = strings.TrimPrefix(parts[3], " ")
		l = append(l, &e)
	}
	l.Sort()
	for i, e := range l {
		lines[i] = e.Error()
	}
}

func atoiOr0(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// Valid inputs in the forms planners write them decode, with the defaults.
func TestDecodeValid(t *testing.T) {
	dir := t.TempDir()
	sc, errs := decodeText(t, dir, withCatalog)
	if errs != nil {
		t.Fatal(errs)
	}
	if sc.Version != 1 || sc.Year != 2027 || !sc.HasCatalog || len(sc.Subjects) != 2 {
		t.Errorf("scenario %+v", sc)
	}
	// music: with no value is a catalogue entry with the defaults.
	if s := sc.Subjects[1]; s.ID != "music" || s.Priority != 1 || s.Name != "" {
		t.Errorf("music = %+v", s)
	}
	s2 := sc.Schools[1]
	if s2.Tier != 1 || s2.Priority != 1 || s2.Location != nil || s2.Students != nil || len(s2.Demand) != 0 {
		t.Errorf("school defaults: %+v", s2)
	}
	p := sc.Policy
	if p.Eligibility.MinYears != 6 || p.Eligibility.CooldownYears != nil || p.Eligibility.AgeLimitMale != nil {
		t.Errorf("eligibility defaults: %+v", p.Eligibility)
	}
	if !reflect.DeepEqual(p.BackboneLevels, []string{"county", "city", "province"}) || len(p.Quotas) != 0 || len(p.Routes) != 0 ||
		p.Limits.MaxKm != nil || p.Limits.MaxOutflowShare != nil || p.Limits.SourceDeficit != 0 {
		t.Errorf("policy defaults: %+v", p)
	}
	if sc.Objective != (Weights{Quota: 1000, Backbone: 1000, Fill: 100, Deficit: 200, Km: 1, Wish: 50}) {
		t.Errorf("objective defaults: %+v", sc.Objective)
	}
	if len(sc.SHA256) != 64 {
		t.Errorf("sha256 %q", sc.SHA256)
	}
}

func TestDecodeValidForms(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		check func(t *testing.T, sc *Scenario)
	}{
		{"lists as scalars or lists, quota without from, empty routes", smallHead +
			"  - {id: T2, school: S1, subject: math, years: 1, also: music, wishes: S2}\n" +
			"  - {id: T3, school: S2, subject: math, years: 1, also: [music, pe], wishes: [S1, S2], backbone: none}\n" +
			"policy:\n  quotas:\n    - {min_share: 0.1}\n    - {name: q, from: {tier: [1, 2], category: urban}, each: false}\n  routes: []\n",
			func(t *testing.T, sc *Scenario) {
				t2, t3 := sc.Teachers[1], sc.Teachers[2]
				if !reflect.DeepEqual(t2.Also, []string{"music"}) || !reflect.DeepEqual(t2.Wishes, []string{"S2"}) ||
					!reflect.DeepEqual(t3.Also, []string{"music", "pe"}) || t3.Backbone != "" {
					t.Errorf("teachers %+v %+v", t2, t3)
				}
				q := sc.Policy.Quotas
				if len(q) != 2 || !q[0].Each || q[0].MinBackboneShare != 0 || len(q[0].From.Category) != 0 ||
					q[1].Each || !reflect.DeepEqual(q[1].From.Tier, []int{1, 2}) || !reflect.DeepEqual(q[1].From.Category, []string{"urban"}) {
					t.Errorf("quotas %+v", q)
				}
				if len(sc.Policy.Routes) != 0 {
					t.Errorf("routes %+v", sc.Policy.Routes)
				}
			}},
		{"JSON", `{"version": 1, "year": 2027, "schools": [{"id": "S1", "category": "urban", "demand": {"math": 2}}],
 "teachers": [{"id": "T1", "school": "S1", "subject": "math", "years": 8, "volunteer": true}],
 "objective": {"km": 0.5}}`,
			func(t *testing.T, sc *Scenario) {
				if sc.Schools[0].Demand["math"] != 2 || !sc.Teachers[0].Volunteer || sc.Objective.Km != 0.5 || sc.Objective.Fill != 100 {
					t.Errorf("%+v", sc)
				}
			}},
		{"anchors, aliases and merge keys", "version: 1\nyear: 2027\n" +
			"schools:\n  - {id: S1, category: urban, demand: &posts {math: 1}}\n  - &village {id: S2, category: rural, demand: *posts}\n" +
			"  - {<<: *village, id: S3}\n  - {<<: [*village], id: S4, category: town}\n" +
			"teachers:\n  - &t {id: T1, school: S1, subject: math, years: 8, also: &also [music]}\n  - {<<: *t, id: T2, also: *also}\n",
			func(t *testing.T, sc *Scenario) {
				s := sc.Schools
				if len(s) != 4 || s[2].ID != "S3" || s[2].Category != "rural" || s[2].Demand["math"] != 1 ||
					s[3].ID != "S4" || s[3].Category != "town" || s[1].Demand["math"] != 1 {
					t.Errorf("schools %+v", s)
				}
				t2 := sc.Teachers[1]
				if t2.ID != "T2" || t2.School != "S1" || t2.Years != 8 || !reflect.DeepEqual(t2.Also, []string{"music"}) {
					t.Errorf("teacher %+v", t2)
				}
			}},
		{"CRLF and BOM", "\ufeffversion: 1\r\nyear: 2027\r\nschools:\r\n  - id: S1\r\n    category: urban\r\nteachers:\r\n  - {id: T1, school: S1, subject: math, years: 8}\r\n",
			func(t *testing.T, sc *Scenario) {
				if sc.Schools[0].Category != "urban" || sc.Teachers[0].Years != 8 {
					t.Errorf("%+v", sc)
				}
			}},
		{"null optional values", strings.Replace(smallHead, "{id: S2, category: rural}", "{id: S2, category: rural, name: ~, location: null, demand: }", 1) +
			"pins: []\nforbid:\npolicy: {}\nobjective:\n",
			func(t *testing.T, sc *Scenario) {
				if len(sc.Pins) != 0 || sc.Schools[1].Location != nil || sc.Objective != DefaultWeights {
					t.Errorf("%+v", sc)
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc, errs := decodeText(t, t.TempDir(), tc.text)
			if errs != nil {
				t.Fatal(strings.Join(errs, "\n"))
			}
			tc.check(t, sc)
		})
	}
}

func TestFlowClosers(t *testing.T) {
	for _, c := range []struct{ prefix, want string }{
		{"a: 1\n", "\n\n"},
		{"a: [1, {b: 2", "\n}]\n"},
		{"a: [1, {b: 2}]\nc: {d: [", "\n]}\n"},
		{`a: ["x]", 'y{', "q\"[", 'it''s [' ` + "# [ in a comment\n", "\n]\n"},
		{`a: {b: "open [`, "\n\"}\n"},
		{"title: teacher's [\nb: {c: 1", "\n}\n"},
	} {
		if got := flowClosers([]byte(c.prefix)); got != c.want {
			t.Errorf("flowClosers(%q) = %q, want %q", c.prefix, got, c.want)
		}
	}
}

// largeScenario is a county of 200 schools and 10,000 teachers in YAML.
func largeScenario() []byte {
	var b strings.Builder
	b.WriteString("version: 1\nyear: 2027\nschools:\n")
	for s := range 200 {
		fmt.Fprintf(&b, "  - {id: S%03d, name: 第%d小学, category: %s, location: {lat: 30.%03d, lon: 103.%03d}, demand: {math: 20, music: 3}}\n",
			s, s, Categories[s%3], s, s)
	}
	b.WriteString("teachers:\n")
	for t := range 10000 {
		fmt.Fprintf(&b, "  - {id: T%05d, name: 教师%d, school: S%03d, subject: %s, years: %d, age: %d, gender: %s}\n",
			t, t, t%200, []string{"math", "music"}[t%2], t%15, 25+t%30, Genders[t%2])
	}
	b.WriteString("policy:\n  quotas:\n    - {from: {category: [urban]}, min_share: 0.1, min_backbone_share: 0.2}\n")
	return []byte(b.String())
}

func BenchmarkDecodeLarge(b *testing.B) {
	data := largeScenario()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := decodeBytes(data, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// The cost of finding the line and column of a syntax error near the end
// of a large file (prefixes are parsed again, within a byte budget).
func BenchmarkSyntaxErrorLarge(b *testing.B) {
	data := append(largeScenario(), "  limits: {max_km: [40}\n"...)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		_, err := decodeBytes(data, nil)
		if l, ok := err.(ErrorList); !ok || l[0].Pos.Line != 10208 {
			b.Fatalf("%v", err)
		}
	}
}
