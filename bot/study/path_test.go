package study

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/knowledge"
)

// pathRouter routes /path with a fixed set of openings.
func pathRouter(t *testing.T, openings Openings) (*bot.Router, *knowledge.Base) {
	t.Helper()
	kb, err := knowledge.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	r := bot.NewRouter(slog.New(slog.DiscardHandler), nil)
	Register(r, kb, nil, slog.New(slog.DiscardHandler))
	RegisterPaths(r, kb, openings)
	return r, kb
}

func TestPathForRole(t *testing.T) {
	r, kb := pathRouter(t, nil)
	for _, role := range knowledge.Roles() {
		for _, typed := range []string{role.ID, role.Name} {
			got := dispatch(r, "path", typed)
			if got.NotFound || got.Title != "Learning path: "+role.Name {
				t.Errorf("path %q: title %q notFound %v", typed, got.Title, got.NotFound)
				continue
			}
			p, _ := kb.Path(role.ID)
			body := ""
			for _, s := range got.Sections {
				body += s.Body + "\n"
			}
			if n := strings.Count("\n"+body, "\n- **"); n != len(p.Steps) {
				t.Errorf("path %s lists %d steps, the path has %d", role.ID, n, len(p.Steps))
			}
			for _, s := range p.Steps {
				if !strings.Contains(body, ": "+s.Why+" `/explain "+s.Topic+"`") {
					t.Errorf("path %s lacks step %s with its reason", role.ID, s.Topic)
				}
			}
			if len(got.Buttons) == 0 || got.Buttons[0].Action != (bot.Action{Command: "explain", Args: p.Steps[0].Topic}) {
				t.Errorf("path %s: first button %+v, want to explain %s", role.ID, got.Buttons, p.Steps[0].Topic)
			}
		}
	}
}

func TestPathUnknownRoleListsRoles(t *testing.T) {
	r, _ := pathRouter(t, nil)
	got := dispatch(r, "path", "chef")
	if !got.NotFound || got.Title != "No learning path for ‘chef’" {
		t.Fatalf("title %q notFound %v", got.Title, got.NotFound)
	}
	if len(got.Buttons) != len(knowledge.Roles()) {
		t.Errorf("%d role buttons, want %d", len(got.Buttons), len(knowledge.Roles()))
	}
	for _, b := range got.Buttons {
		if next := dispatch(r, b.Action.Command, b.Action.Args); next.NotFound {
			t.Errorf("role button %q leads nowhere", b.Label)
		}
	}
	if all := dispatch(r, "path", ""); all.NotFound || len(all.Buttons) != len(knowledge.Roles()) {
		t.Errorf("/path alone: notFound %v with %d buttons", all.NotFound, len(all.Buttons))
	}
}

func TestPathForOpening(t *testing.T) {
	openings := func(_ context.Context, id string) (Opening, bool, error) {
		switch id {
		case "greenhouse:1":
			return Opening{Title: "Senior SRE", Company: "Acme", Topics: []OpeningTopic{
				{ID: "paxos", Skills: []string{"Distributed systems"}},
				{ID: "kubernetes", Skills: []string{"Kubernetes", "Helm"}},
				{ID: "containers", Skills: []string{"Docker"}},
			}}, true, nil
		case "lever:broken":
			return Opening{}, false, errors.New("store down")
		}
		return Opening{}, false, nil
	}
	r, _ := pathRouter(t, openings)
	for _, typed := range []string{"opening:greenhouse:1", "opening greenhouse:1"} {
		got := dispatch(r, "path", typed)
		if got.NotFound || got.Title != "Prepare for Senior SRE at Acme" {
			t.Fatalf("%s: title %q notFound %v", typed, got.Title, got.NotFound)
		}
		var headings, body []string
		for _, s := range got.Sections {
			headings = append(headings, s.Heading)
			body = append(body, s.Body)
		}
		if strings.Join(headings, "|") != "Basics|Intermediate|Advanced" {
			t.Errorf("sections %v, want basics to advanced", headings)
		}
		text := strings.Join(body, "\n")
		c, k, p := strings.Index(text, "/explain containers"), strings.Index(text, "/explain kubernetes"), strings.Index(text, "/explain paxos")
		if c < 0 || c > k || k > p {
			t.Errorf("order is not containers, kubernetes, paxos:\n%s", text)
		}
		if !strings.Contains(text, "Asked for: Kubernetes, Helm") {
			t.Errorf("the plan does not say which skills led to a topic:\n%s", text)
		}
	}
	if got := dispatch(r, "path", "opening:nope:2"); !got.NotFound || !strings.HasPrefix(got.Title, "No opening") {
		t.Errorf("unknown opening: %q notFound %v", got.Title, got.NotFound)
	}
	if got := dispatch(r, "path", "opening:lever:broken"); got.Title != "Something went wrong" {
		t.Errorf("a failing store: %q, want the router's failure reply", got.Title)
	}
	noJobs, _ := pathRouter(t, nil)
	if got := dispatch(noJobs, "path", "opening:greenhouse:1"); !got.NotFound {
		t.Errorf("without openings: %q notFound %v", got.Title, got.NotFound)
	}
}
