package discord

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

func TestGatewayRefused(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string // in the error; "" when a retry may succeed
	}{
		{"authentication failed", &websocket.CloseError{Code: 4004}, "DISCORD_BOT_TOKEN"},
		{"wrapped", fmt.Errorf("open: %w", &websocket.CloseError{Code: 4004}), "DISCORD_BOT_TOKEN"},
		{"invalid shard", &websocket.CloseError{Code: 4010}, "shard"},
		{"sharding required", &websocket.CloseError{Code: 4011}, "shard"},
		{"invalid API version", &websocket.CloseError{Code: 4012}, "DISCORD_API_URL"},
		{"invalid intents", &websocket.CloseError{Code: 4013}, "intents"},
		{"disallowed intents", &websocket.CloseError{Code: 4014}, "disallowed intents"},
		{"unauthorized REST", &discordgo.RESTError{Response: &http.Response{StatusCode: 401}}, "DISCORD_BOT_TOKEN"},
		{"unknown error code", &websocket.CloseError{Code: 4000}, ""},
		{"session timed out", &websocket.CloseError{Code: 4009}, ""},
		{"abnormal closure", &websocket.CloseError{Code: websocket.CloseAbnormalClosure}, ""},
		{"bad handshake", websocket.ErrBadHandshake, ""},
		{"server error", &discordgo.RESTError{Response: &http.Response{StatusCode: 502}}, ""},
		{"nothing", nil, ""},
		{"other", errors.New("dial tcp: connection refused"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := gatewayRefused(tt.err)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("fatal %q, want a retry", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("got %v, want a fatal error naming %s", err, tt.want)
			}
		})
	}
}
