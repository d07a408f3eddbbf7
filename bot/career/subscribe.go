package career

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/internal/workspace"
	"github.com/careerbot/careerbot/jobs"
)

// Subscriptions is where the channels' subscriptions are kept: jobs.SubscriptionStore.
type Subscriptions interface {
	Subscribe(ctx context.Context, s jobs.Subscription) (jobs.Subscription, error)
	Unsubscribe(ctx context.Context, workspace string, id int64) (jobs.Subscription, error)
	Subscription(ctx context.Context, workspace string, id int64) (jobs.Subscription, error)
	ChannelSubscriptions(ctx context.Context, workspace, channel string) ([]jobs.Subscription, error)
}

// Deliveries is the part of the delivery queue the commands use: jobs.DeliveryQueue.
type Deliveries interface {
	Enqueue(ctx context.Context, ds []jobs.Delivery) (int, error)
	DeadLetters(ctx context.Context, workspace, channel string, limit int) ([]jobs.Delivery, error)
}

// Openings reads openings from the store (the truth, which a replica's catalogue may trail by
// a few seconds): jobs.Store.
type Openings interface {
	Opening(ctx context.Context, id string) (jobs.Opening, error)
}

// backfill is how many of the newest matching openings a new subscription is given at once.
const backfill = 3

// deadShown is how many dead letters /jobs subscriptions lists.
const deadShown = 5

func subscriptionForms() []bot.Subcommand {
	return []bot.Subcommand{
		{Name: "subscribe", Form: bot.Form{
			Summary:  "Post every new opening that matches a query in this channel (admins)",
			Usage:    "<query> [digest]",
			Examples: []string{"jobs subscribe kubernetes remote:yes", "jobs subscribe kafka level:senior digest"},
			Access:   bot.AdminOnly,
			Options: []bot.Option{
				{Name: "query", Description: "The openings to post: words, -exclusions, OR, qualifiers like remote:yes", Required: true, MaxLength: jobs.MaxQueryBytes, Rest: true},
				{Name: "digest", Description: "One message a day listing the day's matches, instead of one per opening", Type: bot.Boolean, Named: true},
			},
		}},
		{Name: "unsubscribe", Form: bot.Form{
			Summary:  "Stop a subscription of this workspace (admins)",
			Usage:    "<id>",
			Examples: []string{"jobs unsubscribe 3"},
			Access:   bot.AdminOnly,
			Options:  []bot.Option{{Name: "id", Description: "The subscription's id, as /jobs subscriptions shows it", Type: bot.Integer, Required: true, MinValue: 1, MaxValue: 1 << 40}},
		}},
		{Name: "list", Aliases: []string{"subscriptions"}, Form: bot.Form{
			Summary:  "This channel's subscriptions, their state, and what could not be posted",
			Examples: []string{"jobs subscriptions"},
		}},
	}
}

// workspaceOf names the command's workspace in the stores, or says why subscriptions do not
// apply here.
func workspaceOf(cmd bot.Command) (string, *bot.Reply) {
	if cmd.Workspace == "" || cmd.Channel == "" {
		return "", &bot.Reply{Title: "Subscriptions belong to channels", NotFound: true,
			Text: "Subscribe a Slack or Discord channel from inside it: `/jobs subscribe kafka remote:yes`."}
	}
	ws, err := workspace.Key(string(cmd.Platform), cmd.Workspace)
	if err != nil {
		return "", &bot.Reply{Title: "Subscriptions belong to channels", NotFound: true, Text: "careerbot cannot tell which workspace this is."}
	}
	return ws, nil
}

func (j *Jobs) subscribe(ctx context.Context, cmd bot.Command) (bot.Reply, error) {
	ws, no := workspaceOf(cmd)
	if no != nil {
		return *no, nil
	}
	text := strings.TrimSpace(cmd.Option("query"))
	digest := cmd.Option("digest") == "true"
	if rest, ok := strings.CutSuffix(text, " digest"); ok { // "/jobs subscribe kafka digest"
		text, digest = strings.TrimSpace(rest), true
	}
	q, err := jobs.ParseQuery(text)
	if err != nil {
		return queryError("subscribe", err), nil
	}
	if cmd.PostCheck != nil {
		if problem := cmd.PostCheck(ctx); problem != "" {
			return bot.Reply{Title: "careerbot cannot post in this channel yet", Text: problem, NotFound: true}, nil
		}
	}
	now := j.Now().UTC()
	s, err := j.Subs.Subscribe(ctx, jobs.Subscription{Workspace: ws, Channel: cmd.Channel, Query: q.String(),
		Creator: cmd.User, CreatorName: cmd.UserName, Created: now, Digest: digest})
	switch {
	case errors.Is(err, jobs.ErrDuplicateQuery):
		return bot.Reply{Title: "Already subscribed", NotFound: true,
			Text: fmt.Sprintf("This channel already follows `%s` (subscription %d): nothing changed.", q.String(), s.ID)}, nil
	case errors.Is(err, jobs.ErrChannelFull):
		return bot.Reply{Title: "This channel has enough subscriptions", NotFound: true,
			Text: fmt.Sprintf("A channel may have %d subscriptions and this one has them all. `/jobs subscriptions` lists them; `/jobs unsubscribe <id>` makes room.", jobs.MaxPerChannel)}, nil
	case err != nil:
		return bot.Reply{}, fmt.Errorf("subscribe %s to %q: %w", cmd.Channel, q.String(), err)
	}
	r := bot.Reply{Title: "Subscribed: " + q.String(), Visibility: bot.Public}
	if digest {
		r.Text = fmt.Sprintf("Subscription %d: once a day at %02d:00 UTC careerbot posts here the day's new openings that match `%s` (nothing on a day without any).",
			s.ID, jobs.DigestHour, q.String())
	} else {
		r.Text = fmt.Sprintf("Subscription %d: careerbot posts here every new opening that matches `%s`, once each.", s.ID, q.String())
		switch n := j.backfill(ctx, s, q, now); n {
		case 0:
		case 1:
			r.Text += " The one open opening it matches now is on its way."
		default:
			r.Text += fmt.Sprintf(" The %d newest open openings it matches are on their way.", n)
		}
	}
	res := j.Catalog.Search(q.PostedWithin(previewWindow), now, 0, 0)
	r.Footer = fmt.Sprintf("It would have matched %s in the last 14 days. `/jobs unsubscribe %d` stops it.", bot.Plural(res.Total, "opening"), s.ID)
	return r, nil
}

// backfill enqueues the newest open openings the query matches, at most three, and says how
// many.
func (j *Jobs) backfill(ctx context.Context, s jobs.Subscription, q *jobs.Query, now time.Time) int {
	if j.Queue == nil || !j.Catalog.Ready() {
		return 0
	}
	res := j.Catalog.Search(q, now, 0, backfill)
	var ds []jobs.Delivery
	for _, l := range res.Listings {
		o := l.Opening
		ds = append(ds, jobs.Delivery{Workspace: s.Workspace, Channel: s.Channel, Key: jobs.RoleKey(&o),
			Subscription: s.ID, Openings: []string{o.ID}, Enqueued: now})
	}
	if len(ds) == 0 {
		return 0
	}
	if _, err := j.Queue.Enqueue(ctx, ds); err != nil {
		return 0 // the subscription stands; new openings will come
	}
	return len(ds)
}

func (j *Jobs) unsubscribe(ctx context.Context, cmd bot.Command) (bot.Reply, error) {
	ws, no := workspaceOf(cmd)
	if no != nil {
		return *no, nil
	}
	id, _ := cmd.Int("id")
	s, err := j.Subs.Unsubscribe(ctx, ws, id)
	if errors.Is(err, jobs.ErrNoSubscription) {
		return bot.Reply{Title: "No such subscription", NotFound: true,
			Text: fmt.Sprintf("This workspace has no subscription %d. `/jobs subscriptions` lists this channel's.", id)}, nil
	}
	if err != nil {
		return bot.Reply{}, fmt.Errorf("unsubscribe %d: %w", id, err)
	}
	r := bot.Reply{Title: "Unsubscribed", Visibility: bot.Public,
		Text: fmt.Sprintf("Subscription %d (`%s`) is gone: careerbot posts no more of its openings.", s.ID, s.Query)}
	if s.Channel != cmd.Channel {
		r.Text = fmt.Sprintf("Subscription %d (`%s`, in another channel) is gone.", s.ID, s.Query)
	}
	return r, nil
}

func (j *Jobs) list(ctx context.Context, cmd bot.Command) (bot.Reply, error) {
	ws, no := workspaceOf(cmd)
	if no != nil {
		return *no, nil
	}
	subs, err := j.Subs.ChannelSubscriptions(ctx, ws, cmd.Channel)
	if err != nil {
		return bot.Reply{}, fmt.Errorf("list the subscriptions of %s: %w", cmd.Channel, err)
	}
	now := j.Now()
	r := bot.Reply{Title: "This channel's subscriptions"}
	if len(subs) == 0 {
		r.Text = "This channel has no subscription. An admin subscribes it with `/jobs subscribe <query>`; `/jobs preview <query>` shows first what it would bring."
		r.NotFound = true
	} else {
		r.Text = fmt.Sprintf("%s of at most %d:", bot.Plural(len(subs), "subscription"), jobs.MaxPerChannel)
	}
	for _, s := range subs {
		by := s.CreatorName
		if by == "" {
			by = s.Creator
		}
		state := "active"
		if s.Digest {
			state = fmt.Sprintf("active, a daily digest at %02d:00 UTC", jobs.DigestHour)
		}
		if !s.Active() {
			state = "**disabled** " + bot.Ago(s.Disabled, now) + ": " + s.DisabledReason
		}
		body := fmt.Sprintf("`%s`\n\nby %s · %s · %s posted · %s", s.Query, by, bot.Ago(s.Created, now), bot.Plural(int(s.Posts), "opening"), state)
		r.Sections = append(r.Sections, bot.Section{Heading: fmt.Sprintf("Subscription %d", s.ID), Body: body})
	}
	if j.Queue != nil {
		dead, err := j.Queue.DeadLetters(ctx, ws, cmd.Channel, deadShown)
		if err != nil {
			return bot.Reply{}, fmt.Errorf("list the dead letters of %s: %w", cmd.Channel, err)
		}
		if len(dead) > 0 {
			var lines []string
			for _, d := range dead {
				what := d.Key
				if len(d.Openings) == 1 {
					what = "`" + d.Openings[0] + "`"
				}
				lines = append(lines, fmt.Sprintf("%s · %s: %s", what, bot.Ago(d.Done, now), d.LastError))
			}
			r.Sections = append(r.Sections, bot.Section{Heading: "Not posted", Body: strings.Join(lines, "\n\n")})
			r.NotFound = false
		}
	}
	return r, nil
}

// Render makes the message of a delivery: one opening as /jobs shows it, or a digest; it
// implements deliver.Renderer. Text from the posting is the reply's own text, which every
// renderer escapes, so no posting can mention anyone.
func (j *Jobs) Render(ctx context.Context, d jobs.Delivery) (bot.Reply, error) {
	now := time.Now()
	if j.Now != nil {
		now = j.Now()
	}
	var query string
	if s, err := j.Subs.Subscription(ctx, d.Workspace, d.Subscription); err == nil {
		query = s.Query
	}
	ids := d.Openings
	if len(ids) == 0 {
		return bot.Reply{}, fmt.Errorf("render %s: %w", d.Key, jobs.ErrNotFound)
	}
	var listings []jobs.Listing
	for _, id := range ids {
		o, err := j.Openings.Opening(ctx, id)
		if errors.Is(err, jobs.ErrNotFound) {
			continue
		}
		if err != nil {
			return bot.Reply{}, fmt.Errorf("render %s: %w", d.Key, err)
		}
		doc := jobs.Index(&o)
		l := jobs.Listing{Opening: o, Sources: []jobs.Link{{Source: o.Source, URL: o.URL}}, Skills: doc.Skills()}
		l.Topics = jobs.TopicsFor(l.Skills)
		listings = append(listings, l)
	}
	if len(listings) == 0 {
		return bot.Reply{}, fmt.Errorf("render %s: %w", d.Key, jobs.ErrNotFound)
	}
	r := bot.Reply{Title: "New opening", Visibility: bot.Public}
	if len(ids) > 1 || strings.HasPrefix(d.Key, "digest-") {
		r.Title = "Today's openings"
	}
	if query != "" {
		r.Title += ": " + query
	}
	homes := map[string]bool{}
	for i, l := range listings {
		if i == digestShown {
			r.Footer = fmt.Sprintf("And %d more: `/jobs %s`", len(listings)-i, query)
			break
		}
		r.Sections = append(r.Sections, j.section(l, now))
		label := "Prepare: " + bot.Shorten(l.Opening.Title, 40)
		if len(listings) == 1 {
			label = "Prepare for this role"
		}
		if b, ok := prepare(l, label); ok {
			r.Buttons = append(r.Buttons, b)
		}
		if len(listings) == 1 && j.Topics != nil {
			r.Buttons = append(r.Buttons, j.brushUp(l)...)
		}
		if b, ok := j.Boards[l.Opening.Source]; ok && b.Home != "" && !homes[b.Home] {
			homes[b.Home] = true
			r.Links = append(r.Links, bot.Link{Text: "Openings via " + b.Name, URL: b.Home})
		}
	}
	return r, nil
}

// digestShown is how many openings a digest lists.
const digestShown = 10
