package source

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/jobs"
)

func TestParseJSONLD(t *testing.T) {
	got, err := parseJSONLD(fixture(t, "jobposting-jsonld.html"), "erc", testNow)
	if err != nil {
		t.Fatal(err)
	}
	// Two ld+json blocks: the Organization is not an opening.
	if len(got) != 1 {
		t.Fatalf("%d openings, want 1", len(got))
	}
	o := got[0]
	checkOpening(t, o, "erc")
	desc := o.Description
	o.Description = ""
	want := jobs.Opening{
		ID:             "erc:ERC-2026-014",
		Title:          "Senior Backend Engineer",
		Company:        "Example Remote Co.",
		Locations:      []string{"USA", "Canada"},
		Remote:         jobs.RemoteYes,
		Seniority:      jobs.SenioritySenior,
		EmploymentType: jobs.TypeFullTime,
		Salary:         &jobs.Salary{Min: 150000, Max: 185000, Currency: "USD", Period: jobs.PerYear},
		URL:            "https://careers.example.com/jobs/senior-backend-engineer-remote",
		Posted:         time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC),
		Closes:         time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC),
		Source:         "erc",
	}
	if !reflect.DeepEqual(o, want) {
		t.Errorf("\n got %+v\nwant %+v", o, want)
	}
	if !strings.Contains(desc, "Go, PostgreSQL & message queues") || !strings.Contains(desc, "- 5+ years") || strings.Contains(desc, "<") {
		t.Errorf("description %q", desc)
	}
}

func TestParseJSONLDShapes(t *testing.T) {
	page := func(blocks ...string) string {
		s := `<html><head><link rel="canonical" href="https://jobs.example.com/p">`
		for _, b := range blocks {
			s += `<script type="application/ld+json">` + b + `</script>`
		}
		return s + `</head><body></body></html>`
	}
	tests := []struct {
		name   string
		body   string
		ids    []string
		err    string
		salary *jobs.Salary
		remote jobs.Remote
		locs   []string
	}{
		{name: "no posting", body: page(`{"@type":"Organization","name":"x"}`), err: "no schema.org JobPosting (1 ld+json blocks)"},
		{name: "no scripts", body: `<p>hello</p>`, err: "(0 ld+json blocks)"},
		{name: "broken block skipped", body: page(`{"@type":`, `{"@type":"JobPosting","title":"A","url":"https://jobs.example.com/a"}`), ids: []string{"j:https://jobs.example.com/a"}},
		{
			name: "array, canonical ids numbered",
			body: page(`[{"@type":"JobPosting","title":"A"},{"@type":["JobPosting"],"title":"B"},{"@type":"JobPosting"}]`),
			ids:  []string{"j:https://jobs.example.com/p#1", "j:https://jobs.example.com/p#2"},
		},
		{
			name:   "graph, hourly, on-site address",
			body:   page(`{"@context":"https://schema.org","@graph":[{"@type":"WebPage"},{"@type":"JobPosting","title":"Barista","identifier":7,"jobLocation":[{"@type":"Place","address":{"addressLocality":"Köln","addressCountry":{"@type":"Country","name":"DE"}}}],"baseSalary":{"currency":"EUR","value":{"value":"14.50","unitText":"HOUR"}}}]}`),
			ids:    []string{"j:7"},
			salary: &jobs.Salary{Min: 15, Max: 15, Currency: "EUR", Period: jobs.PerHour},
			locs:   []string{"Köln, DE"},
		},
		{
			name: "weekly pay not kept, remote from the location",
			body: page(`{"@type":"JobPosting","title":"Writer","identifier":{"value":"w1"},"jobLocation":{"address":"Remote - EU"},"baseSalary":{"currency":"USD","value":{"minValue":500,"unitText":"WEEK"}}}`),
			ids:  []string{"j:w1"}, remote: jobs.RemoteYes, locs: []string{"Remote - EU"},
		},
		{
			name:   "monthly",
			body:   page(`{"@type":"http://schema.org/JobPosting","title":"X","identifier":"m","baseSalary":{"currency":"usd","value":{"minValue":"4,000","maxValue":5000,"unitText":"MONTH"}}}`),
			ids:    []string{"j:m"},
			salary: &jobs.Salary{Min: 4000, Max: 5000, Currency: "USD", Period: jobs.PerMonth},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseJSONLD([]byte(tt.body), "j", testNow)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, o := range got {
				checkOpening(t, o, "j")
				ids = append(ids, o.ID)
			}
			if !reflect.DeepEqual(ids, tt.ids) {
				t.Fatalf("ids %q, want %q", ids, tt.ids)
			}
			if o := got[0]; !reflect.DeepEqual(o.Salary, tt.salary) || o.Remote != tt.remote || !reflect.DeepEqual(o.Locations, tt.locs) {
				t.Errorf("got %+v (salary %+v)", o, o.Salary)
			}
		})
	}
}

func TestJSONLDFetch(t *testing.T) {
	fb := newFakeBoard(t, map[string]string{"/careers": "jobposting-jsonld.html"})
	got := fetchThrough(t, fb, "jsonld", fb.URL+"/careers")
	want, _ := parseJSONLD(fixture(t, "jobposting-jsonld.html"), "board", testNow)
	if !reflect.DeepEqual(got, want) {
		t.Error("Fetch and parseJSONLD differ")
	}
	if _, err := New(Config{Name: "page", Type: "jsonld"}, NewClient("test")); err == nil || !strings.Contains(err.Error(), "source page: type jsonld needs") {
		t.Errorf("jsonld without url: %v", err)
	}
}

func FuzzParseJSONLD(f *testing.F) {
	f.Add(fixture(f, "jobposting-jsonld.html"))
	f.Add([]byte(`<script type="application/ld+json">{"@graph":[{"@type":"JobPosting","title":"t","identifier":1,"baseSalary":{"value":3}}]}</script>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := parseJSONLD(body, "j", testNow)
		if err != nil {
			return
		}
		for _, o := range got {
			checkOpening(t, o, "j")
		}
	})
}
