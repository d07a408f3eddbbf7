package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/careerbot/careerbot/jobs"
	"github.com/careerbot/careerbot/jobs/source"
)

// runJobs serves "careerbot jobs fetch [--source NAME] [--json]" and "careerbot jobs sources".
func runJobs(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) int {
	const synopsis = "jobs fetch [--source NAME] [--json] | jobs sources\n\n" +
		"fetch reads the configured job sources now and prints what they yield: a readable list, or with\n" +
		"--json one opening per line (a stable form for scripts). sources lists the configured sources.\n" +
		"The sources come from CAREERBOT_SOURCES, else the built-in list."
	if len(args) == 0 || (args[0] != "fetch" && args[0] != "sources") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
			fmt.Fprintf(stdout, "Usage: careerbot %s\n", synopsis)
			return exitOK
		}
		fmt.Fprintf(stderr, "Usage: careerbot %s\n", synopsis)
		return exitUsage
	}
	fs := newFlags("jobs "+args[0], synopsis, stderr)
	only := fs.String("source", "", "fetch only the source called `NAME`")
	asJSON := fs.Bool("json", false, "print one opening per line as JSON")
	if code, ok := parseFlags(fs, args[1:]); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "careerbot jobs %s: unexpected argument %q\n", args[0], fs.Arg(0))
		return exitUsage
	}
	cfgs, err := loadSources(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "careerbot jobs: %v\n", err)
		return exitUsage
	}
	if *only != "" {
		cfgs = filterSources(cfgs, *only)
		if len(cfgs) == 0 {
			fmt.Fprintf(stderr, "careerbot jobs: no source is called %q\n", *only)
			return exitUsage
		}
	}
	if args[0] == "sources" {
		for _, c := range cfgs {
			every, raised := source.Interval(c, 15*time.Minute)
			note := ""
			if raised {
				note = " (raised to the board's minimum)"
			}
			fmt.Fprintf(stdout, "%-16s %-16s %s every %s%s\n", c.Name, c.Type, orDash(c.Board+c.URL), every, note)
		}
		return exitOK
	}
	client := source.NewClient(version)
	failed := false
	for _, c := range cfgs {
		src, err := source.New(c, client)
		if err != nil {
			fmt.Fprintf(stderr, "careerbot jobs: %v\n", err)
			return exitUsage
		}
		fctx, cancel := context.WithTimeout(ctx, time.Minute)
		openings, err := src.Fetch(fctx)
		cancel()
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", c.Name, err)
			failed = true
			continue
		}
		for i := range openings {
			if *asJSON {
				if err := json.NewEncoder(stdout).Encode(record(&openings[i])); err != nil {
					return exitFail
				}
				continue
			}
			printOpening(stdout, &openings[i])
		}
		if !*asJSON {
			fmt.Fprintf(stdout, "%s: %d openings\n\n", c.Name, len(openings))
		}
	}
	if failed {
		return exitFail
	}
	return exitOK
}

// loadSources reads CAREERBOT_SOURCES, or returns the built-in list.
func loadSources(getenv env) ([]source.Config, error) {
	path := getenv("CAREERBOT_SOURCES")
	if path == "" {
		return source.Builtin(), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("CAREERBOT_SOURCES: %w", err)
	}
	defer f.Close()
	cfgs, err := source.Parse(f)
	if err != nil {
		return nil, fmt.Errorf("CAREERBOT_SOURCES=%s: %w", path, err)
	}
	return cfgs, nil
}

func filterSources(cfgs []source.Config, name string) []source.Config {
	for _, c := range cfgs {
		if c.Name == name {
			return []source.Config{c}
		}
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
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
