package source

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/jobs"
)

func TestParseHN(t *testing.T) {
	got, err := parseHN(fixture(t, "hn-whoishiring.json"), "hn", testNow)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range got {
		checkOpening(t, o, "hn")
	}
	m := byID(t, got)
	// Six top-level comments: the Zoom round-up (22665510) is not a job post, Mixin's (22665610)
	// names no role in its header or text; no reply (dang's, among them) is read.
	if len(got) != 4 {
		t.Fatalf("%d openings, want 4: %v", len(got), got)
	}
	for _, skipped := range []string{"22665510", "22665610", "22665526", "22665579"} {
		if _, ok := m[skipped]; ok {
			t.Errorf("comment %s kept", skipped)
		}
	}
	tests := []struct {
		name, id  string
		title     string
		company   string
		locations []string
		remote    jobs.Remote
		kind      jobs.EmploymentType
		salary    *jobs.Salary
		posted    int64
	}{
		{"pipes, REMOTE, role among the segments", "22665560", "Wine, 3D Graphics, and General Open Source Developers", "CodeWeavers",
			[]string{"St Paul, MN, USA"}, jobs.RemoteYes, jobs.TypeFullTime, nil, 1584980884},
		{"ONSITE, entity in the location, role from the text", "22665572", "Backend & Devops Engineers", "ngrok",
			[]string{"San Francisco", "Seattle"}, jobs.RemoteNo, jobs.TypeFullTime, nil, 1584980918},
		{"lower-case onsite", "22665623", "Senior Product Manager", "Boulder Care",
			[]string{"Portland OR"}, jobs.RemoteNo, jobs.TypeFullTime, nil, 1584981149},
		{"header ends at a newline, salary in the header", "22665626", "Software engineer(s) + Operations and Finance", "Secfi",
			[]string{"Amsterdam, the Netherlands", "San Francisco"}, jobs.RemoteUnknown, jobs.TypeUnknown,
			&jobs.Salary{Min: 50000, Max: 150000, Currency: "EUR", Period: jobs.PerYear}, 1584981158},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, ok := m[tt.id]
			if !ok {
				t.Fatalf("no opening %s", tt.id)
			}
			if o.Title != tt.title || o.Company != tt.company || !reflect.DeepEqual(o.Locations, tt.locations) || o.Remote != tt.remote ||
				o.EmploymentType != tt.kind || !reflect.DeepEqual(o.Salary, tt.salary) || !o.Posted.Equal(time.Unix(tt.posted, 0)) ||
				o.URL != "https://news.ycombinator.com/item?id="+tt.id {
				t.Errorf("got %+v (salary %+v)", o, o.Salary)
			}
		})
	}
	t.Run("entities decoded, paragraphs kept", func(t *testing.T) {
		d := m["22665572"].Description
		if !strings.Contains(d, "I'm the Director of Engineering here at ngrok.\n\nNgrok builds") || strings.Contains(d, "&#x") || strings.Contains(d, "<p>") {
			t.Errorf("description %q", d)
		}
	})
}

func TestReadHNPost(t *testing.T) {
	tests := []struct {
		name, text    string
		ok            bool
		company, role string
		remote        jobs.Remote
		visa          jobs.Visa
	}{
		{"dashes", "Acme - Senior Go Engineer - Berlin - REMOTE or ONSITE<p>We build rockets.", true, "Acme", "Senior Go Engineer", jobs.RemoteHybrid, ""},
		{"VISA word", "Acme | Data Scientist | London | ONSITE | VISA", true, "Acme", "Data Scientist", jobs.RemoteNo, jobs.VisaYes},
		{"no sponsorship beats the word", "Acme | SRE | NYC | REMOTE | no VISA sponsorship", true, "Acme", "SRE", jobs.RemoteYes, jobs.VisaNo},
		{"is hiring, no pipes", "Acme is hiring a Senior Rust Developer (REMOTE)", true, "Acme", "Senior Rust Developer", jobs.RemoteYes, ""},
		{"a question is not a post", "Does anyone know if remote jobs pay less?", false, "", "", "", ""},
		{"one dash is not a header", "Great thread - thanks!", false, "", "", "", ""},
		{"empty", "", false, "", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, ok := readHNPost(tt.text)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v (%+v)", ok, tt.ok, p)
			}
			if !ok {
				return
			}
			o := jobs.Opening{Description: jobs.PlainText(tt.text, 0)}
			p.fill(&o)
			if o.Company != tt.company || o.Title != tt.role || o.Remote != tt.remote || o.Visa != tt.visa {
				t.Errorf("got %+v", o)
			}
		})
	}
}

func TestPickHNStory(t *testing.T) {
	tests := []struct{ name, body, id, err string }{
		{"newest hiring thread, not the newer hired one", string(fixture(t, "hn-search.json")), "22665398", ""},
		{"none", `{"hits":[{"objectID":"1","title":"Ask HN: Who wants to be hired?"}]}`, "", "among the 1 newest"},
		{"id that is not a number", `{"hits":[{"objectID":"../x","title":"Ask HN: Who is hiring?"}]}`, "", "among the 1 newest"},
		{"no hits", `{"nbHits":0}`, "", `no "hits" list`},
		{"not JSON", `<html>`, "", "not the expected JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := pickHNStory([]byte(tt.body))
			if id != tt.id || (tt.err == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q, %v; want %q, %q", id, err, tt.id, tt.err)
			}
		})
	}
}

func TestParseHNMalformed(t *testing.T) {
	for _, tt := range []struct{ name, body, err string }{
		{"array", `[]`, "not the expected JSON"},
		{"no children", `{"id":1,"type":"story"}`, `no "children" list`},
		{"children not a list", `{"children":"x"}`, "not the expected JSON"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := parseHN([]byte(tt.body), "hn", testNow); err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("error %v, want %q", err, tt.err)
			}
		})
	}
	t.Run("deleted and dead comments skipped", func(t *testing.T) {
		got, err := parseHN([]byte(`{"children":[{"id":1,"text":null,"author":null},{"id":2,"text":""},{"id":null,"text":"A | Go Engineer"},{"id":3,"text":"A | Go Engineer | REMOTE"}]}`), "hn", testNow)
		if err != nil || len(got) != 1 || got[0].ID != "hn:3" {
			t.Errorf("%+v, %v", got, err)
		}
	})
}

func TestHNFetch(t *testing.T) {
	fb := newFakeBoard(t, map[string]string{"/api/v1/search_by_date": "hn-search.json", "/api/v1/items/22665398": "hn-whoishiring.json"})
	got := fetchThrough(t, fb, "hn-whoishiring", fb.URL+"/api/v1/")
	want, _ := parseHN(fixture(t, "hn-whoishiring.json"), "board", testNow)
	if !reflect.DeepEqual(got, want) {
		t.Error("Fetch and parseHN differ")
	}
	wantPaths := []string{"/api/v1/search_by_date?tags=story,author_whoishiring&hitsPerPage=5", "/api/v1/items/22665398"}
	if !slices.Equal(fb.paths, wantPaths) {
		t.Errorf("requests %q, want %q", fb.paths, wantPaths)
	}
	if s, _ := newHNWhoIsHiring(Config{Name: "hn"}, nil); s.(*hnWhoIsHiring).url != "https://hn.algolia.com/api/v1" {
		t.Errorf("default url %q", s.(*hnWhoIsHiring).url)
	}
}

func FuzzParseHN(f *testing.F) {
	f.Add(fixture(f, "hn-whoishiring.json"), fixture(f, "hn-search.json"))
	f.Add([]byte(`{"children":[{"id":3,"text":"A - B Engineer - C&amp;D<p>x","created_at_i":1}]}`), []byte(`{"hits":[]}`))
	f.Fuzz(func(t *testing.T, items, search []byte) {
		if id, err := pickHNStory(search); err == nil && (id == "" || strings.Trim(id, "0123456789") != "") {
			t.Errorf("story id %q", id)
		}
		got, err := parseHN(items, "hn", testNow)
		if err != nil {
			return
		}
		for _, o := range got {
			checkOpening(t, o, "hn")
		}
	})
}
