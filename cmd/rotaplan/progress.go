package main

import (
	"fmt"
	"io"
	"strconv"
	"sync"
	"time"

	"rotaplan/solver"
)

// progress shows the solver's progress on one terminal line, rewritten in
// place. Nothing appears before the delay, so quick runs stay quiet, and
// the line is rewritten at most every tenth of a second.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	delay time.Duration
	last  time.Duration
	shown bool
	width int
}

func newProgress(w io.Writer, delay time.Duration) *progress {
	return &progress{w: w, delay: delay, last: -time.Hour}
}

// report is a solver.Settings.Progress callback.
func (p *progress) report(s solver.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if s.Elapsed < p.delay || s.Elapsed-p.last < 100*time.Millisecond {
		return
	}
	p.last = s.Elapsed
	line := fmt.Sprintf("%5.1fs %-10s Z %s  bound %s  nodes %d", s.Elapsed.Seconds(), s.Phase,
		progNum(s.Objective), progNum(s.Bound), s.Nodes)
	pad := max(0, p.width-len(line))
	fmt.Fprintf(p.w, "\r%s%*s", line, pad, "")
	p.width = len(line)
	p.shown = true
}

// done clears the line, if one was shown. A nil progress does nothing.
func (p *progress) done() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprintf(p.w, "\r%*s\r", p.width, "")
		p.shown = false
	}
}

func progNum(x float64) string {
	if x > 1e300 || x < -1e300 {
		return "-"
	}
	return strconv.FormatFloat(x, 'f', 1, 64)
}
