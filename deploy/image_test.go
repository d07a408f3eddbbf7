package deploy_test

import (
	"bufio"
	"debug/elf"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// dockerfile reads deploy/Dockerfile's instructions, one per line, continuations joined.
func dockerfile(t *testing.T) []string {
	t.Helper()
	f, err := os.Open("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	var cur string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		cur += line
		if strings.HasSuffix(cur, `\`) {
			cur = strings.TrimSuffix(cur, `\`) + " "
			continue
		}
		out = append(out, cur)
		cur = ""
	}
	return out
}

// TestImage builds the binary exactly as deploy/Dockerfile does (its own `go build` line, the
// build arguments filled in for this machine), checks that it is static, and runs it in a
// root holding only what the final stage copies: the binary and the empty data directory.
// `--version` shows the stamped version and commit; `serve` answers; `healthcheck` says so,
// and says the opposite once serve is stopped. No Docker engine is needed, or used.
func TestImage(t *testing.T) {
	lines := dockerfile(t)
	var build, user, health string
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "RUN ") && strings.Contains(l, "go build"):
			build = strings.TrimPrefix(l, "RUN ")
		case strings.HasPrefix(l, "USER "):
			user = strings.TrimPrefix(l, "USER ")
		case strings.HasPrefix(l, "HEALTHCHECK "):
			health = l
		}
	}
	if build == "" {
		t.Fatal("the Dockerfile has no go build step")
	}
	if !regexp.MustCompile(`^[1-9][0-9]*:[1-9][0-9]*$`).MatchString(user) {
		t.Errorf("the image's USER %q is not a numeric non-root user and group", user)
	}
	if !strings.Contains(health, `CMD ["/careerbot", "healthcheck"]`) {
		t.Errorf("the HEALTHCHECK does not run careerbot healthcheck: %q", health)
	}
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", "-X main.version=$VERSION", "-X main.commit=$COMMIT"} {
		if !strings.Contains(build, want) {
			t.Errorf("the build step lacks %s: %s", want, build)
		}
	}

	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, "data"), 0o777); err != nil {
		t.Fatal(err)
	}
	cmdline := strings.NewReplacer("/out/careerbot", filepath.Join(root, "careerbot"), "$TARGETOS", runtime.GOOS,
		"$TARGETARCH", runtime.GOARCH, "$VERSION", "v9.9.9-test", "$COMMIT", "c0ffee1").Replace(build)
	sh := exec.Command("sh", "-c", cmdline)
	sh.Dir = ".."
	if out, err := sh.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", cmdline, err, out)
	}

	bin := filepath.Join(root, "careerbot")
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("the binary is not static: it has a %v program header", p.Type)
		}
	}
	if f.Section(".dynamic") != nil || f.Section(".interp") != nil {
		t.Error("the binary is not static: it has a dynamic section")
	}
	f.Close()

	// In the empty root: chroot when running as root (the tests here do), otherwise the same
	// files with an empty environment, which still proves nothing else is read.
	run := func(env []string, args ...string) *exec.Cmd {
		c := exec.Command(bin, args...)
		c.Env = env
		if os.Geteuid() == 0 {
			c.Path, c.Args[0] = "/careerbot", "/careerbot"
			c.SysProcAttr = &syscall.SysProcAttr{Chroot: root}
			c.Dir = "/"
		} else {
			c.Dir = root
		}
		return c
	}
	out, err := run(nil, "--version").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "careerbot v9.9.9-test (c0ffee1)") {
		t.Fatalf("--version: %v %q", err, out)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	dataDir := "/data"
	if os.Geteuid() != 0 {
		dataDir = filepath.Join(root, "data")
	}
	env := []string{"CAREERBOT_ADDR=" + addr, "CAREERBOT_DATA_DIR=" + dataDir, "CAREERBOT_POLL_INTERVAL=1h"}
	serve := run(env, "serve")
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			_ = serve.Process.Kill()
			_ = serve.Wait()
		}
	})
	for deadline := time.Now().Add(30 * time.Second); ; {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve in the empty root never answered: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if out, err := run(env, "healthcheck").CombinedOutput(); err != nil {
		t.Errorf("healthcheck against a running serve: %v %s", err, out)
	}
	if err := serve.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := serve.Wait(); err != nil {
		t.Errorf("serve after SIGTERM: %v", err)
	}
	stopped = true
	err = run(env, "healthcheck").Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Errorf("healthcheck with serve stopped: %v, want exit 1", err)
	}
	if _, err := os.Stat(filepath.Join(root, "data", "careerbot.db")); err != nil {
		t.Errorf("the embedded store is not in the data volume: %v", err)
	}
}
