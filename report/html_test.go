package report

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestHTMLSelfContained: the page loads nothing from elsewhere and carries
// what the brief asks for.
func TestHTMLSelfContained(t *testing.T) {
	in := load(t, "tiny.yaml")
	var buf bytes.Buffer
	if err := WriteHTML(&buf, Build(in, planMoves(t, in, "swap.yaml"))); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	var again bytes.Buffer
	WriteHTML(&again, Build(in, planMoves(t, in, "swap.yaml")))
	if again.String() != page {
		t.Error("two renders of the same plan differ")
	}
	for _, bad := range []string{"http://", "https://", "<link", "src=", "@import", "url(http"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q: it must be self-contained", bad)
		}
	}
	for _, want := range []string{`<meta charset="utf-8">`, "Noto Sans CJK SC", `id="quotas"`, `id="moves"`, `class="map"`,
		`data-indicator="backbone_per_100"`, `data-indicator="pe_art_per_100"`, "城关第一小学", "marker-end", "<script>"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if n := strings.Count(page, `class="move"`); n != 2 {
		t.Errorf("%d move arrows, want 2 (U1->T1 twice, T1->U1 once)", n)
	}
}

// chromium finds the browser, or skips.
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("chromium is not installed (apt-get install chromium)")
	return ""
}

func runChromium(t *testing.T, bin string, args ...string) (stdout, stderr string) {
	t.Helper()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--enable-logging=stderr", "--v=0", "--user-data-dir=" + t.TempDir()}
	// A generous limit against a hung browser; it is not a timing assertion.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, errb.String())
	}
	return out.String(), errb.String()
}

// TestHTMLInChromium renders the report in headless Chromium: the page's
// script must run without error (it writes errors into the title and a
// data-error attribute), the table must sort, the charts must be there, and
// a screenshot must be a real image.
func TestHTMLInChromium(t *testing.T) {
	bin := chromium(t)
	for _, c := range []struct{ scenario, plan string }{{"tiny.yaml", "swap.yaml"}, {"tiny.yaml", "empty.yaml"}} {
		in := load(t, c.scenario)
		dir := t.TempDir()
		page := filepath.Join(dir, "report.html")
		var buf bytes.Buffer
		if err := WriteHTML(&buf, Build(in, planMoves(t, in, c.plan))); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(page, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		dom := loadPage(t, bin, page, c.plan, true)
		if c.plan == "swap.yaml" && !strings.Contains(dom, `data-selftest="ok"`) {
			t.Errorf("%s: sorting the moves table by km failed", c.plan)
		}
		if strings.Count(dom, "<svg") < 3 || !strings.Contains(dom, "<h1>") {
			t.Errorf("%s: page incomplete: %d svg", c.plan, strings.Count(dom, "<svg"))
		}

		shot := filepath.Join(dir, "shot.png")
		runChromium(t, bin, "--screenshot="+shot, "--window-size=1280,2000", "--hide-scrollbars", "file://"+page)
		f, err := os.Open(shot)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("screenshot: %v", err)
		}
		if b := img.Bounds(); b.Dx() != 1280 || b.Dy() != 2000 {
			t.Errorf("screenshot is %v, want 1280x2000", b)
		}
		// Non-trivial: many distinct colours (text, bars, map), not a blank page.
		colours := map[uint32]bool{}
		b := img.Bounds()
		for y := b.Min.Y; y < b.Max.Y; y += 3 {
			for x := b.Min.X; x < b.Max.X; x += 3 {
				r, g, bl, _ := img.At(x, y).RGBA()
				colours[r>>8<<16|g>>8<<8|bl>>8] = true
			}
		}
		if len(colours) < 50 {
			t.Errorf("%s: screenshot has only %d colours: blank page?", c.plan, len(colours))
		}
		if dst := os.Getenv("ROTAPLAN_SCREENSHOT_DIR"); dst != "" {
			data, _ := os.ReadFile(shot)
			os.WriteFile(filepath.Join(dst, strings.TrimSuffix(c.plan, ".yaml")+".png"), data, 0o644)
		}
	}
}

// loadPage opens the page in Chromium with #selftest and returns the DOM
// after its scripts ran. With strict, console errors, errors the page
// reported and a script that did not finish fail the test; without, the
// problems found are returned instead of the DOM.
func loadPage(t *testing.T, bin, page, name string, strict bool) string {
	t.Helper()
	dom, stderr := runChromium(t, bin, "--dump-dom", "file://"+page+"#selftest")
	var problems []string
	if strings.Contains(stderr, "Uncaught") || strings.Contains(stderr, ":CONSOLE(") && strings.Contains(stderr, "rror") {
		problems = append(problems, "console error:\n"+stderr)
	}
	if strings.Contains(dom, `data-error=`) || strings.Contains(dom, "<title>ERROR") {
		problems = append(problems, "the page reported an error")
	}
	if !strings.Contains(dom, `data-ready="1"`) {
		problems = append(problems, "the page's script did not finish (no data-ready)")
	}
	if strict {
		for _, p := range problems {
			t.Errorf("%s: %s", name, p)
		}
		return dom
	}
	return strings.Join(problems, "\n")
}

// TestHTMLErrorDetection: the checks of TestHTMLInChromium do catch a
// script error: a page with a call to an undefined function fails them.
func TestHTMLErrorDetection(t *testing.T) {
	bin := chromium(t)
	in := load(t, "tiny.yaml")
	var buf bytes.Buffer
	if err := WriteHTML(&buf, Build(in, planMoves(t, in, "swap.yaml"))); err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(buf.String(), "</body>", "<script>noSuchFunction();</script>\n</body>", 1)
	page := filepath.Join(t.TempDir(), "broken.html")
	if err := os.WriteFile(page, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	problems := loadPage(t, bin, page, "broken", false)
	if !strings.Contains(problems, "the page reported an error") {
		t.Errorf("a script error went unnoticed; problems found: %q", problems)
	}
}
