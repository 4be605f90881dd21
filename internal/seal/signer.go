package seal

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"

	"github.com/digitorus/pdf"
	"github.com/digitorus/pdfsign/sign"
)

// The files LoadOrCreate keeps in its directory.
const (
	KeyFile  = "seal-key.pem"  // the private key, PKCS #8 PEM, mode 0600
	CertFile = "seal-cert.pem" // the self-signed certificate, PEM
)

// CertSubject is the common name of the certificate LoadOrCreate makes.
const CertSubject = "Kundportal följesedlar"

// certValidity is how long a new certificate is valid.
const certValidity = 10 * 365 * 24 * time.Hour

// oidDocumentSigning is the Document Signing extended key usage of RFC
// 9336, which Go's x509 has no constant for.
var oidDocumentSigning = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 36}

// Signer signs delivery-note PDFs with the company's own key and
// self-signed certificate. The signature shows that a PDF is unchanged
// since Kundportal signed it; the certificate is no public CA's, so a PDF
// reader calls the signer unknown until the certificate is trusted there.
type Signer struct {
	key  *ecdsa.PrivateKey
	cert *x509.Certificate
}

// LoadOrCreate returns the signer whose key and certificate are kept in
// dir (KeyFile, CertFile), creating dir, an ECDSA P-256 key and a
// certificate (CertSubject, valid ten years) on first use. It refuses a key
// file that others than its owner may read or write, and a certificate
// that is not the key's.
//
// Two processes starting at once for the first time agree on one key: each
// file is written under a temporary name and linked into place only if
// none is there yet, and a missing certificate is made for the key that
// is there.
func LoadOrCreate(dir string) (*Signer, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("seal: key directory: %w", err)
	}
	keyPath, certPath := filepath.Join(dir, KeyFile), filepath.Join(dir, CertFile)
	if _, err := os.Stat(keyPath); errors.Is(err, fs.ErrNotExist) {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, fmt.Errorf("seal: generate key: %w", err)
		}
		der, err := x509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			return nil, fmt.Errorf("seal: generate key: %w", err)
		}
		if err := createOnce(keyPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})); err != nil {
			return nil, err
		}
	}
	key, err := readKey(keyPath)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(certPath); errors.Is(err, fs.ErrNotExist) {
		der, err := newCertificate(key, time.Now())
		if err != nil {
			return nil, err
		}
		if err := createOnce(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})); err != nil {
			return nil, err
		}
	}
	cert, err := readCertificate(certPath)
	if err != nil {
		return nil, err
	}
	if !key.PublicKey.Equal(cert.PublicKey) {
		return nil, fmt.Errorf("seal: %s is not the certificate of the key in %s", certPath, keyPath)
	}
	return &Signer{key: key, cert: cert}, nil
}

// Certificate is the signer's certificate, to publish or to trust in a PDF
// reader.
func (s *Signer) Certificate() *x509.Certificate { return s.cert }

// createOnce writes data to path with mode 0600 unless path exists
// already, in which case the file there wins and data is dropped.
func createOnce(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return fmt.Errorf("seal: create %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(0o600)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		// A link, unlike a rename, never replaces a file already there.
		err = os.Link(tmp.Name(), path)
		if errors.Is(err, fs.ErrExist) {
			err = nil
		}
	}
	if err != nil {
		return fmt.Errorf("seal: create %s: %w", path, err)
	}
	return nil
}

// readKey reads the PKCS #8 PEM ECDSA key at path, refusing it when the
// file is open to its group or to others.
func readKey(path string) (*ecdsa.PrivateKey, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("seal: key: %w", err)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("seal: key %s has mode %04o; it must be readable by its owner only (chmod 600)", path, perm)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("seal: key: %w", err)
	}
	b, _ := pem.Decode(data)
	if b == nil || b.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("seal: key %s: no PEM PRIVATE KEY block", path)
	}
	k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		return nil, fmt.Errorf("seal: key %s: %w", path, err)
	}
	key, ok := k.(*ecdsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("seal: key %s: a %T, want an ECDSA key", path, k)
	}
	return key, nil
}

// readCertificate reads the PEM certificate at path.
func readCertificate(path string) (*x509.Certificate, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("seal: certificate: %w", err)
	}
	b, _ := pem.Decode(data)
	if b == nil || b.Type != "CERTIFICATE" {
		return nil, fmt.Errorf("seal: certificate %s: no PEM CERTIFICATE block", path)
	}
	cert, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		return nil, fmt.Errorf("seal: certificate %s: %w", path, err)
	}
	return cert, nil
}

// newCertificate makes the self-signed certificate for key, valid from now
// (less an hour, for clocks a little behind) for ten years. Its key usages
// are those PDF readers look for in a signing certificate: digital
// signature and non-repudiation, and as extended usage Document Signing
// (RFC 9336) and e-mail protection, the long-standing alternative that
// Go's x509 and the pdfsign verifier recognise.
func newCertificate(key *ecdsa.PrivateKey, now time.Time) ([]byte, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return nil, fmt.Errorf("seal: certificate serial: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: CertSubject},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(certValidity),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection},
		UnknownExtKeyUsage:    []asn1.ObjectIdentifier{oidDocumentSigning},
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("seal: create certificate: %w", err)
	}
	return der, nil
}

// SignPDF returns pdf with an approval signature by s appended as an
// incremental update: the original bytes stay as they are, followed by
// the signature. name and reason are shown by PDF readers as who signed
// and why; at is the signing time the signature dictionary states (/M).
//
// pdfsign's CMS layer also puts its own signing-time attribute, from the
// clock, inside the signature; at is what the document states.
func (s *Signer) SignPDF(in []byte, name, reason string, at time.Time) ([]byte, error) {
	if at.IsZero() {
		return nil, errors.New("seal: sign PDF: no signing time")
	}
	name, reason = pdfText(name), pdfText(reason)
	rdr, err := pdf.NewReader(bytes.NewReader(in), int64(len(in)))
	if err != nil {
		return nil, fmt.Errorf("seal: sign PDF: read: %w", err)
	}
	var out bytes.Buffer
	err = sign.Sign(bytes.NewReader(in), &out, rdr, int64(len(in)), sign.SignData{
		Signature: sign.SignDataSignature{
			CertType: sign.ApprovalSignature,
			Info:     sign.SignDataSignatureInfo{Name: name, Reason: reason, Date: at},
		},
		Signer:          s.key,
		DigestAlgorithm: crypto.SHA256,
		Certificate:     s.cert,
	})
	if err != nil {
		return nil, fmt.Errorf("seal: sign PDF: %w", err)
	}
	return out.Bytes(), nil
}

// pdfText makes s safe for the PDF strings pdfsign writes. An ASCII
// string it escapes; any other it writes as UTF-16 without escaping, so
// that a "(", ")" or "\" there, or any character with such a byte in its
// UTF-16 form (Ĩ is 01 28), ends the string early or escapes what follows
// and breaks the file, and a carriage-return byte is read back as a line
// feed. So that a name reads the same whatever else it holds, brackets and
// a slash stand in for "(", ")" and "\" always, other characters with such
// a byte become U+FFFD, and control characters are dropped.
func pdfText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsControl(r):
			continue
		case r == '(':
			r = '['
		case r == ')':
			r = ']'
		case r == '\\':
			r = '/'
		case !utf16Safe(r):
			r = unicode.ReplacementChar
		}
		b.WriteRune(r)
	}
	return b.String()
}

// utf16Safe reports whether r's UTF-16 form has no byte that a PDF
// literal string treats specially.
func utf16Safe(r rune) bool {
	for _, u := range utf16.Encode([]rune{r}) {
		for _, c := range []byte{byte(u >> 8), byte(u)} {
			if c == '(' || c == ')' || c == '\\' || c == '\r' {
				return false
			}
		}
	}
	return true
}
