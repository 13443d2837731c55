package main

import (
	"fmt"
	"io"
	"strings"
	"unicode"

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
	fmt.Fprintf(w, "  %s %6s %6s %6s %8s\n", padRight("subject", 12), "posts", "staff", "short", "surplus")
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
		fmt.Fprintf(w, "  %s %6d %6d %6d %8d\n", padRight(subj, 12), req, staff, short, surplus)
	}
	if len(in.Units) == 0 {
		fmt.Fprintln(w, "quotas    none")
		return
	}
	fmt.Fprintf(w, "quota units (%d): target moves = ceil(min_share x eligible)\n", len(in.Units))
	for _, u := range in.Units {
		fmt.Fprintf(w, "  %s eligible %4d  target %4d  backbone share >= %g\n", padRight(u.Name, 40), u.Eligible, u.Target, u.BackboneShare)
	}
}

// padRight pads s with spaces to width terminal columns. fmt's %-40s counts
// runes, but a Chinese character takes two columns in a terminal, so names
// like 城区学校交流比例 would push the numbers after them out of line.
func padRight(s string, width int) string {
	if n := displayWidth(s); n < width {
		return s + strings.Repeat(" ", width-n)
	}
	return s
}

// displayWidth is the number of terminal columns s takes: 2 for wide East
// Asian characters (CJK ideographs, kana, hangul, full-width forms), 0 for
// combining marks, 1 for the rest.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r) || r == 0x200B:
			// combining marks and zero-width space take no column
		case isWide(r):
			n += 2
		default:
			n++
		}
	}
	return n
}

func isWide(r rune) bool {
	switch {
	case r >= 0x1100 && r <= 0x115F, // hangul jamo
		r >= 0x2E80 && r <= 0x303E, // CJK radicals, punctuation
		r >= 0x3041 && r <= 0x33FF, // kana, CJK compatibility
		r >= 0x3400 && r <= 0x4DBF, // CJK extension A
		r >= 0x4E00 && r <= 0x9FFF, // CJK unified ideographs
		r >= 0xA000 && r <= 0xA4CF, // yi
		r >= 0xAC00 && r <= 0xD7A3, // hangul syllables
		r >= 0xF900 && r <= 0xFAFF, // CJK compatibility ideographs
		r >= 0xFE30 && r <= 0xFE4F, // CJK compatibility forms
		r >= 0xFF00 && r <= 0xFF60, // full-width forms
		r >= 0xFFE0 && r <= 0xFFE6,
		r >= 0x1F300 && r <= 0x1F64F, // emoji
		r >= 0x1F900 && r <= 0x1F9FF,
		r >= 0x20000 && r <= 0x3FFFD: // CJK extensions B and later
		return true
	}
	return false
}
