package model

// Category of a school.
const (
	Urban = "urban"
	Town  = "town"
	Rural = "rural"
)

// Enumerations of the scenario format, in the order the spec lists them.
var (
	Categories     = []string{Urban, Town, Rural}
	Stages         = []string{"primary", "junior", "nine_year"}
	Genders        = []string{"male", "female"}
	BackboneLevels = []string{"none", "school", "county", "city", "province"}
)

// DefaultBackboneLevels are the levels that count as backbone when the
// policy does not say: county level and above, as the inspection indicators count.
var DefaultBackboneLevels = []string{"county", "city", "province"}

// Scenario is one decoded scenario file (spec §1). Optional numbers that have
// no default are pointers; nil means absent.
type Scenario struct {
	File    string // path as given to Load
	SHA256  string // hex digest of the scenario file bytes
	Version int
	Name    string
	Year    int

	Subjects    []Subject // the catalogue, in file order; empty when absent
	HasCatalog  bool
	Schools     []School
	Teachers    []Teacher
	TeachersCSV string // roster path as written, when the roster is a CSV file

	Policy    Policy
	Objective Weights
	Pins      []Pin
	Forbids   []Forbid
}

// Subject is a catalogue entry.
type Subject struct {
	ID       string
	Name     string
	Priority float64 // > 0, default 1
	Pos      Pos
}

// Location is a point on the globe in degrees.
type Location struct {
	Lat, Lon float64
}

// School is one school of the county.
type School struct {
	ID       string
	Name     string
	Category string
	Tier     int // >= 1, default 1
	Group    string
	Stage    string
	Students *int
	Location *Location
	Priority float64        // > 0, default 1
	Demand   map[string]int // required posts per subject; iterate with SortedKeys
	Pos      Pos
}

// Teacher is one teacher of the roster.
type Teacher struct {
	ID          string
	Name        string
	School      string
	Subject     string
	Also        []string
	Years       int
	Age         *int
	Gender      string
	Backbone    string // "" means none
	Title       string
	LastRotated *int
	Exempt      string
	Volunteer   bool
	Wishes      []string
	Pos         Pos
}

// Policy is the rotation policy.
type Policy struct {
	Eligibility    Eligibility
	BackboneLevels []string
	Quotas         []Quota
	Limits         Limits
	Routes         []Route
}

// Eligibility says who must rotate.
type Eligibility struct {
	MinYears       int  // default 6
	AgeLimitMale   *int // age >= limit -> not eligible
	AgeLimitFemale *int
	CooldownYears  *int
}

// Quota is an exchange-ratio rule.
type Quota struct {
	Name             string
	From             Selector
	Each             bool // default true
	MinShare         float64
	MinBackboneShare float64
	Pos              Pos
}

// Limits are the hard limits of the policy.
type Limits struct {
	MaxKm           *float64
	MaxOutflowShare *float64
	SourceDeficit   int
}

// Selector selects schools; a school matches when it matches every non-empty list.
type Selector struct {
	Schools  []string
	Category []string
	Tier     []int
	Group    []string
}

// Route allows moves from schools matching From to schools matching To;
// with SameGroup both schools must also share a non-empty group.
type Route struct {
	From      Selector
	To        Selector
	SameGroup bool
	Pos       Pos
}

// Weights are the objective weights (spec §6).
type Weights struct {
	Quota    float64
	Backbone float64
	Fill     float64
	Deficit  float64
	Km       float64
	Wish     float64
}

// DefaultWeights are the spec's defaults.
var DefaultWeights = Weights{Quota: 1000, Backbone: 1000, Fill: 100, Deficit: 200, Km: 1, Wish: 50}

// Pin is a decision already taken.
type Pin struct {
	Teacher string
	To      string
	Subject string // "" means the teacher's subject
	Pos     Pos
}

// Forbid forbids a teacher's move: every move when To is empty, else moves to To.
type Forbid struct {
	Teacher string
	To      string
	Pos     Pos
}

// Matches reports whether school s matches the selector.
func (sel Selector) Matches(s *School) bool {
	if len(sel.Schools) > 0 && !contains(sel.Schools, s.ID) {
		return false
	}
	if len(sel.Category) > 0 && !contains(sel.Category, s.Category) {
		return false
	}
	if len(sel.Tier) > 0 {
		ok := false
		for _, t := range sel.Tier {
			ok = ok || t == s.Tier
		}
		if !ok {
			return false
		}
	}
	if len(sel.Group) > 0 && !contains(sel.Group, s.Group) {
		return false
	}
	return true
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
