package model

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func tinyPlan(t *testing.T) (*Instance, []Placement, *Plan) {
	in := loadTiny(t)
	moves := []Placement{
		move(t, in, "T13", "R1", "pe"),
		move(t, in, "T05", "T1", "math"),
		move(t, in, "T08", "R1", "music"),
	}
	p := NewPlan(in, moves)
	bound := -612.5
	p.Solver = &SolverInfo{Status: "optimal", Objective: -612.5, Bound: &bound, Seconds: 0.25}
	terms := RoundTerms(Evaluate(in, moves).Terms)
	p.Objective = &terms
	return in, moves, p
}

func render(t *testing.T, p *Plan, format string) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WritePlan(&b, p, format); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestNewPlan(t *testing.T) {
	in, _, p := tinyPlan(t)
	// Sorted by teacher id; from, names, backbone and km for people.
	ids := []string{p.Moves[0].Teacher, p.Moves[1].Teacher, p.Moves[2].Teacher}
	if !reflect.DeepEqual(ids, []string{"T05", "T08", "T13"}) {
		t.Errorf("order %v", ids)
	}
	m := p.Moves[0]
	if m.Name != "陈静" || m.From != "U1" || m.To != "T1" || m.Subject != "math" || m.Backbone != "city" ||
		m.Km != Round(km(in, "U1", "T1"), 1) {
		t.Errorf("move %+v", m)
	}
	if p.Version != 1 || p.Scenario.Name != "小县 2027 学年交流轮岗 (tiny example)" || len(p.Scenario.SHA256) != 64 {
		t.Errorf("plan header %+v", p.Scenario)
	}
}

func TestPlanRoundTrip(t *testing.T) {
	in, moves, p := tinyPlan(t)
	for _, format := range []string{FormatYAML, FormatJSON, FormatCSV} {
		t.Run(format, func(t *testing.T) {
			data := render(t, p, format)
			// Same plan, same bytes; the order of the placements does not matter.
			reversed := []Placement{moves[2], moves[1], moves[0]}
			p2 := NewPlan(in, reversed)
			p2.Solver, p2.Objective = p.Solver, p.Objective
			if !bytes.Equal(data, render(t, p2, format)) {
				t.Errorf("two renderings differ")
			}
			path := filepath.Join(t.TempDir(), "plan."+format)
			if err := WriteFileAtomic(path, func(w io.Writer) error { return WritePlan(w, p, format) }); err != nil {
				t.Fatal(err)
			}
			back, err := ReadPlan(path)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Placements(in, back)
			if err != nil {
				t.Fatal(err)
			}
			// Placements come back in the plan's order: by teacher id.
			if !reflect.DeepEqual(got, []Placement{moves[1], moves[2], moves[0]}) {
				t.Errorf("placements %v", got)
			}
			for i, m := range back.Moves {
				want := p.Moves[i]
				want.Pos = m.Pos
				if m != want {
					t.Errorf("move %d: %+v, want %+v", i, m, want)
				}
				if m.Pos.File != path || m.Pos.Line < 2 {
					t.Errorf("move %d position %v", i, m.Pos)
				}
			}
			if format != FormatCSV && back.Scenario != p.Scenario {
				t.Errorf("scenario %+v", back.Scenario)
			}
		})
	}
}

func TestPlanRenderings(t *testing.T) {
	_, _, p := tinyPlan(t)
	y := string(render(t, p, FormatYAML))
	for _, want := range []string{
		"version: 1\n",
		"scenario: {name: 小县 2027 学年交流轮岗 (tiny example), sha256: " + p.Scenario.SHA256 + "}\n",
		"solver: {status: optimal, objective: -612.5, bound: -612.5, seconds: 0.25}\n",
		"  - {teacher: T05, name: 陈静, from: U1, to: T1, subject: math, backbone: city, km: ",
		// T08 has no backbone level: the key is left out.
		"  - {teacher: T08, name: 黄丽, from: U1, to: R1, subject: music, km: ",
	} {
		if !strings.Contains(y, want) {
			t.Errorf("YAML lacks %q:\n%s", want, y)
		}
	}
	c := render(t, p, FormatCSV)
	if !bytes.HasPrefix(c, []byte("\xef\xbb\xbfteacher,name,from,to,subject,backbone,km\r\n")) {
		t.Errorf("CSV does not start with a BOM and the header: %q", c[:min(len(c), 60)])
	}
	if n := bytes.Count(c, []byte("\r\n")); n != 4 {
		t.Errorf("CSV has %d lines, want header + 3", n)
	}
	empty := &Plan{Version: 1, Moves: []PlanMove{}}
	if y := string(render(t, empty, FormatYAML)); !strings.Contains(y, "moves: []\n") {
		t.Errorf("empty plan:\n%s", y)
	}
	if err := WritePlan(&bytes.Buffer{}, p, "xml"); err == nil || !strings.Contains(err.Error(), `unknown plan format "xml"`) {
		t.Errorf("xml: %v", err)
	}
}

func TestReadPlanErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	for _, c := range []struct {
		name, text string
		want       []string
	}{
		{"p.yaml", "version: 1\nmoves:\n  - {teacher: T05}\n  - {teacher: T08, to: R1, when: now}\n  - T13\n", []string{
			`p.yaml:3:5: move 1: missing required key "to"`,
			`p.yaml:4:28: move 2: unknown key "when"`,
			`p.yaml:5:5: move 3: expected a mapping, got "T13"`}},
		{"nomoves.yaml", "version: 1\n", []string{`nomoves.yaml:1:1: plan: missing required key "moves"`}},
		{"empty.yaml", "# nothing yet\n", []string{`empty.yaml:1:1: the plan file is empty`}},
		{"list.yaml", "- 1\n", []string{`list.yaml:1:1: plan: expected a mapping with moves`}},
		{"syntax.json", "{\"moves\": [\n{\"teacher\": \"T05\",, }]}\n", []string{`syntax.json:2:19: YAML syntax: did not find expected node content`}},
		{"p.csv", "\ufeffteacher,to\nT05,T1\nT08,\n", []string{`p.csv:3:1: plan: a move needs teacher and to`}},
		{"nocols.csv", "teacher,from\nT05,U1\n", []string{`nocols.csv:1:1: plan: the header needs the columns teacher and to`}},
		{"quote.csv", "teacher,to\nT05,\"T1\n", []string{`quote.csv:2:9: plan: extraneous or missing " in quoted-field`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadPlan(write(c.name, c.text))
			list, ok := err.(ErrorList)
			if !ok {
				t.Fatalf("error %T %v", err, err)
			}
			var got []string
			for _, e := range list {
				got = append(got, strings.TrimPrefix(e.Error(), dir+string(filepath.Separator)))
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
	if _, err := ReadPlan(filepath.Join(dir, "none.yaml")); err == nil || !strings.HasSuffix(err.Error(), "none.yaml: cannot read plan: no such file or directory") {
		t.Errorf("missing plan: %v", err)
	}
}

func TestPlacementsErrors(t *testing.T) {
	in := loadTiny(t)
	at := func(line int) Pos { return Pos{File: "p.yaml", Line: line, Col: 5} }
	p := &Plan{Moves: []PlanMove{
		{Teacher: "T99", To: "R1", Pos: at(3)},
		{Teacher: "T05", To: "X1", Pos: at(4)},
		{Teacher: "T06", To: "R1", Subject: "art", Pos: at(5)},
		{Teacher: "T06", To: "R1", Pos: at(6)}, // subject defaults to the teacher's, math
	}}
	got, err := Placements(in, p)
	want := "p.yaml:3:5: move: teacher \"T99\" is not in the scenario\n" +
		"p.yaml:4:5: move of teacher T05: school \"X1\" is not in the scenario\n" +
		"p.yaml:5:5: move of teacher T06: subject \"art\" is not in the scenario"
	if err == nil || err.Error() != want {
		t.Errorf("error:\n%v\nwant:\n%s", err, want)
	}
	if !reflect.DeepEqual(got, []Placement{{Teacher: teacherIdx(t, in, "T06"), To: tR1, Subject: kMath}}) {
		t.Errorf("placements %v", got)
	}
}
