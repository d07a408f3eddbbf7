package deliver_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/bot/career"
	"github.com/careerbot/careerbot/bot/deliver"
	"github.com/careerbot/careerbot/bot/discord"
	"github.com/careerbot/careerbot/bot/discord/discordfake"
	"github.com/careerbot/careerbot/bot/slack"
	"github.com/careerbot/careerbot/bot/slack/slackfake"
	"github.com/careerbot/careerbot/internal/kv"
	"github.com/careerbot/careerbot/jobs"
	"github.com/careerbot/careerbot/jobs/redisstore"
	"github.com/redis/go-redis/v9"
)

// store is everything delivery touches in Redis.
type store interface {
	jobs.Store
	jobs.SubscriptionStore
	jobs.DeliveryQueue
}

// world is careerbot's outbound path with real parts: a Redis store, the Slack and Discord
// adapters, and fakes of both platforms' APIs on loopback that count every message.
type world struct {
	t       testing.TB
	rdb     redis.UniversalClient
	st      store
	slack   *slackfake.Server
	discord *discordfake.Server
	posters map[bot.Platform]deliver.Poster
	render  *career.Jobs
	rates   deliver.Rates
	pacer   deliver.Pacer

	subs []jobs.Subscription
	// expected are the (channel, nonce) messages owed, by platform.
	expected map[string]bool
}

// testRates are fast paces, so that the fan-out tests take seconds; TestPacing uses the
// platforms' real shape at a smaller scale.
func testRates() deliver.Rates {
	r := deliver.Rates{Channel: map[bot.Platform]deliver.Rate{}, Workspace: map[bot.Platform]deliver.Rate{}}
	for _, p := range []bot.Platform{bot.PlatformSlack, bot.PlatformDiscord} {
		r.Channel[p] = deliver.Rate{Every: time.Millisecond, Burst: 5}
		r.Workspace[p] = deliver.Rate{Every: 100 * time.Microsecond, Burst: 50}
	}
	return r
}

func quiet() *slog.Logger {
	if os.Getenv("CAREERBOT_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.DiscardHandler)
}

func newWorld(t testing.TB, rdb redis.UniversalClient) *world {
	t.Helper()
	sf, df := slackfake.New(t), discordfake.New(t)
	w, err := assemble(rdb, sf.URL(), df.URL())
	if err != nil {
		t.Fatal(err)
	}
	w.t, w.slack, w.discord = t, sf, df
	df.Bucket(1000, time.Second) // the fan-out tests are not about Discord's pace; TestPacing is
	return w
}

// assemble builds the outbound path on rdb towards the platforms at slackURL and discordURL:
// for a test, and for the child process of TestKilledMidFanOut.
func assemble(rdb redis.UniversalClient, slackURL, discordURL string) (*world, error) {
	w := &world{rdb: rdb, st: redisstore.New(rdb), rates: testRates(), expected: map[string]bool{}}
	w.pacer = redisstore.NewPacer(rdb)
	router := bot.NewRouter(quiet(), nil)
	sl, err := slack.New(slack.Config{BotToken: "xoxb-test", SigningSecret: "s", APIURL: slackURL}, router, kv.NewRedis(rdb), quiet(), nil)
	if err != nil {
		return nil, err
	}
	dc, err := discord.New(discord.Config{BotToken: "bot-token", ApplicationID: "APP1", APIURL: discordURL}, router, quiet(), nil)
	if err != nil {
		return nil, err
	}
	w.posters = map[bot.Platform]deliver.Poster{bot.PlatformSlack: sl, bot.PlatformDiscord: dc}
	w.render = &career.Jobs{Subs: w.st, Openings: w.st, Boards: map[string]career.Board{"remoteok": {Name: "RemoteOK", Home: "https://remoteok.com"}}}
	return w, nil
}

// deliverer is one replica's delivery loop.
func (w *world) deliverer(name string, posters map[bot.Platform]deliver.Poster) *deliver.Deliverer {
	if posters == nil {
		posters = w.posters
	}
	return &deliver.Deliverer{Queue: w.st, Subs: w.st, Render: w.render, Posters: posters, Pacer: w.pacer, Rates: w.rates,
		Consumer: name, Log: quiet().With("consumer", name), Lanes: 64, Lease: 2 * time.Second, Reclaim: 3 * time.Second, Backoff: 50 * time.Millisecond}
}

// vocabulary of the generated openings and queries.
var (
	skills    = []string{"kafka", "kubernetes", "terraform", "postgres", "rust", "golang", "aws", "gcp", "redis", "cassandra", "spark", "flink"}
	titles    = []string{"Site Reliability Engineer", "Platform Engineer", "Backend Engineer", "Data Engineer", "Staff Engineer", "DevOps Engineer", "Sales Engineer"}
	companies = []string{"Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Tyrell", "Cyberdyne", "Soylent"}
)

// subscribe makes subs subscriptions over channels channels, half on Slack (two workspaces),
// half on Discord (two guilds), all created before the openings are first seen.
func (w *world) subscribe(channels, subs int, created time.Time) {
	w.t.Helper()
	queries := []string{"kafka kubernetes", "kubernetes remote:yes -sales", "terraform postgres", "rust -sales level:senior", "aws level:senior",
		"redis level:senior", "spark flink remote:yes", "golang kubernetes", "cassandra -staff", "gcp remote:yes"}
	ctx := context.Background()
	for i := range subs {
		c := i % channels
		ws := fmt.Sprintf("slack:T%d", c%2+1)
		ch := fmt.Sprintf("C%03d", c)
		if c%2 == 1 {
			ws, ch = fmt.Sprintf("discord:%d", 1000+c%4), fmt.Sprintf("%d", 900000+c)
		}
		s, err := w.st.Subscribe(ctx, jobs.Subscription{Workspace: ws, Channel: ch, Query: queries[(i/channels+c)%len(queries)],
			Creator: "U1", Created: created})
		if err != nil {
			w.t.Fatal(err)
		}
		w.subs = append(w.subs, s)
	}
}

// subscribeEvery subscribes channels channels (alternately Slack and Discord) to every
// opening the generator makes: for the pacing tests, which want many messages per channel.
func (w *world) subscribeEvery(channels int, created time.Time) {
	w.t.Helper()
	for c := range channels {
		ws, ch := "slack:T1", fmt.Sprintf("C%03d", c)
		if c%2 == 1 {
			ws, ch = "discord:1000", fmt.Sprintf("%d", 900000+c)
		}
		s, err := w.st.Subscribe(context.Background(), jobs.Subscription{Workspace: ws, Channel: ch, Query: "engineer", Creator: "U1", Created: created})
		if err != nil {
			w.t.Fatal(err)
		}
		w.subs = append(w.subs, s)
	}
}

// openings writes n openings first seen at seen, and records the messages they owe.
func (w *world) openings(from, n int, seen time.Time) []jobs.Opening {
	w.t.Helper()
	var os []jobs.Opening
	for i := from; i < from+n; i++ {
		a, b := skills[i%len(skills)], skills[(i/len(skills)+i)%len(skills)]
		o := jobs.Opening{ID: fmt.Sprintf("remoteok:%d", i), Source: "remoteok", URL: fmt.Sprintf("https://remoteok.com/remote-jobs/%d", i),
			Title: titles[i%len(titles)] + fmt.Sprintf(" %d", i), Company: companies[i%len(companies)],
			Description: fmt.Sprintf("We run %s and %s. @everyone <!channel> apply!", a, b), FirstSeen: seen, Posted: seen}
		switch i % 3 {
		case 0:
			o.Remote = jobs.RemoteYes
		case 1:
			o.Seniority = jobs.SenioritySenior
		}
		os = append(os, o)
	}
	if err := w.st.PutOpenings(context.Background(), os); err != nil {
		w.t.Fatal(err)
	}
	for _, o := range os {
		d := jobs.Index(&o)
		for _, s := range w.subs {
			q, err := jobs.ParseQuery(s.Query)
			if err != nil {
				w.t.Fatal(err)
			}
			if q.MatchDoc(d, seen) {
				w.expected[s.Workspace+"/"+s.Channel+"/"+deliver.Nonce(s.Channel, jobs.RoleKey(&o))] = true
			}
		}
	}
	return os
}

// owe makes subs subscriptions over channels channels, n openings, and enqueues what they owe.
func (w *world) owe(channels, subs, n int) {
	w.t.Helper()
	w.subscribe(channels, subs, created)
	w.openings(0, n, time.Now().UTC())
	w.fanout()
}

// fanout enqueues what the openings written so far owe.
func (w *world) fanout() {
	w.t.Helper()
	f := &jobs.Fanout{Openings: w.st, Subs: w.st, Queue: w.st, Log: quiet()}
	if _, err := f.Round(context.Background()); err != nil {
		w.t.Fatal(err)
	}
}

// posted counts the messages on both fakes, by workspace/channel/key.
func (w *world) posted() map[string]int {
	got := map[string]int{}
	for _, m := range w.slack.All() {
		got[slackWorkspace(m.Channel, w.subs)+"/"+m.Channel+"/"+m.MetadataKey]++
	}
	for _, m := range w.discord.All() {
		got[discordWorkspace(m.Channel, w.subs)+"/"+m.Channel+"/"+m.Nonce]++
	}
	return got
}

func slackWorkspace(channel string, subs []jobs.Subscription) string {
	for _, s := range subs {
		if s.Channel == channel && strings.HasPrefix(s.Workspace, "slack:") {
			return s.Workspace
		}
	}
	return "slack:?"
}

func discordWorkspace(channel string, subs []jobs.Subscription) string {
	for _, s := range subs {
		if s.Channel == channel && strings.HasPrefix(s.Workspace, "discord:") {
			return s.Workspace
		}
	}
	return "discord:?"
}

// total is how many messages both fakes hold.
func (w *world) total() int { return len(w.slack.All()) + len(w.discord.All()) }

// waitDelivered waits until every expected message is posted and the queue is empty, or
// fails after a generous while: a bound on a wait, not a measurement.
func (w *world) waitDelivered() {
	w.t.Helper()
	deadline := time.Now().Add(time.Duration(waitSeconds) * time.Second)
	for time.Now().Before(deadline) {
		st, err := w.st.DeliveryStats(context.Background())
		if err == nil && w.total() >= len(w.expected) && st.Queued == 0 && st.Pending == 0 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	st, _ := w.st.DeliveryStats(context.Background())
	w.t.Fatalf("not delivered: %d of %d messages posted; queue %+v", w.total(), len(w.expected), st)
}

// checkExactlyOnce: every owed message is in its channel once, and nothing else is.
func (w *world) checkExactlyOnce() {
	w.t.Helper()
	got := w.posted()
	missing, extra, twice := 0, 0, 0
	for k := range w.expected {
		switch n := got[k]; {
		case n == 0:
			missing++
			if missing <= 3 {
				w.t.Errorf("never posted: %s", k)
			}
		case n > 1:
			twice++
			if twice <= 3 {
				w.t.Errorf("posted %d times: %s", n, k)
			}
		}
	}
	for k := range got {
		if !w.expected[k] {
			extra++
			if extra <= 3 {
				w.t.Errorf("posted, not owed: %s", k)
			}
		}
	}
	if missing+extra+twice > 0 {
		w.t.Errorf("%d owed messages: %d missing, %d posted more than once, %d not owed", len(w.expected), missing, twice, extra)
	}
}

// run starts a deliverer until the returned stop is called.
func run(d *deliver.Deliverer) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		_ = d.Run(ctx)
	}()
	return func() { cancel(); wg.Wait() }
}

// waitSeconds bounds waitDelivered.
var waitSeconds = 90
