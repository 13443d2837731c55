package report

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"rotaplan/model"
)

// Explanation says why one teacher moves or stays in a plan: eligibility,
// pins and forbids, where the teacher may go and what each option would
// change in Z, given the plan's other moves.
type Explanation struct {
	Teacher    string   `json:"teacher"`
	Name       string   `json:"name"`
	School     string   `json:"school"`
	Subject    string   `json:"subject"`
	Teaches    []string `json:"teaches"`
	Years      int      `json:"years"`
	Backbone   string   `json:"backbone,omitempty"`
	Eligible   bool     `json:"eligible"`
	Ineligible string   `json:"ineligible_reason,omitempty"`
	Volunteer  bool     `json:"volunteer,omitempty"`
	Movable    bool     `json:"movable"`
	Pin        string   `json:"pin,omitempty"`
	Forbids    []string `json:"forbids,omitempty"`
	Wishes     []string `json:"wishes,omitempty"`
	Move       *MoveRow `json:"move"`                // the plan's move, nil when the teacher stays
	Z          float64  `json:"z"`                   // Z of the plan
	PlanHard   []string `json:"plan_hard,omitempty"` // hard rules the plan itself breaks
	// Options are the teacher's alternatives, best first: every allowed
	// move, and staying when the plan moves the teacher. The current choice
	// is among them with a zero change.
	Options    []Option      `json:"options"`
	NotAllowed []ReasonGroup `json:"not_allowed"`
}

// Option is one choice for the teacher, with the rest of the plan fixed.
type Option struct {
	To       string  `json:"to"` // "" = stays
	Subject  string  `json:"subject,omitempty"`
	Current  bool    `json:"current,omitempty"`
	Km       float64 `json:"km"`
	Wish     float64 `json:"wish_score"`  // w(t, d)
	DestFill float64 `json:"dest_fill"`   // fill term gained at the destination: -fill x weight when it takes an open post, else 0
	Origin   float64 `json:"origin_cost"` // fill and deficit terms lost at the origin when the teacher leaves a required post
	// Delta is the change of each term of Z against the plan, and Hard the
	// hard rules the changed plan breaks (model.Check).
	Delta model.Terms `json:"delta"`
	DZ    float64     `json:"dz"`
	Hard  []string    `json:"hard,omitempty"`
}

// ReasonGroup is a set of schools the teacher may not go to for one kind of reason.
type ReasonGroup struct {
	Kind    string   `json:"kind"`
	Example string   `json:"example"` // the reason for the first school, with numbers
	Schools []string `json:"schools"`
}

// Explain builds the explanation for teacher t under the plan's moves.
func Explain(in *model.Instance, moves []model.Placement, t int) *Explanation {
	sc := in.Scenario
	tc := &sc.Teachers[t]
	e := &Explanation{Teacher: tc.ID, Name: tc.Name, School: tc.School, Subject: tc.Subject, Years: tc.Years,
		Backbone: tc.Backbone, Eligible: in.Eligible[t], Ineligible: in.IneligibleReason(t), Volunteer: tc.Volunteer,
		Movable: in.Movable[t], Wishes: tc.Wishes, Options: []Option{}, NotAllowed: []ReasonGroup{}}
	for _, k := range in.Teaches[t] {
		e.Teaches = append(e.Teaches, in.Subjects[k])
	}
	if in.Pin[t] >= 0 {
		e.Pin = fmt.Sprintf("pinned to %s in %s", sc.Schools[in.PinTo[t]].ID, in.Subjects[in.PinSubj[t]])
	}
	for _, f := range sc.Forbids {
		if f.Teacher != tc.ID {
			continue
		}
		if f.To == "" {
			e.Forbids = append(e.Forbids, "never moves")
		} else {
			e.Forbids = append(e.Forbids, "not to "+f.To)
		}
	}
	base := model.Evaluate(in, moves).Terms
	e.Z = model.Round(base.Total(), 3)
	for _, f := range model.Check(in, moves, nil) {
		if f.Hard() {
			e.PlanHard = append(e.PlanHard, f.Rule)
		}
	}
	slices.Sort(e.PlanHard)
	e.PlanHard = slices.Compact(e.PlanHard)
	var others []model.Placement
	cur := -1
	for i, m := range moves {
		if m.Teacher == t {
			if cur < 0 {
				cur = i
			}
			continue
		}
		others = append(others, m)
	}
	if cur >= 0 {
		m := moves[cur]
		e.Move = &MoveRow{Teacher: tc.ID, Name: tc.Name, From: tc.School, To: sc.Schools[m.To].ID, Subject: in.Subjects[m.Subject],
			Own: m.Subject == in.Subject[t], Backbone: tc.Backbone, Km: model.Round(in.Km(in.Home[t], m.To), 1)}
		if i := slices.Index(tc.Wishes, e.Move.To); i >= 0 {
			e.Move.Wish = i + 1
		}
	}
	o0 := model.Evaluate(in, others)
	K := in.K
	w := sc.Objective
	after0 := func(c int) int { return in.Staff[c] + o0.In[c] - o0.Out[c] }
	originCell := in.Cell(in.Home[t], in.Subject[t])
	a := after0(originCell)
	originFilled := min(a, in.Req[originCell]) - min(a-1, in.Req[originCell]) // 1 when leaving empties a required post
	originCost := 0.0
	if originFilled > 0 {
		originCost = w.Fill * in.Weight(originCell)
		// deficit grows when the cell ends below both its requirement and its staff.
		if a-1 < min(in.Staff[originCell], in.Req[originCell]) {
			originCost += w.Deficit
		}
	}
	option := func(p *model.Placement) Option {
		op := Option{}
		next := append([]model.Placement(nil), others...)
		if p != nil {
			next = append(next, *p)
			op.To, op.Subject = sc.Schools[p.To].ID, in.Subjects[p.Subject]
			op.Km = model.Round(in.Km(in.Home[t], p.To), 3)
			op.Wish = model.Round(in.WishScore(t, p.To), 3)
			c := p.To*K + p.Subject
			ad := after0(c)
			op.DestFill = -w.Fill * in.Weight(c) * float64(min(ad+1, in.Req[c])-min(ad, in.Req[c]))
			if op.DestFill == 0 {
				op.DestFill = 0 // not -0
			}
			op.Origin = originCost
			op.Current = cur >= 0 && moves[cur] == *p
		} else {
			op.Current = cur < 0
		}
		tt := model.Evaluate(in, next).Terms
		op.Delta = model.RoundTerms(model.Terms{Quota: tt.Quota - base.Quota, Backbone: tt.Backbone - base.Backbone, Fill: tt.Fill - base.Fill,
			Deficit: tt.Deficit - base.Deficit, Km: tt.Km - base.Km, Wish: tt.Wish - base.Wish})
		op.DZ = model.Round(tt.Total()-base.Total(), 3)
		for _, f := range model.Check(in, next, nil) {
			if f.Hard() {
				op.Hard = append(op.Hard, f.Rule)
			}
		}
		slices.Sort(op.Hard)
		op.Hard = slices.Compact(op.Hard)
		return op
	}
	e.Options = append(e.Options, option(nil))
	groups := map[string]*ReasonGroup{}
	var kinds []string
	for d := range sc.Schools {
		if d == in.Home[t] {
			continue
		}
		anyAllowed := false
		for _, k := range in.Teaches[t] {
			if in.Allowed(t, d, k) {
				anyAllowed = true
				p := model.Placement{Teacher: t, To: d, Subject: k}
				e.Options = append(e.Options, option(&p))
			}
		}
		if anyAllowed {
			continue
		}
		why := in.NotAllowedReason(t, d, in.Teaches[t][0])
		kind := string(in.Refuse(t, d, in.Teaches[t][0]))
		g, ok := groups[kind]
		if !ok {
			g = &ReasonGroup{Kind: kind, Example: why}
			groups[kind] = g
			kinds = append(kinds, kind)
		}
		g.Schools = append(g.Schools, sc.Schools[d].ID)
	}
	for _, k := range kinds {
		e.NotAllowed = append(e.NotAllowed, *groups[k])
	}
	// Best first: options that keep the hard rules, then by ΔZ, then by school and subject.
	slices.SortStableFunc(e.Options, func(x, y Option) int {
		if c := cmp.Compare(min(len(x.Hard), 1), min(len(y.Hard), 1)); c != 0 {
			return c
		}
		if c := cmp.Compare(x.DZ, y.DZ); c != 0 {
			return c
		}
		return cmp.Compare(x.To+"\x00"+x.Subject, y.To+"\x00"+y.Subject)
	})
	return e
}

// maxOptionsShown is how many options the text lists.
const maxOptionsShown = 10

// WriteExplanation writes an explanation as text (format "text") or JSON.
func WriteExplanation(w io.Writer, e *Explanation, format string) error {
	if format == FormatJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(e)
	}
	if format != FormatText {
		return fmt.Errorf("unknown explain format %q (want text, json)", format)
	}
	fmt.Fprintf(w, "%s %s: %s teacher at %s, %d years there", e.Teacher, e.Name, e.Subject, e.School, e.Years)
	if len(e.Teaches) > 1 {
		fmt.Fprintf(w, ", may also teach %s", strings.Join(e.Teaches[1:], ", "))
	}
	if e.Backbone != "" {
		fmt.Fprintf(w, ", backbone level %s", e.Backbone)
	}
	fmt.Fprintln(w)
	if e.Move != nil {
		fmt.Fprintf(w, "The plan moves %s to %s as %s teacher (%.1f km", e.Teacher, e.Move.To, e.Move.Subject, e.Move.Km)
		if e.Move.Wish > 0 {
			fmt.Fprintf(w, ", wish %d of %d", e.Move.Wish, len(e.Wishes))
		}
		fmt.Fprintln(w, ").")
	} else {
		fmt.Fprintf(w, "The plan keeps %s at %s.\n", e.Teacher, e.School)
	}
	switch {
	case e.Eligible:
		fmt.Fprintln(w, "Eligible: yes")
	case e.Volunteer:
		fmt.Fprintf(w, "Eligible: no (%s), but a volunteer, so movable\n", e.Ineligible)
	default:
		fmt.Fprintf(w, "Eligible: no (%s)\n", e.Ineligible)
	}
	if e.Pin != "" {
		fmt.Fprintf(w, "Pin: %s (its only allowed move)\n", e.Pin)
	}
	if len(e.Forbids) > 0 {
		fmt.Fprintf(w, "Forbidden: %s\n", strings.Join(e.Forbids, "; "))
	}
	if len(e.Wishes) > 0 {
		fmt.Fprintf(w, "Wishes: %s\n", strings.Join(e.Wishes, ", "))
	}
	if len(e.PlanHard) > 0 {
		fmt.Fprintf(w, "\nThe plan itself breaks %s (rotaplan check says how); the hard rules column judges each changed plan as a whole, so it shows those too unless the option repairs them.\n", strings.Join(e.PlanHard, ", "))
	}
	fmt.Fprintf(w, "\nOptions, the rest of the plan fixed (Z of the plan %g; ΔZ per term against it; best first):\n", e.Z)
	t := &table{head: []string{"option", "km", "wish", "dest fill", "origin cost", "ΔZ", "quota", "backbone", "fill", "deficit", "Δkm", "Δwish", "hard rules"},
		numeric: []bool{false, true, true, true, true, true, true, true, true, true, true, true, false}}
	shown := e.Options
	if len(shown) > maxOptionsShown {
		// The best few, and the plan's own choice wherever it ranks.
		shown = slices.Clone(e.Options[:maxOptionsShown])
		for _, o := range e.Options[maxOptionsShown:] {
			if o.Current {
				shown = append(shown, o)
			}
		}
	}
	for _, o := range shown {
		name := "stay at " + e.School
		km, wish, dest, orig := "-", "-", "-", "-"
		if o.To != "" {
			name = fmt.Sprintf("-> %s %s", o.To, o.Subject)
			km, wish, dest, orig = num(o.Km, 1), fmt.Sprintf("%g", o.Wish), fmt.Sprintf("%g", o.DestFill), fmt.Sprintf("%g", o.Origin)
		}
		if o.Current {
			name += " (plan)"
		}
		hard := "kept"
		if len(o.Hard) > 0 {
			hard = "breaks " + strings.Join(o.Hard, ", ")
		}
		d := o.Delta
		t.add(name, km, wish, dest, orig, signed(o.DZ), signed(d.Quota), signed(d.Backbone), signed(d.Fill), signed(d.Deficit), signed(d.Km), signed(d.Wish), hard)
	}
	t.write(w, "  ")
	if n := len(e.Options) - len(shown); n > 0 {
		fmt.Fprintf(w, "  ... and %d more allowed options (--format json lists them all)\n", n)
	}
	fmt.Fprintln(w, "  (dest fill: fill term at the destination; origin cost: fill and deficit lost at the origin; hard rules checked with model.Check)")
	if len(e.Options) == 1 && e.Move == nil {
		fmt.Fprintln(w, "  (no move is allowed, so staying is the only option)")
	}
	if len(e.NotAllowed) > 0 {
		fmt.Fprintln(w, "\nNot allowed:")
		for _, g := range e.NotAllowed {
			list := g.Schools
			more := ""
			if len(list) > 20 {
				list, more = list[:20], fmt.Sprintf(" and %d more", len(list)-20)
			}
			fmt.Fprintf(w, "  %s: %d schools: %s%s (e.g. %s)\n", g.Kind, len(g.Schools), strings.Join(list, ", "), more, g.Example)
		}
	}
	return nil
}
