package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/bot/career"
	"github.com/careerbot/careerbot/bot/deliver"
	"github.com/careerbot/careerbot/bot/discord"
	"github.com/careerbot/careerbot/bot/playground"
	"github.com/careerbot/careerbot/bot/slack"
	"github.com/careerbot/careerbot/bot/study"
	"github.com/careerbot/careerbot/bot/web"
	"github.com/careerbot/careerbot/jobs"
	"github.com/careerbot/careerbot/knowledge"
	"golang.org/x/sync/errgroup"
)

// catalogRefresh is how often a replica applies the store's new openings to its search index.
const catalogRefresh = 30 * time.Second

// shutdownGrace is how long everything in flight gets to finish after SIGINT/SIGTERM, in all:
// HTTP requests, follow-ups and the adapters' work share one deadline, so the process is gone
// well within an orchestrator's grace period (30 s in deploy/).
const shutdownGrace = 10 * time.Second

// stopClock is the shared deadline of a shutdown, set when it begins.
type stopClock struct{ at atomic.Int64 }

func (c *stopClock) begin() { c.at.CompareAndSwap(0, time.Now().Add(shutdownGrace).UnixNano()) }

// context returns a context that ends at the shutdown's deadline (from now, when the shutdown
// has not begun), carrying parent's values but not its end.
func (c *stopClock) context(parent context.Context) (context.Context, context.CancelFunc) {
	c.begin()
	return context.WithDeadline(context.WithoutCancel(parent), time.Unix(0, c.at.Load()))
}

// runServe runs the bot until ctx is cancelled (SIGINT/SIGTERM), then drains and exits 0.
func runServe(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) int {
	fs := newFlags("serve", "serve [--playground] [--sample-jobs]\n\nRuns the bot. Configuration comes from the environment (see README.md).", stderr)
	playground := fs.Bool("playground", false, "serve the playground page at / even when Slack or Discord is configured")
	sampleJobs := fs.Bool("sample-jobs", false, "store the embedded sample openings (source \"sample\"), for a first run without network")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "careerbot serve: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return exitUsage
	}
	cfg, err := loadConfig(getenv, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "careerbot serve: %v\n", err)
		return exitUsage
	}
	cfg.playground, cfg.sampleJobs = *playground, *sampleJobs
	log := newLogger(stderr, cfg)
	if err := serve(ctx, cfg, log); err != nil {
		log.Error("careerbot stopped", "err", err)
		return exitFail
	}
	return exitOK
}

// newRouter routes every command careerbot has. A nil j serves /jobs from an empty catalogue
// (for the Slack manifest and Discord's registration, which need only the declarations).
// A nil quiz keeps quiz state in memory.
func newRouter(kb *knowledge.Base, lib *knowledge.Library, quiz knowledge.QuizStore, j *career.Jobs, log *slog.Logger, metrics bot.Metrics) *bot.Router {
	router := bot.NewRouter(log, metrics)
	study.Register(router, kb, lib, log)
	if j == nil {
		j = &career.Jobs{Catalog: jobs.NewCatalog(), Topics: kb}
	}
	study.RegisterPaths(router, kb, openingsFor(j))
	if quiz == nil {
		quiz = knowledge.NewMemoryQuizStore()
	}
	study.RegisterQuiz(router, kb, quiz, log)
	career.Register(router, j)
	return router
}

// serve wires the bot together and serves until ctx ends or a part of it fails for good. The
// HTTP server, Slack's Socket Mode and Discord's gateway run as one group: the first to fail
// (a refused token, a listener that dies) stops the others, HTTP drains, and serve returns that
// error; on shutdown it waits for all of them.
func serve(ctx context.Context, cfg config, log *slog.Logger) error {
	kb, err := knowledge.Builtin()
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer func() {
		if err := st.close(); err != nil {
			log.Warn("closing the store", "err", err)
		}
	}()
	log.Info("store ready", "store", st.kind, "at", st.where)

	srcs, err := openSources(cfg.sourcesFile, cfg.pollEvery, log)
	if err != nil {
		return err
	}
	catalog := jobs.NewCatalog()
	metrics := web.NewMetrics()
	jobsCmds := &career.Jobs{Catalog: catalog, Topics: kb, Boards: srcs.boards, Subs: st.subs, Queue: st.queue, Openings: st.jobs}
	router := newRouter(kb, knowledge.NewLibrary(st, kb), st.quiz, jobsCmds, log, metrics)
	var stop stopClock // one deadline for everything a shutdown waits for
	posters := map[bot.Platform]deliver.Poster{}
	status := &statusSource{st: st, started: time.Now().UTC()}
	opts := web.Options{
		Log:     log,
		Metrics: metrics,
		Version: version,
		Checks:  []web.Check{{Name: "store", Probe: st.Ping}},
	}
	// connections run beside the HTTP server until ctx ends; each returns only a fatal error.
	var connections []func(context.Context) error

	if cfg.slackEnabled() {
		sl, err := slack.New(cfg.slack, router, st.kv, log, metrics)
		if err != nil {
			return err
		}
		defer func() {
			cctx, cancel := stop.context(ctx)
			defer cancel()
			if err := sl.Close(cctx); err != nil {
				log.Warn("slack follow-ups cut short", "err", err)
			}
		}()
		if cfg.slack.SigningSecret != "" {
			opts.Slack = sl
		}
		posters[bot.PlatformSlack] = sl
		if cfg.slack.AppToken != "" {
			connections = append(connections, sl.RunSocketMode)
			opts.Checks = append(opts.Checks, web.Check{Name: "slack socket mode", Probe: sl.SocketModeReady})
			status.connections = append(status.connections, connection{name: "slack", mode: "Socket Mode", probe: sl.SocketModeReady})
		} else {
			status.connections = append(status.connections, connection{name: "slack", mode: "HTTP endpoints"})
		}
		log.Info("slack enabled", "http", cfg.slack.SigningSecret != "", "socket_mode", cfg.slack.AppToken != "",
			"installs", cfg.slack.ClientID != "")
	}
	if cfg.discordEnabled() {
		dc, err := discord.New(cfg.discord, router, log, metrics)
		if err != nil {
			return err
		}
		defer func() {
			cctx, cancel := stop.context(ctx)
			defer cancel()
			if err := dc.Close(cctx); err != nil {
				log.Warn("discord follow-ups cut short", "err", err)
			}
		}()
		if cfg.discord.PublicKey != nil {
			opts.Discord = dc
		}
		if cfg.discord.BotToken != "" {
			posters[bot.PlatformDiscord] = dc
		}
		if cfg.discord.BotToken != "" {
			connections = append(connections, dc.RunGateway)
			opts.Checks = append(opts.Checks, web.Check{Name: "discord gateway", Probe: dc.GatewayReady})
			status.connections = append(status.connections, connection{name: "discord", mode: "gateway", probe: dc.GatewayReady})
		} else {
			status.connections = append(status.connections, connection{name: "discord", mode: "HTTP interactions"})
		}
		log.Info("discord enabled", "http", cfg.discord.PublicKey != nil, "gateway", cfg.discord.BotToken != "")
	}
	polled := make(chan struct{}, 1) // a poll wrote openings: the catalogue syncs at once
	out := &outbound{st: st, sources: srcs.scheduled, catalog: catalog, jobs: jobsCmds, posters: posters,
		metrics: metrics, log: log, name: replicaName(), polled: polled, wrote: make(chan struct{}, 1)}
	withPlayground := cfg.playground || !cfg.slackEnabled() && !cfg.discordEnabled()
	if withPlayground {
		pg := playground.New(router, playground.Options{LoadSample: out.loadSample, Log: log})
		defer pg.Close()
		posters[bot.PlatformPlayground] = pg
		opts.Playground = pg.Handler()
		status.connections = append(status.connections, connection{name: "playground", mode: "the local page at /",
			probe: func(context.Context) error { return nil }})
	}
	status.replica = out.name
	opts.Status, opts.AdminToken, opts.Protected = status.read, cfg.adminToken, cfg.slackEnabled() || cfg.discordEnabled()
	if !cfg.slackEnabled() && !cfg.discordEnabled() {
		log.Info("no Slack or Discord configured: set SLACK_* or DISCORD_* variables (README.md) to answer in a workspace; " +
			"the playground page works like one meanwhile")
	}
	handler := web.NewHandler(opts)

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.addr, err)
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}

	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("http server: %w", err)
		}
		return nil
	})
	g.Go(func() error {
		<-gctx.Done()
		if ctx.Err() != nil {
			log.Info("shutting down", "grace", shutdownGrace.String())
		} else {
			log.Warn("careerbot cannot go on; shutting down", "grace", shutdownGrace.String())
		}
		sctx, cancel := stop.context(ctx)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			return fmt.Errorf("shutdown: %w", err)
		}
		return nil
	})
	for _, connect := range connections {
		g.Go(func() error { return connect(gctx) })
	}
	g.Go(func() error {
		catalog.Follow(gctx, st.jobs, catalogRefresh, polled, log)
		return nil
	})
	if cfg.sampleJobs {
		if _, err := out.loadSample(ctx); err != nil {
			return err
		}
	}
	g.Go(func() error { return out.run(gctx) })
	log.Info("careerbot serving", "addr", ln.Addr().String(), "version", version, "topics", kb.Len())
	if withPlayground {
		log.Info("playground ready: open it in a browser", "url", "http://"+ln.Addr().String()+"/")
		if host, _, _ := net.SplitHostPort(ln.Addr().String()); !net.ParseIP(host).IsLoopback() {
			log.Warn("the playground answers anyone who can reach this address, as an admin of its workspace; "+
				"set CAREERBOT_ADDR=127.0.0.1:8080 to keep it on this machine", "addr", ln.Addr().String())
		}
	}

	if err := g.Wait(); err != nil {
		return err
	}
	log.Info("stopped cleanly")
	return nil
}
