package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// brokenDir holds one-fault scenarios; each starts with "# want:" lines.
const brokenDir = "../../model/testdata/broken"

// validateMain runs rotaplan with buffers for streams.
func validateMain(args ...string) (code int, stdout, stderr string) {
	var out, errs bytes.Buffer
	code = Main(args, Streams{In: strings.NewReader(""), Out: &out, Err: &errs})
	return code, out.String(), errs.String()
}

func TestValidateTiny(t *testing.T) {
	code, out, errs := validateMain("validate", "../../model/testdata/tiny.yaml")
	if code != ExitOK || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	// Counted by hand from the file (see model/instance_test.go for the
	// reasoning): 11 eligible (U1: T01 T02 T05 T06 T08; U2: T10 T11 T13 T15;
	// T1: T16; R1: T20), backbone T01 T05 T13, movable = 11 - T11 (forbidden).
	for _, want := range []string{
		"schools   4 (2 urban, 1 town, 1 rural)\n",
		"teachers  20, eligible 11, backbone 3 (3 of them eligible), movable 10\n",
		"pins      1, forbids 1\n",
		// chinese: U1 3 posts/4 staff, U2 2/3, T1 2/2, R1 1/1.
		"  chinese           8     10      0        2\n",
		// pe: 1 post per school, only T09 at U1 teaches it.
		"  pe                4      1      3        0\n",
		// 20-column name (8 CJK characters x 2 + " / U1") padded to 40 columns.
		"  城区学校交流比例 / U1                    eligible    5  target    1  backbone share >= 0.2\n",
		"  城区学校交流比例 / U2                    eligible    4  target    1  backbone share >= 0.2\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
}

func TestDisplayWidth(t *testing.T) {
	for _, c := range []struct {
		s    string
		want int
	}{
		{"", 0}, {"math", 4}, {"音乐", 4}, {"城区学校交流比例 / U1", 21}, {"ｍａｔｈ", 8}, {"é", 1}, {"e\u0301", 1},
	} {
		if got := displayWidth(c.s); got != c.want {
			t.Errorf("displayWidth(%q) = %d, want %d", c.s, got, c.want)
		}
	}
	if got := padRight("音乐", 6); got != "音乐  " {
		t.Errorf("padRight = %q", got)
	}
	if got := padRight("长长的名字", 6); got != "长长的名字" {
		t.Errorf("padRight of a long name = %q", got)
	}
}

// Every broken scenario exits 2 and names the expected position and message.
func TestValidateBrokenSuite(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(brokenDir, "*.yaml"))
	if err != nil || len(files) < 40 {
		t.Fatalf("%d broken scenarios (%v), want at least 40", len(files), err)
	}
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(strings.TrimSuffix(name, ".yaml"), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var wants []string
			for _, line := range strings.Split(string(data), "\n") {
				if w, ok := strings.CutPrefix(line, "# want: "); ok {
					// "L:C: msg" is a position in the scenario; "x.csv:L:C: msg" in its roster.
					if !strings.Contains(strings.SplitN(w, ":", 2)[0], ".") {
						w = name + ":" + w
					}
					wants = append(wants, w)
				}
			}
			if len(wants) == 0 {
				t.Fatal("no # want: line")
			}
			code, out, errs := validateMain("validate", path)
			if code != ExitBadInput {
				t.Fatalf("exit %d, want 2; stderr:\n%s", code, errs)
			}
			if out != "" {
				t.Errorf("stdout %q, want nothing", out)
			}
			for _, w := range wants {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errs)
				}
			}
			assertSortedErrors(t, errs)
		})
	}
}

// assertSortedErrors checks that every stderr line is "file:line:col: msg"
// with line >= 1, sorted by file, line and column.
func assertSortedErrors(t *testing.T, errs string) {
	t.Helper()
	type key struct {
		file      string
		line, col int
	}
	var keys []key
	for _, l := range strings.Split(strings.TrimSpace(errs), "\n") {
		var k key
		parts := strings.SplitN(l, ":", 4)
		if len(parts) < 4 {
			t.Errorf("not file:line:col: message: %q", l)
			continue
		}
		k.file = parts[0]
		if _, err := fmt.Sscan(parts[1], &k.line); err != nil || k.line < 1 {
			t.Errorf("bad line in %q", l)
		}
		if _, err := fmt.Sscan(parts[2], &k.col); err != nil || k.col < 1 {
			t.Errorf("bad column in %q", l)
		}
		keys = append(keys, k)
	}
	if !sort.SliceIsSorted(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.file != b.file {
			return a.file < b.file
		}
		if a.line != b.line {
			return a.line < b.line
		}
		return a.col < b.col
	}) {
		t.Errorf("errors not sorted:\n%s", errs)
	}
}

// A scenario with many faults: every one is reported, in order.
func TestValidateAllErrorsAtOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.yaml")
	src := `version: 2
year: 2027
schools:
  - id: S1
    category: urbn
    demand: {math: -1}
    colour: red
  - id: S1
    category: rural
teachers:
  - {id: T1, school: S9, subject: math, years: x}
  - {id: T1, school: S1, subject: math, years: 3, gender: other, wishes: [S7]}
  - {school: S1, subject: math}
policy:
  quotas:
    - {min_share: 1.5, from: {category: [metro]}}
pins:
  - {teacher: T1, to: S1}
`
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := validateMain("validate", path)
	if code != ExitBadInput || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	// The pin names T1, which exists though it has errors: no error for the pin.
	want := []string{
		`1:10: scenario: version 2 is not supported (this rotaplan reads version 1)`,
		`5:15: school S1: category "urbn" is not one of urban, town, rural`,
		`6:20: school S1: demand math must be >= 0, got -1`,
		`7:5: school S1: unknown key "colour"`,
		`8:5: school S1: duplicate school id (first at line 4)`,
		`11:22: teacher T1: school "S9" does not exist`,
		`11:48: teacher T1: years: expected an integer, got "x"`,
		`12:5: teacher T1: duplicate teacher id (first at line 11)`,
		`12:59: teacher T1: gender "other" is not one of male, female`,
		`12:75: teacher T1: wish "S7" is not a school`,
		`13:5: teachers[2]: missing required key "id"`,
		`13:5: teachers[2]: missing required key "years"`,
		`16:19: quota 1: min_share must be in [0, 1], got 1.5`,
		`16:42: quota 1: from: category "metro" is not one of urban, town, rural`,
	}
	for i := range want {
		want[i] = path + ":" + want[i]
	}
	if got := strings.Split(strings.TrimSpace(errs), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("stderr:\n%s\nwant:\n%s", errs, strings.Join(want, "\n"))
	}
}

func TestValidateUsage(t *testing.T) {
	code, _, errs := validateMain("validate", filepath.Join(t.TempDir(), "none.yaml"))
	if code != ExitBadInput || !strings.Contains(errs, "none.yaml: cannot read scenario: no such file or directory") {
		t.Errorf("missing file: exit %d, stderr %q", code, errs)
	}
	code, _, errs = validateMain("validate")
	if code != ExitBadInput || !strings.Contains(errs, "accepts 1 arg(s), received 0") {
		t.Errorf("no args: exit %d, stderr %q", code, errs)
	}
	code, _, _ = validateMain("validate", "a.yaml", "b.yaml")
	if code != ExitBadInput {
		t.Errorf("two args: exit %d", code)
	}
}

// Valid scenarios in the other forms planners use exit 0 too.
func TestValidateOtherForms(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		// CSV roster exported by Excel: BOM, CRLF, a Chinese name, list cells.
		"csv.yaml":   "\ufeffversion: 1\r\nyear: 2027\r\nschools:\r\n  - {id: S1, category: urban}\r\n  - {id: S2, category: rural, demand: {music: 1}}\r\nteachers_csv: roster.csv\r\n",
		"roster.csv": "\ufeffid,name,school,subject,also,years,wishes\r\nT1,张敏,S1,math,music;pe,8,S2\r\n",
		"json.yaml": `{"version": 1, "year": 2027, "schools": [{"id": "S1", "category": "urban"}],
  "teachers": [{"id": "T1", "school": "S1", "subject": "math", "years": 8}], "policy": {"routes": []}}`,
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"csv.yaml", "json.yaml"} {
		code, out, errs := validateMain("validate", filepath.Join(dir, name))
		if code != ExitOK || errs != "" || !strings.Contains(out, "teachers  1, eligible 1") {
			t.Errorf("%s: exit %d, stderr %q, stdout:\n%s", name, code, errs, out)
		}
	}
}
