package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

func TestDiscordRegister(t *testing.T) {
	var (
		mu   sync.Mutex
		got  []string
		body []byte
	)
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, r.Method+" "+r.URL.Path+" "+r.Header.Get("Authorization"))
		body = b
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Write(b)
	}))
	defer fake.Close()
	env := map[string]string{"DISCORD_BOT_TOKEN": "tok", "DISCORD_APPLICATION_ID": "APP", "DISCORD_API_URL": fake.URL + "/api/v10/"}

	code, stdout, stderr := runCLI(t, env, "discord", "register", "--guild", "G1")
	if code != 0 || !strings.Contains(stdout, "in guild G1") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if len(got) != 1 || !strings.HasPrefix(got[0], "PUT /api/") || !strings.HasSuffix(got[0], "/applications/APP/guilds/G1/commands Bot tok") {
		t.Errorf("requests %v", got)
	}
	var cmds []map[string]any
	if err := json.Unmarshal(body, &cmds); err != nil || len(cmds) != 8 {
		t.Errorf("%d commands sent (%v): %s", len(cmds), err, body)
	}

	code, stdout, _ = runCLI(t, nil, "discord", "register", "--print")
	if code != 0 || !strings.Contains(stdout, `"name": "explain"`) {
		t.Errorf("--print: exit %d\n%.300s", code, stdout)
	}
	if code, _, stderr := runCLI(t, map[string]string{"DISCORD_API_URL": fake.URL}, "discord", "register"); code != 1 || !strings.Contains(stderr, "DISCORD_APPLICATION_ID") {
		t.Errorf("without credentials: exit %d %s", code, stderr)
	}
	if code, _, _ := runCLI(t, nil, "discord", "regster"); code != 2 {
		t.Errorf("mistyped: exit %d", code)
	}
}

func TestDiscordConfigErrors(t *testing.T) {
	for name, env := range map[string]map[string]string{
		"public key not hex":   {"DISCORD_PUBLIC_KEY": "xyz"},
		"public key too short": {"DISCORD_PUBLIC_KEY": "abcd"},
		"bad API URL":          {"DISCORD_BOT_TOKEN": "t", "DISCORD_API_URL": "discord.com"},
	} {
		t.Run(name, func(t *testing.T) {
			env["CAREERBOT_DATA_DIR"] = t.TempDir()
			if code, _, stderr := runCLI(t, env, "serve"); code != 2 || !strings.Contains(stderr, "DISCORD_") {
				t.Errorf("exit %d: %s", code, stderr)
			}
		})
	}
}
