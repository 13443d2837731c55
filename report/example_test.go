package report_test

import (
	"fmt"

	"rotaplan/model"
	"rotaplan/report"
)

// The inspection indicators of the tiny county before and after the one
// pinned move, T05 (a city-level backbone math teacher) from U1 to T1.
func ExampleIndicators() {
	sc, err := model.Load("testdata/tiny.yaml")
	if err != nil {
		panic(err)
	}
	in, err := model.Compile(sc)
	if err != nil {
		panic(err)
	}
	moves := []model.Placement{{Teacher: in.TeacherIndex["T05"], To: in.SchoolIndex["T1"], Subject: in.SubjectIndex["math"]}}
	for _, c := range report.Indicators(in, moves) {
		fmt.Printf("%s %s: CV %.3f -> %.3f (threshold %.2f)\n", c.Stage, c.Indicator, c.BeforeCV, c.AfterCV, c.Threshold)
	}
	// Output:
	// primary backbone_per_100: CV 0.681 -> 0.427 (threshold 0.50)
	// primary pe_art_per_100: CV 0.681 -> 0.681 (threshold 0.50)
}
