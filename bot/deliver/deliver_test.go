package deliver_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/bot/deliver"
	"github.com/careerbot/careerbot/internal/redistest"
	"github.com/redis/go-redis/v9"
)

var created = time.Now().UTC().Add(-time.Hour)

// fanOut is the Show's fan-out: 1,000 openings, 200 subscriptions over 50 channels, half
// Slack and half Discord, delivered by two replicas: every owed message arrives once.
func fanOut(t *testing.T, rdb redis.UniversalClient) {
	w := newWorld(t, rdb)
	w.owe(50, 200, 1000)
	if len(w.expected) < 1000 {
		t.Fatalf("the generator owes only %d messages", len(w.expected))
	}
	stopA := run(w.deliverer("a", nil))
	stopB := run(w.deliverer("b", nil))
	w.waitDelivered()
	stopA()
	stopB()
	w.checkExactlyOnce()

	// No posting can mention anyone: Slack's text is escaped, Discord's allowed_mentions is
	// empty.
	for _, m := range w.slack.All() {
		if strings.Contains(m.Text+string(m.Blocks), "<!channel>") {
			t.Fatalf("a live <!channel> on Slack: %s", m.Blocks)
		}
	}
	for _, m := range w.discord.All() {
		var am struct{ Parse []string }
		if err := json.Unmarshal(m.AllowedMentions, &am); err != nil || am.Parse == nil || len(am.Parse) != 0 {
			t.Fatalf("allowed_mentions %s", m.AllowedMentions)
		}
	}
	// Each subscription counts its posts: the channel's first matching one.
	var posts int64
	for _, s := range w.subs {
		got, err := w.st.Subscription(context.Background(), s.Workspace, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		posts += got.Posts
	}
	if posts != int64(len(w.expected)) {
		t.Errorf("the subscriptions count %d posts, %d were made", posts, len(w.expected))
	}
	t.Logf("%d messages to 50 channels", len(w.expected))
}

func TestFanOutExactlyOnce(t *testing.T) {
	fanOut(t, redistest.Start(t).Client(t))
}

// TestFanOutCluster: the same on a three-node Redis Cluster, where a script or transaction
// across two slots fails with CROSSSLOT.
func TestFanOutCluster(t *testing.T) {
	fanOut(t, redistest.StartCluster(t).Client(t))
}

// crashy posts through a platform and, for the first n posts after armed, loses the answer
// of a post that went through, as a crash between the send and its record would.
type crashy struct {
	deliver.Poster
	mu    sync.Mutex
	left  int
	every int
	count int
}

type lostAnswer struct{}

func (lostAnswer) Error() string { return "the connection dropped before the answer" }

func (c *crashy) Post(ctx context.Context, p bot.Post) (string, error) {
	id, err := c.Poster.Post(ctx, p)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.count++
	if err == nil && c.left > 0 && c.count%c.every == 0 {
		c.left--
		return "", lostAnswer{}
	}
	return id, err
}

// TestStopMidFanOut: the delivering replica is stopped in the middle of the fan-out and a new
// one finishes it; posts whose answers were lost (the platform posted, careerbot never heard)
// are settled by the in-doubt check, not sent again. Both platforms, exactly once.
func TestStopMidFanOut(t *testing.T) {
	w := newWorld(t, redistest.Start(t).Client(t))
	w.owe(20, 60, 300)
	// The platforms themselves lose answers too: posted, then a 5xx.
	w.slack.PostThenFail(3)
	w.discord.CreateThenFail(3, 502)
	posters := map[bot.Platform]deliver.Poster{
		bot.PlatformSlack:   &crashy{Poster: w.posters[bot.PlatformSlack], left: 5, every: 17},
		bot.PlatformDiscord: &crashy{Poster: w.posters[bot.PlatformDiscord], left: 5, every: 13},
	}
	stop := run(w.deliverer("first", posters))
	for w.total() < len(w.expected)/3 {
		time.Sleep(5 * time.Millisecond)
	}
	stop()
	if w.total() >= len(w.expected) {
		t.Fatal("the first replica finished before it was stopped")
	}
	t.Logf("stopped after %d of %d messages", w.total(), len(w.expected))
	stop = run(w.deliverer("second", nil))
	w.waitDelivered()
	stop()
	w.checkExactlyOnce()
}
