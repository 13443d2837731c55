// Package gen makes synthetic but realistic rotation scenarios: counties of
// any size for tests and benchmarks (Generate), the real-place examples under
// examples/ (Wenjiang, Jinchuan, Jiulongpo), and the scenario file writer
// (WriteYAML, WriteRoster, WriteFiles) that renders a model.Scenario in the
// format of the spec with deterministic bytes.
//
// The structure follows the domain notes: urban, town and rural schools
// (about 20/30/50% of the schools, most teachers in urban and town ones),
// tiers with the strongest schools in the county seat, education groups around tier-1
// schools, posts from the staffing ratios (primary 1:19, junior 1:13.5)
// split over subjects, shortages concentrated in rural music, PE, art,
// English and IT, surplus in urban main subjects, backbone teachers
// concentrated in tier-1 schools, and about a third of the teachers eligible
// after 6 years at their school.
//
// Everything random comes from a math/rand/v2 PCG source seeded by
// Options.Seed, and no output depends on map order, so the same options give
// byte-identical files.
//
// go generate ./gen rewrites the committed examples (it runs the package's
// TestExamples with the flag -update); go test ./gen fails while they are
// out of date.
//
//go:generate go test -run TestExamples -update
package gen
