package model

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Plan is a plan file (spec §7). Readers need only Moves.
type Plan struct {
	Version   int          `json:"version"`
	Scenario  PlanScenario `json:"scenario"`
	Solver    *SolverInfo  `json:"solver,omitempty"`
	Objective *Terms       `json:"objective,omitempty"`
	Moves     []PlanMove   `json:"moves"`
}

// PlanScenario identifies the scenario a plan was made for.
type PlanScenario struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
}

// SolverInfo says how the plan was found.
type SolverInfo struct {
	Status    string   `json:"status"`
	Objective float64  `json:"objective"`
	Bound     *float64 `json:"bound,omitempty"`
	Gap       *float64 `json:"gap,omitempty"`
	Seconds   float64  `json:"seconds"`
}

// PlanMove is one move of a plan file. Pos is where it was read from.
type PlanMove struct {
	Teacher  string  `json:"teacher"`
	Name     string  `json:"name,omitempty"`
	From     string  `json:"from,omitempty"`
	To       string  `json:"to"`
	Subject  string  `json:"subject,omitempty"`
	Backbone string  `json:"backbone,omitempty"`
	Km       float64 `json:"km"`
	Pos      Pos     `json:"-"`
}

// Plan formats.
const (
	FormatYAML = "yaml"
	FormatJSON = "json"
	FormatCSV  = "csv"
)

// NewPlan builds the plan file content for placements on an instance: moves
// sorted by teacher id, with names, origins and rounded km for people.
func NewPlan(in *Instance, moves []Placement) *Plan {
	sc := in.Scenario
	p := &Plan{Version: 1, Scenario: PlanScenario{Name: sc.Name, SHA256: sc.SHA256}, Moves: []PlanMove{}}
	for _, m := range moves {
		t := &sc.Teachers[m.Teacher]
		p.Moves = append(p.Moves, PlanMove{
			Teacher: t.ID, Name: t.Name, From: t.School, To: sc.Schools[m.To].ID,
			Subject: in.Subjects[m.Subject], Backbone: t.Backbone,
			Km: Round(in.Km(in.Home[m.Teacher], m.To), 1),
		})
	}
	sortMoves(p.Moves)
	return p
}

func sortMoves(ms []PlanMove) {
	slices.SortStableFunc(ms, func(a, b PlanMove) int {
		return cmp.Or(cmp.Compare(a.Teacher, b.Teacher), cmp.Compare(a.To, b.To))
	})
}

// Round rounds x to the given number of decimals; -0 becomes 0.
func Round(x float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	r := math.Round(x*p) / p
	if r == 0 {
		return 0
	}
	return r
}

// RoundTerms rounds every term to 1e-6, so that float noise stays out of files.
func RoundTerms(t Terms) Terms {
	return Terms{Quota: Round(t.Quota, 6), Backbone: Round(t.Backbone, 6), Fill: Round(t.Fill, 6),
		Deficit: Round(t.Deficit, 6), Km: Round(t.Km, 6), Wish: Round(t.Wish, 6)}
}

// WritePlan renders the plan in the format (yaml, json or csv).
func WritePlan(w io.Writer, p *Plan, format string) error {
	switch format {
	case FormatYAML, "":
		return writePlanYAML(w, p)
	case FormatJSON:
		b, err := json.MarshalIndent(p, "", "  ")
		if err != nil {
			return err
		}
		_, err = w.Write(append(b, '\n'))
		return err
	case FormatCSV:
		// Excel opens UTF-8 CSV correctly only with a byte order mark.
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return err
		}
		cw := csv.NewWriter(w)
		cw.UseCRLF = true
		_ = cw.Write([]string{"teacher", "name", "from", "to", "subject", "backbone", "km"})
		for _, m := range p.Moves {
			_ = cw.Write([]string{m.Teacher, m.Name, m.From, m.To, m.Subject, m.Backbone, fmtNum(m.Km)})
		}
		cw.Flush()
		return cw.Error()
	}
	return fmt.Errorf("unknown plan format %q (want yaml, json or csv)", format)
}

func fmtNum(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

func scalar(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: v} }
func numNode(x float64) *yaml.Node {
	// No explicit tag: "0" and "8000" then read back as numbers all the same,
	// and the file has no !!float noise in it.
	return &yaml.Node{Kind: yaml.ScalarNode, Value: fmtNum(x)}
}
func flowMap(kv ...any) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
	for i := 0; i+1 < len(kv); i += 2 {
		var v *yaml.Node
		switch x := kv[i+1].(type) {
		case string:
			v = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: x}
		case float64:
			v = numNode(x)
		case int:
			v = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(x)}
		}
		n.Content = append(n.Content, scalar(kv[i].(string)), v)
	}
	return n
}

func writePlanYAML(w io.Writer, p *Plan) error {
	root := &yaml.Node{Kind: yaml.MappingNode}
	add := func(k string, v *yaml.Node) { root.Content = append(root.Content, scalar(k), v) }
	add("version", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(p.Version)})
	add("scenario", flowMap("name", p.Scenario.Name, "sha256", p.Scenario.SHA256))
	if s := p.Solver; s != nil {
		kv := []any{"status", s.Status, "objective", s.Objective}
		if s.Bound != nil {
			kv = append(kv, "bound", *s.Bound)
		}
		if s.Gap != nil {
			kv = append(kv, "gap", *s.Gap)
		}
		kv = append(kv, "seconds", s.Seconds)
		add("solver", flowMap(kv...))
	}
	if t := p.Objective; t != nil {
		add("objective", flowMap("quota", t.Quota, "backbone", t.Backbone, "fill", t.Fill,
			"deficit", t.Deficit, "km", t.Km, "wish", t.Wish))
	}
	moves := &yaml.Node{Kind: yaml.SequenceNode}
	if len(p.Moves) == 0 {
		moves.Style = yaml.FlowStyle
	}
	for _, m := range p.Moves {
		kv := []any{"teacher", m.Teacher}
		if m.Name != "" {
			kv = append(kv, "name", m.Name)
		}
		kv = append(kv, "from", m.From, "to", m.To, "subject", m.Subject)
		if m.Backbone != "" {
			kv = append(kv, "backbone", m.Backbone)
		}
		kv = append(kv, "km", m.Km)
		moves.Content = append(moves.Content, flowMap(kv...))
	}
	add("moves", moves)
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return err
	}
	return enc.Close()
}

// WriteFileAtomic writes data produced by fill to path through a temporary
// file in the same folder and a rename, so readers never see half a file.
func WriteFileAtomic(path string, fill func(io.Writer) error) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // a no-op after the rename
	if err := fill(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// ReadPlan reads a plan file: CSV when the name ends in .csv, else YAML or
// JSON. Only moves are required; each needs teacher and to. Errors are an
// ErrorList with positions.
func ReadPlan(path string) (*Plan, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, ErrorList{{Pos: Pos{File: path}, Msg: "cannot read plan: " + unwrapPathError(err)}}
	}
	if strings.EqualFold(filepath.Ext(path), ".csv") {
		return DecodePlanCSV(path, data)
	}
	return DecodePlan(path, data)
}

// DecodePlan decodes a YAML or JSON plan.
func DecodePlan(file string, data []byte) (*Plan, error) {
	root, err := Parse(file, data)
	if err != nil {
		if l, ok := err.(ErrorList); ok && len(l) == 1 && l[0].Msg == emptyScenario {
			l[0].Msg = "the plan file is empty"
		}
		return nil, err
	}
	d := &decoder{file: file, budget: 20_000_000}
	p := &Plan{}
	root = d.node(root)
	if root == nil || root.Kind != yaml.MappingNode {
		return nil, ErrorList{{Pos: Pos{File: file, Line: 1, Col: 1}, Msg: "plan: expected a mapping with moves"}}
	}
	// Readers need only moves: other top-level keys are for people and are not checked.
	var f fields
	f.at, f.val, f.keys = root, map[string]*yaml.Node{}, map[string]*yaml.Node{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := d.node(root.Content[i]), d.node(root.Content[i+1])
		if k != nil && v != nil && k.Kind == yaml.ScalarNode {
			f.keys[k.Value], f.val[k.Value] = k, v
		}
	}
	if v, ok := f.val["version"]; ok && v.Kind == yaml.ScalarNode {
		p.Version, _ = strconv.Atoi(v.Value)
	}
	if sn, ok := f.val["scenario"]; ok && sn.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(sn.Content); i += 2 {
			switch sn.Content[i].Value {
			case "name":
				p.Scenario.Name = sn.Content[i+1].Value
			case "sha256":
				p.Scenario.SHA256 = sn.Content[i+1].Value
			}
		}
	}
	if mn, ok := f.val["moves"]; !ok {
		d.errorf(root, "plan: missing required key \"moves\"")
	} else if !(mn.Kind == yaml.ScalarNode && mn.Tag == "!!null") {
		for i, item := range d.list(f, "moves", "plan") {
			ent := fmt.Sprintf("move %d", i+1)
			mf, ok := d.mapping(item, ent, "teacher", "name", "from", "to", "subject", "backbone", "km")
			if !ok || !d.require(mf, ent, "teacher", "to") {
				continue
			}
			m := PlanMove{Pos: d.pos(mf.at)}
			m.Teacher, _ = d.str(mf, "teacher", ent)
			m.Name, _ = d.str(mf, "name", ent)
			m.From, _ = d.str(mf, "from", ent)
			m.To, _ = d.str(mf, "to", ent)
			m.Subject, _ = d.str(mf, "subject", ent)
			m.Backbone, _ = d.str(mf, "backbone", ent)
			m.Km, _ = d.number(mf, "km", ent)
			p.Moves = append(p.Moves, m)
		}
	}
	return p, d.errs.Err()
}

// DecodePlanCSV decodes a CSV plan (the csv rendering of WritePlan).
func DecodePlanCSV(file string, data []byte) (*Plan, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	var errs ErrorList
	p := &Plan{Version: 1}
	header, err := r.Read()
	if err != nil {
		return nil, ErrorList{{Pos: Pos{File: file, Line: 1, Col: 1}, Msg: "plan: a header row is required"}}
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(h)] = i + 1
	}
	if col["teacher"] == 0 || col["to"] == 0 {
		return nil, ErrorList{{Pos: Pos{File: file, Line: 1, Col: 1}, Msg: "plan: the header needs the columns teacher and to"}}
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			line, c, why := 1, 1, err
			if pe, ok := err.(*csv.ParseError); ok {
				line, c, why = pe.Line, max(pe.Column, 1), pe.Err
			}
			errs.Add(Pos{File: file, Line: line, Col: c}, "plan: %v", why)
			break
		}
		line, _ := r.FieldPos(0)
		get := func(k string) string {
			if i := col[k] - 1; i >= 0 && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		m := PlanMove{Teacher: get("teacher"), Name: get("name"), From: get("from"), To: get("to"),
			Subject: get("subject"), Backbone: get("backbone"), Pos: Pos{File: file, Line: line, Col: 1}}
		if m.Teacher == "" && m.To == "" {
			continue
		}
		if m.Teacher == "" || m.To == "" {
			errs.Add(m.Pos, "plan: a move needs teacher and to")
			continue
		}
		if v := get("km"); v != "" {
			m.Km, _ = strconv.ParseFloat(v, 64)
		}
		p.Moves = append(p.Moves, m)
	}
	return p, errs.Err()
}

// Placements resolves a plan's moves against an instance. Unknown teachers,
// schools or subjects are errors at the move's position.
func Placements(in *Instance, p *Plan) ([]Placement, error) {
	var errs ErrorList
	out := make([]Placement, 0, len(p.Moves))
	for _, m := range p.Moves {
		t, ok := in.TeacherIndex[m.Teacher]
		if !ok {
			errs.Add(m.Pos, "move: teacher %q is not in the scenario", m.Teacher)
			continue
		}
		d, ok := in.SchoolIndex[m.To]
		if !ok {
			errs.Add(m.Pos, "move of teacher %s: school %q is not in the scenario", m.Teacher, m.To)
			continue
		}
		k := in.Subject[t]
		if m.Subject != "" {
			k, ok = in.SubjectIndex[m.Subject]
			if !ok {
				errs.Add(m.Pos, "move of teacher %s: subject %q is not in the scenario", m.Teacher, m.Subject)
				continue
			}
		}
		out = append(out, Placement{Teacher: t, To: d, Subject: k})
	}
	return out, errs.Err()
}
