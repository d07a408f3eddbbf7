package source

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/jobs"
)

func TestParseHimalayas(t *testing.T) {
	got, err := parseHimalayas(fixture(t, "himalayas-jobs.json"), "himalayas", testNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 14 {
		t.Fatalf("%d openings, want 14", len(got))
	}
	for _, o := range got {
		checkOpening(t, o, "himalayas")
	}
	const page = "https://himalayas.app/companies/"
	m := byID(t, got)
	tests := []struct {
		name, path string
		title      string
		company    string
		locations  []string
		kind       jobs.EmploymentType
		seniority  jobs.Seniority
		salary     *jobs.Salary
		posted     time.Time
		closes     time.Time
	}{
		{"null salaries with a currency", "sixt/jobs/business-development-manager", "Business Development Manager", "SIXT", []string{"United States"},
			jobs.TypeFullTime, jobs.SenioritySenior, nil, time.Unix(1778990421, 0).UTC(), time.Unix(1784174421, 0).UTC()},
		{"board seniority over the title", "teya/jobs/senior-business-development-manager-leeds", "Senior Business Development Manager (Leeds)", "Teya",
			[]string{"United Kingdom"}, jobs.TypeFullTime, jobs.SeniorityLead, nil, time.Unix(1778990350, 0).UTC(), time.Unix(1784174349, 0).UTC()},
		{"entry level", "l21s-gmbh/jobs/software-engineer-m-w-d-8810380168", "Software Engineer (m/w/d)", "L21s GmbH", []string{"Germany"},
			jobs.TypeFullTime, jobs.SeniorityJunior, nil, time.Unix(1778990327, 0).UTC(), time.Unix(1784174326, 0).UTC()},
		{"min equals max, many countries", "mood-health/jobs/mental-health-therapist", "Mental Health Therapist", "Mood Health",
			[]string{"Australia", "Canada", "Ireland", "New Zealand", "United Kingdom", "United States"}, jobs.TypeFullTime, jobs.SeniorityMid,
			&jobs.Salary{Min: 133120, Max: 133120, Currency: "USD", Period: jobs.PerYear}, time.Unix(1778990195, 0).UTC(), time.Unix(1784174195, 0).UTC()},
		{"EUR contractor", "asper-brothers/jobs/flutter-developer", "Flutter Developer", "ASPER BROTHERS", []string{"Poland"},
			jobs.TypeContract, jobs.SenioritySenior, &jobs.Salary{Min: 55200, Max: 66000, Currency: "EUR", Period: jobs.PerYear},
			time.Unix(1778990079, 0).UTC(), time.Unix(1784174079, 0).UTC()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, ok := m[page+tt.path]
			if !ok {
				t.Fatalf("no opening %s", tt.path)
			}
			if o.Title != tt.title || o.Company != tt.company || !reflect.DeepEqual(o.Locations, tt.locations) || o.EmploymentType != tt.kind ||
				o.Seniority != tt.seniority || !reflect.DeepEqual(o.Salary, tt.salary) || !o.Posted.Equal(tt.posted) || !o.Closes.Equal(tt.closes) ||
				o.Remote != jobs.RemoteYes || o.URL != page+tt.path || o.ID != "himalayas:"+page+tt.path {
				t.Errorf("got %+v (salary %+v)", o, o.Salary)
			}
		})
	}
	t.Run("company links reduced to text", func(t *testing.T) {
		d := m[page+"sixt/jobs/business-development-manager"].Description
		if !strings.HasPrefix(d, "At SIXT we’re not just shaping") || strings.Contains(d, "href") || !strings.HasSuffix(d, "Originally posted on Himalayas") {
			t.Errorf("description %q", d)
		}
	})
}

func TestParseHimalayasMalformed(t *testing.T) {
	for _, tt := range []struct{ name, body, err string }{
		{"not JSON", `<html>`, "not the expected JSON"},
		{"no jobs", `{"totalCount":0}`, `no "jobs" list`},
		{"salary of the wrong type", `{"jobs":[{"title":"x","guid":"g","minSalary":{}}]}`, "not the expected JSON"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := parseHimalayas([]byte(tt.body), "h", testNow); err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("error %v, want %q", err, tt.err)
			}
		})
	}
	t.Run("no guid: applicationLink; salaryPeriod honoured; no id skipped", func(t *testing.T) {
		got, err := parseHimalayas([]byte(`{"jobs":[{"title":"a"},{"title":"Go Dev","applicationLink":"https://x.example/j","minSalary":40,"maxSalary":60,"currency":"gbp","salaryPeriod":"month"}]}`), "h", testNow)
		want := &jobs.Salary{Min: 40, Max: 60, Currency: "GBP", Period: jobs.PerMonth}
		if err != nil || len(got) != 1 || got[0].ID != "h:https://x.example/j" || !reflect.DeepEqual(got[0].Salary, want) {
			t.Errorf("%+v, %v", got, err)
		}
	})
}

func TestHimalayasFetch(t *testing.T) {
	fb := newFakeBoard(t, map[string]string{"/jobs/api": "himalayas-jobs.json"})
	got := fetchThrough(t, fb, "himalayas", fb.URL+"/jobs/api?limit=100")
	want, _ := parseHimalayas(fixture(t, "himalayas-jobs.json"), "board", testNow)
	if !reflect.DeepEqual(got, want) {
		t.Error("Fetch and parseHimalayas differ")
	}
}

func FuzzParseHimalayas(f *testing.F) {
	f.Add(fixture(f, "himalayas-jobs.json"))
	f.Add([]byte(`{"jobs":[{"title":"t","guid":"g","minSalary":null,"maxSalary":"7","pubDate":1e300}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := parseHimalayas(body, "h", testNow)
		if err != nil {
			return
		}
		for _, o := range got {
			checkOpening(t, o, "h")
		}
	})
}
