package main

import (
	"context"
	"github.com/careerbot/careerbot/bot/slack/slackfake"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
)

// TestCheckedInManifest keeps deploy/slack/manifest.yml what `careerbot slack manifest` prints,
// so the file a team pastes always lists exactly the commands careerbot routes.
func TestCheckedInManifest(t *testing.T) {
	code, stdout, stderr := runCLI(t, nil, "slack", "manifest", "--url", "https://careerbot.example.com")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	file, err := os.ReadFile(filepath.Join("..", "..", "deploy", "slack", "manifest.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if string(file) != stdout {
		t.Errorf("deploy/slack/manifest.yml is stale; regenerate it with:\n  go run ./cmd/careerbot slack manifest --url https://careerbot.example.com > deploy/slack/manifest.yml")
	}
	for _, want := range []string{"command: /explain", "command: /path", "command: /quiz", "command: /share", "command: /materials", "command: /jobs", "command: /careerbot", "socket_mode_enabled: false"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("manifest lacks %q", want)
		}
	}
	for _, unbuilt := range []string{"command: /help", "command: /answer"} {
		if strings.Contains(stdout, unbuilt) {
			t.Errorf("manifest lists %s, which has no handler on Slack", unbuilt)
		}
	}
	code, stdout, _ = runCLI(t, nil, "slack", "manifest", "--socket-mode")
	if code != 0 || !strings.Contains(stdout, "socket_mode_enabled: true") || strings.Contains(stdout, "request_url") {
		t.Errorf("socket-mode manifest: exit %d\n%s", code, stdout)
	}
	if code, _, _ := runCLI(t, nil, "slack", "manifest", "--url", "http://insecure.example.com"); code != 2 {
		t.Errorf("an http URL: exit %d, want 2", code)
	}
	if code, _, _ := runCLI(t, nil, "slack", "manifest"); code != 2 {
		t.Errorf("no URL: exit %d, want 2", code)
	}
}

func TestSlackConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"token without a transport", map[string]string{"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"},
		{"secret without a token", map[string]string{"SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN"},
		{"socket mode without a bot token", map[string]string{"SLACK_APP_TOKEN": "xapp-1"}, "SLACK_BOT_TOKEN"},
		{"bot token as app token", map[string]string{"SLACK_APP_TOKEN": "xoxb-1", "SLACK_BOT_TOKEN": "xoxb-1"}, "xapp-"},
		{"install without a key", map[string]string{"SLACK_SIGNING_SECRET": "s", "SLACK_CLIENT_ID": "1", "SLACK_CLIENT_SECRET": "c"}, "CAREERBOT_SECRET_KEY"},
		{"bad API URL", map[string]string{"SLACK_SIGNING_SECRET": "s", "SLACK_BOT_TOKEN": "xoxb-1", "SLACK_API_URL": "ftp://x"}, "SLACK_API_URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.env["CAREERBOT_DATA_DIR"] = t.TempDir()
			code, _, stderr := runCLI(t, tt.env, "serve")
			if code != 2 || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 naming %s", code, stderr, tt.want)
			}
			for _, v := range tt.env {
				if len(v) > 3 && strings.Contains(stderr, v) && strings.HasPrefix(v, "xoxb") {
					t.Errorf("stderr prints a token: %s", stderr)
				}
			}
		})
	}
}

// TestServeSlack runs the whole program with Slack configured and sends it signed slash
// commands, as Slack would: a search, then a subscription whose first openings are posted to
// the channel through the fake Slack API.
func TestServeSlack(t *testing.T) {
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	api := slackfake.New(t)
	api.SetAdmins("U1")
	env := map[string]string{"CAREERBOT_ADDR": addr, "CAREERBOT_DATA_DIR": t.TempDir(), "CAREERBOT_SOURCES": localBoard(t),
		"SLACK_SIGNING_SECRET": "shh", "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": api.URL()}
	var stderr syncBuffer
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, strings.NewReader(""), io.Discard, &stderr)
	}()
	defer func() {
		cancel()
		<-done
	}()
	waitFor(t, "http://"+addr+"/healthz")

	commandAs := func(user, name, text string) (int, string) {
		body := url.Values{"team_id": {"T1"}, "channel_id": {"C1"}, "user_id": {user}, "command": {name}, "text": {text}}.Encode()
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		mac := hmac.New(sha256.New, []byte("shh"))
		mac.Write([]byte("v0:" + ts + ":" + body))
		req, _ := http.NewRequest("POST", "http://"+addr+"/slack/commands", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		reply, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode, string(reply)
	}
	command := func(name, text string) (int, string) { return commandAs("U1", name, text) }
	if code, reply := command("/explain", "2pc"); code != 200 || !strings.Contains(reply, "Two-phase commit (2PC)") {
		t.Errorf("%d %.300s", code, reply)
	}

	// The poller reads the local board, the catalogue learns of it, /jobs finds it.
	deadline := time.Now().Add(30 * time.Second)
	for {
		code, reply := command("/jobs", "devops remote:yes")
		if code == 200 && strings.Contains(reply, "Staff DevOps Engineer") && strings.Contains(reply, "via RemoteOK") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/jobs never found the local board's openings: %d %.500s\n%s", code, reply, stderr.String())
		}
		time.Sleep(100 * time.Millisecond)
	}

	// A member who is not an admin may not subscribe, by the slash command or the umbrella one.
	for _, c := range [][2]string{{"/jobs", "subscribe devops"}, {"/careerbot", "jobs subscribe devops"}} {
		if code, reply := commandAs("U2", c[0], c[1]); code != 200 || !strings.Contains(reply, "Only admins can do that") {
			t.Errorf("%s %s by a member: %d %.300s", c[0], c[1], code, reply)
		}
	}
	// An admin may; the newest matching openings are posted to the channel at once, once each.
	if code, reply := command("/jobs", "subscribe devops remote:yes"); code != 200 || !strings.Contains(reply, "Subscription 1:") {
		t.Fatalf("subscribe: %d %.300s", code, reply)
	}
	for len(api.Messages("C1")) == 0 {
		if time.Now().After(deadline.Add(30 * time.Second)) {
			t.Fatalf("nothing was posted to the channel\n%s", stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	m := api.Messages("C1")[0]
	if !strings.Contains(string(m.Blocks), "Staff DevOps Engineer") || m.MetadataType != "careerbot_delivery" || api.Count("C1", m.MetadataKey) != 1 {
		t.Errorf("the posted opening: %+v", m)
	}
	if code, reply := commandAs("U2", "/jobs", "subscriptions"); code != 200 || !strings.Contains(reply, "devops remote:yes") {
		t.Errorf("subscriptions: %d %.300s", code, reply)
	}
	if strings.Contains(stderr.String(), "xoxb-test") || strings.Contains(stderr.String(), `"shh"`) {
		t.Error("the log prints a Slack secret")
	}
}
