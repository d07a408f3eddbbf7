package career

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/jobs"
	"github.com/careerbot/careerbot/jobs/storetest"
	"github.com/careerbot/careerbot/knowledge"
)

// store is what the subscription commands keep their data in: the embedded store.
type store interface {
	jobs.Store
	jobs.SubscriptionStore
	jobs.DeliveryQueue
}

func newSubsRouter(t *testing.T) (*bot.Router, store) {
	t.Helper()
	kb, err := knowledge.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	st := storetest.Embedded(t).(store)
	if err := st.PutOpenings(context.Background(), openings()); err != nil {
		t.Fatal(err)
	}
	c := jobs.NewCatalog()
	c.Put(now, openings()...)
	r := bot.NewRouter(slog.New(slog.DiscardHandler), nil)
	Register(r, &Jobs{Catalog: c, Topics: kb, Now: func() time.Time { return now }, Subs: st, Queue: st, Openings: st,
		Boards: map[string]Board{"remoteok": {Name: "RemoteOK", Home: "https://remoteok.com"}}})
	return r, st
}

func in(p bot.Platform, channel string, admin bool, text string) bot.Command {
	return bot.Command{Platform: p, Workspace: "W1", Channel: channel, User: "U1", UserName: "ada", IsAdmin: admin, Name: "jobs", Text: text}
}

// TestSubscribeAdminsOnly: a member who is not an admin is refused on Slack, on Discord and
// through Slack's umbrella command, and nothing is stored.
func TestSubscribeAdminsOnly(t *testing.T) {
	t.Parallel()
	r, st := newSubsRouter(t)
	ctx := context.Background()
	cmds := []bot.Command{
		in(bot.PlatformSlack, "C1", false, "subscribe kafka remote:yes"),
		in(bot.PlatformDiscord, "C1", false, ""),
		{Platform: bot.PlatformSlack, Workspace: "W1", Channel: "C1", User: "U1", Name: "careerbot", Text: "jobs subscribe kafka"},
		// The platform's answer is asked again when it is not already known.
		{Platform: bot.PlatformSlack, Workspace: "W1", Channel: "C1", User: "U1", Name: "jobs", Text: "subscribe kafka",
			AdminCheck: func(context.Context) bool { return false }},
	}
	cmds[1].Sub, cmds[1].Options = "subscribe", map[string]string{"query": "kafka remote:yes"}
	for _, cmd := range cmds {
		got := r.Dispatch(ctx, cmd).Full()
		if got.Title != "Only admins can do that" {
			t.Errorf("%s %q %q: %+v", cmd.Platform, cmd.Name, cmd.Text, got)
		}
	}
	for _, p := range []string{"slack:W1", "discord:W1"} {
		if subs, err := st.ChannelSubscriptions(ctx, p, "C1"); err != nil || len(subs) != 0 {
			t.Errorf("%s holds %v (%v)", p, subs, err)
		}
	}
}

func TestSubscribeListUnsubscribe(t *testing.T) {
	t.Parallel()
	r, st := newSubsRouter(t)
	ctx := context.Background()
	say := func(text string) bot.Reply { return r.Dispatch(ctx, in(bot.PlatformSlack, "C1", true, text)).Full() }

	got := say("subscribe kafka")
	if !strings.Contains(got.Text, "Subscription 1:") || !strings.Contains(got.Text, "The 3 newest open openings") || got.Visibility != bot.Public {
		t.Fatalf("subscribe: %+v", got)
	}
	if !strings.Contains(got.Footer, "would have matched 6 openings in the last 14 days") {
		t.Errorf("footer: %q", got.Footer)
	}
	// The backfill is queued: the 3 newest matches, as roles.
	for _, id := range []string{"himalayas:2", "remoteok:1", "himalayas:k0"} {
		o, err := st.Opening(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		d, err := st.Delivery(ctx, "slack:W1", "C1", jobs.RoleKey(&o))
		if err != nil || d.Subscription != 1 || d.State != jobs.Queued {
			t.Errorf("backfill of %s: %+v (%v)", id, d, err)
		}
	}
	if got := say("subscribe kafka"); got.Title != "Already subscribed" || !strings.Contains(got.Text, "subscription 1") {
		t.Errorf("the same query again: %+v", got)
	}
	if got := say("subscribe terraform level:senior digest"); !strings.Contains(got.Text, "once a day at 09:00 UTC") {
		t.Errorf("digest: %+v", got)
	}
	if got := say("subscribe kafka AND"); got.Title != "That query cannot be read" || !strings.Contains(got.Text, "/jobs subscribe ") {
		t.Errorf("a broken query: %+v", got)
	}

	if err := st.Disable(ctx, "slack:W1", 1, "the channel is gone", now.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	got = say("subscriptions")
	if len(got.Sections) != 2 {
		t.Fatalf("list: %+v", got)
	}
	for _, want := range []string{"`kafka`", "by ada", "0 openings posted", "**disabled** 1 hour ago: the channel is gone"} {
		if !strings.Contains(got.Sections[0].Body, want) {
			t.Errorf("the first subscription lacks %q: %s", want, got.Sections[0].Body)
		}
	}
	if !strings.Contains(got.Sections[1].Body, "a daily digest") {
		t.Errorf("the digest: %s", got.Sections[1].Body)
	}
	// Discord's name for the same list, and open to members.
	if got := r.Dispatch(ctx, in(bot.PlatformSlack, "C1", false, "list")).Full(); len(got.Sections) != 2 {
		t.Errorf("list by name, as a member: %+v", got)
	}
	// Another channel and another workspace see none of it.
	if got := r.Dispatch(ctx, in(bot.PlatformSlack, "C2", true, "subscriptions")).Full(); !got.NotFound {
		t.Errorf("another channel: %+v", got)
	}
	if got := r.Dispatch(ctx, in(bot.PlatformDiscord, "C1", true, "subscriptions")).Full(); !got.NotFound {
		t.Errorf("another workspace: %+v", got)
	}
	if got := say("unsubscribe 1"); !strings.Contains(got.Text, "Subscription 1 (`kafka`) is gone") {
		t.Errorf("unsubscribe: %+v", got)
	}
	if got := say("unsubscribe 1"); got.Title != "No such subscription" {
		t.Errorf("unsubscribe again: %+v", got)
	}
	if got := r.Dispatch(ctx, bot.Command{Platform: bot.PlatformCLI, Name: "jobs", Text: "subscriptions", IsAdmin: true}).Full(); got.Title != "Subscriptions belong to channels" {
		t.Errorf("in the terminal: %+v", got)
	}
}

// TestSubscribeFull: the 26th subscription of a channel is refused, politely.
func TestSubscribeFull(t *testing.T) {
	t.Parallel()
	r, _ := newSubsRouter(t)
	ctx := context.Background()
	for i := range jobs.MaxPerChannel {
		if got := r.Dispatch(ctx, in(bot.PlatformDiscord, "C9", true, fmt.Sprintf("subscribe word%d", i))).Full(); !strings.HasPrefix(got.Title, "Subscribed") {
			t.Fatalf("subscription %d: %+v", i+1, got)
		}
	}
	if got := r.Dispatch(ctx, in(bot.PlatformDiscord, "C9", true, "subscribe one more")).Full(); got.Title != "This channel has enough subscriptions" {
		t.Errorf("the 26th: %+v", got)
	}
}

// TestSubscribePostCheck: where the platform says careerbot may not post, nothing is stored
// and the user is told what to do.
func TestSubscribePostCheck(t *testing.T) {
	t.Parallel()
	r, st := newSubsRouter(t)
	ctx := context.Background()
	cmd := in(bot.PlatformSlack, "C1", true, "subscribe kafka")
	cmd.PostCheck = func(context.Context) string { return "Invite @careerbot to this channel first." }
	if got := r.Dispatch(ctx, cmd).Full(); got.Title != "careerbot cannot post in this channel yet" || got.Text != "Invite @careerbot to this channel first." {
		t.Errorf("%+v", got)
	}
	if subs, _ := st.ChannelSubscriptions(ctx, "slack:W1", "C1"); len(subs) != 0 {
		t.Errorf("stored %v", subs)
	}
}

// TestRender: a delivery renders as /jobs shows the opening, under the subscription's query;
// a digest lists its openings; an opening no longer held is ErrNotFound.
func TestRender(t *testing.T) {
	t.Parallel()
	r, st := newSubsRouter(t)
	ctx := context.Background()
	r.Dispatch(ctx, in(bot.PlatformSlack, "C1", true, "subscribe kubernetes"))
	kb, _ := knowledge.Builtin()
	j := &Jobs{Topics: kb, Subs: st, Openings: st, Now: func() time.Time { return now },
		Boards: map[string]Board{"remoteok": {Name: "RemoteOK", Home: "https://remoteok.com"}}}
	got, err := j.Render(ctx, jobs.Delivery{Workspace: "slack:W1", Channel: "C1", Key: "r1", Subscription: 1, Openings: []string{"remoteok:1"}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "New opening: kubernetes" || len(got.Sections) != 1 || got.Sections[0].Heading != "Senior SRE — Acme" ||
		!strings.Contains(got.Sections[0].Body, "via RemoteOK · 2 days ago") || len(got.Links) != 1 {
		t.Errorf("%+v", got)
	}
	got, err = j.Render(ctx, jobs.Delivery{Workspace: "slack:W1", Channel: "C1", Key: jobs.DigestKey(1, now), Subscription: 1,
		Openings: []string{"himalayas:k0", "gone:1", "himalayas:k1"}})
	if err != nil || !strings.HasPrefix(got.Title, "Today's openings") || len(got.Sections) != 2 {
		t.Errorf("digest: %+v (%v)", got, err)
	}
	if _, err := j.Render(ctx, jobs.Delivery{Workspace: "slack:W1", Channel: "C1", Key: "r2", Openings: []string{"gone:1"}}); err == nil {
		t.Error("an opening no longer held renders")
	}
}
