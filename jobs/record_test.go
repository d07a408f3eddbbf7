package jobs

import (
	"reflect"
	"testing"
	"time"
)

var recordTime = time.Date(2026, 3, 4, 5, 6, 7, 890, time.UTC)

func fullOpening() Opening {
	return Opening{
		ID: "greenhouse:42", Title: "Senior Go Engineer", Company: "Acme",
		Locations: []string{"Berlin", "Remote (EU)"}, Remote: RemoteHybrid, Seniority: SenioritySenior,
		EmploymentType: TypeFullTime, Salary: &Salary{Min: 90000, Max: 120000, Currency: "EUR", Period: PerYear},
		Visa: VisaYes, URL: "https://boards.example.com/acme/42", Posted: recordTime, Closes: recordTime.Add(720 * time.Hour),
		Description: "Build things.", Source: "greenhouse", FirstSeen: recordTime.Add(time.Hour),
		LastSeen: recordTime.Add(2 * time.Hour), Closed: recordTime.Add(3 * time.Hour),
		MissingSince: recordTime.Add(90 * time.Minute), Misses: 3,
	}
}

func fullSource() SourceStatus {
	return SourceStatus{
		Name: "greenhouse", Type: "greenhouse", Every: 15 * time.Minute, LastAttempt: recordTime,
		LastSuccess: recordTime.Add(-time.Hour), LastError: "The board answered 503.", LastErrorAt: recordTime,
		Failures: 2, Successes: 40, Listed: 120, Open: 118, NextPoll: recordTime.Add(15 * time.Minute),
		ETag: `W/"abc"`, LastModified: "Wed, 04 Mar 2026 05:06:07 GMT",
	}
}

func fullSubscription() Subscription {
	return Subscription{
		ID: 7, Workspace: "slack:T123", Channel: "C042", Query: "go remote:yes", Creator: "U9",
		CreatorName: "Ada", Created: recordTime, Digest: true, Posts: 12,
		Disabled: recordTime.Add(time.Hour), DisabledReason: "The channel was archived.",
	}
}

func fullDelivery() Delivery {
	return Delivery{
		Workspace: "slack:T123", Channel: "C042", Key: DigestKey(7, recordTime), Subscription: 7,
		Openings: []string{"greenhouse:42", "lever:9"}, Enqueued: recordTime, State: Sending, Attempts: 2,
		ClaimedAt: recordTime.Add(time.Minute), Consumer: "replica-1", NotBefore: recordTime.Add(time.Second),
		MessageID: "1712345678.000100", LastError: "Slack answered 500.", Done: recordTime.Add(time.Hour),
	}
}

// TestRecordWireFormat pins the stored form: records written by an older careerbot must read
// the same after a field of Opening is renamed.
func TestRecordWireFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		got  func() ([]byte, error)
		want string
	}{
		{"full opening", func() ([]byte, error) { return MarshalOpening(fullOpening()) },
			`{"id":"greenhouse:42","title":"Senior Go Engineer","company":"Acme","locations":["Berlin","Remote (EU)"],` +
				`"remote":"hybrid","seniority":"senior","employment_type":"full-time",` +
				`"salary":{"min":90000,"max":120000,"currency":"EUR","period":"year"},"visa":"yes",` +
				`"url":"https://boards.example.com/acme/42","posted":"2026-03-04T05:06:07.00000089Z",` +
				`"closes":"2026-04-03T05:06:07.00000089Z","description":"Build things.","source":"greenhouse",` +
				`"first_seen":"2026-03-04T06:06:07.00000089Z","last_seen":"2026-03-04T07:06:07.00000089Z",` +
				`"closed":"2026-03-04T08:06:07.00000089Z","missing_since":"2026-03-04T06:36:07.00000089Z","misses":3}`},
		{"bare opening", func() ([]byte, error) { return MarshalOpening(Opening{ID: "x:1"}) }, `{"id":"x:1"}`},
		{"full source", func() ([]byte, error) { return MarshalSource(fullSource()) },
			`{"name":"greenhouse","type":"greenhouse","every_ns":900000000000,"last_attempt":"2026-03-04T05:06:07.00000089Z",` +
				`"last_success":"2026-03-04T04:06:07.00000089Z","last_error":"The board answered 503.",` +
				`"last_error_at":"2026-03-04T05:06:07.00000089Z","failures":2,"successes":40,"listed":120,"open":118,` +
				`"next_poll":"2026-03-04T05:21:07.00000089Z","etag":"W/\"abc\"","last_modified":"Wed, 04 Mar 2026 05:06:07 GMT"}`},
		{"bare source", func() ([]byte, error) { return MarshalSource(SourceStatus{Name: "s"}) }, `{"name":"s"}`},
		{"full subscription", func() ([]byte, error) { return MarshalSubscription(fullSubscription()) },
			`{"id":7,"workspace":"slack:T123","channel":"C042","query":"go remote:yes","creator":"U9","creator_name":"Ada",` +
				`"created":"2026-03-04T05:06:07.00000089Z","digest":true,"posts":12,"disabled":"2026-03-04T06:06:07.00000089Z",` +
				`"disabled_reason":"The channel was archived."}`},
		{"subscription before its ID", func() ([]byte, error) {
			return MarshalSubscription(Subscription{Workspace: "discord:1", Channel: "2", Query: "rust"})
		}, `{"workspace":"discord:1","channel":"2","query":"rust"}`},
		{"full delivery", func() ([]byte, error) { return MarshalDelivery(fullDelivery()) },
			`{"workspace":"slack:T123","channel":"C042","key":"digest-7-20260304","subscription":7,` +
				`"openings":["greenhouse:42","lever:9"],"enqueued":"2026-03-04T05:06:07.00000089Z","state":"sending",` +
				`"attempts":2,"claimed_at":"2026-03-04T05:07:07.00000089Z","consumer":"replica-1",` +
				`"not_before":"2026-03-04T05:06:08.00000089Z","message_id":"1712345678.000100",` +
				`"last_error":"Slack answered 500.","done":"2026-03-04T06:06:07.00000089Z"}`},
		{"bare delivery", func() ([]byte, error) {
			return MarshalDelivery(Delivery{Workspace: "discord:1", Channel: "2", Key: "x:1"})
		},
			`{"workspace":"discord:1","channel":"2","key":"x:1"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.got()
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("stored form\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestRecordRoundTrip(t *testing.T) {
	t.Parallel()
	berlin := time.FixedZone("CET", 3600)
	local := fullOpening()
	local.Posted = local.Posted.In(berlin)
	local.Closes = time.Time{}.In(berlin) // a zero time in a zone is still zero
	wantLocal := fullOpening()
	wantLocal.Closes = time.Time{}

	openings := []struct {
		name string
		in   Opening
		want Opening
	}{
		{name: "full", in: fullOpening(), want: fullOpening()},
		{name: "bare", in: Opening{ID: "x:1"}, want: Opening{ID: "x:1"}},
		{name: "times in another zone come back in UTC", in: local, want: wantLocal},
		{name: "empty locations come back nil", in: Opening{ID: "x:2", Locations: []string{}}, want: Opening{ID: "x:2"}},
	}
	for _, tt := range openings {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			data, err := MarshalOpening(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			got, err := UnmarshalOpening(data)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("round trip\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}

	zonedSubscription := fullSubscription()
	zonedSubscription.Created = zonedSubscription.Created.In(berlin)
	t.Run("subscription", func(t *testing.T) {
		t.Parallel()
		roundTrip(t, zonedSubscription, MarshalSubscription, UnmarshalSubscription, fullSubscription())
	})
	t.Run("source", func(t *testing.T) {
		t.Parallel()
		roundTrip(t, fullSource(), MarshalSource, UnmarshalSource, fullSource())
	})
	t.Run("delivery", func(t *testing.T) {
		t.Parallel()
		zoned := fullDelivery()
		zoned.ClaimedAt, zoned.Receipt = zoned.ClaimedAt.In(berlin), "1-0"
		roundTrip(t, zoned, MarshalDelivery, UnmarshalDelivery, fullDelivery())
	})
}

// roundTrip checks that in, encoded and decoded again, is want.
func roundTrip[T any](t *testing.T, in T, marshal func(T) ([]byte, error), unmarshal func([]byte) (T, error), want T) {
	t.Helper()
	data, err := marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	got, err := unmarshal(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip\n%+v\nwant\n%+v", got, want)
	}
}

func TestRecordRejects(t *testing.T) {
	t.Parallel()
	if _, err := MarshalOpening(Opening{Title: "no id"}); err == nil {
		t.Error("MarshalOpening accepted an opening with no ID")
	}
	if _, err := MarshalSource(SourceStatus{Type: "greenhouse"}); err == nil {
		t.Error("MarshalSource accepted a status with no name")
	}
	if _, err := MarshalOpenings([]Opening{{ID: "a:1"}, {Title: "no id"}}); err == nil {
		t.Error("MarshalOpenings accepted a batch with an opening with no ID")
	}
	if got, err := MarshalOpenings([]Opening{{ID: "a:1"}, {ID: "a:2"}}); err != nil || len(got) != 2 || string(got[1]) != `{"id":"a:2"}` {
		t.Errorf("MarshalOpenings = %q, %v", got, err)
	}
	for _, s := range []Subscription{{Channel: "C1", Query: "go"}, {Workspace: "slack:T1", Query: "go"}, {Workspace: "slack:T1", Channel: "C1"}} {
		if _, err := MarshalSubscription(s); err == nil {
			t.Errorf("MarshalSubscription(%+v) succeeded", s)
		}
	}
	for _, data := range []string{"", "{", "null", `{"workspace":"slack:T1","channel":"C1","query":"go"}`,
		`{"id":-1,"workspace":"slack:T1","channel":"C1","query":"go"}`, `{"id":1,"workspace":"slack:T1","channel":"C1"}`,
		`{"id":"1","workspace":"slack:T1","channel":"C1","query":"go"}`} {
		if _, err := UnmarshalSubscription([]byte(data)); err == nil {
			t.Errorf("UnmarshalSubscription(%q) succeeded", data)
		}
	}
	for _, d := range []Delivery{{Channel: "C1", Key: "k"}, {Workspace: "slack:T1", Key: "k"}, {Workspace: "slack:T1", Channel: "C1"}} {
		if _, err := MarshalDelivery(d); err == nil {
			t.Errorf("MarshalDelivery(%+v) succeeded", d)
		}
	}
	for _, data := range []string{"", "{", "null", `{"workspace":"slack:T1","channel":"C1"}`, `{"workspace":"slack:T1","channel":"C1","key":"k","attempts":"1"}`} {
		if _, err := UnmarshalDelivery([]byte(data)); err == nil {
			t.Errorf("UnmarshalDelivery(%q) succeeded", data)
		}
	}
	for _, data := range []string{"", "{", `{"title":"no id"}`, `{"id":7}`, "null"} {
		if _, err := UnmarshalOpening([]byte(data)); err == nil {
			t.Errorf("UnmarshalOpening(%q) succeeded", data)
		}
		if _, err := UnmarshalSource([]byte(data)); err == nil {
			t.Errorf("UnmarshalSource(%q) succeeded", data)
		}
	}
}
