package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/internal/redistest"
	"github.com/careerbot/careerbot/knowledge"
)

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

func TestEmbeddedStoreKeepsDataAcrossRestarts(t *testing.T) {
	ctx := context.Background()
	cfg := config{dataDir: t.TempDir()}
	m := knowledge.Material{URL: "https://raft.github.io/", Topic: "raft", SharedBy: "U1", SharedAt: time.UnixMilli(1e12).UTC()}

	st, err := openStore(ctx, cfg, discard)
	if err != nil {
		t.Fatal(err)
	}
	if st.kind != "embedded" || !strings.HasSuffix(st.where, "careerbot.db") {
		t.Errorf("store %s at %s", st.kind, st.where)
	}
	if _, _, err := st.Share(ctx, "slack:T1", m); err != nil {
		t.Fatal(err)
	}
	// A second process on the same file is refused with a clear message, not a hang.
	if _, err := openStore(ctx, cfg, discard); err == nil || !strings.Contains(err.Error(), "in use by another careerbot process") {
		t.Errorf("second open: %v", err)
	}
	if err := st.close(); err != nil {
		t.Fatal(err)
	}

	st, err = openStore(ctx, cfg, discard)
	if err != nil {
		t.Fatal(err)
	}
	defer st.close()
	got, err := st.Get(ctx, "slack:T1", 1)
	if err != nil || got.URL != m.URL {
		t.Errorf("after a restart: %+v, %v", got, err)
	}
}

func TestMalformedRedisURL(t *testing.T) {
	tests := []string{
		"redis://user:s3cret-pass@host:notaport/0",
		"redis://:s3cret-pass@host:6379/notadb",
		"http://user:s3cret-pass@host/0",
		"redis://user:s3cret-pass%zz@host/0",
		"rediss://:s3cret-pass@host:6379/0?dial_timeout=soon",
	}
	for _, u := range tests {
		t.Run(u, func(t *testing.T) {
			env := map[string]string{"REDIS_URL": u, "CAREERBOT_ADDR": "127.0.0.1:0", "CAREERBOT_DATA_DIR": t.TempDir()}
			code, stdout, stderr := runCLI(t, env, "serve")
			if code != 1 || !strings.Contains(stderr, "REDIS_URL is not a valid Redis URL") {
				t.Errorf("exit %d, stderr %s", code, stderr)
			}
			if strings.Contains(stderr+stdout, "s3cret") {
				t.Errorf("the password was printed: %s", stderr)
			}
		})
	}
}

func TestRedisURLSchemes(t *testing.T) {
	st, err := openStore(context.Background(), config{redisURL: "rediss://:pw@127.0.0.1:1/0"}, discard)
	if err != nil {
		t.Fatal(err)
	}
	defer st.close()
	if st.kind != "redis" || strings.Contains(st.where, "pw") {
		t.Errorf("store %s at %s", st.kind, st.where)
	}
}

// TestServeOnRedis runs serve against a real redis-server, then kills it: /readyz follows.
func TestServeOnRedis(t *testing.T) {
	srv := redistest.Start(t)
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		env := map[string]string{"CAREERBOT_ADDR": addr, "REDIS_URL": srv.URL()}
		done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, strings.NewReader(""), io.Discard, io.Discard)
	}()
	defer func() {
		cancel()
		<-done
	}()
	waitFor(t, "http://"+addr+"/healthz")

	ready := func() int {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := ready(); code != 200 {
		t.Errorf("/readyz with Redis up: %d", code)
	}
	srv.Stop()
	if code := ready(); code != 503 {
		t.Errorf("/readyz with Redis down: %d", code)
	}
	srv.Restart()
	if code := ready(); code != 200 {
		t.Errorf("/readyz after Redis came back: %d", code)
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ msg, url, want string }{
		{`parse "redis://u:pw@h:x/0": bad`, "redis://u:pw@h:x/0", `parse "redis://xxxxx@h:x/0": bad`},
		{"invalid port", "redis://h:x/0", "invalid port"},
		{"pw appears alone", "redis://:pw@h/0", "xxxxx appears alone"},
	}
	for _, tt := range tests {
		if got := redact(tt.msg, tt.url); got != tt.want {
			t.Errorf("redact(%q) = %q, want %q", tt.msg, got, tt.want)
		}
	}
}

func TestStoreOnRedisCluster(t *testing.T) {
	cluster := redistest.StartCluster(t)
	cfg, err := loadConfig(func(k string) string {
		return map[string]string{"CAREERBOT_REDIS_CLUSTER": strings.Join(cluster.Addrs, " , ")}[k]
	}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	st, err := openStore(context.Background(), cfg, discard)
	if err != nil {
		t.Fatal(err)
	}
	defer st.close()
	if !strings.HasPrefix(st.where, "cluster ") {
		t.Errorf("store at %s", st.where)
	}
	m := knowledge.Material{URL: "https://example.org/c", SharedBy: "U1", SharedAt: time.UnixMilli(1e12).UTC()}
	for _, ws := range []string{"slack:T1", "slack:T2", "discord:G3"} { // different hash tags, different slots
		if _, created, err := st.Share(context.Background(), ws, m); err != nil || !created {
			t.Fatalf("share in %s on the cluster: %v", ws, err)
		}
	}
}

func TestRedisTopologyConfigErrors(t *testing.T) {
	for name, env := range map[string]map[string]string{
		"cluster and sentinels": {"CAREERBOT_REDIS_CLUSTER": "a:1", "CAREERBOT_REDIS_SENTINELS": "b:2", "CAREERBOT_REDIS_MASTER": "m"},
		"sentinels, no master":  {"CAREERBOT_REDIS_SENTINELS": "b:2"},
		"master, no sentinels":  {"CAREERBOT_REDIS_MASTER": "m"},
	} {
		if _, err := loadConfig(func(k string) string { return env[k] }, io.Discard); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestStoreThroughSentinel(t *testing.T) {
	master := redistest.Start(t)
	sentinel := redistest.StartSentinel(t, master, "careerbot-master")
	cfg, err := loadConfig(func(k string) string {
		return map[string]string{"CAREERBOT_REDIS_SENTINELS": sentinel, "CAREERBOT_REDIS_MASTER": "careerbot-master"}[k]
	}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	st, err := openStore(context.Background(), cfg, discard)
	if err != nil {
		t.Fatal(err)
	}
	defer st.close()
	m := knowledge.Material{URL: "https://example.org/s", SharedBy: "U1", SharedAt: time.UnixMilli(1e12).UTC()}
	if _, created, err := st.Share(context.Background(), "slack:T1", m); err != nil || !created {
		t.Fatalf("share through Sentinel: %v", err)
	}
	// The write reached the master Sentinel named.
	if n, err := master.Client(t).Exists(context.Background(), "careerbot:{slack:T1}:material:1").Result(); err != nil || n != 1 {
		t.Errorf("the master lacks the entry: %d %v", n, err)
	}
}
