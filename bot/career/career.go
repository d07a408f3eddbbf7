// Package career holds careerbot's job commands: /jobs (search) and /jobs trends, over the
// openings the poller keeps in the store and a jobs.Catalog holds in memory. Each is declared
// once as a bot.Spec and answered with a bot.Reply; the adapters know none of them by name.
//
// Boards' terms are honoured in every reply: each opening names its board ("via RemoteOK") and
// its title links to the board's own page, and a reply that shows openings of an aggregator
// that asks for a link back (RemoteOK, Remotive) links to its home page.
package career

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/jobs"
	"github.com/careerbot/careerbot/knowledge"
)

// Catalog is what the job commands read: jobs.Catalog.
type Catalog interface {
	Ready() bool
	Doc(id string) (*jobs.Doc, bool)
	Search(q *jobs.Query, now time.Time, offset, limit int) jobs.Page
	Trends(q *jobs.Query, now time.Time, n int) ([]jobs.Trend, int)
}

// Topics names knowledge topics for "brush up" buttons: knowledge.Base.
type Topics interface {
	Topic(id string) (*knowledge.Topic, bool)
}

// Board is how a source is shown: its name ("RemoteOK") and, when its terms ask for a link
// back, its home page.
type Board struct {
	Name string
	Home string
}

// Jobs serves the job commands.
type Jobs struct {
	Catalog Catalog
	Topics  Topics
	Boards  map[string]Board // by source name; a source missing here is shown by its name
	Now     func() time.Time

	// Subs, Queue and Openings serve the subscriptions (subscribe, unsubscribe, list) and the
	// rendering of their deliveries; without Subs those commands are not offered.
	Subs     Subscriptions
	Queue    Deliveries
	Openings Openings
}

// PageSize is how many openings one /jobs reply shows.
const PageSize = 5

// trendsShown is how many skills /jobs trends lists.
const trendsShown = 10

// brushUpPerOpening is how many topics each opening offers as /explain buttons.
const brushUpPerOpening = 2

// examples are the queries /jobs suggests when it is given none.
var examples = []string{"kubernetes remote:yes", `"site reliability" level:senior`, "kafka OR pulsar posted:<7d"}

// Register routes /jobs to r.
func Register(r *bot.Router, j *Jobs) {
	if j.Now == nil {
		j.Now = time.Now
	}
	query := func(desc string) bot.Option {
		return bot.Option{Name: "query", Description: desc, MaxLength: jobs.MaxQueryBytes, Rest: true}
	}
	subs := []bot.Subcommand{
		{Name: "search", Default: true, Form: bot.Form{
			Summary:  "The newest open openings that match a query",
			Usage:    "[query]",
			Examples: []string{"jobs kafka remote:yes", `jobs "site reliability" level:senior salary:>=150k`, "jobs (go OR rust) -php company:stripe"},
			Options: []bot.Option{
				query("Words, \"phrases\", -exclusions, OR, and qualifiers like remote:yes level:senior"),
				{Name: "page", Description: "Page of the results", Type: bot.Integer, Named: true, MinValue: 1, MaxValue: 1000},
			},
			Shareable: true,
		}},
		{Name: "preview", Form: bot.Form{
			Summary:  "What a query would have found in the last 14 days, before you subscribe to it",
			Usage:    "<query>",
			Examples: []string{"jobs preview kafka remote:yes"},
			Options:  []bot.Option{{Name: "query", Description: "The query to try", Required: true, MaxLength: jobs.MaxQueryBytes, Rest: true}},
		}},
		{Name: "why", Form: bot.Form{
			Summary:  "Which part of a query an opening fails",
			Usage:    "<opening id> <query>",
			Examples: []string{"jobs why remoteok:1130783 kubernetes remote:yes"},
			Options: []bot.Option{
				{Name: "opening", Description: "The opening's id, as /jobs shows it (remoteok:1130783)", Required: true, MaxLength: 200},
				{Name: "query", Description: "The query", Required: true, MaxLength: jobs.MaxQueryBytes, Rest: true},
			},
		}},
		{Name: "trends", Form: bot.Form{
			Summary:   "The 10 skills most asked for in the last 30 days, against the 30 days before",
			Usage:     "[query]",
			Examples:  []string{"jobs trends", "jobs trends remote:yes level:senior"},
			Options:   []bot.Option{query("Only openings that match this query")},
			Shareable: true,
		}},
	}
	if j.Subs != nil {
		subs = append(subs, subscriptionForms()...)
	}
	r.Handle(bot.Spec{Name: "jobs", Form: bot.Form{
		Summary: "Find job openings in distributed systems, cloud, SRE and DevOps, and what they ask for.",
	}, Subcommands: subs}, j)
}

// Handle answers the subcommands.
func (j *Jobs) Handle(ctx context.Context, cmd bot.Command) (bot.Reply, error) {
	switch cmd.Sub {
	case "subscribe":
		return j.subscribe(ctx, cmd)
	case "unsubscribe":
		return j.unsubscribe(ctx, cmd)
	case "list":
		return j.list(ctx, cmd)
	}
	if !j.Catalog.Ready() {
		return bot.Reply{Title: "Openings are still loading",
			Text: "careerbot is loading job openings from its store. Try again in a minute."}, nil
	}
	var q *jobs.Query
	if text := strings.TrimSpace(cmd.Option("query")); text != "" {
		var err error
		if q, err = jobs.ParseQuery(text); err != nil {
			return queryError(cmd.Sub, err), nil
		}
	}
	switch cmd.Sub {
	case "trends":
		return j.trends(q), nil
	case "preview":
		return j.preview(q), nil
	case "why":
		return j.why(cmd.Option("opening"), q), nil
	}
	page := 1
	if n, ok := cmd.Int("page"); ok {
		page = int(n)
	}
	return j.search(q, page), nil
}

func queryError(sub string, err error) bot.Reply {
	qe, ok := err.(*jobs.QueryError)
	if !ok {
		return bot.Reply{Title: "That query cannot be read", Text: "careerbot could not read that query."}
	}
	return bot.Reply{
		Title: "That query cannot be read",
		Text:  fmt.Sprintf("%s (at character %d). A query that works: `/jobs %s%s`", capitalise(qe.Msg), qe.Pos+1, prefix(sub), qe.Example),
		Sections: []bot.Section{{Heading: "How queries work", Body: "Every word must appear; `\"a phrase\"` word for word; `-word` excludes; " +
			"`a OR b` either; parentheses group. Qualifiers: `company:` `location:` `remote:yes|no|hybrid` " +
			"`level:junior|mid|senior|staff|principal` `type:full-time|part-time|contract|internship` " +
			"`salary:>=150k` (`salary:>=120k eur`) `posted:<7d` `visa:yes` `skill:` `topic:` `source:`."}},
		NotFound: true,
	}
}

func prefix(sub string) string {
	switch sub {
	case "trends", "preview", "subscribe":
		return sub + " "
	case "why":
		return "why <opening id> "
	}
	return ""
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func (j *Jobs) search(q *jobs.Query, page int) bot.Reply {
	now := j.Now()
	res := j.Catalog.Search(q, now, (page-1)*PageSize, PageSize)
	r := bot.Reply{Title: "The newest openings"}
	what, one := "open engineering openings", "open engineering opening"
	if q != nil {
		r.Title = "Openings: " + q.String()
		what, one = "open openings that match `"+q.String()+"`", "open opening that matches `"+q.String()+"`"
	}
	empty := res.Total == 0 && (q == nil || j.Catalog.Search(nil, now, 0, 0).Total == 0)
	switch {
	case empty:
		r.Text = "careerbot holds no open openings yet: its sources have not been read, or yielded none."
		r.NotFound = true
		return r
	case res.Total == 0:
		r.Text = "No open opening matches `" + q.String() + "` now. Loosen the query (fewer words, `OR`), or subscribe a channel to hear of new ones."
		r.NotFound = true
		return r
	case len(res.Listings) == 0:
		r.Text = fmt.Sprintf("There are %d %s, fewer than page %d shows.", res.Total, what, page)
		r.NotFound = true
		return r
	case res.Total == 1:
		r.Text = "1 " + one + ":"
	default:
		first := (page-1)*PageSize + 1
		r.Text = fmt.Sprintf("%d %s; newest first, %d–%d:", res.Total, what, first, first+len(res.Listings)-1)
	}
	homes := map[string]bool{}
	for _, l := range res.Listings {
		r.Sections = append(r.Sections, j.section(l, now))
		if b, ok := prepare(l, "Prepare: "+bot.Shorten(l.Opening.Title, 40)); ok {
			r.Buttons = append(r.Buttons, b)
		}
		for _, b := range j.brushUp(l) {
			if !slices.ContainsFunc(r.Buttons, func(x bot.Button) bool { return x.Action == b.Action }) {
				r.Buttons = append(r.Buttons, b)
			}
		}
		for _, s := range l.Sources {
			if b, ok := j.Boards[s.Source]; ok && b.Home != "" && !homes[b.Home] {
				homes[b.Home] = true
				r.Links = append(r.Links, bot.Link{Text: "Openings via " + b.Name, URL: b.Home})
			}
		}
	}
	if shown := (page-1)*PageSize + len(res.Listings); shown < res.Total {
		args := fmt.Sprintf("search page:%d", page+1)
		if q != nil {
			args += " " + q.String()
		}
		r.Buttons = append(r.Buttons, bot.Button{Label: fmt.Sprintf("More (%d left)", res.Total-shown), Action: bot.Action{Command: "jobs", Args: args}})
	}
	if q == nil {
		r.Footer = "Try a query: " + strings.Join(quoted(examples), ", ")
		for _, e := range examples {
			r.Buttons = append(r.Buttons, bot.Button{Label: e, Action: bot.Action{Command: "jobs", Args: "search " + e}})
		}
	}
	return r
}

func quoted(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = "`/jobs " + x + "`"
	}
	return out
}

// section is one opening: its title and company linked to the board's page, where and how,
// pay, the board, its age and what it asks for.
func (j *Jobs) section(l jobs.Listing, now time.Time) bot.Section {
	o := l.Opening
	heading := o.Title
	if o.Company != "" {
		heading += " — " + o.Company
	}
	var lines []string
	var where []string
	if len(o.Locations) > 0 {
		where = append(where, strings.Join(o.Locations, "; "))
	}
	if o.Remote != jobs.RemoteUnknown {
		where = append(where, string(o.Remote))
	}
	if o.Seniority != jobs.SeniorityUnknown {
		where = append(where, string(o.Seniority))
	}
	if o.EmploymentType != jobs.TypeUnknown {
		where = append(where, string(o.EmploymentType))
	}
	if len(where) > 0 {
		lines = append(lines, strings.Join(where, " · "))
	}
	if o.Salary != nil {
		lines = append(lines, o.Salary.String())
	}
	if o.Visa == jobs.VisaYes {
		lines = append(lines, "Sponsors visas")
	}
	var via []string
	for _, s := range l.Sources {
		via = append(via, j.board(s.Source).Name)
	}
	posted := o.Posted
	if posted.IsZero() {
		posted = o.FirstSeen
	}
	meta := "via " + strings.Join(via, ", ")
	if !posted.IsZero() {
		meta += " · " + bot.Ago(posted, now)
	}
	lines = append(lines, meta+" · `"+o.ID+"`")
	if len(l.Skills) > 0 {
		lines = append(lines, "Asks for: "+strings.Join(skillNames(l.Skills, 6), ", "))
		lines = append(lines, "Prepare for this role: `/path opening:"+o.ID+"`")
	}
	return bot.Section{Heading: heading, Body: strings.Join(lines, "\n\n"), URL: o.URL}
}

func (j *Jobs) board(source string) Board {
	if b, ok := j.Boards[source]; ok {
		return b
	}
	return Board{Name: source}
}

// prepare is the opening's "Prepare for this role" button: a study plan of its skills' topics
// (/path opening:<id>). Where several openings are listed, label names the opening.
func prepare(l jobs.Listing, label string) (bot.Button, bool) {
	if len(l.Topics) == 0 {
		return bot.Button{}, false
	}
	return bot.Button{Label: label, Action: bot.Action{Command: "path", Args: "opening:" + l.Opening.ID}}, true
}

// brushUp is the opening's first topics as /explain buttons.
func (j *Jobs) brushUp(l jobs.Listing) []bot.Button {
	var out []bot.Button
	for _, id := range l.Topics {
		if len(out) == brushUpPerOpening {
			break
		}
		t, ok := j.Topics.Topic(id)
		if !ok {
			continue
		}
		out = append(out, bot.Button{Label: "Brush up: " + t.Title, Action: bot.Action{Command: "explain", Args: id}})
	}
	return out
}

// skillNameByID reads the skills list once, when a reply first names skills.
var skillNameByID = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	for _, s := range jobs.Skills() {
		m[s.ID] = s.Name
	}
	return m
})

func skillNames(ids []string, n int) []string {
	var out []string
	for _, id := range ids {
		if len(out) == n {
			out = append(out, "…")
			break
		}
		out = append(out, skillNameByID()[id])
	}
	return out
}

func (j *Jobs) trends(q *jobs.Query) bot.Reply {
	now := j.Now()
	trends, counted := j.Catalog.Trends(q, now, trendsShown)
	r := bot.Reply{Title: "Skills in demand"}
	of := "open openings"
	if q != nil {
		r.Title += ": " + q.String()
		of = "open openings that match `" + q.String() + "`"
	}
	if counted == 0 {
		r.Text = "No " + of + " were posted in the last 30 days, so there is nothing to count."
		r.NotFound = true
		return r
	}
	r.Text = fmt.Sprintf("What the %s posted in the last 30 days ask for (%d of them), against the 30 days before:", of, counted)
	var lines []string
	topics := map[string]bool{}
	for i, t := range trends {
		line := fmt.Sprintf("%d. **%s**: %d (%s)", i+1, t.Skill.Name, t.Count, change(t.Count, t.Before))
		for _, id := range t.Skill.Topics {
			if topic, ok := j.Topics.Topic(id); ok {
				line += " · `/explain " + id + "`"
				if !topics[id] && len(r.Buttons) < 5 {
					topics[id] = true
					r.Buttons = append(r.Buttons, bot.Button{Label: "Explain: " + topic.Title, Action: bot.Action{Command: "explain", Args: id}})
				}
				break
			}
		}
		lines = append(lines, line)
	}
	r.Sections = []bot.Section{{Heading: "Most asked for", Body: strings.Join(lines, "\n\n")}}
	r.Footer = "Counts are openings asking for the skill; one role on several boards counts once."
	return r
}

// change says how a count compares with the period before.
func change(now, before int) string {
	switch {
	case before == 0:
		return "new"
	case now == before:
		return "as many as before"
	case now > before:
		return fmt.Sprintf("+%d%%", (now-before)*100/before)
	}
	return fmt.Sprintf("−%d%%", (before-now)*100/before)
}

// previewWindow is how far back /jobs preview looks.
const previewWindow = 14 * 24 * time.Hour

// preview answers /jobs preview: the open openings the query matches among those posted in the
// last 14 days, with their count, so that an admin sees what a subscription would bring.
func (j *Jobs) preview(q *jobs.Query) bot.Reply {
	now := j.Now()
	res := j.Catalog.Search(q.PostedWithin(previewWindow), now, 0, PageSize)
	r := bot.Reply{Title: "Preview: " + q.String()}
	if res.Total == 0 {
		r.Text = "`" + q.String() + "` matches none of the open openings posted in the last 14 days. " +
			"A subscription to it would be quiet; loosen it (fewer words, `OR`) if that is not what you want."
		r.NotFound = true
		return r
	}
	perDay := float64(res.Total) / 14
	r.Text = fmt.Sprintf("`%s` matches %s posted in the last 14 days (about %.1f a day); the newest:",
		q.String(), bot.Plural(res.Total, "open opening"), perDay)
	for _, l := range res.Listings {
		r.Sections = append(r.Sections, j.section(l, now))
		if b, ok := prepare(l, "Prepare: "+bot.Shorten(l.Opening.Title, 40)); ok {
			r.Buttons = append(r.Buttons, b)
		}
	}
	return r
}

// why answers /jobs why: the part of the query the opening fails, or that it matches.
func (j *Jobs) why(id string, q *jobs.Query) bot.Reply {
	id = strings.TrimSpace(id)
	d, ok := j.Catalog.Doc(id)
	if !ok {
		return bot.Reply{Title: "No such opening", NotFound: true,
			Text: "careerbot holds no opening `" + id + "`. Ids look like `remoteok:1130783`: /jobs shows each opening's."}
	}
	o := d.Opening
	title := o.Title
	if o.Company != "" {
		title += " — " + o.Company
	}
	r := bot.Reply{Title: "Why: " + title}
	if reason := q.Explain(d, j.Now()); reason != "" {
		r.Text = "`" + id + "` does not match `" + q.String() + "`. It fails " + reason + "."
		return r
	}
	r.Text = "`" + id + "` matches `" + q.String() + "`."
	if !o.Open() {
		r.Text += " It is closed, though: its board no longer lists it, so /jobs does not show it."
	}
	return r
}
