package slack

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"

	"github.com/careerbot/careerbot/bot"
	"go.yaml.in/yaml/v3"
)

// manifest is the subset of Slack's app manifest careerbot needs.
type manifest struct {
	DisplayInformation struct {
		Name            string `yaml:"name"`
		Description     string `yaml:"description"`
		LongDescription string `yaml:"long_description"`
		BackgroundColor string `yaml:"background_color"`
	} `yaml:"display_information"`
	Features struct {
		AppHome struct {
			HomeTabEnabled     bool `yaml:"home_tab_enabled"`
			MessagesTabEnabled bool `yaml:"messages_tab_enabled"`
		} `yaml:"app_home"`
		BotUser struct {
			DisplayName  string `yaml:"display_name"`
			AlwaysOnline bool   `yaml:"always_online"`
		} `yaml:"bot_user"`
		SlashCommands []slashCommand `yaml:"slash_commands"`
	} `yaml:"features"`
	OAuthConfig struct {
		RedirectURLs []string `yaml:"redirect_urls"`
		Scopes       struct {
			Bot []string `yaml:"bot"`
		} `yaml:"scopes"`
	} `yaml:"oauth_config"`
	Settings struct {
		EventSubscriptions struct {
			RequestURL string   `yaml:"request_url,omitempty"`
			BotEvents  []string `yaml:"bot_events"`
		} `yaml:"event_subscriptions"`
		Interactivity struct {
			IsEnabled  bool   `yaml:"is_enabled"`
			RequestURL string `yaml:"request_url,omitempty"`
		} `yaml:"interactivity"`
		OrgDeployEnabled     bool `yaml:"org_deploy_enabled"`
		SocketModeEnabled    bool `yaml:"socket_mode_enabled"`
		TokenRotationEnabled bool `yaml:"token_rotation_enabled"`
	} `yaml:"settings"`
}

type slashCommand struct {
	Command      string `yaml:"command"`
	URL          string `yaml:"url,omitempty"`
	Description  string `yaml:"description"`
	UsageHint    string `yaml:"usage_hint,omitempty"`
	ShouldEscape bool   `yaml:"should_escape"`
}

// Manifest returns the Slack app manifest (YAML) for a deployment at baseURL, with a slash
// command for every spec registered on Slack (bot.Router.Commands(bot.PlatformSlack)). With socketMode the request URLs are left out: Slack sends everything over
// the WebSocket.
func Manifest(specs []bot.Spec, baseURL string, socketMode bool) ([]byte, error) {
	if !socketMode {
		u, err := url.Parse(baseURL)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return nil, fmt.Errorf("the public URL must be https://host[/path], got %q", baseURL)
		}
	}
	base := strings.TrimSuffix(baseURL, "/")
	at := func(path string) string {
		if socketMode {
			return ""
		}
		return base + path
	}
	var m manifest
	m.DisplayInformation.Name = bot.Name
	m.DisplayInformation.Description = "Explains distributed architecture and keeps your team's study links."
	m.DisplayInformation.LongDescription = "careerbot explains distributed-architecture topics on demand " +
		"(/explain raft, /explain how does raft elect a leader), from foundations such as CAP, consistency " +
		"and consensus to Kubernetes, observability and security, and keeps the study links a team shares " +
		"(/share, /materials) with upvotes. Mention @careerbot in a channel to ask in public."
	m.DisplayInformation.BackgroundColor = "#1d3557"
	m.Features.AppHome.HomeTabEnabled = true
	m.Features.BotUser.DisplayName = bot.Name
	m.Features.BotUser.AlwaysOnline = true
	for _, s := range specs {
		if !s.On(bot.PlatformSlack) {
			continue
		}
		m.Features.SlashCommands = append(m.Features.SlashCommands, slashCommand{
			Command: "/" + s.Name, URL: at("/slack/commands"), Description: s.Summary, UsageHint: s.Hint(),
		})
	}
	if !socketMode {
		m.OAuthConfig.RedirectURLs = []string{at("/slack/oauth/callback")}
	}
	m.OAuthConfig.Scopes.Bot = botScopes
	m.Settings.EventSubscriptions.RequestURL = at("/slack/events")
	m.Settings.EventSubscriptions.BotEvents = []string{"app_home_opened", "app_mention"}
	m.Settings.Interactivity.IsEnabled = true
	m.Settings.Interactivity.RequestURL = at("/slack/interactions")
	m.Settings.SocketModeEnabled = socketMode
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&m); err != nil {
		return nil, fmt.Errorf("encode the manifest: %w", err)
	}
	return buf.Bytes(), nil
}
