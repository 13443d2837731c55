package gen_test

import (
	"os"

	"rotaplan/gen"
	"rotaplan/model"
)

// A scenario built in code, written in the spec's format: optional keys
// that are absent or at their defaults are left out, strings YAML would
// misread ("true", "2027") are quoted.
func ExampleWriteYAML() {
	students, age := 120, 41
	sc := &model.Scenario{
		Version: 1,
		Name:    "示例",
		Year:    2027,
		Schools: []model.School{{
			ID: "S1", Name: "金马村小", Category: model.Rural, Tier: 3, Priority: 1,
			Students: &students, Demand: map[string]int{"pe": 1, "music": 1},
		}},
		Teachers: []model.Teacher{{
			ID: "T1", Name: "张敏", School: "S1", Subject: "music", Also: []string{"pe"},
			Years: 8, Age: &age, Gender: "female", Backbone: "county", Title: "true",
		}},
		Policy: model.Policy{Eligibility: model.Eligibility{MinYears: 6}},
	}
	if err := gen.WriteYAML(os.Stdout, sc, "hand-made"); err != nil {
		panic(err)
	}
	// Output:
	// # hand-made
	// version: 1
	// name: 示例
	// year: 2027
	//
	// schools:
	//   - id: S1
	//     name: 金马村小
	//     category: rural
	//     tier: 3
	//     students: 120
	//     demand: {music: 1, pe: 1}
	//
	// teachers:
	//   - {id: T1, name: 张敏, school: S1, subject: music, also: [pe], years: 8, age: 41, gender: female, backbone: county, title: "true"}
	//
	// policy:
	//   eligibility:
	//     min_years: 6
}
