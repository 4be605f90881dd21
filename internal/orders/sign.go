package orders

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"kundportal/internal/docs"
	"kundportal/internal/peppol"
	"kundportal/internal/repair"
	"kundportal/internal/seal"
	"kundportal/internal/store"
	"kundportal/internal/sv"
	"kundportal/internal/upload"
)

// Letterhead is the company as a document's header names it.
func Letterhead(c repair.Company) docs.Company {
	return docs.Company{Name: c.Name, Address: c.Address(), Phone: c.Phone, OrgNumber: c.OrgNumber}
}

// Seller is the company as its e-invoices name it.
func Seller(c repair.Company) peppol.Seller {
	return peppol.Seller{Name: c.Name, OrgNumber: c.OrgNumber, VATNumber: c.VATNumber, Street: c.Street,
		PostalCode: c.PostalCode, City: c.City, Phone: c.Phone, Email: c.Email, Bankgiro: c.Bankgiro, FSkatt: c.FSkatt}
}

// SignWith makes the operations sign every delivery-note PDF with s, so
// that a PDF reader shows any later change; without it the notes are
// sealed by the hash log alone.
func (o *Ops) SignWith(s *seal.Signer) { o.signer = s }

// SignInput is the end of a visit on the phone: how the delivery note is
// signed, by whom, and the signature from the pad.
type SignInput struct {
	How        repair.NoteSignature
	SignerName string
	Signature  docs.Signature
	// Paper is a photo of a paper the customer signed instead (without
	// JavaScript there is no pad), with the name it came with: it is stored
	// with the case and shown on the note.
	Paper     io.ReadSeeker
	PaperName string
	ClientID  string
}

// SignDeliveryNote makes the finished work order's delivery note: it
// freezes what the work order shows the customer (actions, visible costs,
// machine, site), renders the PDF from that snapshot with the signature,
// signs the PDF with the company's key, stores it as the case's signed
// file, records it in the seal log chained to the previous entry, and
// locks the work order so that nothing on it changes until the office
// reopens it for a correction, which makes the next note a new version
// that replaces this one.
func (o *Ops) SignDeliveryNote(ctx context.Context, u repair.User, woID int64, in SignInput) (repair.DeliveryNote, error) {
	wo, err := o.workOrder(ctx, u, woID)
	if err != nil {
		return repair.DeliveryNote{}, err
	}
	if prev, ok, err := o.resentNote(ctx, wo.ID, in.ClientID); err != nil || ok {
		return prev, err
	}
	fe := repair.FieldErrors{}
	if !in.How.Valid() {
		fe.Add("how", "Välj om kunden skriver under.")
	}
	in.SignerName = repair.CheckLine(fe, "signer_name", in.SignerName, repair.MaxName, in.How == repair.NoteSigned)
	if fe["signer_name"] == "Fältet måste fyllas i." {
		fe["signer_name"] = "Skriv kundens namn."
	}
	onPaper := in.How == repair.NoteSigned && in.Paper != nil && in.Signature.Empty()
	if in.How == repair.NoteSigned && !onPaper {
		if err := in.Signature.Validate(); err != nil {
			fe.Add("signature", "Be kunden skriva sin namnteckning i rutan, eller ta ett foto av en påskriven följesedel.")
		}
	}
	switch {
	case wo.Locked():
		fe.Add("how", "Följesedeln är redan signerad.")
	case wo.Status != repair.WorkOrderDone:
		fe.Add("how", "Avsluta arbetsordern innan följesedeln signeras.")
	}
	if err := invalid(fe); err != nil {
		return repair.DeliveryNote{}, err
	}

	note, err := o.noteFor(ctx, wo)
	if err != nil {
		return repair.DeliveryNote{}, err
	}
	if onPaper {
		// The photo is checked like every upload and kept with the case;
		// the note shows it, scaled down, in the signature box.
		if _, err := o.AttachFile(ctx, u, wo.CaseID, FileInput{Kind: repair.FilePhoto, WorkOrderID: wo.ID,
			Name: "påskriven-följesedel-" + in.PaperName, Body: in.Paper}); err != nil {
			var fe repair.FieldErrors
			if errors.As(err, &fe) {
				return repair.DeliveryNote{}, repair.FieldErrors{"signature": fe["file"]}
			}
			return repair.DeliveryNote{}, err
		}
		if _, err := in.Paper.Seek(0, io.SeekStart); err != nil {
			return repair.DeliveryNote{}, err
		}
		if note.PaperPhoto, err = upload.Thumbnail(in.Paper, 1600); err != nil {
			return repair.DeliveryNote{}, repair.FieldErrors{"signature": upload.Message(err)}
		}
	}
	earlier, err := o.db.DeliveryNotes(ctx, repair.StaffScope(), wo.ID)
	if err != nil {
		return repair.DeliveryNote{}, err
	}
	rec := repair.DeliveryNote{WorkOrderID: wo.ID, Version: len(earlier) + 1, SignerName: in.SignerName, Signature: in.How,
		SignedAt: o.now().UTC().Truncate(time.Microsecond), CreatedBy: u.ID}
	note.Version, note.SignerName, note.SignedAt = rec.Version, in.SignerName, rec.SignedAt
	if n := len(earlier); n > 0 {
		last := earlier[n-1]
		rec.ReplacesID = last.ID
		note.Replaces = fmt.Sprintf("version %d, %s", last.Version, sv.DateTime(last.SignedAt))
	}
	switch {
	case in.How == repair.NoteRefused:
		note.Unsigned = "Kunden avböjde att skriva under."
	case in.How == repair.NoteAbsent:
		note.Unsigned = "Ingen kund på plats att skriva under."
	case onPaper:
		note.Unsigned = "Kunden skrev under på papper; ett foto av det finns bland ärendets filer."
	default:
		note.Signature = in.Signature
	}
	// The snapshot is the note as the customer signs it, the signature
	// included; its fingerprint goes on the note and into the seal log.
	snap, err := json.Marshal(note)
	if err != nil {
		return rec, fmt.Errorf("orders: sign: snapshot: %w", err)
	}
	sum := sha256.Sum256(snap)
	rec.SnapshotSHA256 = hex.EncodeToString(sum[:])
	note.Fingerprint = rec.SnapshotSHA256

	var pdf bytes.Buffer
	if err := docs.RenderDeliveryNote(&pdf, note); err != nil {
		return rec, fmt.Errorf("orders: sign: %w", err)
	}
	body := pdf.Bytes()
	if o.signer != nil {
		if body, err = o.signer.SignPDF(body, o.company.Name, "Följesedel "+wo.Number+" signerad", rec.SignedAt); err != nil {
			return rec, fmt.Errorf("orders: sign: %w", err)
		}
	}
	f := repair.File{CaseID: wo.CaseID, WorkOrderID: wo.ID, Kind: repair.FileDeliveryNote, ContentType: "application/pdf",
		Name: fmt.Sprintf("Följesedel %s v%d.pdf", wo.Number, rec.Version), UploadedBy: u.ID}
	if f.SHA256, f.Size, err = o.files.Put(bytes.NewReader(body)); err != nil {
		return rec, err
	}

	detail := fmt.Sprintf("Följesedel %s version %d: %s", wo.Number, rec.Version, signedWords(in, onPaper))
	// Two instances sealing at once on PostgreSQL race for the same last
	// entry; the loser's transaction is refused (prev_hash is unique) and
	// tried again on the new last entry.
	for attempt := 0; ; attempt++ {
		err = o.change(ctx, u, fixed("case", wo.CaseID, "delivery_note", detail), func(tx *store.Tx) error {
			return once(ctx, tx, in.ClientID, "delivery_note", &rec.ID, func() error {
				if _, err := unlocked(ctx, tx, wo.ID); err != nil {
					return repair.FieldErrors{"how": "Följesedeln är redan signerad."}
				}
				if err := tx.CreateFile(ctx, &f); err != nil {
					return err
				}
				rec.FileID = f.ID
				if err := tx.CreateDeliveryNote(ctx, &rec); err != nil {
					return err
				}
				var last *repair.SealEntry
				switch prev, err := tx.LastSeal(ctx); {
				case err == nil:
					last = &prev
				case !errors.Is(err, repair.ErrNotFound):
					return err
				}
				e := seal.Next(last, repair.SealEntry{At: rec.SignedAt, DeliveryNoteID: rec.ID, FileSHA256: f.SHA256, SnapshotSHA256: rec.SnapshotSHA256})
				if err := tx.AppendSeal(ctx, &e); err != nil {
					return err
				}
				if in.How != repair.NoteRefused && in.How != repair.NoteAbsent {
					if err := o.linkDeliveryNote(ctx, tx, wo.CaseID, f.ID); err != nil {
						return err
					}
				}
				return tx.LockWorkOrder(ctx, wo.ID)
			})
		})
		if !errors.Is(err, repair.ErrConflict) || attempt == 2 {
			break
		}
	}
	return rec, done(err)
}

// signedWords says in the audit log how a note was signed.
func signedWords(in SignInput, onPaper bool) string {
	switch {
	case in.How == repair.NoteRefused:
		return "kunden avböjde att skriva under"
	case in.How == repair.NoteAbsent:
		return "ingen kund på plats"
	case onPaper:
		return "signerad på papper av " + in.SignerName
	}
	return "signerad av " + in.SignerName
}

// noteFor gathers what the delivery note of a work order shows: the case
// as reported, the site and machine, and of this visit the actions and
// costs the customer may see.
func (o *Ops) noteFor(ctx context.Context, wo repair.WorkOrder) (docs.DeliveryNote, error) {
	staff := repair.StaffScope()
	c, err := o.db.Case(ctx, staff, wo.CaseID)
	if err != nil {
		return docs.DeliveryNote{}, err
	}
	k, err := o.db.Customer(ctx, staff, c.CustomerID)
	if err != nil {
		return docs.DeliveryNote{}, err
	}
	n := docs.DeliveryNote{Company: Letterhead(o.company), CaseNumber: c.Number, WorkOrderNumber: wo.Number, CaseType: c.Type,
		Customer: k.Name, Site: c.SiteName, Street: c.Street, PostalCode: c.PostalCode, City: c.City,
		InvoiceReference: c.InvoiceReference, ContractNumber: c.ContractNumber, Technician: wo.TechnicianName,
		StartedAt: wo.StartedAt, FinishedAt: wo.CompletedAt,
		Fault: docs.Fault{Title: c.Title, Description: c.Description, ReportedBy: c.ReporterName, ReportedAt: c.RegisteredAt}}
	if c.AssetID != 0 {
		a, err := o.db.Asset(ctx, staff, c.AssetID)
		if err != nil {
			return n, err
		}
		n.Machine = docs.Machine{AssetNumber: a.Number, Kind: a.Kind, Brand: a.Brand, Model: strings.TrimSpace(a.Model), SerialNumber: a.SerialNumber}
	}
	visible := repair.CustomerScope(c.CustomerID)
	actions, err := o.db.Actions(ctx, visible, c.ID)
	if err != nil {
		return n, err
	}
	for _, a := range actions {
		if a.WorkOrderID != wo.ID {
			continue
		}
		day, _ := time.ParseInLocation(time.DateOnly, a.PerformedOn, repair.Stockholm)
		n.Actions = append(n.Actions, docs.NoteAction{Date: day, Technician: a.TechnicianName, Description: a.Description, Minutes: a.Minutes})
	}
	costs, err := o.db.CostLines(ctx, visible, c.ID)
	if err != nil {
		return n, err
	}
	for _, l := range costs {
		if l.WorkOrderID != wo.ID {
			continue
		}
		unit := "st"
		if l.Kind == repair.CostLabour {
			unit = "h"
		}
		n.Lines = append(n.Lines, docs.NoteLine{Article: l.Article, Description: l.Description, QuantityMilli: l.QuantityMilli,
			Unit: unit, UnitPriceOre: l.UnitPriceOre, AmountOre: l.AmountOre})
	}
	return n, nil
}

// resentNote finds the note a sign form with the one-time id token made
// before: on a poor connection the phone may send it again after the
// note was made, and must then hear that it was.
func (o *Ops) resentNote(ctx context.Context, woID int64, token string) (repair.DeliveryNote, bool, error) {
	if token == "" {
		return repair.DeliveryNote{}, false, nil
	}
	if err := checkClientID(token); err != nil {
		return repair.DeliveryNote{}, false, err
	}
	kind, id, err := o.db.FormSubmission(ctx, token)
	switch {
	case errors.Is(err, repair.ErrNotFound):
		return repair.DeliveryNote{}, false, nil
	case err != nil:
		return repair.DeliveryNote{}, false, err
	case kind != "delivery_note":
		return repair.DeliveryNote{}, false, repair.FieldErrors{"client_id": "Formuläret skickades redan för något annat. Ladda om sidan och försök igen."}
	}
	notes, err := o.db.DeliveryNotes(ctx, repair.StaffScope(), woID)
	if err != nil {
		return repair.DeliveryNote{}, false, err
	}
	for _, n := range notes {
		if n.ID == id {
			return n, true, nil
		}
	}
	return repair.DeliveryNote{}, false, repair.FieldErrors{"client_id": "Formuläret hör till en annan arbetsorder. Ladda om sidan och försök igen."}
}
