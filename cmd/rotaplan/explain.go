package main

import (
	"github.com/spf13/cobra"

	"rotaplan/report"
)

func init() { commands = append(commands, newExplainCmd) }

type explainOptions struct {
	scenario     scenarioFlags
	scenarioPath string
	planPath     string
	teacher      string
	format       string
}

func newExplainCmd(st Streams) *cobra.Command {
	opts := &explainOptions{}
	cmd := &cobra.Command{
		Use:   "explain SCENARIO PLAN --teacher ID",
		Short: "Explain why one teacher moves or stays in a plan",
		Long: `explain shows, for one teacher, eligibility and its reason, pins and
forbids, and every allowed destination and subject with its cost terms (km,
wish, the fill gained at the destination given the plan's other moves, the
fill and deficit lost at the origin) and the change of each term of Z if the
plan made that choice instead, best first; staying is an option too. Each
changed plan is checked against the hard rules H1-H4. Destinations that are
not allowed are grouped by reason.`,
		Example: `  rotaplan explain county.yaml plan.yaml --teacher T0001
  rotaplan explain county.yaml plan.yaml --teacher T0001 --format json`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.scenarioPath, opts.planPath = args[0], args[1]
			if opts.teacher == "" {
				return usageError("--teacher is required")
			}
			if opts.format != report.FormatText && opts.format != report.FormatJSON {
				return usageError("--format %q: want text or json", opts.format)
			}
			return runExplain(opts, st)
		},
	}
	cmd.Flags().StringVar(&opts.teacher, "teacher", "", "teacher `ID` to explain (required)")
	cmd.Flags().StringVar(&opts.format, "format", report.FormatText, "output format: text, json")
	opts.scenario.register(cmd)
	return cmd
}

func runExplain(opts *explainOptions, st Streams) error {
	in, moves, err := loadPlanFor(&opts.scenario, opts.scenarioPath, opts.planPath)
	if err != nil {
		return err
	}
	t, ok := in.TeacherIndex[opts.teacher]
	if !ok {
		return usageError("--teacher %s: no such teacher in %s", opts.teacher, opts.scenarioPath)
	}
	return report.WriteExplanation(st.Out, report.Explain(in, moves, t), opts.format)
}
