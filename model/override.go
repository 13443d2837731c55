package model

import (
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// What-if overrides (--set PATH=VALUE) edit the parsed YAML tree of a
// scenario before it is decoded, so an override is validated exactly like
// the file itself.
//
// PATH is a dotted list of mapping keys; a key may be followed by one or
// more [SEL] selectors into a list: SEL is the item whose id (or, for items
// without an id, teacher, or name) equals SEL, or else, when SEL is a
// number, the item at that 0-based index:
//
//	policy.quotas[0].min_share=0.15
//	schools[S0012].demand.music=3
//	teachers[T0001].years=9
//	policy.limits.max_km=30        (missing mappings are created)
//	objective.km=2
//
// VALUE is parsed as YAML, so 0.15, true, [a, b], {lat: 1, lon: 2} and
// plain strings all work; an empty VALUE sets null, which the decoder
// treats as absent.
//
// Positions: every node an override creates or replaces gets Line 0 and
// Column i+1, where i is the index of the override in sets. Line 0 means
// "not from the file" (see Pos), so a later validation error never points
// at a wrong line of the file; LoadOverridden and OverrideErrors turn such
// positions into "--set PATH" so the message names the override.

// ApplyOverrides applies what-if overrides PATH=VALUE, in order, to a parsed
// scenario tree. All bad overrides are reported at once, as an ErrorList
// whose positions read "--set PATH=VALUE".
func ApplyOverrides(root *yaml.Node, sets []string) error {
	var errs ErrorList
	for i, set := range sets {
		if err := applyOverride(root, set, i+1); err != nil {
			errs.Add(Pos{File: "--set " + set}, "%s", err.Error())
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errs // kept in the order given, not sorted by position
}

// LoadOverridden loads the scenario at path with the overrides applied.
// Validation errors at values set by an override name the override instead
// of the file: `--set policy.quotas[0].min_share: quota ...: min_share ...`.
func LoadOverridden(path string, sets []string) (*Scenario, error) {
	if len(sets) == 0 {
		return Load(path)
	}
	sc, err := LoadEdited(path, func(root *yaml.Node) error { return ApplyOverrides(root, sets) })
	return sc, OverrideErrors(err, sets)
}

// OverrideErrors rewrites the positions of errors that lie in nodes set by
// ApplyOverrides (Line 0, Column i+1) to name the i-th override.
func OverrideErrors(err error, sets []string) error {
	list, ok := err.(ErrorList)
	if !ok {
		return err
	}
	out := make(ErrorList, len(list))
	for i, e := range list {
		out[i] = e
		if e.Pos.Line == 0 && e.Pos.Col >= 1 && e.Pos.Col <= len(sets) {
			path, _, _ := strings.Cut(sets[e.Pos.Col-1], "=")
			out[i] = &Error{Pos: Pos{File: "--set " + path}, Msg: e.Msg}
		}
	}
	return out
}

// segment is one step of an override path: a mapping key and the list
// selectors after it.
type segment struct {
	key  string
	sels []string
}

// parsePath splits `a.b[x][0].c` into segments.
func parsePath(path string) ([]segment, error) {
	if path == "" {
		return nil, fmt.Errorf("empty path (want PATH=VALUE)")
	}
	var segs []segment
	for _, part := range strings.Split(path, ".") {
		key, rest, _ := strings.Cut(part, "[")
		if key == "" {
			return nil, fmt.Errorf("empty key in path %q", path)
		}
		seg := segment{key: key}
		if rest != "" || strings.Contains(part, "[") {
			rest = "[" + rest
			for rest != "" {
				if rest[0] != '[' {
					return nil, fmt.Errorf("unexpected %q after ] in path %q", rest, path)
				}
				sel, after, ok := strings.Cut(rest[1:], "]")
				if !ok {
					return nil, fmt.Errorf("missing ] in path %q", path)
				}
				if sel == "" {
					return nil, fmt.Errorf("empty [] in path %q", path)
				}
				seg.sels = append(seg.sels, sel)
				rest = after
			}
		}
		segs = append(segs, seg)
	}
	return segs, nil
}

func applyOverride(root *yaml.Node, set string, mark int) error {
	path, value, ok := strings.Cut(set, "=")
	if !ok {
		return fmt.Errorf("expected PATH=VALUE")
	}
	path = strings.TrimSpace(path)
	segs, err := parsePath(path)
	if err != nil {
		return err
	}
	val, err := parseValue(value)
	if err != nil {
		return err
	}
	markTree(val, mark)

	if root.Kind != yaml.MappingNode {
		return fmt.Errorf("the scenario is not a mapping")
	}
	if segs[0].key == "teachers" && len(segs[0].sels) > 0 && lookup(root, "teachers") == nil && lookup(root, "teachers_csv") != nil {
		return fmt.Errorf("the roster is a CSV file (teachers_csv): edit it there, teachers[...] cannot be set")
	}

	// Walk to the parent of the last step, creating mappings on the way.
	cur := root
	where := "" // the path so far, for messages
	for si, seg := range segs {
		last := si == len(segs)-1
		if cur.Kind == yaml.ScalarNode && cur.Tag == "!!null" {
			// A key written without a value: make it a mapping.
			*cur = yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Column: mark}
		}
		if cur.Kind != yaml.MappingNode {
			return fmt.Errorf("%s is %s, not a mapping: cannot set %s in it", nameOr(where, "the scenario"), describe(cur), seg.key)
		}
		child := lookup(cur, seg.key)
		full := join(where, seg.key)
		if last && len(seg.sels) == 0 {
			if child != nil {
				*child = *val
			} else {
				key := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: seg.key, Column: mark}
				cur.Content = append(cur.Content, key, val)
			}
			return nil
		}
		if child == nil {
			if len(seg.sels) > 0 {
				return fmt.Errorf("%s does not exist, so it has no item [%s]", full, seg.sels[0])
			}
			child = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Column: mark}
			key := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: seg.key, Column: mark}
			cur.Content = append(cur.Content, key, child)
		}
		child = deref(child)
		where = full
		for j, sel := range seg.sels {
			if child.Kind != yaml.SequenceNode {
				return fmt.Errorf("%s is %s, not a list: cannot select [%s]", where, describe(child), sel)
			}
			i, err := selectItem(child, sel, where)
			if err != nil {
				return err
			}
			where += "[" + sel + "]"
			if last && j == len(seg.sels)-1 {
				child.Content[i] = val
				return nil
			}
			child = deref(child.Content[i])
		}
		cur = child
	}
	return nil
}

func nameOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func join(where, key string) string {
	if where == "" {
		return key
	}
	return where + "." + key
}

// parseValue parses VALUE as a YAML document; an empty value is null.
func parseValue(value string) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(value), &doc); err != nil {
		return nil, fmt.Errorf("value %q is not valid YAML: %s", value, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: ""}, nil
	}
	n := doc.Content[0]
	if hasAlias(n) {
		return nil, fmt.Errorf("value %q: aliases are not allowed in --set", value)
	}
	return n, nil
}

func hasAlias(n *yaml.Node) bool {
	if n.Kind == yaml.AliasNode {
		return true
	}
	for _, c := range n.Content {
		if hasAlias(c) {
			return true
		}
	}
	return false
}

// markTree gives every node of an override's value the override's position.
func markTree(n *yaml.Node, mark int) {
	n.Line, n.Column = 0, mark
	for _, c := range n.Content {
		markTree(c, mark)
	}
}

func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}

// lookup returns the value node of key in mapping m, or nil.
func lookup(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i]; k.Kind == yaml.ScalarNode && k.Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// idKeys are the keys that identify list items, in order of preference.
var idKeys = []string{"id", "teacher", "name"}

// selectItem finds the list item a selector names: by id (or teacher, or
// name), else by index.
func selectItem(list *yaml.Node, sel, where string) (int, error) {
	for _, k := range idKeys {
		var hits []int
		for i, item := range list.Content {
			item = deref(item)
			if item.Kind != yaml.MappingNode {
				continue
			}
			if v := lookup(item, k); v != nil && v.Kind == yaml.ScalarNode && v.Value == sel {
				hits = append(hits, i)
			}
		}
		switch {
		case len(hits) == 1:
			return hits[0], nil
		case len(hits) > 1:
			return 0, fmt.Errorf("%d items with %s %q in %s (at indices %s): select by index", len(hits), k, sel, where, joinInts(hits))
		}
	}
	if i, err := strconv.Atoi(sel); err == nil {
		if i < 0 || i >= len(list.Content) {
			return 0, fmt.Errorf("index %d out of range: %s has %d items", i, where, len(list.Content))
		}
		return i, nil
	}
	return 0, fmt.Errorf("no item with id %q in %s", sel, where)
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ", ")
}
