package source

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/careerbot/careerbot/jobs"
)

// workable reads a Workable account's jobs through the careers widget API, details included.
type workable struct {
	base
	board string
}

func newWorkable(cfg Config, c *Client) (Source, error) {
	b, err := atsBase("workable", "the account's Workable subdomain", "https://apply.workable.com/api/v1/widget/accounts/%s?details=true", false, cfg, c)
	if err != nil {
		return nil, err
	}
	return workable{base: b, board: cfg.Board}, nil
}

func (w workable) Fetch(ctx context.Context) ([]jobs.Opening, error) {
	return atsFetch(ctx, w.base, w.board, "application/json", parseWorkable)
}

type workableAnswer struct {
	Name string         `json:"name"` // the account's company name
	Jobs *[]workableJob `json:"jobs"`
}

type workableJob struct {
	Shortcode      atsID  `json:"shortcode"` // the only identifier the widget sends
	Title          string `json:"title"`
	EmploymentType string `json:"employment_type"`
	Telecommuting  bool   `json:"telecommuting"`
	Experience     string `json:"experience"` // LinkedIn's levels: "Mid-Senior level", ...
	URL            string `json:"url"`
	Shortlink      string `json:"shortlink"`
	PublishedOn    string `json:"published_on"` // a date: "2026-06-22"
	CreatedAt      string `json:"created_at"`
	City           string `json:"city"`
	State          string `json:"state"`
	Country        string `json:"country"`
	Locations      []struct {
		City    string `json:"city"`
		Region  string `json:"region"`
		Country string `json:"country"`
		Hidden  bool   `json:"hidden"`
	} `json:"locations"`
	Description  string `json:"description"`
	Requirements string `json:"requirements"`
	Benefits     string `json:"benefits"`
}

// parseWorkable reads the widget API's account (GET /api/v1/widget/accounts/<account>?details=true).
// A job is remote when it is marked telecommuting; otherwise where the work is done is read
// from its locations, since telecommuting false does not say on-site. The widget states pay
// only inside the description, so that is where it is read from.
func parseWorkable(body []byte, source string, now time.Time) ([]jobs.Opening, error) {
	var a workableAnswer
	if err := json.Unmarshal(body, &a); err != nil {
		return nil, fmt.Errorf("workable: the payload is not the widget API's JSON: %w", err)
	}
	if a.Jobs == nil {
		return nil, errors.New("workable: the payload is not the widget API's JSON: it has no jobs list")
	}
	openings := make([]jobs.Opening, 0, len(*a.Jobs))
	seen := make(map[string]bool, len(*a.Jobs))
	for _, j := range *a.Jobs {
		o := jobs.Opening{
			Title:          j.Title,
			Company:        a.Name,
			URL:            j.URL,
			Seniority:      atsLevel(j.Experience, j.Title),
			EmploymentType: atsEmploymentType(j.EmploymentType),
			Posted:         atsPosted(j.PublishedOn, now),
			Description:    atsText(j.Description + atsSection("Requirements", j.Requirements) + atsSection("Benefits", j.Benefits)),
		}
		if jobs.WebURL(o.URL) == "" {
			o.URL = j.Shortlink
		}
		if o.Posted.IsZero() {
			o.Posted = atsPosted(j.CreatedAt, now)
		}
		var places []string
		for _, l := range j.Locations {
			if !l.Hidden {
				places = append(places, atsPlace(l.City, l.Region, l.Country))
			}
		}
		if len(places) == 0 {
			places = append(places, atsPlace(j.City, j.State, j.Country))
		}
		o.Locations = atsLocations(places...)
		if j.Telecommuting {
			o.Remote = jobs.RemoteYes
		}
		if o, ok := atsOpening(o, source, string(j.Shortcode)); ok {
			openings = atsKeep(openings, seen, o)
		}
	}
	return openings, nil
}
