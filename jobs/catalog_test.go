package jobs

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// The catalogue's answers must be exactly MatchDoc's: these tests evaluate queries both ways,
// on hand-built openings and on thousands of random ones, through rewrites and compactions.

func TestCatalogMatchesMatchDoc(t *testing.T) {
	t.Parallel()
	c := NewCatalog()
	var all []Opening
	for _, o := range testOpenings {
		all = append(all, *o)
	}
	c.Put(testNow, all...)
	for _, q := range []string{
		"kubernetes", "k8s", "golang", "go", `"go live"`, "berlin", "berl", `"site reliability"`,
		"-php", `-"go live"`, "kafka OR pulsar", "(rust OR terraform) -pulsar", "company:acme",
		`company:"jane street"`, "location:remote", "remote:yes", "level:staff", "type:contract",
		"salary:>=150k", "salary:>=100k eur", "posted:<7d", "visa:no", "skill:go", "topic:consensus",
		"source:lever", "on-call", `"go-to-market"`, "etcd -(kafka OR pulsar)",
	} {
		checkQuery(t, c, all, q, testNow)
	}
}

// checkQuery compares Search with MatchDoc over the catalogue's representatives.
func checkQuery(t *testing.T, c *Catalog, originals []Opening, text string, now time.Time) {
	t.Helper()
	q, err := ParseQuery(text)
	if err != nil {
		return // random queries that do not parse are the parser's tests' business
	}
	byID := map[string]*Opening{}
	for i := range originals {
		byID[originals[i].ID] = &originals[i]
	}
	var want []string
	c.mu.RLock()
	c.reps.each(func(num uint32) {
		o := c.docs[num].o
		if o.Open() && q.MatchDoc(Index(byID[o.ID]), now) {
			want = append(want, o.ID)
		}
	})
	c.mu.RUnlock()
	page := c.Search(q, now, 0, len(originals)+1)
	var got []string
	for _, l := range page.Listings {
		got = append(got, l.Opening.ID)
	}
	slices.Sort(want)
	slices.Sort(got)
	if page.Total != len(want) || !slices.Equal(got, want) {
		t.Errorf("%s: the index found %d, matching each opening finds %d; only the index: %v; only matching: %v",
			text, page.Total, len(want), first(minus(got, want), 5), first(minus(want, got), 5))
	}
}

func minus(a, b []string) []string {
	return slices.DeleteFunc(slices.Clone(a), func(x string) bool { return slices.Contains(b, x) })
}

func first(xs []string, n int) []string { return xs[:min(n, len(xs))] }

var (
	randWords = []string{"kafka", "Go", "golang", "go live", "go-to-market", "Google", "Rust", "C++", "C#",
		".NET", "Node.js", "k8s", "Kubernetes", "CI/CD", "site reliability", "on-call", "PostgreSQL",
		"Berlin", "München", "Zürich", "remote", "AWS", "Terraform", "etcd", "pulsar", "NATS", "PHP",
		"SRE", "distributed systems", "raft", "consensus", "é", strings.Repeat("x", 60), "x", "(m/w/d)"}
	randTitles = []string{"Senior SRE", "Backend Engineer (Go)", "Staff Platform Engineer", "Sales Engineer",
		"Data Engineer - Kafka", "Engineering Manager, Storage", "Junior Developer"}
	randCompanies = []string{"Acme", "Acme, Inc.", "Globex", "Jane Street", "Initech GmbH", ""}
	randLocations = []string{"Berlin, Germany", "Remote - EU", "New York, NY", "Zürich", "remote"}
	randQueries   = []string{"go", "golang", "kafka", "c++", "c#", ".net", "node.js", "ci/cd", `"go live"`,
		`"site reliability"`, "-kafka", "berlin", "münchen", "zürich", "company:acme", "company:globex",
		"location:berlin", "location:remote", "remote:yes", "remote:hybrid", "level:senior", "type:contract",
		"salary:>=100k", "salary:<50k usd", "posted:<7d", "posted:>30d", "visa:yes", "skill:kubernetes",
		"topic:consensus", "source:b", "x", strings.Repeat("x", 60), "é", "(m/w/d)", `"x x"`, "engineer",
		`"go-to-market"`, "-(rust OR php)", "on-call", "raft OR etcd", "-go", "distributed"}
)

func randOpening(r *rand.Rand, i int, now time.Time) Opening {
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	var desc []string
	for range r.IntN(12) {
		desc = append(desc, pick(randWords))
	}
	o := Opening{
		ID:        fmt.Sprintf("%s:%d", pick([]string{"a", "b", "c"}), i),
		Title:     pick(randTitles),
		Company:   pick(randCompanies),
		Remote:    []Remote{RemoteUnknown, RemoteYes, RemoteHybrid, RemoteNo}[r.IntN(4)],
		Seniority: []Seniority{SeniorityUnknown, SeniorityJunior, SenioritySenior, SeniorityStaff}[r.IntN(4)],
		Visa:      []Visa{VisaUnknown, VisaYes, VisaNo}[r.IntN(3)],
		FirstSeen: now.Add(-time.Duration(r.IntN(60*24)) * time.Hour),
	}
	o.Source = o.ID[:1]
	o.Description = strings.Join(desc, " ")
	if r.IntN(2) == 0 {
		o.EmploymentType = TypeContract
	}
	for range r.IntN(3) {
		o.Locations = append(o.Locations, pick(randLocations))
	}
	if r.IntN(3) == 0 {
		o.Salary = &Salary{Min: int64(r.IntN(150_000)), Currency: pick([]string{"USD", "EUR"}), Period: PerYear}
		o.Salary.Max = o.Salary.Min + int64(r.IntN(50_000))
	}
	if r.IntN(2) == 0 {
		o.Posted = now.Add(-time.Duration(r.IntN(60*24)) * time.Hour)
	}
	if r.IntN(10) == 0 {
		o.Closed = now.Add(-time.Hour)
	}
	if r.IntN(4) == 0 {
		o.URL = fmt.Sprintf("https://jobs.example/%d?utm=%d", r.IntN(50), i)
	}
	return o
}

func randQuery(r *rand.Rand) string {
	pick := func() string { return randQueries[r.IntN(len(randQueries))] }
	switch r.IntN(4) {
	case 0:
		return pick()
	case 1:
		return pick() + " " + pick()
	case 2:
		return pick() + " OR " + pick()
	}
	return "(" + pick() + " OR " + pick() + ") -" + pick()
}

func TestCatalogRandom(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	c := NewCatalog()
	current := map[string]Opening{}
	put := func(os ...Opening) {
		c.Put(testNow, os...)
		for _, o := range os {
			current[o.ID] = o
		}
	}
	snapshot := func() []Opening {
		var out []Opening
		for _, o := range current {
			out = append(out, o)
		}
		return out
	}
	for i := range 3000 {
		put(randOpening(r, i, testNow))
	}
	for range 200 {
		checkQuery(t, c, snapshot(), randQuery(r), testNow)
	}
	// Rewrite two thirds of them (a compaction happens) and remove some.
	for i := range 2000 {
		o := randOpening(r, i, testNow)
		o.ID = fmt.Sprintf("%s:%d", "a", i)
		if _, ok := current[o.ID]; ok {
			o.Source = "a"
			put(o)
		}
	}
	for i := 0; i < 3000; i += 7 {
		id := fmt.Sprintf("b:%d", i)
		c.Remove(id)
		delete(current, id)
	}
	if c.Len() != len(current) {
		t.Fatalf("the catalogue holds %d openings, want %d", c.Len(), len(current))
	}
	for range 200 {
		checkQuery(t, c, snapshot(), randQuery(r), testNow)
	}
}

func TestCatalogDedupe(t *testing.T) {
	t.Parallel()
	base := Opening{Title: "Senior SRE", Company: "Acme, Inc.", Locations: []string{"Berlin"}, FirstSeen: testNow}
	a, b, c2, d := base, base, base, base
	a.ID, a.Source, a.URL, a.Description = "greenhouse:1", "greenhouse", "https://boards.example/acme/1", "short"
	b.ID, b.Source, b.Company, b.Description = "remoteok:9", "remoteok", "ACME", "a much longer description of the role"
	c2.ID, c2.Source, c2.Title, c2.URL = "himalayas:3", "himalayas", "Site Reliability Engineer", "https://boards.example/acme/1?utm_source=x"
	d.ID, d.Source, d.Locations = "lever:4", "lever", []string{"Paris"}
	cat := NewCatalog()
	cat.Put(testNow, a, b, c2, d)
	page := cat.Search(nil, testNow, 0, 10)
	if page.Total != 2 {
		t.Fatalf("found %d openings, want 2 (Berlin's three records are one role): %+v", page.Total, page.Listings)
	}
	var berlin Listing
	for _, l := range page.Listings {
		if l.Opening.ID != "lever:4" {
			berlin = l
		}
	}
	if berlin.Opening.ID != "remoteok:9" {
		t.Errorf("shown %s, want the record with the longest description, remoteok:9", berlin.Opening.ID)
	}
	var sources []string
	for _, l := range berlin.Sources {
		sources = append(sources, l.Source)
	}
	if !slices.Equal(sources, []string{"remoteok", "greenhouse", "himalayas"}) {
		t.Errorf("sources %v, want remoteok first then the others", sources)
	}

	// Closing the richest record shows another; closing all of them hides the role.
	b.Closed = testNow
	cat.Put(testNow, b)
	if p := cat.Search(nil, testNow, 0, 10); p.Total != 2 || !slices.ContainsFunc(p.Listings, func(l Listing) bool { return l.Opening.ID == "greenhouse:1" }) {
		t.Errorf("after closing remoteok:9: %+v, want greenhouse:1 shown for the role", p.Listings)
	}
	a.Closed, c2.Closed = testNow, testNow
	cat.Put(testNow, a, c2)
	if p := cat.Search(nil, testNow, 0, 10); p.Total != 1 {
		t.Errorf("after closing every record of the role: %d openings, want 1", p.Total)
	}
}

func TestCatalogNewestAndPaging(t *testing.T) {
	t.Parallel()
	c := NewCatalog()
	var os []Opening
	for i := range 12 {
		os = append(os, Opening{ID: fmt.Sprintf("s:%02d", i), Title: fmt.Sprintf("Backend Engineer %d", i), Company: "Acme",
			Posted: testNow.Add(-time.Duration(i) * time.Hour), Source: "s"})
	}
	os = append(os, Opening{ID: "s:sales", Title: "Account Executive", Company: "Acme", Posted: testNow, Source: "s"})
	c.Put(testNow, os...)
	p := c.Search(nil, testNow, 0, 5)
	if p.Total != 12 || len(p.Listings) != 5 || p.Listings[0].Opening.ID != "s:00" || p.Listings[4].Opening.ID != "s:04" {
		t.Fatalf("first page: total %d, %v", p.Total, ids(p.Listings))
	}
	p = c.Search(nil, testNow, 10, 5)
	if !slices.Equal(ids(p.Listings), []string{"s:10", "s:11"}) {
		t.Errorf("last page: %v", ids(p.Listings))
	}
	if p := c.Search(nil, testNow, 50, 5); len(p.Listings) != 0 || p.Total != 12 {
		t.Errorf("past the end: %+v", p)
	}
}

func ids(ls []Listing) []string {
	var out []string
	for _, l := range ls {
		out = append(out, l.Opening.ID)
	}
	return out
}

func TestCatalogTrends(t *testing.T) {
	t.Parallel()
	c := NewCatalog()
	day := 24 * time.Hour
	put := func(id, desc string, age time.Duration, closed bool) {
		o := Opening{ID: "s:" + id, Title: "Engineer " + id, Company: id, Description: desc, Posted: testNow.Add(-age), Source: "s"}
		if closed {
			o.Closed = testNow
		}
		c.Put(testNow, o)
	}
	put("1", "Kafka and Go", 1*day, false)
	put("2", "Kafka and Rust", 2*day, false)
	put("3", "Kafka", 3*day, true) // closed: not counted this month
	put("4", "Go", 40*day, true)   // the month before, closed since: counted there
	put("5", "Go and Kafka", 45*day, false)
	put("6", "Kafka", 90*day, false) // too old for either
	trends, n := c.Trends(nil, testNow, 10)
	if n != 2 {
		t.Errorf("counted %d openings, want 2", n)
	}
	got := map[string][2]int{}
	for _, tr := range trends {
		got[tr.Skill.ID] = [2]int{tr.Count, tr.Before}
	}
	want := map[string][2]int{"kafka": {2, 1}, "go": {1, 2}, "rust": {1, 0}}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s: %v, want %v (this month, the month before)", id, got[id], w)
		}
	}
	if trends[0].Skill.ID != "kafka" {
		t.Errorf("first trend %s, want kafka", trends[0].Skill.ID)
	}
	q, _ := ParseQuery("rust")
	if trends, _ := c.Trends(q, testNow, 10); len(trends) != 2 {
		t.Errorf("trends of rust openings: %+v, want kafka and rust", trends)
	}
}

func TestCatalogPrunesOldClosed(t *testing.T) {
	t.Parallel()
	c := NewCatalog()
	c.Put(testNow, Opening{ID: "s:1", Title: "Engineer", Closed: testNow.Add(-100 * 24 * time.Hour)})
	if c.Len() != 0 {
		t.Errorf("an opening closed 100 days ago was kept")
	}
}

func TestIsEngineering(t *testing.T) {
	t.Parallel()
	for title, want := range map[string]bool{
		"Senior Site Reliability Engineer": true, "Backend Developer (Go)": true, "DevOps Lead": true,
		"Staff Software Architect": true, "Data Scientist": true, "Platform Engineering Manager": true,
		"Sales Engineer": false, "Technical Recruiter": false, "Account Executive": false,
		"Marketing Manager": false, "Customer Success Manager": false, "Copywriter": false,
	} {
		if got := IsEngineering(title); got != want {
			t.Errorf("IsEngineering(%q) = %v, want %v", title, got, want)
		}
	}
}
