package main

import (
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// exampleScenarioFiles lists every scenario file under examples/ (rosters and
// READMEs are not scenarios), sorted.
func exampleScenarioFiles(t *testing.T) []string {
	t.Helper()
	var paths []string
	err := filepath.WalkDir("../../examples", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
			paths = append(paths, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(paths)
	return paths
}

// TestExamplesValidate: every example scenario validates (exit 0, nothing
// on stderr) and its summary matches testdata/validate/<name>.golden
// (go test -update rewrites them).
func TestExamplesValidate(t *testing.T) {
	paths := exampleScenarioFiles(t)
	for _, want := range []string{"tiny.yaml", "wenjiang.yaml", "jinchuan.yaml", "jiulongpo.yaml"} {
		if !slices.ContainsFunc(paths, func(p string) bool { return filepath.Base(p) == want }) {
			t.Errorf("no example %s under examples/ (found %v)", want, paths)
		}
	}
	seen := map[string]string{}
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		if other, dup := seen[name]; dup {
			t.Fatalf("examples %s and %s would share the golden file %s.golden", other, path, name)
		}
		seen[name] = path
		t.Run(name, func(t *testing.T) {
			code, out, errs := invokeMain("validate", path)
			if code != ExitOK || errs != "" {
				t.Fatalf("validate %s: exit %d, stderr:\n%s", path, code, errs)
			}
			if !strings.HasPrefix(out, path+": valid (") {
				t.Errorf("summary does not start with %q:\n%s", path+": valid (", out)
			}
			golden(t, "validate/"+name+".golden", out)
		})
	}
}
