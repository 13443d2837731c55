package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"rotaplan/model"
)

func init() { commands = append(commands, newValidateCmd) }

type validateOptions struct {
	scenario scenarioFlags
	path     string
}

func newValidateCmd(st Streams) *cobra.Command {
	opts := &validateOptions{}
	cmd := &cobra.Command{
		Use:   "validate SCENARIO",
		Short: "Check a scenario file and summarize it",
		Long: `validate decodes the scenario strictly and reports every problem at once,
each as file:line:col: message. A valid scenario gets a short summary:
schools by category, teachers, eligible and backbone teachers, shortage and
surplus posts by subject, and the target of each quota unit.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.path = args[0]
			return runValidate(opts, st)
		},
	}
	opts.scenario.register(cmd)
	return cmd
}

func runValidate(opts *validateOptions, st Streams) error {
	in, err := opts.scenario.load(opts.path)
	if err != nil {
		return err
	}
	writeSummary(st.Out, in)
	return nil
}

// writeSummary prints what a planner checks first about a scenario.
func writeSummary(w io.Writer, in *model.Instance) {
	sc := in.Scenario
	name := sc.Name
	if name == "" {
		name = sc.File
	}
	fmt.Fprintf(w, "%s: valid (%s, year %d)\n", sc.File, name, sc.Year)
	byCat := map[string]int{}
	for _, s := range sc.Schools {
		byCat[s.Category]++
	}
	var cats []string
	for _, c := range model.Categories {
		cats = append(cats, fmt.Sprintf("%d %s", byCat[c], c))
	}
	fmt.Fprintf(w, "schools   %d (%s)\n", len(sc.Schools), strings.Join(cats, ", "))
	eligible, backbone, bbEligible, movable := 0, 0, 0, 0
	for t := range sc.Teachers {
		if in.Eligible[t] {
			eligible++
			if in.Backbone[t] {
				bbEligible++
			}
		}
		if in.Backbone[t] {
			backbone++
		}
		if in.Movable[t] {
			movable++
		}
	}
	fmt.Fprintf(w, "teachers  %d, eligible %d, backbone %d (%d of them eligible), movable %d\n",
		len(sc.Teachers), eligible, backbone, bbEligible, movable)
	fmt.Fprintf(w, "pins      %d, forbids %d\n", len(sc.Pins), len(sc.Forbids))
	fmt.Fprintln(w, "posts by subject (short = open required posts, surplus = teachers beyond the posts):")
	fmt.Fprintf(w, "  %-12s %6s %6s %6s %8s\n", "subject", "posts", "staff", "short", "surplus")
	S := len(sc.Schools)
	for k, subj := range in.Subjects {
		var req, staff, short, surplus int
		for s := range S {
			c := in.Cell(s, k)
			req += in.Req[c]
			staff += in.Staff[c]
			short += in.Short(c)
			surplus += in.Surplus(c)
		}
		fmt.Fprintf(w, "  %-12s %6d %6d %6d %8d\n", subj, req, staff, short, surplus)
	}
	if len(in.Units) == 0 {
		fmt.Fprintln(w, "quotas    none")
		return
	}
	fmt.Fprintf(w, "quota units (%d): target moves = ceil(min_share x eligible)\n", len(in.Units))
	for _, u := range in.Units {
		fmt.Fprintf(w, "  %-40s eligible %4d  target %4d  backbone share >= %g\n", u.Name, u.Eligible, u.Target, u.BackboneShare)
	}
}
