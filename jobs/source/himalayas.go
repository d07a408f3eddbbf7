package source

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/careerbot/careerbot/jobs"
)

// himalayas reads the Himalayas jobs API (https://himalayas.app/jobs/api), a remote-only board.
type himalayas struct{ base }

func newHimalayas(cfg Config, c *Client) (Source, error) {
	return &himalayas{base{name: cfg.Name, url: endpoint(cfg, "https://himalayas.app/jobs/api?limit=100"), client: c}}, nil
}

func (h *himalayas) Fetch(ctx context.Context) ([]jobs.Opening, error) {
	return h.fetch(ctx, "application/json", parseHimalayas)
}

type himalayasAnswer struct {
	Jobs *[]struct {
		Title          string     `json:"title"`
		Company        string     `json:"companyName"`
		EmploymentType string     `json:"employmentType"`
		MinSalary      jsonNumber `json:"minSalary"`
		MaxSalary      jsonNumber `json:"maxSalary"`
		Currency       string     `json:"currency"`
		SalaryPeriod   string     `json:"salaryPeriod"`
		Seniority      []string   `json:"seniority"`
		Locations      []string   `json:"locationRestrictions"`
		Description    string     `json:"description"`
		PubDate        jsonNumber `json:"pubDate"`
		ExpiryDate     jsonNumber `json:"expiryDate"`
		ApplyLink      string     `json:"applicationLink"`
		GUID           string     `json:"guid"`
	} `json:"jobs"`
}

// parseHimalayas reads Himalayas' {"jobs": […]} answer. Jobs have no id: the guid (equal to
// applicationLink, the himalayas.app page) is one. A null minSalary and maxSalary mean no
// salary, even though currency is always set; salaryPeriod, in newer answers, is honoured.
func parseHimalayas(body []byte, source string, now time.Time) ([]jobs.Opening, error) {
	var a himalayasAnswer
	if err := json.Unmarshal(body, &a); err != nil {
		return nil, fmt.Errorf("the Himalayas answer is not the expected JSON: %w", err)
	}
	if a.Jobs == nil {
		return nil, fmt.Errorf(`the Himalayas answer has no "jobs" list`)
	}
	out := make([]jobs.Opening, 0, len(*a.Jobs))
	for _, j := range *a.Jobs {
		id := strings.TrimSpace(j.GUID)
		if id == "" {
			id = strings.TrimSpace(j.ApplyLink)
		}
		title := jobs.Line(j.Title, jobs.MaxTitle)
		if id == "" || title == "" {
			continue
		}
		desc := jobs.PlainText(j.Description, jobs.MaxDescription)
		level := jobs.SeniorityUnknown
		for _, s := range j.Seniority {
			if level = jobs.SeniorityOf(s); level != jobs.SeniorityUnknown {
				break
			}
		}
		if level == jobs.SeniorityUnknown {
			level = jobs.SeniorityOf(title)
		}
		kind := jobs.EmploymentTypeOf(j.EmploymentType)
		if kind == jobs.TypeUnknown {
			kind = jobs.EmploymentTypeOf(title)
		}
		var salary *jobs.Salary
		if j.MinSalary.Set || j.MaxSalary.Set {
			salary = boardSalary(j.MinSalary.Value, j.MaxSalary.Value, j.Currency, periodOf(j.SalaryPeriod))
		}
		link := jobs.WebURL(j.ApplyLink)
		if link == "" {
			link = jobs.WebURL(j.GUID)
		}
		out = append(out, jobs.Opening{
			ID:             jobs.MakeID(source, id),
			Title:          title,
			Company:        jobs.Line(j.Company, jobs.MaxCompany),
			Locations:      cleanLocations(j.Locations),
			Remote:         jobs.RemoteYes,
			Seniority:      level,
			EmploymentType: kind,
			Salary:         salary,
			Visa:           jobs.VisaOf(desc),
			URL:            link,
			Posted:         jobs.UTC(epoch(j.PubDate.Value), now),
			Closes:         epoch(j.ExpiryDate.Value),
			Description:    desc,
			Source:         source,
		})
	}
	return out, nil
}
