package jobs

import (
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/careerbot/careerbot/knowledge"
)

func TestSkillsList(t *testing.T) {
	t.Parallel()
	skills := Skills()
	if len(skills) < 150 {
		t.Errorf("%d skills, want at least 150", len(skills))
	}
	names, err := fs.Glob(knowledge.BuiltinFS(), "*.md")
	if err != nil || len(names) == 0 {
		t.Fatalf("knowledge topics: %v (%d files)", err, len(names))
	}
	topics := map[string]bool{}
	for _, n := range names {
		topics[strings.TrimSuffix(n, ".md")] = true
	}
	seen := map[string]bool{}
	for _, s := range skills {
		if seen[s.ID] {
			t.Errorf("skill %s listed twice", s.ID)
		}
		seen[s.ID] = true
		if s.ID != strings.ToLower(s.ID) || s.Name == "" {
			t.Errorf("skill %q: id not lower case or no name", s.ID)
		}
		for _, topic := range s.Topics {
			if !topics[topic] {
				t.Errorf("skill %s: topic %q is not in knowledge/topics", s.ID, topic)
			}
		}
		if got, ok := SkillID(s.ID); !ok || got != s.ID {
			t.Errorf("SkillID(%q) = %q, %v", s.ID, got, ok)
		}
		if got, ok := SkillID(s.Name); !ok || got != s.ID {
			t.Errorf("SkillID(name %q) = %q, %v, want %s", s.Name, got, ok, s.ID)
		}
	}
}

func TestCompileSkillsRejectsBadLists(t *testing.T) {
	t.Parallel()
	for name, yaml := range map[string]string{
		"unknown field":  "- {id: go, name: Go, alias: [golang]}",
		"duplicate id":   "- {id: go, name: Go}\n- {id: go, name: Golang}",
		"shared alias":   "- {id: go, name: Go, aliases: [gopher]}\n- {id: gopher, name: Gopher}",
		"bad id":         "- {id: Go Lang, name: Go}",
		"non-ASCII form": "- {id: go, name: Gö}",
	} {
		if _, err := compileSkills([]byte(yaml)); err == nil {
			t.Errorf("%s: compileSkills accepted %q", name, yaml)
		}
	}
}

// TestSkillRules holds one case per tricky rule: a text, the skill, and whether it is found.
func TestSkillRules(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		text, skill string
		want        bool
	}{
		{"Go, Rust", "go", true},
		{"Golang", "go", true},
		{"We write services in Go.", "go", true},
		{"We use Go to build services", "go", true},
		{"Google Cloud", "go", false},
		{"go-to-market strategy", "go", false},
		{"Go-To-Market Engineer", "go", false},
		{"we go live in May", "go", false},
		{"Go live in May", "go", false},
		{"a good engineer", "go", false},
		{"GOTO conference", "go", false},
		{"C, C++", "c", true},
		{"written in C and Rust", "c", true},
		{"Python, C", "c", true},
		{"C/C++ developer", "c", true},
		{"C-level executives", "c", false},
		{"Series C, growing fast", "c", false},
		{"our C# code", "c", false},
		{"C++ developer", "c", false},
		{"C++17 and C++20", "cpp", true},
		{"c++", "cpp", true},
		{"C#/.NET", "csharp", true},
		{"C#/.NET", "dotnet", true},
		{"ASP.NET Core", "dotnet", true},
		{"visit example.net", "dotnet", false},
		{"Node.js and TypeScript", "nodejs", true},
		{"NodeJS", "nodejs", true},
		{"node failures in a cluster", "nodejs", false},
		{"k8s", "kubernetes", true},
		{"K8s operators", "kubernetes", true},
		{"R and Python", "r", true},
		{"in R, SQL", "r", true},
		{"R&D department", "r", false},
		{"Series R and", "r", false},
		{"Scala", "scala", true},
		{"scalable systems", "scala", false},
		{"Java", "java", true},
		{"JavaScript", "java", false},
		{"JavaScript", "javascript", true},
		{"Rust", "rust", true},
		{"trust and safety", "rust", false},
		{"Helm charts", "helm", true},
		{"at the helm of the team", "helm", false},
		{"REST APIs", "rest", true},
		{"the rest of the team", "rest", false},
		{"a digital Nomad lifestyle", "nomad", false},
		{"Nomad and Consul", "nomad", true},
		{"HashiCorp Vault", "vault", true},
		{"our vault of ideas", "vault", false},
		{"consensus (Raft, Paxos)", "consensus", true},
		{"build consensus among stakeholders", "consensus", false},
		{"Raft", "raft", true},
		{"a raft of benefits", "raft", false},
		{"site\nreliability engineering", "sre", true},
		{"event driven", "event-driven", true}, // a hyphen in a form also matches a space
		{"event-driven systems", "event-driven", true},
		{"event driven systems", "event-driven", true},
		{"CI/CD pipelines", "ci-cd", true},
	} {
		got := slices.Contains(SkillsIn(c.text), c.skill)
		if got != c.want {
			t.Errorf("SkillsIn(%q) has %s: %v, want %v (all: %v)", c.text, c.skill, got, c.want, SkillsIn(c.text))
		}
	}
}

// TestSkillsInRealTitles holds the skills read from 20 titles of the recorded boards
// (source/testdata), chosen for what could go wrong: a Go that is not the language, "Site"
// and "Engineer" that are not SRE, sales and customer engineers, German gender tags.
func TestSkillsInRealTitles(t *testing.T) {
	t.Parallel()
	for title, want := range map[string][]string{
		"Senior Software Engineer - Go-food":            nil, // lever
		"Senior Backend Engineer":                       nil,
		"Software Engineer - Backend (Groceries)":       nil,
		"Enterprise Information Security Engineer Lead": nil,
		"Data Scientist Intern":                         nil,
		"Senior DevOps Engineer":                        {"devops"}, // remotive
		"Staff Software Engineer, Product (São Paulo)":  nil,
		"Senior Independent AI Engineer / Architect":    nil,
		"Software Engineer (m/w/d)":                     nil, // himalayas
		"Flutter Developer":                             nil,
		"Quality Control Analyst II":                    nil,
		"Full Stack Engineer":                           nil,                      // ashby
		"Platform Engineer":                             {"platform-engineering"}, // smartrecruiters
		"Senior Messaging & Core Infrastructure Engineer (Exchange and Messaging Specialist)": nil,
		"Staff DevOps Engineer":                    {"devops"}, // remoteok
		"C C++ Linux developer":                    {"c", "cpp", "linux"},
		"Senior Sales Engineer Data & AI Security": nil,
		"Electrical Engineer":                      nil,
		"Data Center Site Start Up Manager":        nil,
		"Customer Success Engineer Tel Aviv":       nil, // recruitee
	} {
		if got := SkillsIn(title); !slices.Equal(got, want) {
			t.Errorf("SkillsIn(%q) = %v, want %v", title, got, want)
		}
	}
}

func TestSkillsInTitles(t *testing.T) {
	t.Parallel()
	for title, want := range map[string][]string{
		"Senior Site Reliability Engineer (Kubernetes, Go)":           {"sre", "kubernetes", "go"},
		"Staff Software Engineer, Distributed Systems (Rust)":         {"distributed-systems", "rust"},
		"Backend Engineer - Java/Kotlin, Kafka":                       {"java", "kotlin", "kafka"},
		"Platform Engineer (AWS, Terraform, EKS)":                     {"platform-engineering", "aws", "terraform", "eks"},
		"DevOps Engineer - Azure / AKS / Helm":                        {"devops", "azure", "aks", "helm"},
		"Senior Golang Developer":                                     {"go"},
		"Software Engineer, Storage (C++, Linux kernel)":              {"cpp", "linux", "linux-kernel"},
		"Principal Engineer - Databases (PostgreSQL, CockroachDB)":    {"postgresql", "cockroachdb"},
		"Data Engineer (Spark, Flink, Airflow)":                       {"spark", "flink", "airflow"},
		"Senior .NET Engineer (C#, Azure Service Bus)":                {"dotnet", "csharp", "azure", "service-bus"},
		"Node.js Backend Engineer (TypeScript, GraphQL)":              {"nodejs", "typescript", "graphql"},
		"Observability Engineer - Prometheus, Grafana, OpenTelemetry": {"observability", "prometheus", "grafana", "opentelemetry"},
		"Security Engineer, Identity (OAuth, OIDC, mTLS)":             {"oauth", "oidc", "mtls"},
		"Erlang/Elixir Engineer, Messaging":                           {"erlang", "elixir"},
		"Go-To-Market Manager, Google Cloud":                          {"gcp"},
		"Infrastructure Engineer - k8s, Vault, Consul, Nomad":         {"kubernetes", "vault", "consul", "nomad"},
		"Senior Scala Engineer (Akka, Cassandra)":                     {"scala", "akka", "cassandra"},
		"Embedded Software Engineer (C, Rust)":                        {"c", "rust"},
		"Machine Learning Engineer (Python, R, SQL)":                  {"python", "r", "sql"},
		"Chief of Staff to the C-level":                               nil,
		"SRE - Incident Response & Chaos Engineering":                 {"sre", "incident-response", "chaos-engineering"},
		"Backend Engineer, gRPC microservices on GCP":                 {"grpc", "microservices", "gcp"},
	} {
		if got := SkillsIn(title); !slices.Equal(got, want) {
			t.Errorf("SkillsIn(%q) = %v, want %v", title, got, want)
		}
	}
}

func TestSkillID(t *testing.T) {
	t.Parallel()
	for word, want := range map[string]string{
		"golang": "go", "Go": "go", "k8s": "kubernetes", "K8S": "kubernetes", "postgres": "postgresql",
		"c++": "cpp", "C#": "csharp", "dotnet": "dotnet", ".net": "dotnet", "nodejs": "nodejs",
		"site reliability engineering": "sre", "incident-response": "incident-response", "ci/cd": "ci-cd",
	} {
		if got, ok := SkillID(word); !ok || got != want {
			t.Errorf("SkillID(%q) = %q, %v, want %q", word, got, ok, want)
		}
	}
	for _, word := range []string{"", "google", "good", "kafkaesque"} {
		if got, ok := SkillID(word); ok {
			t.Errorf("SkillID(%q) = %q, want none", word, got)
		}
	}
	if got := closestSkill("kubernets"); got != "kubernetes" {
		t.Errorf("closestSkill(kubernets) = %q", got)
	}
}

func TestTopicsFor(t *testing.T) {
	t.Parallel()
	got := TopicsFor([]string{"kubernetes", "etcd", "no-such-skill", "go"})
	want := []string{"kubernetes", "kubernetes-objects", "kubernetes-controllers", "etcd", "raft"}
	if !slices.Equal(got, want) {
		t.Errorf("TopicsFor = %v, want %v", got, want)
	}
	if got := TopicsFor(nil); len(got) != 0 {
		t.Errorf("TopicsFor(nil) = %v", got)
	}
}

// benchDescription is a realistic 3 KB posting for the benchmarks.
var benchDescription = strings.Repeat(`About the role
We are looking for a Senior Site Reliability Engineer to join our Platform team. You will run
and scale the infrastructure behind our payments API, serving millions of requests a day across
three regions on AWS and GCP. Our stack: Go and Rust services on Kubernetes (EKS and GKE),
deployed with Helm and Argo CD, infrastructure in Terraform, PostgreSQL and Redis for state,
Kafka for events, Prometheus, Grafana and OpenTelemetry for observability.
What you will do
- Own the reliability of critical services: SLOs, error budgets, on-call and incident response.
- Build tooling that makes the safe way the easy way for 200 engineers.
- Lead postmortems and follow through on the fixes.
- Improve our go-to-market readiness for new regions with our Google partners.
What we look for
- 5+ years running production distributed systems; good judgement under pressure.
- Strong programming skills in Go, Python or Java; C or C++ a plus.
- Deep knowledge of Linux, networking (TCP/IP, DNS, load balancing) and TLS.
`, 3)

func BenchmarkSkillsIn(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(benchDescription)))
	for b.Loop() {
		SkillsIn(benchDescription)
	}
}
