package source

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/jobs"
)

func TestParseRemoteOK(t *testing.T) {
	got, err := parseRemoteOK(fixture(t, "remoteok.json"), "remoteok", testNow)
	if err != nil {
		t.Fatal(err)
	}
	// 15 elements: the legal notice and the job with no position are skipped.
	if len(got) != 13 {
		t.Fatalf("%d openings, want 13", len(got))
	}
	for _, o := range got {
		checkOpening(t, o, "remoteok")
		if o.Remote != jobs.RemoteYes || strings.Contains(o.Title, "API Terms") {
			t.Errorf("%s: remote %q, title %q", o.ID, o.Remote, o.Title)
		}
	}
	m := byID(t, got)
	tests := []struct {
		name, id  string
		title     string
		company   string
		locations []string
		seniority jobs.Seniority
		salary    *jobs.Salary
		posted    time.Time
	}{
		{"unknown salary is nil", "1130787", "Senior Sales Engineer Data & AI Security", "Veeam Software", []string{"Saint Louis, MO, USA"},
			jobs.SenioritySenior, nil, time.Unix(1773590407, 0).UTC()},
		{"yearly USD", "1130780", "VP Corporate Marketing Brand & Communications", "Blackpoint Cyber", nil,
			jobs.SeniorityLead, &jobs.Salary{Min: 180000, Max: 210000, Currency: "USD", Period: jobs.PerYear}, time.Unix(1773504004, 0).UTC()},
		{"mojibake location repaired, PLN from the description", "1130779", "Engineering Manager Workload Management", "Graphcore", []string{"Gdańsk"},
			jobs.SeniorityLead, &jobs.Salary{Min: 350700, Max: 474400, Currency: "PLN", Period: jobs.PerYear}, time.Unix(1773493203, 0).UTC()},
		{"30/30 is hourly", "1130776", "AI Trainer", "Kastle", nil,
			jobs.SeniorityUnknown, &jobs.Salary{Min: 30, Max: 30, Currency: "USD", Period: jobs.PerHour}, time.Unix(1773475203, 0).UTC()},
		{"empty location", "1130783", "Staff DevOps Engineer", "Life360", nil,
			jobs.SeniorityStaff, nil, time.Unix(1773522004, 0).UTC()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, ok := m[tt.id]
			if !ok {
				t.Fatalf("no opening %s", tt.id)
			}
			if o.Title != tt.title || o.Company != tt.company || !reflect.DeepEqual(o.Locations, tt.locations) ||
				o.Seniority != tt.seniority || !reflect.DeepEqual(o.Salary, tt.salary) || !o.Posted.Equal(tt.posted) {
				t.Errorf("got %+v (salary %+v)", o, o.Salary)
			}
			if want := "https://remoteOK.com/remote-jobs/"; !strings.HasPrefix(o.URL, want) || !strings.HasSuffix(o.URL, tt.id) {
				t.Errorf("URL %q", o.URL)
			}
		})
	}
	t.Run("legal notice and empty job skipped", func(t *testing.T) {
		if _, ok := m["1130784"]; ok {
			t.Error("the job with no position was kept")
		}
	})
	t.Run("HTML description cleaned, mojibake repaired", func(t *testing.T) {
		d := m["1130776"].Description
		if !strings.HasPrefix(d, "About Kastle\n\nKastle is building the AI operating system") || !strings.Contains(d, "America’s largest") ||
			strings.Contains(d, "<p") || strings.Contains(d, "style=") || strings.ContainsAny(d, "\u0080\u0099") ||
			!strings.Contains(d, "Annotate and label data from mortgage-related conversations.") {
			t.Errorf("description %q", d[:min(len(d), 400)])
		}
	})
}

func TestParseRemoteOKMalformed(t *testing.T) {
	tests := []struct{ name, body, err string }{
		{"object", `{"jobs":[]}`, "not a JSON array"},
		{"truncated", `[{"id":"1"`, "not a JSON array"},
		{"element of the wrong type", `[{"legal":"x"},"job"]`, "element 1 is not a job"},
		{"id of the wrong type", `[{"id":{"a":1},"position":"x"}]`, "element 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := parseRemoteOK([]byte(tt.body), "r", testNow); err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("error %v, want %q", err, tt.err)
			}
		})
	}
	t.Run("numeric id, missing fields, future epoch clamped", func(t *testing.T) {
		got, err := parseRemoteOK([]byte(`[{"id":42,"position":"Go Engineer","epoch":9999999999,"salary_min":null}]`), "r", testNow)
		if err != nil || len(got) != 1 {
			t.Fatalf("%v, %v", got, err)
		}
		if o := got[0]; o.ID != "r:42" || !o.Posted.Equal(testNow) || o.Salary != nil || o.Locations != nil || o.URL != "" {
			t.Errorf("%+v", o)
		}
	})
}

func TestRemoteOKFetch(t *testing.T) {
	fb := newFakeBoard(t, map[string]string{"/api": "remoteok.json"})
	got := fetchThrough(t, fb, "remoteok", fb.URL+"/api")
	want, _ := parseRemoteOK(fixture(t, "remoteok.json"), "board", testNow)
	if !reflect.DeepEqual(got, want) {
		t.Error("Fetch and parseRemoteOK differ")
	}
	if s, _ := newRemoteOK(Config{Name: "r"}, nil); s.(*remoteOK).url != "https://remoteok.com/api" {
		t.Errorf("default url %q", s.(*remoteOK).url)
	}
}

func FuzzParseRemoteOK(f *testing.F) {
	f.Add(fixture(f, "remoteok.json"))
	f.Add([]byte(`[{"legal":"x"},{"id":1,"position":"p","location":"Gda\u00c5\u0084sk","salary_min":"5"}]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := parseRemoteOK(body, "r", testNow)
		if err != nil {
			return
		}
		for _, o := range got {
			checkOpening(t, o, "r")
		}
	})
}
