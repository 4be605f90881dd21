package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base32"
	"fmt"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	qrcode "github.com/skip2/go-qrcode"
)

// Two-factor login with time-based one-time passwords (RFC 6238, as
// authenticator apps make them: six digits, 30 seconds, SHA-1), and
// single-use recovery codes for a lost phone.

// totpPeriod is a code's time step.
const totpPeriod = 30

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// TOTPKey is a new secret for an authenticator app: the secret in base32
// (to type in), its otpauth:// URL and that URL as a QR code (PNG).
type TOTPKey struct {
	Secret string
	URL    string
	QR     []byte
}

// NewTOTPKey makes a secret for account at issuer.
func NewTOTPKey(issuer, account string) (TOTPKey, error) {
	k, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account, Period: totpPeriod, Digits: otp.DigitsSix,
		Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return TOTPKey{}, fmt.Errorf("auth: totp key: %w", err)
	}
	png, err := qrcode.Encode(k.URL(), qrcode.Medium, 256)
	if err != nil {
		return TOTPKey{}, fmt.Errorf("auth: totp qr: %w", err)
	}
	return TOTPKey{Secret: k.Secret(), URL: k.URL(), QR: png}, nil
}

// TOTPStep is the time step of t.
func TOTPStep(t time.Time) int64 { return t.Unix() / totpPeriod }

// TOTPCode is the code of secret at t (for tests and the demo).
func TOTPCode(secret string, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, t, totpOpts)
}

// MatchTOTP reports the time step whose code code is, at now or one step
// either side (a phone's clock may be off by a little), if that step is
// after after: a code once used, or an older one, is not taken again.
func MatchTOTP(secret, code string, now time.Time, after int64) (int64, bool) {
	code = strings.TrimSpace(strings.ReplaceAll(code, " ", ""))
	if len(code) != 6 {
		return 0, false
	}
	step := TOTPStep(now)
	for _, s := range []int64{step - 1, step, step + 1} {
		if s <= after {
			continue
		}
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*totpPeriod, 0), totpOpts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}

// RecoveryCodes are n new recovery codes, as a person writes them down
// ("k7m2-q9xd-4hpa"), each of 60 random bits.
func RecoveryCodes(n int) ([]string, error) {
	enc := base32.NewEncoding("abcdefghijkmnpqrstuvwxyz23456789").WithPadding(base32.NoPadding)
	codes := make([]string, n)
	for i := range codes {
		b := make([]byte, 8)
		if _, err := rand.Read(b); err != nil {
			return nil, fmt.Errorf("auth: recovery codes: %w", err)
		}
		s := enc.EncodeToString(b)[:12]
		codes[i] = s[:4] + "-" + s[4:8] + "-" + s[8:]
	}
	return codes, nil
}

// RecoveryCodeHash is what is stored of a recovery code: its SHA-256, of
// the code as typed without spaces, dashes or capitals.
func RecoveryCodeHash(code string) string {
	c := strings.ToLower(strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(code)))
	return HashToken(c)
}
