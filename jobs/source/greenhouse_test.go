package source

import (
	"encoding/json"
	"maps"
	"testing"
	"time"

	"github.com/careerbot/careerbot/jobs"
)

func TestParseGreenhouse(t *testing.T) {
	got := atsParse(t, parseGreenhouse, "greenhouse-jobs.json", "smarterdx", 2)
	atsCompare(t, got, []atsWant{
		{
			name: "hourly pay in the description",
			want: jobs.Opening{
				ID: "smarterdx:5193736007", Title: "Client Support Analyst I", Company: "SmarterDx",
				Locations: []string{"Remote (United States)"}, Remote: jobs.RemoteYes, Seniority: jobs.SeniorityJunior,
				// "$34.62/hour": whole currency units.
				Salary: &jobs.Salary{Min: 35, Max: 35, Currency: "USD", Period: jobs.PerHour},
				URL:    "https://job-boards.greenhouse.io/smarterdx/jobs/5193736007",
				Posted: time.Date(2026, 7, 27, 17, 48, 30, 0, time.UTC), Source: "smarterdx",
			},
			// Entity-escaped HTML: tags gone, &#39; and \u2014 decoded.
			has:  []string{"SmarterDx is transforming how health systems", "you'll investigate", "revenue cycle teams — helping", "Compensation\n\n$34.62/hour"},
			lack: []string{"content-intro", "&quot;", "&#39;", "<p>"},
		},
		{
			name: "trailing spaces and a yearly range",
			want: jobs.Opening{
				ID: "smarterdx:5099964007", Title: "Clinical Coding Specialist", Company: "SmarterDx",
				Locations: []string{"Remote (United States)"}, Remote: jobs.RemoteYes,
				Salary: &jobs.Salary{Min: 75000, Max: 105000, Currency: "USD", Period: jobs.PerYear},
				URL:    "https://job-boards.greenhouse.io/smarterdx/jobs/5099964007",
				Posted: time.Date(2026, 4, 6, 13, 38, 12, 0, time.UTC), Source: "smarterdx",
			},
			has: []string{"- $75k - $105k salary + benefits"},
		},
	})
}

func TestParseGreenhouseSeed(t *testing.T) {
	got := atsParse(t, parseGreenhouse, "seed-openings.json", "sample", 2)
	atsCompare(t, got, []atsWant{
		{
			name: "seqera",
			want: jobs.Opening{
				ID: "sample:4000000001", Title: "Senior Software Engineer - Cloud and Distributed Systems", Company: "Seqera",
				Locations: []string{"Remote"}, Remote: jobs.RemoteYes, Seniority: jobs.SenioritySenior,
				URL:    "https://example.com/careers/seqera/jobs/4000000001",
				Posted: time.Date(2025, 1, 15, 15, 0, 0, 0, time.UTC), Source: "sample",
			},
			has: []string{"Join Seqera as a Senior Software Engineer"},
		},
		{
			name: "empty location",
			want: jobs.Opening{
				ID: "sample:4000000002", Title: "Senior DevOps Engineer", Company: "Virtuoso", Seniority: jobs.SenioritySenior,
				URL:    "https://example.com/careers/virtuoso/jobs/4000000002",
				Posted: time.Date(2025, 1, 15, 15, 5, 0, 0, time.UTC), Source: "sample",
			},
		},
	})
}

// TestParseGreenhouseShapes covers what the fixtures do not: missing and null fields, ids as
// strings, offices as the only place, a custom employment-type field, a closing date, and
// payloads that are not the API's.
func TestParseGreenhouseShapes(t *testing.T) {
	body := `{"jobs":[
		{"id":"7","title":"Go Engineer","location":null,"offices":[{"name":"Berlin","location":null}],
		 "metadata":[{"name":"Employment Type","value":"Contractor"},{"name":"Level","value":["x"]}],
		 "updated_at":"2026-01-02T03:04:05Z","application_deadline":"2027-03-01T00:00:00Z","content":null},
		{"id":8,"title":"   "},
		{"title":"No id"},
		{"id":7,"title":"Go Engineer again"},
		{"id":9,"title":"Tokyo role","location":{"name":"東京"},"absolute_url":"ftp://x"}
	]}`
	got, err := parseGreenhouse([]byte(body), "g", atsNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("%d openings: %+v", len(got), got)
	}
	o := got[0]
	if o.ID != "g:7" || o.Title != "Go Engineer" || o.EmploymentType != jobs.TypeContract || len(o.Locations) != 1 || o.Locations[0] != "Berlin" ||
		!o.Posted.Equal(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)) || o.Closes.Year() != 2027 || o.Company != "" || o.Description != "" {
		t.Errorf("missing and null fields: %+v", o)
	}
	if o := got[1]; o.Locations[0] != "東京" || o.URL != "" {
		t.Errorf("unicode location or ftp url: %+v", o)
	}
	for name, body := range map[string]string{
		"not json": "<html>", "no jobs list": `{"meta":{}}`, "jobs not a list": `{"jobs":{}}`, "null": "null", "empty": "",
		"bad id": `{"jobs":[{"id":{},"title":"x"}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := parseGreenhouse([]byte(body), "g", atsNow); err == nil {
				t.Error("no error")
			} else if want := "greenhouse: the payload is not the job board API's JSON: "; err.Error()[:len(want)] != want {
				t.Errorf("error %q", err)
			}
		})
	}
}

func FuzzParseGreenhouse(f *testing.F) {
	for _, name := range []string{"greenhouse-jobs.json", "hostile.json", "seed-openings.json"} {
		f.Add(atsFixture(f, name))
	}
	f.Add([]byte(`{"jobs":[{"id":1,"title":"x","content":"&lt;p&gt;\u0000"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) { atsFuzz(t, parseGreenhouse, body) })
}

// BenchmarkParseGreenhouse parses a 500-opening payload of the job board API: the recorded
// board's openings repeated with ids of their own (their descriptions are 8 KB of escaped HTML).
func BenchmarkParseGreenhouse(b *testing.B) {
	var board struct {
		Jobs []map[string]any `json:"jobs"`
	}
	if err := json.Unmarshal(atsFixture(b, "greenhouse-jobs.json"), &board); err != nil {
		b.Fatal(err)
	}
	jobs := make([]map[string]any, 500)
	for i := range jobs {
		j := maps.Clone(board.Jobs[i%len(board.Jobs)])
		j["id"] = 1_000_000 + i
		jobs[i] = j
	}
	body, err := json.Marshal(map[string]any{"jobs": jobs})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		got, err := parseGreenhouse(body, "gh", testNow)
		if err != nil || len(got) != 500 {
			b.Fatalf("%d openings, %v", len(got), err)
		}
	}
}
