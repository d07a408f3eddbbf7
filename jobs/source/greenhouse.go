package source

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"strings"
	"time"

	"github.com/careerbot/careerbot/jobs"
)

// greenhouse reads a Greenhouse job board through the Job Board API, descriptions included.
type greenhouse struct {
	base
	board string
}

func newGreenhouse(cfg Config, c *Client) (Source, error) {
	b, err := atsBase("greenhouse", "the company's Greenhouse board token", "https://boards-api.greenhouse.io/v1/boards/%s/jobs?content=true", false, cfg, c)
	if err != nil {
		return nil, err
	}
	return greenhouse{base: b, board: cfg.Board}, nil
}

func (g greenhouse) Fetch(ctx context.Context) ([]jobs.Opening, error) {
	return atsFetch(ctx, g.base, g.board, "application/json", parseGreenhouse)
}

type greenhouseAnswer struct {
	Jobs *[]greenhouseJob `json:"jobs"`
}

type greenhouseJob struct {
	ID             atsID  `json:"id"`
	Title          string `json:"title"`
	CompanyName    string `json:"company_name"`
	AbsoluteURL    string `json:"absolute_url"`
	FirstPublished string `json:"first_published"`
	UpdatedAt      string `json:"updated_at"`
	Deadline       string `json:"application_deadline"`
	Content        string `json:"content"` // HTML, entity-escaped
	Location       *struct {
		Name string `json:"name"`
	} `json:"location"`
	Offices []struct {
		Name     string `json:"name"`
		Location string `json:"location"`
	} `json:"offices"`
	// Metadata holds the board's custom fields; some boards keep the employment type there.
	Metadata []struct {
		Name  string          `json:"name"`
		Value json.RawMessage `json:"value"`
	} `json:"metadata"`
}

// parseGreenhouse reads the Job Board API's jobs list (GET /v1/boards/<board>/jobs?content=true).
// The location is the job's own location name; the offices are used only when it has none.
// Greenhouse has no contract field: a custom field named like "Employment Type" is read when
// the board has one, else the title's words. Pay comes only from the description's text.
func parseGreenhouse(body []byte, source string, now time.Time) ([]jobs.Opening, error) {
	var a greenhouseAnswer
	if err := json.Unmarshal(body, &a); err != nil {
		return nil, fmt.Errorf("greenhouse: the payload is not the job board API's JSON: %w", err)
	}
	if a.Jobs == nil {
		return nil, errors.New("greenhouse: the payload is not the job board API's JSON: it has no jobs list")
	}
	openings := make([]jobs.Opening, 0, len(*a.Jobs))
	seen := make(map[string]bool, len(*a.Jobs))
	for _, j := range *a.Jobs {
		o := jobs.Opening{
			Title:   j.Title,
			Company: j.CompanyName,
			URL:     j.AbsoluteURL,
			Posted:  atsPosted(j.FirstPublished, now),
			Closes:  atsCloses(j.Deadline),
			// content is always entity-escaped HTML: decode it once whatever else it holds, so
			// that markup sent both escaped and raw is all read as markup.
			Description: atsText(html.UnescapeString(j.Content)),
		}
		if o.Posted.IsZero() {
			o.Posted = atsPosted(j.UpdatedAt, now)
		}
		if j.Location != nil {
			o.Locations = atsLocations(j.Location.Name)
		}
		if len(o.Locations) == 0 {
			for _, off := range j.Offices {
				o.Locations = append(o.Locations, off.Location, off.Name)
			}
			o.Locations = atsLocations(o.Locations...)
		}
		o.EmploymentType = jobs.EmploymentTypeOf(j.Title)
		for _, m := range j.Metadata {
			name := strings.ToLower(m.Name)
			if !strings.Contains(name, "employment") && !strings.Contains(name, "commitment") && !strings.Contains(name, "job type") {
				continue
			}
			var v string
			if json.Unmarshal(m.Value, &v) == nil {
				if t := jobs.EmploymentTypeOf(v); t != jobs.TypeUnknown {
					o.EmploymentType = t
				}
			}
		}
		if o, ok := atsOpening(o, source, string(j.ID)); ok {
			openings = atsKeep(openings, seen, o)
		}
	}
	return openings, nil
}
