package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"rotaplan/model"
	"rotaplan/solver"
)

func TestParseVary(t *testing.T) {
	cases := []struct {
		in   string
		want string // values joined by " | ", or an error substring prefixed by "!"
	}{
		{"a=0.1:0.3:0.1", "0.1 | 0.2 | 0.3"}, // not 0.30000000000000004, and 0.3 is reached
		{"a=0:1:0.25", "0.00 | 0.25 | 0.50 | 0.75 | 1.00"},
		{"a=10:40:10", "10 | 20 | 30 | 40"},
		{"a=0.7:0.1:-0.3", "0.7 | 0.4 | 0.1"},
		{"a=1:2:0.3", "1.0 | 1.3 | 1.6 | 1.9"},
		{"a=5:5:1", "5"},
		{"p=[urban],[urban, town]", "[urban] | [urban, town]"},
		{"p={lat: 1, lon: 2},x", "{lat: 1, lon: 2} | x"},
		{"a=x,y, z", "x | y | z"},
		{"a=1:2", "!want FROM:TO:STEP"},
		{"a=1:2:0", "!STEP must be non-zero"},
		{"a=2:1:1", "!STEP must be non-zero and lead from FROM to TO"},
		{"a=1:x:1", `!"x" is not a number`},
		{"a=0:1:0.00001", "!at most 10000"},
		{"=1:2:1", "!want PATH=FROM:TO:STEP"},
	}
	for _, c := range cases {
		a, err := parseVary(c.in)
		if strings.HasPrefix(c.want, "!") {
			if err == nil || !strings.Contains(err.Error(), c.want[1:]) {
				t.Errorf("%s: error %v, want %q", c.in, err, c.want[1:])
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		if got := strings.Join(a.values, " | "); got != c.want {
			t.Errorf("%s: values %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSweepUsageErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"sweep", tinyScenario}, "at least one --vary"},
		{[]string{"sweep", tinyScenario, "--vary", "a=1:2"}, "want FROM:TO:STEP"},
		{[]string{"sweep", tinyScenario, "--vary", "objective.km=1:2:1", "--format", "xml"}, `--format "xml"`},
		{[]string{"sweep", tinyScenario, "--vary", "objective.km=1:2:1", "--columns", "z,nope"}, `unknown column "nope"`},
		// A bad value is found before anything is solved, and names the point.
		{[]string{"sweep", tinyScenario, "--vary", "policy.quotas[0].min_share=0.5:1.5:0.5"},
			"--set policy.quotas[0].min_share: quota \"城区学校交流比例\": min_share must be in [0, 1], got 1.5 (sweep point policy.quotas[0].min_share=1.5)"},
		{[]string{"sweep", tinyScenario, "--vary", "schools[S99].demand.music=1:2:1"}, `no item with id "S99" in schools`},
	} {
		code, _, errs := invokeMain(c.args...)
		if code != ExitBadInput || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", c.args, code, errs, c.want)
		}
	}
}

func TestSweepGolden(t *testing.T) {
	args := []string{"sweep", tinyScenario, "--vary", "policy.quotas[0].min_share=0.1:0.3:0.1"}
	code, out, errs := invokeMain(args...)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	golden(t, "sweep/tiny.txt", out)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[1], "0.1 ") || !strings.HasPrefix(lines[3], "0.3 ") {
		t.Errorf("rows:\n%s", out)
	}
	// Same input, same bytes, whatever the number of workers.
	_, again, _ := invokeMain(append(args, "--jobs", "1")...)
	if again != out {
		t.Errorf("--jobs 1 output differs:\n%s\nvs\n%s", again, out)
	}
	code, out, errs = invokeMain(append(args, "--vary", "objective.km=1,2", "--format", "csv")...)
	if code != ExitOK {
		t.Fatalf("csv: exit %d: %s", code, errs)
	}
	golden(t, "sweep/tiny2.csv", out)
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) != 7 || rows[0][0] != "policy.quotas[0].min_share" || rows[0][1] != "objective.km" {
		t.Errorf("csv: %v %q", err, rows)
	}
}

// Every point's plan keeps the hard rules, checked by the independent
// checker, and its objective is what Evaluate says.
func TestSweepPlansPassCheck(t *testing.T) {
	for _, share := range []string{"0.1", "0.3", "0.6"} {
		in, err := loadScenario("../../examples/tiny.yaml", []string{"policy.quotas[0].min_share=" + share})
		if err != nil {
			t.Fatal(err)
		}
		res, err := solver.Solve(t.Context(), in, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Status == solver.Infeasible {
			t.Fatalf("share %s: infeasible", share)
		}
		for _, f := range model.Check(in, res.Moves, nil) {
			if f.Hard() {
				t.Errorf("share %s: %s %s", share, f.Rule, f.Message)
			}
		}
		if z := model.Evaluate(in, res.Moves).Terms.Total(); model.Round(z, 6) != model.Round(res.Objective, 6) {
			t.Errorf("share %s: solver Z %v, Evaluate %v", share, res.Objective, z)
		}
	}
}

// The SVG writer, on results made by hand: valid XML, one panel per column,
// one line per series, self-contained, and deterministic.
func TestSweepSVG(t *testing.T) {
	in, err := loadScenario(tinyScenario, nil)
	if err != nil {
		t.Fatal(err)
	}
	axes := []axis{{path: "policy.quotas[0].min_share", values: []string{"0.1", "0.2", "0.3"}}, {path: "objective.km", values: []string{"0", "1"}}}
	plans := [][]model.Placement{
		{{Teacher: 4, To: 2, Subject: in.SubjectIndex["math"]}},
		{{Teacher: 4, To: 2, Subject: in.SubjectIndex["math"]}, {Teacher: 5, To: 3, Subject: in.SubjectIndex["pe"]}},
	}
	var grid []*sweepPoint
	for i := range 6 {
		moves := plans[i%2]
		p := &sweepPoint{values: []string{axes[0].values[i/2], axes[1].values[i%2]}, in: in,
			res: &solver.Result{Status: solver.Optimal, Moves: moves}, out: model.Evaluate(in, moves)}
		grid = append(grid, p)
	}
	grid[5].res.Status, grid[5].out = solver.Infeasible, nil // an infeasible point has no values
	var a, b bytes.Buffer
	if err := writeSweepSVG(&a, "tiny <&>", axes, []string{"status", "moves", "z"}, grid); err != nil {
		t.Fatal(err)
	}
	_ = writeSweepSVG(&b, "tiny <&>", axes, []string{"status", "moves", "z"}, grid)
	if a.String() != b.String() {
		t.Error("SVG differs between runs")
	}
	counts := map[string]int{}
	dec := xml.NewDecoder(bytes.NewReader(a.Bytes()))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v\n%s", err, a.String())
		}
		if se, ok := tok.(xml.StartElement); ok {
			counts[se.Name.Local]++
			for _, at := range se.Attr {
				if at.Name.Local == "href" {
					t.Errorf("SVG links to %s: not self-contained", at.Value)
				}
			}
		}
	}
	// 2 panels (moves, z) x 2 series; 5 points with values each panel.
	if counts["polyline"] != 4 || counts["circle"] != 10 || counts["svg"] != 1 || counts["script"] != 0 {
		t.Errorf("elements %v", counts)
	}
	if !strings.Contains(a.String(), "tiny &lt;&amp;&gt;") || !strings.Contains(a.String(), ">objective.km=1</text>") {
		t.Errorf("title or legend missing:\n%s", a.String())
	}
}

// --svg writes the chart atomically next to the output, never to stdout.
func TestSweepSVGFile(t *testing.T) {
	dir := t.TempDir()
	svg := filepath.Join(dir, "sweep.svg")
	code, out, errs := invokeMain("sweep", tinyScenario, "--vary", "policy.quotas[0].min_share=0.1:0.3:0.1", "--svg", svg, "--columns", "z,moves")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	data, err := os.ReadFile(svg)
	if err != nil || !bytes.HasPrefix(data, []byte("<svg ")) || strings.Contains(out, "<svg") {
		t.Errorf("svg file: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("leftover files: %v", entries)
	}
	if f := strings.Fields(strings.SplitN(out, "\n", 2)[0]); len(f) != 3 || f[1] != "z" || f[2] != "moves" {
		t.Errorf("--columns z,moves:\n%s", out)
	}
}

// TestSweepPlumbing replaces the solver by one that moves the pinned
// teacher plus, when max_km allows it, T06 to R1 in pe, and that finishes
// the points in reverse order: rows must still come out in grid order with
// the metrics of each point's own plan.
func TestSweepPlumbing(t *testing.T) {
	var mu sync.Mutex
	started := 0
	release := make([]chan struct{}, 4)
	for i := range release {
		release[i] = make(chan struct{})
	}
	orig := sweepSolve
	defer func() { sweepSolve = orig }()
	fake := func(in *model.Instance) *solver.Result {
		moves := []model.Placement{{Teacher: in.TeacherIndex["T05"], To: in.SchoolIndex["T1"], Subject: in.SubjectIndex["math"]}}
		t06 := model.Placement{Teacher: in.TeacherIndex["T06"], To: in.SchoolIndex["R1"], Subject: in.SubjectIndex["pe"]}
		if in.Allowed(t06.Teacher, t06.To, t06.Subject) {
			moves = append(moves, t06)
		}
		if *in.Scenario.Policy.Limits.MaxKm < 5 {
			return &solver.Result{Status: solver.Infeasible}
		}
		return &solver.Result{Status: solver.Optimal, Moves: moves, Objective: model.Evaluate(in, moves).Terms.Total()}
	}
	sweepSolve = func(ctx context.Context, in *model.Instance, _ *solver.Settings) (*solver.Result, error) {
		mu.Lock()
		i := started
		started++
		mu.Unlock()
		if i+1 < len(release) {
			<-release[i+1] // wait for the next point to finish first
		}
		defer close(release[i])
		return fake(in), nil
	}
	code, out, errs := invokeMain("sweep", tinyScenario, "--vary", "policy.limits.max_km=0:15:5", "--format", "csv", "--jobs", "4")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	// Worked by hand: U1 -> T1 is 6.53 km, U1 -> R1 12.38 km (T06 moves
	// only when max_km is 15). T05 alone: quota 1000 (U2 moves nobody) -
	// fill 100 (T1 math) + km 6.53 - wish 50 (T1 is T05's only wish) =
	// 856.53. With T06: fill -400 (R1 pe, priority 2 x 2) +100 (U1 math
	// left a post short), deficit +200, km 18.91: 768.91, 2 filled, 1 emptied;
	// U1 sends 2 with 1 backbone >= 0.2 x 2, so no backbone shortfall.
	// CVs over the 4 primary schools (students 600, 500, 300, 120; P = 1520):
	// backbone per 100 after T05 moves is 1/6, 1/5, 1/3, 0 with mean
	// 300/1520, CV 0.427; PE/art 2/6, 1/5, 0, 0 -> 0.681, and with T06 in
	// R1's PE post 2/6, 1/5, 0, 1/1.2 with mean 400/1520 -> 0.784.
	want := `policy.limits.max_km,status,moves,quota_short,backbone_short,filled,emptied,km,z,cv_primary_backbone,cv_primary_pe_art
0,infeasible,,,,,,,,,
5,optimal,1,1,0,1,0,6.5,856.53,0.427,0.681
10,optimal,1,1,0,1,0,6.5,856.53,0.427,0.681
15,optimal,2,1,0,2,1,18.9,768.91,0.427,0.784
`
	if out != want {
		t.Errorf("got:\n%s\nwant:\n%s", out, want)
	}
	if started != 4 {
		t.Errorf("%d points solved, want 4", started)
	}
	sweepSolve = func(ctx context.Context, in *model.Instance, _ *solver.Settings) (*solver.Result, error) {
		return fake(in), nil
	}
	_, js, _ := invokeMain("sweep", tinyScenario, "--vary", "policy.limits.max_km=5:15:10", "--format", "json", "--jobs", "1")
	var r sweepJSON
	if err := json.Unmarshal([]byte(js), &r); err != nil {
		t.Fatalf("%v\n%s", err, js)
	}
	if len(r.Points) != 2 || r.Vary[0] != "policy.limits.max_km" || r.Points[1].Values[0] != "15" || *r.Points[1].Moves != 2 || r.Points[1].Terms == nil ||
		r.Points[1].CV["cv_primary_pe_art"] != 0.784 {
		t.Errorf("json:\n%s", js)
	}
}
