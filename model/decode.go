package model

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Load reads, decodes and validates the scenario file at path, with its CSV
// roster when it has one. The error, when not nil, is an ErrorList holding
// every problem found, sorted by position.
func Load(path string) (*Scenario, error) {
	return LoadEdited(path, nil)
}

// LoadEdited is Load with a hook that may change the parsed YAML tree before
// it is decoded; the what-if overrides (--set) use it.
func LoadEdited(path string, edit func(root *yaml.Node) error) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, ErrorList{{Pos: Pos{File: path}, Msg: "cannot read scenario: " + unwrapPathError(err)}}
	}
	root, err := Parse(path, data)
	if err != nil {
		return nil, err
	}
	if edit != nil {
		if err := edit(root); err != nil {
			return nil, err
		}
	}
	sc, err := Decode(path, root, filepath.Dir(path))
	if sc != nil {
		sum := sha256.Sum256(data)
		sc.SHA256 = hex.EncodeToString(sum[:])
	}
	return sc, err
}

func unwrapPathError(err error) string {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

const emptyScenario = "the scenario file is empty"

var yamlLineRE = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)

// Parse parses YAML bytes into the root mapping node. Syntax errors and an
// empty document are reported as an ErrorList with the file's position.
func Parse(file string, data []byte) (*yaml.Node, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line, col, msg := syntaxPos(data, err)
		return nil, ErrorList{{Pos: Pos{File: file, Line: line, Col: col}, Msg: "YAML syntax: " + msg}}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 ||
		(doc.Content[0].Kind == yaml.ScalarNode && doc.Content[0].Tag == "!!null") {
		return nil, ErrorList{{Pos: Pos{File: file, Line: 1, Col: 1}, Msg: emptyScenario}}
	}
	return doc.Content[0], nil
}

// syntaxPos finds the position of a YAML syntax error. yaml.v3 reports the
// line where the enclosing construct starts, counted from 0 for parser
// errors and from 1 for scanner errors, no line at all for some errors, and
// never a column. The problem itself is where the shortest prefix of the
// file that fails with the same message ends: parse growing prefixes, line
// by line from yaml's line on, then character by character in that line.
// A prefix cut inside a flow collection ({ or [ over several lines) fails
// at its end, often with the same message as the real problem further on;
// closing brackets appended after the cut make such a prefix fail
// differently, so that search runs first, and the plain one after.
func syntaxPos(data []byte, err error) (line, col int, msg string) {
	line, msg = 1, err.Error()
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		if m[1] != "" {
			line, _ = strconv.Atoi(m[1])
		}
		msg = m[2]
	}
	reported := max(line, 1)
	// Offsets of line ends: ends[i] is the end of line i+1, newline included.
	var ends []int
	for i, b := range data {
		if b == '\n' {
			ends = append(ends, i+1)
		}
	}
	if len(ends) == 0 || ends[len(ends)-1] != len(data) {
		ends = append(ends, len(data))
	}
	// Bytes parsed at most, past which the search keeps what it knows: a
	// syntax error costs a few loads of the file at most (small files get
	// the full search).
	budget := max(4<<20, 4*len(data))
	var buf []byte
	fails := func(end int, closing bool) bool {
		budget -= end
		buf = append(buf[:0], data[:end]...)
		if closing {
			buf = append(buf, flowClosers(data[:end])...)
		}
		var n yaml.Node
		perr := yaml.Unmarshal(buf, &n)
		if perr == nil {
			return false
		}
		pmsg := perr.Error()
		if m := yamlLineRE.FindStringSubmatch(pmsg); m != nil {
			pmsg = m[2]
		}
		return pmsg == msg
	}
	for _, closing := range []bool{true, false} {
		// One line early: yaml's count may be one too high for scanner errors.
		for k := max(1, reported-1); k <= len(ends) && budget > 0; k++ {
			if !fails(ends[k-1], closing) {
				continue
			}
			// The problem is on line k: find its column.
			start := 0
			if k > 1 {
				start = ends[k-2]
			}
			if name, ok := strings.CutPrefix(msg, "unknown anchor '"); ok {
				// The alias fails only once its name is complete: point at its *.
				name = strings.TrimSuffix(name, "' referenced")
				if i := bytes.Index(data[start:ends[k-1]], []byte("*"+name)); i >= 0 {
					return k, utf8.RuneCount(data[start:start+i]) + 1, msg
				}
			}
			// Long lines (a JSON file on one line) keep column 1: each step
			// parses the whole prefix.
			for i, col := start, 1; i < ends[k-1] && col <= 500 && budget > 0; col++ {
				_, size := utf8.DecodeRune(data[i:])
				i += size
				if fails(i, closing) {
					return k, col, msg
				}
			}
			return k, 1, msg
		}
	}
	return reported, 1, msg
}

// flowClosers returns the brackets that close the flow collections left open
// at the end of a YAML prefix, innermost first, on a line of their own.
// Quoted strings and comments are skipped roughly; it only has to be right
// for prefixes that are otherwise well formed.
func flowClosers(prefix []byte) string {
	var open []byte
	var quote byte
	for i := 0; i < len(prefix); i++ {
		c := prefix[i]
		switch {
		case quote == '"' && c == '\\':
			i++
		case quote != 0:
			if c == quote {
				if quote == '\'' && i+1 < len(prefix) && prefix[i+1] == '\'' {
					i++ // '' inside single quotes
				} else {
					quote = 0
				}
			}
		case (c == '"' || c == '\'') && scalarStart(prefix, i):
			quote = c
		case c == '#' && (i == 0 || prefix[i-1] == ' ' || prefix[i-1] == '\t' || prefix[i-1] == '\n'):
			for i < len(prefix) && prefix[i] != '\n' {
				i++
			}
		case c == '[' && (len(open) > 0 || scalarStart(prefix, i)):
			open = append(open, ']')
		case c == '{' && (len(open) > 0 || scalarStart(prefix, i)):
			open = append(open, '}')
		case (c == ']' || c == '}') && len(open) > 0:
			open = open[:len(open)-1]
		}
	}
	if quote != 0 {
		open = append(open, quote) // close the string before the brackets
	}
	out := []byte{'\n'}
	for i := len(open) - 1; i >= 0; i-- {
		out = append(out, open[i])
	}
	return string(append(out, '\n'))
}

// scalarStart reports whether a quote or bracket at i opens a quoted scalar
// or a flow collection, rather than sitting inside a plain scalar
// (title: teacher's [draft]).
func scalarStart(b []byte, i int) bool {
	for j := i - 1; j >= 0; j-- {
		switch b[j] {
		case ' ', '\t':
			continue
		case ':', ',', '[', '{', '-', '\n', '?':
			return true
		}
		return false
	}
	return true
}

// Decode decodes and validates a parsed scenario. dir is the folder that a
// teachers_csv path is relative to. It returns the scenario even when there
// are errors, so that callers can show what was understood.
func Decode(file string, root *yaml.Node, dir string) (*Scenario, error) {
	d := &decoder{file: file, dir: dir, budget: 20_000_000}
	sc := d.scenario(root)
	d.validate(sc)
	return sc, d.errs.Err()
}

type decoder struct {
	file   string
	dir    string
	errs   ErrorList
	budget int // alias expansions left: guards against alias bombs

	schoolsBroken bool // the schools list could not be read: skip school references

	readFile func(path string) ([]byte, error) // reads the roster; nil: os.ReadFile (tests swap it)

	schoolAt  map[string]int // school id -> index
	teacherAt map[string]int
	// teacherSeen holds every teacher id read, kept or not, for duplicate checks.
	teacherSeen map[string]Pos
	subjectAt   map[string]int // catalogue
	groups      map[string]bool
}

func (d *decoder) pos(n *yaml.Node) Pos { return Pos{File: d.file, Line: n.Line, Col: n.Column} }

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	d.errs.Add(d.pos(n), format, args...)
}

// node follows aliases.
func (d *decoder) node(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		d.budget--
		if d.budget < 0 {
			return nil
		}
		n = n.Alias
	}
	return n
}

// fields is a decoded mapping: the value node and key node of every known key.
type fields struct {
	at   *yaml.Node
	val  map[string]*yaml.Node
	keys map[string]*yaml.Node
}

func (f fields) has(k string) bool { _, ok := f.val[k]; return ok }

// mapping checks that n is a mapping and that its keys are known and unique.
// A key whose value is null counts as absent. ent names the entity in messages.
func (d *decoder) mapping(n *yaml.Node, ent string, known ...string) (fields, bool) {
	f := fields{at: n, val: map[string]*yaml.Node{}, keys: map[string]*yaml.Node{}}
	n = d.node(n)
	if n == nil {
		return f, false
	}
	f.at = n
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s: expected a mapping, got %s", ent, describe(n))
		return f, false
	}
	var merges []*yaml.Node
	if !d.addKeys(&f, n, ent, known, &merges, false) {
		return f, false
	}
	// Merge keys (<<: *defaults) add the keys the mapping does not set itself;
	// of several merged mappings the first one wins.
	for i := 0; i < len(merges); i++ {
		m := merges[i]
		switch m.Kind {
		case yaml.MappingNode:
			if !d.addKeys(&f, m, ent, known, &merges, true) {
				return f, false
			}
		case yaml.SequenceNode:
			for _, item := range m.Content {
				if item = d.node(item); item == nil {
					d.errorf(n, "%s: too many alias expansions", ent)
					return f, false
				}
				if item.Kind != yaml.MappingNode {
					d.errorf(item, "%s: <<: expected a mapping to merge, got %s", ent, describe(item))
					continue
				}
				merges = append(merges, item)
			}
		default:
			d.errorf(m, "%s: <<: expected a mapping to merge, got %s", ent, describe(m))
		}
		if len(merges) > 1000 {
			d.errorf(n, "%s: too many merged mappings", ent)
			return f, false
		}
	}
	return f, true
}

// addKeys adds the keys of mapping n to f; merged keys never override.
func (d *decoder) addKeys(f *fields, n *yaml.Node, ent string, known []string, merges *[]*yaml.Node, merged bool) bool {
	d.budget -= len(n.Content)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := d.node(n.Content[i]), d.node(n.Content[i+1])
		if k == nil || v == nil || d.budget < 0 {
			d.errorf(n, "%s: too many alias expansions", ent)
			return false
		}
		if k.Kind != yaml.ScalarNode {
			d.errorf(k, "%s: keys must be plain names", ent)
			continue
		}
		if k.Tag == "!!merge" {
			*merges = append(*merges, v)
			continue
		}
		if !contains(known, k.Value) {
			d.errorf(k, "%s: unknown key %q%s", ent, k.Value, suggest(k.Value, known))
			continue
		}
		if prev, dup := f.keys[k.Value]; dup {
			if !merged {
				d.errorf(k, "%s: key %q repeated (first at line %d)", ent, k.Value, prev.Line)
			}
			continue
		}
		f.keys[k.Value] = k
		if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
			continue
		}
		f.val[k.Value] = v
	}
	return true
}

// require reports missing required keys at the mapping's position.
func (d *decoder) require(f fields, ent string, keys ...string) bool {
	ok := true
	for _, k := range keys {
		if !f.has(k) {
			if kn, present := f.keys[k]; present {
				d.errorf(kn, "%s: %s has no value", ent, k)
			} else {
				d.errorf(f.at, "%s: missing required key %q", ent, k)
			}
			ok = false
		}
	}
	return ok
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing"
		}
		return strconv.Quote(n.Value)
	}
	return "something else"
}

// suggest names the closest known key when the unknown one looks like a
// typo: at most one edit per three characters (yaer -> year, max_kms ->
// max_km), never a wild guess like kind -> id.
func suggest(k string, known []string) string {
	limit := max(1, len([]rune(k))/3)
	best, bestD := "", limit+1
	for _, c := range known {
		if dist := editDistance(k, c); dist < bestD {
			best, bestD = c, dist
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// editDistance counts insertions, deletions, substitutions and swaps of two
// neighbours (the optimal string alignment distance).
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			c := 1
			if ra[i-1] == rb[j-1] {
				c = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+c)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

func (d *decoder) str(f fields, key, ent string) (string, bool) {
	n, ok := f.val[key]
	if !ok {
		return "", false
	}
	if n.Kind != yaml.ScalarNode {
		d.errorf(n, "%s: %s: expected a string, got %s", ent, key, describe(n))
		return "", false
	}
	return n.Value, true
}

func (d *decoder) integer(f fields, key, ent string) (int, bool) {
	n, ok := f.val[key]
	if !ok {
		return 0, false
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!int" {
		var v int
		if err := n.Decode(&v); err == nil {
			return v, true
		}
	}
	d.errorf(n, "%s: %s: expected an integer, got %s", ent, key, describe(n))
	return 0, false
}

func (d *decoder) number(f fields, key, ent string) (float64, bool) {
	n, ok := f.val[key]
	if !ok {
		return 0, false
	}
	if n.Kind == yaml.ScalarNode && (n.Tag == "!!int" || n.Tag == "!!float") {
		var v float64
		if err := n.Decode(&v); err == nil && !math.IsNaN(v) && !math.IsInf(v, 0) {
			return v, true
		}
	}
	d.errorf(n, "%s: %s: expected a number, got %s", ent, key, describe(n))
	return 0, false
}

func (d *decoder) boolean(f fields, key, ent string) (bool, bool) {
	n, ok := f.val[key]
	if !ok {
		return false, false
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!bool" {
		var v bool
		if err := n.Decode(&v); err == nil {
			return v, true
		}
	}
	d.errorf(n, "%s: %s: expected true or false, got %s", ent, key, describe(n))
	return false, false
}

// list returns the items of a list value.
func (d *decoder) list(f fields, key, ent string) []*yaml.Node {
	return d.items(f, key, ent, false)
}

// items returns the items of a list value; with scalarOK a single scalar
// counts as a list of one (also: science).
func (d *decoder) items(f fields, key, ent string, scalarOK bool) []*yaml.Node {
	n, ok := f.val[key]
	if !ok {
		return nil
	}
	if scalarOK && n.Kind == yaml.ScalarNode {
		return []*yaml.Node{n}
	}
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "%s: %s: expected a list, got %s", ent, key, describe(n))
		return nil
	}
	d.budget -= len(n.Content)
	out := make([]*yaml.Node, 0, len(n.Content))
	for _, item := range n.Content {
		if item = d.node(item); item != nil {
			out = append(out, item)
		}
	}
	return out
}

func (d *decoder) strList(f fields, key, ent string) ([]string, []Pos) {
	var out []string
	var at []Pos
	for _, item := range d.items(f, key, ent, true) {
		if item.Kind != yaml.ScalarNode || item.Tag == "!!null" {
			d.errorf(item, "%s: %s: expected a string, got %s", ent, key, describe(item))
			continue
		}
		out = append(out, item.Value)
		at = append(at, d.pos(item))
	}
	return out, at
}

func (d *decoder) valPos(f fields, key string) Pos {
	if n, ok := f.val[key]; ok {
		return d.pos(n)
	}
	if n, ok := f.keys[key]; ok {
		return d.pos(n)
	}
	return d.pos(f.at)
}

// entityName names the i-th item of a list by its id when it has one.
func (d *decoder) entityName(n *yaml.Node, kind, list string, i int) string {
	if id := d.rawKey(n, "id"); id != "" {
		return kind + " " + id
	}
	return fmt.Sprintf("%s[%d]", list, i)
}

// rawKey is the scalar value of key in mapping n before decoding, or "".
func (d *decoder) rawKey(n *yaml.Node, key string) string {
	if n = d.node(n); n != nil && n.Kind == yaml.MappingNode {
		for j := 0; j+1 < len(n.Content); j += 2 {
			if n.Content[j].Value == key && n.Content[j+1].Kind == yaml.ScalarNode {
				return n.Content[j+1].Value
			}
		}
	}
	return ""
}

// noSchool reports a school id that does not exist. When the schools list
// itself could not be read every reference would fail: then it says nothing.
func (d *decoder) noSchool(id string) bool {
	_, ok := d.schoolAt[id]
	return !ok && !d.schoolsBroken
}

var topKeys = []string{"version", "name", "year", "subjects", "schools", "teachers", "teachers_csv",
	"policy", "objective", "pins", "forbid"}

func (d *decoder) scenario(root *yaml.Node) *Scenario {
	sc := &Scenario{File: d.file, Objective: DefaultWeights}
	sc.Policy.Eligibility.MinYears = 6
	sc.Policy.BackboneLevels = DefaultBackboneLevels
	f, ok := d.mapping(root, "scenario", topKeys...)
	if !ok {
		return sc
	}
	const ent = "scenario"
	if d.require(f, ent, "version") {
		if v, ok := d.integer(f, "version", ent); ok {
			sc.Version = v
			if v != 1 {
				d.errorf(f.val["version"], "scenario: version %d is not supported (this rotaplan reads version 1)", v)
			}
		}
	}
	sc.Name, _ = d.str(f, "name", ent)
	if d.require(f, ent, "year") {
		if y, ok := d.integer(f, "year", ent); ok {
			if y < 0 {
				d.errorf(f.val["year"], "scenario: year must be >= 0, got %d", y)
			}
			sc.Year = y
		}
	}
	// Order matters: later sections refer to earlier ones.
	d.subjects(f, sc)
	d.schools(f, sc)
	d.teachers(f, sc)
	d.policy(f, sc)
	d.objective(f, sc)
	d.pins(f, sc)
	d.forbids(f, sc)
	return sc
}

func (d *decoder) subjects(top fields, sc *Scenario) {
	d.subjectAt = map[string]int{}
	n, ok := top.val["subjects"]
	if !ok {
		return
	}
	sc.HasCatalog = true
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "subjects: expected a mapping of subject ids, got %s", describe(n))
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := d.node(n.Content[i]), d.node(n.Content[i+1])
		if k == nil || v == nil {
			continue
		}
		id := k.Value
		ent := "subject " + id
		if id == "" {
			d.errorf(k, "subjects: empty subject id")
			continue
		}
		if j, dup := d.subjectAt[id]; dup {
			d.errorf(k, "%s: duplicate subject (first at line %d)", ent, sc.Subjects[j].Pos.Line)
			continue
		}
		s := Subject{ID: id, Priority: 1, Pos: d.pos(k)}
		if !(v.Kind == yaml.ScalarNode && v.Tag == "!!null") {
			f, ok := d.mapping(v, ent, "name", "priority")
			if ok {
				s.Name, _ = d.str(f, "name", ent)
				if p, ok := d.number(f, "priority", ent); ok {
					if p <= 0 {
						d.errorf(f.val["priority"], "%s: priority must be > 0, got %v", ent, p)
					}
					s.Priority = p
				}
			}
		}
		d.subjectAt[id] = len(sc.Subjects)
		sc.Subjects = append(sc.Subjects, s)
	}
}

// subjectKnown reports a subject missing from the catalogue.
func (d *decoder) subjectKnown(sc *Scenario, at Pos, ent, subject string) {
	if !sc.HasCatalog {
		return
	}
	if _, ok := d.subjectAt[subject]; !ok {
		d.errs.Add(at, "%s: subject %q is not in the subjects catalogue", ent, subject)
	}
}

var schoolKeys = []string{"id", "name", "category", "tier", "group", "stage", "students", "location", "priority", "demand"}

func (d *decoder) schools(top fields, sc *Scenario) {
	d.schoolAt = map[string]int{}
	d.groups = map[string]bool{}
	if !d.require(top, "scenario", "schools") {
		d.schoolsBroken = true
		return
	}
	if n := top.val["schools"]; n.Kind != yaml.SequenceNode {
		d.schoolsBroken = true
	}
	for i, n := range d.list(top, "schools", "scenario") {
		ent := d.entityName(n, "school", "schools", i)
		f, ok := d.mapping(n, ent, schoolKeys...)
		if !ok {
			d.schoolsBroken = true
			continue
		}
		s := School{Tier: 1, Priority: 1, Demand: map[string]int{}, Pos: d.pos(f.at)}
		d.require(f, ent, "id", "category")
		s.ID, _ = d.str(f, "id", ent)
		if f.has("id") && s.ID == "" {
			d.errorf(f.val["id"], "%s: id is empty", ent)
		}
		s.Name, _ = d.str(f, "name", ent)
		if c, ok := d.str(f, "category", ent); ok {
			if !contains(Categories, c) {
				d.errorf(f.val["category"], "%s: category %q is not one of %s", ent, c, strings.Join(Categories, ", "))
			}
			s.Category = c
		}
		if t, ok := d.integer(f, "tier", ent); ok {
			if t < 1 {
				d.errorf(f.val["tier"], "%s: tier must be >= 1, got %d", ent, t)
			}
			s.Tier = t
		}
		s.Group, _ = d.str(f, "group", ent)
		if st, ok := d.str(f, "stage", ent); ok {
			if !contains(Stages, st) {
				d.errorf(f.val["stage"], "%s: stage %q is not one of %s", ent, st, strings.Join(Stages, ", "))
			}
			s.Stage = st
		}
		if v, ok := d.integer(f, "students", ent); ok {
			if v < 0 {
				d.errorf(f.val["students"], "%s: students must be >= 0, got %d", ent, v)
			}
			s.Students = &v
		}
		if ln, ok := f.val["location"]; ok {
			lf, ok := d.mapping(ln, ent+": location", "lat", "lon")
			if ok && d.require(lf, ent+": location", "lat", "lon") {
				lat, ok1 := d.number(lf, "lat", ent)
				lon, ok2 := d.number(lf, "lon", ent)
				if ok1 && (lat < -90 || lat > 90) {
					d.errorf(lf.val["lat"], "%s: lat must be in [-90, 90], got %v", ent, lat)
					ok1 = false
				}
				if ok2 && (lon < -180 || lon > 180) {
					d.errorf(lf.val["lon"], "%s: lon must be in [-180, 180], got %v", ent, lon)
					ok2 = false
				}
				if ok1 && ok2 {
					s.Location = &Location{Lat: lat, Lon: lon}
				}
			}
		}
		if p, ok := d.number(f, "priority", ent); ok {
			if p <= 0 {
				d.errorf(f.val["priority"], "%s: priority must be > 0, got %v", ent, p)
			}
			s.Priority = p
		}
		if dn, ok := f.val["demand"]; ok {
			if dn.Kind != yaml.MappingNode {
				d.errorf(dn, "%s: demand: expected a mapping of subject: posts, got %s", ent, describe(dn))
			} else {
				for j := 0; j+1 < len(dn.Content); j += 2 {
					k, v := d.node(dn.Content[j]), d.node(dn.Content[j+1])
					if k == nil || v == nil {
						continue
					}
					if _, dup := s.Demand[k.Value]; dup {
						d.errorf(k, "%s: demand for %q repeated", ent, k.Value)
						continue
					}
					var posts int
					if v.Kind != yaml.ScalarNode || v.Tag != "!!int" || v.Decode(&posts) != nil {
						d.errorf(v, "%s: demand %s: expected an integer, got %s", ent, k.Value, describe(v))
						continue
					}
					if posts < 0 {
						d.errorf(v, "%s: demand %s must be >= 0, got %d", ent, k.Value, posts)
					}
					d.subjectKnown(sc, d.pos(k), ent, k.Value)
					s.Demand[k.Value] = posts
				}
			}
		}
		if s.ID != "" {
			if j, dup := d.schoolAt[s.ID]; dup {
				d.errs.Add(s.Pos, "%s: duplicate school id (first at line %d)", ent, sc.Schools[j].Pos.Line)
				continue
			}
			d.schoolAt[s.ID] = len(sc.Schools)
		}
		if s.Group != "" {
			d.groups[s.Group] = true
		}
		sc.Schools = append(sc.Schools, s)
	}
}

// teacherFields are the keys of a teacher, in YAML and as CSV columns.
var teacherFields = []string{"id", "name", "school", "subject", "also", "years", "age", "gender",
	"backbone", "title", "last_rotated", "exempt", "volunteer", "wishes"}

// rawTeacher is a teacher whose fields are decoded but not yet checked
// against the rest of the scenario; at gives each present field's position.
type rawTeacher struct {
	t        Teacher
	at       map[string]Pos
	alsoAt   []Pos // per item of t.Also
	wishesAt []Pos // per item of t.Wishes
	ent      string
}

func (d *decoder) teachers(top fields, sc *Scenario) {
	_, hasList := top.val["teachers"]
	_, hasCSV := top.val["teachers_csv"]
	switch {
	case hasList && hasCSV:
		d.errorf(top.keys["teachers_csv"], "scenario: give either teachers or teachers_csv, not both")
		return
	case !hasList && !hasCSV:
		d.errorf(top.at, "scenario: missing required key \"teachers\" (or \"teachers_csv\")")
		return
	}
	var raws []rawTeacher
	if hasCSV {
		name, ok := d.str(top, "teachers_csv", "scenario")
		if !ok {
			return
		}
		sc.TeachersCSV = name
		if strings.TrimSpace(name) == "" {
			d.errorf(top.val["teachers_csv"], "scenario: teachers_csv: the roster path is empty")
			return
		}
		raws = d.roster(top.val["teachers_csv"], name)
	} else {
		for i, n := range d.list(top, "teachers", "scenario") {
			if r, ok := d.yamlTeacher(n, i); ok {
				raws = append(raws, r)
			}
		}
	}
	d.teacherAt = make(map[string]int, len(raws))
	d.teacherSeen = make(map[string]Pos, len(raws))
	sc.Teachers = make([]Teacher, 0, len(raws))
	for i := range raws {
		if d.checkTeacher(sc, &raws[i]) {
			d.teacherAt[raws[i].t.ID] = len(sc.Teachers)
			sc.Teachers = append(sc.Teachers, raws[i].t)
		}
	}
}

func (d *decoder) yamlTeacher(n *yaml.Node, i int) (rawTeacher, bool) {
	ent := d.entityName(n, "teacher", "teachers", i)
	f, ok := d.mapping(n, ent, teacherFields...)
	if !ok {
		return rawTeacher{}, false
	}
	r := rawTeacher{ent: ent, at: map[string]Pos{}}
	r.t.Pos = d.pos(f.at)
	for k := range f.val {
		r.at[k] = d.valPos(f, k)
	}
	for k := range f.keys {
		if _, ok := r.at[k]; !ok {
			r.at[k] = d.pos(f.keys[k])
		}
	}
	t := &r.t
	t.ID, _ = d.str(f, "id", ent)
	t.Name, _ = d.str(f, "name", ent)
	t.School, _ = d.str(f, "school", ent)
	t.Subject, _ = d.str(f, "subject", ent)
	t.Also, r.alsoAt = d.strList(f, "also", ent)
	if v, ok := d.integer(f, "years", ent); ok {
		t.Years = v
	} else {
		delete(r.at, "years")
	}
	if v, ok := d.integer(f, "age", ent); ok {
		t.Age = &v
	}
	t.Gender, _ = d.str(f, "gender", ent)
	t.Backbone, _ = d.str(f, "backbone", ent)
	t.Title, _ = d.str(f, "title", ent)
	if v, ok := d.integer(f, "last_rotated", ent); ok {
		t.LastRotated = &v
	}
	t.Exempt, _ = d.str(f, "exempt", ent)
	t.Volunteer, _ = d.boolean(f, "volunteer", ent)
	t.Wishes, r.wishesAt = d.strList(f, "wishes", ent)
	// Keep "required" checks in checkTeacher, shared with the CSV roster.
	for _, k := range []string{"id", "school", "subject", "years"} {
		if _, ok := f.val[k]; !ok {
			if kn, present := f.keys[k]; present {
				d.errorf(kn, "%s: %s has no value", ent, k)
			} else {
				d.errorf(f.at, "%s: missing required key %q", ent, k)
			}
			r.at["!missing"] = r.t.Pos
		}
	}
	return r, true
}

// checkTeacher checks a teacher against the scenario: ids, references, enums
// and ranges. It reports whether the teacher can be kept.
func (d *decoder) checkTeacher(sc *Scenario, r *rawTeacher) bool {
	t := &r.t
	ent := r.ent
	if t.ID != "" {
		ent = "teacher " + t.ID
	}
	at := func(k string) Pos {
		if p, ok := r.at[k]; ok {
			return p
		}
		return t.Pos
	}
	keep := true
	if _, missing := r.at["!missing"]; missing {
		keep = false
	}
	if t.ID == "" {
		if _, ok := r.at["id"]; ok {
			d.errs.Add(at("id"), "%s: id is empty", ent)
		}
		keep = false
	} else if first, dup := d.teacherSeen[t.ID]; dup {
		where := first.String()
		if first.File == t.Pos.File {
			where = fmt.Sprintf("line %d", first.Line)
		}
		d.errs.Add(t.Pos, "%s: duplicate teacher id (first at %s)", ent, where)
		keep = false
	} else {
		d.teacherSeen[t.ID] = t.Pos
	}
	if t.School != "" {
		if d.noSchool(t.School) {
			d.errs.Add(at("school"), "%s: school %q does not exist", ent, t.School)
			keep = false
		}
	}
	if t.Subject != "" {
		d.subjectKnown(sc, at("subject"), ent, t.Subject)
	}
	itemAt := func(k string, ps []Pos, i int) Pos {
		if i < len(ps) {
			return ps[i]
		}
		return at(k)
	}
	for i, a := range t.Also {
		d.subjectKnown(sc, itemAt("also", r.alsoAt, i), ent, a)
	}
	if t.Years < 0 {
		d.errs.Add(at("years"), "%s: years must be >= 0, got %d", ent, t.Years)
	}
	if t.Age != nil && (*t.Age < 0 || *t.Age > 120) {
		d.errs.Add(at("age"), "%s: age must be in [0, 120], got %d", ent, *t.Age)
	}
	if t.Gender != "" && !contains(Genders, t.Gender) {
		d.errs.Add(at("gender"), "%s: gender %q is not one of %s", ent, t.Gender, strings.Join(Genders, ", "))
	}
	if t.Backbone == "none" {
		t.Backbone = ""
	} else if t.Backbone != "" && !contains(BackboneLevels, t.Backbone) {
		d.errs.Add(at("backbone"), "%s: backbone %q is not one of %s", ent, t.Backbone, strings.Join(BackboneLevels, ", "))
	}
	if t.LastRotated != nil && *t.LastRotated < 0 {
		d.errs.Add(at("last_rotated"), "%s: last_rotated must be >= 0, got %d", ent, *t.LastRotated)
	}
	for i, w := range t.Wishes {
		if d.noSchool(w) {
			d.errs.Add(itemAt("wishes", r.wishesAt, i), "%s: wish %q is not a school", ent, w)
		}
	}
	return keep
}

func (d *decoder) selector(n *yaml.Node, ent string) Selector {
	var sel Selector
	f, ok := d.mapping(n, ent, "schools", "category", "tier", "group")
	if !ok {
		return sel
	}
	var at []Pos
	sel.Schools, at = d.strList(f, "schools", ent)
	for i, s := range sel.Schools {
		if d.noSchool(s) {
			d.errs.Add(at[i], "%s: school %q does not exist", ent, s)
		}
	}
	sel.Category, at = d.strList(f, "category", ent)
	for i, c := range sel.Category {
		if !contains(Categories, c) {
			d.errs.Add(at[i], "%s: category %q is not one of %s", ent, c, strings.Join(Categories, ", "))
		}
	}
	for _, item := range d.items(f, "tier", ent, true) {
		var v int
		if item.Kind != yaml.ScalarNode || item.Tag != "!!int" || item.Decode(&v) != nil {
			d.errorf(item, "%s: tier: expected an integer, got %s", ent, describe(item))
			continue
		}
		if v < 1 {
			d.errorf(item, "%s: tier must be >= 1, got %d", ent, v)
		}
		sel.Tier = append(sel.Tier, v)
	}
	sel.Group, at = d.strList(f, "group", ent)
	for i, g := range sel.Group {
		if !d.groups[g] {
			d.errs.Add(at[i], "%s: group %q is not the group of any school", ent, g)
		}
	}
	return sel
}

func (d *decoder) ratio(f fields, key, ent string) (float64, bool) {
	v, ok := d.number(f, key, ent)
	if ok && (v < 0 || v > 1) {
		d.errorf(f.val[key], "%s: %s must be in [0, 1], got %v", ent, key, v)
		return v, false
	}
	return v, ok
}

func (d *decoder) policy(top fields, sc *Scenario) {
	p := &sc.Policy
	n, ok := top.val["policy"]
	if !ok {
		return
	}
	f, ok := d.mapping(n, "policy", "eligibility", "backbone_levels", "quotas", "limits", "routes")
	if !ok {
		return
	}
	if en, ok := f.val["eligibility"]; ok {
		const ent = "policy.eligibility"
		ef, ok := d.mapping(en, ent, "min_years", "age_limit", "cooldown_years")
		if ok {
			if v, ok := d.integer(ef, "min_years", ent); ok {
				if v < 0 {
					d.errorf(ef.val["min_years"], "%s: min_years must be >= 0, got %d", ent, v)
				}
				p.Eligibility.MinYears = v
			}
			if an, ok := ef.val["age_limit"]; ok {
				af, ok := d.mapping(an, ent+".age_limit", "male", "female")
				if ok {
					for _, g := range Genders {
						if v, ok := d.integer(af, g, ent+".age_limit"); ok {
							if v <= 0 {
								d.errorf(af.val[g], "%s.age_limit: %s must be > 0, got %d", ent, g, v)
							}
							if g == "male" {
								p.Eligibility.AgeLimitMale = &v
							} else {
								p.Eligibility.AgeLimitFemale = &v
							}
						}
					}
				}
			}
			if v, ok := d.integer(ef, "cooldown_years", ent); ok {
				if v < 0 {
					d.errorf(ef.val["cooldown_years"], "%s: cooldown_years must be >= 0, got %d", ent, v)
				}
				p.Eligibility.CooldownYears = &v
			}
		}
	}
	if _, ok := f.val["backbone_levels"]; ok {
		levels, at := d.strList(f, "backbone_levels", "policy")
		for i, l := range levels {
			if !contains(BackboneLevels, l) {
				d.errs.Add(at[i], "policy: backbone_levels: %q is not one of %s", l, strings.Join(BackboneLevels, ", "))
			}
		}
		p.BackboneLevels = levels
	}
	for i, qn := range d.list(f, "quotas", "policy") {
		ent := fmt.Sprintf("quota %d", i+1)
		if name := d.rawKey(qn, "name"); name != "" {
			ent = fmt.Sprintf("quota %q", name)
		}
		qf, ok := d.mapping(qn, ent, "name", "from", "each", "min_share", "min_backbone_share")
		if !ok {
			continue
		}
		q := Quota{Each: true, Pos: d.pos(qf.at)}
		q.Name, _ = d.str(qf, "name", ent)
		if sn, ok := qf.val["from"]; ok {
			q.From = d.selector(sn, ent+": from")
		}
		if v, ok := d.boolean(qf, "each", ent); ok {
			q.Each = v
		}
		q.MinShare, _ = d.ratio(qf, "min_share", ent)
		q.MinBackboneShare, _ = d.ratio(qf, "min_backbone_share", ent)
		p.Quotas = append(p.Quotas, q)
	}
	if ln, ok := f.val["limits"]; ok {
		const ent = "policy.limits"
		lf, ok := d.mapping(ln, ent, "max_km", "max_outflow_share", "source_deficit")
		if ok {
			if v, ok := d.number(lf, "max_km", ent); ok {
				if v < 0 {
					d.errorf(lf.val["max_km"], "%s: max_km must be >= 0, got %v", ent, v)
				}
				p.Limits.MaxKm = &v
			}
			if v, ok := d.ratio(lf, "max_outflow_share", ent); ok {
				p.Limits.MaxOutflowShare = &v
			}
			if v, ok := d.integer(lf, "source_deficit", ent); ok {
				if v < 0 {
					d.errorf(lf.val["source_deficit"], "%s: source_deficit must be >= 0, got %d", ent, v)
				}
				p.Limits.SourceDeficit = v
			}
		}
	}
	for i, rn := range d.list(f, "routes", "policy") {
		ent := fmt.Sprintf("route %d", i+1)
		rf, ok := d.mapping(rn, ent, "from", "to", "same_group")
		if !ok {
			continue
		}
		r := Route{Pos: d.pos(rf.at)}
		if n, ok := rf.val["from"]; ok {
			r.From = d.selector(n, ent+": from")
		}
		if n, ok := rf.val["to"]; ok {
			r.To = d.selector(n, ent+": to")
		}
		r.SameGroup, _ = d.boolean(rf, "same_group", ent)
		p.Routes = append(p.Routes, r)
	}
}

func (d *decoder) objective(top fields, sc *Scenario) {
	n, ok := top.val["objective"]
	if !ok {
		return
	}
	const ent = "objective"
	f, ok := d.mapping(n, ent, "quota", "backbone", "fill", "deficit", "km", "wish")
	if !ok {
		return
	}
	w := &sc.Objective
	for _, x := range []struct {
		key string
		dst *float64
	}{{"quota", &w.Quota}, {"backbone", &w.Backbone}, {"fill", &w.Fill}, {"deficit", &w.Deficit}, {"km", &w.Km}, {"wish", &w.Wish}} {
		if v, ok := d.number(f, x.key, ent); ok {
			if v < 0 {
				d.errorf(f.val[x.key], "%s: %s must be >= 0, got %v", ent, x.key, v)
			}
			*x.dst = v
		}
	}
}

func (d *decoder) pins(top fields, sc *Scenario) {
	pinned := map[string]int{}
	for i, n := range d.list(top, "pins", "scenario") {
		ent := fmt.Sprintf("pin %d", i+1)
		f, ok := d.mapping(n, ent, "teacher", "to", "subject")
		if !ok || !d.require(f, ent, "teacher", "to") {
			continue
		}
		p := Pin{Pos: d.pos(f.at)}
		p.Teacher, _ = d.str(f, "teacher", ent)
		p.To, _ = d.str(f, "to", ent)
		p.Subject, _ = d.str(f, "subject", ent)
		ent = "pin of teacher " + p.Teacher
		ti, tok := d.teacherAt[p.Teacher]
		if _, seen := d.teacherSeen[p.Teacher]; !seen {
			d.errs.Add(d.valPos(f, "teacher"), "%s: teacher %q does not exist", ent, p.Teacher)
		}
		if d.noSchool(p.To) {
			d.errs.Add(d.valPos(f, "to"), "%s: school %q does not exist", ent, p.To)
		}
		if p.Subject != "" {
			d.subjectKnown(sc, d.valPos(f, "subject"), ent, p.Subject)
		}
		if tok {
			t := &sc.Teachers[ti]
			if p.To == t.School {
				d.errs.Add(d.valPos(f, "to"), "%s: the teacher is already at %s", ent, p.To)
			}
			if p.Subject != "" && p.Subject != t.Subject && !contains(t.Also, p.Subject) {
				d.errs.Add(d.valPos(f, "subject"), "%s: the teacher cannot teach %s (subject %s%s)", ent, p.Subject, t.Subject, alsoText(t.Also))
			}
			if j, dup := pinned[p.Teacher]; dup {
				d.errs.Add(p.Pos, "%s: the teacher is pinned twice (first at line %d)", ent, sc.Pins[j].Pos.Line)
				continue
			}
		}
		pinned[p.Teacher] = len(sc.Pins)
		sc.Pins = append(sc.Pins, p)
	}
}

func alsoText(also []string) string {
	if len(also) == 0 {
		return ", nothing else"
	}
	return ", also " + strings.Join(also, ", ")
}

func (d *decoder) forbids(top fields, sc *Scenario) {
	for i, n := range d.list(top, "forbid", "scenario") {
		ent := fmt.Sprintf("forbid %d", i+1)
		f, ok := d.mapping(n, ent, "teacher", "to")
		if !ok || !d.require(f, ent, "teacher") {
			continue
		}
		fb := Forbid{Pos: d.pos(f.at)}
		fb.Teacher, _ = d.str(f, "teacher", ent)
		fb.To, _ = d.str(f, "to", ent)
		ent = "forbid of teacher " + fb.Teacher
		if _, ok := d.teacherSeen[fb.Teacher]; !ok {
			d.errs.Add(d.valPos(f, "teacher"), "%s: teacher %q does not exist", ent, fb.Teacher)
		}
		if fb.To != "" {
			if d.noSchool(fb.To) {
				d.errs.Add(d.valPos(f, "to"), "%s: school %q does not exist", ent, fb.To)
			}
		}
		for _, p := range sc.Pins {
			if p.Teacher == fb.Teacher && (fb.To == "" || fb.To == p.To) {
				d.errs.Add(fb.Pos, "%s: forbids the move pinned at line %d (to %s)", ent, p.Pos.Line, p.To)
			}
		}
		sc.Forbids = append(sc.Forbids, fb)
	}
}

// validate runs the checks that need the whole scenario.
func (d *decoder) validate(sc *Scenario) {
	if sc.Policy.Limits.MaxKm != nil {
		for _, s := range sc.Schools {
			if s.Location == nil {
				d.errs.Add(s.Pos, "school %s: location is required when policy.limits.max_km is set", s.ID)
			}
		}
	}
	e := sc.Policy.Eligibility
	if e.AgeLimitMale != nil || e.AgeLimitFemale != nil {
		for _, t := range sc.Teachers {
			if t.Gender == "" {
				d.errs.Add(t.Pos, "teacher %s: gender is required when policy.eligibility.age_limit is set", t.ID)
				continue
			}
			limit := e.AgeLimitMale
			if t.Gender == "female" {
				limit = e.AgeLimitFemale
			}
			if limit != nil && t.Age == nil {
				d.errs.Add(t.Pos, "teacher %s: age is required when policy.eligibility.age_limit.%s is set", t.ID, t.Gender)
			}
		}
	}
}
