package source

import (
	"embed"
	"fmt"
	"slices"
	"time"

	"github.com/careerbot/careerbot/jobs"
)

// sampleFiles are the sample set's payloads, embedded so that a first run without network has
// openings to try: the two openings of the career article careerbot grew from (constructed in
// Greenhouse's shape) and a page of Himalayas' API recorded by a third-party project
// (sample/README.md says where each comes from).
//
//go:embed sample/seed-openings.json sample/himalayas-jobs.json
var sampleFiles embed.FS

// sampleRecorded is how many of the recorded openings the sample keeps: a handful, enough to
// see a feed fill.
const sampleRecorded = 6

// Sample returns the sample openings as of now: source jobs.SampleSource, ids "sample:…",
// first seen now and posted over the last few hours, so that they count as new. They are
// clearly not real postings of today: each title is marked "(sample)".
func Sample(now time.Time) ([]jobs.Opening, error) {
	seed, err := sampleFiles.ReadFile("sample/seed-openings.json")
	if err != nil {
		return nil, fmt.Errorf("sample: %w", err)
	}
	recorded, err := sampleFiles.ReadFile("sample/himalayas-jobs.json")
	if err != nil {
		return nil, fmt.Errorf("sample: %w", err)
	}
	a, err := parseGreenhouse(seed, jobs.SampleSource, now)
	if err != nil {
		return nil, fmt.Errorf("sample: the article's openings: %w", err)
	}
	b, err := parseHimalayas(recorded, jobs.SampleSource, now)
	if err != nil {
		return nil, fmt.Errorf("sample: the recorded openings: %w", err)
	}
	out := append(a, b[:min(sampleRecorded, len(b))]...)
	for i := range out {
		o := &out[i]
		o.ID = "sample:" + o.ID
		o.Source = jobs.SampleSource
		o.Title += " (sample)"
		o.FirstSeen = now.UTC()
		o.LastSeen = now.UTC()
		o.Posted = now.UTC().Add(-time.Duration(i) * time.Hour)
		o.Closed = time.Time{}
	}
	return slices.Clip(out), nil
}
