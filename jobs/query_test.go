package jobs

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestParseQuery(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{"kafka", "kafka"},
		{"  Kafka   Go  ", "kafka go"},
		{`"Site  Reliability" -PHP -"on site"`, `"site reliability" -php -"on site"`},
		{"go kafka OR pulsar", "go kafka OR pulsar"},
		{"go kafka or pulsar", "go kafka OR pulsar"},
		{"(go OR rust) (kafka OR nats)", "go OR rust kafka OR nats"},
		{"(a b) OR c", "(a b) OR c"},
		{"((a OR b)) OR c", "a OR b OR c"},
		{"a OR (b OR c)", "a OR b OR c"},
		{"-(a b) -(c OR d)", "-(a b) -(c OR d)"},
		{"NOT php", "-php"},
		{"--a", "a"},
		{"-(-a)", "a"},
		{"kafka AND go", "kafka go"},
		{"(kafka)", "kafka"},
		{"c++ c# .net node.js", "c++ c# .net node.js"},
		{`Company:"Jane  Street" location:Berlin`, `company:"jane street" location:berlin`},
		{"remote:YES remote:no remote:hybrid remote:onsite", "remote:yes remote:no remote:hybrid remote:no"},
		{"level:senior level:sr level:intern level:lead level:staff level:principal level:junior level:mid",
			"level:senior level:senior level:intern level:lead level:staff level:principal level:junior level:mid"},
		{"type:full-time type:fulltime type:part-time type:contract type:internship",
			"type:full-time type:full-time type:part-time type:contract type:internship"},
		{"salary:>=150k", "salary:>=150k"},
		{"salary:150000", "salary:>=150k"},
		{"salary:>=120k eur", "salary:>=120k eur"},
		{"salary:>=120K EUR kafka", "salary:>=120k eur kafka"},
		{"salary:>=120keur", "salary:>=120k eur"},
		{"salary:>=€120k", "salary:>=120k eur"},
		{"salary:>=$1.5m", "salary:>=1500k usd"},
		{"salary:<90,500 salary:>100k salary:<=2m salary:=80k", "salary:<90500 salary:>100k salary:<=2m salary:=80k"},
		{"eur salary:>=1k (eur)", "(eur) salary:>=1k (eur)"},
		{"posted:<7d posted:<48h posted:<=2w posted:>30d posted:7d posted:<168h",
			"posted:<1w posted:<2d posted:<=2w posted:>30d posted:<1w posted:<1w"},
		{"visa:yes visa:no", "visa:yes visa:no"},
		{"skill:golang skill:K8s skill:postgres", "skill:go skill:kubernetes skill:postgresql"},
		{"topic:raft topic:Two-Phase-Commit", "topic:raft topic:two-phase-commit"},
		{"source:remoteok", "source:remoteok"},
		{"-remote:no -salary:<100k", "-remote:no -salary:<100k"},
		{"c++: 10:30", "c++: 10:30"},
	} {
		q, err := ParseQuery(c.in)
		if err != nil {
			t.Errorf("ParseQuery(%q): %v", c.in, err)
			continue
		}
		if got := q.String(); got != c.want {
			t.Errorf("ParseQuery(%q).String() = %q, want %q", c.in, got, c.want)
		}
		again, err := ParseQuery(q.String())
		if err != nil || !reflect.DeepEqual(again, q) {
			t.Errorf("%q does not parse back to the same query: %v", q.String(), err)
		}
	}
}

// TestParseQueryErrors checks that each malformed query is refused with a message that names
// the offending word, and an example that is itself a valid query.
func TestParseQueryErrors(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, word string }{
		{"", "empty"},
		{"   ", "empty"},
		{"kafka salry:>=150k", `"salry:"`},
		{"kafka foo:bar", `"foo:"`},
		{`"site reliability`, "quote"},
		{`kafka "`, "quote"},
		{`""`, `""`},
		{"(kafka OR pulsar", `"("`},
		{"kafka)", `")"`},
		{"()", `"()"`},
		{"kafka OR", `"OR"`},
		{"OR kafka", `"OR"`},
		{"kafka OR OR pulsar", `"OR"`},
		{"(OR kafka)", `"OR"`},
		{"(kafka OR)", `"OR"`},
		{"AND kafka", `"AND"`},
		{"kafka AND", `"AND"`},
		{"kafka -", `"-"`},
		{"kafka NOT", "exclusion"},
		{"company:", `"company:"`},
		{`location:""`, `"location:"`},
		{"salary:>=abc", "salary:>=abc"},
		{"salary:>=", "salary:>="},
		{"salary:>=150kxyz", `"xyz"`},
		{"salary:>=0", "salary:>=0"},
		{"posted:<7y", "posted:<7y"},
		{"posted:<0d", "posted:<0d"},
		{"posted:<99999w", "posted:<99999w"},
		{"level:boss", "level:boss"},
		{"type:gig", "type:gig"},
		{"remote:maybe", "remote:maybe"},
		{"visa:perhaps", "visa:perhaps"},
		{"skill:kubernets", `"kubernets"`},
		{"topic:Raft!", "topic:Raft!"},
		{"source:Remote_OK", "source:Remote_OK"},
		{strings.Repeat("kafka ", 90), "500"},
		{strings.Repeat("a ", 51), "50 terms"},
		{"\xff", "UTF-8"},
	} {
		_, err := ParseQuery(c.in)
		var qe *QueryError
		if !errors.As(err, &qe) {
			t.Errorf("ParseQuery(%q) = %v, want a *QueryError", c.in, err)
			continue
		}
		if !strings.Contains(qe.Error(), c.word) || !strings.Contains(qe.Error(), qe.Example) {
			t.Errorf("ParseQuery(%q): %q does not name %s or give its example", c.in, qe.Error(), c.word)
		}
		if _, err := ParseQuery(qe.Example); err != nil {
			t.Errorf("ParseQuery(%q): the example %q does not parse: %v", c.in, qe.Example, err)
		}
	}
	if _, err := ParseQuery("kafka salry:1"); err.(*QueryError).Pos != 6 {
		t.Errorf("Pos of salry: = %d, want byte 6", err.(*QueryError).Pos)
	}
	if _, err := ParseQuery("skill:kubernets"); !strings.Contains(err.Error(), "did you mean skill:kubernetes") {
		t.Errorf("unknown skill: %v, want a suggestion", err)
	}
}

func TestRequired(t *testing.T) {
	t.Parallel()
	for in, want := range map[string][]string{
		"kafka golang remote:yes":                  {"skill:kafka", "skill:go", "remote:yes"},
		"berlin \"site reliability\" company:acme": {"berlin", "site reliability", "company:acme"},
		"go kafka OR pulsar -php":                  {"skill:go"},
		"salary:>=100k posted:<7d level:senior":    {"level:senior"},
		"kafka OR pulsar":                          nil,
		"berlin berlin":                            {"berlin"},
	} {
		q, err := ParseQuery(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := q.Required(); !slices.Equal(got, want) {
			t.Errorf("Required(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"kafka go remote:yes", `"site reliability" -php`, "(a OR b) -(c d)", "salary:>=120k eur",
		"posted:<48h", "company:\"jane street\"", "skill:k8s topic:raft", "a OR", "((", `"`, "-", "eur salary:>=1k (eur)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseQuery(s)
		if err != nil {
			var qe *QueryError
			if !errors.As(err, &qe) || qe.Msg == "" || qe.Example == "" {
				t.Fatalf("ParseQuery(%q): %v is not a complete QueryError", s, err)
			}
			return
		}
		canon := q.String()
		again, err := ParseQuery(canon)
		if err != nil {
			t.Fatalf("ParseQuery(%q) = %q, which does not parse: %v", s, canon, err)
		}
		if again.String() != canon {
			t.Fatalf("ParseQuery(%q) = %q, which parses to %q", s, canon, again.String())
		}
	})
}

func BenchmarkParseQuery(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseQuery(`golang (kafka OR pulsar) -php "site reliability" remote:yes level:senior salary:>=150k eur posted:<7d`); err != nil {
			b.Fatal(err)
		}
	}
}
