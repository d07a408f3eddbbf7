package main

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/careerbot/careerbot/bot/career"
	"github.com/careerbot/careerbot/jobs"
	"github.com/careerbot/careerbot/knowledge"
)

// closedOpenings serves openings that have left the catalogue, as the jobs store keeps them.
type closedOpenings map[string]jobs.Opening

func (c closedOpenings) Opening(_ context.Context, id string) (jobs.Opening, error) {
	if o, ok := c[id]; ok {
		return o, nil
	}
	return jobs.Opening{}, jobs.ErrNotFound
}

func TestOpeningsForPaths(t *testing.T) {
	kb, err := knowledge.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	open := jobs.Opening{ID: "greenhouse:1", Title: "Senior SRE", Company: "Acme", Posted: now,
		Description: "You will run Kubernetes clusters, write Terraform and operate Kafka.", FirstSeen: now, LastSeen: now}
	closed := jobs.Opening{ID: "lever:9", Title: "Platform engineer", Company: "Globex",
		Description: "Docker and Prometheus every day."}
	cat := jobs.NewCatalog()
	cat.Put(now, open)
	find := openingsFor(&career.Jobs{Catalog: cat, Topics: kb, Openings: closedOpenings{"lever:9": closed}})

	got, ok, err := find(context.Background(), "greenhouse:1")
	if err != nil || !ok || got.Title != "Senior SRE" || got.Company != "Acme" {
		t.Fatalf("open opening: %+v %v %v", got, ok, err)
	}
	var skills []string
	for _, tp := range got.Topics {
		if _, ok := kb.Topic(tp.ID); !ok {
			t.Errorf("topic %q of the opening is not in the knowledge base", tp.ID)
		}
		skills = append(skills, tp.Skills...)
	}
	for _, want := range []string{"Kubernetes", "Terraform", "Kafka"} {
		if !slices.Contains(skills, want) {
			t.Errorf("skills %v lack %s", skills, want)
		}
	}
	if got, ok, err := find(context.Background(), "lever:9"); err != nil || !ok || got.Title != "Platform engineer" || len(got.Topics) == 0 {
		t.Errorf("closed opening from the store: %+v %v %v", got, ok, err)
	}
	if _, ok, err := find(context.Background(), "nope:1"); ok || err != nil {
		t.Errorf("unknown opening: ok %v err %v", ok, err)
	}
	broken := openingsFor(&career.Jobs{Catalog: jobs.NewCatalog(), Openings: failing{}})
	if _, _, err := broken(context.Background(), "x:1"); err == nil {
		t.Error("a failing store reported no error")
	}
}

type failing struct{}

func (failing) Opening(context.Context, string) (jobs.Opening, error) {
	return jobs.Opening{}, errors.New("store down")
}
