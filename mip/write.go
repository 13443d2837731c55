package mip

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
)

// Formats of Write.
const (
	FormatMPS  = "mps"
	FormatLP   = "lp"
	FormatJSON = "json"
)

// Write renders the model in a format: mps (free MPS), lp (CPLEX LP) or json.
func (m *Model) Write(w io.Writer, format string) error {
	switch format {
	case FormatMPS:
		return m.WriteMPS(w)
	case FormatLP:
		return m.WriteLP(w)
	case FormatJSON:
		return m.WriteJSON(w)
	}
	return fmt.Errorf("unknown MIP format %q (want mps, lp or json)", format)
}

// num prints a number exactly (shortest representation that reads back the same).
func num(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// WriteMPS writes free MPS: names without spaces, integer columns between
// MARKER lines with explicit bounds, the objective row named obj.
func (m *Model) WriteMPS(w io.Writer) error {
	b := bufio.NewWriter(w)
	// FREE tells COIN readers (CBC) the format: without it they guess
	// per line, and a line that happens to fit the fixed columns is misread.
	fmt.Fprintf(b, "NAME %s FREE\n", m.Name)
	b.WriteString("ROWS\n N obj\n")
	for _, r := range m.Rows {
		fmt.Fprintf(b, " %c %s\n", r.Sense, r.Name)
	}
	// Column-major entries.
	type entry struct {
		row int
		val float64
	}
	cols := make([][]entry, len(m.Vars))
	for i, r := range m.Rows {
		for k, j := range r.Idx {
			cols[j] = append(cols[j], entry{i, r.Val[k]})
		}
	}
	b.WriteString("COLUMNS\n")
	inInt := false
	for j, v := range m.Vars {
		if v.Integer != inInt {
			if v.Integer {
				b.WriteString(" MARKER 'MARKER' 'INTORG'\n")
			} else {
				b.WriteString(" MARKER 'MARKER' 'INTEND'\n")
			}
			inInt = v.Integer
		}
		wrote := false
		if v.Cost != 0 {
			fmt.Fprintf(b, " %s obj %s\n", v.Name, num(v.Cost))
			wrote = true
		}
		for _, e := range cols[j] {
			fmt.Fprintf(b, " %s %s %s\n", v.Name, m.Rows[e.row].Name, num(e.val))
			wrote = true
		}
		if !wrote { // a column must appear to exist
			fmt.Fprintf(b, " %s obj 0\n", v.Name)
		}
	}
	if inInt {
		b.WriteString(" MARKER 'MARKER' 'INTEND'\n")
	}
	b.WriteString("RHS\n")
	for _, r := range m.Rows {
		if r.RHS != 0 {
			fmt.Fprintf(b, " rhs %s %s\n", r.Name, num(r.RHS))
		}
	}
	b.WriteString("BOUNDS\n")
	for _, v := range m.Vars {
		switch {
		case v.Lo == v.Hi:
			fmt.Fprintf(b, " FX bnd %s %s\n", v.Name, num(v.Lo))
		default:
			if v.Lo != 0 {
				fmt.Fprintf(b, " LO bnd %s %s\n", v.Name, num(v.Lo))
			}
			if !math.IsInf(v.Hi, 1) {
				fmt.Fprintf(b, " UP bnd %s %s\n", v.Name, num(v.Hi))
			} else if v.Integer {
				fmt.Fprintf(b, " PL bnd %s\n", v.Name)
			}
		}
	}
	b.WriteString("ENDATA\n")
	return b.Flush()
}

// WriteLP writes CPLEX LP format, a few terms per line.
func (m *Model) WriteLP(w io.Writer) error {
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, "\\ %s: teacher rotation MIP written by rotaplan export\n", m.Name)
	b.WriteString("Minimize\n obj:")
	n := 0
	for _, v := range m.Vars {
		if v.Cost != 0 {
			lpTerm(b, v.Cost, v.Name, n)
			n++
		}
	}
	if n == 0 && len(m.Vars) > 0 {
		fmt.Fprintf(b, " 0 %s", m.Vars[0].Name)
	}
	b.WriteString("\nSubject To\n")
	for _, r := range m.Rows {
		fmt.Fprintf(b, " %s:", r.Name)
		for k, j := range r.Idx {
			lpTerm(b, r.Val[k], m.Vars[j].Name, k)
		}
		op := map[byte]string{LE: "<=", GE: ">=", EQ: "="}[r.Sense]
		fmt.Fprintf(b, " %s %s\n", op, num(r.RHS))
	}
	b.WriteString("Bounds\n")
	for _, v := range m.Vars {
		switch {
		case v.Lo == v.Hi:
			fmt.Fprintf(b, " %s = %s\n", v.Name, num(v.Lo))
		case math.IsInf(v.Hi, 1):
			if v.Lo != 0 {
				fmt.Fprintf(b, " %s >= %s\n", v.Name, num(v.Lo))
			}
		default:
			fmt.Fprintf(b, " %s <= %s <= %s\n", num(v.Lo), v.Name, num(v.Hi))
		}
	}
	first := true
	for _, v := range m.Vars {
		if v.Integer {
			if first {
				b.WriteString("General\n")
				first = false
			}
			fmt.Fprintf(b, " %s\n", v.Name)
		}
	}
	b.WriteString("End\n")
	return b.Flush()
}

// lpTerm writes " + c name", breaking the line every 8 terms (LP readers
// limit line length).
func lpTerm(b *bufio.Writer, c float64, name string, i int) {
	if i > 0 && i%8 == 0 {
		b.WriteString("\n  ")
	}
	switch {
	case c == 1:
		fmt.Fprintf(b, " + %s", name)
	case c == -1:
		fmt.Fprintf(b, " - %s", name)
	case c < 0:
		fmt.Fprintf(b, " - %s %s", num(-c), name)
	default:
		fmt.Fprintf(b, " + %s %s", num(c), name)
	}
}

// jsonModel is the JSON rendering: a sparse matrix in rows, ready for
// scipy.optimize.milp (c, integrality, bounds, LinearConstraint) or any
// other API that takes arrays.
type jsonModel struct {
	Name     string     `json:"name"`
	Sense    string     `json:"sense"`
	Vars     []string   `json:"vars"`
	Cost     []float64  `json:"cost"`
	Lo       []float64  `json:"lo"`
	Hi       []*float64 `json:"hi"` // null: no upper bound
	Integer  []bool     `json:"integer"`
	Rows     []string   `json:"rows"`
	RowLo    []*float64 `json:"row_lo"`    // null: -inf
	RowHi    []*float64 `json:"row_hi"`    // null: +inf
	RowStart []int      `json:"row_start"` // CSR: row i has entries RowStart[i]..RowStart[i+1]
	Col      []int      `json:"col"`
	Val      []float64  `json:"val"`
	MoveVars int        `json:"move_vars"` // the first MoveVars variables are moves
}

// WriteJSON writes the model as arrays (CSR matrix, row bounds, column bounds).
func (m *Model) WriteJSON(w io.Writer) error {
	jm := jsonModel{Name: m.Name, Sense: "min", MoveVars: len(m.Moves),
		Vars: []string{}, Cost: []float64{}, Lo: []float64{}, Hi: []*float64{}, Integer: []bool{},
		Rows: []string{}, RowLo: []*float64{}, RowHi: []*float64{}, RowStart: []int{0}, Col: []int{}, Val: []float64{}}
	for _, v := range m.Vars {
		jm.Vars = append(jm.Vars, v.Name)
		jm.Cost = append(jm.Cost, v.Cost)
		jm.Lo = append(jm.Lo, v.Lo)
		if math.IsInf(v.Hi, 1) {
			jm.Hi = append(jm.Hi, nil)
		} else {
			jm.Hi = append(jm.Hi, ptr(v.Hi))
		}
		jm.Integer = append(jm.Integer, v.Integer)
	}
	for _, r := range m.Rows {
		jm.Rows = append(jm.Rows, r.Name)
		var lo, hi *float64
		switch r.Sense {
		case LE:
			hi = ptr(r.RHS)
		case GE:
			lo = ptr(r.RHS)
		default:
			lo, hi = ptr(r.RHS), ptr(r.RHS)
		}
		jm.RowLo, jm.RowHi = append(jm.RowLo, lo), append(jm.RowHi, hi)
		jm.Col = append(jm.Col, r.Idx...)
		jm.Val = append(jm.Val, r.Val...)
		jm.RowStart = append(jm.RowStart, len(jm.Col))
	}
	enc := json.NewEncoder(w)
	return enc.Encode(jm)
}

func ptr(x float64) *float64 { return &x }
