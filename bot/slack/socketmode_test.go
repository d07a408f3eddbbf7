package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	goslack "github.com/slack-go/slack"
)

// TestSocketModeSurvivesDroppedConnections runs Socket Mode against the fake's
// apps.connections.open and WebSocket: each connection gets a slash command, the adapter
// acknowledges it with the reply, then the fake drops the connection as Slack does; the next
// command, on the next connection, is answered too.
func TestSocketModeSurvivesDroppedConnections(t *testing.T) {
	h := newHarness(t, withConfig(func(c *Config) { c.AppToken = "xapp-1-test" }))
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan error, 1)
	go func() { stopped <- h.adapter.RunSocketMode(ctx) }()

	for i, topic := range []string{"raft", "paxos", "quorum"} {
		var conn *websocket.Conn
		select {
		case conn = <-h.fake.sockets:
		case <-time.After(20 * time.Second):
			t.Fatalf("connection %d never opened; calls %v\n%s", i+1, h.fake.Calls("apps.connections.open"), h.logs)
		}
		hello := map[string]any{"type": "hello", "num_connections": 1,
			"connection_info": map[string]any{"app_id": "A1"}, "debug_info": map[string]any{"host": "fake"}}
		if err := conn.WriteJSON(hello); err != nil {
			t.Fatal(err)
		}
		envelope := map[string]any{
			"envelope_id": "env-" + topic, "type": "slash_commands", "accepts_response_payload": true,
			"payload": map[string]any{"team_id": "T1", "channel_id": "C1", "user_id": "U1", "user_name": "ann",
				"command": "/explain", "text": topic, "response_url": h.fake.ResponseURL("s"), "trigger_id": "1.2.3"},
		}
		if err := conn.WriteJSON(envelope); err != nil {
			t.Fatal(err)
		}
		ack := readAck(t, conn, "env-"+topic)
		raw, _ := json.Marshal(ack["payload"])
		if !strings.Contains(string(raw), `"type":"header"`) || !strings.Contains(strings.ToLower(string(raw)), topic) {
			t.Errorf("ack of %s carries %.200s", topic, raw)
		}
		// Drop the connection without a goodbye, as a network failure or a refresh does.
		conn.Close()
	}
	if n := len(h.fake.Calls("apps.connections.open")); n < 3 {
		t.Errorf("apps.connections.open called %d times, want a new connection after each drop", n)
	}
	cancel()
	select {
	case err := <-stopped:
		if err != nil {
			t.Errorf("RunSocketMode: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Error("RunSocketMode did not stop with its context")
	}
}

// readAck reads frames until the acknowledgement of envelope id.
func readAck(t *testing.T, conn *websocket.Conn, id string) map[string]any {
	t.Helper()
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		var msg map[string]any
		if err := conn.ReadJSON(&msg); err != nil {
			t.Fatalf("waiting for the ack of %s: %v", id, err)
		}
		if msg["envelope_id"] == id {
			return msg
		}
	}
}

func TestSocketModeNeedsTokens(t *testing.T) {
	h := newHarness(t)
	if err := h.adapter.RunSocketMode(context.Background()); err == nil {
		t.Error("Socket Mode ran without an app token")
	}
}

func TestAppTokenRefused(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string // in the error; "" when a retry may succeed
	}{
		{"invalid_auth", goslack.SlackErrorResponse{Err: "invalid_auth"}, "Slack refused SLACK_APP_TOKEN (invalid_auth)"},
		{"not_authed", goslack.SlackErrorResponse{Err: "not_authed"}, "SLACK_APP_TOKEN (not_authed)"},
		{"account_inactive", goslack.SlackErrorResponse{Err: "account_inactive"}, "SLACK_APP_TOKEN (account_inactive)"},
		{"token_revoked", goslack.SlackErrorResponse{Err: "token_revoked"}, "SLACK_APP_TOKEN (token_revoked)"},
		{"invalid_token", goslack.SlackErrorResponse{Err: "invalid_token"}, "SLACK_APP_TOKEN (invalid_token)"},
		{"wrong kind of token", goslack.SlackErrorResponse{Err: "not_allowed_token_type"}, "app-level token"},
		{"wrapped", fmt.Errorf("open: %w", goslack.SlackErrorResponse{Err: "invalid_auth"}), "SLACK_APP_TOKEN"},
		{"not found", goslack.StatusCodeError{Code: 404, Status: "404 Not Found"}, "SLACK_API_URL"},
		{"server error", goslack.StatusCodeError{Code: 503, Status: "503 Service Unavailable"}, ""},
		{"internal_error", goslack.SlackErrorResponse{Err: "internal_error"}, ""},
		{"rate limited", &goslack.RateLimitedError{RetryAfter: time.Second}, ""},
		{"network", errors.New("dial tcp: connection refused"), ""},
		{"nothing", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := appTokenRefused(tt.err)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("fatal %q, want a retry", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("got %v, want a fatal error with %q", err, tt.want)
			}
		})
	}
}
