package storetest

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/jobs"
)

var (
	titles    = []string{"Senior Backend Engineer (Go)", "Site Reliability Engineer", "Staff Data Engineer", "Platform Engineer, Kubernetes", "Junior Frontend Developer"}
	companies = []string{"Acme Robotics", "Northwind Payments", "Globex Logistics", "Initech Health", "Umbrella Analytics"}
	cities    = []string{"Berlin", "Amsterdam", "Lisbon", "Remote (EU)", "London", "Warsaw"}
	sentences = []string{
		"You will design, build and operate the services that move millions of events a day between our partners and our customers.",
		"Our stack is Go, PostgreSQL, Kafka and Kubernetes on two clouds, and we deploy many times a day behind feature flags.",
		"We care about observability: every service ships with metrics, traces and structured logs, and on-call is shared fairly.",
		"You have shipped production systems, you write tests first when it helps, and you like to explain trade-offs in writing.",
		"Nice to have: experience with gRPC, Terraform, Redis, event sourcing, or running a database you did not write yourself.",
		"We offer a learning budget, thirty days of holiday, a yearly team week, and the hardware you choose within reason.",
		"The interview has four steps: a call with the hiring manager, a take-home exercise or a pairing session, and two talks.",
	}
)

// Openings returns n realistic openings of source, with descriptions of about 3 KB, whose IDs
// are source:0 to source:n-1.
func Openings(source string, n int) []jobs.Opening {
	out := make([]jobs.Opening, n)
	for i := range out {
		var d strings.Builder
		for j := 0; d.Len() < 3000; j++ {
			d.WriteString(sentences[(i+j)%len(sentences)])
			d.WriteString(" ")
		}
		o := jobs.Opening{
			ID: jobs.MakeID(source, fmt.Sprint(i)), Title: titles[i%len(titles)], Company: companies[i%len(companies)],
			Locations: []string{cities[i%len(cities)], cities[(i+1)%len(cities)]}, Remote: jobs.RemoteHybrid,
			Seniority: jobs.SenioritySenior, EmploymentType: jobs.TypeFullTime, Visa: jobs.VisaUnknown,
			URL: fmt.Sprintf("https://boards.example.com/%s/jobs/%d", source, i), Posted: at.Add(-time.Duration(i) * time.Hour),
			Description: d.String(), Source: source, FirstSeen: at, LastSeen: at.Add(time.Duration(i) * time.Second),
		}
		if i%2 == 0 {
			o.Salary = &jobs.Salary{Min: 70000 + int64(i), Max: 95000 + int64(i), Currency: "EUR", Period: jobs.PerYear}
		}
		out[i] = o
	}
	return out
}

// BenchPutOpenings measures PutOpenings of one board's 500 openings, rewritten each time as
// the poller does.
func BenchPutOpenings(b *testing.B, s jobs.Store) {
	batch := Openings("bench", 500)
	b.ReportAllocs()
	for b.Loop() {
		if err := s.PutOpenings(b.Context(), batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(batch)), "ns/opening")
}

// BenchChanges measures Changes(0) over 10,000 stored openings: a replica loading its index.
func BenchChanges(b *testing.B, s jobs.Store) {
	const stored, batch = 10000, 1000
	for i := 0; i < stored; i += batch {
		if err := s.PutOpenings(b.Context(), Openings(fmt.Sprintf("bench%d", i/batch), batch)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		if _, err := s.Changes(b.Context(), 0, func(jobs.Opening) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
		if n != stored {
			b.Fatalf("Changes visited %d openings, want %d", n, stored)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*stored), "ns/opening")
}

// benchSubscription returns the nth subscription of a workspace: a query of its own, 25 to a
// channel.
func benchSubscription(workspace string, n int) jobs.Subscription {
	return jobs.Subscription{
		Workspace: workspace, Channel: "C" + strconv.Itoa(n/jobs.MaxPerChannel), Query: "go remote:yes " + strconv.Itoa(n),
		Creator: "U024BE7LH", CreatorName: "Ada Lovelace", Created: at,
	}
}

// BenchSubscribe measures Subscribe of new queries into one workspace.
func BenchSubscribe(b *testing.B, s jobs.SubscriptionStore) {
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		if _, err := s.Subscribe(b.Context(), benchSubscription("slack:TBENCH", n)); err != nil {
			b.Fatal(err)
		}
		n++
	}
}

// BenchAllSubscriptions measures AllSubscriptions over 10,000 subscriptions in 100
// workspaces: the matcher loading its index.
func BenchAllSubscriptions(b *testing.B, s jobs.SubscriptionStore) {
	const workspaces, each = 100, 100
	for w := range workspaces {
		for i := range each {
			if _, err := s.Subscribe(b.Context(), benchSubscription(fmt.Sprintf("slack:T%03d", w), i)); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		if err := s.AllSubscriptions(b.Context(), func(jobs.Subscription) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
		if n != workspaces*each {
			b.Fatalf("AllSubscriptions visited %d subscriptions, want %d", n, workspaces*each)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*workspaces*each), "ns/subscription")
}

// BenchDeliveryCycle measures one delivery's way through the queue: Enqueue, Next, Claim and
// Sent, which counts the post on its subscription.
func BenchDeliveryCycle(b *testing.B, s DeliveryStore) {
	ctx := b.Context()
	sub, err := s.Subscribe(ctx, benchSubscription("slack:TBENCH", 0))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		d := jobs.Delivery{
			Workspace: sub.Workspace, Channel: sub.Channel, Key: "bench:" + strconv.Itoa(n),
			Subscription: sub.ID, Enqueued: at,
		}
		n++
		if _, err := s.Enqueue(ctx, []jobs.Delivery{d}); err != nil {
			b.Fatal(err)
		}
		copies, err := s.Next(ctx, "bench", 1, time.Second, time.Hour)
		if err != nil || len(copies) != 1 {
			b.Fatalf("Next: %d copies, %v", len(copies), err)
		}
		claimed, outcome, err := s.Claim(ctx, copies[0], "bench", time.Minute, time.Now())
		if err != nil || outcome != jobs.ClaimNew {
			b.Fatalf("Claim: %v, %v", outcome, err)
		}
		if err := s.Sent(ctx, claimed, "bench", "M"+strconv.Itoa(n), time.Now()); err != nil {
			b.Fatal(err)
		}
	}
}
