package model

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// rosterHead is a scenario whose teachers are in r.csv next to it.
const rosterHead = `version: 1
year: 2027
subjects: {math: , music: , pe: }
schools:
  - {id: S1, category: urban}
  - {id: S2, category: rural}
teachers_csv: r.csv
`

// loadRoster writes the scenario and the roster into a temporary folder and
// loads them; error lines are returned without the folder.
func loadRoster(t *testing.T, scenario, roster string) (*Scenario, []string) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "r.csv"), []byte(roster), 0o644); err != nil {
		t.Fatal(err)
	}
	return decodeText(t, dir, scenario)
}

func TestRosterValid(t *testing.T) {
	for _, tc := range []struct{ name, csv string }{
		{"plain", "id,name,school,subject,also,years,age,gender,backbone,title,last_rotated,exempt,volunteer,wishes\n" +
			"T1,张敏,S1,math,music; pe,8,41,female,county,一级,2019,,true,S2\n" +
			"T2,\"李, 强\",S2,music,,3,,,,,,孕期,false,S1;S2\n"},
		{"trailing empty columns and rows from a spreadsheet", "id,name,school,subject,also,years,age,gender,backbone,title,last_rotated,exempt,volunteer,wishes,,\n" +
			"T1,张敏,S1,math,music; pe,8,41,female,county,一级,2019,,true,S2,,\n" +
			",,,,,,,,,,,,,,,\n" +
			"T2,\"李, 强\",S2,music,,3,,,,,,孕期,false,S1;S2,,\n,,,,,,,,,,,,,,,\n"},
		{"BOM, CRLF, other column order, blank line", "\ufeffschool,id,years,subject,name,also,age,gender,backbone,title,last_rotated,exempt,volunteer,wishes\r\n" +
			"S1,T1,8,math,张敏,music;pe,41,female,county,一级,2019,,TRUE,S2\r\n\r\n" +
			"S2,T2,3,music,\"李, 强\",,,,none,,,孕期,false,S1;S2\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc, errs := loadRoster(t, rosterHead, tc.csv)
			if errs != nil {
				t.Fatal(strings.Join(errs, "\n"))
			}
			if sc.TeachersCSV != "r.csv" || len(sc.Teachers) != 2 {
				t.Fatalf("roster %q, %d teachers", sc.TeachersCSV, len(sc.Teachers))
			}
			t1, t2 := sc.Teachers[0], sc.Teachers[1]
			if t1.ID != "T1" || t1.Name != "张敏" || t1.School != "S1" || t1.Subject != "math" ||
				!reflect.DeepEqual(t1.Also, []string{"music", "pe"}) || t1.Years != 8 || *t1.Age != 41 ||
				t1.Gender != "female" || t1.Backbone != "county" || t1.Title != "一级" || *t1.LastRotated != 2019 ||
				t1.Exempt != "" || !t1.Volunteer || !reflect.DeepEqual(t1.Wishes, []string{"S2"}) {
				t.Errorf("T1 = %+v", t1)
			}
			// Empty cells are absent keys.
			if t2.Name != "李, 强" || t2.Also != nil || t2.Age != nil || t2.Gender != "" || t2.Backbone != "" ||
				t2.LastRotated != nil || t2.Exempt != "孕期" || t2.Volunteer || !reflect.DeepEqual(t2.Wishes, []string{"S1", "S2"}) {
				t.Errorf("T2 = %+v", t2)
			}
			if t2.Pos.File == "" || t2.Pos.Line < 3 || t2.Pos.Col != 1 {
				t.Errorf("T2 position %v", t2.Pos)
			}
		})
	}
}

// Roster errors carry the roster's own positions; columns count characters
// (张敏 is 2 columns, not 6 bytes), as in the YAML file.
func TestRosterErrors(t *testing.T) {
	tests := []struct {
		name, csv string
		want      []string
	}{
		{"empty", "", []string{`r.csv:1:1: roster: the file is empty (a header row is required)`}},
		{"only a BOM", "\ufeff", []string{`r.csv:1:1: roster: the file is empty (a header row is required)`}},
		{"unknown and repeated columns", "id,name,school,subject,years,hobby,name\n", []string{
			`r.csv:1:30: roster: unknown column "hobby"`,
			`r.csv:1:36: roster: column "name" repeated`}},
		{"missing columns", "\ufeffid,name,subject\nT1,张敏,math\n", []string{
			`r.csv:1:1: roster: missing required column "school"`,
			`r.csv:1:1: roster: missing required column "years"`}},
		{"bad cells", "id,name,school,subject,years,age,volunteer,gender,backbone\n" +
			"T1,张敏,S1,math,八,4x,yes,女,national\n", []string{
			`r.csv:2:15: teacher T1: years: expected an integer, got "八"`,
			`r.csv:2:17: teacher T1: age: expected an integer, got "4x"`,
			`r.csv:2:20: teacher T1: volunteer: expected true or false, got "yes"`,
			`r.csv:2:24: teacher T1: gender "女" is not one of male, female`,
			`r.csv:2:26: teacher T1: backbone "national" is not one of none, school, county, city, province`}},
		{"missing cells", "id,name,school,subject,years\n,张敏,S1,math,8\nT2,李强,,,-1\n", []string{
			`r.csv:2:1: roster row 2: id is required`,
			`r.csv:3:7: teacher T2: school is required`,
			`r.csv:3:8: teacher T2: subject is required`,
			`r.csv:3:9: teacher T2: years must be >= 0, got -1`}},
		{"value under an unnamed column", "id,school,subject,years,\nT1,S1,math,8,x\n", []string{
			`r.csv:2:14: roster: value "x" in a column without a name`}},
		{"field count", "id,name,school,subject,years\nT1,张敏,S1,math\nT2,李强,S1,math,8,9\n", []string{
			`r.csv:2:1: roster: row has 4 fields, the header has 5`,
			`r.csv:3:1: roster: row has 6 fields, the header has 5`}},
		{"bad quotes", "id,name,school,subject,years\nT1,张\"敏,S1,math,8\n", []string{
			`r.csv:2:5: roster: bare " in non-quoted-field`}},
		{"references", "id,name,school,subject,also,years,wishes\nT1,张敏,S7,art,music;chess,8,S1;S9\nT1,李强,S1,math,,8,\n", []string{
			`r.csv:2:7: teacher T1: school "S7" does not exist`,
			`r.csv:2:10: teacher T1: subject "art" is not in the subjects catalogue`,
			`r.csv:2:14: teacher T1: subject "chess" is not in the subjects catalogue`,
			`r.csv:2:28: teacher T1: wish "S9" is not a school`,
			`r.csv:3:1: teacher T1: duplicate teacher id (first at line 2)`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, got := loadRoster(t, rosterHead, tc.csv)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestRosterUnreadable(t *testing.T) {
	dir := t.TempDir()
	// A folder where the roster should be: it exists but cannot be read as a file.
	if err := os.Mkdir(filepath.Join(dir, "r.csv"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, got := decodeText(t, dir, rosterHead)
	want := `s.yaml:7:15: scenario: teachers_csv: cannot read roster ` + filepath.Join(dir, "r.csv") + `: is a directory`
	if len(got) != 1 || got[0] != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
