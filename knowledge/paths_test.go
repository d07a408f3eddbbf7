package knowledge

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestBuiltinPaths: every role has a path whose every step is a topic of the base, once, in
// order of level; Builtin would not load otherwise, and this says so directly.
func TestBuiltinPaths(t *testing.T) {
	kb := builtin(t)
	for _, r := range Roles() {
		p, ok := kb.Path(r.ID)
		if !ok {
			t.Errorf("role %s has no path", r.ID)
			continue
		}
		level := 0
		for i, s := range p.Steps {
			tp, ok := kb.Topic(s.Topic)
			if !ok {
				t.Errorf("%s step %d: no topic %q", r.ID, i+1, s.Topic)
				continue
			}
			l := levelRank(tp.Level)
			if l < level {
				t.Errorf("%s step %d: %s (%s) after a harder topic", r.ID, i+1, tp.ID, tp.Level)
			}
			level = max(level, l)
		}
	}
}

func levelRank(l string) int {
	for i, x := range levels {
		if x == l {
			return i
		}
	}
	return -1
}

func TestRoleID(t *testing.T) {
	for in, want := range map[string]string{
		"sre": "sre", "SRE": "sre", "site reliability engineer": "sre", "DevOps": "devops-engineer",
		"platform engineer": "platform-engineer", "Backend": "backend-engineer",
		"cloud-architect": "cloud-architect", "systems engineers": "systems-engineer",
	} {
		if got, ok := RoleID(in); !ok || got != want {
			t.Errorf("RoleID(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if _, ok := RoleID("chef"); ok {
		t.Error("RoleID(chef) found a role")
	}
}

func TestStudyPlanOrdersByLevel(t *testing.T) {
	kb := builtin(t)
	plan := kb.StudyPlan([]string{"paxos", "nope", "kubernetes", "containers", "paxos"})
	var got []string
	for _, tp := range plan {
		got = append(got, tp.ID)
	}
	if strings.Join(got, " ") != "containers kubernetes paxos" {
		t.Errorf("plan %v, want containers kubernetes paxos (beginner, intermediate, advanced; unknown and repeated ids left out)", got)
	}
}

func TestPathProblems(t *testing.T) {
	kb := builtin(t)
	step := func(topic string) string { return "  - topic: " + topic + "\n    why: it matters\n" }
	good := "role: sre\nintro: x\nsteps:\n" + strings.Repeat(step("availability"), 0)
	for _, id := range []string{"availability", "observability", "scaling", "cdn", "caching", "retries", "slo", "raft"} {
		good += step(id)
	}
	tests := []struct {
		name, file, text, want string
	}{
		{"unknown topic", "sre.yaml", strings.Replace(good, "topic: raft", "topic: rafting", 1), `topic "rafting" does not exist`},
		{"repeated topic", "sre.yaml", strings.Replace(good, "topic: raft", "topic: slo", 1), `"slo" is already on the path`},
		{"harder before easier", "sre.yaml", strings.Replace(good, "topic: availability", "topic: paxos", 1), "order the path from basics to advanced"},
		{"too short", "sre.yaml", "role: sre\nintro: x\nsteps:\n" + step("slo"), "a path needs at least 8"},
		{"unknown role", "chef.yaml", strings.Replace(good, "role: sre", "role: chef", 1), `role "chef" is not one of`},
		{"wrong file", "x.yaml", good, "file name must be sre.yaml"},
		{"no why", "sre.yaml", strings.Replace(good, "    why: it matters\n", "", 1), "why is missing"},
		{"bad yaml", "sre.yaml", "role: [", "yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			problems, err := kb.withPaths(fstest.MapFS{tt.file: {Data: []byte(tt.text)}})
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, p := range problems {
				found = found || strings.Contains(p.Reason, tt.want)
			}
			if !found {
				t.Errorf("problems %v lack %q", problems, tt.want)
			}
		})
	}
}
