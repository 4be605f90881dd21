package seal

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/digitorus/pdfsign/verify"

	"kundportal/internal/docs"
	"kundportal/internal/sv"
)

func TestLoadOrCreate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "seal")
	s, err := LoadOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{KeyFile, CertFile} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm != 0o600 {
			t.Errorf("%s has mode %04o, want 0600", name, perm)
		}
	}
	c := s.Certificate()
	if c.Subject.CommonName != CertSubject {
		t.Errorf("certificate subject = %q, want %q", c.Subject.CommonName, CertSubject)
	}
	if years := c.NotAfter.Sub(c.NotBefore).Hours() / 24 / 365; math.Abs(years-10) > 0.01 {
		t.Errorf("certificate valid %.2f years (%v – %v), want 10", years, c.NotBefore, c.NotAfter)
	}
	if time.Now().Before(c.NotBefore) || time.Now().After(c.NotAfter) {
		t.Errorf("certificate not valid now: %v – %v", c.NotBefore, c.NotAfter)
	}

	again, err := LoadOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Certificate().Equal(c) || !again.key.Equal(s.key) {
		t.Error("a second LoadOrCreate made a new key or certificate instead of reusing the files")
	}
}

func TestLoadOrCreateRefuses(t *testing.T) {
	t.Run("key readable by others", func(t *testing.T) {
		dir := t.TempDir()
		if _, err := LoadOrCreate(dir); err != nil {
			t.Fatal(err)
		}
		for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o660} {
			if err := os.Chmod(filepath.Join(dir, KeyFile), mode); err != nil {
				t.Fatal(err)
			}
			if _, err := LoadOrCreate(dir); err == nil || !strings.Contains(err.Error(), "chmod 600") {
				t.Errorf("LoadOrCreate with key mode %04o = %v, want a refusal", mode, err)
			}
		}
		if err := os.Chmod(filepath.Join(dir, KeyFile), 0o400); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadOrCreate(dir); err != nil {
			t.Errorf("LoadOrCreate with key mode 0400 = %v, want it accepted", err)
		}
	})
	t.Run("certificate of another key", func(t *testing.T) {
		dir, other := t.TempDir(), t.TempDir()
		for _, d := range []string{dir, other} {
			if _, err := LoadOrCreate(d); err != nil {
				t.Fatal(err)
			}
		}
		cert, err := os.ReadFile(filepath.Join(other, CertFile))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, CertFile), cert, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadOrCreate(dir); err == nil || !strings.Contains(err.Error(), "not the certificate of the key") {
			t.Errorf("LoadOrCreate with another key's certificate = %v, want a refusal", err)
		}
	})
	t.Run("garbage", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, KeyFile), []byte("not a key"), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadOrCreate(dir); err == nil {
			t.Error("LoadOrCreate with a key file that holds no key succeeded")
		}
	})
	t.Run("missing certificate is made for the key there", func(t *testing.T) {
		dir := t.TempDir()
		s, err := LoadOrCreate(dir)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(filepath.Join(dir, CertFile)); err != nil {
			t.Fatal(err)
		}
		again, err := LoadOrCreate(dir)
		if err != nil {
			t.Fatal(err)
		}
		if !again.key.Equal(s.key) {
			t.Error("LoadOrCreate without a certificate replaced the key")
		}
	})
}

// deliveryNote renders a realistic delivery note, as the technician's
// phone will have it signed.
func deliveryNote(t *testing.T) []byte {
	t.Helper()
	var a []docs.Point
	for i := range 60 {
		a = append(a, docs.Point{X: 40 + float64(i)*8, Y: 100 + 40*math.Sin(float64(i)/5)})
	}
	n := docs.DeliveryNote{
		Company:    docs.Company{Name: "Skaraborgs Vitvaruservice AB", Address: "Industrigatan 8, 541 37 Skövde", Phone: "+46500441200", OrgNumber: "556789-0123"},
		CaseNumber: "2026-00042", WorkOrderNumber: "2026-00042-1", CaseType: "Serviceanmälan",
		Customer: "Björkhagens äldreboende", Street: "Östra Ängsvägen 12", PostalCode: "532 30", City: "Skara",
		Machine:    docs.Machine{AssetNumber: "100042", Kind: "Tvättmaskin", Brand: "Electrolux"},
		Fault:      docs.Fault{Title: "Tvättmaskinen tömmer inte", ReportedBy: "Berit Öberg", ReportedAt: time.Date(2026, time.March, 10, 8, 15, 0, 0, sv.Stockholm)},
		Technician: "Jörgen Ståhl",
		Actions:    []docs.NoteAction{{Date: time.Date(2026, time.March, 12, 0, 0, 0, 0, sv.Stockholm), Technician: "Jörgen Ståhl", Description: "Bytt tömningspump.", Minutes: 60}},
		Lines:      []docs.NoteLine{{Article: "EL-140000", Description: "Tömningspump", QuantityMilli: 1000, Unit: "st", UnitPriceOre: 148900, AmountOre: 148900}},
		SignerName: "Åsa Ängström",
		SignedAt:   time.Date(2026, time.March, 12, 14, 5, 0, 0, sv.Stockholm),
		Signature:  docs.Signature{Width: 600, Height: 200, Strokes: [][]docs.Point{a}},
	}
	var buf bytes.Buffer
	if err := docs.RenderDeliveryNote(&buf, n); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// verifyPDF checks pdf's signatures with pdfsign's verifier, trusting the
// self-signed certificate embedded (as a reader that trusts ours would).
// It returns the one signer, or the reason the PDF does not verify.
func verifyPDF(pdf []byte) (verify.Signer, string) {
	opts := verify.DefaultVerifyOptions()
	opts.AllowUntrustedRoots = true
	resp, err := verify.VerifyWithOptions(bytes.NewReader(pdf), int64(len(pdf)), opts)
	switch {
	case err != nil:
		return verify.Signer{}, err.Error()
	case resp.Error != "":
		return verify.Signer{}, resp.Error
	case len(resp.Signers) != 1:
		return verify.Signer{}, fmt.Sprintf("%d signatures, want 1", len(resp.Signers))
	case !resp.Signers[0].ValidSignature:
		return verify.Signer{}, "signature not valid"
	}
	s := resp.Signers[0]
	for _, c := range s.Certificates {
		if c.VerifyError != "" {
			return verify.Signer{}, "certificate: " + c.VerifyError
		}
		if !c.KeyUsageValid || !c.ExtKeyUsageValid {
			return verify.Signer{}, "key usage: " + c.KeyUsageError + " " + c.ExtKeyUsageError
		}
	}
	return s, ""
}

func TestSignPDF(t *testing.T) {
	s, err := LoadOrCreate(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	in := deliveryNote(t)
	at := time.Date(2026, time.March, 12, 14, 6, 30, 0, sv.Stockholm)
	signed, err := s.SignPDF(in, "Kundportal", "Följesedel 2026-00042 signerad av kunden", at)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(signed, in) {
		t.Error("the signed PDF does not start with the original bytes (want an incremental update)")
	}
	got, problem := verifyPDF(signed)
	if problem != "" {
		t.Fatalf("signed PDF does not verify: %s", problem)
	}
	if got.Name != "Kundportal" || got.Reason != "Följesedel 2026-00042 signerad av kunden" {
		t.Errorf("signer = %q, reason %q; want what SignPDF was given", got.Name, got.Reason)
	}
	if got.SignatureTime == nil || !got.SignatureTime.Equal(at) {
		t.Errorf("signature time = %v, want %v", got.SignatureTime, at)
	}
	if len(got.Certificates) != 1 || !got.Certificates[0].Certificate.Equal(s.Certificate()) {
		t.Error("the PDF is not signed with the signer's certificate")
	}
	if _, problem := verifyPDF(in); problem == "" {
		t.Error("the unsigned PDF verifies")
	}

	// A changed byte anywhere the signature covers: early in the file
	// (the header's comment), in the page content, and in the appended
	// signature dictionary (its /Reason).
	positions := map[string]int{
		"header":   10,
		"middle":   len(in) / 2,
		"reason":   bytes.Index(signed, []byte("/Reason")) + 9,
		"last one": len(signed) - 10,
	}
	for name, i := range positions {
		t.Run("changed byte "+name, func(t *testing.T) {
			bad := bytes.Clone(signed)
			bad[i] ^= 0x01
			if _, problem := verifyPDF(bad); problem == "" {
				t.Errorf("a PDF with byte %d of %d changed verifies", i, len(signed))
			}
		})
	}
}

func TestSignPDFNames(t *testing.T) {
	s, err := LoadOrCreate(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	in := deliveryNote(t)
	at := time.Date(2026, time.March, 12, 14, 6, 0, 0, time.UTC)
	// pdfsign writes a non-ASCII string as UTF-16 without escaping; these
	// broke the signed file before pdfText.
	tests := []struct{ name, want string }{
		{"Åsa Ängström", "Åsa Ängström"},
		{"Åsa Ängström (ombud)", "Åsa Ängström [ombud]"},
		{"Åsa ) Ängström", "Åsa ] Ängström"},
		{`Åsa \ Ängström`, "Åsa / Ängström"},
		{"Ĩñaki Ŝ", "\uFFFDñaki \uFFFD"},
		{"Åsa\rÄngström\n", "ÅsaÄngström"},
		{"Plain (ASCII) \\ name", "Plain [ASCII] / name"},
	}
	for _, tt := range tests {
		signed, err := s.SignPDF(in, tt.name, tt.name, at)
		if err != nil {
			t.Errorf("SignPDF(name %q): %v", tt.name, err)
			continue
		}
		got, problem := verifyPDF(signed)
		if problem != "" {
			t.Errorf("SignPDF(name %q): the PDF does not verify: %s", tt.name, problem)
			continue
		}
		if got.Name != tt.want || got.Reason != tt.want {
			t.Errorf("SignPDF(name %q): name %q, reason %q; want %q", tt.name, got.Name, got.Reason, tt.want)
		}
	}
	if _, err := s.SignPDF(in, "Kundportal", "", time.Time{}); err == nil {
		t.Error("SignPDF without a signing time succeeded")
	}
	if _, err := s.SignPDF([]byte("not a PDF"), "Kundportal", "", at); err == nil {
		t.Error("SignPDF of something that is not a PDF succeeded")
	}
}
