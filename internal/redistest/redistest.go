// Package redistest runs a real redis-server for tests: started on a free loopback port,
// stopped and restarted on demand (to test outages), removed when the test ends. When REDIS_URL
// is set, Client uses that server instead, so the tests can run against any Redis.
package redistest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Server is a redis-server process owned by one test.
type Server struct {
	t     testing.TB
	port  int
	dir   string
	extra []string // more redis-server arguments

	mu  sync.Mutex
	cmd *exec.Cmd
}

// Start starts redis-server on a free port and stops it when the test ends. It fails the test
// with what to install when redis-server is missing.
func Start(t testing.TB) *Server {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Fatal("redis-server is not installed: install it (apt-get install redis-server) or run the tests with bash .ci/test, which does")
	}
	s := &Server{t: t, port: freePort(t), dir: t.TempDir()}
	s.Restart()
	t.Cleanup(s.Stop)
	return s
}

// Addr is the server's host:port.
func (s *Server) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)) }

// URL is the server's redis:// URL.
func (s *Server) URL() string { return "redis://" + s.Addr() + "/0" }

// Restart starts the server again on the same port (after Stop) and waits until it answers.
// The server writes every change to its append-only file before answering, so a restart finds
// exactly what was acknowledged before the kill.
func (s *Server) Restart() {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		return
	}
	args := append([]string{
		"--port", strconv.Itoa(s.port), "--bind", "127.0.0.1", "--dir", s.dir,
		"--save", "", "--appendonly", "yes", "--appendfsync", "always", "--daemonize", "no", "--loglevel", "warning",
	}, s.extra...)
	cmd := exec.Command("redis-server", args...)
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("start redis-server: %v", err)
	}
	s.cmd = cmd
	rdb := redis.NewClient(&redis.Options{Addr: s.Addr(), MaxRetries: -1})
	defer rdb.Close()
	for range 500 {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		err := rdb.Ping(ctx).Err()
		cancel()
		if err == nil {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	s.t.Fatalf("redis-server on %s did not answer", s.Addr())
}

// Stop kills the server, as a crash would, and waits for it to exit.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	s.cmd = nil
}

// Client returns a client of this server, closed when the test ends. Like careerbot's own
// client it retries a failed command once, so an outage fails commands quickly.
func (s *Server) Client(t testing.TB) *redis.Client {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: s.Addr(), MaxRetries: 1})
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

// Client returns a client of REDIS_URL when it is set, and otherwise of a redis-server started
// for the test. Tests share a server safely by using workspaces of their own.
func Client(t testing.TB) *redis.Client {
	t.Helper()
	if u := os.Getenv("REDIS_URL"); u != "" {
		opts, err := redis.ParseURL(u)
		if err != nil {
			t.Fatalf("REDIS_URL: %v", err)
		}
		rdb := redis.NewClient(opts)
		t.Cleanup(func() { _ = rdb.Close() })
		return rdb
	}
	return Start(t).Client(t)
}

func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// Cluster is a Redis Cluster of three masters started for one test.
type Cluster struct {
	Addrs []string
}

// StartCluster starts three redis-server nodes in cluster mode on free ports, joins them into
// one cluster that covers every slot, and stops them when the test ends.
func StartCluster(t testing.TB) *Cluster {
	t.Helper()
	if _, err := exec.LookPath("redis-cli"); err != nil {
		t.Fatal("redis-cli is not installed: install redis-server (apt-get install redis-server), which brings it")
	}
	c := &Cluster{}
	for range 3 {
		s := &Server{t: t, port: freePort(t), dir: t.TempDir(),
			extra: []string{"--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000"}}
		s.Restart()
		t.Cleanup(s.Stop)
		c.Addrs = append(c.Addrs, s.Addr())
	}
	args := append([]string{"--cluster", "create"}, c.Addrs...)
	args = append(args, "--cluster-replicas", "0", "--cluster-yes")
	if out, err := exec.Command("redis-cli", args...).CombinedOutput(); err != nil {
		t.Fatalf("create the cluster: %v\n%s", err, out)
	}
	// Every node must see the whole cluster before a test may use it: one node saying
	// cluster_state:ok while another still gossips answers CLUSTERDOWN.
	nodes := make([]*redis.Client, len(c.Addrs))
	for i, addr := range c.Addrs {
		nodes[i] = redis.NewClient(&redis.Options{Addr: addr})
		defer nodes[i].Close()
	}
	ready := func() bool {
		for _, n := range nodes {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			info, err := n.ClusterInfo(ctx).Result()
			cancel()
			if err != nil || !strings.Contains(info, "cluster_state:ok") || !strings.Contains(info, "cluster_slots_ok:16384") ||
				!strings.Contains(info, "cluster_known_nodes:3") {
				return false
			}
		}
		return true
	}
	for range 500 {
		if ready() {
			return c
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the cluster never reached cluster_state:ok on every node")
	return nil
}

// Client returns a cluster client, closed when the test ends.
func (c *Cluster) Client(t testing.TB) *redis.ClusterClient {
	t.Helper()
	rdb := redis.NewClusterClient(&redis.ClusterOptions{Addrs: c.Addrs, MaxRetries: 1})
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

// StartSentinel starts a Redis Sentinel that monitors master under name, and returns its
// address once it knows the master. It stops when the test ends.
func StartSentinel(t testing.TB, master *Server, name string) string {
	t.Helper()
	port := freePort(t)
	dir := t.TempDir()
	conf := filepath.Join(dir, "sentinel.conf")
	body := fmt.Sprintf("port %d\nbind 127.0.0.1\ndir %s\nsentinel monitor %s 127.0.0.1 %d 1\nsentinel down-after-milliseconds %s 5000\n",
		port, dir, name, master.port, name)
	if err := os.WriteFile(conf, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("redis-server", conf, "--sentinel", "--loglevel", "warning")
	if err := cmd.Start(); err != nil {
		t.Fatalf("start redis sentinel: %v", err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	sc := redis.NewSentinelClient(&redis.Options{Addr: addr, MaxRetries: -1})
	defer sc.Close()
	for range 500 {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		got, err := sc.GetMasterAddrByName(ctx, name).Result()
		cancel()
		if err == nil && len(got) == 2 {
			return addr
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("the sentinel on %s never knew master %s", addr, name)
	return ""
}
