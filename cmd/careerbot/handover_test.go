package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/bot/slack/slackfake"
	"github.com/careerbot/careerbot/internal/redistest"
	"github.com/careerbot/careerbot/jobs"
	"github.com/careerbot/careerbot/jobs/redisstore"
)

// replica is one `careerbot serve` of a deployment, run in this process.
type replica struct {
	base   string
	cancel context.CancelFunc // what SIGTERM does (signal.NotifyContext in main)
	done   chan int
}

func startReplica(t *testing.T, env map[string]string) *replica {
	t.Helper()
	addr := freeAddr(t)
	e := map[string]string{"CAREERBOT_ADDR": addr, "CAREERBOT_DATA_DIR": t.TempDir()}
	for k, v := range env {
		e[k] = v
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &replica{base: "http://" + addr, cancel: cancel, done: make(chan int, 1)}
	go func() {
		r.done <- run(ctx, []string{"serve"}, func(k string) string { return e[k] }, strings.NewReader(""), io.Discard, io.Discard)
	}()
	t.Cleanup(func() {
		cancel()
		<-r.done
	})
	waitFor(t, r.base+"/healthz")
	return r
}

// leads says whether the replica holds the poller lock, from its status page.
func (r *replica) leads(t *testing.T) bool {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, r.base+"/status.json", nil)
	req.Header.Set("Authorization", "Bearer admin-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	var doc struct {
		Poller struct{ Self bool } `json:"poller"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&doc)
	return doc.Poller.Self
}

// TestShutdownHandsOver: two replicas on one Redis, a fan-out to 12 Slack channels under way;
// the replica that polls is stopped as SIGTERM stops it. It exits within the grace period,
// releases the poller lock (the other replica holds it within seconds), and every message is
// posted once: what the stopped replica had in hand is finished or taken over.
func TestShutdownHandsOver(t *testing.T) {
	srv := redistest.Start(t)
	rdb := srv.Client(t)
	st := redisstore.New(rdb)
	ctx := context.Background()
	const channels = 12
	for c := range channels {
		if _, err := st.Subscribe(ctx, jobs.Subscription{Workspace: "slack:" + slackfake.DefaultTeam, Channel: fmt.Sprintf("C%02d", c),
			Query: "source:remoteok", Creator: "U1", Created: time.Now().Add(-time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	api := slackfake.New(t)
	env := map[string]string{"REDIS_URL": srv.URL(), "CAREERBOT_SOURCES": localBoard(t), "CAREERBOT_ADMIN_TOKEN": "admin-token",
		"SLACK_SIGNING_SECRET": "shh", "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": api.URL()}
	a, b := startReplica(t, env), startReplica(t, env)

	// Wait for a leader and for the fan-out to be under way.
	var leader, other *replica
	for deadline := time.Now().Add(30 * time.Second); leader == nil; {
		switch {
		case a.leads(t):
			leader, other = a, b
		case b.leads(t):
			leader, other = b, a
		case time.Now().After(deadline):
			t.Fatal("no replica took the poller lock")
		default:
			time.Sleep(50 * time.Millisecond)
		}
	}
	for deadline := time.Now().Add(30 * time.Second); len(api.All()) < channels; {
		if time.Now().After(deadline) {
			t.Fatalf("the fan-out never started: %d messages", len(api.All()))
		}
		time.Sleep(20 * time.Millisecond)
	}
	stats, err := st.DeliveryStats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Queued+stats.Pending == 0 {
		t.Fatalf("the fan-out ended before the stop: %+v", stats)
	}

	stopped := time.Now()
	leader.cancel()
	if code := <-leader.done; code != exitOK {
		t.Errorf("the stopped replica exited %d", code)
	}
	leader.done <- exitOK // for the cleanup
	took := time.Since(stopped)
	if took > shutdownGrace+lockTTL {
		t.Errorf("the replica took %v to stop", took)
	}
	for !other.leads(t) {
		if time.Since(stopped) > lockTTL {
			t.Fatal("the other replica never took the poller lock")
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("stopped in %v with %d messages posted; the other replica held the lock %v after the stop",
		took.Round(time.Millisecond), len(api.All()), time.Since(stopped).Round(time.Millisecond))

	// Everything owed is posted, once.
	for deadline := time.Now().Add(90 * time.Second); ; {
		stats, err = st.DeliveryStats(ctx)
		if err == nil && stats.Queued == 0 && stats.Pending == 0 && int(stats.Sent) == len(api.All()) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not delivered: %+v, %d messages", stats, len(api.All()))
		}
		time.Sleep(100 * time.Millisecond)
	}
	seen := map[string]int{}
	for _, m := range api.All() {
		seen[m.Channel+"/"+m.MetadataKey]++
	}
	for k, n := range seen {
		if n != 1 {
			t.Errorf("%s posted %d times", k, n)
		}
	}
	if len(seen) < channels*5 || stats.Dead != 0 {
		t.Errorf("%d distinct messages, %d dead letters", len(seen), stats.Dead)
	}
}
