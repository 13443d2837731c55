package model_test

import (
	"fmt"
	"os"
	"path/filepath"

	"rotaplan/model"
)

// Load reports every problem of a scenario at once, sorted by position, each
// naming the file, line, column and the entity. Columns count characters:
// 城关一小 is four columns wide.
func ExampleLoad_errors() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "county.yaml")
	os.WriteFile(path, []byte(`version: 1
year: 2027
schools:
  - {id: 城关一小, category: urbn}
teachers:
  - {id: T1, name: 张敏, school: 城关二小, subject: math, years: 8}
policy:
  limits: {max_kms: 40}
`), 0o644)
	_, err := model.Load(path)
	for _, e := range err.(model.ErrorList) {
		e.Pos.File = filepath.Base(e.Pos.File)
		fmt.Println(e)
	}
	// Output:
	// county.yaml:4:26: school 城关一小: category "urbn" is not one of urban, town, rural
	// county.yaml:6:32: teacher T1: school "城关二小" does not exist
	// county.yaml:8:12: policy.limits: unknown key "max_kms" (did you mean "max_km"?)
}

// Compile derives the numbers every command uses: here the posts of the
// tiny example's village school R1 and the quota target of U1.
func ExampleCompile() {
	sc, err := model.Load("testdata/tiny.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	in, _ := model.Compile(sc)
	r1 := in.SchoolIndex["R1"]
	for k, subject := range in.Subjects {
		c := in.Cell(r1, k)
		fmt.Printf("R1 %-7s staff %d posts %d short %d\n", subject, in.Staff[c], in.Req[c], in.Short(c))
	}
	u := in.Units[0]
	fmt.Printf("%s: %d eligible, target %d\n", u.Name, u.Eligible, u.Target)
	// Output:
	// R1 chinese staff 1 posts 1 short 0
	// R1 math    staff 1 posts 1 short 0
	// R1 music   staff 0 posts 1 short 1
	// R1 pe      staff 0 posts 1 short 1
	// 城区学校交流比例 / U1: 5 eligible, target 1
}

// Evaluate prices a set of moves with the objective: the pin of tiny alone.
func ExampleEvaluate() {
	sc, _ := model.Load("testdata/tiny.yaml")
	in, _ := model.Compile(sc)
	t05 := in.TeacherIndex["T05"]
	o := model.Evaluate(in, []model.Placement{{Teacher: t05, To: in.SchoolIndex["T1"], Subject: in.Subject[t05]}})
	t := model.RoundTerms(o.Terms)
	fmt.Printf("quota %g fill %g km %.2f wish %g: Z = %.2f\n", t.Quota, t.Fill, t.Km, t.Wish, t.Total())
	// Output:
	// quota 1000 fill -100 km 6.53 wish -50: Z = 856.53
}
