package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// playgroundSay runs a command in the playground of a serving program and returns the reply's
// HTML.
func playgroundSay(t *testing.T, base, path string, body any) (int, string) {
	t.Helper()
	b, _ := json.Marshal(body)
	resp, err := http.Post(base+path, "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

// TestServeSampleJobs: `serve --sample-jobs` stores the embedded sample openings, which
// /jobs then finds, and the playground's button loads them again.
func TestServeSampleJobs(t *testing.T) {
	s := startServeArgs(t, map[string]string{"CAREERBOT_SOURCES": hostileBoard(t)}, "--sample-jobs")
	waitFor(t, s.base+"/healthz")
	for deadline := time.Now().Add(30 * time.Second); ; {
		code, html := playgroundSay(t, s.base, "/playground/command", map[string]string{"text": "/jobs seqera"})
		if code != http.StatusOK {
			t.Fatalf("%d %.300s", code, html)
		}
		if strings.Contains(html, "Senior Software Engineer - Cloud and Distributed Systems (sample)") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/jobs never found the sample: %.300s\n%s", html, s.logs)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if code, body := playgroundSay(t, s.base, "/playground/sample", map[string]string{}); code != http.StatusOK || !strings.Contains(body, `"loaded":8`) {
		t.Errorf("the sample button: %d %s", code, body)
	}
}
