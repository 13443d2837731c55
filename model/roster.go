package model

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// roster reads the CSV roster named by the scenario's teachers_csv (at node
// ref). Errors carry the roster's own file:line:col.
func (d *decoder) roster(ref *yaml.Node, name string) []rawTeacher {
	path := name
	if !filepath.IsAbs(path) {
		path = filepath.Join(d.dir, name)
	}
	read := os.ReadFile
	if d.readFile != nil {
		read = d.readFile
	}
	data, err := read(path)
	if err != nil {
		d.errorf(ref, "scenario: teachers_csv: cannot read roster %s: %s", path, unwrapPathError(err))
		return nil
	}
	return d.rosterCSV(path, data)
}

// rosterCSV decodes roster bytes; file is the name used in positions.
func (d *decoder) rosterCSV(file string, data []byte) []rawTeacher {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	lines := bytes.Split(data, []byte("\n"))
	// encoding/csv counts columns in bytes; editors and yaml.v3 count
	// characters, so that 张敏 is two columns wide, not six.
	runeCol := func(line, col int) int {
		if line < 1 || line > len(lines) || col < 1 {
			return col
		}
		l := lines[line-1]
		return utf8.RuneCount(l[:min(col-1, len(l))]) + 1
	}
	errAt := func(line, col int, format string, args ...any) {
		d.errs.Add(Pos{File: file, Line: line, Col: runeCol(line, col)}, format, args...)
	}
	csvError := func(err error) {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			errAt(pe.Line, pe.Column, "roster: %v", pe.Err)
			return
		}
		errAt(1, 1, "roster: %v", err)
	}
	header, err := r.Read()
	if err == io.EOF {
		errAt(1, 1, "roster: the file is empty (a header row is required)")
		return nil
	}
	if err != nil {
		csvError(err)
		return nil
	}
	col := map[string]int{}
	var unnamed []int // columns with an empty header, as spreadsheets export them
	for i, h := range header {
		h = strings.TrimSpace(h)
		line, c := r.FieldPos(i)
		switch {
		case h == "":
			unnamed = append(unnamed, i)
		case !contains(teacherFields, h):
			errAt(line, c, "roster: unknown column %q%s", h, suggest(h, teacherFields))
		case col[h] != 0:
			errAt(line, c, "roster: column %q repeated", h)
		default:
			col[h] = i + 1
		}
	}
	missing := false
	headerLine, _ := r.FieldPos(0)
	for _, k := range []string{"id", "school", "subject", "years"} {
		if col[k] == 0 {
			errAt(headerLine, 1, "roster: missing required column %q", k)
			missing = true
		}
	}
	if missing {
		return nil
	}
	var out []rawTeacher
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			csvError(err)
			var pe *csv.ParseError
			if errors.As(err, &pe) && pe.Err == csv.ErrFieldCount {
				continue
			}
			break
		}
		rowLine, _ := r.FieldPos(0)
		if strings.TrimSpace(strings.Join(rec, "")) == "" {
			continue // a blank line, or a row of empty cells (",,,," from a spreadsheet)
		}
		if len(rec) != len(header) {
			errAt(rowLine, 1, "roster: row has %d fields, the header has %d", len(rec), len(header))
			continue
		}
		for _, i := range unnamed {
			if strings.TrimSpace(rec[i]) != "" {
				line, c := r.FieldPos(i)
				errAt(line, c, "roster: value %q in a column without a name", strings.TrimSpace(rec[i]))
			}
		}
		rt := rawTeacher{at: map[string]Pos{}}
		rt.t.Pos = Pos{File: file, Line: rowLine, Col: 1}
		get := func(k string) (string, Pos, bool) {
			i := col[k] - 1
			if i < 0 {
				return "", Pos{}, false
			}
			line, c := r.FieldPos(i)
			p := Pos{File: file, Line: line, Col: runeCol(line, c)}
			v := strings.TrimSpace(rec[i])
			if v == "" {
				return "", p, false
			}
			rt.at[k] = p
			return v, p, true
		}
		id, _, _ := get("id")
		rt.ent = "teacher " + id
		if id == "" {
			rt.ent = "roster row " + strconv.Itoa(rowLine)
		}
		t := &rt.t
		t.ID = id
		for _, k := range []string{"id", "school", "subject", "years"} {
			if _, p, ok := get(k); !ok {
				d.errs.Add(p, "%s: %s is required", rt.ent, k)
				rt.at["!missing"] = p
			}
		}
		t.Name, _, _ = get("name")
		t.School, _, _ = get("school")
		t.Subject, _, _ = get("subject")
		intCell := func(k string) *int {
			v, p, ok := get(k)
			if !ok {
				return nil
			}
			n, err := strconv.Atoi(v)
			if err != nil {
				d.errs.Add(p, "%s: %s: expected an integer, got %q", rt.ent, k, v)
				delete(rt.at, k)
				return nil
			}
			return &n
		}
		if y := intCell("years"); y != nil {
			t.Years = *y
		}
		t.Age = intCell("age")
		t.LastRotated = intCell("last_rotated")
		t.Gender, _, _ = get("gender")
		t.Backbone, _, _ = get("backbone")
		t.Title, _, _ = get("title")
		t.Exempt, _, _ = get("exempt")
		if v, p, ok := get("volunteer"); ok {
			switch strings.ToLower(v) {
			case "true":
				t.Volunteer = true
			case "false":
			default:
				d.errs.Add(p, "%s: volunteer: expected true or false, got %q", rt.ent, v)
			}
		}
		t.Also = splitList(get("also"))
		t.Wishes = splitList(get("wishes"))
		out = append(out, rt)
	}
	return out
}

func splitList(v string, _ Pos, ok bool) []string {
	if !ok {
		return nil
	}
	var out []string
	for _, x := range strings.Split(v, ";") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}
