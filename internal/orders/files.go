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
	t, _, err := upload.CheckFile(in.Body)
	if err != nil {
		return fail(upload.Message(err))
	}
	f := repair.File{CaseID: c.ID, Kind: in.Kind, ContentType: t.MIME, Name: upload.SafeName(in.Name, t), UploadedBy: u.ID}
	switch {
	case f.Kind == repair.FileDeliveryNote && t.MIME != upload.PDF.MIME:
		return fail("En påskriven följesedel ska vara en PDF.")
	case f.Kind == repair.FilePhoto && !t.Image:
		return fail("Ett foto ska vara en bild (JPEG, PNG eller WebP).")
	case f.Kind != repair.FileDeliveryNote && f.Kind != repair.FilePhoto && f.Kind != repair.FileAttachment:
		return fail("Välj vad filen är.")
	}
	if in.WorkOrderID != 0 {
		wo, err := o.db.WorkOrder(ctx, scope, in.WorkOrderID)
		if err != nil || wo.CaseID != c.ID {
			return fail("Arbetsordern hör inte till ärendet.")
		}
		f.WorkOrderID = wo.ID
	}
	if f.SHA256, f.Size, err = o.files.Put(in.Body); err != nil {
		return f, err
	}
	if t.Image {
		if _, err := in.Body.Seek(0, io.SeekStart); err != nil {
			return f, err
		}
		thumb, err := upload.Thumbnail(in.Body, thumbSize)
		if err != nil {
			return fail(upload.Message(err))
		}
		if f.ThumbSHA256, _, err = o.files.Put(bytes.NewReader(thumb)); err != nil {
			return f, err
		}
	}
	err = o.change(ctx, u, fixed("case", c.ID, "file", fmt.Sprintf("Fil uppladdad: %s (%s)", f.Name, sv.Bytes(f.Size))), func(tx *store.Tx) error {
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
