package report

import (
	"os"
	"testing"

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
