package report

import (
	"os"
	"testing"

	"rotaplan/gen"
	"rotaplan/model"
)

// BenchmarkBuildLargeCounty builds the report of the empty plan on the
// largest example (every quota unit short, so every reason is computed):
// go test -bench Build ./report. It skips when the example is absent.
func BenchmarkBuildLargeCounty(b *testing.B) {
	const path = "../examples/jiulongpo/jiulongpo.yaml"
	if _, err := os.Stat(path); err != nil {
		b.Skip("no ", path)
	}
	sc, err := model.Load(path)
	if err != nil {
		b.Fatal(err)
	}
	in, err := model.Compile(sc)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		Build(in, nil)
	}
}

// BenchmarkBuildCity builds the report of the empty plan of a generated
// county of 400 schools (about 32,000 teachers), whose county-wide quota
// unit gives a maximum flow of a few hundred thousand arcs.
func BenchmarkBuildCity(b *testing.B) {
	in, err := model.Compile(gen.Generate(gen.Options{Schools: 400, Seed: 1}))
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		Build(in, nil)
	}
}
