// Package source reads job openings from real job boards, one small type per kind of board
// (Greenhouse, Lever, Ashby, Workable, SmartRecruiters, Recruitee, Personio, RSS and Atom feeds,
// RemoteOK, Remotive, Himalayas, Hacker News "Who is hiring?", schema.org JobPosting pages),
// each turning its board's payload into jobs.Opening values. Every source takes an optional
// URL replacing its endpoint, which is how tests serve recorded payloads from a local server.
//
// Requests are polite: each names careerbot and its project in its User-Agent, bodies are
// capped at 10 MiB, and a failure comes back as an error whose text is a sentence an operator
// can act on. Scheduling, backoff and conditional requests belong to the poller.
package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/careerbot/careerbot/jobs"
)

// Source reads the current openings of one board.
type Source interface {
	// Name is the source's name, as the sources file gives it.
	Name() string
	// Fetch returns the board's openings now, with jobs.Opening.Source set to Name.
	Fetch(ctx context.Context) ([]jobs.Opening, error)
}

// Config is one entry of the sources file (DESIGN.md §3).
type Config struct {
	Name  string        `yaml:"name"`  // unique, [a-z0-9-]+
	Type  string        `yaml:"type"`  // greenhouse, lever, ...
	Board string        `yaml:"board"` // the board's own identifier, for company boards
	URL   string        `yaml:"url"`   // replaces the default endpoint
	Every time.Duration `yaml:"every"` // this source's poll interval; zero: the default
}

// MaxBody is the largest payload read from a board.
const MaxBody = 10 << 20

// ProjectURL is where careerbot's User-Agent points boards that want to know who calls.
const ProjectURL = "https://github.com/careerbot/careerbot"

// Client makes the requests of every source, one at a time per host: boards are polite
// neighbours' servers too, and several sources often share one (every Greenhouse board is on
// boards-api.greenhouse.io).
type Client struct {
	HTTP      *http.Client
	UserAgent string
	Now       func() time.Time

	hosts sync.Map // host → chan struct{}, a semaphore of one
}

// NewClient returns a client with a 30-second timeout, at most 5 redirects and a User-Agent
// naming careerbot's version and project.
func NewClient(version string) *Client {
	return &Client{
		HTTP: &http.Client{
			Timeout: 30 * time.Second,
			CheckRedirect: func(req *http.Request, via []*http.Request) error {
				if len(via) >= 5 {
					return errors.New("more than 5 redirects")
				}
				if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
					return fmt.Errorf("a redirect to %s", req.URL.Scheme)
				}
				return nil
			},
		},
		UserAgent: "careerbot/" + version + " (+" + ProjectURL + ")",
		Now:       time.Now,
	}
}

// StatusError is a board's answer other than 200.
type StatusError struct {
	Code       int
	RetryAfter time.Duration // from a Retry-After header; zero when absent
}

// RetryAfterDelay is how long the board asked careerbot to wait, for the poller's backoff.
func (e *StatusError) RetryAfterDelay() time.Duration { return e.RetryAfter }

func (e *StatusError) Error() string {
	switch {
	case e.Code == http.StatusTooManyRequests:
		return "the board asks careerbot to slow down (HTTP 429)"
	case e.Code == http.StatusNotFound:
		return "the board does not exist at this address (HTTP 404): check its board name or url"
	case e.Code >= 500:
		return fmt.Sprintf("the board is failing (HTTP %d)", e.Code)
	}
	return fmt.Sprintf("the board refused the request (HTTP %d)", e.Code)
}

// Get fetches url and returns its body, at most MaxBody bytes. Errors are sentences: the board
// is unreachable, answered a status (a *StatusError), or sent more than MaxBody. When ctx
// carries jobs.Validators, the request is conditional: an unchanged board's 304 is
// jobs.ErrNotModified, and a 200's validators are written into ctx's.
func (c *Client) Get(ctx context.Context, url, accept string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("the board's address %q is not a URL: %w", url, err)
	}
	req.Header.Set("User-Agent", c.UserAgent)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	v := jobs.ValidatorsFrom(ctx)
	if v != nil && v.ETag != "" {
		req.Header.Set("If-None-Match", v.ETag)
	}
	if v != nil && v.LastModified != "" {
		req.Header.Set("If-Modified-Since", v.LastModified)
	}
	release, err := c.acquire(ctx, req.URL.Host)
	if err != nil {
		return nil, fmt.Errorf("the board could not be reached: %w", err)
	}
	defer release()
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, fmt.Errorf("the board could not be reached: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotModified && v != nil {
		return nil, jobs.ErrNotModified
	}
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, &StatusError{Code: resp.StatusCode, RetryAfter: retryAfter(resp.Header.Get("Retry-After"), c.Now())}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody+1))
	if err != nil {
		return nil, fmt.Errorf("the board's answer was cut off: %w", err)
	}
	if len(body) > MaxBody {
		return nil, fmt.Errorf("the board sent more than %d MiB", MaxBody>>20)
	}
	if v != nil {
		v.ETag, v.LastModified = resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	}
	return body, nil
}

// acquire waits for the host's turn, or for ctx to end.
func (c *Client) acquire(ctx context.Context, host string) (release func(), err error) {
	sem, _ := c.hosts.LoadOrStore(host, make(chan struct{}, 1))
	ch := sem.(chan struct{})
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

var namePattern = regexp.MustCompile(`^[a-z0-9-]{1,40}$`)

// base holds what every source has.
type base struct {
	name   string
	url    string // the endpoint: the board's default or the configured url
	client *Client
}

func (b base) Name() string { return b.name }

// parser reads a board's payload into openings.
type parser func(body []byte, source string, now time.Time) ([]jobs.Opening, error)

// fetch gets the source's endpoint and parses it; errors name the source.
func (b base) fetch(ctx context.Context, accept string, parse parser) ([]jobs.Opening, error) {
	body, err := b.get(ctx, accept)
	if err != nil {
		return nil, err
	}
	openings, err := parse(body, b.name, b.client.Now())
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", b.name, err)
	}
	return openings, nil
}

// endpoint is cfg's url, or def when the sources file gives none.
func endpoint(cfg Config, def string) string {
	if cfg.URL != "" {
		return cfg.URL
	}
	return def
}

// get fetches the source's endpoint.
func (b base) get(ctx context.Context, accept string) ([]byte, error) {
	body, err := b.client.Get(ctx, b.url, accept)
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", b.name, err)
	}
	return body, nil
}

// constructors make each type of source from its configuration and the default endpoint.
var constructors = map[string]func(Config, *Client) (Source, error){
	// Company boards (ats.go and the files beside it).
	"greenhouse":      newGreenhouse,
	"lever":           newLever,
	"ashby":           newAshby,
	"workable":        newWorkable,
	"smartrecruiters": newSmartRecruiters,
	"recruitee":       newRecruitee,
	"personio":        newPersonio,

	// Aggregators and feeds.
	"remoteok":       newRemoteOK,
	"remotive":       newRemotive,
	"himalayas":      newHimalayas,
	"rss":            newRSS,
	"atom":           newAtom,
	"jsonld":         newJSONLD,
	"hn-whoishiring": newHNWhoIsHiring,
}

// New makes the source that cfg describes. An unknown type, a bad name or a missing board is
// an error saying which.
func New(cfg Config, c *Client) (Source, error) {
	if !namePattern.MatchString(cfg.Name) {
		return nil, fmt.Errorf("source name %q: use 1 to 40 of a-z, 0-9 and -", cfg.Name)
	}
	newSource, ok := constructors[cfg.Type]
	if !ok {
		return nil, fmt.Errorf("source %s: unknown type %q", cfg.Name, cfg.Type)
	}
	return newSource(cfg, c)
}
