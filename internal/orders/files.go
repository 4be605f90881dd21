package orders

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/sv"
	"kundportal/internal/upload"
)

// thumbSize is the longest side of a thumbnail, in pixels: twice the size
// shown, for sharp screens.
const thumbSize = 320

// FileInput is an uploaded file: what it is, the work order it belongs to
// (0: the whole case), the name it came with and its bytes.
type FileInput struct {
	Kind        repair.FileKind
	WorkOrderID int64
	Name        string
	Body        io.ReadSeeker
	// ClientID is the form's one-time id: a resent upload stores once.
	ClientID string
}

// AttachFile stores a photo, a document or a signed delivery note on a
// case, after checking by its content what it is. The bytes go to the
// file store first; the metadata row, written after, is what makes them
// part of the case. A crash between the two leaves an unreferenced blob,
// never a row without its file.
//
// A technician may add photos to its own work orders only; a customer
// photos to its own open case, which the office then sees as news.
func (o *Ops) AttachFile(ctx context.Context, u repair.User, caseID int64, in FileInput) (repair.File, error) {
	scope := repair.ScopeFor(u)
	c, err := o.db.Case(ctx, scope, caseID)
	if err != nil {
		return repair.File{}, err
	}
	switch {
	case u.Role == repair.RoleTechnician && (in.Kind != repair.FilePhoto || in.WorkOrderID == 0):
		return repair.File{}, repair.FieldErrors{"file": "Välj ett foto till arbetsordern."}
	case u.Role.IsCustomer() && (in.Kind != repair.FilePhoto || in.WorkOrderID != 0):
		return repair.File{}, repair.FieldErrors{"file": "Välj ett foto."}
	case u.Role.IsCustomer() && !c.Status.Open():
		return repair.File{}, repair.FieldErrors{"file": "Ärendet är avslutat. Gör en ny serviceanmälan om felet finns kvar."}
	case !u.Role.IsStaff() && u.Role != repair.RoleTechnician && !u.Role.IsCustomer():
		return repair.File{}, repair.ErrNotFound
	}
	fail := func(msg string) (repair.File, error) { return repair.File{}, repair.FieldErrors{"file": msg} }
	up, err := checkUpload(in.Name, in.Body)
	if err != nil {
		return fail(upload.Message(err))
	}
	switch {
	case in.Kind == repair.FileDeliveryNote && up.t.MIME != upload.PDF.MIME:
		return fail("En påskriven följesedel ska vara en PDF.")
	case in.Kind == repair.FilePhoto && !up.t.Image:
		return fail(photoOnly)
	case in.Kind != repair.FileDeliveryNote && in.Kind != repair.FilePhoto && in.Kind != repair.FileAttachment:
		return fail("Välj vad filen är.")
	}
	var woID int64
	if in.WorkOrderID != 0 {
		wo, err := o.db.WorkOrder(ctx, scope, in.WorkOrderID)
		if err != nil || wo.CaseID != c.ID {
			return fail("Arbetsordern hör inte till ärendet.")
		}
		woID = wo.ID
	}
	if err := up.makeThumbnail(); err != nil {
		return fail(upload.Message(err))
	}
	f, err := o.putUpload(up, in.Kind, u.ID)
	if err != nil {
		return f, err
	}
	f.CaseID, f.WorkOrderID = c.ID, woID
	err = o.change(ctx, u, fixed("case", c.ID, "file", fileAudit(f)), func(tx *store.Tx) error {
		return once(ctx, tx, in.ClientID, "file", &f.ID, func() error {
			if err := tx.CreateFile(ctx, &f); err != nil {
				return err
			}
			if u.Role.IsCustomer() {
				return tx.SetCustomerNews(ctx, c.ID, true)
			}
			return nil
		})
	})
	return f, done(err)
}

// photoOnly is the message for a photo that is not an image.
const photoOnly = "Ett foto ska vara en bild (JPEG, PNG eller WebP)."

// checked is an upload that passed upload.CheckFile: its bytes, what they
// are, its safe name and, after makeThumbnail, an image's thumbnail.
type checked struct {
	body  io.ReadSeeker
	t     upload.Type
	name  string
	thumb []byte
}

// checkUpload checks an upload by its content, never by its name or the
// type the browser sent; the error is for upload.Message.
func checkUpload(name string, body io.ReadSeeker) (checked, error) {
	t, _, err := upload.CheckFile(body)
	if err != nil {
		return checked{}, err
	}
	return checked{body: body, t: t, name: upload.SafeName(name, t)}, nil
}

// makeThumbnail makes an image's thumbnail. It decodes every pixel, so
// it also refuses an image whose structure is intact but whose data is
// not; it runs before anything is stored, so such a file leaves nothing
// behind.
func (up *checked) makeThumbnail() error {
	if !up.t.Image {
		return nil
	}
	if _, err := up.body.Seek(0, io.SeekStart); err != nil {
		return err
	}
	thumb, err := upload.Thumbnail(up.body, thumbSize)
	if err != nil {
		return err
	}
	up.thumb = thumb
	return nil
}

// putUpload writes a checked upload and its thumbnail to the file store
// and returns its record, not yet saved: the caller writes the row, in
// its own transaction, after the bytes are safe.
func (o *Ops) putUpload(up checked, kind repair.FileKind, uploadedBy int64) (repair.File, error) {
	f := repair.File{Kind: kind, ContentType: up.t.MIME, Name: up.name, UploadedBy: uploadedBy}
	if _, err := up.body.Seek(0, io.SeekStart); err != nil {
		return f, err
	}
	var err error
	if f.SHA256, f.Size, err = o.files.Put(up.body); err != nil {
		return f, fmt.Errorf("orders: store file: %w", err)
	}
	if up.thumb != nil {
		if f.ThumbSHA256, _, err = o.files.Put(bytes.NewReader(up.thumb)); err != nil {
			return f, fmt.Errorf("orders: store thumbnail: %w", err)
		}
	}
	return f, nil
}

// fileAudit is a stored file's line in its case's audit log.
func fileAudit(f repair.File) string {
	return fmt.Sprintf("Fil uppladdad: %s (%s)", f.Name, sv.Bytes(f.Size))
}
