package gen

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"

	"rotaplan/model"
)

// Options say what county Generate makes. The zero value is a 60-school
// county of about 5,000 teachers, seed 0.
type Options struct {
	Schools int    // number of schools; default 60
	Seed    uint64 // seed of the PCG source: same options, same scenario

	// TeachersPerSchool is the average roster size per school; default 80,
	// so 60 schools have about 5,000 teachers and 1,000 about 80,000.
	// Student numbers (and with them posts and rosters) scale with it.
	TeachersPerSchool float64

	// CSV asks for the roster as a CSV file: Scenario.TeachersCSV is set to
	// RosterFile, and WriteFiles writes the roster next to the scenario.
	CSV bool

	Name string // default "合成县 <year> 学年交流轮岗 (seed S)"
	Year int    // planning school year; default 2027

	// Center is the county seat; the zero value means 30.0N 104.0E.
	Center model.Location
}

// RosterFile is the roster name Generate sets when Options.CSV is true.
const RosterFile = "roster.csv"

// Defaults of Options.
const (
	DefaultSchools           = 60
	DefaultTeachersPerSchool = 80
	DefaultYear              = 2027
)

// baseTeachersPerSchool is the average roster size of the synthetic layout
// at scale 1 (measured over many seeds); Options.TeachersPerSchool scales
// the student numbers by its ratio to this.
const baseTeachersPerSchool = 70

// Generate makes a synthetic county. Every scenario it returns is valid
// (model.Compile accepts it, a written file loads back without errors) and
// its pins do not conflict.
func Generate(opts Options) *model.Scenario {
	if opts.Schools <= 0 {
		opts.Schools = DefaultSchools
	}
	if opts.TeachersPerSchool <= 0 {
		opts.TeachersPerSchool = DefaultTeachersPerSchool
	}
	if opts.Year <= 0 {
		opts.Year = DefaultYear
	}
	if opts.Center == (model.Location{}) {
		opts.Center = model.Location{Lat: 30.0, Lon: 104.0}
	}
	if opts.Name == "" {
		opts.Name = fmt.Sprintf("合成县 %d 学年交流轮岗 (seed %d)", opts.Year, opts.Seed)
	}
	c := newCounty(opts.Seed, opts.Year, opts.Name)
	c.layout(opts.Schools, opts.Center, opts.TeachersPerSchool/baseTeachersPerSchool)
	c.staff()
	c.sc.Policy = standardPolicy()
	c.finish(max(1, opts.Schools/15), max(1, opts.Schools/20))
	if opts.CSV {
		c.sc.TeachersCSV = RosterFile
	}
	return c.sc
}

// standardPolicy is the policy of the synthetic counties: the national
// rules with Dalian's age limits.
func standardPolicy() model.Policy {
	return model.Policy{
		Eligibility: model.Eligibility{
			MinYears:       6,
			AgeLimitMale:   ptr(55),
			AgeLimitFemale: ptr(50),
			CooldownYears:  ptr(3),
		},
		BackboneLevels: model.DefaultBackboneLevels,
		Quotas: []model.Quota{
			{Name: "城区学校交流比例", From: model.Selector{Category: []string{model.Urban}}, Each: true, MinShare: 0.10, MinBackboneShare: 0.20},
			{Name: "全县交流比例", Each: false, MinShare: 0.05},
		},
		Limits: model.Limits{MaxKm: ptr(50.0), MaxOutflowShare: ptr(0.15)},
		Routes: []model.Route{
			{From: model.Selector{Category: []string{model.Urban, model.Town}}, To: model.Selector{Category: []string{model.Rural}}},
			{SameGroup: true},
		},
	}
}

func ptr[T any](v T) *T { return &v }

// The subject catalogue: music, PE and art weigh double, English and IT half
// again, since those are the posts rural schools cannot fill.
var catalog = []model.Subject{
	{ID: "chinese", Name: "语文", Priority: 1},
	{ID: "math", Name: "数学", Priority: 1},
	{ID: "english", Name: "英语", Priority: 1.5},
	{ID: "science", Name: "科学", Priority: 1},
	{ID: "physics", Name: "物理", Priority: 1},
	{ID: "chemistry", Name: "化学", Priority: 1},
	{ID: "biology", Name: "生物", Priority: 1},
	{ID: "history", Name: "历史", Priority: 1},
	{ID: "geography", Name: "地理", Priority: 1},
	{ID: "morality", Name: "道德与法治", Priority: 1},
	{ID: "music", Name: "音乐", Priority: 2},
	{ID: "pe", Name: "体育", Priority: 2},
	{ID: "art", Name: "美术", Priority: 2},
	{ID: "it", Name: "信息科技", Priority: 1.5},
}

// Shares of the posts per subject (relative weights, catalogue order),
// after the national curriculum's weekly hours.
var (
	primaryShare = []float64{24, 18, 9, 6, 0, 0, 0, 0, 0, 5, 8, 10, 7, 4}
	juniorShare  = []float64{14, 14, 14, 0, 6, 4, 5, 6, 5, 7, 4, 8, 4, 4}
)

// Staffing ratios (students per post) since 2014.
const (
	primaryRatio = 19.0
	juniorRatio  = 13.5
)

// Subjects whose meaning the generator relies on, by catalogue index.
const (
	kChinese = 0
	kMath    = 1
	kEnglish = 2
	kMusic   = 10
	kPE      = 11
	kArt     = 12
	kIT      = 13
)

func isArts(k int) bool { return k == kMusic || k == kPE || k == kArt }

// county is the state of one generation run.
type county struct {
	r    *rand.Rand
	year int
	sc   *model.Scenario
	prof profile
	// per school, per catalogue subject: posts and teachers to create
	demand, staffN [][]int
}

// profile tunes the generator for a place.
type profile struct {
	backbone    [3]float64 // share of county-level-or-above backbone teachers in tier 1, 2, 3+
	villageArts bool       // rural schools have no music, PE or art teacher at all
	wishShare   float64    // share of movable teachers with wishes
	alsoShare   float64    // share of teachers with a second subject
	urbanArts   [2]float64 // range of the relative surplus of urban music, PE and art posts
}

var defaultProfile = profile{backbone: [3]float64{0.24, 0.11, 0.05}, wishShare: 0.2, alsoShare: 0.1, urbanArts: [2]float64{-0.05, 0.10}}

func newCounty(seed uint64, year int, name string) *county {
	sc := &model.Scenario{
		Version:    1,
		Name:       name,
		Year:       year,
		Subjects:   slices.Clone(catalog),
		HasCatalog: true,
		Objective:  model.DefaultWeights,
	}
	return &county{
		r:    rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		year: year,
		sc:   sc,
		prof: defaultProfile,
	}
}

// uniform draws from [lo, hi). The float64 conversion keeps compilers for
// arm64 and others from fusing the multiply-add, so that every platform
// makes the same files.
func (c *county) uniform(lo, hi float64) float64 { return lo + float64((hi-lo)*c.r.Float64()) }
func (c *county) chance(p float64) bool          { return c.r.Float64() < p }

// pick returns an index drawn with the given relative weights.
func (c *county) pick(w ...float64) int {
	sum := 0.0
	for _, x := range w {
		sum += x
	}
	u := c.r.Float64() * sum
	for i, x := range w {
		if u < x {
			return i
		}
		u -= x
	}
	return len(w) - 1
}

// offset moves a point by east and north kilometres.
func offset(at model.Location, eastKm, northKm float64) model.Location {
	lat := at.Lat + northKm/111.195
	lon := at.Lon + eastKm/(111.195*math.Cos(at.Lat*math.Pi/180))
	return model.Location{Lat: round5(lat), Lon: round5(lon)}
}

func round5(x float64) float64 { return math.Round(x*1e5) / 1e5 }

// polar is a point at distance km and a random bearing from at.
func (c *county) polar(at model.Location, km float64) model.Location {
	a := c.r.Float64() * 2 * math.Pi
	return offset(at, km*math.Cos(a), km*math.Sin(a))
}

// layout makes n synthetic schools around the seat: urban ones clustered in
// the seat, town ones around a few town centres 8-25 km out, rural ones
// spread 10-60 km out; then tiers, education groups and students.
func (c *county) layout(n int, seat model.Location, scale float64) {
	nu := int(math.Round(0.2 * float64(n)))
	nt := int(math.Round(0.3 * float64(n)))
	if n >= 2 && nu == 0 {
		nu = 1
	}
	nr := n - nu - nt
	ntowns := max(1, (nt+2)/3)
	places := c.placeNames(ntowns + nr)
	width := max(3, len(strconv.Itoa(n)))
	id := func(i int) string { return fmt.Sprintf("S%0*d", width, i+1) }

	type town struct {
		name  string
		at    model.Location
		count [3]int // schools per stage so far
	}
	towns := make([]town, ntowns)
	for i := range towns {
		towns[i] = town{name: places[i], at: c.polar(seat, c.uniform(8, 25))}
	}
	villages := places[len(towns):]
	var urbanCount [3]int
	for i := range n {
		s := model.School{ID: id(i), Priority: 1}
		switch {
		case i < nu:
			s.Category = model.Urban
			s.Stage = model.Stages[c.pick(55, 35, 10)]
			s.Tier = 1 + c.pick(40, 45, 15)
			if i == 0 {
				s.Tier = 1
			}
			st := slices.Index(model.Stages, s.Stage)
			urbanCount[st]++
			s.Name = urbanName(s.Stage, urbanCount[st])
			s.Location = ptr(c.polar(seat, math.Min(7, math.Abs(c.r.NormFloat64()*2.5))))
		case i < nu+nt:
			s.Category = model.Town
			s.Stage = model.Stages[c.pick(50, 30, 20)]
			s.Tier = 1 + c.pick(10, 50, 40)
			tw := &towns[c.r.IntN(len(towns))]
			st := slices.Index(model.Stages, s.Stage)
			tw.count[st]++
			s.Name = townName(tw.name, s.Stage, tw.count[st])
			s.Location = ptr(offset(tw.at, c.r.NormFloat64(), c.r.NormFloat64()))
		default:
			s.Category = model.Rural
			s.Stage = model.Stages[c.pick(70, 5, 25)]
			s.Tier = 2 + c.pick(20, 80)
			s.Name = ruralName(villages[i-nu-nt], s.Stage)
			s.Location = ptr(c.polar(seat, c.uniform(10, 60)))
			s.Priority = 1.5
		}
		s.Students = ptr(c.students(s.Category, s.Stage, scale))
		c.sc.Schools = append(c.sc.Schools, s)
	}
	c.groups(max(1, n/8), 30, 12)
}

// enrolment is the range of students of a school by category and stage.
var enrolment = []struct {
	cat, stage string
	lo, hi     float64
}{
	{model.Urban, "primary", 1800, 3600}, {model.Urban, "junior", 1500, 3000}, {model.Urban, "nine_year", 2500, 4000},
	{model.Town, "primary", 800, 2000}, {model.Town, "junior", 900, 2200}, {model.Town, "nine_year", 1000, 2400},
	{model.Rural, "primary", 150, 600}, {model.Rural, "junior", 300, 800}, {model.Rural, "nine_year", 300, 900},
}

// students draws the enrolment of a school.
func (c *county) students(cat, stage string, scale float64) int {
	for _, e := range enrolment {
		if e.cat == cat && e.stage == stage {
			return int(math.Round(c.uniform(e.lo, e.hi) * scale))
		}
	}
	panic("gen: no enrolment for " + cat + "/" + stage)
}

// groups forms up to g education groups, each around a tier-1 school (the
// largest ones lead), with members the nearest other schools within maxKm,
// at most size schools a group. About a quarter of the schools stay out.
func (c *county) groups(g int, maxKm float64, size int) {
	schools := c.sc.Schools
	var leads []int
	for i, s := range schools {
		if s.Tier == 1 {
			leads = append(leads, i)
		}
	}
	slices.SortStableFunc(leads, func(a, b int) int { return cmp.Compare(*schools[b].Students, *schools[a].Students) })
	if len(leads) > g {
		leads = leads[:g]
	}
	slices.Sort(leads)
	for j, l := range leads {
		schools[l].Group = fmt.Sprintf("G%02d", j+1)
	}
	c.join(leads, 0.75, maxKm, size)
}

// join puts schools without a group, each with probability p, into the
// group of the nearest lead within maxKm whose group has fewer than size
// schools.
func (c *county) join(leads []int, p, maxKm float64, size int) {
	schools := c.sc.Schools
	members := make([]int, len(leads))
	for j, l := range leads {
		for _, s := range schools {
			if s.Group == schools[l].Group {
				members[j]++
			}
		}
	}
	for i := range schools {
		if schools[i].Group != "" || !c.chance(p) {
			continue
		}
		best, bestKm := -1, maxKm
		for j, l := range leads {
			if members[j] >= size {
				continue
			}
			if km := model.Haversine(schools[i].Location, schools[l].Location); km <= bestKm {
				best, bestKm = j, km
			}
		}
		if best >= 0 {
			schools[i].Group = schools[leads[best]].Group
			members[best]++
		}
	}
}

// staff sets every school's demand from its students and the staffing
// ratios, then decides how many teachers each post has, with the gaps the
// domain notes describe, and creates the roster.
func (c *county) staff() {
	K := len(catalog)
	c.demand = make([][]int, len(c.sc.Schools))
	c.staffN = make([][]int, len(c.sc.Schools))
	for i := range c.sc.Schools {
		s := &c.sc.Schools[i]
		st := *s.Students
		var d []int
		switch s.Stage {
		case "primary":
			d = split(posts(float64(st)/primaryRatio, s.Category), primaryShare)
		case "junior":
			d = split(posts(float64(st)/juniorRatio, s.Category), juniorShare)
		default:
			p := split(posts(0.65*float64(st)/primaryRatio, s.Category), primaryShare)
			j := split(int(math.Ceil(0.35*float64(st)/juniorRatio)), juniorShare)
			d = make([]int, K)
			for k := range d {
				d[k] = p[k] + j[k]
			}
		}
		n := make([]int, K)
		for k := range n {
			n[k] = c.gap(s, k, d[k])
		}
		s.Demand = map[string]int{}
		for k, v := range d {
			if v > 0 {
				s.Demand[catalog[k].ID] = v
			}
		}
		c.demand[i], c.staffN[i] = d, n
	}
	total := 0
	for _, n := range c.staffN {
		for _, v := range n {
			total += v
		}
	}
	width := max(4, len(strconv.Itoa(total)))
	for i := range c.sc.Schools {
		for k, v := range c.staffN[i] {
			for range v {
				id := fmt.Sprintf("T%0*d", width, len(c.sc.Teachers)+1)
				c.sc.Teachers = append(c.sc.Teachers, c.teacher(id, &c.sc.Schools[i], k))
			}
		}
	}
}

// posts is the number of posts of a school from the ratio; village schools
// get the class-based minimum.
func posts(byRatio float64, cat string) int {
	p := int(math.Ceil(byRatio))
	if cat == model.Rural {
		p = max(p, 10)
	}
	return max(p, 1)
}

// split divides total posts over subjects by the shares, largest remainder.
func split(total int, share []float64) []int {
	sum := 0.0
	for _, x := range share {
		sum += x
	}
	out := make([]int, len(share))
	rem := make([]float64, len(share))
	left := total
	for k, x := range share {
		exact := float64(total) * x / sum
		out[k] = int(exact)
		rem[k] = exact - float64(out[k])
		left -= out[k]
	}
	order := make([]int, len(share))
	for k := range order {
		order[k] = k
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(rem[b], rem[a]) })
	for i := 0; left > 0; i = (i + 1) % len(order) {
		if share[order[i]] > 0 {
			out[order[i]]++
			left--
		}
	}
	return out
}

// gap is the number of teachers holding the d posts of subject k at school
// s: rural schools short of arts, English and IT, urban ones above their
// posts in the main subjects.
func (c *county) gap(s *model.School, k, d int) int {
	if d == 0 {
		return 0
	}
	f := float64(d)
	more := func(lo, hi float64) int { return max(0, d+int(math.Round(f*c.uniform(lo, hi)))) }
	cat := s.Category
	switch {
	case isArts(k):
		switch cat {
		case model.Urban:
			return more(c.prof.urbanArts[0], c.prof.urbanArts[1])
		case model.Town:
			return more(-0.35, -0.05)
		}
		if c.prof.villageArts {
			return 0
		}
		return more(-0.95, -0.35)
	case k == kEnglish:
		switch cat {
		case model.Urban:
			return more(0.03, 0.15)
		case model.Town:
			return more(-0.2, 0)
		}
		return more(-0.6, -0.2)
	case k == kIT:
		switch cat {
		case model.Urban:
			return more(-0.05, 0.10)
		case model.Town:
			return more(-0.3, 0)
		}
		return more(-0.8, -0.3)
	case k == kChinese || k == kMath:
		switch cat {
		case model.Urban:
			if s.Tier == 1 {
				return more(0.10, 0.22)
			}
			return more(0.06, 0.18)
		case model.Town:
			return more(-0.02, 0.10)
		}
		return more(-0.15, 0)
	}
	return more(-0.08, 0.08)
}

// Given names and surnames, roughly by frequency.
var (
	surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	female   = []rune("敏静丽芳娟秀英华慧巧美娜淑惠珠翠雅芝玉萍红玲芬燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝丽")
	male     = []rune("伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘")
)

func (c *county) name(gender string) string {
	g := male
	if gender == "female" {
		g = female
	}
	n := string(surnames[c.r.IntN(len(surnames))]) + string(g[c.r.IntN(len(g))])
	if c.chance(0.6) {
		n += string(g[c.r.IntN(len(g))])
	}
	return n
}

// Second subjects a teacher of each catalogue subject may hold.
var alsoOf = [][]int{
	{9, 10, 12}, // chinese: morality, music, art
	{13, 3, 11}, // math: it, science, pe
	{10, 12},    // english: music, art
	{13, 1},     // science: it, math
	{13, 1},     // physics: it, math
	{6, 3},      // chemistry: biology, science
	{5, 3},      // biology: chemistry, science
	{9, 0},      // history: morality, chinese
	{7, 3},      // geography: history, science
	{0, 7},      // morality: chinese, history
	{12, 0},     // music: art, chinese
	{1, 3},      // pe: math, science
	{10, 0},     // art: music, chinese
	{1, 4},      // it: math, physics
}

var exemptions = []string{"孕期", "哺乳期", "病休", "特色项目负责人", "援派支教中"}

// teacher creates one teacher of school s holding subject k.
func (c *county) teacher(id string, s *model.School, k int) model.Teacher {
	t := model.Teacher{ID: id, School: s.ID, Subject: catalog[k].ID}
	pFemale := 0.65
	switch k {
	case kPE:
		pFemale = 0.3
	case kChinese, kEnglish, kMusic, kArt:
		pFemale = 0.8
	}
	t.Gender = "male"
	if c.chance(pFemale) {
		t.Gender = "female"
	}
	t.Name = c.name(t.Gender)
	age := 23 + c.r.IntN(12) + c.r.IntN(12) + c.r.IntN(14)
	if s.Category == model.Rural {
		age = 22 + c.r.IntN(10) + c.r.IntN(12) + c.r.IntN(16)
	}
	t.Age = ptr(age)
	// About 40% have been at their school 6 years or more; a teacher
	// starts at 22 at the earliest.
	var years int
	if c.chance(0.4) {
		years = 6 + c.r.IntN(6) + c.r.IntN(8)
	} else {
		years = c.r.IntN(6)
	}
	t.Years = min(years, max(0, age-22))
	// Backbone teachers: strong schools hold most of them, and nobody gets
	// there young.
	tier := min(s.Tier, 3) - 1
	switch {
	case age >= 30 && c.chance(c.prof.backbone[tier]):
		t.Backbone = []string{"county", "city", "province"}[c.pick(65, 28, 7)]
	case age >= 27 && c.chance(0.1):
		t.Backbone = "school"
	}
	switch {
	case t.Backbone == "province" && age >= 45:
		t.Title = "正高级"
	case age >= 40 && c.chance(0.5):
		t.Title = "高级"
	case age >= 28:
		t.Title = "一级"
	case age >= 24:
		t.Title = "二级"
	default:
		t.Title = "三级"
	}
	if c.chance(c.prof.alsoShare) {
		opts := alsoOf[k]
		for _, a := range opts[:1+c.r.IntN(len(opts))] {
			if stageHas(s.Stage, a) {
				t.Also = append(t.Also, catalog[a].ID)
			}
		}
	}
	if c.chance(0.07) {
		t.LastRotated = ptr(c.year - 1 - c.r.IntN(8))
	}
	if c.chance(0.03) {
		r := exemptions[c.r.IntN(len(exemptions))]
		if (r == "孕期" || r == "哺乳期") && (t.Gender == "male" || age > 42) {
			r = "病休"
		}
		t.Exempt = r
	}
	if t.Exempt == "" && c.chance(0.02) {
		t.Volunteer = true
	}
	return t
}

// stageHas reports whether schools of the stage have posts in subject k.
func stageHas(stage string, k int) bool {
	switch stage {
	case "primary":
		return primaryShare[k] > 0
	case "junior":
		return juniorShare[k] > 0
	}
	return primaryShare[k] > 0 || juniorShare[k] > 0
}

// finish adds what needs the compiled scenario: wishes toward allowed,
// open destinations (near or in the same group first), then pins that keep
// every hard rule, then forbids on other teachers.
func (c *county) finish(pins, forbids int) {
	sc := c.sc
	in, err := model.Compile(sc)
	if err != nil {
		panic("gen: generated scenario does not compile: " + err.Error())
	}
	S := len(sc.Schools)
	maxKm := math.Inf(1)
	if sc.Policy.Limits.MaxKm != nil {
		maxKm = *sc.Policy.Limits.MaxKm
	}
	// dest[s]: schools a teacher of s may go to, nearest first.
	dest := make([][]int, S)
	for s := range S {
		for d := range S {
			if d != s && in.RouteAllows(s, d) && in.Km(s, d) <= maxKm {
				dest[s] = append(dest[s], d)
			}
		}
		slices.SortStableFunc(dest[s], func(a, b int) int { return cmp.Compare(in.Km(s, a), in.Km(s, b)) })
	}
	open := func(d, k int) bool { return in.Short(in.Cell(d, k)) > 0 }

	// Wishes.
	type cand struct {
		d     int
		score float64
	}
	var cands []cand
	for t := range sc.Teachers {
		if !in.Movable[t] || !c.chance(c.prof.wishShare) {
			continue
		}
		s := in.Home[t]
		cands = cands[:0]
		for _, d := range dest[s] {
			ok := false
			for _, k := range in.Teaches[t] {
				ok = ok || open(d, k)
			}
			if !ok {
				continue
			}
			score := in.Km(s, d) + float64(15*c.r.Float64())
			if sc.Schools[s].Group != "" && sc.Schools[s].Group == sc.Schools[d].Group {
				score -= 15
			}
			cands = append(cands, cand{d, score})
			if len(cands) == 12 {
				break
			}
		}
		slices.SortStableFunc(cands, func(a, b cand) int { return cmp.Compare(a.score, b.score) })
		for _, x := range cands[:min(len(cands), 1+c.r.IntN(3))] {
			sc.Teachers[t].Wishes = append(sc.Teachers[t].Wishes, sc.Schools[x.d].ID)
		}
	}

	// Pins: each keeps H2 (arrivals <= open posts), H3 (departures <=
	// surplus, with source_deficit 0) and H4 (the outflow cap).
	used := make([]int, len(in.Staff)) // per cell: pinned arrivals or departures
	outN := make([]int, S)
	pinned := make([]bool, len(sc.Teachers))
	order := c.r.Perm(len(sc.Teachers))
	for _, t := range order {
		if len(sc.Pins) >= pins {
			break
		}
		s := in.Home[t]
		from := in.Cell(s, in.Subject[t])
		if !in.Eligible[t] || !in.Movable[t] || used[from] >= in.Surplus(from) ||
			(in.OutflowCap[s] >= 0 && outN[s] >= in.OutflowCap[s]) {
			continue
		}
		done := false
		for _, d := range dest[s] {
			for _, k := range in.Teaches[t] {
				to := in.Cell(d, k)
				if used[to] < in.Short(to) {
					p := model.Pin{Teacher: sc.Teachers[t].ID, To: sc.Schools[d].ID}
					if k != in.Subject[t] {
						p.Subject = in.Subjects[k]
					}
					sc.Pins = append(sc.Pins, p)
					used[to]++
					used[from]++
					outN[s]++
					pinned[t] = true
					done = true
					break
				}
			}
			if done {
				break
			}
		}
	}

	// Forbids: two thirds outright (e.g. a teacher the school cannot spare),
	// the rest to one school.
	for _, t := range order[len(order)/2:] {
		if len(sc.Forbids) >= forbids {
			break
		}
		if pinned[t] || !in.Eligible[t] {
			continue
		}
		f := model.Forbid{Teacher: sc.Teachers[t].ID}
		if len(sc.Forbids)%3 == 2 && len(dest[in.Home[t]]) > 0 {
			ds := dest[in.Home[t]]
			f.To = sc.Schools[ds[c.r.IntN(len(ds))]].ID
		}
		sc.Forbids = append(sc.Forbids, f)
	}
}

// Place names (two characters) for towns and villages, all distinct.
var (
	placeFirst  = []rune("安宝北长大东丰富高广和红黄金锦龙马明南平青清仁三上石双太天通万五西新兴杨永玉正中白柏凤福")
	placeSecond = []rune("坝堡城川店丰沟河湖家江井口林岭门桥泉山水塘田湾溪阳岩园寨庄坪场铺")
)

func (c *county) placeNames(n int) []string {
	all := len(placeFirst) * len(placeSecond)
	var out []string
	for i, p := range c.r.Perm(all) {
		if i == n {
			break
		}
		out = append(out, string(placeFirst[p/len(placeSecond)])+string(placeSecond[p%len(placeSecond)]))
	}
	for i := len(out); i < n; i++ { // more places than names: number them
		out = append(out, out[i%all]+numeral(i/all+1))
	}
	return out
}

func urbanName(stage string, n int) string {
	switch stage {
	case "primary":
		return "城区第" + numeral(n) + "小学"
	case "junior":
		return "城区第" + numeral(n) + "中学"
	}
	if n == 1 {
		return "城区实验学校"
	}
	return "城区第" + numeral(n) + "实验学校"
}

func townName(town, stage string, n int) string {
	var s string
	switch stage {
	case "primary":
		s = town + "镇中心小学"
		if n > 1 {
			s = town + "镇第" + numeral(n) + "小学"
		}
	case "junior":
		s = town + "镇中学"
		if n > 1 {
			s = town + "镇第" + numeral(n) + "中学"
		}
	default:
		s = town + "镇九年制学校"
		if n > 1 {
			s = town + "镇第" + numeral(n) + "九年制学校"
		}
	}
	return s
}

func ruralName(village, stage string) string {
	switch stage {
	case "primary":
		return village + "村小学"
	case "junior":
		return village + "乡中学"
	}
	return village + "学校"
}

// numeral writes 1..9999 in Chinese numerals (一, 十二, 二十, 一百零五).
func numeral(n int) string {
	digits := []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	units := []string{"", "十", "百", "千"}
	if n <= 0 || n >= 10000 {
		return strconv.Itoa(n)
	}
	if n >= 10 && n < 20 {
		if n == 10 {
			return "十"
		}
		return "十" + digits[n-10]
	}
	s := strconv.Itoa(n)
	out, zero := "", false
	for i, ch := range s {
		d := int(ch - '0')
		u := units[len(s)-1-i]
		if d == 0 {
			zero = true
			continue
		}
		if zero {
			out += "零"
			zero = false
		}
		out += digits[d] + u
	}
	return out
}
