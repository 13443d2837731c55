package model

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// lineCount is the number of lines of data as YAML counts them: CR, LF,
// CRLF, NEL, LS and PS all end a line.
func lineCount(data []byte) int {
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	n := 1 + bytes.Count(data, []byte("\n")) + bytes.Count(data, []byte("\r"))
	for _, r := range []rune{'\u0085', '\u2028', '\u2029'} {
		n += bytes.Count(data, []byte(string(r)))
	}
	return n
}

// checkErrors asserts that err is an ErrorList whose errors all have a
// position inside their file (the scenario, or the roster of lines rosterLines).
func checkErrors(t *testing.T, err error, file string, lines int, roster string, rosterLines int) {
	t.Helper()
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("error %T %v, want an ErrorList", err, err)
	}
	if len(list) == 0 {
		t.Fatal("empty ErrorList as an error")
	}
	for _, e := range list {
		max := lines
		switch e.Pos.File {
		case file:
		case roster:
			max = rosterLines
		default:
			t.Errorf("error in file %q: %v", e.Pos.File, e)
		}
		if e.Pos.Line < 1 || e.Pos.Line > max || e.Pos.Col < 1 {
			t.Errorf("position outside the file (%d lines): %v", max, e)
		}
		if e.Msg == "" {
			t.Errorf("error without a message at %v", e.Pos)
		}
	}
}

// decodeBytes decodes a scenario held in memory, with a roster held in memory.
func decodeBytes(data, roster []byte) (*Scenario, error) {
	root, err := Parse("s.yaml", data)
	if err != nil {
		return nil, err
	}
	d := &decoder{file: "s.yaml", dir: "", budget: 20_000_000,
		readFile: func(path string) ([]byte, error) {
			if path != "r.csv" || roster == nil {
				return nil, os.ErrNotExist
			}
			return roster, nil
		}}
	sc := d.scenario(root)
	d.validate(sc)
	return sc, d.errs.Err()
}

// useValid runs what every command runs on a valid scenario.
func useValid(t *testing.T, sc *Scenario) {
	in, err := Compile(sc)
	if err != nil {
		t.Fatalf("valid scenario does not compile: %v", err)
	}
	o := Evaluate(in, nil)
	if o.Terms.Fill != 0 || o.Terms.Km != 0 {
		t.Errorf("empty plan fills posts: %+v", o.Terms)
	}
	PinConflicts(in)
	for ti := range sc.Teachers {
		for d := range sc.Schools {
			in.NotAllowedReason(ti, d, in.Subject[ti])
		}
	}
}

func addSeeds(f *testing.F, pattern string) {
	files, _ := filepath.Glob(pattern)
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
}

// FuzzDecode: no input panics; errors are positioned inside the file; a
// scenario that decodes compiles and evaluates.
func FuzzDecode(f *testing.F) {
	addSeeds(f, "testdata/tiny.yaml")
	addSeeds(f, "testdata/broken/*.yaml")
	f.Add([]byte(smallHead + "x: &a [*a]\n"))
	f.Add([]byte("a: &a [1,2]\nb: &b [*a,*a]\nc: &c [*b,*b]\nschools: [*c,*c]\n"))
	f.Add([]byte(strings.Repeat("[", 2000) + strings.Repeat("]", 2000)))
	f.Add([]byte("\ufeffversion: 1\r\nyear: 2027\r\nschools: []\r\nteachers: []\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := decodeBytes(data, nil)
		if err != nil {
			checkErrors(t, err, "s.yaml", lineCount(data), "r.csv", 0)
			return
		}
		useValid(t, sc)
	})
}

// FuzzRoster: any roster bytes under a fixed scenario.
func FuzzRoster(f *testing.F) {
	f.Add([]byte("id,name,school,subject,also,years,age,gender,backbone,title,last_rotated,exempt,volunteer,wishes\n" +
		"T1,张敏,S1,math,music; pe,8,41,female,county,一级,2019,,true,S2\n"))
	f.Add([]byte("\ufeffid,school,subject,years\r\nT1,S1,math,8\r\nT2,\"S\"\"2\",math,x\r\n"))
	f.Add([]byte("id,school,subject,years\nT1,S1\n\"T2,S2,math,1\n"))
	addSeeds(f, "testdata/broken/*.csv")
	f.Fuzz(func(t *testing.T, roster []byte) {
		sc, err := decodeBytes([]byte(rosterHead), roster)
		if err != nil {
			checkErrors(t, err, "s.yaml", lineCount([]byte(rosterHead)), "r.csv", lineCount(roster))
			return
		}
		useValid(t, sc)
	})
}

func TestLineCount(t *testing.T) {
	for _, c := range []struct {
		s    string
		want int
	}{{"", 1}, {"a", 1}, {"a\n", 2}, {"a\r\nb", 2}, {"a\rb\rc", 3}, {"a\u2028b", 2}} {
		if got := lineCount([]byte(c.s)); got != c.want {
			t.Errorf("lineCount(%q) = %d, want %d", c.s, got, c.want)
		}
	}
}
