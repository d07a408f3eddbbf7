package source

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/careerbot/careerbot/jobs"
)

// remotive reads Remotive's public API (https://remotive.com/api/remote-jobs).
//
// Remotive's terms: every opening shown must mention Remotive as its source and link back to
// its Remotive URL; Remotive jobs may not be passed on to other job sites, and the API should be
// polled at most about four times a day. The renderer honours the first with Opening.Source and
// Opening.URL, which is always the remotive.com page; the sources file sets "every".
type remotive struct{ base }

func newRemotive(cfg Config, c *Client) (Source, error) {
	return &remotive{base{name: cfg.Name, url: endpoint(cfg, "https://remotive.com/api/remote-jobs"), client: c}}, nil
}

func (r *remotive) Fetch(ctx context.Context) ([]jobs.Opening, error) {
	return r.fetch(ctx, "application/json", parseRemotive)
}

type remotiveAnswer struct {
	Jobs *[]struct {
		ID          jsonText `json:"id"`
		URL         string   `json:"url"`
		Title       string   `json:"title"`
		Company     string   `json:"company_name"`
		JobType     string   `json:"job_type"`
		Published   string   `json:"publication_date"`
		Location    string   `json:"candidate_required_location"`
		Salary      string   `json:"salary"`
		Description string   `json:"description"`
	} `json:"jobs"`
}

// parseRemotive reads Remotive's {"jobs": […]} answer. publication_date has no time zone and
// is read as UTC; candidate_required_location is a comma-separated list; salary is free text.
func parseRemotive(body []byte, source string, now time.Time) ([]jobs.Opening, error) {
	var a remotiveAnswer
	if err := json.Unmarshal(body, &a); err != nil {
		return nil, fmt.Errorf("the Remotive answer is not the expected JSON: %w", err)
	}
	if a.Jobs == nil {
		return nil, fmt.Errorf(`the Remotive answer has no "jobs" list`)
	}
	out := make([]jobs.Opening, 0, len(*a.Jobs))
	for _, j := range *a.Jobs {
		id := strings.TrimSpace(string(j.ID))
		title := jobs.Line(j.Title, jobs.MaxTitle)
		if id == "" || title == "" {
			continue
		}
		desc := jobs.PlainText(j.Description, jobs.MaxDescription)
		kind := jobs.EmploymentTypeOf(j.JobType)
		if kind == jobs.TypeUnknown {
			kind = jobs.EmploymentTypeOf(title)
		}
		out = append(out, jobs.Opening{
			ID:             jobs.MakeID(source, id),
			Title:          title,
			Company:        jobs.Line(j.Company, jobs.MaxCompany),
			Locations:      cleanLocations(strings.Split(j.Location, ",")),
			Remote:         jobs.RemoteYes,
			Seniority:      jobs.SeniorityOf(title),
			EmploymentType: kind,
			Salary:         jobs.SalaryOf(j.Salary),
			Visa:           jobs.VisaOf(desc),
			URL:            jobs.WebURL(j.URL),
			Posted:         jobs.UTC(parseTime(j.Published), now),
			Description:    desc,
			Source:         source,
		})
	}
	return out, nil
}
