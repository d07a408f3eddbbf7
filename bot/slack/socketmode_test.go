package slack

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
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
