package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"rotaplan/model"
	"rotaplan/solver"
)

func init() { commands = append(commands, newPlanCmd) }

type planOptions struct {
	scenario  scenarioFlags
	path      string
	output    string
	format    string
	timeLimit time.Duration
	gap       float64
	quiet     bool
}

func newPlanCmd(st Streams) *cobra.Command {
	opts := &planOptions{}
	cmd := &cobra.Command{
		Use:   "plan SCENARIO",
		Short: "Find the rotation plan of minimum cost",
		Long: `plan finds the set of moves that keeps the hard rules (one move per teacher,
allowed moves and pins; no arrival without an open post; sending schools stay
staffed; the outflow limit) and minimizes the objective Z of the scenario:
quota shortfalls, posts filled and emptied, kilometres and wishes.

The plan file goes to stdout, or with -o to FILE (written atomically); its
format comes from --format, else from the -o extension (.json, .csv), else
YAML. A summary (moves, quota shortfalls, posts filled, the objective terms,
Z, the lower bound and the gap) goes to stderr when the plan goes to stdout,
else to stdout. Progress is shown on a terminal for runs over a second.

Without --time-limit the result does not depend on the clock: the same
scenario gives the same file, byte for byte, except solver.seconds.

When the pins alone break a hard rule no plan exists: plan names the rule,
the school, the subject and the pinned teachers, writes no file and exits 3.`,
		Example: `  rotaplan plan county.yaml -o plan.yaml
  rotaplan plan county.yaml --format csv > plan.csv
  rotaplan plan county.yaml --time-limit 2m --gap 0.001 -o plan.json
  rotaplan plan county.yaml --set policy.quotas[0].min_share=0.15 -o what-if.yaml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.path = args[0]
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
			defer stop()
			return runPlan(ctx, opts, st)
		},
	}
	opts.scenario.register(cmd)
	f := cmd.Flags()
	f.StringVarP(&opts.output, "output", "o", "", "write the plan to `FILE` (atomically) instead of stdout")
	f.StringVar(&opts.format, "format", "", "yaml, json or csv (default: from the -o extension, else yaml)")
	f.DurationVar(&opts.timeLimit, "time-limit", 0, "stop after `DUR` with the best plan so far (status feasible); 0 = none")
	f.Float64Var(&opts.gap, "gap", 0, "stop when (Z - bound) <= `G` x max(1, |Z|); 0 proves optimality")
	f.BoolVarP(&opts.quiet, "quiet", "q", false, "no progress and no summary")
	return cmd
}

// planSolve is the solver; tests may swap it.
var planSolve = solver.Solve

func planFormat(format, output string) (string, error) {
	if format == "" {
		switch strings.ToLower(filepath.Ext(output)) {
		case ".json":
			return model.FormatJSON, nil
		case ".csv":
			return model.FormatCSV, nil
		}
		return model.FormatYAML, nil
	}
	switch format {
	case model.FormatYAML, model.FormatJSON, model.FormatCSV:
		return format, nil
	}
	return "", usageError("--format %q: want yaml, json or csv", format)
}

func runPlan(ctx context.Context, opts *planOptions, st Streams) error {
	format, err := planFormat(opts.format, opts.output)
	if err != nil {
		return err
	}
	if opts.timeLimit < 0 {
		return usageError("--time-limit %v: must be >= 0", opts.timeLimit)
	}
	if opts.gap < 0 || math.IsNaN(opts.gap) {
		return usageError("--gap %v: must be >= 0", opts.gap)
	}
	if opts.output != "" {
		if err := sameFile(opts.output, opts.path); err != nil {
			return err
		}
	}
	in, err := opts.scenario.load(opts.path)
	if err != nil {
		return err
	}
	if c := model.PinConflicts(in); len(c) > 0 {
		return noPlan(pinConflictError(c))
	}

	settings := &solver.Settings{TimeLimit: opts.timeLimit, Gap: opts.gap}
	var prog *progress
	if st.Terminal && !opts.quiet {
		prog = newProgress(st.Err, time.Second)
		settings.Progress = prog.report
	}
	start := time.Now()
	res, err := planSolve(ctx, in, settings)
	seconds := time.Since(start).Seconds()
	prog.done()
	if err != nil {
		return err
	}
	if res.Status == solver.Infeasible {
		return noPlan(pinConflictError(res.Conflicts))
	}
	plan := buildPlan(in, res, seconds)
	write := func(w io.Writer) error { return model.WritePlan(w, plan, format) }
	summary := st.Err
	if opts.output == "" {
		if err := write(st.Out); err != nil {
			return err
		}
	} else {
		if err := model.WriteFileAtomic(opts.output, write); err != nil {
			return err
		}
		summary = st.Out
	}
	if !opts.quiet {
		writePlanSummary(summary, in, res, seconds, opts.output)
	}
	return nil
}

// buildPlan is the plan file content of a result: numbers rounded so that
// float noise stays out of the file.
func buildPlan(in *model.Instance, res *solver.Result, seconds float64) *model.Plan {
	p := model.NewPlan(in, res.Moves)
	info := &model.SolverInfo{Status: string(res.Status), Objective: model.Round(res.Objective, 6), Seconds: model.Round(seconds, 2)}
	if !math.IsInf(res.Bound, 0) && !math.IsNaN(res.Bound) {
		b := model.Round(res.Bound, 6)
		g := model.Round(res.Gap, 6)
		info.Bound, info.Gap = &b, &g
	}
	p.Solver = info
	terms := model.RoundTerms(res.Terms)
	p.Objective = &terms
	return p
}

// pinConflictError names every hard rule the pins alone break.
func pinConflictError(cs []model.PinConflict) error {
	if len(cs) == 0 {
		return errors.New("no plan exists")
	}
	var b strings.Builder
	b.WriteString("no plan exists: the pins alone break ")
	if len(cs) == 1 {
		b.WriteString("a hard rule:")
	} else {
		fmt.Fprintf(&b, "%d hard rules:", len(cs))
	}
	for _, c := range cs {
		b.WriteString("\n  ")
		b.WriteString(ruleName(c.Rule))
		b.WriteString(" ")
		b.WriteString(c.String())
	}
	return errors.New(b.String())
}

func ruleName(rule string) string {
	switch rule {
	case "H2":
		return "(no arrival without an open post)"
	case "H3":
		return "(sending schools stay staffed)"
	case "H4":
		return "(max_outflow_share)"
	}
	return ""
}

// sameFile refuses an output path that is the input: input files are never overwritten.
func sameFile(output, input string) error {
	a, err1 := os.Stat(output)
	b, err2 := os.Stat(input)
	if err1 == nil && err2 == nil && os.SameFile(a, b) {
		return usageError("-o %s: that is the scenario file; input files are never overwritten", output)
	}
	return nil
}

// writePlanSummary prints what a planner reads first about a plan.
func writePlanSummary(w io.Writer, in *model.Instance, res *solver.Result, seconds float64, output string) {
	sc := in.Scenario
	o := model.Evaluate(in, res.Moves)
	dest := output
	if dest == "" {
		dest = "stdout"
	}
	fmt.Fprintf(w, "plan: %s written to %s\n", chkPlural(len(res.Moves), "move", "moves"), dest)
	short := 0
	for i := range in.Units {
		if !o.Units[i].Met() {
			short++
		}
	}
	if len(in.Units) > 0 {
		fmt.Fprintf(w, "quotas: %d of %d units met\n", len(in.Units)-short, len(in.Units))
		for i, u := range in.Units {
			uo := o.Units[i]
			if uo.Met() {
				continue
			}
			fmt.Fprintf(w, "  %s moved %d of %d", padRight(u.Name, 36), uo.Moves, u.Target)
			if uo.CountShort > 0 {
				fmt.Fprintf(w, ", %d short", uo.CountShort)
			}
			fmt.Fprintf(w, "; backbone %d", uo.Backbone)
			if uo.BackboneShort > 1e-9 {
				fmt.Fprintf(w, ", %s short of share %g", fmtFloat(uo.BackboneShort, 2), u.BackboneShare)
			}
			fmt.Fprintln(w)
		}
	}
	fmt.Fprintf(w, "posts: %d filled, %d emptied; %s km in all\n", o.Filled, o.Emptied, fmtFloat(o.Km, 1))
	t := res.Terms
	fmt.Fprintf(w, "objective: quota %s, backbone %s, fill %s, deficit %s, km %s, wish %s\n",
		fmtFloat(t.Quota, 2), fmtFloat(t.Backbone, 2), fmtFloat(t.Fill, 2), fmtFloat(t.Deficit, 2), fmtFloat(t.Km, 2), fmtFloat(t.Wish, 2))
	bound, gap := "none", "unknown"
	if !math.IsInf(res.Bound, 0) && !math.IsNaN(res.Bound) {
		bound = fmtFloat(res.Bound, 2)
		gap = fmtFloat(100*res.Gap, 4) + "%"
	}
	fmt.Fprintf(w, "Z %s, bound %s, gap %s, %s, %d nodes, %.2fs (%s)\n",
		fmtFloat(res.Objective, 2), bound, gap, res.Status, res.Nodes, seconds, sc.Name)
}

func fmtFloat(x float64, decimals int) string {
	return strconv.FormatFloat(model.Round(x, decimals), 'f', -1, 64)
}
