package report

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"rotaplan/model"
)

// TestExplainOptions: each option's ΔZ is Z of the plan with that one
// change minus Z of the plan, recomputed here; the plan's own choice has
// ΔZ 0; hard rules agree with model.Check.
func TestExplainOptions(t *testing.T) {
	in := load(t, "tiny.yaml")
	moves := planMoves(t, in, "swap.yaml")
	z := model.Evaluate(in, moves).Terms.Total()
	for _, id := range []string{"T01", "T06", "T10", "T16", "T05"} {
		tch := in.TeacherIndex[id]
		e := Explain(in, moves, tch)
		var rest []model.Placement
		for _, m := range moves {
			if m.Teacher != tch {
				rest = append(rest, m)
			}
		}
		current := 0
		for _, o := range e.Options {
			next := append([]model.Placement(nil), rest...)
			if o.To != "" {
				next = append(next, model.Placement{Teacher: tch, To: in.SchoolIndex[o.To], Subject: in.SubjectIndex[o.Subject]})
			}
			if want := model.Evaluate(in, next).Terms.Total() - z; math.Abs(o.DZ-want) > 1e-3 {
				t.Errorf("%s -> %q %s: ΔZ %g, recomputed %g", id, o.To, o.Subject, o.DZ, want)
			}
			if math.Abs(o.Delta.Total()-o.DZ) > 1e-2 {
				t.Errorf("%s -> %q: terms %+v do not sum to ΔZ %g", id, o.To, o.Delta, o.DZ)
			}
			if broke := hardBroken(in, next); broke != (len(o.Hard) > 0) {
				t.Errorf("%s -> %q: hard %v, model.Check says broken=%v", id, o.To, o.Hard, broke)
			}
			if o.Current {
				current++
				if o.DZ != 0 || len(o.Hard) > 0 {
					t.Errorf("%s: the plan's own choice has ΔZ %g, hard %v", id, o.DZ, o.Hard)
				}
			}
		}
		if current != 1 {
			t.Errorf("%s: %d options marked current, want 1", id, current)
		}
	}
}

// TestExplainFacts: eligibility, pins, forbids and the grouping of
// destinations that are not allowed.
func TestExplainFacts(t *testing.T) {
	in := load(t, "tiny.yaml")
	moves := planMoves(t, in, "swap.yaml")
	e := Explain(in, moves, in.TeacherIndex["T03"])
	if e.Eligible || !strings.Contains(e.Ineligible, "3 years at U1 < 6") || len(e.Options) != 1 || e.Move != nil {
		t.Errorf("T03: %+v", e)
	}
	if len(e.NotAllowed) != 1 || e.NotAllowed[0].Kind != "not eligible" || strings.Join(e.NotAllowed[0].Schools, ",") != "U2,T1,R1" {
		t.Errorf("T03 not allowed: %+v", e.NotAllowed)
	}
	e = Explain(in, moves, in.TeacherIndex["T05"])
	if e.Pin != "pinned to T1 in math" || e.Move == nil || e.Move.To != "T1" || e.Move.Wish != 1 {
		t.Errorf("T05: pin %q move %+v", e.Pin, e.Move)
	}
	e = Explain(in, moves, in.TeacherIndex["T11"])
	if len(e.Forbids) != 1 || e.Forbids[0] != "never moves" || e.Movable {
		t.Errorf("T11: %+v", e)
	}
	// T06 (math, also pe) may go to T1 and R1 in both subjects; U2 has no route.
	e = Explain(in, moves, in.TeacherIndex["T06"])
	if len(e.Options) != 5 || len(e.NotAllowed) != 1 || e.NotAllowed[0].Kind != "no route" {
		t.Errorf("T06: %d options, not allowed %+v", len(e.Options), e.NotAllowed)
	}
	// T06 -> R1 pe fills a post of weight 2 (school) x 2 (pe) x 100 and
	// leaves U1 math at 1 of 2 (T05 leaves too): fill 100 + deficit 200.
	for _, o := range e.Options {
		if o.To == "R1" && o.Subject == "pe" && (o.DestFill != -400 || o.Origin != 300) {
			t.Errorf("T06 -> R1 pe: dest fill %g origin %g, want -400 300", o.DestFill, o.Origin)
		}
	}
}

func TestExplainGolden(t *testing.T) {
	in := load(t, "tiny.yaml")
	moves := planMoves(t, in, "swap.yaml")
	var buf bytes.Buffer
	for _, id := range []string{"T01", "T06", "T11"} {
		if err := WriteExplanation(&buf, Explain(in, moves, in.TeacherIndex[id]), FormatText); err != nil {
			t.Fatal(err)
		}
		buf.WriteString("\n")
	}
	golden(t, "explain.txt", buf.Bytes())
}
