package storetest

import (
	"testing"
	"time"

	"github.com/careerbot/careerbot/jobs"
)

// RunLock runs the contract of jobs.Lock. newLock returns a lock never taken, of a store of
// the subtest's own.
func RunLock(t *testing.T, newLock func(t *testing.T) jobs.Lock) {
	runCases(t, newLock, []contractCase[jobs.Lock]{
		{"AcquireFree", testAcquireFree},
		{"HeldAgainstOthers", testLockHeld},
		{"Renew", testLockRenew},
		{"Expiry", testLockExpiry},
		{"ReleaseByOther", testReleaseByOther},
		{"Release", testRelease},
	})
}

func acquire(t *testing.T, l jobs.Lock, holder string, ttl time.Duration) (int64, bool) {
	t.Helper()
	token, held, err := l.Acquire(t.Context(), holder, ttl)
	if err != nil {
		t.Fatalf("Acquire(%s): %v", holder, err)
	}
	return token, held
}

// mustAcquire takes the lock for holder, failing the test when it cannot.
func mustAcquire(t *testing.T, l jobs.Lock, holder string, ttl time.Duration) int64 {
	t.Helper()
	token, held := acquire(t, l, holder, ttl)
	if !held || token <= 0 {
		t.Fatalf("Acquire(%s) = %d, %v; want the lock with a positive token", holder, token, held)
	}
	return token
}

func holder(t *testing.T, l jobs.Lock) (string, int64, time.Time) {
	t.Helper()
	h, token, until, err := l.Holder(t.Context())
	if err != nil {
		t.Fatalf("Holder: %v", err)
	}
	return h, token, until
}

func release(t *testing.T, l jobs.Lock, h string) {
	t.Helper()
	if err := l.Release(t.Context(), h); err != nil {
		t.Fatalf("Release(%s): %v", h, err)
	}
}

func testAcquireFree(t *testing.T, l jobs.Lock) {
	if h, token, until := holder(t, l); h != "" || token != 0 || !until.IsZero() {
		t.Errorf("Holder of a lock never taken: %q, %d, %v", h, token, until)
	}
	before := time.Now()
	token := mustAcquire(t, l, "a", time.Minute)
	h, got, until := holder(t, l)
	if h != "a" || got != token {
		t.Errorf("Holder = %q, %d; want a, %d", h, got, token)
	}
	if !until.After(before.Add(time.Minute - time.Second)) {
		t.Errorf("the lease taken at %v for a minute ends at %v", before, until)
	}
}

func testLockHeld(t *testing.T, l jobs.Lock) {
	token := mustAcquire(t, l, "a", time.Minute)
	if got, held := acquire(t, l, "b", time.Minute); held || got != token {
		t.Errorf("Acquire(b) while a holds it = %d, %v; want a's token %d, not held", got, held, token)
	}
	if h, got, _ := holder(t, l); h != "a" || got != token {
		t.Errorf("Holder after b's refusal: %q, %d; want a, %d", h, got, token)
	}
}

func testLockRenew(t *testing.T, l jobs.Lock) {
	token := mustAcquire(t, l, "a", time.Minute)
	_, _, first := holder(t, l)
	time.Sleep(10 * time.Millisecond)
	if got := mustAcquire(t, l, "a", 2*time.Minute); got != token {
		t.Errorf("the renewal's token is %d, want the holding's %d", got, token)
	}
	if _, _, until := holder(t, l); !until.After(first) {
		t.Errorf("the renewal for two minutes ends at %v, the first lease at %v", until, first)
	}
}

func testLockExpiry(t *testing.T, l jobs.Lock) {
	const ttl = 200 * time.Millisecond
	start := time.Now()
	first := mustAcquire(t, l, "a", ttl)
	deadline := time.Now().Add(patient)
	for {
		token, held := acquire(t, l, "b", time.Minute)
		if held {
			if time.Since(start) < ttl {
				t.Errorf("b took the lock %v after a's lease of %v began", time.Since(start), ttl)
			}
			if token <= first {
				t.Errorf("b's token %d is not greater than a's %d", token, first)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("b never took the lock after a's lease of %v", ttl)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if h, _, _ := holder(t, l); h != "b" {
		t.Errorf("Holder after the expiry: %q, want b", h)
	}
	if _, held := acquire(t, l, "a", time.Minute); held {
		t.Error("a took the lock back while b holds it")
	}
}

func testReleaseByOther(t *testing.T, l jobs.Lock) {
	token := mustAcquire(t, l, "a", time.Minute)
	release(t, l, "b")
	if h, got, _ := holder(t, l); h != "a" || got != token {
		t.Errorf("Holder after b's Release: %q, %d; want a, %d", h, got, token)
	}
	if _, held := acquire(t, l, "b", time.Minute); held {
		t.Error("b took the lock after its own Release of a's lock")
	}
}

func testRelease(t *testing.T, l jobs.Lock) {
	first := mustAcquire(t, l, "a", time.Minute)
	release(t, l, "a")
	if h, token, until := holder(t, l); h != "" || token != 0 || !until.IsZero() {
		t.Errorf("Holder after the Release: %q, %d, %v; want nobody", h, token, until)
	}
	second := mustAcquire(t, l, "b", time.Minute)
	if second <= first {
		t.Errorf("b's token %d after a's release is not greater than a's %d", second, first)
	}
	release(t, l, "b")
	if third := mustAcquire(t, l, "a", time.Minute); third <= second {
		t.Errorf("a's token %d on taking the lock again is not greater than b's %d", third, second)
	}
}
