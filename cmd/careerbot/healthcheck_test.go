package main

import (
	"strings"
	"testing"
)

// TestHealthcheck: 0 against a running serve, also when CAREERBOT_ADDR names every
// interface; 1 with the reason against a port nobody listens on, or a bad address.
func TestHealthcheck(t *testing.T) {
	s := startServe(t, map[string]string{})
	waitFor(t, s.base+"/healthz")
	addr := strings.TrimPrefix(s.base, "http://")
	_, port, _ := strings.Cut(addr, ":")
	for _, c := range []struct {
		addr, stderr string
		code         int
	}{
		{addr, "", exitOK},
		{"0.0.0.0:" + port, "", exitOK},
		{":" + port, "", exitOK},
		{freeAddr(t), "connection refused", exitFail},
		{"nonsense", "is not host:port", exitFail},
	} {
		code, _, stderr := runCLI(t, map[string]string{"CAREERBOT_ADDR": c.addr}, "healthcheck")
		if code != c.code || !strings.Contains(stderr, c.stderr) {
			t.Errorf("CAREERBOT_ADDR=%s: exit %d, %q; want %d, %q", c.addr, code, stderr, c.code, c.stderr)
		}
	}
}
