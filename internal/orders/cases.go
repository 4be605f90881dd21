package orders

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/upload"
)

// CaseInput is a new case: the Nytt ärende fields, the machine, and the
// form's one-time token that makes a resent form find the case the first
// submit created. CustomerID and Type are the office's choice when staff
// register a case on a customer's behalf; a customer always files for
// itself, as a Serviceanmälan.
type CaseInput struct {
	repair.CaseInput
	CustomerID int64
	Type       string
	// AssetID is the machine chosen in the portal's picker: 0 for none,
	// anything that is not one of the customer's machines an error.
	AssetID int64
	// AssetNumber is the machine as the office types it, by its label.
	AssetNumber string
	Token       string
	// Photos are images of the fault or the type plate, at most
	// MaxCasePhotos, saved with the case or not at all.
	Photos []Photo
}

// MaxCasePhotos is how many photos a new case may carry.
const MaxCasePhotos = 5

// Photo is an image attached when a case is filed: the name it came with
// and its bytes.
type Photo struct {
	Name string
	Body io.ReadSeeker
}

// FileCase saves a new case and puts it in the order system's intake,
// once per form token: a double-clicked Spara, or a resent form, returns
// the case the first submit created.
//
// Photos are checked as every upload is (content, size, a thumbnail that
// decodes) together with the fields, so one bad file refuses the whole
// case with a message on "photos". Their bytes go to the file store
// before the case's transaction, and their rows are written in it: a
// case is saved with all its photos or not at all, and a crash leaves at
// most unreferenced blobs.
//
// u is the user as its session read it for this request: its
// MailVersion tells the store whether the recipients it keeps for the
// new case's mail are still the customer's.
func (o *Ops) FileCase(ctx context.Context, u repair.User, in CaseInput) (int64, error) {
	c, fe := in.Validate()
	photos := checkPhotos(in.Photos, fe)
	var custScope repair.Scope
	switch {
	case u.Role.IsCustomer():
		c.CustomerID, c.Type = u.CustomerID, repair.PortalCaseType
		custScope = repair.CustomerScope(u.CustomerID)
	case u.Role.IsStaff():
		if in.CustomerID <= 0 {
			fe.Add("customer_id", "Välj kund.")
		} else if _, err := o.db.Customer(ctx, repair.StaffScope(), in.CustomerID); errors.Is(err, repair.ErrNotFound) {
			fe.Add("customer_id", "Välj kund.")
		} else if err != nil {
			return 0, err
		}
		if !slices.Contains(repair.CaseTypes, in.Type) {
			fe.Add("type", "Välj typ.")
		}
		c.CustomerID, c.Type = in.CustomerID, in.Type
		custScope = repair.CustomerScope(in.CustomerID)
	default:
		return 0, repair.ErrNotFound
	}
	if in.Token == "" {
		return 0, errors.New("orders: file case: no form token")
	}
	c.ReportedBy = u.ID
	if fe["customer_id"] == "" {
		if err := o.caseAsset(ctx, custScope, in, &c, fe); err != nil {
			return 0, err
		}
		if err := o.caseContract(ctx, custScope, &c, fe); err != nil {
			return 0, err
		}
	}
	if err := invalid(fe); err != nil {
		return 0, err
	}
	if err := o.sealAccess(&c); err != nil {
		return 0, err
	}
	received, err := o.draftReceived(ctx, u, c)
	if err != nil {
		return 0, err
	}
	f := store.Filing{Case: c, Token: in.Token, By: u.ID, Mails: received.mails, MailDelay: received.draft.delay}
	for _, up := range photos {
		file, err := o.putUpload(up, repair.FilePhoto, u.ID)
		if err != nil {
			return 0, err
		}
		f.Photos = append(f.Photos, store.FiledPhoto{File: file, Audit: fileAudit(file)})
	}
	if u.Role.IsCustomer() {
		f.Audit = "Serviceanmälan i kundportalen"
		// The portal remembers the reporter for the user's next case:
		// written only when it differs from what the user's session read,
		// mostly not (a statement less for the writer, and on PostgreSQL
		// a round trip). A change another tab made meanwhile may stay;
		// these are the form's suggestions, no more.
		if u.ReporterName != c.ReporterName || u.ReporterPhone != c.ReporterPhone {
			f.Defaults = &store.ReporterDefaults{Name: c.ReporterName, Phone: c.ReporterPhone}
		}
	} else {
		f.Audit = c.Type + " registrerat av kontoret"
	}
	return o.db.FileCase(ctx, &f)
}

// checkPhotos checks a new case's photos as AttachFile checks a photo,
// thumbnail included, and adds one message on repair.FieldPhotos that
// names every file refused; it returns the photos ready to store.
func checkPhotos(photos []Photo, fe repair.FieldErrors) []checked {
	if len(photos) > MaxCasePhotos {
		fe.Add(repair.FieldPhotos, fmt.Sprintf("Välj högst %d bilder.", MaxCasePhotos))
		return nil
	}
	var out []checked
	var msgs []string
	for i, p := range photos {
		var msg string
		up, err := checkUpload(p.Name, p.Body)
		switch {
		case errors.Is(err, upload.ErrNotAllowed), err == nil && !up.t.Image:
			msg = photoOnly
		case err != nil:
			msg = upload.Message(err)
		default:
			if err := up.makeThumbnail(); err != nil {
				msg = upload.Message(err)
			}
		}
		if msg == "" {
			out = append(out, up)
			continue
		}
		msgs = append(msgs, fmt.Sprintf("Bild %d (%s): %s", i+1, upload.SafeName(p.Name, upload.Type{}), msg))
	}
	if len(msgs) > 0 {
		fe.Add(repair.FieldPhotos, strings.Join(msgs, " "))
		return nil
	}
	return out
}

// caseAsset checks that the chosen machine is one of the customer's own;
// another customer's reads exactly like a missing one.
func (o *Ops) caseAsset(ctx context.Context, scope repair.Scope, in CaseInput, c *repair.Case, fe repair.FieldErrors) error {
	var a repair.Asset
	var err error
	switch number := strings.TrimSpace(in.AssetNumber); {
	case in.AssetID != 0:
		if in.AssetID < 0 {
			err = repair.ErrNotFound
		} else {
			a, err = o.db.Asset(ctx, scope, in.AssetID)
		}
		if errors.Is(err, repair.ErrNotFound) {
			fe.Add(repair.FieldAsset, "Objektet hittades inte bland era objekt.")
			return nil
		}
	case number != "":
		if !repair.CleanText(number) || len(number) > 40 {
			err = repair.ErrNotFound
		} else {
			a, err = o.db.AssetByNumber(ctx, scope, number)
		}
		if errors.Is(err, repair.ErrNotFound) {
			fe.Add("asset_number", "Kunden har inget objekt med det numret.")
			return nil
		}
	default:
		return nil
	}
	if err != nil {
		return err
	}
	c.AssetID, c.AssetNumber = a.ID, a.Number
	return nil
}

// caseContract accepts in Avtal only one of the customer's own contracts
// (written as the register writes it); a number it does not have, or
// another customer's, is refused, so staff never see a foreign contract
// on a case.
func (o *Ops) caseContract(ctx context.Context, scope repair.Scope, c *repair.Case, fe repair.FieldErrors) error {
	if c.ContractNumber == "" || fe[repair.FieldContractNumber] != "" {
		return nil
	}
	contracts, err := o.db.Contracts(ctx, scope, c.CustomerID)
	if err != nil {
		return err
	}
	if k, ok := repair.ContractByNumber(contracts, c.ContractNumber); ok {
		c.ContractNumber = k.Number
		return nil
	}
	fe.Add(repair.FieldContractNumber, "Avtalet finns inte bland kundens avtal. Välj ett i listan eller lämna fältet tomt.")
	return nil
}

// SetCaseStatus moves a case along an allowed step, with a note.
func (o *Ops) SetCaseStatus(ctx context.Context, u repair.User, caseID int64, in repair.StatusInput) error {
	if err := staffOnly(u); err != nil {
		return err
	}
	c, err := o.db.Case(ctx, repair.StaffScope(), caseID)
	if err != nil {
		return err
	}
	to, note, fe := in.Validate(c.Status)
	if err := invalid(fe); err != nil {
		return err
	}
	err = o.change(ctx, u, fixed("case", c.ID, "status", c.Status.Label()+" → "+to.Label()), func(tx *store.Tx) error {
		if err := tx.SetCaseStatus(ctx, c.ID, to, u.ID, note, time.Time{}); err != nil {
			return err
		}
		if e, ok := statusMail(to); ok {
			if err := o.caseMails(ctx, tx, e, c, mailExtra{}); err != nil {
				return err
			}
		}
		// Whoever moves the case on has seen what the customer added.
		return tx.SetCustomerNews(ctx, c.ID, false)
	})
	if errors.Is(err, repair.ErrConflict) {
		return repair.FieldErrors{"status": "Ärendets status ändrades nyss av någon annan. Försök igen."}
	}
	if err != nil {
		return fmt.Errorf("orders: set case status: %w", err)
	}
	return nil
}
