package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// localBoard serves the recorded RemoteOK payload from a local server and returns a sources
// file that points at it: every test that runs serve uses one, so that no test polls the
// internet.
func localBoard(t *testing.T) string {
	t.Helper()
	payload, err := os.ReadFile(filepath.Join("..", "..", "jobs", "source", "testdata", "remoteok.json"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(payload) }))
	t.Cleanup(srv.Close)
	file := filepath.Join(t.TempDir(), "sources.yaml")
	body := "sources:\n  - name: remoteok\n    type: remoteok\n    url: " + srv.URL + "\n"
	if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// TestJobsFetchJSON reads a recorded RemoteOK payload from a local server through a sources
// file and checks the stable JSON lines.
func TestJobsFetchJSON(t *testing.T) {
	env := map[string]string{"CAREERBOT_SOURCES": localBoard(t)}
	code, stdout, stderr := runCLI(t, env, "jobs", "fetch", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) < 5 {
		t.Fatalf("%d openings:\n%s", len(lines), stdout)
	}
	for _, line := range lines {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		for _, key := range []string{"id", "title", "company", "locations", "remote", "seniority", "employment_type", "salary_min",
			"salary_max", "salary_currency", "salary_period", "visa", "url", "posted", "closes", "skills", "topics", "source"} {
			if _, ok := rec[key]; !ok {
				t.Errorf("a record lacks %q: %s", key, line)
			}
		}
		if rec["source"] != "remoteok" || !strings.HasPrefix(rec["id"].(string), "remoteok:") {
			t.Errorf("source and id: %s", line)
		}
	}
	code, stdout, _ = runCLI(t, env, "jobs", "sources")
	if code != 0 || !strings.Contains(stdout, "remoteok") {
		t.Errorf("jobs sources: %d %s", code, stdout)
	}
	if code, _, _ := runCLI(t, env, "jobs", "fetch", "--source", "nope"); code != 2 {
		t.Errorf("an unknown source: exit %d, want 2", code)
	}
	if code, _, _ := runCLI(t, map[string]string{"CAREERBOT_SOURCES": "/no/such/file"}, "jobs", "sources"); code != 2 {
		t.Errorf("a missing sources file: exit %d, want 2", code)
	}
}

// TestJobsPollSearchTrends polls the local board into the embedded store, then answers
// search, trends and sources from it, as an operator would.
func TestJobsPollSearchTrends(t *testing.T) {
	env := map[string]string{"CAREERBOT_SOURCES": localBoard(t), "CAREERBOT_DATA_DIR": t.TempDir()}
	code, stdout, stderr := runCLI(t, env, "jobs", "search", "devops")
	if code != 1 || !strings.Contains(stdout, "holds no open openings yet") {
		t.Errorf("before any poll: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, stdout, _ = runCLI(t, env, "jobs", "sources"); code != 0 || !strings.Contains(stdout, "remoteok") || !strings.Contains(stdout, "not polled yet") {
		t.Errorf("jobs sources before a poll: %d %s", code, stdout)
	}
	code, stdout, stderr = runCLI(t, env, "jobs", "poll")
	if code != 0 || !strings.Contains(stdout, "remoteok: 13 listed, 13 open in the store") {
		t.Fatalf("jobs poll: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr = runCLI(t, env, "jobs", "search", "devops", "remote:yes", "-php")
	if code != 0 || !strings.Contains(strings.ToLower(stdout), "staff devops engineer — life360") || !strings.Contains(stdout, "via RemoteOK") {
		t.Errorf("jobs search: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, stdout, _ = runCLI(t, env, "jobs", "search", "kafka", "OR"); code != 1 || !strings.Contains(stdout, "That query cannot be read") {
		t.Errorf("a bad query: exit %d\n%s", code, stdout)
	}
	code, stdout, _ = runCLI(t, env, "jobs", "sources")
	if code != 0 || !strings.Contains(stdout, ": 13 open, last success ") {
		t.Errorf("jobs sources: %d %s", code, stdout)
	}
	// The recorded openings were posted in March 2026: none in the last 30 days.
	code, stdout, stderr = runCLI(t, env, "jobs", "trends")
	if code != 1 || !strings.Contains(stdout, "posted in the last 30 days, so there is nothing to count") {
		t.Errorf("jobs trends: exit %d\n%s%s", code, stdout, stderr)
	}
}
