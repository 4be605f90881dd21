// Package secret encrypts the few values Kundportal keeps that must not
// be readable from a copy of the database: door codes and master-key
// consent. It uses AES-256-GCM from the standard library; the key lives in
// the data directory (made on the first start) or comes from the
// environment, so that several instances share one.
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// KeyFile is the key's file name in its directory.
const KeyFile = "access.key"

// prefix marks the format of a sealed value, so that a later one can be
// told apart.
const prefix = "v1:"

// ErrCorrupt means a sealed value was changed or was sealed with another
// key.
var ErrCorrupt = errors.New("secret: value cannot be opened")

// Box seals and opens values with one key, and tags values with a key
// derived from it.
type Box struct {
	aead   cipher.AEAD
	macKey []byte
}

// New returns a box for a 32-byte key.
func New(key []byte) (*Box, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("secret: key is %d bytes, want 32", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	// The tags' key is not the sealing key itself: each key serves one
	// purpose.
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("kundportal tag key"))
	return &Box{aead: aead, macKey: mac.Sum(nil)}, nil
}

// Tag is an HMAC-SHA256 of msg for purpose, in base64url: a value only
// the holder of the key can make, for links that carry their own
// permission (a mail's unsubscribe link). The same msg tagged for two
// purposes gives unrelated tags.
func (b *Box) Tag(purpose, msg string) string {
	mac := hmac.New(sha256.New, b.macKey)
	mac.Write([]byte(purpose))
	mac.Write([]byte{0})
	mac.Write([]byte(msg))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// ValidTag reports whether tag is Tag(purpose, msg), in constant time.
func (b *Box) ValidTag(purpose, msg, tag string) bool {
	return hmac.Equal([]byte(b.Tag(purpose, msg)), []byte(tag))
}

// FromBase64 returns a box for a key given as standard base64 (44
// characters), as KUNDPORTAL_SECRET_KEY holds it.
func FromBase64(s string) (*Box, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return nil, fmt.Errorf("secret: key is not base64: %w", err)
	}
	return New(key)
}

// LoadOrCreate returns the box whose key is kept in dir, making a new key
// (readable by its owner only) on the first start. A key file that others
// may read is refused.
func LoadOrCreate(dir string) (*Box, error) {
	path := filepath.Join(dir, KeyFile)
	key, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("secret: %w", err)
		}
		key = make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
		// O_EXCL: two instances starting at once keep the first key.
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			return LoadOrCreate(dir)
		}
		if err != nil {
			return nil, fmt.Errorf("secret: %w", err)
		}
		if _, err := f.Write(key); err != nil {
			f.Close()
			return nil, fmt.Errorf("secret: %w", err)
		}
		if err := f.Close(); err != nil {
			return nil, fmt.Errorf("secret: %w", err)
		}
		return New(key)
	}
	if err != nil {
		return nil, fmt.Errorf("secret: %w", err)
	}
	if info, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("secret: %w", err)
	} else if info.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("secret: %s may be read by others (mode %v); chmod 600 it", path, info.Mode().Perm())
	}
	return New(key)
}

// Seal encrypts plaintext; the same text sealed twice gives different
// values. The empty text seals to the empty value.
func (b *Box) Seal(plaintext string) (string, error) {
	if plaintext == "" {
		return "", nil
	}
	nonce := make([]byte, b.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	sealed := b.aead.Seal(nonce, nonce, []byte(plaintext), nil)
	return prefix + base64.RawStdEncoding.EncodeToString(sealed), nil
}

// Open decrypts a value Seal made; a changed value, or one made with
// another key, is ErrCorrupt.
func (b *Box) Open(sealed string) (string, error) {
	if sealed == "" {
		return "", nil
	}
	raw, ok := strings.CutPrefix(sealed, prefix)
	if !ok {
		return "", ErrCorrupt
	}
	data, err := base64.RawStdEncoding.DecodeString(raw)
	if err != nil || len(data) < b.aead.NonceSize() {
		return "", ErrCorrupt
	}
	n := b.aead.NonceSize()
	plain, err := b.aead.Open(nil, data[:n], data[n:], nil)
	if err != nil {
		return "", ErrCorrupt
	}
	return string(plain), nil
}
