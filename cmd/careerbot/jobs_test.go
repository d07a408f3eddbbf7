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

// TestJobsFetchJSON reads a recorded RemoteOK payload from a local server through a sources
// file and checks the stable JSON lines.
func TestJobsFetchJSON(t *testing.T) {
	payload, err := os.ReadFile(filepath.Join("..", "..", "jobs", "source", "testdata", "remoteok.json"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(payload) }))
	defer srv.Close()
	file := filepath.Join(t.TempDir(), "sources.yaml")
	body := "sources:\n  - name: remoteok\n    type: remoteok\n    url: " + srv.URL + "\n"
	if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"CAREERBOT_SOURCES": file}
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
