package source

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/careerbot/careerbot/jobs"
)

// recruitee reads a Recruitee careers site through its offers API.
type recruitee struct {
	base
	board string
}

func newRecruitee(cfg Config, c *Client) (Source, error) {
	b, err := atsBase("recruitee", "the company's Recruitee subdomain", "https://%s.recruitee.com/api/offers/", true, cfg, c)
	if err != nil {
		return nil, err
	}
	return recruitee{base: b, board: cfg.Board}, nil
}

func (r recruitee) Fetch(ctx context.Context) ([]jobs.Opening, error) {
	return atsFetch(ctx, r.base, r.board, "application/json", parseRecruitee)
}

type recruiteeAnswer struct {
	Offers *[]recruiteeOffer `json:"offers"`
}

type recruiteeOffer struct {
	ID             atsID  `json:"id"`
	Title          string `json:"title"`
	CompanyName    string `json:"company_name"`
	CareersURL     string `json:"careers_url"`
	PublishedAt    string `json:"published_at"` // "2026-08-11 20:45:29 UTC"
	CreatedAt      string `json:"created_at"`
	CloseAt        string `json:"close_at"`
	EmploymentType string `json:"employment_type_code"` // "fulltime_permanent", "parttime_fixed_term", ...
	Experience     string `json:"experience_code"`      // "entry_level", "mid_level", "experienced", ...
	Remote         bool   `json:"remote"`
	Hybrid         bool   `json:"hybrid"`
	OnSite         bool   `json:"on_site"`
	Location       string `json:"location"` // "Remote job" on remote offers, whatever the places
	City           string `json:"city"`
	State          string `json:"state_name"`
	Country        string `json:"country"`
	Locations      []struct {
		City    string `json:"city"`
		State   string `json:"state"`
		Country string `json:"country"`
	} `json:"locations"`
	Salary *struct {
		Min      atsNumber `json:"min"` // a string: "75.00"
		Max      atsNumber `json:"max"`
		Period   string    `json:"period"`
		Currency string    `json:"currency"`
	} `json:"salary"`
	Description  string `json:"description"`
	Requirements string `json:"requirements"`
}

// parseRecruitee reads the offers API (GET /api/offers/). Where the work is done is the
// offer's hybrid, remote and on_site flags; its location text says "Remote job" on remote
// offers, so places come from the locations list (or the city, state and country). Salary is
// the offer's salary as stated, even when its amounts look implausible for the period (75 to
// 95 USD a year): careerbot does not guess what the company meant.
func parseRecruitee(body []byte, source string, now time.Time) ([]jobs.Opening, error) {
	var a recruiteeAnswer
	if err := json.Unmarshal(body, &a); err != nil {
		return nil, fmt.Errorf("recruitee: the payload is not the offers API's JSON: %w", err)
	}
	if a.Offers == nil {
		return nil, errors.New("recruitee: the payload is not the offers API's JSON: it has no offers list")
	}
	openings := make([]jobs.Opening, 0, len(*a.Offers))
	seen := make(map[string]bool, len(*a.Offers))
	for _, r := range *a.Offers {
		o := jobs.Opening{
			Title:          r.Title,
			Company:        r.CompanyName,
			URL:            r.CareersURL,
			Seniority:      atsLevel(r.Experience, r.Title),
			EmploymentType: atsEmploymentType(r.EmploymentType),
			Posted:         atsPosted(r.PublishedAt, now),
			Closes:         atsCloses(r.CloseAt),
			Description:    atsText(r.Description + atsSection("Requirements", r.Requirements)),
		}
		if o.Posted.IsZero() {
			o.Posted = atsPosted(r.CreatedAt, now)
		}
		var places []string
		for _, l := range r.Locations {
			places = append(places, atsPlace(l.City, l.State, l.Country))
		}
		if len(places) == 0 {
			places = append(places, atsPlace(r.City, r.State, r.Country))
		}
		o.Locations = atsLocations(places...)
		switch {
		case r.Hybrid:
			o.Remote = jobs.RemoteHybrid
		case r.Remote:
			o.Remote = jobs.RemoteYes
		case r.OnSite:
			o.Remote = jobs.RemoteNo
		default:
			o.Remote = jobs.RemoteOf(r.Location)
		}
		if s := r.Salary; s != nil {
			o.Salary = atsSalary(float64(s.Min), float64(s.Max), s.Currency, s.Period)
		}
		if o, ok := atsOpening(o, source, string(r.ID)); ok {
			openings = atsKeep(openings, seen, o)
		}
	}
	return openings, nil
}
