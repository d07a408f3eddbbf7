package boltstore_test

import (
	"testing"

	"github.com/careerbot/careerbot/jobs/storetest"
)

func BenchmarkPutOpenings(b *testing.B) { storetest.BenchPutOpenings(b, newStore(b)) }

func BenchmarkChanges(b *testing.B) { storetest.BenchChanges(b, newStore(b)) }

func BenchmarkSubscribe(b *testing.B) { storetest.BenchSubscribe(b, newStore(b)) }

func BenchmarkAllSubscriptions(b *testing.B) { storetest.BenchAllSubscriptions(b, newStore(b)) }

func BenchmarkDeliveryCycle(b *testing.B) { storetest.BenchDeliveryCycle(b, newStore(b)) }
