// Package model holds the rotation scenario of rotaplan: its types, strict
// decoding from YAML (and the CSV roster), validation with positioned errors,
// the derived quantities every command needs (staff, posts, shortages,
// eligibility, allowed moves, quota units), the plan file types, and the
// objective of the spec evaluated for a given set of moves.
//
// The flow is Load (or Parse + Decode) -> Compile -> Instance. Decoding
// reports every problem at once as an ErrorList sorted by position, each
// error formatted as "file:line:col: message" with the entity named.
// An Instance is the integer-indexed form used by the solver, the rule
// checker and the report; it never changes after Compile.
package model
