// Package report explains a rotation plan to the people who approve it: what
// every school gains and loses, whether each quota unit is met and, when it
// is not, the binding reason with its numbers, the 2017 inspection indicators
// (县域义务教育优质均衡) before and after, and why one teacher moves or stays.
//
// Build computes a Report from a compiled instance and the plan's moves; the
// writers render it as text, Markdown, JSON or one self-contained HTML page.
// Indicators gives the indicator CVs alone (the sweep command uses it).
// Explain tells one teacher's story: every allowed option with the change of
// each term of Z, checked against the hard rules with model.Check.
// Shortfall reasons are derived from the flow structure of the hard rules:
// a small maximum flow bounds how many of a unit's teachers could leave at
// once under H2-H4, and its minimum cut names what binds. Nothing in a
// report depends on map order or the clock, so the same input gives the
// same bytes.
package report
