package deliver_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/bot/career"
	"github.com/careerbot/careerbot/bot/deliver"
	"github.com/careerbot/careerbot/internal/redistest"
	"github.com/careerbot/careerbot/jobs"
	"github.com/careerbot/careerbot/jobs/redisstore"
	"github.com/redis/go-redis/v9"
)

// The child process of TestKilledMidFanOut: it delivers from the Redis and fakes its parent
// names, and kills itself with SIGKILL right after a post went through, before recording it.
const childEnv = "CAREERBOT_DELIVER_CHILD"

// quietRedis drops go-redis's own log lines (the outage test makes many).
type quietRedis struct{}

func (quietRedis) Printf(context.Context, string, ...any) {}

func TestMain(m *testing.M) {
	redis.SetLogger(quietRedis{})
	if os.Getenv(childEnv) != "" {
		os.Exit(child())
	}
	os.Exit(m.Run())
}

// killer posts and, after the n-th post, kills the process before the answer is recorded.
type killer struct {
	deliver.Poster
	n     int
	count atomic.Int64
}

func (k *killer) Post(ctx context.Context, p bot.Post) (string, error) {
	id, err := k.Poster.Post(ctx, p)
	if err == nil && k.count.Add(1) == int64(k.n) {
		_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {} // the signal arrives
	}
	return id, err
}

func child() int {
	rdb := redis.NewClient(&redis.Options{Addr: os.Getenv("CAREERBOT_CHILD_REDIS")})
	w, err := assemble(rdb, os.Getenv("CAREERBOT_CHILD_SLACK"), os.Getenv("CAREERBOT_CHILD_DISCORD"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	n, _ := strconv.Atoi(os.Getenv("CAREERBOT_CHILD_KILL_AFTER"))
	posters := map[bot.Platform]deliver.Poster{}
	for p, po := range w.posters {
		posters[p] = &killer{Poster: po, n: n}
	}
	d := &deliver.Deliverer{Queue: w.st, Subs: w.st, Render: w.render, Posters: posters, Pacer: w.pacer, Rates: testRates(),
		Consumer: "child-" + strconv.Itoa(os.Getpid()), Log: quiet(), Lease: 2 * time.Second, Reclaim: 3 * time.Second, Backoff: 50 * time.Millisecond}
	_ = d.Run(context.Background())
	return 0
}

// TestKilledMidFanOut: a child process delivering is killed with SIGKILL just after a post
// went through and before it was recorded, twice; a new deliverer settles the delivery in
// doubt by looking, not by sending again. Exactly once on both platforms.
func TestKilledMidFanOut(t *testing.T) {
	srv := redistest.Start(t)
	w := newWorld(t, srv.Client(t))
	w.owe(10, 30, 150)
	for i, after := range []int{7, 25} {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), childEnv+"=1", "CAREERBOT_CHILD_REDIS="+srv.Addr(),
			"CAREERBOT_CHILD_SLACK="+w.slack.URL(), "CAREERBOT_CHILD_DISCORD="+w.discord.URL(),
			"CAREERBOT_CHILD_KILL_AFTER="+strconv.Itoa(after))
		out, err := cmd.CombinedOutput()
		if ee, ok := err.(*exec.ExitError); !ok || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
			t.Fatalf("child %d: want killed by SIGKILL, got %v\n%s", i, err, out)
		}
		t.Logf("child %d killed after %d posts; %d of %d messages posted", i, after, w.total(), len(w.expected))
	}
	st, err := w.st.DeliveryStats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Pending == 0 {
		t.Errorf("the killed children left nothing pending: %+v", st)
	}
	stop := run(w.deliverer("survivor", nil))
	w.waitDelivered()
	stop()
	w.checkExactlyOnce()
}

// observer counts outcomes per deliverer.
type observer struct {
	mu sync.Mutex
	n  map[string]int
}

func (o *observer) Delivered(platform, outcome string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.n == nil {
		o.n = map[string]int{}
	}
	o.n[outcome]++
}

func (o *observer) count(outcome string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.n[outcome]
}

// TestThreeInstances: three replicas on one Redis, each running the leader election for the
// poller's work (here: the fan-out of openings that keep arriving) and a deliverer. One leader
// at a time; when it stops, another takes over within seconds; the stopped leader's late
// write is refused by the fencing token; deliveries spread over the three; no duplicates.
func TestThreeInstances(t *testing.T) {
	rdb := redistest.Start(t).Client(t)
	w := newWorld(t, rdb)
	w.subscribe(20, 60, created)
	lockStore := redisstore.New(rdb)

	type holding struct {
		who         string
		token       int64
		from, until time.Time
	}
	var (
		mu       sync.Mutex
		holdings []holding
		leading  atomic.Int32
		overlap  atomic.Bool
	)
	batches := make(chan struct{}, 10) // the openings of a batch are written: fan them out
	instance := func(name string) (stop func(), obs *observer) {
		obs = &observer{}
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		leader := &jobs.Leader{Lock: lockStore.Lock("poller"), Holder: name, TTL: 900 * time.Millisecond, Log: quiet(),
			OnChange: func(held bool, token int64) {
				mu.Lock()
				defer mu.Unlock()
				if held {
					holdings = append(holdings, holding{who: name, token: token, from: time.Now()})
				} else {
					for i := range holdings {
						if holdings[i].who == name && holdings[i].until.IsZero() {
							holdings[i].until = time.Now()
						}
					}
				}
			}}
		wg.Add(2)
		go func() {
			defer wg.Done()
			leader.Run(ctx, func(ctx context.Context, token int64) {
				if leading.Add(1) > 1 {
					overlap.Store(true)
				}
				defer leading.Add(-1)
				f := &jobs.Fanout{Openings: lockStore.Fenced("poller", token), Subs: w.st, Queue: w.st, Log: quiet()}
				for {
					select {
					case <-ctx.Done():
						return
					case <-batches:
						if _, err := f.Round(ctx); err != nil && ctx.Err() == nil {
							t.Errorf("%s: fan-out: %v", name, err)
						}
					}
				}
			})
		}()
		d := w.deliverer(name, nil)
		d.Observe = obs
		go func() {
			defer wg.Done()
			_ = d.Run(ctx)
		}()
		return func() { cancel(); wg.Wait() }, obs
	}
	stops := map[string]func(){}
	obs := map[string]*observer{}
	for _, n := range []string{"r1", "r2", "r3"} {
		stops[n], obs[n] = instance(n)
	}
	holder := func() (string, int64) {
		for {
			h, tok, _, err := lockStore.Lock("poller").Holder(context.Background())
			if err == nil && h != "" {
				return h, tok
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	first, firstToken := holder()
	batch := func(n int) {
		w.openings(n*100, 100, time.Now().UTC())
		batches <- struct{}{}
	}
	batch(0)
	batch(1)
	// Stop the leader: another replica holds the lock soon after (it was released).
	stops[first]()
	stopped := time.Now()
	var next string
	var nextToken int64
	for next == "" || next == first {
		next, nextToken = holder()
		if time.Since(stopped) > 10*time.Second {
			t.Fatalf("the lock stayed with %s", next)
		}
	}
	t.Logf("the lock passed from %s to %s in %v", first, next, time.Since(stopped).Round(time.Millisecond))
	if nextToken <= firstToken {
		t.Errorf("tokens %d then %d", firstToken, nextToken)
	}
	// The stopped leader's late write is refused.
	stale := lockStore.Fenced("poller", firstToken)
	err := stale.PutOpenings(context.Background(), []jobs.Opening{{ID: "remoteok:stale", Source: "remoteok", Title: "Stale"}})
	if !errors.Is(err, jobs.ErrFenced) {
		t.Errorf("a stale holder's write: %v", err)
	}
	if _, err := w.st.Opening(context.Background(), "remoteok:stale"); err == nil {
		t.Error("the stale write landed")
	}
	batch(2)
	batch(3)
	for len(batches) > 0 {
		time.Sleep(10 * time.Millisecond)
	}
	w.waitDelivered()
	for n, stop := range stops {
		if n != first {
			stop()
		}
	}
	w.checkExactlyOnce()
	if overlap.Load() {
		t.Error("two replicas led at once")
	}
	mu.Lock()
	sort.Slice(holdings, func(i, j int) bool { return holdings[i].from.Before(holdings[j].from) })
	for i := 1; i < len(holdings); i++ {
		if holdings[i].token <= holdings[i-1].token {
			t.Errorf("holdings %+v then %+v", holdings[i-1], holdings[i])
		}
	}
	mu.Unlock()
	var spread []string
	for n, o := range obs {
		spread = append(spread, fmt.Sprintf("%s %d", n, o.count("sent")))
		if o.count("sent") == 0 && n != first {
			t.Errorf("%s delivered nothing", n)
		}
	}
	sort.Strings(spread)
	t.Logf("sent per replica: %s", strings.Join(spread, ", "))
}

// TestPacing: fakes with the platforms' limits (Slack: one post a second per channel, scaled
// down; Discord: a bucket of 5 per window) and 5xx answers mixed in: every message once, no
// channel faster than its limit (from the fakes' own timestamps), and never two 429s in a row
// for one channel.
func TestPacing(t *testing.T) {
	w := newWorld(t, redistest.Start(t).Client(t))
	const slackEvery = 50 * time.Millisecond
	w.slack.RateLimit(slackEvery, 1)
	w.discord.Bucket(5, 250*time.Millisecond)
	w.slack.FailNext("chat.postMessage", 4, 503)
	w.discord.FailNext(4, 502)
	w.rates.Channel[bot.PlatformSlack] = deliver.Rate{Every: slackEvery + 5*time.Millisecond, Burst: 1}
	// Discord's pace comes from its bucket headers (discordgo) and our shared pacer.
	w.rates.Channel[bot.PlatformDiscord] = deliver.Rate{Every: 55 * time.Millisecond, Burst: 5}
	w.subscribeEvery(8, created)
	w.openings(0, 30, time.Now().UTC())
	w.fanout()
	stops := []func(){run(w.deliverer("a", nil)), run(w.deliverer("b", nil))}
	w.waitDelivered()
	for _, s := range stops {
		s()
	}
	w.checkExactlyOnce()
	byChannel := map[string][]time.Time{}
	for _, m := range w.slack.All() {
		byChannel["slack/"+m.Channel] = append(byChannel["slack/"+m.Channel], m.At)
	}
	for ch, at := range byChannel {
		sort.Slice(at, func(i, j int) bool { return at[i].Before(at[j]) })
		for i := 1; i < len(at); i++ {
			// The fake's own limit is one per slackEvery; a message closer than that would
			// have been refused, so this checks the fake's timestamps against the limit
			// with the fake's clock resolution as the only allowance.
			if gap := at[i].Sub(at[i-1]); gap < slackEvery-2*time.Millisecond {
				t.Errorf("%s: two messages %v apart", ch, gap)
			}
		}
	}
	// Discord's buckets are fixed windows that the fake enforces: the bucket headers
	// (discordgo) and the shared pacer keep every channel inside them, so it never refuses.
	if n := w.discord.RateLimited(); n != 0 {
		t.Errorf("discord answered %d 429s", n)
	}
	for _, ch := range w.subs {
		if seq := w.discord.Answers(ch.Channel); twice429(seq) {
			t.Errorf("%s: two 429s in a row: %v", ch.Channel, seq)
		}
	}
	for ch, seq := range w.slack.Answers("chat.postMessage") {
		if twice429(seq) {
			t.Errorf("%s: two 429s in a row: %v", ch, seq)
		}
	}
	t.Logf("%d messages; 429s answered: slack %d, discord %d", len(w.expected), w.slack.RateLimited("chat.postMessage"), w.discord.RateLimited())
}

// TestPacingAfter429: a pace faster than the platform's draws a 429; after it the channel
// waits the Retry-After and goes on at the rate without a burst, so that no 429 follows
// another for one channel.
func TestPacingAfter429(t *testing.T) {
	w := newWorld(t, redistest.Start(t).Client(t))
	w.slack.RateLimit(200*time.Millisecond, 1)
	w.rates.Channel[bot.PlatformSlack] = deliver.Rate{Every: 250 * time.Millisecond, Burst: 3} // the burst overdraws
	w.subscribeEvery(2, created)
	w.openings(0, 12, time.Now().UTC())
	w.fanout()
	stop := run(w.deliverer("a", nil))
	w.waitDelivered()
	stop()
	w.checkExactlyOnce()
	if w.slack.RateLimited("chat.postMessage") == 0 {
		t.Fatal("the burst drew no 429: the test shows nothing")
	}
	for ch, seq := range w.slack.Answers("chat.postMessage") {
		if twice429(seq) {
			t.Errorf("%s: two 429s in a row: %v", ch, seq)
		}
	}
}

func twice429(statuses []int) bool {
	for i := 1; i < len(statuses); i++ {
		if statuses[i] == 429 && statuses[i-1] == 429 {
			return true
		}
	}
	return false
}

// TestRedisOutage: Redis is stopped in the middle of the fan-out and started again: nothing
// lost, nothing posted twice.
func TestRedisOutage(t *testing.T) {
	srv := redistest.Start(t)
	w := newWorld(t, srv.Client(t))
	w.owe(10, 30, 200)
	stop := run(w.deliverer("a", nil))
	for w.total() < len(w.expected)/4 {
		time.Sleep(5 * time.Millisecond)
	}
	srv.Stop()
	time.Sleep(1500 * time.Millisecond)
	srv.Restart()
	w.waitDelivered()
	stop()
	w.checkExactlyOnce()
}

// TestRemovedChannel: a channel that is gone disables its subscriptions with the reason,
// which /jobs subscriptions shows; other channels go on.
func TestRemovedChannel(t *testing.T) {
	w := newWorld(t, redistest.Start(t).Client(t))
	w.subscribe(4, 8, created)
	var slackCh, discordCh string
	for _, s := range w.subs {
		if strings.HasPrefix(s.Workspace, "slack:") && slackCh == "" {
			slackCh = s.Channel
		}
		if strings.HasPrefix(s.Workspace, "discord:") && discordCh == "" {
			discordCh = s.Channel
		}
	}
	w.slack.ChannelError(slackCh, "channel_not_found")
	w.discord.ChannelError(discordCh, 404, 10003)
	w.openings(0, 40, time.Now().UTC())
	w.fanout()
	for k := range w.expected {
		if strings.Contains(k, "/"+slackCh+"/") || strings.Contains(k, "/"+discordCh+"/") {
			delete(w.expected, k)
		}
	}
	stop := run(w.deliverer("a", nil))
	w.waitDelivered()
	stop()
	w.checkExactlyOnce()
	ctx := context.Background()
	router := bot.NewRouter(quiet(), nil)
	career.Register(router, &career.Jobs{Catalog: jobs.NewCatalog(), Subs: w.st, Queue: w.st, Openings: w.st})
	for _, s := range w.subs {
		if s.Channel != slackCh && s.Channel != discordCh {
			continue
		}
		got, err := w.st.Subscription(ctx, s.Workspace, s.ID)
		if err != nil || got.Active() {
			t.Errorf("%s %s: %+v (%v)", s.Workspace, s.Channel, got, err)
		}
		platform, team, _ := strings.Cut(s.Workspace, ":")
		r := router.Dispatch(ctx, bot.Command{Platform: bot.Platform(platform), Workspace: team, Channel: s.Channel, Name: "jobs", Text: "subscriptions"}).Full()
		if len(r.Sections) == 0 || !strings.Contains(r.Sections[0].Body, "**disabled**") || !strings.Contains(r.Sections[0].Body, "refused posts to this channel") {
			t.Errorf("%s: /jobs subscriptions: %+v", s.Workspace, r)
		}
	}
}

// TestDeadLetter: a post refused again and again (not for good: the channel is there) becomes
// a dead letter after the attempts run out, the channel is told, and /jobs subscriptions lists
// it with the reason. Nothing is posted twice meanwhile.
func TestDeadLetter(t *testing.T) {
	w := newWorld(t, redistest.Start(t).Client(t))
	w.subscribeEvery(2, created)
	w.openings(0, 1, time.Now().UTC())
	w.fanout()
	w.slack.FailNext("chat.postMessage", 3, 400)
	w.discord.FailNext(3, 400)
	d := w.deliverer("a", nil)
	d.MaxAttempts = 3
	stop := run(d)
	ctx := context.Background()
	for {
		st, err := w.st.DeliveryStats(ctx)
		if err == nil && st.Dead == 2 && w.total() == 2 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	stop()
	router := bot.NewRouter(quiet(), nil)
	career.Register(router, &career.Jobs{Catalog: jobs.NewCatalog(), Subs: w.st, Queue: w.st, Openings: w.st})
	for _, s := range w.subs {
		var notices []string
		if strings.HasPrefix(s.Workspace, "slack:") {
			for _, m := range w.slack.Messages(s.Channel) {
				notices = append(notices, string(m.Blocks))
			}
		} else {
			for _, m := range w.discord.Messages(s.Channel) {
				notices = append(notices, string(m.Embeds))
			}
		}
		if len(notices) != 1 || !strings.Contains(notices[0], "could not be posted here") {
			t.Errorf("%s: the channel holds %v", s.Channel, notices)
		}
		platform, team, _ := strings.Cut(s.Workspace, ":")
		r := router.Dispatch(ctx, bot.Command{Platform: bot.Platform(platform), Workspace: team, Channel: s.Channel, Name: "jobs", Text: "subscriptions"}).Full()
		last := r.Sections[len(r.Sections)-1]
		if last.Heading != "Not posted" || !strings.Contains(last.Body, "remoteok:0") || !strings.Contains(last.Body, "gave up after 3 attempts") {
			t.Errorf("%s: /jobs subscriptions: %+v", s.Workspace, r.Sections)
		}
	}
}
