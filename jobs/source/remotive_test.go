package source

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/jobs"
)

func TestParseRemotive(t *testing.T) {
	got, err := parseRemotive(fixture(t, "remotive.json"), "remotive", testNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 15 {
		t.Fatalf("%d openings, want 15", len(got))
	}
	for _, o := range got {
		checkOpening(t, o, "remotive")
	}
	m := byID(t, got)
	tests := []struct {
		name, id  string
		title     string
		company   string
		locations []string
		kind      jobs.EmploymentType
		seniority jobs.Seniority
		salary    *jobs.Salary
		posted    time.Time
	}{
		{"hourly range, freelance", "2090903", "Data Labeling Specialists", "Workada", []string{"USA"}, jobs.TypeContract, jobs.SeniorityUnknown,
			&jobs.Salary{Min: 18, Max: 22, Currency: "USD", Period: jobs.PerHour}, time.Date(2026, 7, 26, 20, 49, 11, 0, time.UTC)},
		{"location list split", "2091075", "Business Development Representative", "Outsite",
			[]string{"Northern America", "Europe", "UK", "France", "European timezones"}, jobs.TypeFullTime, jobs.SeniorityUnknown,
			&jobs.Salary{Min: 45000, Max: 50000, Currency: "USD", Period: jobs.PerYear}, time.Date(2026, 7, 23, 15, 39, 28, 0, time.UTC)},
		{"empty job_type and salary", "2091072", "Product Sales Specialist - Pet Health (CST timezone)", "Tribe Wellness", []string{"Worldwide"},
			jobs.TypeUnknown, jobs.SeniorityUnknown, nil, time.Date(2026, 7, 22, 6, 22, 11, 0, time.UTC)},
		{"comma decimal k", "1680495", "Remote Office Assistant", "Coalition Technologies", []string{"Worldwide"}, jobs.TypeFullTime, jobs.SeniorityUnknown,
			&jobs.Salary{Min: 31200, Max: 52000, Currency: "USD", Period: jobs.PerYear}, time.Date(2026, 7, 11, 20, 18, 11, 0, time.UTC)},
		{"unicode title", "2091055", "Staff Software Engineer, Product (São Paulo)", "LawnStarter", []string{"Brazil"}, jobs.TypeFullTime, jobs.SeniorityStaff,
			&jobs.Salary{Min: 80000, Max: 100000, Currency: "USD", Period: jobs.PerYear}, time.Date(2026, 7, 9, 14, 41, 32, 0, time.UTC)},
		{"single amount with K", "2090942", "Customer Operations & Writing Specialist", "Clerky, Inc.", []string{"Worldwide"}, jobs.TypeFullTime, jobs.SeniorityUnknown,
			&jobs.Salary{Min: 12000, Max: 12000, Currency: "USD", Period: jobs.PerYear}, time.Date(2026, 7, 2, 7, 39, 11, 0, time.UTC)},
		{"hourly with a space before /hour", "1919265", "Senior Independent Software Developer", "A.Team", []string{"Americas", "Europe", "Israel"},
			jobs.TypeContract, jobs.SenioritySenior, &jobs.Salary{Min: 90, Max: 150, Currency: "USD", Period: jobs.PerHour}, time.Date(2026, 7, 16, 10, 10, 51, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, ok := m[tt.id]
			if !ok {
				t.Fatalf("no opening %s", tt.id)
			}
			if o.Title != tt.title || o.Company != tt.company || !reflect.DeepEqual(o.Locations, tt.locations) || o.EmploymentType != tt.kind ||
				o.Seniority != tt.seniority || !reflect.DeepEqual(o.Salary, tt.salary) || !o.Posted.Equal(tt.posted) || o.Remote != jobs.RemoteYes {
				t.Errorf("got %+v (salary %+v)", o, o.Salary)
			}
			if !strings.HasPrefix(o.URL, "https://remotive.com/remote-jobs/") || !strings.HasSuffix(o.URL, tt.id) {
				t.Errorf("URL %q", o.URL)
			}
		})
	}
	t.Run("inline-styled HTML cleaned", func(t *testing.T) {
		for _, o := range got {
			if strings.Contains(o.Description, "<p") || strings.Contains(o.Description, "<div") || strings.Contains(o.Description, "style=") || o.Description == "" {
				t.Errorf("%s: description %q", o.ID, o.Description[:min(200, len(o.Description))])
			}
		}
	})
}

func TestParseRemotiveMalformed(t *testing.T) {
	for _, tt := range []struct{ name, body, err string }{
		{"array", `[]`, "not the expected JSON"},
		{"no jobs key", `{"job-count":0}`, `no "jobs" list`},
		{"jobs not a list", `{"jobs":{}}`, "not the expected JSON"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := parseRemotive([]byte(tt.body), "r", testNow); err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("error %v, want %q", err, tt.err)
			}
		})
	}
	t.Run("null fields and no title skipped", func(t *testing.T) {
		got, err := parseRemotive([]byte(`{"jobs":[{"id":1,"title":null},{"id":"2","title":"SRE","salary":null,"publication_date":null,"url":"ftp://x"}]}`), "r", testNow)
		if err != nil || len(got) != 1 || got[0].ID != "r:2" || got[0].Salary != nil || !got[0].Posted.IsZero() || got[0].URL != "" {
			t.Errorf("%+v, %v", got, err)
		}
	})
}

func TestRemotiveFetch(t *testing.T) {
	fb := newFakeBoard(t, map[string]string{"/api/remote-jobs": "remotive.json"})
	got := fetchThrough(t, fb, "remotive", fb.URL+"/api/remote-jobs")
	want, _ := parseRemotive(fixture(t, "remotive.json"), "board", testNow)
	if !reflect.DeepEqual(got, want) {
		t.Error("Fetch and parseRemotive differ")
	}
}

func FuzzParseRemotive(f *testing.F) {
	f.Add(fixture(f, "remotive.json"))
	f.Add([]byte(`{"jobs":[{"id":1,"title":"t","salary":"$31,2k- $52k","candidate_required_location":",,a,A"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := parseRemotive(body, "r", testNow)
		if err != nil {
			return
		}
		for _, o := range got {
			checkOpening(t, o, "r")
		}
	})
}
