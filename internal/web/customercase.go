package web

import (
	"net/http"

	"kundportal/internal/links"
	"kundportal/internal/orders"
	"kundportal/internal/repair"
	"kundportal/internal/upload"
)

// The customer's own forms on its case page: add information and photos
// while the case is open, cancel it while it is Registrerad or Mottagen.

// customerForms are those forms, blank or as a refused post left them.
type customerForms struct {
	Note   form[repair.CustomerNoteInput]
	Photo  form[struct{}]
	Cancel form[repair.CustomerCancelInput]
}

func (p *casePage) withForms() *casePage {
	if p.Forms.Note.Name == "" {
		p.Forms = customerForms{Note: newForm("note", repair.CustomerNoteInput{}), Photo: newForm("photo", struct{}{}),
			Cancel: newForm("cancel", repair.CustomerCancelInput{})}
	}
	return p
}

// MayCancel reports whether the case shows the cancel form.
func (p *casePage) MayCancel() bool { return repair.CustomerMayCancel(p.Case.Status) }

// customerCaseDone answers one of the customer's forms: the case page with
// the refused form (422), or back to the case with a confirmation.
func (s *server) customerCaseDone(w http.ResponseWriter, r *http.Request, id int64, anchor, flash string, err error, failed func(*customerForms, repair.FieldErrors)) error {
	return s.answer(w, r, err, links.Case(id)+anchor, flash, func(fe repair.FieldErrors) error {
		v, err := s.casePageView(r)
		if err != nil {
			return err
		}
		p := (&casePage{basePage: s.base(r, "Ärende "+v.Case.Number), caseView: v}).withForms()
		failed(&p.Forms, fe)
		return s.render(w, r, http.StatusUnprocessableEntity, "portal/case.html", p)
	})
}

func (s *server) addCustomerNote(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := repair.CustomerNoteInput{Note: r.PostFormValue("note")}
	err = s.ops.AddCustomerNote(r.Context(), userOf(r), id, in)
	return s.customerCaseDone(w, r, id, "#kundens", "kund-information", err, func(f *customerForms, fe repair.FieldErrors) { f.Note = failedForm("note", in, fe) })
}

func (s *server) addCustomerPhoto(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	// A foreign or missing case answers 404 before the upload is read.
	if _, err := s.db.Case(r.Context(), repair.ScopeFor(userOf(r)), id); err != nil {
		return err
	}
	failed := func(f *customerForms, fe repair.FieldErrors) { f.Photo = failedForm("photo", struct{}{}, fe) }
	cleanup, err := parseUpload(w, r)
	defer cleanup()
	if err != nil {
		return s.customerCaseDone(w, r, id, "#kundens", "", repair.FieldErrors{"file": upload.Message(err)}, failed)
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return s.customerCaseDone(w, r, id, "#kundens", "", repair.FieldErrors{"file": "Välj en bild att ladda upp."}, failed)
	}
	defer file.Close()
	_, err = s.ops.AttachFile(r.Context(), userOf(r), id, orders.FileInput{Kind: repair.FilePhoto, Name: hdr.Filename, Body: file, ClientID: r.FormValue("client_id")})
	return s.customerCaseDone(w, r, id, "#kundens", "fil", err, failed)
}

func (s *server) cancelByCustomer(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := repair.CustomerCancelInput{Reason: r.PostFormValue("reason")}
	err = s.ops.CancelByCustomer(r.Context(), userOf(r), id, in)
	// A cancelled case has no forms left: back to its top, where its
	// status now says Avbruten.
	return s.customerCaseDone(w, r, id, "", "avbrutet", err, func(f *customerForms, fe repair.FieldErrors) { f.Cancel = failedForm("cancel", in, fe) })
}

// seenCustomerNews takes a case off the office's queue of news from
// customers.
func (s *server) seenCustomerNews(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	err = s.ops.SeenCustomerNews(r.Context(), userOf(r), id)
	return s.answer(w, r, err, links.StaffCase(id, ""), "sett", func(repair.FieldErrors) error { return errNotFound })
}
