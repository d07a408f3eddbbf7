package jobs

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// The benchmarks run over synthetic openings made of the recorded boards' own sentences
// (source/testdata): each description is sentences drawn at random up to 1.5–6 KB (3.75 KB on
// average; the recorded boards' descriptions average 3.2–4.5 KB) plus a serial number, so no two are the same and the words follow real
// postings' frequencies.

type benchCorpus struct {
	sentences, titles, companies, locations []string
}

var loadCorpus = sync.OnceValues(func() (*benchCorpus, error) {
	files, err := filepath.Glob("source/testdata/*.json")
	if err != nil {
		return nil, err
	}
	c := &benchCorpus{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var v any
		if json.Unmarshal(data, &v) != nil {
			continue
		}
		c.walk("", v)
	}
	for _, xs := range [][]string{c.sentences, c.titles, c.companies, c.locations} {
		slices.Sort(xs) // the same corpus every run, whatever the order of JSON objects' keys
	}
	if len(c.sentences) < 100 || len(c.titles) < 20 {
		return nil, fmt.Errorf("the fixtures gave %d sentences and %d titles", len(c.sentences), len(c.titles))
	}
	return c, nil
})

func (c *benchCorpus) walk(key string, v any) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			c.walk(k, x)
		}
	case []any:
		for _, x := range v {
			c.walk(key, x)
		}
	case string:
		switch key {
		case "title", "position", "name":
			if len(v) > 8 && len(v) < 80 {
				c.titles = append(c.titles, v)
			}
		case "company", "company_name", "companyName":
			c.companies = append(c.companies, v)
		case "location", "candidate_required_location":
			c.locations = append(c.locations, v)
		}
		if len(v) > 200 {
			for _, s := range strings.SplitAfter(PlainText(v, MaxDescription), ". ") {
				if len(s) > 30 {
					c.sentences = append(c.sentences, s)
				}
			}
		}
	}
}

func (c *benchCorpus) opening(r *rand.Rand, i int, now time.Time) Opening {
	pick := func(xs []string) string {
		if len(xs) == 0 {
			return ""
		}
		return xs[r.IntN(len(xs))]
	}
	var b strings.Builder
	for size := 1500 + r.IntN(4500); b.Len() < size; {
		b.WriteString(pick(c.sentences))
	}
	fmt.Fprintf(&b, " Requisition R-%d.", i)
	return Opening{
		ID:          fmt.Sprintf("bench:%d", i),
		Title:       pick(c.titles),
		Company:     fmt.Sprintf("%s %d", pick(c.companies), i%5000),
		Locations:   []string{pick(c.locations)},
		Remote:      []Remote{RemoteUnknown, RemoteYes, RemoteHybrid, RemoteNo}[r.IntN(4)],
		Seniority:   []Seniority{SeniorityUnknown, SeniorityJunior, SenioritySenior, SeniorityStaff}[r.IntN(4)],
		Description: Cut(b.String(), MaxDescription),
		Source:      "bench",
		Posted:      now.Add(-time.Duration(r.IntN(60*24*60)) * time.Minute),
		URL:         fmt.Sprintf("https://boards.example/bench/%d", i),
	}
}

func benchCatalog(b *testing.B, n int) *Catalog {
	b.Helper()
	corpus, err := loadCorpus()
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(7, uint64(n)))
	c := NewCatalog()
	batch := make([]Opening, 0, 256)
	for i := range n {
		batch = append(batch, corpus.opening(r, i, testNow))
		if len(batch) == cap(batch) || i == n-1 {
			c.Put(testNow, batch...)
			batch = batch[:0]
		}
	}
	return c
}

var catalog100k = sync.OnceValue(func() *Catalog { return benchCatalog(&testing.B{}, 100_000) })

// BenchmarkCatalogSearch evaluates queries over 100,000 openings: the 5 newest matches and the
// total, as /jobs asks.
func BenchmarkCatalogSearch(b *testing.B) {
	c := catalog100k()
	for _, text := range []string{
		"kubernetes",
		`"distributed systems"`,
		"kafka go remote:yes level:senior",
		`golang (kafka OR pulsar) -php "distributed systems"`,
		`"site reliability" salary:>=100k`,
		"company:stripe OR location:berlin",
		"-java posted:<7d",
	} {
		q, err := ParseQuery(text)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(text, func(b *testing.B) {
			b.ReportAllocs()
			var total int
			for b.Loop() {
				total = c.Search(q, testNow, 0, 5).Total
			}
			b.ReportMetric(float64(total), "matches")
		})
	}
}

func BenchmarkCatalogTrends(b *testing.B) {
	c := catalog100k()
	b.ReportAllocs()
	for b.Loop() {
		c.Trends(nil, testNow, 10)
	}
}

// BenchmarkCatalogHeap loads 100,000 openings and reports the heap they hold (MB-heap) and the
// time to index them (ns/op, one load per op).
func BenchmarkCatalogHeap(b *testing.B) {
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		c := benchCatalog(b, 100_000)
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MB-heap")
		runtime.KeepAlive(c)
	}
}

// BenchmarkTag is the skills and topics of 10,000 openings of the corpus.
func BenchmarkTag(b *testing.B) {
	corpus, err := loadCorpus()
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	openings := make([]Opening, 10_000)
	for i := range openings {
		openings[i] = corpus.opening(r, i, testNow)
	}
	b.ReportAllocs()
	for b.Loop() {
		for i := range openings {
			TopicsFor(SkillsIn(openings[i].Title + "\n" + openings[i].Description))
		}
	}
}

// benchSubscriptions are n subscriptions as people write them: a skill or a word of the
// corpus that fewer than 5% of the openings of c have (people subscribe to "kafka" or
// "observability", not to "team"), often a second one, often a qualifier; one in twenty an OR
// at the top (tried against every opening), one in twenty with an exclusion.
func benchSubscriptions(b *testing.B, c *Catalog, n int) []Subscription {
	b.Helper()
	corpus, err := loadCorpus()
	if err != nil {
		b.Fatal(err)
	}
	limit := c.Len() / 20
	var words []string
	for _, s := range corpus.sentences {
		l := strings.ToLower(s)
		eachRun(l, func(start, end int) {
			if w := l[start:end]; end-start > 3 && end-start < 15 && c.Frequency("w:"+w) < limit {
				words = append(words, w)
			}
		})
	}
	var skills []Skill
	for _, s := range Skills() {
		if c.Frequency("s:"+s.ID) < limit {
			skills = append(skills, s)
		}
	}
	quals := []string{"remote:yes", "level:senior", "type:full-time", "remote:hybrid", "level:staff"}
	r := rand.New(rand.NewPCG(11, uint64(n)))
	term := func() string {
		if r.IntN(2) == 0 {
			return skills[r.IntN(len(skills))].ID
		}
		return words[r.IntN(len(words))]
	}
	subs := make([]Subscription, n)
	for i := range subs {
		q := term()
		switch r.IntN(20) {
		case 0:
			q = term() + " OR " + term()
		case 1:
			q += " -" + term()
		default:
			if r.IntN(2) == 0 {
				q += " " + term()
			}
			if r.IntN(2) == 0 {
				q += " " + quals[r.IntN(len(quals))]
			}
		}
		if _, err := ParseQuery(q); err != nil {
			q = "kubernetes"
		}
		subs[i] = Subscription{Workspace: fmt.Sprintf("slack:T%d", i%1000), ID: int64(i + 1), Channel: "C1", Query: q}
	}
	return subs
}

// BenchmarkMatchSubscriptions matches 10,000 new openings against 100,000 subscriptions
// through the Matcher (one op is all 10,000), beside the naive loop (every opening against
// every subscription) timed on a sample of 20 openings; both report ns/opening. MB-matcher is
// the heap the filed subscriptions hold.
func BenchmarkMatchSubscriptions(b *testing.B) {
	corpus, err := loadCorpus()
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(13, 14))
	docs := make([]*Doc, 10_000)
	for i := range docs {
		o := corpus.opening(r, i, testNow)
		docs[i] = Index(&o)
	}
	c := catalog100k()
	subs := benchSubscriptions(b, c, 100_000)

	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	m := NewMatcher()
	m.Freq = c.Frequency
	for _, s := range subs {
		if err := m.Add(s); err != nil {
			b.Fatal(err)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)

	b.Run("indexed", func(b *testing.B) {
		b.ReportAllocs()
		matches := 0
		for b.Loop() {
			matches = 0
			for _, d := range docs {
				matches += len(m.Match(d, testNow))
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(docs)), "ns/opening")
		b.ReportMetric(float64(matches)/float64(len(docs)), "matches/opening")
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MB-matcher")
	})
	b.Run("naive", func(b *testing.B) {
		queries := make([]*Query, len(subs))
		for i, s := range subs {
			queries[i], _ = ParseQuery(s.Query)
		}
		sample := docs[:20]
		for b.Loop() {
			for _, d := range sample {
				for _, q := range queries {
					q.MatchDoc(d, testNow)
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(sample)), "ns/opening")
	})
}
