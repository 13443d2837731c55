package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"rotaplan/mip"
	"rotaplan/model"
)

func init() { commands = append(commands, newExportCmd) }

type exportOptions struct {
	scenario scenarioFlags
	path     string
	output   string
	format   string
}

func newExportCmd(st Streams) *cobra.Command {
	opts := &exportOptions{}
	cmd := &cobra.Command{
		Use:   "export SCENARIO",
		Short: "Write the scenario's optimization problem as a MIP for outside solvers",
		Long: `export states the rotation problem of the scenario (hard rules H1-H4, quota
shortfalls, objective Z) as a mixed-integer program and writes it for an
outside solver: free MPS (CBC, HiGHS, Gurobi, CPLEX), CPLEX LP, or JSON
arrays (a CSR matrix with row and column bounds, e.g. for scipy.optimize.milp).

The optimum of the program is the optimal Z that plan finds. Move variables
are named x_TEACHER_SCHOOL_SUBJECT; characters other than ASCII letters,
digits and _ are written as u<hex>. The format defaults from the -o
extension (.lp, .json), else MPS.

When the pins alone break a hard rule there is no plan (spec §3), even if
other moves could repair the rule; the program could not say so, so export
names the conflict, writes nothing and exits 3, as plan does.`,
		Example: `  rotaplan export county.yaml -o county.mps && cbc county.mps solve solu county.sol
  rotaplan export county.yaml -o county.lp
  rotaplan export county.yaml -o county.json && python3 scripts/highs_milp.py county.json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.path = args[0]
			return runExport(opts, st)
		},
	}
	opts.scenario.register(cmd)
	cmd.Flags().StringVarP(&opts.output, "output", "o", "", "write to `FILE` (atomically) instead of stdout")
	cmd.Flags().StringVar(&opts.format, "format", "", "mps, lp or json (default: from the -o extension, else mps)")
	return cmd
}

func runExport(opts *exportOptions, st Streams) error {
	format := opts.format
	if format == "" {
		switch strings.ToLower(filepath.Ext(opts.output)) {
		case ".lp":
			format = mip.FormatLP
		case ".json":
			format = mip.FormatJSON
		default:
			format = mip.FormatMPS
		}
	}
	switch format {
	case mip.FormatMPS, mip.FormatLP, mip.FormatJSON:
	default:
		return usageError("--format %q: want mps, lp or json", format)
	}
	in, err := opts.scenario.load(opts.path)
	if err != nil {
		return err
	}
	if c := model.PinConflicts(in); len(c) > 0 {
		return noPlan(pinConflictError(c))
	}
	m := mip.Build(in)
	if opts.output == "" {
		return m.Write(st.Out, format)
	}
	if err := sameFile(opts.output, opts.path); err != nil {
		return err
	}
	if err := model.WriteFileAtomic(opts.output, func(w io.Writer) error { return m.Write(w, format) }); err != nil {
		return err
	}
	fmt.Fprintf(st.Err, "%s: %d variables (%d moves), %d rows, %d nonzeros\n",
		opts.output, len(m.Vars), len(m.Moves), len(m.Rows), m.Nonzeros())
	return nil
}
