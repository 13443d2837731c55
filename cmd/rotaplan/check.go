package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"rotaplan/model"
)

func init() { commands = append(commands, newCheckCmd) }

type checkOptions struct {
	scenario            scenarioFlags
	scenarioPath        string
	planPath            string
	format              string
	allowQuotaShortfall bool
}

func newCheckCmd(st Streams) *cobra.Command {
	opts := &checkOptions{}
	cmd := &cobra.Command{
		Use:   "check SCENARIO PLAN",
		Short: "Check a plan against the hard rules and the quotas",
		Long: `check verifies a plan file (YAML, JSON or CSV; each move needs only teacher
and to, subject defaults to the teacher's subject) against the scenario:

  H1  at most one move per teacher, every move allowed, every pin present
  H2  no one arrives to a post that is not open
  H3  sending schools stay staffed (surplus + source_deficit)
  H4  a school loses at most floor(max_outflow_share x its teachers)
  quota, backbone  every quota unit's count target and backbone share

Each finding names the teachers and schools involved and points at the
plan line of the offending moves (or at the pin or quota rule in the
scenario). PLAN "-" reads a YAML or JSON plan from standard input. A plan
made for another version of the scenario (its scenario.sha256 differs) is
checked anyway, with a warning, and so is a move whose from is not the
teacher's school in the scenario.

Formats: text (file:line:col: severity: rule: message), json (see below),
github (workflow annotations ::error file=PLAN,line=N::message).

JSON: {"scenario", "plan", "ok", "moves", "errors", "warnings", "findings":
[{"rule", "severity", "message", "teachers", "schools", "file", "line",
"lines"}]} where file and line locate the finding (the first offending move,
else the scenario entity) and lines lists the plan lines of all offending moves.

Exit codes: 0 all rules hold, 1 a rule is broken or a quota missed,
2 bad input (e.g. a plan naming an unknown teacher or school).`,
		Example: `  rotaplan check county.yaml plan.yaml
  rotaplan check county.yaml plan.csv --allow-quota-shortfall
  rotaplan check county.yaml plan.yaml --format github   # in a CI job`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.scenarioPath, opts.planPath = args[0], args[1]
			return runCheck(opts, st)
		},
	}
	cmd.Flags().StringVar(&opts.format, "format", "text", "output format: text, json or github")
	cmd.Flags().BoolVar(&opts.allowQuotaShortfall, "allow-quota-shortfall", false, "report quota and backbone-share misses as warnings, not errors")
	opts.scenario.register(cmd)
	return cmd
}

// RuleScenario is the rule of the warning about a plan made for another scenario.
const ruleScenario = "scenario"

func runCheck(opts *checkOptions, st Streams) error {
	switch opts.format {
	case "text", "json", "github":
	default:
		return usageError("--format %q: want text, json or github", opts.format)
	}
	in, err := opts.scenario.load(opts.scenarioPath)
	if err != nil {
		return err
	}
	plan, err := readPlanArg(opts.planPath, st.In)
	if err != nil {
		return err
	}
	findings, err := model.CheckPlan(in, plan)
	if err != nil {
		return err
	}
	if h := plan.Scenario.SHA256; h != "" && h != in.Scenario.SHA256 {
		w := model.Finding{Rule: ruleScenario, Severity: model.SeverityWarning, At: model.Pos{File: opts.planPath, Line: 1, Col: 1},
			Message: fmt.Sprintf("the plan was made for another version of the scenario (plan scenario.sha256 %s, %s has %s); checked anyway",
				shortHash(h), opts.scenarioPath, shortHash(in.Scenario.SHA256))}
		findings = append([]model.Finding{w}, findings...)
	}
	errs, warns := 0, 0
	for i := range findings {
		f := &findings[i]
		if opts.allowQuotaShortfall && (f.Rule == model.RuleQuota || f.Rule == model.RuleBackbone) {
			f.Severity = model.SeverityWarning
		}
		if f.Severity == model.SeverityError {
			errs++
		} else {
			warns++
		}
	}
	r := &checkReport{opts: opts, in: in, moves: len(plan.Moves), findings: findings, errors: errs, warnings: warns}
	switch opts.format {
	case "json":
		err = r.writeJSON(st.Out)
	case "github":
		r.writeGitHub(st.Out)
	default:
		r.writeText(st.Out)
	}
	if err != nil {
		return err
	}
	if errs > 0 {
		return errViolations
	}
	return nil
}

// readPlanArg reads the plan file, or YAML/JSON from stdin when path is "-".
func readPlanArg(path string, stdin io.Reader) (*model.Plan, error) {
	if path != "-" {
		return model.ReadPlan(path)
	}
	data, err := io.ReadAll(stdin)
	if err != nil {
		return nil, err
	}
	return model.DecodePlan("-", data)
}

func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

type checkReport struct {
	opts             *checkOptions
	in               *model.Instance
	moves            int
	findings         []model.Finding
	errors, warnings int
}

// where locates a finding: its first offending move, else the scenario
// entity it is about, else line 1 of the scenario.
func (r *checkReport) where(f model.Finding) model.Pos {
	switch {
	case len(f.Moves) > 0 && f.Moves[0].File != "":
		return f.Moves[0]
	case f.At.File != "" && f.At.Line > 0:
		return f.At
	}
	return model.Pos{File: r.opts.scenarioPath, Line: 1, Col: 1}
}

func moveLines(f model.Finding) []int {
	var lines []int
	for _, p := range f.Moves {
		if p.Line > 0 && (len(lines) == 0 || lines[len(lines)-1] != p.Line) {
			lines = append(lines, p.Line)
		}
	}
	return lines
}

func (r *checkReport) summary() string {
	moves := chkPlural(r.moves, "move", "moves")
	if r.errors == 0 && r.warnings == 0 {
		return fmt.Sprintf("%s: ok, %s, all hard rules and quotas hold", r.opts.planPath, moves)
	}
	verdict := "ok"
	if r.errors > 0 {
		verdict = "FAIL"
	}
	return fmt.Sprintf("%s: %s, %s, %s, %s", r.opts.planPath, verdict, moves,
		chkPlural(r.errors, "error", "errors"), chkPlural(r.warnings, "warning", "warnings"))
}

func (r *checkReport) writeText(w io.Writer) {
	for _, f := range r.findings {
		msg := f.Message
		if lines := moveLines(f); len(lines) > 1 {
			msg += " [plan lines " + chkJoinInts(lines) + "]"
		}
		fmt.Fprintf(w, "%s: %s: %s: %s\n", r.where(f), f.Severity, f.Rule, msg)
	}
	fmt.Fprintln(w, r.summary())
}

// writeGitHub prints workflow commands: one annotation per offending plan
// line, or one at the scenario entity (or line 1) for findings without a move.
func (r *checkReport) writeGitHub(w io.Writer) {
	for _, f := range r.findings {
		msg := ghEscape(f.Rule + ": " + f.Message)
		lines := moveLines(f)
		file := r.opts.planPath
		if len(lines) == 0 {
			p := r.where(f)
			file, lines = p.File, []int{max(1, p.Line)}
		}
		for _, l := range lines {
			fmt.Fprintf(w, "::%s file=%s,line=%d::%s\n", f.Severity, ghEscapeProp(file), l, msg)
		}
	}
	fmt.Fprintln(w, r.summary())
}

// GitHub workflow command escaping (see actions/toolkit, command.ts).
func ghEscape(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func ghEscapeProp(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// checkJSON is the documented JSON shape of check's output.
type checkJSON struct {
	Scenario string        `json:"scenario"`
	Plan     string        `json:"plan"`
	OK       bool          `json:"ok"`
	Moves    int           `json:"moves"`
	Errors   int           `json:"errors"`
	Warnings int           `json:"warnings"`
	Findings []findingJSON `json:"findings"`
}

type findingJSON struct {
	Rule     string   `json:"rule"`
	Severity string   `json:"severity"`
	Message  string   `json:"message"`
	Teachers []string `json:"teachers"`
	Schools  []string `json:"schools"`
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Lines    []int    `json:"lines"`
}

func (r *checkReport) writeJSON(w io.Writer) error {
	out := checkJSON{Scenario: r.opts.scenarioPath, Plan: r.opts.planPath, OK: r.errors == 0, Moves: r.moves,
		Errors: r.errors, Warnings: r.warnings, Findings: []findingJSON{}}
	for _, f := range r.findings {
		p := r.where(f)
		fj := findingJSON{Rule: f.Rule, Severity: string(f.Severity), Message: f.Message,
			Teachers: f.Teachers, Schools: f.Schools, File: p.File, Line: p.Line, Lines: moveLines(f)}
		if fj.Teachers == nil {
			fj.Teachers = []string{}
		}
		if fj.Schools == nil {
			fj.Schools = []string{}
		}
		if fj.Lines == nil {
			fj.Lines = []int{}
		}
		out.Findings = append(out.Findings, fj)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func chkPlural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func chkJoinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ", ")
}
