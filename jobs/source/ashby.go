package source

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/careerbot/careerbot/jobs"
)

// ashby reads an Ashby job board through the public posting API, compensation included.
type ashby struct {
	base
	board string
}

func newAshby(cfg Config, c *Client) (Source, error) {
	b, err := atsBase("ashby", "the company's Ashby job board name", "https://api.ashbyhq.com/posting-api/job-board/%s?includeCompensation=true", false, cfg, c)
	if err != nil {
		return nil, err
	}
	return ashby{base: b, board: cfg.Board}, nil
}

func (a ashby) Fetch(ctx context.Context) ([]jobs.Opening, error) {
	return atsFetch(ctx, a.base, a.board, "application/json", parseAshby)
}

type ashbyAnswer struct {
	Jobs *[]ashbyJob `json:"jobs"`
}

type ashbyJob struct {
	ID                 atsID  `json:"id"`
	Title              string `json:"title"`
	EmploymentType     string `json:"employmentType"` // "FullTime", "PartTime", "Intern", "Contract", "Temporary"
	Location           string `json:"location"`
	SecondaryLocations []struct {
		Location string `json:"location"`
	} `json:"secondaryLocations"`
	IsRemote        *bool  `json:"isRemote"`
	WorkplaceType   string `json:"workplaceType"` // "Remote", "Hybrid", "OnSite"; absent in older answers
	IsListed        *bool  `json:"isListed"`
	PublishedAt     string `json:"publishedAt"`
	JobURL          string `json:"jobUrl"`
	DescriptionHTML string `json:"descriptionHtml"`
	DescriptionText string `json:"descriptionPlain"`
	Compensation    *struct {
		SummaryComponents []ashbyComponent `json:"summaryComponents"`
		Tiers             []struct {
			Components []ashbyComponent `json:"components"`
		} `json:"compensationTiers"`
	} `json:"compensation"`
}

type ashbyComponent struct {
	Type     string    `json:"compensationType"` // "Salary", "EquityPercentage", "Bonus", ...
	Interval string    `json:"interval"`         // "1 YEAR", "1 MONTH", "1 HOUR", "NONE"
	Currency string    `json:"currencyCode"`
	Min      atsNumber `json:"minValue"`
	Max      atsNumber `json:"maxValue"`
}

// ashbySalary is the salary component of a job's compensation: the summary's when it has one,
// else the widest range over the tiers of the same currency and interval. Equity, bonus and
// commission components are not pay per period and are ignored.
func ashbySalary(j ashbyJob) *jobs.Salary {
	if j.Compensation == nil {
		return nil
	}
	for _, c := range j.Compensation.SummaryComponents {
		if c.Type == "Salary" {
			if s := atsSalary(float64(c.Min), float64(c.Max), c.Currency, c.Interval); s != nil {
				return s
			}
		}
	}
	var out *jobs.Salary
	for _, t := range j.Compensation.Tiers {
		for _, c := range t.Components {
			if c.Type != "Salary" {
				continue
			}
			s := atsSalary(float64(c.Min), float64(c.Max), c.Currency, c.Interval)
			switch {
			case s == nil:
			case out == nil:
				out = s
			case s.Currency == out.Currency && s.Period == out.Period:
				out.Min, out.Max = min(out.Min, s.Min), max(out.Max, s.Max)
			}
		}
	}
	return out
}

// parseAshby reads the posting API's job board (GET /posting-api/job-board/<board>), which
// names no company. Where the work is done is the workplace type when the answer has it, else
// isRemote when true, else read from the locations. Jobs marked unlisted are left out.
func parseAshby(body []byte, source string, now time.Time) ([]jobs.Opening, error) {
	var a ashbyAnswer
	if err := json.Unmarshal(body, &a); err != nil {
		return nil, fmt.Errorf("ashby: the payload is not the posting API's JSON: %w", err)
	}
	if a.Jobs == nil {
		return nil, errors.New("ashby: the payload is not the posting API's JSON: it has no jobs list")
	}
	openings := make([]jobs.Opening, 0, len(*a.Jobs))
	seen := make(map[string]bool, len(*a.Jobs))
	for _, j := range *a.Jobs {
		if j.IsListed != nil && !*j.IsListed {
			continue
		}
		desc := j.DescriptionHTML
		if desc == "" {
			desc = j.DescriptionText
		}
		o := jobs.Opening{
			Title:          j.Title,
			URL:            j.JobURL,
			Remote:         atsRemote(j.WorkplaceType),
			EmploymentType: atsEmploymentType(j.EmploymentType),
			Salary:         ashbySalary(j),
			Posted:         atsPosted(j.PublishedAt, now),
			Description:    atsText(desc),
		}
		locations := []string{j.Location}
		for _, l := range j.SecondaryLocations {
			locations = append(locations, l.Location)
		}
		o.Locations = atsLocations(locations...)
		if o.Remote == jobs.RemoteUnknown && j.IsRemote != nil && *j.IsRemote {
			o.Remote = jobs.RemoteYes
		}
		if o, ok := atsOpening(o, source, string(j.ID)); ok {
			openings = atsKeep(openings, seen, o)
		}
	}
	return openings, nil
}
