package orders_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kundportal/internal/filestore"
	"kundportal/internal/orders"
	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

func testImage(t *testing.T, encode func(*bytes.Buffer, image.Image) error) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for x := 0; x < 64; x++ {
		img.Set(x, 24, color.RGBA{200, 0, 0, 255})
	}
	var b bytes.Buffer
	if err := encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func pngImage(t *testing.T) []byte {
	return testImage(t, func(b *bytes.Buffer, m image.Image) error { return png.Encode(b, m) })
}

func jpegImage(t *testing.T) []byte {
	return testImage(t, func(b *bytes.Buffer, m image.Image) error { return jpeg.Encode(b, m, nil) })
}

// blobs counts the files in a disk file store's directory.
func blobs(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestFileCaseWithPhotos: photos are checked like every upload and saved
// with the case, in its transaction, or nothing is saved at all.
func TestFileCaseWithPhotos(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		dir := t.TempDir()
		files, err := filestore.NewDisk(dir)
		if err != nil {
			t.Fatal(err)
		}
		ops := orders.New(db, files, func() time.Time { return now })
		photo := func(name string, body []byte) orders.Photo {
			return orders.Photo{Name: name, Body: bytes.NewReader(body)}
		}
		cases := func() int { return len(storetest.Cases(t, db, repair.StaffScope())) }
		before := cases()

		// One bad file among good ones refuses the whole case, naming it.
		bad := []struct {
			name string
			body []byte
		}{
			{"skylt.jpg", []byte("<html><script>alert(1)</script></html>")},
			{"trasig.png", append(pngImage(t)[:60], "garbage"...)},
			{"manual.pdf", []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")},
			{"tom.png", nil},
		}
		for _, b := range bad {
			in := caseInput("photos-bad-" + b.name)
			in.Photos = []orders.Photo{photo("fel.png", pngImage(t)), photo(b.name, b.body)}
			_, err := ops.FileCase(ctx, w.anna, in)
			wantFields(t, "a case with "+b.name, err, repair.FieldPhotos)
			if fe, _ := err.(repair.FieldErrors); !strings.Contains(fe[repair.FieldPhotos], "Bild 2 ("+b.name+")") || strings.Contains(fe[repair.FieldPhotos], "Bild 1") {
				t.Errorf("%s: message %q, want it to name the second file only", b.name, fe[repair.FieldPhotos])
			}
		}
		tooMany := caseInput("photos-too-many")
		for range orders.MaxCasePhotos + 1 {
			tooMany.Photos = append(tooMany.Photos, photo("x.png", pngImage(t)))
		}
		_, err = ops.FileCase(ctx, w.anna, tooMany)
		wantFields(t, "more photos than allowed", err, repair.FieldPhotos)
		// Good photos with another field wrong save nothing either.
		invalid := caseInput("photos-invalid")
		invalid.Street = ""
		invalid.Photos = []orders.Photo{photo("fel.png", pngImage(t))}
		_, err = ops.FileCase(ctx, w.anna, invalid)
		wantFields(t, "photos with Gata empty", err, repair.FieldStreet)
		foreign := caseInput("photos-foreign")
		foreign.AssetID = w.theirAs.ID
		foreign.Photos = []orders.Photo{photo("fel.png", pngImage(t))}
		_, err = ops.FileCase(ctx, w.anna, foreign)
		wantFields(t, "photos with another customer's machine", err, repair.FieldAsset)
		if n := cases(); n != before {
			t.Fatalf("refused cases saved %d cases", n-before)
		}
		if n := blobs(t, dir); n != 0 {
			t.Errorf("refused cases left %d blobs in the file store, want none", n)
		}

		in := caseInput("photos-ok")
		in.AssetID = w.myAsset.ID
		in.Photos = []orders.Photo{photo("../../felet.PNG", pngImage(t)), photo("typskylt.exe", jpegImage(t))}
		id, err := ops.FileCase(ctx, w.anna, in)
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.CaseFiles(ctx, repair.CustomerScope(w.mine.ID), id)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 {
			t.Fatalf("case has %d files, want the 2 photos", len(got))
		}
		want := []struct{ name, mime string }{{"felet.PNG", "image/png"}, {"typskylt.jpg", "image/jpeg"}}
		for i, f := range got {
			if f.Kind != repair.FilePhoto || f.Name != want[i].name || f.ContentType != want[i].mime || f.ThumbSHA256 == "" ||
				f.CustomerID != w.mine.ID || f.UploadedBy != w.anna.ID || f.WorkOrderID != 0 {
				t.Errorf("file %d = %+v, want photo %s (%s) with a thumbnail, by anna", i, f, want[i].name, want[i].mime)
			}
			for _, sum := range []string{f.SHA256, f.ThumbSHA256} {
				r, err := files.Open(sum)
				if err != nil {
					t.Errorf("blob %s of %s: %v", sum, f.Name, err)
					continue
				}
				r.Close()
			}
		}
		if n := w.auditCount("case", id); n != 3 {
			t.Errorf("audit lines = %d, want the case's and one per photo", n)
		}

		// The same form again (a double click, a resent form) saves once.
		in.Photos = []orders.Photo{photo("felet.png", pngImage(t)), photo("typskylt.jpg", jpegImage(t))}
		again, err := ops.FileCase(ctx, w.anna, in)
		if err != nil || again != id {
			t.Errorf("same token with photos again = %d, %v; want case %d", again, err, id)
		}
		if fs, _ := db.CaseFiles(ctx, repair.StaffScope(), id); len(fs) != 2 {
			t.Errorf("after a resend the case has %d files, want 2", len(fs))
		}
		if n := cases(); n != before+1 {
			t.Errorf("%d cases saved, want 1", n-before)
		}
	})
}
