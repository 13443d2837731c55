package main

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"rotaplan/model"
)

func init() { commands = append(commands, newDiffCmd) }

type diffOptions struct {
	scenario     scenarioFlags
	scenarioPath string
	planA, planB string
}

func newDiffCmd(st Streams) *cobra.Command {
	opts := &diffOptions{}
	cmd := &cobra.Command{
		Use:   "diff PLAN_A PLAN_B",
		Short: "Compare two plans",
		Long: `diff lists the moves added (in B only), dropped (in A only) and changed (the
same teacher to another school or subject), and the net change of every
school that sends or receives a teacher in either plan.

With --scenario, moves are resolved against it (a move without subject holds
the teacher's own subject; an unknown teacher or school is an error), and
the objective Z with its six terms, the hard-rule violations and the result
of every quota unit are shown for both plans side by side.`,
		Example: `  rotaplan diff plan-2027.yaml plan-2027-v2.yaml
  rotaplan diff a.yaml b.yaml --scenario county.yaml --set policy.quotas[0].min_share=0.15`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.planA, opts.planB = args[0], args[1]
			if len(opts.scenario.sets) > 0 && opts.scenarioPath == "" {
				return usageError("--set needs --scenario")
			}
			return runDiff(opts, st)
		},
	}
	cmd.Flags().StringVar(&opts.scenarioPath, "scenario", "", "scenario `FILE` to resolve moves and compare objectives and quotas")
	opts.scenario.register(cmd)
	return cmd
}

// diffMove is a plan move with what the scenario (if any) fills in.
type diffMove struct {
	teacher, name, from, to, subject string
}

func (m diffMove) dest() string { return m.to + " " + orDash(m.subject) }

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func runDiff(opts *diffOptions, st Streams) error {
	var in *model.Instance
	if opts.scenarioPath != "" {
		var err error
		if in, err = opts.scenario.load(opts.scenarioPath); err != nil {
			return err
		}
	}
	pa, errA := model.ReadPlan(opts.planA)
	pb, errB := model.ReadPlan(opts.planB)
	if err := joinInputErrors(errA, errB); err != nil {
		return err
	}
	var placeA, placeB []model.Placement
	if in != nil {
		var errA, errB error
		placeA, errA = model.Placements(in, pa)
		placeB, errB = model.Placements(in, pb)
		if err := joinInputErrors(errA, errB); err != nil {
			return err
		}
	}
	a, b := diffMoves(in, pa, placeA), diffMoves(in, pb, placeB)
	// Without a scenario a move without subject may hold any subject (its
	// teacher's own one, which only the scenario knows): it matches any.
	anySubject := in == nil
	w := st.Out
	fmt.Fprintf(w, "A: %s (%s)\nB: %s (%s)\n", opts.planA, chkPlural(len(a), "move", "moves"), opts.planB, chkPlural(len(b), "move", "moves"))
	writeMoveDiff(w, a, b, anySubject)
	writeSchoolDiff(w, in, a, b)
	if in != nil {
		writeOutcomeDiff(w, in, placeA, placeB)
	}
	return nil
}

// joinInputErrors reports the errors of both plans at once.
func joinInputErrors(errs ...error) error {
	var list model.ErrorList
	for _, err := range errs {
		if err == nil {
			continue
		}
		l, ok := err.(model.ErrorList)
		if !ok {
			return err
		}
		list = append(list, l...)
	}
	if len(list) == 0 {
		return nil
	}
	return list
}

func diffMoves(in *model.Instance, p *model.Plan, place []model.Placement) []diffMove {
	out := make([]diffMove, len(p.Moves))
	for i, m := range p.Moves {
		d := diffMove{teacher: m.Teacher, name: m.Name, from: m.From, to: m.To, subject: m.Subject}
		if in != nil {
			pl := place[i]
			t := &in.Scenario.Teachers[pl.Teacher]
			d.name, d.from, d.subject = t.Name, t.School, in.Subjects[pl.Subject]
		}
		out[i] = d
	}
	slices.SortStableFunc(out, func(x, y diffMove) int { return strings.Compare(x.teacher, y.teacher) })
	return out
}

func writeMoveDiff(w io.Writer, a, b []diffMove, anySubject bool) {
	byA, byB := map[string][]diffMove{}, map[string][]diffMove{}
	var ids []string
	for _, m := range a {
		byA[m.teacher] = append(byA[m.teacher], m)
		ids = append(ids, m.teacher)
	}
	for _, m := range b {
		byB[m.teacher] = append(byB[m.teacher], m)
		ids = append(ids, m.teacher)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	var added, dropped []diffMove
	var changed [][2]diffMove
	same := 0
	for _, id := range ids {
		ma, mb := slices.Clone(byA[id]), slices.Clone(byB[id])
		// Drop the moves both plans have.
		for i := 0; i < len(ma); i++ {
			if j := slices.IndexFunc(mb, func(m diffMove) bool {
				return m.to == ma[i].to && (m.subject == ma[i].subject || anySubject && (m.subject == "" || ma[i].subject == ""))
			}); j >= 0 {
				mb = slices.Delete(mb, j, j+1)
				ma = slices.Delete(ma, i, i+1)
				i--
				same++
			}
		}
		if len(ma) == 1 && len(mb) == 1 {
			changed = append(changed, [2]diffMove{ma[0], mb[0]})
			continue
		}
		dropped = append(dropped, ma...)
		added = append(added, mb...)
	}
	fmt.Fprintf(w, "moves: %d added, %d dropped, %d changed, %d the same\n", len(added), len(dropped), len(changed), same)
	line := func(sign string, m diffMove) string {
		return fmt.Sprintf("  %s %-6s %-8s %s -> %s", sign, m.teacher, m.name, orDash(m.from), m.dest())
	}
	if len(added) > 0 {
		fmt.Fprintln(w, "\nadded (in B only):")
		for _, m := range added {
			fmt.Fprintln(w, line("+", m))
		}
	}
	if len(dropped) > 0 {
		fmt.Fprintln(w, "\ndropped (in A only):")
		for _, m := range dropped {
			fmt.Fprintln(w, line("-", m))
		}
	}
	if len(changed) > 0 {
		fmt.Fprintln(w, "\nchanged (A => B):")
		for _, c := range changed {
			fmt.Fprintf(w, "%s  =>  %s\n", line("~", c[0]), c[1].dest())
		}
	}
}

// writeSchoolDiff prints in, out and net (in - out) per school for both
// plans, for every school that either plan touches.
func writeSchoolDiff(w io.Writer, in *model.Instance, a, b []diffMove) {
	type flow struct{ in, out int }
	fa, fb := map[string]*flow{}, map[string]*flow{}
	get := func(m map[string]*flow, s string) *flow {
		if m[s] == nil {
			m[s] = &flow{}
		}
		return m[s]
	}
	count := func(m map[string]*flow, moves []diffMove) {
		for _, mv := range moves {
			get(m, mv.to).in++
			if mv.from != "" {
				get(m, mv.from).out++
			}
		}
	}
	count(fa, a)
	count(fb, b)
	var schools []string
	if in != nil {
		for _, s := range in.Scenario.Schools {
			if fa[s.ID] != nil || fb[s.ID] != nil {
				schools = append(schools, s.ID)
			}
		}
	} else {
		for s := range fa {
			schools = append(schools, s)
		}
		for s := range fb {
			schools = append(schools, s)
		}
		slices.Sort(schools)
		schools = slices.Compact(schools)
	}
	if len(schools) == 0 {
		return
	}
	fmt.Fprintln(w, "\nper school (net = in - out):")
	fmt.Fprintf(w, "  %-8s %5s %5s %5s   %5s %5s %5s   %6s\n", "school", "A in", "out", "net", "B in", "out", "net", "change")
	for _, s := range schools {
		x, y := get(fa, s), get(fb, s)
		na, nb := x.in-x.out, y.in-y.out
		fmt.Fprintf(w, "  %-8s %5d %5d %5s   %5d %5d %5s   %6s\n", s, x.in, x.out, signed(na), y.in, y.out, signed(nb), signed(nb-na))
	}
	if slices.ContainsFunc(append(slices.Clone(a), b...), func(m diffMove) bool { return m.from == "" }) {
		fmt.Fprintln(w, "  (moves without from are counted at their destination only; give --scenario to resolve them)")
	}
}

func signed(n int) string {
	if n > 0 {
		return "+" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// diffNum formats a number for the side-by-side table: at most 2 decimals.
func diffNum(x float64) string { return strconv.FormatFloat(model.Round(x, 2), 'f', -1, 64) }

func diffSigned(x float64) string {
	x = model.Round(x, 2)
	if x > 0 {
		return "+" + diffNum(x)
	}
	return diffNum(x)
}

func writeOutcomeDiff(w io.Writer, in *model.Instance, a, b []model.Placement) {
	oa, ob := model.Evaluate(in, a), model.Evaluate(in, b)
	hard := func(moves []model.Placement) (n int) {
		for _, f := range model.Check(in, moves, nil) {
			if f.Hard() {
				n++
			}
		}
		return n
	}
	fmt.Fprintln(w, "\noutcome (scenario "+in.Scenario.File+"):")
	fmt.Fprintf(w, "  %-24s %12s %12s %12s\n", "", "A", "B", "B - A")
	row := func(name string, x, y float64) {
		fmt.Fprintf(w, "  %-24s %12s %12s %12s\n", name, diffNum(x), diffNum(y), diffSigned(y-x))
	}
	row("objective Z", oa.Terms.Total(), ob.Terms.Total())
	row("  quota", oa.Terms.Quota, ob.Terms.Quota)
	row("  backbone", oa.Terms.Backbone, ob.Terms.Backbone)
	row("  fill", oa.Terms.Fill, ob.Terms.Fill)
	row("  deficit", oa.Terms.Deficit, ob.Terms.Deficit)
	row("  km", oa.Terms.Km, ob.Terms.Km)
	row("  wish", oa.Terms.Wish, ob.Terms.Wish)
	row("moves", float64(len(a)), float64(len(b)))
	row("posts filled", float64(oa.Filled), float64(ob.Filled))
	row("posts emptied", float64(oa.Emptied), float64(ob.Emptied))
	row("km travelled", oa.Km, ob.Km)
	row("hard-rule violations", float64(hard(a)), float64(hard(b)))
	if len(in.Units) == 0 {
		return
	}
	fmt.Fprintln(w, "\nquota units (moves/target, backbone; short = count shortfall + backbone shortfall):")
	unit := func(o model.UnitOutcome, u model.Unit) string {
		s := fmt.Sprintf("%d/%d bb %d", o.Moves, u.Target, o.Backbone)
		if o.Met() {
			return s + " met"
		}
		return s + " short " + diffNum(float64(o.CountShort)+o.BackboneShort)
	}
	for i, u := range in.Units {
		fmt.Fprintf(w, "  %-36s A %-22s B %s\n", u.Name, unit(oa.Units[i], u), unit(ob.Units[i], u))
	}
}
