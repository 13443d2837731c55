package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"rotaplan/gen"
)

func init() { commands = append(commands, newGenerateCmd) }

type generateOptions struct {
	schools   int
	seed      uint64
	perSchool float64
	csv       bool
	output    string
	name      string
	year      int
}

func newGenerateCmd(st Streams) *cobra.Command {
	opts := &generateOptions{}
	cmd := &cobra.Command{
		Use:   "generate",
		Short: "Write a synthetic county scenario for trials and benchmarks",
		Long: `generate makes a synthetic but realistic county: urban, town and rural schools
(about 20/30/50%, most teachers in urban and town schools), tiers, education
groups around tier-1 schools, posts from the staffing ratios (primary 1:19,
junior 1:13.5), shortages in rural music, PE, art, English and IT, surplus in
urban main subjects, about a third of the teachers eligible, wishes, a few
pins and forbids, and the national quota (10% of eligible, 20% backbone).

The same flags give the same file, byte for byte. Without -o the scenario goes
to stdout with the teachers inline. With -o and --csv, or with -o and more than
20,000 teachers, the roster is written as a CSV file next to the scenario
(county.yaml -> county.roster.csv) and the scenario names it relatively.
Both files are written atomically.`,
		Example: `  rotaplan generate --schools 60 --seed 1 > county.yaml
  rotaplan generate --schools 1000 --seed 7 -o big.yaml     # big.roster.csv too
  rotaplan generate --schools 150 --csv -o county.yaml && rotaplan validate county.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runGenerate(opts, st)
		},
	}
	f := cmd.Flags()
	f.IntVar(&opts.schools, "schools", gen.DefaultSchools, "number of schools (about 80 teachers each)")
	f.Uint64Var(&opts.seed, "seed", 1, "random seed: same seed, same county")
	f.Float64Var(&opts.perSchool, "teachers-per-school", gen.DefaultTeachersPerSchool, "average teachers per school (scales students and posts)")
	f.BoolVar(&opts.csv, "csv", false, "write the roster as a CSV file next to the scenario (needs -o)")
	f.StringVarP(&opts.output, "output", "o", "", "write the scenario to `FILE` (atomically) instead of stdout")
	f.StringVar(&opts.name, "name", "", "scenario name (default: 合成县 YEAR 学年交流轮岗 (seed S))")
	f.IntVar(&opts.year, "year", gen.DefaultYear, "planning school year")
	return cmd
}

// maxSchools bounds --schools: far beyond any county, and a distance matrix
// of this many schools still fits in memory.
const maxSchools = 20000

func runGenerate(opts *generateOptions, st Streams) error {
	switch {
	case opts.schools < 1 || opts.schools > maxSchools:
		return usageError("--schools %d: want 1 to %d", opts.schools, maxSchools)
	case opts.perSchool < 1 || opts.perSchool > 2000:
		return usageError("--teachers-per-school %v: want 1 to 2000", opts.perSchool)
	case opts.year < 1:
		return usageError("--year %d: must be >= 1", opts.year)
	case opts.csv && opts.output == "":
		return usageError("--csv needs -o FILE: the roster is written next to the scenario")
	}
	sc := gen.Generate(gen.Options{
		Schools:           opts.schools,
		Seed:              opts.seed,
		TeachersPerSchool: opts.perSchool,
		Name:              opts.name,
		Year:              opts.year,
	})
	comment := fmt.Sprintf("A synthetic county made by rotaplan generate --schools %d --seed %d", opts.schools, opts.seed)
	if opts.perSchool != gen.DefaultTeachersPerSchool {
		comment += fmt.Sprintf(" --teachers-per-school %v", opts.perSchool)
	}
	comment += ".\nSchools, teachers and places are invented; the structure follows the domain notes."
	if opts.output == "" {
		return gen.WriteYAML(st.Out, sc, comment)
	}
	if info, err := os.Stat(opts.output); err == nil && info.IsDir() {
		return usageError("-o %s: is a directory", opts.output)
	}
	if opts.csv || len(sc.Teachers) > gen.LargeRoster {
		sc.TeachersCSV = gen.RosterName(opts.output)
	}
	if err := gen.WriteFiles(opts.output, sc, comment); err != nil {
		return err
	}
	what := opts.output
	if sc.TeachersCSV != "" {
		what += " and " + filepath.Join(filepath.Dir(opts.output), sc.TeachersCSV)
	}
	fmt.Fprintf(st.Err, "wrote %s: %d schools, %d teachers\n", strings.TrimPrefix(what, "./"), len(sc.Schools), len(sc.Teachers))
	return nil
}
