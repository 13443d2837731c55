package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"rotaplan/model"
	"rotaplan/report"
	"rotaplan/solver"
)

func init() { commands = append(commands, newSweepCmd) }

type sweepOptions struct {
	scenario     scenarioFlags
	scenarioPath string
	vary         []string
	format       string
	svg          string
	columns      string
	jobs         int
	timeLimit    time.Duration
	gap          float64
}

func newSweepCmd(st Streams) *cobra.Command {
	opts := &sweepOptions{}
	cmd := &cobra.Command{
		Use:   "sweep SCENARIO --vary PATH=FROM:TO:STEP [--vary ...]",
		Short: "Solve the scenario over a grid of what-if values",
		Long: `sweep solves the scenario once for every point of the cross product of the
varied values, each applied as a --set override, and prints one row per
point: the varied values, the solver status, moves, quota shortfall
(teachers short of the count targets), backbone shortfall, posts filled,
posts emptied, km and the objective Z. Points are solved in parallel
(--jobs, default the number of CPUs) and printed in a fixed order: the
first --vary changes slowest.

--vary PATH=FROM:TO:STEP gives FROM, FROM+STEP, ... up to TO; the values are
computed as FROM + i x STEP and rounded to the decimals written, so
0.1:0.3:0.1 gives exactly 0.1, 0.2, 0.3. --vary PATH=a,b,c gives a list of
YAML values (commas inside [] and {} do not split:
--vary 'policy.routes[0].to.category=[rural],[town, rural]').

--columns picks the result columns (default all): status, moves,
quota_short, backbone_short, filled, emptied, km, z, and the inspection
indicators' student-weighted coefficients of variation after the plan,
cv_<stage>_backbone and cv_<stage>_pe_art for each stage group of the
scenario (cv selects them all; see rotaplan report for before and after).

JSON: {"vary": [PATH...], "points": [{"values": [VALUE per PATH], "status",
"moves", "quota_short", "backbone_short", "filled", "emptied", "km", "z",
"terms": {the six objective terms}, "bound", "cv": {column: value}}]};
an infeasible point has only values and status. --svg FILE draws the
numeric ones against the first varied value, one panel per column and one
line per combination of the other varied values.`,
		Example: `  rotaplan sweep county.yaml --vary policy.quotas[0].min_share=0.1:0.3:0.05
  rotaplan sweep county.yaml --vary policy.limits.max_km=10:40:10 --vary objective.km=0,1,5 --format csv
  rotaplan sweep county.yaml --vary policy.quotas[0].min_share=0.1:0.3:0.1 --svg sweep.svg --columns z,moves`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.scenarioPath = args[0]
			// Ctrl-C stops the solves; points then report their best plan so far.
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
			defer stop()
			return runSweep(ctx, opts, st)
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&opts.vary, "vary", nil, "a varied value PATH=FROM:TO:STEP or PATH=a,b,c (repeatable)")
	f.StringVar(&opts.format, "format", "text", "output format: text, csv or json")
	f.StringVar(&opts.svg, "svg", "", "also write an SVG line chart of the columns to `FILE`")
	f.StringVar(&opts.columns, "columns", "", "comma-separated result columns (default all)")
	f.IntVar(&opts.jobs, "jobs", runtime.NumCPU(), "points solved at the same time")
	f.DurationVar(&opts.timeLimit, "time-limit", 0, "time limit per point (0: none; results then depend on the clock)")
	f.Float64Var(&opts.gap, "gap", 0, "relative gap at which a point's solve stops (0: prove optimality)")
	opts.scenario.register(cmd)
	return cmd
}

// sweepSolve solves one point; tests of the sweep's plumbing replace it.
var sweepSolve = solver.Solve

// sweepColumns are the result columns, in output order.
var sweepColumns = []string{"status", "moves", "quota_short", "backbone_short", "filled", "emptied", "km", "z"}

// axis is one varied path and its values, as written into --set.
type axis struct {
	path   string
	values []string
}

// parseVary parses PATH=FROM:TO:STEP or PATH=a,b,c.
func parseVary(s string) (axis, error) {
	path, spec, ok := strings.Cut(s, "=")
	if !ok || path == "" || spec == "" {
		return axis{}, fmt.Errorf("--vary %s: want PATH=FROM:TO:STEP or PATH=a,b,c", s)
	}
	a := axis{path: path}
	if !strings.Contains(spec, ":") || strings.ContainsAny(spec, ",[{") {
		a.values = splitTopLevel(spec)
		return a, nil
	}
	parts := strings.Split(spec, ":")
	if len(parts) != 3 {
		return axis{}, fmt.Errorf("--vary %s: want FROM:TO:STEP", s)
	}
	var num [3]float64
	dec := 0
	for i, p := range parts {
		p = strings.TrimSpace(p)
		x, err := strconv.ParseFloat(p, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return axis{}, fmt.Errorf("--vary %s: %q is not a number", s, p)
		}
		num[i] = x
		if _, frac, ok := strings.Cut(p, "."); ok {
			dec = max(dec, len(strings.TrimRight(frac, "0")))
		}
	}
	from, to, step := num[0], num[1], num[2]
	if step == 0 || (to-from)*step < 0 {
		return axis{}, fmt.Errorf("--vary %s: STEP must be non-zero and lead from FROM to TO", s)
	}
	n := int(math.Floor((to-from)/step+1e-9)) + 1
	if n > 10000 {
		return axis{}, fmt.Errorf("--vary %s: %d values, at most 10000", s, n)
	}
	for i := range n {
		v := model.Round(from+float64(i)*step, dec)
		a.values = append(a.values, strconv.FormatFloat(v, 'f', dec, 64))
	}
	return a, nil
}

// splitTopLevel splits a,b,c at the commas outside [] and {}, so that YAML
// flow values work: [urban],[urban, town] is two values.
func splitTopLevel(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '[', '{':
			depth++
		case ']', '}':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	return append(out, strings.TrimSpace(s[start:]))
}

// sweepPoint is one point of the grid and its result.
type sweepPoint struct {
	values []string // per axis
	in     *model.Instance
	res    *solver.Result
	out    *model.Outcome
	cv     map[string]float64 // indicator CV after the plan, by column name
	err    error
}

func (p *sweepPoint) metric(col string) (float64, bool) {
	if p.res == nil || p.res.Status == solver.Infeasible || p.out == nil {
		return 0, false
	}
	o := p.out
	switch col {
	case "moves":
		return float64(len(p.res.Moves)), true
	case "quota_short":
		n := 0
		for _, u := range o.Units {
			n += u.CountShort
		}
		return float64(n), true
	case "backbone_short":
		x := 0.0
		for _, u := range o.Units {
			x += u.BackboneShort
		}
		return model.Round(x, 3), true
	case "filled":
		return float64(o.Filled), true
	case "emptied":
		return float64(o.Emptied), true
	case "km":
		return model.Round(o.Km, 1), true
	case "z":
		return model.Round(o.Terms.Total(), 2), true
	}
	x, ok := p.cv[col]
	return x, ok
}

// cvColumn names the column of an inspection indicator's CV after the plan:
// cv_<stage>_backbone or cv_<stage>_pe_art.
func cvColumn(c report.IndicatorCV) string {
	ind := strings.TrimSuffix(c.Indicator, "_per_100")
	return "cv_" + c.Stage + "_" + ind
}

// cvColumns are the CV columns of the stage groups of any point, in the
// order report.Indicators gives them (stage, then indicator).
func cvColumns(grid []*sweepPoint) []string {
	var order []string
	for _, p := range grid {
		for _, c := range report.Indicators(p.in, nil) {
			if name := cvColumn(c); !slices.Contains(order, name) {
				order = append(order, name)
			}
		}
	}
	rank := func(name string) int {
		for i, st := range model.Stages {
			if strings.HasPrefix(name, "cv_"+st+"_") {
				return i
			}
		}
		return len(model.Stages)
	}
	slices.SortStableFunc(order, func(a, b string) int { return rank(a) - rank(b) })
	return order
}

// sweepSelectColumns parses --columns against the available columns; "cv"
// stands for every CV column. Empty means all.
func sweepSelectColumns(spec string, all []string) ([]string, error) {
	if spec == "" {
		return all, nil
	}
	var cols []string
	for _, c := range strings.Split(spec, ",") {
		c = strings.TrimSpace(c)
		switch {
		case c == "cv":
			for _, a := range all {
				if strings.HasPrefix(a, "cv_") {
					cols = append(cols, a)
				}
			}
		case slices.Contains(all, c):
			cols = append(cols, c)
		default:
			return nil, usageError("--columns: unknown column %q (want some of %s, or cv)", c, strings.Join(all, ", "))
		}
	}
	return cols, nil
}

func (p *sweepPoint) cell(col string) string {
	if col == "status" {
		if p.res == nil {
			return "error"
		}
		return string(p.res.Status)
	}
	if x, ok := p.metric(col); ok {
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return ""
}

func runSweep(ctx context.Context, opts *sweepOptions, st Streams) error {
	if ctx == nil {
		ctx = context.Background()
	}
	switch opts.format {
	case "text", "csv", "json":
	default:
		return usageError("--format %q: want text, csv or json", opts.format)
	}
	if len(opts.vary) == 0 {
		return usageError("sweep needs at least one --vary PATH=FROM:TO:STEP")
	}
	var axes []axis
	points := 1
	for _, v := range opts.vary {
		a, err := parseVary(v)
		if err != nil {
			return usageError("%v", err)
		}
		axes = append(axes, a)
		points *= len(a.values)
		if points > 100000 {
			return usageError("--vary: more than 100000 points")
		}
	}
	// The grid, first axis slowest; every point's scenario is loaded and
	// validated before anything is solved, so a bad value fails fast.
	grid := make([]*sweepPoint, points)
	for i := range grid {
		p := &sweepPoint{values: make([]string, len(axes))}
		rest := i
		for j := len(axes) - 1; j >= 0; j-- {
			n := len(axes[j].values)
			p.values[j] = axes[j].values[rest%n]
			rest /= n
		}
		sets := slices.Clone(opts.scenario.sets)
		for j, a := range axes {
			sets = append(sets, a.path+"="+p.values[j])
		}
		in, err := loadScenario(opts.scenarioPath, sets)
		if err != nil {
			return atPoint(err, pointName(axes, p.values))
		}
		p.in = in
		grid[i] = p
	}
	cols, err := sweepSelectColumns(opts.columns, append(slices.Clone(sweepColumns), cvColumns(grid)...))
	if err != nil {
		return err
	}
	settings := &solver.Settings{TimeLimit: opts.timeLimit, Gap: opts.gap}
	jobs := max(1, opts.jobs)
	var wg sync.WaitGroup
	var mu sync.Mutex // guards done and the progress line
	done := 0
	next := make(chan *sweepPoint)
	for range min(jobs, len(grid)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range next {
				p.res, p.err = sweepSolve(ctx, p.in, settings)
				if p.err == nil && p.res.Status != solver.Infeasible {
					p.out = model.Evaluate(p.in, p.res.Moves)
					p.cv = map[string]float64{}
					for _, c := range report.Indicators(p.in, p.res.Moves) {
						p.cv[cvColumn(c)] = model.Round(c.AfterCV, 3)
					}
				}
				if st.Terminal {
					mu.Lock()
					done++
					fmt.Fprintf(st.Err, "\rsweep: %d of %d points solved", done, len(grid))
					mu.Unlock()
				}
			}
		}()
	}
	for _, p := range grid {
		next <- p
	}
	close(next)
	wg.Wait()
	if st.Terminal {
		fmt.Fprintln(st.Err)
	}
	for _, p := range grid {
		if p.err != nil {
			return fmt.Errorf("point %s: %w", pointName(axes, p.values), p.err)
		}
	}
	switch opts.format {
	case "csv":
		err = writeSweepCSV(st.Out, axes, cols, grid)
	case "json":
		err = writeSweepJSON(st.Out, axes, grid)
	default:
		writeSweepText(st.Out, axes, cols, grid)
	}
	if err != nil {
		return err
	}
	if opts.svg != "" {
		return model.WriteFileAtomic(opts.svg, func(w io.Writer) error {
			return writeSweepSVG(w, opts.scenarioPath, axes, cols, grid)
		})
	}
	return nil
}

// atPoint says which point of the sweep an input error belongs to,
// keeping the positioned form of an ErrorList.
func atPoint(err error, point string) error {
	list, ok := err.(model.ErrorList)
	if !ok {
		return fmt.Errorf("point %s: %w", point, err)
	}
	out := make(model.ErrorList, len(list))
	for i, e := range list {
		out[i] = &model.Error{Pos: e.Pos, Msg: e.Msg + " (sweep point " + point + ")"}
	}
	return out
}

func pointName(axes []axis, values []string) string {
	var parts []string
	for j, a := range axes {
		parts = append(parts, a.path+"="+values[j])
	}
	return strings.Join(parts, " ")
}

func sweepHeader(axes []axis, cols []string) []string {
	var h []string
	for _, a := range axes {
		h = append(h, a.path)
	}
	return append(h, cols...)
}

func sweepRow(p *sweepPoint, cols []string) []string {
	row := slices.Clone(p.values)
	for _, c := range cols {
		row = append(row, p.cell(c))
	}
	return row
}

func writeSweepText(w io.Writer, axes []axis, cols []string, grid []*sweepPoint) {
	rows := [][]string{sweepHeader(axes, cols)}
	for _, p := range grid {
		rows = append(rows, sweepRow(p, cols))
	}
	width := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			if i > 0 {
				b.WriteString("  ")
			}
			pad := strings.Repeat(" ", width[i]-len([]rune(c)))
			if i < len(axes) || cols[i-len(axes)] == "status" {
				b.WriteString(c + pad) // left-aligned
			} else {
				b.WriteString(pad + c)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

func writeSweepCSV(w io.Writer, axes []axis, cols []string, grid []*sweepPoint) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(sweepHeader(axes, cols))
	for _, p := range grid {
		_ = cw.Write(sweepRow(p, cols))
	}
	cw.Flush()
	return cw.Error()
}

// sweepJSON is the JSON shape: the varied paths and one entry per point.
type sweepJSON struct {
	Vary   []string         `json:"vary"`
	Points []sweepPointJSON `json:"points"`
}

type sweepPointJSON struct {
	Values        []string     `json:"values"` // per varied path, as applied
	Status        string       `json:"status"`
	Moves         *int         `json:"moves,omitempty"`
	QuotaShort    *float64     `json:"quota_short,omitempty"`
	BackboneShort *float64     `json:"backbone_short,omitempty"`
	Filled        *float64     `json:"filled,omitempty"`
	Emptied       *float64     `json:"emptied,omitempty"`
	Km            *float64     `json:"km,omitempty"`
	Z             *float64     `json:"z,omitempty"`
	Terms         *model.Terms `json:"terms,omitempty"`
	Bound         *float64     `json:"bound,omitempty"`
	// CV is each inspection indicator's coefficient of variation after the
	// plan, by column name (cv_<stage>_backbone, cv_<stage>_pe_art).
	CV map[string]float64 `json:"cv,omitempty"`
}

func writeSweepJSON(w io.Writer, axes []axis, grid []*sweepPoint) error {
	out := sweepJSON{Points: []sweepPointJSON{}}
	for _, a := range axes {
		out.Vary = append(out.Vary, a.path)
	}
	for _, p := range grid {
		pj := sweepPointJSON{Values: p.values, Status: p.cell("status")}
		ptr := func(col string) *float64 {
			if x, ok := p.metric(col); ok {
				return &x
			}
			return nil
		}
		if m := ptr("moves"); m != nil {
			n := int(*m)
			pj.Moves = &n
			terms := model.RoundTerms(p.out.Terms)
			pj.Terms = &terms
			if b := p.res.Bound; !math.IsInf(b, 0) && !math.IsNaN(b) {
				b = model.Round(b, 6)
				pj.Bound = &b
			}
		}
		pj.QuotaShort, pj.BackboneShort, pj.Filled = ptr("quota_short"), ptr("backbone_short"), ptr("filled")
		pj.Emptied, pj.Km, pj.Z = ptr("emptied"), ptr("km"), ptr("z")
		if len(p.cv) > 0 {
			pj.CV = p.cv
		}
		out.Points = append(out.Points, pj)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

var svgPalette = []string{"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"}

// svgNum formats a coordinate: 2 decimals at most, so files are stable.
func svgNum(x float64) string { return strconv.FormatFloat(model.Round(x, 2), 'f', -1, 64) }

var svgEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")

// writeSweepSVG draws one panel per numeric column against the first varied
// value, one line per combination of the other varied values. The chart is
// self-contained (no scripts, fonts or links) and byte-for-byte
// deterministic.
func writeSweepSVG(w io.Writer, title string, axes []axis, cols []string, grid []*sweepPoint) error {
	var metrics []string
	for _, c := range cols {
		if c != "status" {
			metrics = append(metrics, c)
		}
	}
	if len(metrics) == 0 {
		metrics = []string{"z"}
	}
	// x positions: the first axis's values when they are all numbers, else their ranks.
	xs := axes[0].values
	xval := make(map[string]float64, len(xs))
	numeric := true
	for _, v := range xs {
		x, err := strconv.ParseFloat(v, 64)
		numeric = numeric && err == nil
		xval[v] = x
	}
	if !numeric {
		for i, v := range xs {
			xval[v] = float64(i)
		}
	}
	xmin, xmax := xval[xs[0]], xval[xs[0]]
	for _, v := range xs {
		xmin, xmax = math.Min(xmin, xval[v]), math.Max(xmax, xval[v])
	}
	if xmax == xmin {
		xmin, xmax = xmin-1, xmax+1
	}
	// Series: the other axes' values, in grid order.
	var series []string
	seriesOf := func(p *sweepPoint) string { return pointName(axes[1:], p.values[1:]) }
	for _, p := range grid {
		if s := seriesOf(p); !slices.Contains(series, s) {
			series = append(series, s)
		}
	}

	const (
		width, panelH, left, right, top, gapH = 760.0, 180.0, 80.0, 200.0, 50.0, 60.0
	)
	plotW := width - left - right
	height := top + float64(len(metrics))*(panelH+gapH)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" font-family="sans-serif" font-size="12">`+"\n",
		svgNum(width), svgNum(height), svgNum(width), svgNum(height))
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(&b, `<text x="%s" y="24" font-size="15">%s</text>`+"\n", svgNum(left), svgEscaper.Replace("rotaplan sweep: "+title))
	for mi, m := range metrics {
		y0 := top + float64(mi)*(panelH+gapH) // panel top
		ymin, ymax := math.Inf(1), math.Inf(-1)
		for _, p := range grid {
			if v, ok := p.metric(m); ok {
				ymin, ymax = math.Min(ymin, v), math.Max(ymax, v)
			}
		}
		if math.IsInf(ymin, 0) {
			ymin, ymax = 0, 1
		}
		if ymax == ymin { // a flat line: give it room, without negative counts
			if ymin >= 0 {
				ymin, ymax = max(0, ymin-1), ymax+1
			} else {
				ymin, ymax = ymin-1, ymax+1
			}
		}
		px := func(x float64) float64 { return left + (x-xmin)/(xmax-xmin)*plotW }
		py := func(y float64) float64 { return y0 + panelH - (y-ymin)/(ymax-ymin)*panelH }
		fmt.Fprintf(&b, `<g><text x="%s" y="%s" font-weight="bold">%s</text>`+"\n", svgNum(left), svgNum(y0-8), svgEscaper.Replace(m))
		fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="none" stroke="#999"/>`+"\n", svgNum(left), svgNum(y0), svgNum(plotW), svgNum(panelH))
		for i := range 5 {
			y := ymin + float64(i)/4*(ymax-ymin)
			fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#eee"/><text x="%s" y="%s" text-anchor="end">%s</text>`+"\n",
				svgNum(left), svgNum(py(y)), svgNum(left+plotW), svgNum(py(y)), svgNum(left-6), svgNum(py(y)+4), svgNum(y))
		}
		step := max(1, (len(xs)+9)/10)
		for i, v := range xs {
			if i%step != 0 && i != len(xs)-1 {
				continue
			}
			fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle">%s</text>`+"\n", svgNum(px(xval[v])), svgNum(y0+panelH+16), svgEscaper.Replace(v))
		}
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" fill="#555">%s</text>`+"\n", svgNum(left+plotW/2), svgNum(y0+panelH+34), svgEscaper.Replace(axes[0].path))
		for si, s := range series {
			color := svgPalette[si%len(svgPalette)]
			var pts []string
			var dots strings.Builder
			for _, p := range grid {
				if seriesOf(p) != s {
					continue
				}
				v, ok := p.metric(m)
				if !ok {
					continue
				}
				x, y := svgNum(px(xval[p.values[0]])), svgNum(py(v))
				pts = append(pts, x+","+y)
				fmt.Fprintf(&dots, `<circle cx="%s" cy="%s" r="3" fill="%s"><title>%s: %s</title></circle>`+"\n",
					x, y, color, svgEscaper.Replace(pointName(axes, p.values)), svgNum(v))
			}
			if len(pts) > 1 {
				fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>`+"\n", strings.Join(pts, " "), color)
			}
			b.WriteString(dots.String())
			if s != "" && mi == 0 {
				ly := y0 + 14 + float64(si)*16
				fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="2"/><text x="%s" y="%s">%s</text>`+"\n",
					svgNum(left+plotW+12), svgNum(ly-4), svgNum(left+plotW+30), svgNum(ly-4), color, svgNum(left+plotW+36), svgNum(ly), svgEscaper.Replace(s))
			}
		}
		b.WriteString("</g>\n")
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}
