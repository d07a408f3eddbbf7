package source

import (
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/jobs"
)

func TestParseLever(t *testing.T) {
	got := atsParse(t, parseLever, "lever-postings.json", "goto", 15)
	atsCompare(t, got, []atsWant{
		{
			name: "requisition number before the title",
			want: jobs.Opening{
				ID: "goto:f53cae40-f605-4215-9a82-b48c5db508b5", Title: "Senior Backend Engineer",
				Locations: []string{"Bengaluru"}, Remote: jobs.RemoteNo, Seniority: jobs.SenioritySenior, EmploymentType: jobs.TypeFullTime,
				URL:    "https://jobs.lever.co/GoToGroup/f53cae40-f605-4215-9a82-b48c5db508b5",
				Posted: time.UnixMilli(1721638994130).UTC(), Source: "goto",
			},
			// The description, then each list under its heading as "- " items.
			has:  []string{"Roll up your sleeves", "What you will do\n\n- Work cross-functionally", "What you will need\n\n- At least 4 years", "SE/ASEs in the team"},
			lack: []string{"&nbsp;", "font-size"},
		},
		{
			name: "requisition number after the title",
			want: jobs.Opening{
				ID: "goto:f1bdce17-4ab5-49ab-9dbc-6d96a5619846", Title: "Area CE Associate - Semarang",
				Locations: []string{"Semarang"}, Remote: jobs.RemoteNo, Seniority: jobs.SeniorityJunior, EmploymentType: jobs.TypeFullTime,
				URL:    "https://jobs.lever.co/GoToGroup/f1bdce17-4ab5-49ab-9dbc-6d96a5619846",
				Posted: time.UnixMilli(1720592465974).UTC(), Source: "goto",
			},
		},
		{
			name: "two locations",
			want: jobs.Opening{
				ID: "goto:18674f77-24b2-46a4-86bb-7b5e7fe71f2c", Title: "Area Operations Manager (Bogor Depok)",
				Locations: []string{"Depok", "Bogor"}, Remote: jobs.RemoteNo, Seniority: jobs.SeniorityLead, EmploymentType: jobs.TypeFullTime,
				URL:    "https://jobs.lever.co/GoToGroup/18674f77-24b2-46a4-86bb-7b5e7fe71f2c",
				Posted: time.UnixMilli(1713768982209).UTC(), Source: "goto",
			},
		},
		{
			name: "commitment missing",
			want: jobs.Opening{
				ID: "goto:73172a46-5486-4860-a256-8e17225c4a47", Title: "Account Executive (Bali)",
				Locations: []string{"Bali"}, Remote: jobs.RemoteNo,
				URL:    "https://jobs.lever.co/GoToGroup/73172a46-5486-4860-a256-8e17225c4a47",
				Posted: time.UnixMilli(1720778770433).UTC(), Source: "goto",
			},
		},
		{
			name: "direct contract",
			want: jobs.Opening{
				ID: "goto:885b2af9-c94a-4010-b0c4-c6ea7812039b", Title: "Account Executive (Tangerang)",
				Locations: []string{"Tangerang"}, Remote: jobs.RemoteNo, EmploymentType: jobs.TypeContract,
				URL:    "https://jobs.lever.co/GoToGroup/885b2af9-c94a-4010-b0c4-c6ea7812039b",
				Posted: time.UnixMilli(1721704703939).UTC(), Source: "goto",
			},
		},
		{
			name: "empty salary description",
			want: jobs.Opening{
				ID: "goto:178ba514-705f-4f0b-9e48-fe917c47a95b", Title: "Enterprise Information Security Engineer Lead",
				Locations: []string{"Jakarta"}, Remote: jobs.RemoteNo, Seniority: jobs.SeniorityLead, EmploymentType: jobs.TypeFullTime,
				URL:    "https://jobs.lever.co/GoToGroup/178ba514-705f-4f0b-9e48-fe917c47a95b",
				Posted: time.UnixMilli(1721370013113).UTC(), Source: "goto",
			},
		},
		{
			name: "internship",
			want: jobs.Opening{
				ID: "goto:816f2d4c-5ff6-4e83-8697-9c25df599409", Title: "Data Scientist Intern",
				Locations: []string{"Jakarta"}, Remote: jobs.RemoteNo, Seniority: jobs.SeniorityIntern, EmploymentType: jobs.TypeInternship,
				URL:    "https://jobs.lever.co/GoToGroup/816f2d4c-5ff6-4e83-8697-9c25df599409",
				Posted: time.UnixMilli(1719909376581).UTC(), Source: "goto",
			},
		},
	})
	for _, o := range got {
		if strings.Contains(o.Title, "#") {
			t.Errorf("%s keeps a requisition number: %q", o.ID, o.Title)
		}
	}
}

func TestLeverTitle(t *testing.T) {
	for in, want := range map[string]string{
		"#10010 Senior Backend Engineer":        "Senior Backend Engineer",
		"# 42 Designer":                         "Designer",
		"R-1234 - Data Analyst":                 "Data Analyst",
		"[REQ-88] Product Designer":             "Product Designer",
		"REQ123: Nurse":                         "Nurse",
		"Area CE Associate - Semarang - #10227": "Area CE Associate - Semarang",
		"Engineer (#77)":                        "Engineer",
		"#10010":                                "#10010",
		"C++ Engineer":                          "C++ Engineer",
		"3D Artist":                             "3D Artist",
		"SRE 2 - Platform":                      "SRE 2 - Platform",
		"Engineer #1 at Acme":                   "Engineer #1 at Acme",
	} {
		if got := leverTitle(in); got != want {
			t.Errorf("leverTitle(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseLeverShapes(t *testing.T) {
	body := `[
		{"id":"a","text":"Remote Go Engineer","workplaceType":"remote","categories":{},"createdAt":null,
		 "salaryRange":{"min":100000,"max":140000,"currency":"USD","interval":"per-year-salary"},
		 "description":"<b>Go</b> &amp; Kafka","lists":[{"text":"You &amp; us","content":"<li>one</li>"}],"additional":"<p>We cannot sponsor visas.</p>"},
		{"id":"b","text":"Hybrid role","workplaceType":"hybrid","categories":{"location":"Zürich","allLocations":["Zürich","zürich"]},
		 "salaryDescription":"<p>€60k–80k per year</p>"},
		{"id":"c","text":"Unspecified","workplaceType":"unspecified","categories":{"location":"Remote - EU"}},
		{"id":"","text":"no id"},
		{"id":"d"}
	]`
	got, err := parseLever([]byte(body), "l", atsNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("%d openings", len(got))
	}
	if o := got[0]; o.Remote != jobs.RemoteYes || o.Salary == nil || *o.Salary != (jobs.Salary{Min: 100000, Max: 140000, Currency: "USD", Period: jobs.PerYear}) ||
		o.Visa != jobs.VisaNo || o.Description != "Go & Kafka\n\nYou & us\n\n- one\n\nWe cannot sponsor visas." || !o.Posted.IsZero() || o.Locations != nil {
		t.Errorf("remote posting with a salary range: %+v", o)
	}
	if o := got[1]; o.Remote != jobs.RemoteHybrid || len(o.Locations) != 1 || o.Salary == nil || o.Salary.Min != 60000 || o.Salary.Currency != "EUR" {
		t.Errorf("hybrid posting with a salary description: %+v", o)
	}
	if o := got[2]; o.Remote != jobs.RemoteYes {
		t.Errorf("unspecified workplace read from the location: %+v", o)
	}
	for name, body := range map[string]string{"object": `{"ok":false,"error":"Document not found"}`, "null": "null", "not json": "<!doctype html>"} {
		if _, err := parseLever([]byte(body), "l", atsNow); err == nil || !strings.HasPrefix(err.Error(), "lever: the payload is not the postings API's JSON") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func FuzzParseLever(f *testing.F) {
	f.Add(atsFixture(f, "lever-postings.json"))
	f.Add([]byte(`[{"id":"a","text":"#1 x","createdAt":1e20,"lists":[{"text":"<","content":"<li>"}]}]`))
	f.Fuzz(func(t *testing.T, body []byte) { atsFuzz(t, parseLever, body) })
}
