package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runCLI runs the program with args and returns its exit code, stdout and stderr.
func runCLI(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestCLI(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		code      int
		stdout    string // prefix of stdout
		stderrHas string
		stdoutHas string
	}{
		{name: "no arguments", args: nil, code: 2, stderrHas: "Usage:"},
		{name: "help", args: []string{"--help"}, code: 0, stdout: "careerbot explains"},
		{name: "short help", args: []string{"-h"}, code: 0, stdout: "careerbot explains"},
		{name: "version", args: []string{"--version"}, code: 0, stdout: "careerbot dev"},
		{name: "mistyped subcommand", args: []string{"expalin", "raft"}, code: 2, stderrHas: `unknown command "expalin"`},
		{name: "unknown flag", args: []string{"--verbose"}, code: 2, stderrHas: "unknown flag --verbose"},
		{name: "explain", args: []string{"explain", "consistency"}, code: 0, stdout: "Consistency models\n"},
		{name: "explain a question", args: []string{"explain", "how", "does", "raft", "elect", "a", "leader"}, code: 0, stdout: "Raft consensus algorithm\n"},
		{name: "explain unknown", args: []string{"explain", "banana", "bread"}, code: 1, stdout: "No topic on ‘banana bread’ yet"},
		{name: "explain nothing", args: []string{"explain"}, code: 0, stdout: "What should careerbot explain?"},
		{name: "explain help", args: []string{"explain", "--help"}, code: 0, stderrHas: "Usage: careerbot explain"},
		{name: "explain bad flag", args: []string{"explain", "--deep", "raft"}, code: 2, stderrHas: "flag provided but not defined: -deep"},
		{name: "topics", args: []string{"topics"}, code: 0, stdout: "Topics (", stdoutHas: "CONSENSUS AND COORDINATION"},
		{name: "topics of a category", args: []string{"topics", "security"}, code: 0, stdout: "Security\n", stdoutHas: "Zero trust"},
		{name: "path", args: []string{"path", "sre"}, code: 0, stdout: "Learning path: Site reliability engineer (SRE)\n", stdoutHas: "BASICS"},
		{name: "path of a typed role", args: []string{"path", "platform", "engineer"}, code: 0, stdout: "Learning path: Platform engineer\n"},
		{name: "path of an unknown role", args: []string{"path", "chef"}, code: 1, stdout: "No learning path for ‘chef’", stdoutHas: "Site reliability engineer"},
		{name: "knowledge lint", args: []string{"knowledge", "lint"}, code: 0, stdoutHas: "ok: every topic file is valid"},
		{name: "knowledge without lint", args: []string{"knowledge"}, code: 2, stderrHas: "Usage: careerbot knowledge lint"},
		{name: "knowledge lint extra argument", args: []string{"knowledge", "lint", "x"}, code: 2, stderrHas: `unexpected argument "x"`},
		{name: "serve bad flag", args: []string{"serve", "--port", "1"}, code: 2, stderrHas: "flag provided but not defined"},
		{name: "serve help", args: []string{"serve", "--help"}, code: 0, stderrHas: "Usage: careerbot serve"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runCLI(t, nil, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, stdout, stderr)
			}
			if !strings.HasPrefix(stdout, tt.stdout) {
				t.Errorf("stdout starts %q, want %q", firstLine(stdout), tt.stdout)
			}
			if !strings.Contains(stdout, tt.stdoutHas) {
				t.Errorf("stdout lacks %q", tt.stdoutHas)
			}
			if !strings.Contains(stderr, tt.stderrHas) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderrHas, stderr)
			}
			if strings.Contains(stderr, "goroutine ") {
				t.Errorf("stderr has a stack trace:\n%s", stderr)
			}
		})
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func TestKnowledgeLintDir(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join("..", "..", "knowledge", "topics", "raft.md"))
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(src), "related: [", "related: [no-such-topic, ", 1)
	if err := os.WriteFile(filepath.Join(dir, "raft.md"), []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ := runCLI(t, nil, "knowledge", "lint", "--dir", dir)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if !strings.Contains(stdout, `raft.md: related topic "no-such-topic" does not exist`) {
		t.Errorf("stdout does not name the file and reason:\n%s", stdout)
	}
}

func TestServeConfigErrors(t *testing.T) {
	tests := map[string]map[string]string{
		"log level":  {"CAREERBOT_LOG_LEVEL": "loud"},
		"log format": {"CAREERBOT_LOG_FORMAT": "xml"},
	}
	for name, env := range tests {
		t.Run(name, func(t *testing.T) {
			code, _, stderr := runCLI(t, env, "serve")
			if code != 2 || !strings.Contains(stderr, "CAREERBOT_LOG_") {
				t.Errorf("exit %d, stderr %q", code, stderr)
			}
		})
	}
	for _, v := range []string{"soon", "10s", "-5m"} {
		code, _, stderr := runCLI(t, map[string]string{"CAREERBOT_POLL_INTERVAL": v}, "serve")
		if code != 2 || !strings.Contains(stderr, "CAREERBOT_POLL_INTERVAL") {
			t.Errorf("CAREERBOT_POLL_INTERVAL=%s: exit %d, stderr %q", v, code, stderr)
		}
	}
	bad := filepath.Join(t.TempDir(), "sources.yaml")
	if err := os.WriteFile(bad, []byte("sources:\n  - name: x\n    type: nope\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI(t, map[string]string{"CAREERBOT_SOURCES": bad}, "serve"); code == 0 || !strings.Contains(stderr, "nope") {
		t.Errorf("a bad sources file: exit %d, stderr %q", code, stderr)
	}
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestServe runs the server as main does, checks its endpoints, then stops it the way SIGTERM
// does (cancelling the context) and expects a clean exit.
func TestServe(t *testing.T) {
	addr := freeAddr(t)
	dataDir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr syncBuffer
	done := make(chan int, 1)
	sources := localBoard(t)
	go func() {
		env := map[string]string{"CAREERBOT_ADDR": addr, "CAREERBOT_LOG_LEVEL": "debug", "CAREERBOT_DATA_DIR": dataDir, "CAREERBOT_SOURCES": sources}
		done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, strings.NewReader(""), io.Discard, &stderr)
	}()

	base := "http://" + addr
	waitFor(t, base+"/healthz")

	tests := []struct {
		path string
		code int
		has  string
	}{
		{"/healthz", 200, `"status":"ok"`},
		{"/readyz", 200, `"store":"ok"`},
		{"/metrics", 200, "careerbot_http_requests_total"},
		{"/nope", 404, ""},
	}
	for _, tt := range tests {
		resp, err := http.Get(base + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.code || !strings.Contains(string(body), tt.has) {
			t.Errorf("GET %s = %d %q, want %d containing %q", tt.path, resp.StatusCode, body, tt.code, tt.has)
		}
	}
	resp, err := http.Post(base+"/healthz", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /healthz = %d, want 405", resp.StatusCode)
	}

	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited %d after shutdown, want 0\n%s", code, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop after its context was cancelled")
	}
	logs := stderr.String()
	for _, want := range []string{`"msg":"careerbot serving"`, `"msg":"stopped cleanly"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %s:\n%s", want, logs)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		if !json.Valid([]byte(line)) {
			t.Errorf("log line is not JSON: %s", line)
		}
	}
}

func TestServeAddressInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	code, _, stderr := runCLI(t, map[string]string{"CAREERBOT_ADDR": ln.Addr().String(), "CAREERBOT_DATA_DIR": t.TempDir()}, "serve")
	if code != 1 || !strings.Contains(stderr, "listen on") {
		t.Errorf("exit %d, stderr %s", code, stderr)
	}
}

// waitFor polls url until it answers, for a server started in the background.
func waitFor(t *testing.T, url string) {
	t.Helper()
	for i := 0; i < 200; i++ {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			return
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatalf("%s never answered", url)
}

// TestQuizInTheTerminal answers a question by typing a letter: the answer is checked by the
// same handlers as a button, and the explanation follows.
func TestQuizInTheTerminal(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"quiz", "acid"}, func(string) string { return "" },
		strings.NewReader("z\nb\n"), &stdout, &stderr)
	out := stdout.String()
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, stderr.String())
	}
	for _, want := range []string{"Quiz: ACID transactions", "Your answer (A, B, C", `"z" is not one of the options`, "You chose B.", "WHY"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(out, "\nRight\n") && !strings.Contains(out, "\nNot quite\n") {
		t.Errorf("no verdict:\n%s", out)
	}
	stdout.Reset()
	if code := run(context.Background(), []string{"quiz", "banana", "bread"}, func(string) string { return "" },
		strings.NewReader(""), &stdout, &stderr); code != 1 || !strings.Contains(stdout.String(), "No topic on ‘banana bread’ yet") {
		t.Errorf("unknown topic: exit %d\n%s", code, stdout.String())
	}
}
