package web

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/sv"
	"kundportal/internal/upload"
)

// thumbSize is the longest side of a thumbnail, in pixels: twice the size
// shown, for sharp screens.
const thumbSize = 320

// uploadFile stores a photo, a document or a signed delivery note on a
// case, after checking by its content what it is.
func (s *server) uploadFile(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, err := s.pathStaffCase(r)
	if err != nil {
		return err
	}
	fail := func(msg string) error {
		return s.failForm(w, r, c.ID, "upload", repair.FieldErrors{"file": msg})
	}
	r.Body = http.MaxBytesReader(w, r.Body, upload.MaxSize+1<<20)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		return fail(upload.Message(err))
	}
	defer r.MultipartForm.RemoveAll()
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return fail("Välj en fil att ladda upp.")
	}
	defer file.Close()
	t, _, err := upload.CheckFile(file)
	if err != nil {
		return fail(upload.Message(err))
	}
	f := repair.File{CaseID: c.ID, Kind: repair.FileKind(r.FormValue("kind")), ContentType: t.MIME, Name: upload.SafeName(hdr.Filename, t), UploadedBy: userOf(r).ID}
	switch {
	case f.Kind == repair.FileDeliveryNote && t.MIME != upload.PDF.MIME:
		return fail("En påskriven följesedel ska vara en PDF.")
	case f.Kind == repair.FilePhoto && !t.Image:
		return fail("Ett foto ska vara en bild (JPEG, PNG eller WebP).")
	case f.Kind != repair.FileDeliveryNote && f.Kind != repair.FilePhoto && f.Kind != repair.FileAttachment:
		return fail("Välj vad filen är.")
	}
	if raw := r.FormValue("work_order_id"); raw != "" {
		woID, _ := strconv.ParseInt(raw, 10, 64)
		wo, err := s.db.WorkOrder(ctx, repair.StaffScope(), woID)
		if err != nil || wo.CaseID != c.ID {
			return fail("Arbetsordern hör inte till ärendet.")
		}
		f.WorkOrderID = wo.ID
	}
	// The bytes go to the file store first; the metadata row, written
	// after, is what makes them part of the case. A crash between the two
	// leaves an unreferenced blob, never a row without its file.
	if f.SHA256, f.Size, err = s.files.Put(file); err != nil {
		return err
	}
	if t.Image {
		if _, err := file.Seek(0, io.SeekStart); err != nil {
			return err
		}
		thumb, err := upload.Thumbnail(file, thumbSize)
		if err != nil {
			return fail(upload.Message(err))
		}
		if f.ThumbSHA256, _, err = s.files.Put(bytes.NewReader(thumb)); err != nil {
			return err
		}
	}
	if err := s.change(r, "case", c.ID, "file", fmt.Sprintf("Fil uppladdad: %s (%s)", f.Name, sv.Bytes(f.Size)), func(tx *store.Tx) error {
		return tx.CreateFile(ctx, &f)
	}); err != nil {
		return err
	}
	s.redirectToCase(w, r, c.ID, "files")
	return nil
}

// downloadThumbnail serves an image's thumbnail, with the same access
// check as the file itself.
func (s *server) downloadThumbnail(w http.ResponseWriter, r *http.Request) error {
	f, err := s.pathFile(r)
	if err != nil {
		return err
	}
	if f.ThumbSHA256 == "" {
		return errNotFound
	}
	return s.serveBlob(w, r, f, f.ThumbSHA256, map[string]string{"Content-Type": "image/jpeg", "Cache-Control": "private, max-age=86400"})
}
