package career

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/jobs"
	"github.com/careerbot/careerbot/knowledge"
)

var now = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

func openings() []jobs.Opening {
	day := 24 * time.Hour
	out := []jobs.Opening{
		{ID: "remoteok:1", Title: "Senior SRE", Company: "Acme", Locations: []string{"Berlin, Germany"}, Remote: jobs.RemoteNo,
			Seniority: jobs.SenioritySenior, Description: "Kubernetes, Kafka and Go; on call for etcd.", Source: "remoteok",
			URL: "https://remoteok.com/remote-jobs/1", Posted: now.Add(-2 * day),
			Salary: &jobs.Salary{Min: 90_000, Max: 110_000, Currency: "EUR", Period: jobs.PerYear}},
		{ID: "greenhouse:7", Title: "Senior SRE", Company: "Acme, Inc.", Locations: []string{"Berlin"}, Source: "acme",
			URL: "https://boards.example/acme/7", Posted: now.Add(-3 * day), Description: "Kubernetes."},
		{ID: "himalayas:2", Title: "Sales Engineer", Company: "Globex", Source: "himalayas", Posted: now.Add(-time.Hour),
			Description: "Kafka demos."},
	}
	for i := range 7 {
		out = append(out, jobs.Opening{ID: fmt.Sprintf("himalayas:k%d", i), Title: fmt.Sprintf("Platform Engineer %d", i),
			Company: "Initech", Source: "himalayas", Remote: jobs.RemoteYes, Posted: now.Add(-time.Duration(10+i) * day),
			Description: "Kafka and Terraform on AWS."})
	}
	return out
}

func newRouter(t *testing.T, ready bool) *bot.Router {
	t.Helper()
	kb, err := knowledge.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	c := jobs.NewCatalog()
	c.Put(now, openings()...)
	var cat Catalog = c
	if !ready {
		cat = loading{c}
	}
	r := bot.NewRouter(slog.New(slog.DiscardHandler), nil)
	Register(r, &Jobs{Catalog: cat, Topics: kb, Now: func() time.Time { return now },
		Boards: map[string]Board{"remoteok": {Name: "RemoteOK", Home: "https://remoteok.com"}, "himalayas": {Name: "Himalayas"}}})
	return r
}

// loading is a catalogue before its first load from the store.
type loading struct{ *jobs.Catalog }

func (loading) Ready() bool { return false }

func dispatch(r *bot.Router, text string) bot.Reply {
	return r.Dispatch(context.Background(), bot.Command{Platform: bot.PlatformCLI, Name: "jobs", Text: text}).Full()
}

func TestSearch(t *testing.T) {
	t.Parallel()
	r := newRouter(t, true)
	got := dispatch(r, "kubernetes berlin")
	if got.NotFound || len(got.Sections) != 1 {
		t.Fatalf("one opening (two boards' records of it) expected: %+v", got)
	}
	s := got.Sections[0]
	for _, want := range []string{"Berlin, Germany · onsite · senior", "90,000–110,000 EUR a year", "via RemoteOK, acme", "2 days ago", "`remoteok:1`", "Kubernetes"} {
		if !strings.Contains(s.Body, want) {
			t.Errorf("the opening's text lacks %q:\n%s", want, s.Body)
		}
	}
	if s.Heading != "Senior SRE — Acme" || s.URL != "https://remoteok.com/remote-jobs/1" {
		t.Errorf("heading %q linked to %q", s.Heading, s.URL)
	}
	if len(got.Links) != 1 || got.Links[0].URL != "https://remoteok.com" {
		t.Errorf("RemoteOK asks for a link back: %+v", got.Links)
	}
	var brushUp []string
	for _, b := range got.Buttons {
		brushUp = append(brushUp, b.Action.Line())
	}
	if len(brushUp) < 2 || brushUp[0] != "path opening:remoteok:1" || !strings.HasPrefix(brushUp[1], "explain ") {
		t.Errorf("buttons %v, want Prepare (path opening:remoteok:1) then brush-up topics", brushUp)
	}
	if !strings.Contains(s.Body, "Prepare for this role: `/path opening:remoteok:1`") {
		t.Errorf("the opening does not say how to prepare for it:\n%s", s.Body)
	}
}

func TestSearchPagesWithMore(t *testing.T) {
	t.Parallel()
	r := newRouter(t, true)
	got := dispatch(r, "kafka")
	if len(got.Sections) != PageSize || !strings.HasPrefix(got.Text, "9 open openings that match `kafka`; newest first, 1–5") {
		t.Fatalf("first page: %q, %d openings", got.Text, len(got.Sections))
	}
	if got.Sections[0].Heading != "Sales Engineer — Globex" {
		t.Errorf("newest first: %q", got.Sections[0].Heading)
	}
	more := got.Buttons[len(got.Buttons)-1]
	if more.Label != "More (4 left)" {
		t.Fatalf("last button %+v, want More", more)
	}
	next := r.Press(context.Background(), bot.Command{Platform: bot.PlatformCLI}, more.Action.Encode()).Full()
	if len(next.Sections) != 4 || !strings.Contains(next.Text, "6–9") {
		t.Errorf("second page: %q, %d openings", next.Text, len(next.Sections))
	}
	if n := len(next.Buttons); n > 0 && strings.HasPrefix(next.Buttons[n-1].Label, "More") {
		t.Errorf("the last page offers more")
	}
	if past := dispatch(r, "kafka page:9"); !past.NotFound {
		t.Errorf("a page past the end: %+v", past)
	}
}

func TestSearchWithoutQuery(t *testing.T) {
	t.Parallel()
	got := dispatch(newRouter(t, true), "")
	for _, s := range got.Sections {
		if strings.Contains(s.Heading, "Sales Engineer") {
			t.Errorf("the newest engineering openings include %q", s.Heading)
		}
	}
	examples := 0
	for _, b := range got.Buttons {
		if strings.HasPrefix(b.Action.Line(), "jobs search ") && !strings.HasPrefix(b.Label, "More") {
			examples++
		}
	}
	if examples != 3 || !strings.Contains(got.Footer, "/jobs kubernetes remote:yes") {
		t.Errorf("three example queries expected: %d buttons, footer %q", examples, got.Footer)
	}
}

func TestSearchErrors(t *testing.T) {
	t.Parallel()
	r := newRouter(t, true)
	for _, c := range []struct{ text, want string }{
		{`kafka "unclosed`, "quote"},
		{"colour:blue", "colour"},
		{"kafka OR", "OR"},
		{"(kafka", "never closed"},
	} {
		got := dispatch(r, c.text)
		if got.Title != "That query cannot be read" || !strings.Contains(got.Text, c.want) || !strings.Contains(got.Text, "/jobs ") {
			t.Errorf("%s: %q / %q", c.text, got.Title, got.Text)
		}
	}
	if got := dispatch(r, "nothing-matches-this-word"); !got.NotFound || !strings.Contains(got.Text, "No open opening matches") {
		t.Errorf("no match: %+v", got)
	}
	if got := dispatch(newRouter(t, false), "kafka"); got.Title != "Openings are still loading" {
		t.Errorf("before the first load: %+v", got)
	}
}

func TestTrends(t *testing.T) {
	t.Parallel()
	r := newRouter(t, true)
	got := dispatch(r, "trends")
	if got.NotFound || len(got.Sections) != 1 {
		t.Fatalf("trends: %+v", got)
	}
	body := got.Sections[0].Body
	if !strings.HasPrefix(body, "1. **Kafka**: 9 (new)") {
		t.Errorf("kafka first, in 9 openings, none the month before:\n%s", body)
	}
	if !strings.Contains(body, "/explain ") || len(got.Buttons) == 0 {
		t.Errorf("each skill's topic: %s, %d buttons", body, len(got.Buttons))
	}
	if got := dispatch(r, "trends remote:yes"); !strings.Contains(got.Text, "(7 of them)") {
		t.Errorf("trends of remote openings: %q", got.Text)
	}
	if got := dispatch(r, "trends rust"); !got.NotFound {
		t.Errorf("trends of nothing: %+v", got)
	}
	if got := dispatch(r, "trends ((("); got.Title != "That query cannot be read" || !strings.Contains(got.Text, "/jobs trends ") {
		t.Errorf("a bad trends query: %q", got.Text)
	}
}

func TestChange(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		now, before int
		want        string
	}{{5, 0, "new"}, {4, 4, "as many as before"}, {6, 4, "+50%"}, {2, 4, "−50%"}} {
		if got := change(c.now, c.before); got != c.want {
			t.Errorf("change(%d, %d) = %q, want %q", c.now, c.before, got, c.want)
		}
	}
}

func TestPreview(t *testing.T) {
	t.Parallel()
	r := newRouter(t, true)
	got := dispatch(r, "preview kafka")
	// Posted in the last 14 days: remoteok:1, himalayas:2 and four of the seven platform roles.
	if got.NotFound || !strings.Contains(got.Text, "matches 6 open openings posted in the last 14 days") || len(got.Sections) != PageSize {
		t.Errorf("preview kafka: %q, %d openings", got.Text, len(got.Sections))
	}
	if got := dispatch(r, "preview rust"); !got.NotFound || !strings.Contains(got.Text, "would be quiet") {
		t.Errorf("preview of nothing: %q", got.Text)
	}
	if got := dispatch(r, "preview"); !strings.Contains(got.Text+got.Title, "query") {
		t.Errorf("preview without a query: %+v", got)
	}
}

func TestWhy(t *testing.T) {
	t.Parallel()
	r := newRouter(t, true)
	for _, c := range []struct{ text, want string }{
		{"why remoteok:1 kubernetes remote:yes", "fails remote:yes: this opening is onsite in Berlin, Germany"},
		{"why remoteok:1 kubernetes -kafka", "fails -kafka: this opening asks for Kafka"}, // only the exclusion fails
		{"why remoteok:1 kubernetes kafka", "`remoteok:1` matches `kubernetes kafka`"},
		{"why nosuch:1 kafka", "holds no opening `nosuch:1`"},
		{"why remoteok:1 kafka OR", "That query cannot be read"},
	} {
		got := dispatch(r, c.text)
		if !strings.Contains(got.Title+" "+got.Text, c.want) {
			t.Errorf("%s: %q %q, want %q", c.text, got.Title, got.Text, c.want)
		}
	}
}
