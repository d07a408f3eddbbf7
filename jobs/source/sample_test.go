package source

import (
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/jobs"
)

func TestSample(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	got, err := Sample(now)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2+sampleRecorded {
		t.Fatalf("%d openings", len(got))
	}
	if got[0].Company != "Seqera" || !strings.HasPrefix(got[0].Title, "Senior Software Engineer - Cloud and Distributed Systems") {
		t.Errorf("the article's first opening: %+v", got[0])
	}
	for _, o := range got {
		if o.Source != jobs.SampleSource || !strings.HasPrefix(o.ID, "sample:") || !strings.HasSuffix(o.Title, "(sample)") ||
			!o.FirstSeen.Equal(now) || !o.Open() {
			t.Errorf("%+v", o)
		}
	}
}
