package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
)

// config is what serve reads from the environment. Every variable is listed in README.md.
type config struct {
	addr      string
	logLevel  slog.Level
	logFormat string // "json" or "text"
	redisURL  string // "" for the embedded store
	dataDir   string
}

// loadConfig reads and checks the environment; a bad value is an error naming the variable.
func loadConfig(getenv env, stderr io.Writer) (config, error) {
	cfg := config{addr: "127.0.0.1:8080", logFormat: "json"}
	if v := getenv("CAREERBOT_ADDR"); v != "" {
		cfg.addr = v
	}
	cfg.redisURL = strings.TrimSpace(getenv("REDIS_URL"))
	cfg.dataDir = getenv("CAREERBOT_DATA_DIR")
	if cfg.dataDir == "" {
		cfg.dataDir = defaultDataDir(getenv)
	}
	if v := getenv("CAREERBOT_LOG_LEVEL"); v != "" {
		if err := cfg.logLevel.UnmarshalText([]byte(v)); err != nil {
			return config{}, fmt.Errorf("CAREERBOT_LOG_LEVEL=%q: want debug, info, warn or error", v)
		}
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
