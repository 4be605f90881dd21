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
	var in uploadInput
	failed := func(p *orderCasePage, fe repair.FieldErrors) { p.Upload = failedForm("upload", in, fe) }
	fail := func(msg string) error {
		return s.caseFormDone(w, r, id, "files", "", repair.FieldErrors{"file": msg}, failed)
	}
	cleanup, err := parseUpload(w, r)
	defer cleanup()
	if err != nil {
		return fail(upload.Message(err))
	}
	in = uploadInput{Kind: r.FormValue("kind"), WorkOrderID: r.FormValue("work_order_id")}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return fail("Välj en fil att ladda upp.")
	}
	defer file.Close()
	in = uploadInput{Kind: r.FormValue("kind"), WorkOrderID: r.FormValue("work_order_id")}
	fi := orders.FileInput{Kind: repair.FileKind(in.Kind), Name: hdr.Filename, Body: file}
	if in.WorkOrderID != "" {
		if fi.WorkOrderID, err = strconv.ParseInt(in.WorkOrderID, 10, 64); err != nil || fi.WorkOrderID <= 0 {
			fi.WorkOrderID = -1 // not a work order of the case: the operation says so
		}
	}
	_, err = s.ops.AttachFile(r.Context(), userOf(r), id, fi)
	return s.caseFormDone(w, r, id, "files", "fil", err, failed)
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
