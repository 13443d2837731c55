package solver

import (
	"context"
	"errors"
	"math"
	"time"

	"rotaplan/model"
)

// Status says what a Result is.
type Status string

const (
	// Optimal: a lower bound equal to the objective proves the plan optimal.
	Optimal Status = "optimal"
	// Feasible: a valid plan, with a bound and a gap that were not closed
	// (a time limit, a node limit, a gap tolerance or a cancelled context).
	Feasible Status = "feasible"
	// Infeasible: no plan exists; the pins alone break a hard rule (see Conflicts).
	Infeasible Status = "infeasible"
)

// Settings tune Solve. A nil *Settings means the defaults: no time limit,
// prove optimality (Gap 0), no progress reports.
type Settings struct {
	TimeLimit time.Duration  // 0: none. Results then depend on the clock, so it is off by default.
	Gap       float64        // stop when (Z - bound) <= Gap x max(1, |Z|); 0 proves optimality
	Progress  func(Progress) // called now and then from the solving goroutine; may be nil
}

// Progress is a snapshot reported while solving.
type Progress struct {
	Elapsed   time.Duration
	Phase     string
	Objective float64 // best plan so far
	Bound     float64 // best lower bound so far
	Nodes     int
}

// Result is the outcome of Solve.
type Result struct {
	Status    Status
	Moves     []model.Placement // sorted by teacher index
	Objective float64           // Z of Moves
	Terms     model.Terms       // its six terms
	Bound     float64           // lower bound on the optimal Z; -Inf when none is known
	Gap       float64           // (Objective - Bound) / max(1, |Objective|)
	Nodes     int               // branch-and-bound nodes explored
	Conflicts []model.PinConflict
}

// Solve finds the plan of minimum Z (spec §6) under the hard rules H1-H4.
func Solve(ctx context.Context, in *model.Instance, s *Settings) (*Result, error) {
	_ = ctx
	_ = math.Inf
	return nil, errors.New("solver: not implemented yet")
}
