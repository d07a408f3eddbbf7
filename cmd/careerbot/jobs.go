package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/bot/career"
	"github.com/careerbot/careerbot/jobs"
	"github.com/careerbot/careerbot/jobs/source"
	"github.com/careerbot/careerbot/knowledge"
)

// jobsSynopsis is the usage of "careerbot jobs".
const jobsSynopsis = "jobs fetch [--source NAME] [--json] | jobs poll [--source NAME] | jobs search <query> | jobs trends [query] | jobs sources\n\n" +
	"fetch reads the configured job sources now and prints what they yield (nothing is stored): a readable list,\n" +
	"or with --json one opening per line (a stable form for scripts). poll reads them and updates the store,\n" +
	"as serve does. search and trends answer /jobs and /jobs trends from the store. sources lists the\n" +
	"configured sources with what the store knows of each (last success, last error, openings, next poll).\n" +
	"The sources come from CAREERBOT_SOURCES, else the built-in list; the store is REDIS_URL's, else the\n" +
	"embedded file (which a running serve holds: stop it, or use Redis)."

// runJobs serves "careerbot jobs ...".
func runJobs(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) int {
	sub := ""
	if len(args) > 0 {
		sub = args[0]
	}
	switch sub {
	case "fetch", "poll", "sources":
	case "search", "trends":
		return jobsQuery(ctx, sub, args[1:], getenv, stdout, stderr)
	case "-h", "--help", "-help":
		fmt.Fprintf(stdout, "Usage: careerbot %s\n", jobsSynopsis)
		return exitOK
	default:
		fmt.Fprintf(stderr, "Usage: careerbot %s\n", jobsSynopsis)
		return exitUsage
	}
	fs := newFlags("jobs "+sub, jobsSynopsis, stderr)
	only := fs.String("source", "", "only the source called `NAME`")
	asJSON := fs.Bool("json", false, "print one opening per line as JSON (fetch)")
	if code, ok := parseFlags(fs, args[1:]); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "careerbot jobs %s: unexpected argument %q\n", sub, fs.Arg(0))
		return exitUsage
	}
	cfg, srcs, log, err := jobsSetup(getenv, stderr)
	if err == nil && *only != "" {
		err = srcs.only(*only)
	}
	if err != nil {
		fmt.Fprintf(stderr, "careerbot jobs: %v\n", err)
		return exitUsage
	}
	if sub == "fetch" {
		return jobsFetch(ctx, srcs, *asJSON, stdout, stderr)
	}
	st, err := openStore(ctx, cfg, log)
	if err != nil {
		fmt.Fprintf(stderr, "careerbot jobs: %v\n", err)
		return exitFail
	}
	defer st.close()
	if sub == "poll" {
		return jobsPoll(ctx, srcs, st.jobs, stdout, stderr)
	}
	return jobsSources(ctx, srcs, st.jobs, stdout, stderr)
}

// jobsFetch prints what each source yields now.
func jobsFetch(ctx context.Context, srcs *sources, asJSON bool, stdout, stderr io.Writer) int {
	failed := false
	for _, s := range srcs.scheduled {
		fctx, cancel := context.WithTimeout(ctx, time.Minute)
		openings, err := s.Source.Fetch(fctx)
		cancel()
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", s.Source.Name(), err)
			failed = true
			continue
		}
		for i := range openings {
			if asJSON {
				if err := json.NewEncoder(stdout).Encode(record(&openings[i])); err != nil {
					return exitFail
				}
				continue
			}
			printOpening(stdout, &openings[i])
		}
		if !asJSON {
			fmt.Fprintf(stdout, "%s: %d openings\n\n", s.Source.Name(), len(openings))
		}
	}
	if failed {
		return exitFail
	}
	return exitOK
}

// jobsPoll polls every source once into the store, as serve's poller does.
func jobsPoll(ctx context.Context, srcs *sources, store jobs.Store, stdout, stderr io.Writer) int {
	p := &jobs.Poller{Store: store, Sources: srcs.scheduled}
	code := exitOK
	for _, s := range srcs.scheduled {
		st, err := p.Poll(ctx, s.Source.Name())
		switch {
		case err != nil:
			fmt.Fprintf(stderr, "%s: %v\n", s.Source.Name(), err)
			code = exitFail
		case st.Failures > 0:
			fmt.Fprintf(stderr, "%s: %s\n", st.Name, st.LastError)
			code = exitFail
		default:
			fmt.Fprintf(stdout, "%s: %d listed, %d open in the store\n", st.Name, st.Listed, st.Open)
		}
	}
	return code
}

// jobsSources lists the configured sources with their status in the store.
func jobsSources(ctx context.Context, srcs *sources, store jobs.Store, stdout, stderr io.Writer) int {
	for _, s := range srcs.scheduled {
		name := s.Source.Name()
		line := fmt.Sprintf("%-16s %-16s every %s", name, s.Type, s.Every)
		st, err := store.Source(ctx, name)
		switch {
		case errors.Is(err, jobs.ErrNotFound):
			line += ": not polled yet"
		case err != nil:
			fmt.Fprintf(stderr, "careerbot jobs sources: the store: %v\n", err)
			return exitFail
		default:
			line += fmt.Sprintf(": %d open", st.Open)
			if !st.LastSuccess.IsZero() {
				line += ", last success " + rfc3339(st.LastSuccess)
			}
			if st.LastError != "" {
				line += fmt.Sprintf(", failing %d× since %s: %s", st.Failures, rfc3339(st.LastErrorAt), st.LastError)
			}
			line += ", next poll " + rfc3339(st.NextPoll)
		}
		fmt.Fprintln(stdout, line)
	}
	return exitOK
}

// jobsQuery answers "careerbot jobs search <query>" and "careerbot jobs trends [query]" from
// the store, through the same handler as /jobs.
func jobsQuery(ctx context.Context, sub string, args []string, getenv env, stdout, stderr io.Writer) int {
	// The words are the query, "-php" and all: only a lone --help is a flag.
	if len(args) == 1 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
		fmt.Fprintf(stdout, "Usage: careerbot %s\n", jobsSynopsis)
		return exitOK
	}
	cfg, srcs, log, err := jobsSetup(getenv, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "careerbot jobs: %v\n", err)
		return exitUsage
	}
	st, err := openStore(ctx, cfg, log)
	if err != nil {
		fmt.Fprintf(stderr, "careerbot jobs: %v\n", err)
		return exitFail
	}
	defer st.close()
	catalog := jobs.NewCatalog()
	if _, err := catalog.Sync(ctx, st.jobs, time.Now()); err != nil {
		fmt.Fprintf(stderr, "careerbot jobs: %v\n", err)
		return exitFail
	}
	kb, err := knowledge.Builtin()
	if err != nil {
		fmt.Fprintf(stderr, "careerbot: %v\n", err)
		return exitFail
	}
	router := newRouter(kb, nil, nil, &career.Jobs{Catalog: catalog, Topics: kb, Boards: srcs.boards}, log, nil)
	text := strings.TrimSpace(sub + " " + strings.Join(args, " "))
	reply := router.Dispatch(ctx, bot.Command{Platform: bot.PlatformCLI, Name: "jobs", Text: text})
	fmt.Fprint(stdout, bot.PlainText(reply, "careerbot "))
	if reply.NotFound {
		return exitFail
	}
	return exitOK
}

// jobsSetup reads the configuration and the sources of a "careerbot jobs" command; its log
// shows warnings only, on stderr.
func jobsSetup(getenv env, stderr io.Writer) (config, *sources, *slog.Logger, error) {
	cfg, err := loadConfig(getenv, stderr)
	if err != nil {
		return cfg, nil, nil, err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srcs, err := openSources(cfg.sourcesFile, cfg.pollEvery, log)
	return cfg, srcs, log, err
}

// only keeps the source called name.
func (s *sources) only(name string) error {
	for _, sc := range s.scheduled {
		if sc.Source.Name() == name {
			s.scheduled = []jobs.Scheduled{sc}
			return nil
		}
	}
	return fmt.Errorf("no source is called %q", name)
}

// loadSources reads the sources file at path, or returns the built-in list when path is "".
func loadSources(path string) (cfgs []source.Config, builtin bool, err error) {
	if path == "" {
		return source.Builtin(), true, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, false, fmt.Errorf("CAREERBOT_SOURCES: %w", err)
	}
	defer f.Close()
	cfgs, err = source.Parse(f)
	if err != nil {
		return nil, false, fmt.Errorf("CAREERBOT_SOURCES=%s: %w", path, err)
	}
	return cfgs, false, nil
}

// sources are the configured job sources, ready to poll.
type sources struct {
	scheduled []jobs.Scheduled
	boards    map[string]career.Board
}

// openSources makes every configured source. The built-in ones keep engineering roles only;
// an interval raised to a board's floor (Remotive's 6 hours) is said at start-up.
func openSources(path string, every time.Duration, log *slog.Logger) (*sources, error) {
	cfgs, builtin, err := loadSources(path)
	if err != nil {
		return nil, err
	}
	client := source.NewClient(version)
	out := &sources{boards: map[string]career.Board{}}
	for _, c := range cfgs {
		src, err := source.New(c, client)
		if err != nil {
			return nil, fmt.Errorf("CAREERBOT_SOURCES: %w", err)
		}
		if builtin {
			src = source.Engineering(src)
		}
		interval, raised := source.Interval(c, every)
		if raised {
			log.Info("poll interval raised to the board's minimum", "source", c.Name, "every", interval.String())
		}
		out.scheduled = append(out.scheduled, jobs.Scheduled{Source: src, Type: c.Type, Every: interval})
		name, home := source.Attribution(c)
		out.boards[c.Name] = career.Board{Name: name, Home: home}
	}
	out.boards[jobs.SampleSource] = career.Board{Name: "careerbot's sample set (not a live board)"}
	return out, nil
}

// jobRecord is the stable JSON form of `careerbot jobs fetch --json`: scripts read it, so its
// field names and meanings do not change.
type jobRecord struct {
	ID             string   `json:"id"`
	Title          string   `json:"title"`
	Company        string   `json:"company"`
	Locations      []string `json:"locations"`
	Remote         string   `json:"remote"`
	Seniority      string   `json:"seniority"`
	EmploymentType string   `json:"employment_type"`
	SalaryMin      *int64   `json:"salary_min"`
	SalaryMax      *int64   `json:"salary_max"`
	SalaryCurrency string   `json:"salary_currency"`
	SalaryPeriod   string   `json:"salary_period"`
	Visa           string   `json:"visa"`
	URL            string   `json:"url"`
	Posted         string   `json:"posted"`
	Closes         string   `json:"closes"`
	Skills         []string `json:"skills"`
	Topics         []string `json:"topics"`
	Source         string   `json:"source"`
}

func record(o *jobs.Opening) jobRecord {
	r := jobRecord{ID: o.ID, Title: o.Title, Company: o.Company, Locations: o.Locations, Remote: orUnknown(string(o.Remote)),
		Seniority: orUnknown(string(o.Seniority)), EmploymentType: orUnknown(string(o.EmploymentType)),
		Visa: orUnknown(string(o.Visa)), URL: o.URL, Posted: rfc3339(o.Posted), Closes: rfc3339(o.Closes), Source: o.Source}
	if r.Locations == nil {
		r.Locations = []string{}
	}
	if s := o.Salary; s != nil {
		r.SalaryMin, r.SalaryMax, r.SalaryCurrency, r.SalaryPeriod = &s.Min, &s.Max, s.Currency, string(s.Period)
	}
	r.Skills = jobs.SkillsIn(o.Title + "\n" + o.Description)
	r.Topics = jobs.TopicsFor(r.Skills)
	if r.Skills == nil {
		r.Skills = []string{}
	}
	if r.Topics == nil {
		r.Topics = []string{}
	}
	return r
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// printOpening is one opening as an operator reads it.
func printOpening(w io.Writer, o *jobs.Opening) {
	where := strings.Join(o.Locations, "; ")
	if o.Remote != jobs.RemoteUnknown {
		where = strings.TrimPrefix(where+" ("+string(o.Remote)+")", " ")
	}
	fmt.Fprintf(w, "%s — %s\n  %s\n", o.Title, o.Company, where)
	if s := o.Salary; s != nil {
		fmt.Fprintf(w, "  %d–%d %s a %s\n", s.Min, s.Max, s.Currency, s.Period)
	}
	fmt.Fprintf(w, "  %s · %s · posted %s\n", o.URL, o.ID, rfc3339(o.Posted))
}
