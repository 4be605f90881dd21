package auth

import (
	"errors"
	"strings"
	"testing"
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
