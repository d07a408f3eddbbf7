package redisstore_test

import (
	"testing"

	"github.com/careerbot/careerbot/internal/redistest"
	"github.com/careerbot/careerbot/jobs/redisstore"
	"github.com/careerbot/careerbot/jobs/storetest"
)

func BenchmarkPutOpenings(b *testing.B) {
	storetest.BenchPutOpenings(b, redisstore.NewWithPrefix(redistest.Client(b), prefixes()()))
}

func BenchmarkChanges(b *testing.B) {
	storetest.BenchChanges(b, redisstore.NewWithPrefix(redistest.Client(b), prefixes()()))
}

func BenchmarkSubscribe(b *testing.B) {
	storetest.BenchSubscribe(b, redisstore.NewWithPrefix(redistest.Client(b), prefixes()()))
}

func BenchmarkAllSubscriptions(b *testing.B) {
	storetest.BenchAllSubscriptions(b, redisstore.NewWithPrefix(redistest.Client(b), prefixes()()))
}

func BenchmarkDeliveryCycle(b *testing.B) {
	storetest.BenchDeliveryCycle(b, redisstore.NewWithPrefix(redistest.Client(b), prefixes()()))
}
