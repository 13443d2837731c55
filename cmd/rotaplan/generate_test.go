package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"rotaplan/model"
)

// loadText writes a scenario text into a temporary file and loads it.
func loadText(t *testing.T, text string) *model.Scenario {
	t.Helper()
	path := filepath.Join(t.TempDir(), "county.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	sc, err := model.Load(path)
	if err != nil {
		t.Fatalf("generated scenario does not load:\n%v", err)
	}
	return sc
}

func TestGenerateStdout(t *testing.T) {
	code, out, errs := invokeMain("generate", "--schools", "12", "--seed", "4")
	if code != ExitOK || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if !strings.HasPrefix(out, "# A synthetic county made by rotaplan generate --schools 12 --seed 4.\n") {
		t.Errorf("no header comment naming the flags:\n%.200s", out)
	}
	sc := loadText(t, out)
	if len(sc.Schools) != 12 || len(sc.Teachers) == 0 || sc.TeachersCSV != "" {
		t.Errorf("%d schools, %d teachers, roster %q: want 12 schools and inline teachers", len(sc.Schools), len(sc.Teachers), sc.TeachersCSV)
	}
	_, again, _ := invokeMain("generate", "--schools", "12", "--seed", "4")
	if again != out {
		t.Error("the same flags gave different output")
	}
	_, other, _ := invokeMain("generate", "--schools", "12", "--seed", "5")
	if other == out {
		t.Error("seeds 4 and 5 gave the same output")
	}
	_, named, _ := invokeMain("generate", "--schools", "3", "--name", "试验县", "--year", "2030", "--teachers-per-school", "20")
	if sc := loadText(t, named); sc.Name != "试验县" || sc.Year != 2030 || len(sc.Teachers) > 3*40 {
		t.Errorf("name %q, year %d, %d teachers: want 试验县, 2030, about 60", sc.Name, sc.Year, len(sc.Teachers))
	}
}

// dirNames lists a folder: no temporary files may stay behind.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestGenerateFiles(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "county.yaml")
	code, stdout, errs := invokeMain("generate", "--schools", "20", "--seed", "2", "--csv", "-o", out)
	if code != ExitOK || stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, errs)
	}
	if !strings.Contains(errs, "county.roster.csv") {
		t.Errorf("stderr does not name the roster: %q", errs)
	}
	if got, want := dirNames(t, dir), []string{"county.roster.csv", "county.yaml"}; !slices.Equal(got, want) {
		t.Errorf("files %v, want %v", got, want)
	}
	text, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(text), "\nteachers_csv: county.roster.csv\n") || strings.Contains(string(text), "\nteachers:\n") {
		t.Error("the scenario does not name its roster relatively, or lists teachers inline")
	}
	// The roster reference is relative to the scenario, not to the working folder.
	sc, err := model.Load(out)
	if err != nil {
		t.Fatalf("does not load:\n%v", err)
	}
	if len(sc.Teachers) < 20*40 {
		t.Errorf("%d teachers from the roster, want about 1,600", len(sc.Teachers))
	}

	// Without --csv a small county stays inline; rewriting keeps one file.
	inline := filepath.Join(dir, "inline.yaml")
	for range 2 {
		if code, _, errs := invokeMain("generate", "--schools", "6", "-o", inline); code != ExitOK {
			t.Fatalf("exit %d: %s", code, errs)
		}
	}
	if sc, err := model.Load(inline); err != nil || sc.TeachersCSV != "" {
		t.Errorf("inline scenario: roster %q, error %v", sc.TeachersCSV, err)
	}
	if got := dirNames(t, dir); len(got) != 3 {
		t.Errorf("files %v: want county.yaml, county.roster.csv, inline.yaml only", got)
	}
}

// TestGenerateLarge: above gen.LargeRoster teachers the roster goes to a
// CSV file even without --csv.
func TestGenerateLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 24,000-teacher county")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "big.yaml")
	if code, _, errs := invokeMain("generate", "--schools", "300", "-o", out); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if got, want := dirNames(t, dir), []string{"big.roster.csv", "big.yaml"}; !slices.Equal(got, want) {
		t.Errorf("files %v, want %v", got, want)
	}
	sc, err := model.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Teachers) <= 20000 {
		t.Errorf("%d teachers: the test needs more than 20,000", len(sc.Teachers))
	}
}

func TestGenerateUsage(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		err  string
	}{
		{[]string{"--csv"}, "--csv needs -o"},
		{[]string{"--schools", "0"}, "--schools 0"},
		{[]string{"--schools", "x"}, "invalid argument"},
		{[]string{"--teachers-per-school", "0"}, "--teachers-per-school 0"},
		{[]string{"--year", "0"}, "--year 0"},
		{[]string{"extra"}, "unknown command"},
		{[]string{"-o", dir}, "is a directory"},
	} {
		code, out, errs := invokeMain(append([]string{"generate"}, c.args...)...)
		if code != ExitBadInput || out != "" || !strings.Contains(errs, c.err) {
			t.Errorf("generate %v: exit %d, stdout %q, stderr %q; want exit 2 and %q", c.args, code, out, errs, c.err)
		}
	}
}
