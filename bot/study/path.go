package study

import (
	"context"
	"fmt"
	"strings"

	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/knowledge"
)

// Opening is what /path opening:<id> needs of a job opening: what to call it and the topics of
// the skills it asks for, each with the skills that lead to it.
type Opening struct {
	Title   string
	Company string
	Topics  []OpeningTopic
}

// OpeningTopic is one topic an opening's skills lead to.
type OpeningTopic struct {
	ID     string
	Skills []string // display names: "Kubernetes", "Terraform"
}

// Openings finds an opening by id for /path opening:<id>: false when there is no such opening.
type Openings func(ctx context.Context, id string) (Opening, bool, error)

// pathHandler answers /path: a role's learning path, or a study plan for one opening.
type pathHandler struct {
	kb       *knowledge.Base
	openings Openings // nil: no job openings, /path opening: says so
}

// RegisterPaths routes /path to r. openings finds job openings for /path opening:<id>; nil
// when careerbot has none.
func RegisterPaths(r *bot.Router, kb *knowledge.Base, openings Openings) {
	r.Completer("roles", func(input string, n int) []bot.Choice {
		var out []bot.Choice
		in := strings.ToLower(strings.TrimSpace(input))
		for _, role := range knowledge.Roles() {
			if len(out) < n && (in == "" || strings.Contains(strings.ToLower(role.Name), in) || strings.Contains(role.ID, in)) {
				out = append(out, bot.Choice{Name: role.Name, Value: role.ID})
			}
		}
		return out
	})
	r.Handle(bot.Spec{Name: "path", Form: bot.Form{
		Summary:  "A learning path for a role, or a study plan for a job opening, from basics to advanced.",
		Usage:    "[role] | opening:<id>",
		Examples: []string{"path sre", "path platform engineer", "path opening:greenhouse:4012345"},
		Options: []bot.Option{
			{Name: "role", Description: "The role: cloud architect, systems engineer, DevOps, SRE, platform, backend",
				Complete: "roles", MaxLength: 60, Rest: true},
			{Name: "opening", Description: "A job opening's id, as /jobs shows it: a study plan for its skills",
				Named: true, MaxLength: 200},
		},
		Shareable: true,
	}}, &pathHandler{kb: kb, openings: openings})
}

func (h *pathHandler) Handle(ctx context.Context, cmd bot.Command) (bot.Reply, error) {
	if id := cmd.Option("opening"); id != "" {
		return h.forOpening(ctx, id)
	}
	input := cmd.Option("role")
	// "/path opening <id>" typed with a space instead of a colon.
	if rest, ok := strings.CutPrefix(strings.ToLower(input), "opening "); ok {
		return h.forOpening(ctx, strings.TrimSpace(input[len(input)-len(rest):]))
	}
	if input == "" {
		return h.roles("Learning paths", "Pick a role: each path orders its topics from basics to advanced, with why each one matters for the role. `/path opening:<id>` makes a study plan for a job opening.", false), nil
	}
	role, ok := knowledge.RoleID(input)
	if !ok {
		return h.roles("No learning path for "+bot.QuoteSingle(input, 40),
			"careerbot has paths for these roles; `/path opening:<id>` makes one for a job opening.", true), nil
	}
	p, ok := h.kb.Path(role)
	if !ok {
		return h.roles("No learning path for "+knowledge.RoleName(role)+" yet", "careerbot has paths for these roles.", true), nil
	}
	r := bot.Reply{
		Title:  "Learning path: " + knowledge.RoleName(role),
		Text:   fmt.Sprintf("%s %d topics, basics first.", p.Intro, len(p.Steps)),
		Footer: "/path " + role,
	}
	var steps []planStep
	for _, s := range p.Steps {
		if t, ok := h.kb.Topic(s.Topic); ok {
			steps = append(steps, planStep{topic: t, why: s.Why})
		}
	}
	r.Sections = planSections(steps)
	r.Buttons = planButtons(steps)
	return r, nil
}

// forOpening is the study plan for one opening: the topics of its skills, basics first.
func (h *pathHandler) forOpening(ctx context.Context, id string) (bot.Reply, error) {
	if h.openings == nil {
		return bot.Reply{Title: "No job openings here", NotFound: true,
			Text: "This careerbot does not follow job boards, so it has no opening to plan for. `/path <role>` shows a role's path."}, nil
	}
	o, ok, err := h.openings(ctx, id)
	if err != nil {
		return bot.Reply{}, fmt.Errorf("opening %s: %w", id, err)
	}
	if !ok {
		return bot.Reply{Title: "No opening " + bot.QuoteSingle(id, 60), NotFound: true,
			Text: "careerbot does not know that opening, or it has closed. `/jobs` lists open ones with their ids."}, nil
	}
	name := o.Title
	if o.Company != "" {
		name += " at " + o.Company
	}
	skillsOf := make(map[string][]string, len(o.Topics))
	ids := make([]string, 0, len(o.Topics))
	for _, t := range o.Topics {
		skillsOf[t.ID] = t.Skills
		ids = append(ids, t.ID)
	}
	plan := h.kb.StudyPlan(ids)
	r := bot.Reply{Title: "Prepare for " + bot.Shorten(name, 120), Footer: "/path opening:" + id}
	if len(plan) == 0 {
		r.Text = "The opening names no skill careerbot has topics for. `/path <role>` shows a role's path."
		r.NotFound = true
		return r, nil
	}
	r.Text = fmt.Sprintf("%d topics behind the skills this opening asks for, basics first.", len(plan))
	steps := make([]planStep, len(plan))
	for i, t := range plan {
		steps[i] = planStep{topic: t, why: "Asked for: " + strings.Join(skillsOf[t.ID], ", ")}
	}
	r.Sections = planSections(steps)
	r.Buttons = planButtons(steps)
	return r, nil
}

// planStep is one topic of a path or plan with why it is on it.
type planStep struct {
	topic *knowledge.Topic
	why   string
}

// levelHeadings name a plan's sections by the level of their topics.
var levelHeadings = map[string]string{"beginner": "Basics", "intermediate": "Intermediate", "advanced": "Advanced"}

// planSections lists the steps, numbered, one section per level in the order they come.
func planSections(steps []planStep) []bot.Section {
	var out []bot.Section
	var lines []string
	level := ""
	flush := func() {
		if len(lines) > 0 {
			out = append(out, bot.Section{Heading: levelHeadings[level], Body: strings.Join(lines, "\n")})
			lines = nil
		}
	}
	for i, s := range steps {
		if s.topic.Level != level {
			flush()
			level = s.topic.Level
		}
		lines = append(lines, fmt.Sprintf("- **%d. %s**: %s `/explain %s`", i+1, s.topic.Title, s.why, s.topic.ID))
	}
	flush()
	return out
}

// planButtonsShown is how many of a plan's first topics get an /explain button.
const planButtonsShown = 3

// planButtons start the plan: its first topics, and a quiz on the first.
func planButtons(steps []planStep) []bot.Button {
	var out []bot.Button
	for i, s := range steps {
		if i == planButtonsShown {
			break
		}
		label := s.topic.Title
		if i == 0 {
			label = "Start: " + label
		}
		out = append(out, bot.Button{Label: label, Action: bot.Action{Command: "explain", Args: s.topic.ID}})
	}
	if len(steps) > 0 && len(steps[0].topic.Quiz) > 0 {
		out = append(out, bot.Button{Label: "Quiz me: " + steps[0].topic.Title, Action: bot.Action{Command: "quiz", Args: steps[0].topic.ID}})
	}
	return out
}

// roles lists every role's path as a button.
func (h *pathHandler) roles(title, text string, notFound bool) bot.Reply {
	r := bot.Reply{Title: title, Text: text, NotFound: notFound}
	var lines []string
	for _, role := range knowledge.Roles() {
		p, ok := h.kb.Path(role.ID)
		if !ok {
			continue
		}
		lines = append(lines, fmt.Sprintf("- **%s** `/path %s`: %d topics", role.Name, role.ID, len(p.Steps)))
		r.Buttons = append(r.Buttons, bot.Button{Label: role.Name, Action: bot.Action{Command: "path", Args: role.ID}})
	}
	r.Sections = []bot.Section{{Heading: "Roles", Body: strings.Join(lines, "\n")}}
	return r
}
