package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/careerbot/careerbot/bot/slack/slackfake"
)

// get fetches url with an optional bearer token, without following redirects.
func get(t *testing.T, url, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestServeStatus: the status page of the whole program: open on a local run, with the facts
// of the store, the poller lock and the playground; behind CAREERBOT_ADMIN_TOKEN once a
// platform is configured, and absent (404) when that token is unset.
func TestServeStatus(t *testing.T) {
	local := startServe(t, map[string]string{})
	waitFor(t, local.base+"/healthz")
	code, body := get(t, local.base+"/status.json", "")
	if code != http.StatusOK {
		t.Fatalf("local /status.json: %d %.300s", code, body)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"version", "replica", "uptime", "store", "platforms", "sources", "subscriptions", "deliveries", "dead_letters", "disabled", "poller"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("/status.json lacks %q: %.300s", k, body)
		}
	}
	if store := doc["store"].(map[string]any); store["kind"] != "embedded" || store["healthy"] != true {
		t.Errorf("store: %v", store)
	}
	if !strings.Contains(body, `"name":"playground"`) {
		t.Errorf("platforms: %v", doc["platforms"])
	}
	if code, body := get(t, local.base+"/status", ""); code != http.StatusOK || !strings.Contains(body, "embedded") {
		t.Errorf("local /status: %d %.200s", code, body)
	}

	api := slackfake.New(t)
	slackEnv := map[string]string{"SLACK_SIGNING_SECRET": "shh", "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": api.URL()}
	hidden := startServe(t, slackEnv)
	waitFor(t, hidden.base+"/healthz")
	for _, path := range []string{"/status", "/status.json", "/status/login"} {
		if code, _ := get(t, hidden.base+path, ""); code != http.StatusNotFound {
			t.Errorf("%s without CAREERBOT_ADMIN_TOKEN: %d, want 404", path, code)
		}
	}
	if code, _ := get(t, hidden.base+"/", ""); code != http.StatusNotFound {
		t.Errorf("the playground with Slack configured: %d, want 404", code)
	}

	slackEnv["CAREERBOT_ADMIN_TOKEN"] = "s3cret-token"
	guarded := startServe(t, slackEnv)
	waitFor(t, guarded.base+"/healthz")
	for _, c := range []struct {
		path, token string
		want        int
	}{
		{"/status.json", "", http.StatusUnauthorized},
		{"/status", "", http.StatusSeeOther},
		{"/status.json", "wrong", http.StatusUnauthorized},
		{"/status.json", "s3cret-token", http.StatusOK},
		{"/status", "s3cret-token", http.StatusOK},
	} {
		code, body := get(t, guarded.base+c.path, c.token)
		if code != c.want {
			t.Errorf("%s with %q: %d, want %d", c.path, c.token, code, c.want)
		}
		if code == http.StatusOK && c.path == "/status.json" && !strings.Contains(body, `"name":"slack"`) {
			t.Errorf("platforms: %.300s", body)
		}
	}
	if strings.Contains(guarded.logs.String(), "s3cret-token") {
		t.Error("the log prints the admin token")
	}
}
