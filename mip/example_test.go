package mip_test

import (
	"fmt"
	"io"
	"log"
	"testing"

	"rotaplan/gen"
	"rotaplan/mip"
	"rotaplan/model"
)

// Build the program of the tiny county and check that a plan, written as a
// vector of the program, scores its Z.
func ExampleBuild() {
	sc, err := model.Load("testdata/tiny.yaml")
	if err != nil {
		log.Fatal(err)
	}
	in, err := model.Compile(sc)
	if err != nil {
		log.Fatal(err)
	}
	m := mip.Build(in)
	fmt.Printf("%d variables (%d moves), %d rows\n", len(m.Vars), len(m.Moves), len(m.Rows))
	pin := []model.Placement{{Teacher: in.TeacherIndex["T05"], To: in.SchoolIndex["T1"], Subject: in.SubjectIndex["math"]}}
	x, _ := m.Vector(pin)
	fmt.Printf("violations %d, objective %.4f, Z %.4f\n", len(m.Violations(x)), m.Objective(x), model.Evaluate(in, pin).Terms.Total())
	// Output:
	// 32 variables (20 moves), 25 rows
	// violations 0, objective 856.5311, Z 856.5311
}

// BenchmarkBuildWrite builds and writes the MPS of a generated 60-school
// county (about 5,000 teachers).
func BenchmarkBuildWrite(b *testing.B) {
	in, err := model.Compile(gen.Generate(gen.Options{Schools: 60, Seed: 1}))
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		m := mip.Build(in)
		if err := m.WriteMPS(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
