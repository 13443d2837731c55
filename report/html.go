package report

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"slices"
	"strings"
)

// WriteHTML writes the report as one self-contained page: inline CSS, SVG
// charts and a small script that sorts the moves table. It loads nothing
// from the network. The script reports its own errors into the page (the
// title and a banner) so a headless browser test can see them.
func WriteHTML(w io.Writer, r *Report) error {
	return pageTmpl.Execute(w, htmlData{r})
}

type htmlData struct{ *Report }

func (d htmlData) Title() string { return "轮岗方案报告 Rotation report: " + d.title() }

func (d htmlData) SummaryLine() string   { return d.summaryLine() }
func (d htmlData) ObjectiveLine() string { return d.objectiveLine() }
func (d htmlData) Status(u UnitRow) string {
	return status(u)
}

// Charts draws, per indicator, one bar chart of the schools before and after.
func (d htmlData) Charts() []template.HTML {
	var out []template.HTML
	for _, ind := range []struct{ name, label string }{
		{BackbonePer100, "Backbone teachers (county level or above) per 100 students"},
		{PEArtPer100, "PE, music and art teachers per 100 students"},
	} {
		out = append(out, barChart(d.Report, ind.name, ind.label))
	}
	return out
}

func esc(s string) string { return template.HTMLEscapeString(s) }

// barChart is a horizontal grouped bar chart: per school a grey bar before
// and a blue bar after.
func barChart(r *Report, indicator, label string) template.HTML {
	var rows []SchoolIndicator
	for _, s := range r.PerSchool {
		if s.Students > 0 {
			rows = append(rows, s)
		}
	}
	val := func(s SchoolIndicator) [2]float64 {
		if indicator == BackbonePer100 {
			return s.BackboneX
		}
		return s.PEArtX
	}
	top := 0.0
	for _, s := range rows {
		v := val(s)
		top = math.Max(top, math.Max(v[0], v[1]))
	}
	if top == 0 {
		top = 1
	}
	const left, width, barH, gap = 110, 420, 9, 8
	h := 40 + len(rows)*(2*barH+gap) + 10
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" data-indicator="%s" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s">`,
		indicator, left+width+70, h, left+width+70, h, esc(label))
	fmt.Fprintf(&b, `<text x="0" y="14" class="ctitle">%s</text>`, esc(label))
	fmt.Fprintf(&b, `<rect x="%d" y="22" width="10" height="8" class="before"/><text x="%d" y="30" class="small">before</text>`, left, left+14)
	fmt.Fprintf(&b, `<rect x="%d" y="22" width="10" height="8" class="after"/><text x="%d" y="30" class="small">after</text>`, left+70, left+84)
	y := 40
	for _, s := range rows {
		v := val(s)
		name := s.School
		for _, sr := range r.Schools {
			if sr.ID == s.School && sr.Name != "" {
				name = sr.Name
			}
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" class="label" text-anchor="end"><title>%s</title>%s</text>`, left-6, y+barH+3, esc(s.School), esc(truncate(name, 8)))
		for i, cls := range []string{"before", "after"} {
			bw := float64(width) * v[i] / top
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.1f" height="%d" class="%s"><title>%s %s: %.3f</title></rect>`,
				left, y+i*barH, bw, barH-1, cls, esc(s.School), cls, v[i])
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" class="small">%.2f</text>`, float64(left)+bw+4, y+i*barH+barH-1, v[i])
		}
		y += 2*barH + gap
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// Map draws the schools by location (an equirectangular projection scaled
// by cos(latitude)) and an arrow per pair of schools with moves between
// them, thicker for more moves (width 1 + sqrt(moves), at most 6).
func (d htmlData) Map() template.HTML {
	type pt struct {
		x, y float64
		ok   bool
	}
	var minLat, maxLat, minLon, maxLon = math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, s := range d.Schools {
		if s.Lat != nil {
			minLat, maxLat = math.Min(minLat, *s.Lat), math.Max(maxLat, *s.Lat)
			minLon, maxLon = math.Min(minLon, *s.Lon), math.Max(maxLon, *s.Lon)
		}
	}
	if math.IsInf(minLat, 1) {
		return template.HTML(`<p class="note">No school has a location.</p>`)
	}
	const W, H, pad = 640.0, 420.0, 40.0
	kx := math.Cos((minLat + maxLat) / 2 * math.Pi / 180)
	spanX := math.Max((maxLon-minLon)*kx, 1e-6)
	spanY := math.Max(maxLat-minLat, 1e-6)
	scale := math.Min((W-2*pad)/spanX, (H-2*pad)/spanY)
	pos := map[string]pt{}
	for _, s := range d.Schools {
		if s.Lat != nil {
			pos[s.ID] = pt{pad + (*s.Lon-minLon)*kx*scale, H - pad - (*s.Lat-minLat)*scale, true}
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="map" viewBox="0 0 %g %g" width="%g" height="%g" role="img" aria-label="schools and moves">`, W, H, W, H)
	b.WriteString(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#c0392b"/></marker></defs>`)
	b.WriteString(`<rect x="0" y="0" width="100%" height="100%" fill="#fbfbf8"/>`)
	type pair struct{ from, to string }
	count := map[pair]int{}
	var pairs []pair
	for _, m := range d.Moves {
		p := pair{m.From, m.To}
		if count[p] == 0 {
			pairs = append(pairs, p)
		}
		count[p]++
	}
	slices.SortFunc(pairs, func(a, b pair) int { return strings.Compare(a.from+"\x00"+a.to, b.from+"\x00"+b.to) })
	for _, p := range pairs {
		a, z := pos[p.from], pos[p.to]
		if !a.ok || !z.ok {
			continue
		}
		// Shorten the arrow so it ends at the circle's edge; bend it a little
		// so that moves both ways stay apart.
		dx, dy := z.x-a.x, z.y-a.y
		l := math.Hypot(dx, dy)
		if l < 1 {
			continue
		}
		ux, uy := dx/l, dy/l
		x1, y1, x2, y2 := a.x+ux*7, a.y+uy*7, z.x-ux*8, z.y-uy*8
		cx, cy := (x1+x2)/2-uy*l*0.12, (y1+y2)/2+ux*l*0.12
		fmt.Fprintf(&b, `<path class="move" d="M%.1f,%.1f Q%.1f,%.1f %.1f,%.1f" stroke-width="%.1f" marker-end="url(#arrow)"><title>%s → %s: %d</title></path>`,
			x1, y1, cx, cy, x2, y2, math.Min(6, 1+math.Sqrt(float64(count[p]))), esc(p.from), esc(p.to), count[p])
	}
	for _, s := range d.Schools {
		p := pos[s.ID]
		if !p.ok {
			continue
		}
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="6" class="school %s"><title>%s %s (%s): %d→%d teachers</title></circle>`,
			p.x, p.y, esc(s.Category), esc(s.ID), esc(s.Name), esc(s.Category), s.TeachersBefore, s.TeachersAfter)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" class="small">%s</text>`, p.x+8, p.y+3, esc(s.ID))
	}
	b.WriteString(`<g class="legend"><circle cx="16" cy="16" r="6" class="school urban"/><text x="26" y="20" class="small">urban</text>` +
		`<circle cx="76" cy="16" r="6" class="school town"/><text x="86" y="20" class="small">town</text>` +
		`<circle cx="130" cy="16" r="6" class="school rural"/><text x="140" y="20" class="small">rural</text></g>`)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func (d htmlData) Arrow(a, b int) string { return arrow(a, b) }

func (d htmlData) Num(x float64, dec int) string { return num(x, dec) }

func (d htmlData) Above(c IndicatorCV) bool { return c.AfterCV > c.Threshold }

var pageTmpl = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; margin: 24px auto; max-width: 1200px; padding: 0 16px; color: #222; line-height: 1.45; }
h1 { font-size: 1.5em; margin-bottom: 4px; } h2 { font-size: 1.2em; margin-top: 28px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
table { border-collapse: collapse; margin: 8px 0; font-size: 0.9em; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f3f3f0; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.short td { background: #fff3f0; } tr.met td.status { color: #1e7b34; } tr.short td.status { color: #b03a2e; font-weight: 600; }
td.reason { max-width: 640px; font-size: 0.92em; }
.ok { color: #1e7b34; } .above { color: #b03a2e; font-weight: 600; }
#moves th { cursor: pointer; user-select: none; } #moves th[aria-sort="ascending"]::after { content: " ▲"; } #moves th[aria-sort="descending"]::after { content: " ▼"; }
.charts { display: flex; flex-wrap: wrap; gap: 24px; }
svg text { font-family: inherit; fill: #333; } .ctitle { font-size: 13px; font-weight: 600; } .label { font-size: 12px; } .small { font-size: 10px; fill: #555; }
rect.before { fill: #b8b8b8; } rect.after { fill: #2f6fb5; }
.school { stroke: #333; stroke-width: 1; } .school.urban { fill: #2f6fb5; } .school.town { fill: #e0a030; } .school.rural { fill: #3d9a4d; }
path.move { fill: none; stroke: #c0392b; stroke-opacity: 0.75; }
.violations { color: #b03a2e; } #errors { display: none; background: #fdd; border: 1px solid #b03a2e; padding: 8px; }
.note { color: #666; font-size: 0.9em; }
</style>
</head>
<body>
<div id="errors"></div>
<h1>{{.Title}}</h1>
<p class="note">scenario {{.File}}{{if .Plan}}, plan {{.Plan}}{{end}}, year {{.Year}}</p>
<h2>Summary</h2>
<p>{{.SummaryLine}}</p>
<p>{{.ObjectiveLine}}</p>
{{if .Violations}}<div class="violations"><p>Hard rules H1-H4: {{len .Violations}} broken</p><ul>{{range .Violations}}<li>{{.}}</li>{{end}}</ul></div>{{else}}<p class="ok">Hard rules H1-H4: all kept</p>{{end}}

<h2>Quotas</h2>
{{if .Units}}<table id="quotas"><thead><tr><th>unit</th><th>eligible</th><th>target</th><th>moves</th><th>backbone</th><th>needed</th><th>max</th><th>status</th><th>reason</th></tr></thead><tbody>
{{range .Units}}<tr class="{{if .Met}}met{{else}}short{{end}}"><td>{{.Name}}</td><td class="n">{{.Eligible}}</td><td class="n">{{.Target}}</td><td class="n">{{.Moves}}</td><td class="n">{{.BackboneMoves}}</td><td class="n">{{.BackboneNeeded}}</td><td class="n">{{.MaxDepartures}}</td><td class="status">{{$.Status .}}</td><td class="reason">{{.Reason}}{{if and .Reason .BackboneReason}}<br>{{end}}{{if .BackboneReason}}Backbone: {{.BackboneReason}}{{end}}</td></tr>
{{end}}</tbody></table>
<p class="note">max: most of the unit's teachers that can leave at once under H2-H4 (a maximum-flow bound).</p>{{else}}<p>No quotas.</p>{{end}}

<h2>Inspection indicators (县域义务教育优质均衡, 2017)</h2>
{{if .Indicators}}<table id="indicators"><thead><tr><th>stage</th><th>indicator</th><th>schools</th><th>students</th><th>mean before</th><th>mean after</th><th>CV before</th><th>CV after</th><th>threshold</th></tr></thead><tbody>
{{range .Indicators}}<tr><td>{{.Stage}}</td><td>{{.Indicator}}</td><td class="n">{{.Schools}}</td><td class="n">{{.Students}}</td><td class="n">{{$.Num .BeforeMean 3}}</td><td class="n">{{$.Num .AfterMean 3}}</td><td class="n">{{$.Num .BeforeCV 3}}</td><td class="n {{if $.Above .}}above{{else}}ok{{end}}">{{$.Num .AfterCV 3}}</td><td class="n">{{$.Num .Threshold 2}}</td></tr>
{{end}}</tbody></table>{{else}}<p>No school has both a stage and students.</p>{{end}}
<div class="charts">{{range .Charts}}{{.}}{{end}}</div>

<h2>Schools and moves</h2>
{{.Map}}
<table id="schools"><thead><tr><th>school</th><th>name</th><th>category</th><th>teachers</th><th>out</th><th>in</th><th>backbone out/in</th><th>filled</th><th>emptied</th><th>leaver km</th><th>posts (subject required: staff)</th></tr></thead><tbody>
{{range .Schools}}<tr><td>{{.ID}}</td><td>{{.Name}}</td><td>{{.Category}}</td><td class="n">{{$.Arrow .TeachersBefore .TeachersAfter}}</td><td class="n">{{.Out}}</td><td class="n">{{.In}}</td><td class="n">{{.BackboneOut}}/{{.BackboneIn}}</td><td class="n">{{.Filled}}</td><td class="n">{{.Emptied}}</td><td class="n">{{$.Num .LeaverKm 1}}</td><td>{{range $i, $k := .Subjects}}{{if $i}}, {{end}}{{$k.Subject}} {{$k.Req}}: {{$.Arrow $k.StaffBefore $k.StaffAfter}}{{end}}</td></tr>
{{end}}</tbody></table>

<h2>Moves</h2>
{{if .Moves}}<table id="moves"><thead><tr><th data-type="s">teacher</th><th data-type="s">name</th><th data-type="s">from</th><th data-type="s">to</th><th data-type="s">subject</th><th data-type="s">backbone</th><th data-type="n">km</th><th data-type="n">wish</th></tr></thead><tbody>
{{range .Moves}}<tr><td>{{.Teacher}}</td><td>{{.Name}}</td><td>{{.From}}</td><td>{{.To}}</td><td>{{.Subject}}{{if not .Own}} (other){{end}}</td><td>{{.Backbone}}</td><td class="n">{{$.Num .Km 1}}</td><td class="n">{{if .Wish}}{{.Wish}}{{end}}</td></tr>
{{end}}</tbody></table><p class="note">Click a column heading to sort.</p>{{else}}<p>No moves.</p>{{end}}
<script>
(function () {
  "use strict";
  function report(msg) {
    document.title = "ERROR: " + msg;
    var e = document.getElementById("errors");
    e.style.display = "block";
    e.textContent += msg + "\n";
    document.body.setAttribute("data-error", "1");
  }
  window.addEventListener("error", function (ev) { report(ev.message); });
  try {
    var table = document.getElementById("moves");
    if (table) {
      var heads = table.tHead.rows[0].cells;
      Array.prototype.forEach.call(heads, function (th, col) {
        th.addEventListener("click", function () {
          var asc = th.getAttribute("aria-sort") !== "ascending";
          Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
          th.setAttribute("aria-sort", asc ? "ascending" : "descending");
          var numeric = th.getAttribute("data-type") === "n";
          var body = table.tBodies[0];
          var rows = Array.prototype.slice.call(body.rows);
          rows.sort(function (a, b) {
            var x = a.cells[col].textContent, y = b.cells[col].textContent;
            var c = numeric ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : x.localeCompare(y, "zh-CN");
            return asc ? c : -c;
          });
          rows.forEach(function (r) { body.appendChild(r); });
        });
      });
    }
    if (table && location.hash === "#selftest") {
      // Sort by km twice and check both orders: the browser test opens the page this way.
      var km = table.tHead.rows[0].cells[6], ok = true;
      [1, -1].forEach(function (dir) {
        km.click();
        var v = Array.prototype.map.call(table.tBodies[0].rows, function (r) { return parseFloat(r.cells[6].textContent); });
        for (var i = 1; i < v.length; i++) { if (dir * (v[i] - v[i - 1]) < 0) { ok = false; } }
      });
      document.body.setAttribute("data-selftest", ok ? "ok" : "fail");
    }
    document.body.setAttribute("data-ready", "1");
  } catch (err) {
    report(String(err));
  }
})();
</script>
</body>
</html>
`))
