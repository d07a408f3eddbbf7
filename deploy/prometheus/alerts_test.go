package prometheus

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// ruleFile is the shape of a Prometheus rule file, strictly: a field Prometheus does not know
// fails the decoding, as it fails `promtool check rules`.
type ruleFile struct {
	Groups []struct {
		Name     string `yaml:"name"`
		Interval string `yaml:"interval"`
		Rules    []rule `yaml:"rules"`
	} `yaml:"groups"`
}

type rule struct {
	Alert       string            `yaml:"alert"`
	Record      string            `yaml:"record"`
	Expr        string            `yaml:"expr"`
	For         string            `yaml:"for"`
	Labels      map[string]string `yaml:"labels"`
	Annotations map[string]string `yaml:"annotations"`
}

// metricName finds careerbot's metric names in an expression; histogram and summary series
// (_bucket, _sum, _count) are traced back to the metric they belong to.
var (
	metricName = regexp.MustCompile(`\bcareerbot_[a-z0-9_]+`)
	declared   = regexp.MustCompile(`Name:\s*"(careerbot_[a-z0-9_]+)"`)
	duration   = regexp.MustCompile(`^([0-9]+(ms|s|m|h|d|w|y))+$`)
	severities = map[string]bool{"critical": true, "warning": true, "info": true}
)

func TestAlertRules(t *testing.T) {
	raw, err := os.ReadFile("alerts.yml")
	if err != nil {
		t.Fatal(err)
	}
	var f ruleFile
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		t.Fatalf("alerts.yml is not a Prometheus rule file: %v", err)
	}
	if len(f.Groups) == 0 {
		t.Fatal("alerts.yml has no groups")
	}
	exported := exportedMetrics(t)
	seen := map[string]bool{}
	for _, g := range f.Groups {
		if g.Name == "" {
			t.Error("a group has no name")
		}
		if len(g.Rules) == 0 {
			t.Errorf("group %q has no rules", g.Name)
		}
		for i, r := range g.Rules {
			name := r.Alert
			if name == "" {
				t.Errorf("group %q rule %d: no alert name (recording rules do not belong here)", g.Name, i)
				continue
			}
			t.Run(name, func(t *testing.T) {
				if seen[name] {
					t.Errorf("alert %s is defined twice", name)
				}
				seen[name] = true
				if strings.TrimSpace(r.Expr) == "" {
					t.Error("no expr")
				}
				if !duration.MatchString(r.For) {
					t.Errorf("for: %q is not a Prometheus duration", r.For)
				}
				if !severities[r.Labels["severity"]] {
					t.Errorf("labels.severity = %q, want critical, warning or info", r.Labels["severity"])
				}
				if strings.TrimSpace(r.Annotations["summary"]) == "" {
					t.Error("no annotations.summary")
				}
				if strings.TrimSpace(r.Annotations["description"]) == "" {
					t.Error("no annotations.description")
				}
				if strings.Count(r.Expr, "(") != strings.Count(r.Expr, ")") {
					t.Errorf("unbalanced parentheses in %q", r.Expr)
				}
				for _, m := range metricName.FindAllString(r.Expr, -1) {
					if !exported[m] && !exported[trimSeriesSuffix(m)] {
						t.Errorf("expr uses %s, which bot/web does not export", m)
					}
				}
			})
		}
	}
}

// exportedMetrics reads the metric names declared in bot/web's Go source (Name: "careerbot_…"
// in the collectors' options), so the check follows the code without a hand-kept list.
func exportedMetrics(t *testing.T) map[string]bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "bot", "web", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range declared.FindAllStringSubmatch(string(src), -1) {
			names[m[1]] = true
		}
	}
	if len(names) == 0 {
		t.Fatal("no metric names found in bot/web: the test no longer reads the declarations")
	}
	return names
}

func trimSeriesSuffix(name string) string {
	for _, s := range []string{"_bucket", "_sum", "_count"} {
		if n, ok := strings.CutSuffix(name, s); ok {
			return n
		}
	}
	return name
}

// TestDuration keeps the duration pattern to Prometheus's syntax.
func TestDuration(t *testing.T) {
	for _, c := range []struct {
		in   string
		want bool
	}{{"5m", true}, {"1h30m", true}, {"0s", true}, {"90s", true}, {"", false}, {"5 m", false}, {"5", false}, {"1.5h", false}} {
		if got := duration.MatchString(c.in); got != c.want {
			t.Errorf("duration %q: got %v, want %v", c.in, got, c.want)
		}
	}
}
