package main

import (
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/careerbot/careerbot/bot/discord"
	"github.com/careerbot/careerbot/bot/slack"
)

// config is what serve reads from the environment. Every variable is listed in README.md.
// defaultAddr is where serve listens without CAREERBOT_ADDR: this machine only.
const defaultAddr = "127.0.0.1:8080"

type config struct {
	addr           string
	logLevel       slog.Level
	logFormat      string   // "json" or "text"
	redisURL       string   // "" for the embedded store, unless a cluster or Sentinel is set
	redisCluster   []string // seed addresses
	redisSentinels []string
	redisMaster    string
	dataDir        string
	sourcesFile    string        // CAREERBOT_SOURCES; "" for the built-in list
	pollEvery      time.Duration // CAREERBOT_POLL_INTERVAL
	adminToken     string        // CAREERBOT_ADMIN_TOKEN: the status page's, when platforms are set
	playground     bool          // --playground: the page at / even with platforms configured
	sampleJobs     bool          // --sample-jobs: store the embedded sample openings at start-up
	slack          slack.Config
	discord        discord.Config
}

// discordEnabled reports whether any Discord transport is configured.
func (c config) discordEnabled() bool { return c.discord.BotToken != "" || c.discord.PublicKey != nil }

// usesRedis reports whether any Redis variable is set; otherwise the embedded store serves.
func (c config) usesRedis() bool {
	return c.redisURL != "" || len(c.redisCluster) > 0 || len(c.redisSentinels) > 0
}

// slackEnabled reports whether any Slack transport is configured.
func (c config) slackEnabled() bool { return c.slack.SigningSecret != "" || c.slack.AppToken != "" }

// loadConfig reads and checks the environment; a bad value is an error naming the variable.
func loadConfig(getenv env, stderr io.Writer) (config, error) {
	cfg := config{addr: defaultAddr, logFormat: "json"}
	if v := getenv("CAREERBOT_ADDR"); v != "" {
		cfg.addr = v
	}
	cfg.redisURL = strings.TrimSpace(getenv("REDIS_URL"))
	cfg.redisCluster = splitList(getenv("CAREERBOT_REDIS_CLUSTER"))
	cfg.redisSentinels = splitList(getenv("CAREERBOT_REDIS_SENTINELS"))
	cfg.redisMaster = strings.TrimSpace(getenv("CAREERBOT_REDIS_MASTER"))
	switch {
	case len(cfg.redisCluster) > 0 && len(cfg.redisSentinels) > 0:
		return config{}, errors.New("set CAREERBOT_REDIS_CLUSTER or CAREERBOT_REDIS_SENTINELS, not both")
	case len(cfg.redisSentinels) > 0 && cfg.redisMaster == "":
		return config{}, errors.New("CAREERBOT_REDIS_SENTINELS needs CAREERBOT_REDIS_MASTER, the name of the master")
	case cfg.redisMaster != "" && len(cfg.redisSentinels) == 0:
		return config{}, errors.New("CAREERBOT_REDIS_MASTER needs CAREERBOT_REDIS_SENTINELS, the Sentinel addresses")
	}
	cfg.dataDir = getenv("CAREERBOT_DATA_DIR")
	if cfg.dataDir == "" {
		cfg.dataDir = defaultDataDir(getenv)
	}
	if v := getenv("CAREERBOT_LOG_LEVEL"); v != "" {
		if err := cfg.logLevel.UnmarshalText([]byte(v)); err != nil {
			return config{}, fmt.Errorf("CAREERBOT_LOG_LEVEL=%q: want debug, info, warn or error", v)
		}
	}
	cfg.slack = slack.Config{
		SigningSecret: getenv("SLACK_SIGNING_SECRET"),
		BotToken:      getenv("SLACK_BOT_TOKEN"),
		AppToken:      getenv("SLACK_APP_TOKEN"),
		ClientID:      getenv("SLACK_CLIENT_ID"),
		ClientSecret:  getenv("SLACK_CLIENT_SECRET"),
		SecretKey:     getenv("CAREERBOT_SECRET_KEY"),
		APIURL:        getenv("SLACK_API_URL"),
	}
	cfg.slack.Admins = splitList(getenv("CAREERBOT_SLACK_ADMINS"))
	cfg.adminToken = getenv("CAREERBOT_ADMIN_TOKEN")
	err := checkSlack(cfg.slack)
	if err != nil {
		return config{}, err
	}
	if cfg.discord, err = loadDiscord(getenv); err != nil {
		return config{}, err
	}
	cfg.sourcesFile = getenv("CAREERBOT_SOURCES")
	if cfg.pollEvery, err = pollInterval(getenv); err != nil {
		return config{}, err
	}
	if v := getenv("CAREERBOT_DOWN_GRACE"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return config{}, fmt.Errorf("CAREERBOT_DOWN_GRACE=%q: want a duration such as 30s", v)
		}
		cfg.slack.DownGrace, cfg.discord.DownGrace = d, d
	}
	switch v := strings.ToLower(getenv("CAREERBOT_LOG_FORMAT")); v {
	case "":
		if isTerminal(stderr) {
			cfg.logFormat = "text"
		}
	case "json", "text":
		cfg.logFormat = v
	default:
		return config{}, fmt.Errorf("CAREERBOT_LOG_FORMAT=%q: want json or text", v)
	}
	return cfg, nil
}

// defaultPollInterval is how often job sources are polled unless CAREERBOT_POLL_INTERVAL or a
// source's every says otherwise.
const defaultPollInterval = 15 * time.Minute

// pollInterval reads CAREERBOT_POLL_INTERVAL: at least a minute, boards are not ours to hammer.
func pollInterval(getenv env) (time.Duration, error) {
	v := getenv("CAREERBOT_POLL_INTERVAL")
	if v == "" {
		return defaultPollInterval, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < time.Minute {
		return 0, fmt.Errorf("CAREERBOT_POLL_INTERVAL=%q: want a duration of a minute or more, such as 15m", v)
	}
	return d, nil
}

// splitList reads a comma-separated list, ignoring spaces and empty items.
func splitList(v string) []string {
	var out []string
	for item := range strings.SplitSeq(v, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// checkSlack refuses half a Slack configuration with the variable that is missing.
func checkSlack(c slack.Config) error {
	if c.SigningSecret == "" && c.AppToken == "" {
		if c.BotToken != "" || c.ClientID != "" {
			return errors.New("a Slack token needs SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode) beside it")
		}
		return nil
	}
	if c.AppToken != "" && !strings.HasPrefix(c.AppToken, "xapp-") {
		return errors.New("SLACK_APP_TOKEN must be an app-level token (xapp-...)")
	}
	if c.AppToken != "" && c.BotToken == "" {
		return errors.New("the Slack Socket Mode needs SLACK_BOT_TOKEN as well as SLACK_APP_TOKEN")
	}
	if c.BotToken == "" && c.ClientID == "" {
		return errors.New("the Slack adapter needs SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (installs)")
	}
	if c.ClientID != "" && (c.ClientSecret == "" || c.SecretKey == "") {
		return errors.New("installing into Slack workspaces needs SLACK_CLIENT_SECRET and CAREERBOT_SECRET_KEY as well as SLACK_CLIENT_ID")
	}
	if c.ClientID != "" && c.SigningSecret == "" {
		return errors.New("installing into Slack workspaces needs SLACK_SIGNING_SECRET: the OAuth flow runs over HTTP")
	}
	if c.APIURL != "" {
		if u, err := url.Parse(c.APIURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return fmt.Errorf("SLACK_API_URL=%q is not an http(s) URL", c.APIURL)
		}
	}
	return nil
}

// loadDiscord reads the Discord variables; a public key that is not 32 bytes of hex is refused.
func loadDiscord(getenv env) (discord.Config, error) {
	c := discord.Config{
		BotToken:      getenv("DISCORD_BOT_TOKEN"),
		ApplicationID: getenv("DISCORD_APPLICATION_ID"),
		APIURL:        getenv("DISCORD_API_URL"),
	}
	if v := strings.TrimSpace(getenv("DISCORD_PUBLIC_KEY")); v != "" {
		key, err := hex.DecodeString(v)
		if err != nil || len(key) != ed25519.PublicKeySize {
			return c, errors.New("DISCORD_PUBLIC_KEY must be the application's public key: 64 hex characters")
		}
		c.PublicKey = ed25519.PublicKey(key)
	}
	if c.APIURL != "" {
		if u, err := url.Parse(c.APIURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return c, fmt.Errorf("DISCORD_API_URL=%q is not an http(s) URL", c.APIURL)
		}
	}
	return c, nil
}

func newLogger(w io.Writer, cfg config) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.logLevel}
	if cfg.logFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// isTerminal reports whether w is a character device, as a terminal is.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
