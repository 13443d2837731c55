package gen

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"rotaplan/model"
)

// LargeRoster is the roster size above which WriteFiles callers (the
// generate command) switch to a CSV roster without being asked: a county
// of 80,000 inline teachers makes a YAML file nobody opens in an editor.
const LargeRoster = 20000

// RosterName is the roster file name used next to a scenario file:
// county.yaml -> county.roster.csv.
func RosterName(scenarioPath string) string {
	base := filepath.Base(scenarioPath)
	return strings.TrimSuffix(base, filepath.Ext(base)) + ".roster.csv"
}

// WriteFiles writes the scenario to path and, when sc.TeachersCSV is set,
// the roster to that name relative to path's folder; each file atomically.
// The roster is written first, so that the scenario never names a roster
// that does not exist yet.
func WriteFiles(path string, sc *model.Scenario, comment string) error {
	if sc.TeachersCSV != "" {
		roster := sc.TeachersCSV
		if !filepath.IsAbs(roster) {
			roster = filepath.Join(filepath.Dir(path), roster)
		}
		if err := model.WriteFileAtomic(roster, func(w io.Writer) error { return WriteRoster(w, sc.Teachers) }); err != nil {
			return err
		}
	}
	return model.WriteFileAtomic(path, func(w io.Writer) error { return WriteYAML(w, sc, comment) })
}

// WriteYAML writes the scenario in the format of the spec, in the spec's
// key order, one flow mapping per teacher. comment, if not empty, becomes
// "# " lines at the top. With sc.TeachersCSV set the teachers are not
// written, only the reference to the roster (see WriteRoster). Optional
// values that are absent (nil pointers, empty strings, defaults of the
// spec such as tier 1 and priority 1) are left out.
func WriteYAML(w io.Writer, sc *model.Scenario, comment string) error {
	b := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	if comment != "" {
		for _, l := range strings.Split(strings.TrimRight(comment, "\n"), "\n") {
			p("%s\n", strings.TrimRight("# "+l, " "))
		}
	}
	p("version: %d\n", max(sc.Version, 1))
	if sc.Name != "" {
		p("name: %s\n", scalar(sc.Name))
	}
	p("year: %d\n", sc.Year)

	if len(sc.Subjects) > 0 {
		p("\nsubjects:\n")
		for _, s := range sc.Subjects {
			var kv []string
			if s.Name != "" {
				kv = append(kv, "name: "+scalar(s.Name))
			}
			if s.Priority != 1 && s.Priority != 0 {
				kv = append(kv, "priority: "+num(s.Priority))
			}
			p("  %s: {%s}\n", scalar(s.ID), strings.Join(kv, ", "))
		}
	}

	p("\nschools:\n")
	for _, s := range sc.Schools {
		p("  - id: %s\n", scalar(s.ID))
		if s.Name != "" {
			p("    name: %s\n", scalar(s.Name))
		}
		p("    category: %s\n", scalar(s.Category))
		if s.Tier > 1 {
			p("    tier: %d\n", s.Tier)
		} else {
			p("    tier: 1\n")
		}
		if s.Group != "" {
			p("    group: %s\n", scalar(s.Group))
		}
		if s.Stage != "" {
			p("    stage: %s\n", scalar(s.Stage))
		}
		if s.Students != nil {
			p("    students: %d\n", *s.Students)
		}
		if s.Location != nil {
			p("    location: {lat: %s, lon: %s}\n", num(s.Location.Lat), num(s.Location.Lon))
		}
		if s.Priority != 1 && s.Priority != 0 {
			p("    priority: %s\n", num(s.Priority))
		}
		var kv []string
		for _, k := range demandOrder(sc, s.Demand) {
			kv = append(kv, fmt.Sprintf("%s: %d", scalar(k), s.Demand[k]))
		}
		p("    demand: {%s}\n", strings.Join(kv, ", "))
	}

	if sc.TeachersCSV != "" {
		p("\nteachers_csv: %s\n", scalar(sc.TeachersCSV))
	} else {
		p("\nteachers:\n")
		for _, t := range sc.Teachers {
			var kv []string
			for _, f := range teacherFields(&t) {
				if f.val == "" {
					continue
				}
				v := scalar(f.val)
				if f.raw {
					v = f.val
				} else if f.list {
					v = "[" + strings.Join(mapScalars(strings.Split(f.val, ";")), ", ") + "]"
				}
				kv = append(kv, f.key+": "+v)
			}
			p("  - {%s}\n", strings.Join(kv, ", "))
		}
	}

	writePolicy(p, &sc.Policy)
	if sc.Objective != model.DefaultWeights && sc.Objective != (model.Weights{}) {
		o := sc.Objective
		p("\nobjective:\n  quota: %s\n  backbone: %s\n  fill: %s\n  deficit: %s\n  km: %s\n  wish: %s\n",
			num(o.Quota), num(o.Backbone), num(o.Fill), num(o.Deficit), num(o.Km), num(o.Wish))
	}
	if len(sc.Pins) > 0 {
		p("\npins:\n")
		for _, pin := range sc.Pins {
			kv := "teacher: " + scalar(pin.Teacher) + ", to: " + scalar(pin.To)
			if pin.Subject != "" {
				kv += ", subject: " + scalar(pin.Subject)
			}
			p("  - {%s}\n", kv)
		}
	}
	if len(sc.Forbids) > 0 {
		p("\nforbid:\n")
		for _, f := range sc.Forbids {
			kv := "teacher: " + scalar(f.Teacher)
			if f.To != "" {
				kv += ", to: " + scalar(f.To)
			}
			p("  - {%s}\n", kv)
		}
	}
	return b.Flush()
}

func writePolicy(p func(string, ...any), pol *model.Policy) {
	p("\npolicy:\n")
	e := pol.Eligibility
	p("  eligibility:\n    min_years: %d\n", e.MinYears)
	if e.AgeLimitMale != nil || e.AgeLimitFemale != nil {
		var kv []string
		if e.AgeLimitMale != nil {
			kv = append(kv, fmt.Sprintf("male: %d", *e.AgeLimitMale))
		}
		if e.AgeLimitFemale != nil {
			kv = append(kv, fmt.Sprintf("female: %d", *e.AgeLimitFemale))
		}
		p("    age_limit: {%s}\n", strings.Join(kv, ", "))
	}
	if e.CooldownYears != nil {
		p("    cooldown_years: %d\n", *e.CooldownYears)
	}
	if len(pol.BackboneLevels) > 0 {
		p("  backbone_levels: [%s]\n", strings.Join(mapScalars(pol.BackboneLevels), ", "))
	}
	if len(pol.Quotas) > 0 {
		p("  quotas:\n")
		for _, q := range pol.Quotas {
			p("    - name: %s\n", scalar(q.Name))
			p("      from: %s\n", selector(q.From))
			p("      each: %t\n", q.Each)
			p("      min_share: %s\n", num(q.MinShare))
			if q.MinBackboneShare != 0 {
				p("      min_backbone_share: %s\n", num(q.MinBackboneShare))
			}
		}
	}
	l := pol.Limits
	if l.MaxKm != nil || l.MaxOutflowShare != nil || l.SourceDeficit != 0 {
		p("  limits:\n")
		if l.MaxKm != nil {
			p("    max_km: %s\n", num(*l.MaxKm))
		}
		if l.MaxOutflowShare != nil {
			p("    max_outflow_share: %s\n", num(*l.MaxOutflowShare))
		}
		if l.SourceDeficit != 0 {
			p("    source_deficit: %d\n", l.SourceDeficit)
		}
	}
	if len(pol.Routes) > 0 {
		p("  routes:\n")
		for _, r := range pol.Routes {
			var kv []string
			if !selectorEmpty(r.From) {
				kv = append(kv, "from: "+selector(r.From))
			}
			if !selectorEmpty(r.To) {
				kv = append(kv, "to: "+selector(r.To))
			}
			if r.SameGroup {
				kv = append(kv, "same_group: true")
			}
			p("    - {%s}\n", strings.Join(kv, ", "))
		}
	}
}

func selectorEmpty(s model.Selector) bool {
	return len(s.Schools) == 0 && len(s.Category) == 0 && len(s.Tier) == 0 && len(s.Group) == 0
}

// selector renders a selector as a flow mapping, {} when empty.
func selector(s model.Selector) string {
	var kv []string
	if len(s.Schools) > 0 {
		kv = append(kv, "schools: ["+strings.Join(mapScalars(s.Schools), ", ")+"]")
	}
	if len(s.Category) > 0 {
		kv = append(kv, "category: ["+strings.Join(mapScalars(s.Category), ", ")+"]")
	}
	if len(s.Tier) > 0 {
		var ts []string
		for _, t := range s.Tier {
			ts = append(ts, strconv.Itoa(t))
		}
		kv = append(kv, "tier: ["+strings.Join(ts, ", ")+"]")
	}
	if len(s.Group) > 0 {
		kv = append(kv, "group: ["+strings.Join(mapScalars(s.Group), ", ")+"]")
	}
	return "{" + strings.Join(kv, ", ") + "}"
}

// demandOrder lists a school's demand keys: catalogue order first, then
// the rest sorted (a map is never iterated for output).
func demandOrder(sc *model.Scenario, demand map[string]int) []string {
	var keys []string
	for _, s := range sc.Subjects {
		if _, ok := demand[s.ID]; ok {
			keys = append(keys, s.ID)
		}
	}
	var rest []string
	for k := range demand {
		if !slices.ContainsFunc(sc.Subjects, func(s model.Subject) bool { return s.ID == k }) {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	return append(keys, rest...)
}

type field struct {
	key, val string
	list     bool // val is a ;-separated list
	raw      bool // val is a number or boolean, written as it is
}

// rosterHeader is the column order of WriteRoster: the spec's order.
var rosterHeader = []string{"id", "name", "school", "subject", "also", "years", "age", "gender",
	"backbone", "title", "last_rotated", "exempt", "volunteer", "wishes"}

// teacherFields renders a teacher's keys in rosterHeader order; "" = absent.
func teacherFields(t *model.Teacher) []field {
	opt := func(p *int) string {
		if p == nil {
			return ""
		}
		return strconv.Itoa(*p)
	}
	vol := ""
	if t.Volunteer {
		vol = "true"
	}
	bb := t.Backbone
	if bb == "none" {
		bb = ""
	}
	return []field{
		{key: "id", val: t.ID},
		{key: "name", val: t.Name},
		{key: "school", val: t.School},
		{key: "subject", val: t.Subject},
		{key: "also", val: strings.Join(t.Also, ";"), list: true},
		{key: "years", raw: true, val: strconv.Itoa(t.Years)},
		{key: "age", raw: true, val: opt(t.Age)},
		{key: "gender", val: t.Gender},
		{key: "backbone", val: bb},
		{key: "title", val: t.Title},
		{key: "last_rotated", raw: true, val: opt(t.LastRotated)},
		{key: "exempt", val: t.Exempt},
		{key: "volunteer", raw: true, val: vol},
		{key: "wishes", val: strings.Join(t.Wishes, ";"), list: true},
	}
}

// WriteRoster writes teachers as the spec's CSV roster: a header row with
// every column, lists joined with ";", empty cells for absent keys.
func WriteRoster(w io.Writer, teachers []model.Teacher) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(rosterHeader); err != nil {
		return err
	}
	row := make([]string, len(rosterHeader))
	for i := range teachers {
		for j, f := range teacherFields(&teachers[i]) {
			row[j] = f.val
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func mapScalars(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = scalar(s)
	}
	return out
}

func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// scalar renders s as a YAML scalar: plain when that reads back as the same
// string in block and flow context alike, else double-quoted.
func scalar(s string) string {
	if plainSafe(s) {
		return s
	}
	return strconv.Quote(s)
}

// plainSafe reports whether s may be written plain: letters, digits and a
// few harmless punctuation marks, starting with a letter, digit or _, not
// ending in a space, and not a word or number YAML would read as something
// other than a string.
func plainSafe(s string) bool {
	if s == "" || s[len(s)-1] == ' ' {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
		case i > 0 && strings.ContainsRune(" .()（）/·-+", r):
		default:
			return false
		}
	}
	switch c := s[0]; {
	case c >= '0' && c <= '9':
		return false // numbers, dates, 0x.. and the like
	case len(s) <= 5:
		switch strings.ToLower(s) {
		case "true", "false", "yes", "no", "on", "off", "y", "n", "null":
			return false
		}
	}
	return true
}
