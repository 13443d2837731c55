package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode"

	"rotaplan/model"
)

// Formats the writers know.
const (
	FormatText = "text"
	FormatMD   = "md"
	FormatJSON = "json"
	FormatHTML = "html"
)

// Formats lists them in the order help texts show.
var Formats = []string{FormatText, FormatMD, FormatJSON, FormatHTML}

// Write renders the report in a format.
func Write(w io.Writer, r *Report, format string) error {
	switch format {
	case FormatText:
		return WriteText(w, r)
	case FormatMD:
		return WriteMarkdown(w, r)
	case FormatJSON:
		return WriteJSON(w, r)
	case FormatHTML:
		return WriteHTML(w, r)
	}
	return fmt.Errorf("unknown report format %q (want %s)", format, strings.Join(Formats, ", "))
}

// rounded is a copy with the indicator values rounded to 6 decimals, so
// that JSON output does not carry floating-point noise.
func (r *Report) rounded() *Report {
	c := *r
	c.Indicators = make([]IndicatorCV, len(r.Indicators))
	for i, x := range r.Indicators {
		x.BeforeMean, x.AfterMean = model.Round(x.BeforeMean, 6), model.Round(x.AfterMean, 6)
		x.BeforeCV, x.AfterCV = model.Round(x.BeforeCV, 6), model.Round(x.AfterCV, 6)
		c.Indicators[i] = x
	}
	c.PerSchool = make([]SchoolIndicator, len(r.PerSchool))
	for i, x := range r.PerSchool {
		for j := range 2 {
			x.BackboneX[j], x.PEArtX[j] = model.Round(x.BackboneX[j], 6), model.Round(x.PEArtX[j], 6)
		}
		c.PerSchool[i] = x
	}
	return &c
}

// WriteJSON writes the report as indented JSON.
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r.rounded())
}

// table collects rows and pads columns by terminal width (a CJK character
// takes two columns), right-aligning the columns flagged numeric.
type table struct {
	head    []string
	numeric []bool
	rows    [][]string
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) write(w io.Writer, indent string) {
	width := make([]int, len(t.head))
	for _, row := range append([][]string{t.head}, t.rows...) {
		for i, c := range row {
			width[i] = max(width[i], displayWidth(c))
		}
	}
	for _, row := range append([][]string{t.head}, t.rows...) {
		var b strings.Builder
		b.WriteString(indent)
		for i, c := range row {
			pad := strings.Repeat(" ", width[i]-displayWidth(c))
			if i > 0 {
				b.WriteString("  ")
			}
			if t.numeric[i] {
				b.WriteString(pad + c)
			} else if i < len(row)-1 {
				b.WriteString(c + pad)
			} else {
				b.WriteString(c)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

func (t *table) markdown(w io.Writer) {
	fmt.Fprintln(w, "| "+strings.Join(t.head, " | ")+" |")
	var sep []string
	for _, n := range t.numeric {
		if n {
			sep = append(sep, "---:")
		} else {
			sep = append(sep, "---")
		}
	}
	fmt.Fprintln(w, "| "+strings.Join(sep, " | ")+" |")
	for _, row := range t.rows {
		cells := make([]string, len(row))
		for i, c := range row {
			cells[i] = strings.ReplaceAll(c, "|", `\|`)
		}
		fmt.Fprintln(w, "| "+strings.Join(cells, " | ")+" |")
	}
}

// displayWidth counts terminal columns: 2 for wide East Asian characters.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x30FF) || (r >= 0xFF00 && r <= 0xFF60) || (r >= 0xAC00 && r <= 0xD7A3):
			n += 2
		default:
			n++
		}
	}
	return n
}

func num(x float64, dec int) string { return fmt.Sprintf("%.*f", dec, x) }

func itoa(n int) string { return fmt.Sprint(n) }

func arrow(a, b int) string {
	if a == b {
		return itoa(a)
	}
	return fmt.Sprintf("%d→%d", a, b)
}

func students(p *int) string {
	if p == nil {
		return "-"
	}
	return itoa(*p)
}

func status(u UnitRow) string {
	switch {
	case u.Met:
		return "met"
	case u.CountShort > 0 && u.BackboneShort > 0:
		return fmt.Sprintf("short %d, backbone short %g", u.CountShort, u.BackboneShort)
	case u.CountShort > 0:
		return fmt.Sprintf("short %d", u.CountShort)
	}
	return fmt.Sprintf("backbone short %g", u.BackboneShort)
}

func (r *Report) title() string {
	name := r.Scenario
	if name == "" {
		name = r.File
	}
	return name
}

func (r *Report) summaryLine() string {
	s := r.Summary
	return fmt.Sprintf("%d moves (%d backbone) of %d teachers (%d eligible) in %d schools; %d required posts filled, %d emptied; %s km; quota units met %d of %d",
		s.Moves, s.BackboneMoves, s.Teachers, s.Eligible, s.Schools, s.Filled, s.Emptied, num(s.Km, 1), s.UnitsMet, s.Units)
}

func (r *Report) objectiveLine() string {
	o := r.Objective
	r3 := func(x float64) float64 { return model.Round(x, 3) }
	return fmt.Sprintf("Z = %g (quota %g, backbone %g, fill %g, deficit %g, km %g, wish %g)", r3(r.Z), r3(o.Quota), r3(o.Backbone), r3(o.Fill), r3(o.Deficit), r3(o.Km), r3(o.Wish))
}

func (r *Report) quotaTable() *table {
	t := &table{head: []string{"unit", "eligible", "target", "moves", "backbone", "needed", "max", "status"},
		numeric: []bool{false, true, true, true, true, true, true, false}}
	for _, u := range r.Units {
		t.add(u.Name, itoa(u.Eligible), itoa(u.Target), itoa(u.Moves), itoa(u.BackboneMoves), fmt.Sprintf("%g", u.BackboneNeeded), itoa(u.MaxDepartures), status(u))
	}
	return t
}

func (r *Report) schoolTable() *table {
	t := &table{head: []string{"school", "name", "category", "teachers", "out", "in", "backbone out/in", "filled", "emptied", "leaver km"},
		numeric: []bool{false, false, false, true, true, true, true, true, true, true}}
	for _, s := range r.Schools {
		t.add(s.ID, s.Name, s.Category, arrow(s.TeachersBefore, s.TeachersAfter), itoa(s.Out), itoa(s.In),
			fmt.Sprintf("%d/%d", s.BackboneOut, s.BackboneIn), itoa(s.Filled), itoa(s.Emptied), num(s.LeaverKm, 1))
	}
	return t
}

// postTable lists, per school and subject, required posts and the posts
// held (filled = min(staff, required)) before and after.
func (r *Report) postTable() *table {
	t := &table{head: []string{"school", "subject", "required", "staff", "filled", "open"},
		numeric: []bool{false, false, true, true, true, true}}
	for _, s := range r.Schools {
		for _, k := range s.Subjects {
			t.add(s.ID, k.Subject, itoa(k.Req), arrow(k.StaffBefore, k.StaffAfter), arrow(k.FilledBefore, k.FilledAfter),
				arrow(k.Req-k.FilledBefore, k.Req-k.FilledAfter))
		}
	}
	return t
}

func (r *Report) indicatorTable() *table {
	t := &table{head: []string{"stage", "indicator", "schools", "students", "mean before", "mean after", "CV before", "CV after", "threshold", "after"},
		numeric: []bool{false, false, true, true, true, true, true, true, true, false}}
	for _, c := range r.Indicators {
		ok := "ok"
		if c.AfterCV > c.Threshold {
			ok = "above"
		}
		t.add(c.Stage, c.Indicator, itoa(c.Schools), itoa(c.Students), num(c.BeforeMean, 3), num(c.AfterMean, 3),
			num(c.BeforeCV, 3), num(c.AfterCV, 3), num(c.Threshold, 2), ok)
	}
	return t
}

func (r *Report) schoolIndicatorTable() *table {
	t := &table{head: []string{"school", "stage", "students", "backbone", "backbone/100", "PE+art", "PE+art/100"},
		numeric: []bool{false, false, true, true, true, true, true}}
	for _, s := range r.PerSchool {
		t.add(s.School, orDash(s.Stage), itoa(s.Students), arrow(s.BackboneBefore, s.BackboneAfter),
			num(s.BackboneX[0], 2)+"→"+num(s.BackboneX[1], 2), arrow(s.PEArtBefore, s.PEArtAfter), num(s.PEArtX[0], 2)+"→"+num(s.PEArtX[1], 2))
	}
	return t
}

func (r *Report) moveTable() *table {
	t := &table{head: []string{"teacher", "name", "from", "to", "subject", "backbone", "km", "wish"},
		numeric: []bool{false, false, false, false, false, false, true, true}}
	for _, m := range r.Moves {
		subj := m.Subject
		if !m.Own {
			subj += " (other)"
		}
		wish := "-"
		if m.Wish > 0 {
			wish = itoa(m.Wish)
		}
		t.add(m.Teacher, m.Name, m.From, m.To, subj, orDash(m.Backbone), num(m.Km, 1), wish)
	}
	return t
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// WriteText writes the report for a terminal.
func WriteText(w io.Writer, r *Report) error {
	fmt.Fprintf(w, "Rotation report: %s, year %d\n", r.title(), r.Year)
	fmt.Fprintf(w, "scenario %s", r.File)
	if r.Plan != "" {
		fmt.Fprintf(w, ", plan %s", r.Plan)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, r.summaryLine())
	fmt.Fprintln(w, r.objectiveLine())
	writeViolations(w, r, "")
	fmt.Fprintln(w, "\nQuotas (max = most of the unit's teachers that can leave at once under H2-H4)")
	if len(r.Units) == 0 {
		fmt.Fprintln(w, "  none")
	} else {
		r.quotaTable().write(w, "  ")
		for _, u := range r.Units {
			if u.Reason != "" {
				fmt.Fprintf(w, "  %s: %s\n", u.Name, u.Reason)
			}
			if u.BackboneReason != "" {
				fmt.Fprintf(w, "  %s (backbone): %s\n", u.Name, u.BackboneReason)
			}
		}
	}
	fmt.Fprintln(w, "\nSchools (before→after)")
	r.schoolTable().write(w, "  ")
	fmt.Fprintln(w, "\nPosts by school and subject (before→after; filled = min(staff, required))")
	r.postTable().write(w, "  ")
	fmt.Fprintln(w, "\nInspection indicators (2017): student-weighted CV per stage group")
	if len(r.Indicators) == 0 {
		fmt.Fprintln(w, "  none: no school has both a stage and students")
	} else {
		r.indicatorTable().write(w, "  ")
	}
	fmt.Fprintln(w, "\nPer school, per 100 students: backbone of county level or above; PE, music and art teachers")
	r.schoolIndicatorTable().write(w, "  ")
	fmt.Fprintln(w, "\nMoves")
	if len(r.Moves) == 0 {
		fmt.Fprintln(w, "  none")
	} else {
		r.moveTable().write(w, "  ")
	}
	return nil
}

func writeViolations(w io.Writer, r *Report, bullet string) {
	if len(r.Violations) == 0 {
		fmt.Fprintln(w, bullet+"Hard rules H1-H4: all kept")
		return
	}
	fmt.Fprintf(w, "%sHard rules H1-H4: %d broken\n", bullet, len(r.Violations))
	for _, v := range r.Violations {
		fmt.Fprintf(w, "  - %s\n", v)
	}
}

// WriteMarkdown writes the report as Markdown with tables.
func WriteMarkdown(w io.Writer, r *Report) error {
	fmt.Fprintf(w, "# Rotation report: %s, year %d\n\n", r.title(), r.Year)
	fmt.Fprintf(w, "- scenario `%s`", r.File)
	if r.Plan != "" {
		fmt.Fprintf(w, ", plan `%s`", r.Plan)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "- %s\n- %s\n", r.summaryLine(), r.objectiveLine())
	writeViolations(w, r, "- ")
	fmt.Fprintln(w, "\n## Quotas\n\nmax = most of the unit's teachers that can leave at once under H2-H4.")
	fmt.Fprintln(w)
	if len(r.Units) == 0 {
		fmt.Fprintln(w, "None.")
	} else {
		r.quotaTable().markdown(w)
		fmt.Fprintln(w)
		for _, u := range r.Units {
			if u.Reason != "" {
				fmt.Fprintf(w, "- **%s**: %s\n", u.Name, u.Reason)
			}
			if u.BackboneReason != "" {
				fmt.Fprintf(w, "- **%s** (backbone): %s\n", u.Name, u.BackboneReason)
			}
		}
	}
	fmt.Fprintln(w, "\n## Schools (before→after)")
	fmt.Fprintln(w)
	r.schoolTable().markdown(w)
	fmt.Fprintln(w, "\n## Posts by school and subject\n\nbefore→after; filled = min(staff, required).")
	fmt.Fprintln(w)
	r.postTable().markdown(w)
	fmt.Fprintln(w, "\n## Inspection indicators (2017)\n\nStudent-weighted coefficient of variation per stage group.")
	fmt.Fprintln(w)
	if len(r.Indicators) == 0 {
		fmt.Fprintln(w, "None: no school has both a stage and students.")
	} else {
		r.indicatorTable().markdown(w)
	}
	fmt.Fprintln(w)
	r.schoolIndicatorTable().markdown(w)
	fmt.Fprintln(w, "\n## Moves")
	fmt.Fprintln(w)
	if len(r.Moves) == 0 {
		fmt.Fprintln(w, "None.")
	} else {
		r.moveTable().markdown(w)
	}
	return nil
}
