package mip

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// Solution is an outside solver's answer read back.
type Solution struct {
	Status    string    // the solver's words, e.g. "Optimal"
	Objective float64   // as the solver reports it
	X         []float64 // one value per variable of the model (absent = 0)
}

// ReadCBCSolution reads the file CBC writes with "solu FILE": a status line
// "Optimal - objective value -4521.3" and then one line per nonzero column
// "index name value reduced-cost" (lines of infeasible values start with **).
func ReadCBCSolution(r io.Reader, m *Model) (*Solution, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	if !sc.Scan() {
		return nil, fmt.Errorf("cbc solution: empty file")
	}
	head := sc.Text()
	i := strings.Index(head, "objective value")
	if i < 0 {
		return nil, fmt.Errorf("cbc solution: unexpected first line %q", head)
	}
	sol := &Solution{Status: strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(head[:i]), "-")), X: make([]float64, len(m.Vars))}
	obj, err := strconv.ParseFloat(strings.TrimSpace(head[i+len("objective value"):]), 64)
	if err != nil {
		return nil, fmt.Errorf("cbc solution: objective in %q: %v", head, err)
	}
	sol.Objective = obj
	idx := m.Index()
	line := 1
	for sc.Scan() {
		line++
		f := strings.Fields(strings.TrimPrefix(strings.TrimSpace(sc.Text()), "**"))
		if len(f) == 0 {
			continue
		}
		if len(f) < 3 {
			return nil, fmt.Errorf("cbc solution line %d: %q", line, sc.Text())
		}
		j, ok := idx[f[1]]
		if !ok {
			return nil, fmt.Errorf("cbc solution line %d: unknown column %q", line, f[1])
		}
		v, err := strconv.ParseFloat(f[2], 64)
		if err != nil {
			return nil, fmt.Errorf("cbc solution line %d: %v", line, err)
		}
		sol.X[j] = v
	}
	return sol, sc.Err()
}

// SolveCBC writes the model as MPS into dir, runs the cbc program on it
// with a zero gap tolerance and reads the solution back. It is for tests and
// benchmarks; cbc must be on PATH.
func SolveCBC(ctx context.Context, m *Model, dir string) (*Solution, error) {
	return runCBC(ctx, m, dir, "ratioGap", "0", "allowableGap", "1e-7", "solve")
}

// SolveCBCRelaxation is SolveCBC for the LP relaxation (integrality
// dropped, every bound kept): its objective is a lower bound on the MIP's.
func SolveCBCRelaxation(ctx context.Context, m *Model, dir string) (*Solution, error) {
	return runCBC(ctx, m, dir, "initialSolve")
}

// runCBC writes the model as MPS into dir, runs cbc with the commands and
// reads back the solution it writes.
func runCBC(ctx context.Context, m *Model, dir string, commands ...string) (*Solution, error) {
	mps := filepath.Join(dir, "model.mps")
	solu := filepath.Join(dir, "model.sol")
	f, err := os.Create(mps)
	if err != nil {
		return nil, err
	}
	if err := m.WriteMPS(f); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	args := append(append([]string{mps}, commands...), "solu", solu)
	out, err := exec.CommandContext(ctx, "cbc", args...).CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("cbc: %v\n%s", err, out)
	}
	sf, err := os.Open(solu)
	if err != nil {
		return nil, fmt.Errorf("cbc wrote no solution: %v\n%s", err, out)
	}
	defer sf.Close()
	return ReadCBCSolution(sf, m)
}
