package main

import (
	"io"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"rotaplan/model"
	"rotaplan/report"
)

func init() { commands = append(commands, newReportCmd) }

type reportOptions struct {
	scenario     scenarioFlags
	scenarioPath string
	planPath     string
	format       string
	output       string
}

func newReportCmd(st Streams) *cobra.Command {
	opts := &reportOptions{}
	cmd := &cobra.Command{
		Use:   "report SCENARIO PLAN",
		Short: "Explain a plan: schools before and after, quotas with reasons, inspection indicators",
		Long: `report shows what a plan does: per school the teachers, posts filled and
emptied, moves out and in, backbone teachers sent and received and the km its
leavers travel; per quota unit the target and the moves, and for every
shortfall the binding reason with its numbers (how many of the unit's
teachers could leave at once under H2-H4 and what stops the rest, or what
meeting it would cost); and the 2017 inspection indicators (backbone and PE,
music and art teachers per 100 students, their student-weighted coefficient
of variation per stage group) before and after.

The html format is one self-contained page (no network): summary, quota
table, indicator charts, a map of the moves and a sortable moves table.`,
		Example: `  rotaplan report county.yaml plan.yaml
  rotaplan report county.yaml plan.yaml --format html -o report.html
  rotaplan report county.yaml plan.yaml --format json --set policy.quotas[0].min_share=0.15`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.scenarioPath, opts.planPath = args[0], args[1]
			if !slices.Contains(report.Formats, opts.format) {
				return usageError("--format %q: want one of %s", opts.format, strings.Join(report.Formats, ", "))
			}
			return runReport(opts, st)
		},
	}
	cmd.Flags().StringVar(&opts.format, "format", report.FormatText, "output format: "+strings.Join(report.Formats, ", "))
	cmd.Flags().StringVarP(&opts.output, "output", "o", "", "write to `FILE` (atomically) instead of stdout")
	opts.scenario.register(cmd)
	return cmd
}

// loadPlanFor reads the scenario and the plan and resolves the plan's moves;
// errors of both files are reported together.
func loadPlanFor(sf *scenarioFlags, scenarioPath, planPath string) (*model.Instance, []model.Placement, error) {
	in, errS := sf.load(scenarioPath)
	plan, errP := model.ReadPlan(planPath)
	if err := joinInputErrors(errS, errP); err != nil {
		return nil, nil, err
	}
	moves, err := model.Placements(in, plan)
	if err != nil {
		return nil, nil, err
	}
	return in, moves, nil
}

func runReport(opts *reportOptions, st Streams) error {
	if opts.output != "" {
		for _, input := range []string{opts.scenarioPath, opts.planPath} {
			if isSameFile(opts.output, input) {
				return usageError("-o %s: that is an input file (%s); input files are never overwritten", opts.output, input)
			}
		}
	}
	in, moves, err := loadPlanFor(&opts.scenario, opts.scenarioPath, opts.planPath)
	if err != nil {
		return err
	}
	r := report.Build(in, moves)
	r.Plan = opts.planPath
	write := func(w io.Writer) error { return report.Write(w, r, opts.format) }
	if opts.output != "" {
		return model.WriteFileAtomic(opts.output, write)
	}
	return write(st.Out)
}

// isSameFile reports whether both paths name one existing file.
func isSameFile(a, b string) bool {
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(sa, sb)
}
