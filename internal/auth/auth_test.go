package auth

import (
	"errors"
	"strings"
	"testing"
)

func TestPasswordRoundTrip(t *testing.T) {
	h, err := HashPassword("rätt lösenord")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$") {
		t.Errorf("HashPassword = %q, want PHC argon2id string", h)
	}
	if err := CheckPassword(h, "rätt lösenord"); err != nil {
		t.Errorf("CheckPassword(right) = %v, want nil", err)
	}
	if err := CheckPassword(h, "fel lösenord"); !errors.Is(err, ErrMismatch) {
		t.Errorf("CheckPassword(wrong) = %v, want ErrMismatch", err)
	}
	h2, _ := HashPassword("rätt lösenord")
	if h == h2 {
		t.Errorf("two hashes of one password are equal; salt is not random")
	}
}

func TestCheckPasswordMalformed(t *testing.T) {
	for _, h := range []string{"", "plain", "$argon2id$v=19$m=1,t=1,p=1$!!$!!", "$bcrypt$x$y$z$w", "$argon2id$v=18$m=1,t=1,p=1$YQ$YQ"} {
		if err := CheckPassword(h, "x"); err == nil || errors.Is(err, ErrMismatch) {
			t.Errorf("CheckPassword(%q) = %v, want a format error", h, err)
		}
	}
}

func TestToken(t *testing.T) {
	tok, hash, err := NewToken()
	if err != nil {
		t.Fatal(err)
	}
	if len(tok) < 40 || HashToken(tok) != hash || hash == tok {
		t.Errorf("NewToken() = %q, %q; want a long token and its distinct hash", tok, hash)
	}
	tok2, _, _ := NewToken()
	if tok == tok2 {
		t.Error("NewToken returned the same token twice")
	}
}
