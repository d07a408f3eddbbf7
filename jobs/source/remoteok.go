package source

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/careerbot/careerbot/jobs"
)

// remoteOK reads RemoteOK's public API (https://remoteok.com/api), a JSON array whose first
// element is the API's legal notice, not a job.
//
// RemoteOK's terms: every opening shown must name Remote OK as its source and link back to its
// RemoteOK URL (a followed link); the Remote OK logo may not be used. The renderer honours this
// with Opening.Source and Opening.URL, which is always the remoteok.com page.
type remoteOK struct{ base }

func newRemoteOK(cfg Config, c *Client) (Source, error) {
	return &remoteOK{base{name: cfg.Name, url: endpoint(cfg, "https://remoteok.com/api"), client: c}}, nil
}

func (r *remoteOK) Fetch(ctx context.Context) ([]jobs.Opening, error) {
	return r.fetch(ctx, "application/json", parseRemoteOK)
}

type remoteOKJob struct {
	ID          jsonText   `json:"id"`
	Epoch       jsonNumber `json:"epoch"`
	Date        string     `json:"date"`
	Company     string     `json:"company"`
	Position    string     `json:"position"`
	Description string     `json:"description"`
	Location    string     `json:"location"`
	SalaryMin   jsonNumber `json:"salary_min"`
	SalaryMax   jsonNumber `json:"salary_max"`
	URL         string     `json:"url"`
	ApplyURL    string     `json:"apply_url"`
	Legal       string     `json:"legal"`
}

// parseRemoteOK reads RemoteOK's array. The legal notice and jobs without an id or a position
// are skipped. Salaries are RemoteOK's USD figures, 0 meaning unknown, unless the description
// states the same amount in another currency (Graphcore's PLN); amounts under 1,000 are hourly.
// Some of RemoteOK's text is UTF-8 read as Latin-1 ("GdaÅ\u0084sk") and is repaired.
func parseRemoteOK(body []byte, source string, now time.Time) ([]jobs.Opening, error) {
	var raw []json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, fmt.Errorf("the RemoteOK answer is not a JSON array: %w", err)
	}
	out := make([]jobs.Opening, 0, len(raw))
	for i, r := range raw {
		var j remoteOKJob
		if err := json.Unmarshal(r, &j); err != nil {
			return nil, fmt.Errorf("RemoteOK element %d is not a job: %w", i, err)
		}
		id := strings.TrimSpace(string(j.ID))
		title := jobs.Line(fixMojibake(j.Position), jobs.MaxTitle)
		if j.Legal != "" || id == "" || title == "" {
			continue
		}
		desc := jobs.PlainText(fixMojibake(j.Description), jobs.MaxDescription)
		posted := epoch(j.Epoch.Value)
		if posted.IsZero() {
			posted = parseTime(j.Date)
		}
		var salary *jobs.Salary
		if s := boardSalary(j.SalaryMin.Value, j.SalaryMax.Value, "USD", ""); s != nil {
			if c := statedCurrency(desc, s.Min); c != "" {
				s.Currency = c
			}
			salary = s
		}
		link := jobs.WebURL(j.URL)
		if link == "" {
			link = jobs.WebURL(j.ApplyURL)
		}
		kind := jobs.EmploymentTypeOf(title)
		out = append(out, jobs.Opening{
			ID:             jobs.MakeID(source, id),
			Title:          title,
			Company:        jobs.Line(fixMojibake(j.Company), jobs.MaxCompany),
			Locations:      cleanLocations([]string{fixMojibake(j.Location)}),
			Remote:         jobs.RemoteYes,
			Seniority:      jobs.SeniorityOf(title),
			EmploymentType: kind,
			Salary:         salary,
			Visa:           jobs.VisaOf(desc),
			URL:            link,
			Posted:         jobs.UTC(posted, now),
			Description:    desc,
			Source:         source,
		})
	}
	return out, nil
}

var currencyBefore = regexp.MustCompile(`\b([A-Z]{3}) ?(\d{1,3}(?:,\d{3})+|\d+)\b`)

// statedCurrency returns the ISO code written right before amount in text ("PLN 350,700"),
// or "" when the text does not state it so.
func statedCurrency(text string, amount int64) string {
	for _, m := range currencyBefore.FindAllStringSubmatch(text, -1) {
		if n, err := strconv.ParseInt(strings.ReplaceAll(m[2], ",", ""), 10, 64); err == nil && n == amount {
			return m[1]
		}
	}
	return ""
}
