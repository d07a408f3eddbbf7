package jobs

import (
	"fmt"
	"testing"
	"time"
)

var testNow = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

// testOpenings are hand-built to exercise every qualifier.
var testOpenings = map[string]*Opening{
	"sre": {
		ID: "acme:1", Title: "Senior Site Reliability Engineer (Kubernetes, Go)", Company: "Acme Payments",
		Locations: []string{"Berlin, Germany"}, Remote: RemoteNo, Seniority: SenioritySenior,
		EmploymentType: TypeFullTime, Visa: VisaYes, Source: "greenhouse",
		Salary:      &Salary{Min: 90_000, Max: 110_000, Currency: "EUR", Period: PerYear},
		Posted:      testNow.Add(-3 * 24 * time.Hour),
		Description: "Run Kafka and PostgreSQL on call. We value on-call hygiene and go live weekly.",
	},
	"contract": {
		ID: "remoteok:2", Title: "Backend Contractor - Rust", Company: "Jane Street",
		Locations: []string{"Remote - EU"}, Remote: RemoteYes, Seniority: SeniorityStaff,
		EmploymentType: TypeContract, Visa: VisaNo, Source: "remoteok",
		Salary:      &Salary{Min: 80, Max: 100, Currency: "USD", Period: PerHour}, // 166,400–208,000 a year
		FirstSeen:   testNow.Add(-10 * 24 * time.Hour),
		Description: "Golang is not needed. Pulsar and NATS experience; PHP legacy code.",
	},
	"nosalary": {
		ID: "lever:3", Title: "Platform Engineer", Company: "Globex",
		Locations: []string{"New York, NY"}, Remote: RemoteHybrid, Source: "lever",
		Description: "Terraform, AWS and etcd. Good go-to-market partners at Google.",
	},
}

func TestMatch(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		query string
		want  []string // the openings that match, in the order sre, contract, nosalary
	}{
		{"kubernetes", []string{"sre"}},
		{"KUBERNETES", []string{"sre"}},
		{"k8s", []string{"sre"}},
		{"golang", []string{"sre", "contract"}}, // "Golang" in the text, "Go" in the title
		{"go", []string{"sre", "contract"}},     // the skill: never "go live" or "go-to-market"
		{`"go live"`, []string{"sre"}},          // quoted: the words themselves
		{"berlin", []string{"sre"}},
		{"berl", nil}, // word boundaries
		{`"site reliability"`, []string{"sre"}},
		{`"reliability site"`, nil},
		{"-php", []string{"sre", "nosalary"}},
		{`-"go live"`, []string{"contract", "nosalary"}},
		{"kafka OR pulsar", []string{"sre", "contract"}},
		{"engineer kafka OR pulsar", []string{"sre"}}, // OR binds tighter than AND
		{"(rust OR terraform) -pulsar", []string{"nosalary"}},
		{"-(kafka OR pulsar)", []string{"nosalary"}},
		{"(kafka postgresql) OR etcd", []string{"sre", "nosalary"}},
		{"company:acme", []string{"sre"}},
		{`company:"jane street"`, []string{"contract"}},
		{"company:street", []string{"contract"}},
		{"company:jane", []string{"contract"}},
		{"location:berlin", []string{"sre"}},
		{`location:"new york"`, []string{"nosalary"}},
		{"location:remote", []string{"contract"}},
		{"remote:yes", []string{"contract"}},
		{"remote:no", []string{"sre"}},
		{"remote:hybrid", []string{"nosalary"}},
		{"-remote:no", []string{"contract", "nosalary"}},
		{"level:senior", []string{"sre"}},
		{"level:staff", []string{"contract"}},
		{"level:junior", nil},
		{"type:full-time", []string{"sre"}},
		{"type:contract", []string{"contract"}},
		{"visa:yes", []string{"sre"}},
		{"visa:no", []string{"contract"}},
		{"skill:kafka", []string{"sre"}},
		{"skill:golang", []string{"sre", "contract"}},
		{"skill:nats", []string{"contract"}},
		{"topic:raft", []string{"nosalary"}}, // etcd leads to raft
		{"topic:event-streaming", []string{"sre", "contract"}},
		{"source:remoteok", []string{"contract"}},
		{"salary:>=100k", []string{"sre", "contract"}}, // the top of the range counts; hourly as yearly
		{"salary:>=200k", []string{"contract"}},        // 100 USD an hour is 208,000 a year
		{"salary:>=210k", nil},
		{"salary:>110k", []string{"contract"}},
		{"salary:<=90k", []string{"sre"}},
		{"salary:<90k", nil},
		{"salary:=100k", []string{"sre"}},
		{"salary:>=50k eur", []string{"sre"}}, // with a currency, only that currency
		{"salary:>=50k usd", []string{"contract"}},
		{"salary:>=50k gbp", nil},
		{"-salary:>=1k", []string{"nosalary"}},
		{"posted:<7d", []string{"sre"}},
		{"posted:<72h", nil},
		{"posted:<=72h", []string{"sre"}},
		{"posted:<2w", []string{"sre", "contract"}}, // no posting date: when first seen
		{"posted:>1w", []string{"contract"}},
		{"posted:>=1h", []string{"sre", "contract"}}, // no date at all never matches
	} {
		q, err := ParseQuery(c.query)
		if err != nil {
			t.Fatalf("ParseQuery(%q): %v", c.query, err)
		}
		var got []string
		for _, name := range []string{"sre", "contract", "nosalary"} {
			o := testOpenings[name]
			if q.Match(o, testNow) != q.MatchDoc(Index(o), testNow) {
				t.Errorf("%q: Match and MatchDoc disagree on %s", c.query, name)
			}
			if q.Match(o, testNow) {
				got = append(got, name)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%q matches %v, want %v", c.query, got, c.want)
		}
	}
}

func TestExplain(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ query, opening, want string }{
		{"remote:yes", "sre", "remote:yes: this opening is onsite in Berlin, Germany"},
		{"kubernetes remote:yes", "nosalary", "kubernetes: this opening does not ask for Kubernetes"},
		{"kubernetes remote:no level:staff", "sre", "level:staff: this opening is at senior level"},
		{"level:senior", "nosalary", "level:senior: this opening does not state a level"},
		{"berlin", "contract", "berlin: the opening does not mention berlin"},
		{"-legacy", "contract", "-legacy: the opening mentions legacy"},
		{"-php", "contract", "-php: this opening asks for PHP"},
		{`"go live"`, "contract", `"go live": the opening never says "go live"`},
		{"kafka OR pulsar", "nosalary", "kafka OR pulsar: none of them holds: this opening does not ask for Kafka; this opening does not ask for Pulsar"},
		{"-(kafka OR pulsar)", "sre", "-(kafka OR pulsar): the opening matches kafka: this opening asks for Kafka"},
		{"-(kafka postgresql)", "sre", "-(kafka postgresql): the opening matches all of kafka postgresql"},
		{"salary:>=150k", "nosalary", "salary:>=150k: this opening states no salary"},
		{"salary:>=150k", "sre", "salary:>=150k: this opening pays 90,000–110,000 EUR a year"},
		{"salary:>=50k gbp", "sre", "salary:>=50k gbp: this opening pays in EUR, not GBP"},
		{"salary:>=250k", "contract", "salary:>=250k: this opening pays 80–100 USD an hour (166,400–208,000 USD a year)"},
		{"posted:<1d", "sre", "posted:<1d: this opening was posted 3 days ago"},
		{"posted:<1d", "nosalary", "posted:<1d: this opening has no posting date"},
		{"visa:yes", "contract", "visa:yes: this opening says it does not sponsor visas"},
		{"type:full-time", "contract", "type:full-time: this opening is contract"},
		{"company:globex", "sre", "company:globex: this opening is at Acme Payments"},
		{"location:paris", "sre", "location:paris: this opening is in Berlin, Germany"},
		{"source:lever", "sre", "source:lever: this opening is from greenhouse"},
		{"topic:raft", "sre", "topic:raft: none of this opening's skills leads to raft"},
		{"kafka", "sre", ""},
	} {
		q, err := ParseQuery(c.query)
		if err != nil {
			t.Fatalf("ParseQuery(%q): %v", c.query, err)
		}
		if got := q.Explain(Index(testOpenings[c.opening]), testNow); got != c.want {
			t.Errorf("Explain(%q, %s) = %q,\nwant %q", c.query, c.opening, got, c.want)
		}
	}
}

func TestContainsWord(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		text, word string
		want       bool
	}{
		{"go, rust", "go", true},
		{"google", "go", false},
		{"ago go", "go", true},
		{"c++ and c#", "c++", true},
		{"node.js", "node.js", true},
		{"über zürich", "zürich", true},
		{"zürichsee", "zürich", false},
		{"anything", "", false},
	} {
		if got := containsWord(c.text, c.word); got != c.want {
			t.Errorf("containsWord(%q, %q) = %v", c.text, c.word, got)
		}
	}
}

func BenchmarkMatch(b *testing.B) {
	docs := make([]*Doc, 100_000)
	for i := range docs {
		o := *testOpenings[[]string{"sre", "contract", "nosalary"}[i%3]]
		o.Description = fmt.Sprintf("%s opening %d", benchDescription, i)
		docs[i] = Index(&o)
	}
	q, err := ParseQuery(`golang (kafka OR pulsar) -php "site reliability" remote:no salary:>=80k eur posted:<7d`)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		n := 0
		for _, d := range docs {
			if q.MatchDoc(d, testNow) {
				n++
			}
		}
		if n == 0 {
			b.Fatal("no match")
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(docs)), "ns/doc")
}
