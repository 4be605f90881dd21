package web

import (
	"net/http"
	"strconv"

	"kundportal/internal/orders"
	"kundportal/internal/repair"
	"kundportal/internal/upload"
)

// uploadFile stores a photo, a document or a signed delivery note on a
// case; the operation checks by its content what it is.
func (s *server) uploadFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if _, err := s.db.Case(r.Context(), repair.StaffScope(), id); err != nil {
		return err
	}
	fail := func(msg string) error {
		return s.failForm(w, r, id, "upload", repair.FieldErrors{"file": msg})
	}
	r.Body = http.MaxBytesReader(w, r.Body, upload.MaxSize+1<<20)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		return fail(upload.Message(err))
	}
	defer r.MultipartForm.RemoveAll()
	cleanValues(r.MultipartForm.Value)
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return fail("Välj en fil att ladda upp.")
	}
	defer file.Close()
	in := orders.FileInput{Kind: repair.FileKind(r.FormValue("kind")), Name: hdr.Filename, Body: file}
	if raw := r.FormValue("work_order_id"); raw != "" {
		if in.WorkOrderID, err = strconv.ParseInt(raw, 10, 64); err != nil || in.WorkOrderID <= 0 {
			in.WorkOrderID = -1 // not a work order of the case: the operation says so
		}
	}
	_, err = s.ops.AttachFile(r.Context(), userOf(r), id, in)
	return s.caseFormDone(w, r, id, "upload", "files", err)
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
