package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// healthcheckTimeout bounds the whole check: an orchestrator runs it every few seconds.
const healthcheckTimeout = 3 * time.Second

// runHealthcheck asks the serve on CAREERBOT_ADDR whether it is alive (GET /healthz): exit 0
// when it answers 200, 1 otherwise with the reason. It is the container image's HEALTHCHECK,
// so the image needs no shell and no curl.
func runHealthcheck(ctx context.Context, args []string, getenv env, stderr io.Writer) int {
	fs := newFlags("healthcheck", "healthcheck\n\nExits 0 when the careerbot serving on CAREERBOT_ADDR answers GET /healthz with 200, else 1.", stderr)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	addr := getenv("CAREERBOT_ADDR")
	if addr == "" {
		addr = defaultAddr
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		fmt.Fprintf(stderr, "careerbot healthcheck: CAREERBOT_ADDR %q is not host:port: %v\n", addr, err)
		return exitFail
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1" // listening on every interface: ask this one
	}
	ctx, cancel := context.WithTimeout(ctx, healthcheckTimeout)
	defer cancel()
	url := "http://" + net.JoinHostPort(host, port) + "/healthz"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		fmt.Fprintf(stderr, "careerbot healthcheck: %v\n", err)
		return exitFail
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintf(stderr, "careerbot healthcheck: %s: %v\n", url, err)
		return exitFail
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintf(stderr, "careerbot healthcheck: %s answered %s\n", url, resp.Status)
		return exitFail
	}
	return exitOK
}
