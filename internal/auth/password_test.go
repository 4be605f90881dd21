package auth

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// The dummy hash is checked like a real one: a wrong password is a
// mismatch (after a full argon2 run), never a malformed hash, and it has
// the parameters of a new hash, so that it costs the same.
func TestDummyHash(t *testing.T) {
	real, err := HashPassword("ett-långt-lösenord")
	if err != nil {
		t.Fatal(err)
	}
	params := func(h string) string { return strings.Join(strings.Split(h, "$")[:4], "$") }
	if params(DummyHash()) != params(real) {
		t.Errorf("dummy hash parameters %q, a new hash's %q", params(DummyHash()), params(real))
	}
	for _, pw := range []string{"", "kundportal-no-such-user", "ett-långt-lösenord"} {
		if err := CheckPassword(DummyHash(), pw); !errors.Is(err, ErrMismatch) {
			t.Errorf("CheckPassword(dummy, %q) = %v, want ErrMismatch", pw, err)
		}
	}
}

// TestHashesTakeTurns checks that no more than hashSlots argon2 hashes
// run at once, however many logins arrive together, and that that many do.
func TestHashesTakeTurns(t *testing.T) {
	hash, err := HashPassword("rätt lösenord")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	running, most := 0, 0
	real := argonKey
	argonKey = func(pw, salt []byte, passes, memory uint32, threads uint8, n uint32) []byte {
		mu.Lock()
		running++
		most = max(most, running)
		mu.Unlock()
		key := real(pw, salt, 1, 64, threads, n) // a small block: the test is about turns
		time.Sleep(5 * time.Millisecond)         // long enough for the others to arrive
		mu.Lock()
		running--
		mu.Unlock()
		return key
	}
	t.Cleanup(func() { argonKey = real })
	var wg sync.WaitGroup
	for range 4 * cap(hashSlots) {
		wg.Go(func() {
			if err := CheckPassword(hash, "fel lösenord"); !errors.Is(err, ErrMismatch) {
				t.Errorf("CheckPassword = %v, want ErrMismatch", err)
			}
		})
	}
	wg.Wait()
	if most > cap(hashSlots) {
		t.Errorf("%d hashes ran at once, want at most %d", most, cap(hashSlots))
	}
	if most < 2 {
		t.Errorf("at most %d hash ran at once, want the slots used", most)
	}
}

// TestNewFormID: a form id has the shape the forms accept (43 characters
// of base64url's alphabet), is new each time, and sorts after the ids
// made before it, to the microsecond.
func TestNewFormID(t *testing.T) {
	shape := regexp.MustCompile(`^[0-9a-f]{14}[A-Za-z0-9_-]{29}$`)
	prev := ""
	seen := map[string]bool{}
	for range 1000 {
		id := NewFormID()
		if !shape.MatchString(id) {
			t.Fatalf("NewFormID() = %q, not 14 hex digits and 29 of base64url", id)
		}
		if seen[id] {
			t.Fatalf("NewFormID() gave %q twice", id)
		}
		seen[id] = true
		if id[:14] < prev {
			t.Fatalf("NewFormID() = %q after %q: its time went back", id, prev)
		}
		prev = id[:14]
	}
	at := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	low, high := make([]byte, 24), bytes.Repeat([]byte{0xff}, 24)
	if a, b := FormIDAt(at, high), FormIDAt(at.Add(time.Microsecond), low); a >= b {
		t.Errorf("an id a microsecond later sorts before: %q >= %q", b, a)
	}
	if a, b := FormIDAt(at, low), FormIDAt(at.AddDate(1000, 0, 0), low); a >= b || len(a) != 43 || len(b) != 43 {
		t.Errorf("ids a thousand years apart: %q, %q", a, b)
	}
}
