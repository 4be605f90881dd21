// Package auth handles passwords, session tokens and login throttling.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters, following RFC 9106's second recommended option
// (64 MiB, 3 passes) scaled to 19 MiB / 2 passes as OWASP suggests for a
// server that must answer logins on 2 cores without running out of memory.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
	saltLen      = 16
)

// hashSlots bounds the argon2 hashes that run at once. Each holds its
// block of argonMemory for the whole hash, so a burst of logins would
// hold one each: 32 at once are 608 MiB against the server's heap limit of
// 64 MiB (cmd/kundportal). A hash is pure CPU, so more of them at once
// than there are cores would only take turns.
var hashSlots = make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))

// argonKey is argon2.IDKey, a variable for the test of hashSlots.
var argonKey = argon2.IDKey

// idKey is argon2.IDKey in one of hashSlots. When it is done its block is
// garbage, but a collection that ran during the hash saw it live, and the
// next one waits for the heap to grow to a multiple of that. Collecting
// right away sets the goal from what is live without it; the collection
// costs a few milliseconds of a login's 20 or so, the same on every path
// (TestFailedLoginsCostTheSame).
//
// The block's pages then stay the process's, free in its heap, so that a
// server that has served a login was 20 MB larger for good. A second
// after the last hash they go back to the system (releaseBlocks): not on
// the login's path, where giving them back made a login take 29-34 ms
// instead of 19 (the next hash's block is new pages) and, since it holds
// the heap while it works, made the path that writes after its hash
// slower than the others.
func idKey(pw, salt []byte, t, mem uint32, threads uint8, n uint32) []byte {
	hashSlots <- struct{}{}
	key := argonKey(pw, salt, t, mem, threads, n)
	<-hashSlots
	runtime.GC()
	releaseBlocks.Reset(releaseAfter)
	return key
}

// releaseAfter is how long after the last hash its block's pages are
// given back: a burst of logins keeps them, an idle server does not.
const releaseAfter = time.Second

// releaseBlocks gives the heap's free pages back to the system, once no
// hash has run for releaseAfter (idKey resets it).
var releaseBlocks = func() *time.Timer {
	t := time.AfterFunc(releaseAfter, debug.FreeOSMemory)
	t.Stop()
	return t
}()

// ErrMismatch means the password does not match the hash.
var ErrMismatch = errors.New("auth: password does not match")

// HashPassword hashes pw with argon2id into the PHC string format
// ($argon2id$v=19$m=...,t=...,p=...$salt$hash), which records its own
// parameters so they can be raised later without breaking old hashes.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: salt: %w", err)
	}
	key := idKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports nil if pw matches hash, ErrMismatch if it does not,
// and another error if hash is malformed.
func CheckPassword(hash, pw string) error {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return errors.New("auth: unknown hash format")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return errors.New("auth: unsupported argon2 version")
	}
	var mem, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &t, &p); err != nil {
		return fmt.Errorf("auth: parameters: %w", err)
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return fmt.Errorf("auth: salt: %w", err)
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return errors.New("auth: malformed key")
	}
	got := idKey([]byte(pw), salt, t, mem, p, uint32(len(want)))
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return ErrMismatch
	}
	return nil
}

// dummyHash is checked against when the account does not exist, so that an
// unknown e-mail address costs as much time as a wrong password and the two
// cannot be told apart by timing. It has the parameters of every new hash;
// its salt and key are fixed bytes that no password hashes to (finding one
// would mean inverting argon2), so it needs no hashing of its own: hashing
// it at start-up cost every process, and every command, a fifth of a
// second and an argon2 block of memory.
var dummyHash = func() string {
	salt := sha256.Sum256([]byte("kundportal-no-such-user salt"))
	key := sha256.Sum256([]byte("kundportal-no-such-user key"))
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt[:saltLen]), b64.EncodeToString(key[:argonKeyLen]))
}()

// DummyHash is a valid hash, with the current parameters, of a password
// nobody knows: check a login for an unknown account against it.
func DummyHash() string { return dummyHash }

// NewToken returns a fresh random session token for the cookie and the hash
// under which the store keeps it.
func NewToken() (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("auth: token: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token), nil
}

// NewFormID returns a fresh one-time id, 43 characters of base64url's
// alphabet that sort (bytewise) after the ids made before it, as the
// clock goes: 14 hex digits of the microseconds since 1970 (until the
// year 4253), then 29 random characters (174 bits). It names forms (a
// save records the id it came with, so that a form sent twice saves
// once) and mails (Message-ID). The tables keyed by them take each new
// id at the end of their index: a save then changes the index's last
// page, which the saves of a group commit share, instead of a page at a
// random place in an index that grows with every save; at a million
// cases 0-16 % more saves a second, 9 % on average (docs/PERFORMANCE.md).
// Unlike a session token it is no secret: it says when the form was made.
func NewFormID() string {
	b := make([]byte, 24)
	rand.Read(b) // never fails (crypto/rand, Go 1.24)
	return FormIDAt(time.Now(), b)
}

// FormIDAt is NewFormID's id at t with the random bytes b, 24 or more
// (the seed's deterministic tokens give bytes of their own).
func FormIDAt(t time.Time, b []byte) string {
	return fmt.Sprintf("%014x", t.UnixMicro()) + base64.RawURLEncoding.EncodeToString(b)[:29]
}

// HashToken is the store key for a session token.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
