// Package model holds the rotation scenario of rotaplan: its types, strict
// decoding from YAML (and the CSV roster), validation with positioned errors,
// the derived quantities every command needs (staff, posts, shortages,
// eligibility, allowed moves, quota units), the plan file types, and the
// objective of the spec evaluated for a given set of moves.
//
// The flow is Load (or Parse + Decode) -> Compile -> Instance. Decoding
// reports every problem at once as an ErrorList sorted by position, each
// error formatted as "file:line:col: message" with the entity named, like
// go/scanner. Columns count characters, not bytes, in the YAML file and in
// the CSV roster alike, so that positions agree with what an editor shows
// for Chinese text. yaml.v3 reports syntax errors at the start of the
// enclosing construct; Parse finds the line of the problem itself.
//
// Decoding is defensive: alias expansions are budgeted (alias bombs),
// nesting is bounded by yaml.v3, and FuzzDecode and FuzzRoster check that
// no input panics and that every error lies inside its file.
//
// An Instance is the integer-indexed form used by the solver, the rule
// checker and the report; it never changes after Compile. The format itself
// is described for planners in docs/scenario.md.
package model
