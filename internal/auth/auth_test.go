package auth

import (
	"errors"
	"strings"
	"testing"
	"time"
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

func TestTOTP(t *testing.T) {
	k, err := NewTOTPKey("Kundportal", "disp@kundportal.example")
	if err != nil || len(k.Secret) < 32 || !strings.HasPrefix(k.URL, "otpauth://totp/Kundportal:disp@kundportal.example?") || len(k.QR) < 100 {
		t.Fatalf("key %+v, %v", k, err)
	}
	now := time.Date(2026, 3, 16, 9, 0, 10, 0, time.UTC)
	code, _ := TOTPCode(k.Secret, now)
	step, ok := MatchTOTP(k.Secret, code, now, 0)
	if !ok || step != TOTPStep(now) {
		t.Fatalf("the code of now: %d, %v", step, ok)
	}
	if _, ok := MatchTOTP(k.Secret, code, now, step); ok {
		t.Error("a used code was taken again")
	}
	if _, ok := MatchTOTP(k.Secret, code, now.Add(30*time.Second), 0); !ok {
		t.Error("a code one step old (a slow phone) was refused")
	}
	if _, ok := MatchTOTP(k.Secret, code, now.Add(90*time.Second), 0); ok {
		t.Error("a code three steps old was taken")
	}
	other, _ := NewTOTPKey("Kundportal", "x@y.example")
	if _, ok := MatchTOTP(other.Secret, code, now, 0); ok {
		t.Error("another secret's code was taken")
	}
	for _, bad := range []string{"", "12345", "1234567", "abcdef"} {
		if _, ok := MatchTOTP(k.Secret, bad, now, 0); ok {
			t.Errorf("%q was taken", bad)
		}
	}
	codes, err := RecoveryCodes(10)
	if err != nil || len(codes) != 10 || len(codes[0]) != 14 || codes[0] == codes[1] {
		t.Fatalf("recovery codes %v, %v", codes, err)
	}
	if RecoveryCodeHash(codes[0]) != RecoveryCodeHash(" "+strings.ToUpper(strings.ReplaceAll(codes[0], "-", ""))+" ") {
		t.Error("a recovery code typed without dashes, in capitals, hashes differently")
	}
}
