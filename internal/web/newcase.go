package web

import (
	"errors"
	"fmt"
	"mime"
	"mime/multipart"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"kundportal/internal/auth"
	"kundportal/internal/links"
	"kundportal/internal/orders"
	"kundportal/internal/repair"
	"kundportal/internal/sv"
	"kundportal/internal/upload"
)

// Actions of the Nytt ärende form besides saving. They let a person find
// and choose a machine without JavaScript: the whole form is posted back
// and shown again with its values kept.
const (
	actionSearchAsset = "sok-objekt"
	actionChooseAsset = "valj-objekt"
	actionClearAsset  = "ta-bort-objekt"
	// actionUseAsset, followed by a field's name, takes the chosen
	// machine's value for that field: the offer shown next to a field
	// whose typed value differs from the machine's.
	actionUseAsset = "anvand-objektets:"
)

// maxCaseFormBytes bounds the Nytt ärende form with its photos: each may
// be as large as one of the office's uploads, and the fields get the
// room of a form without files. Larger photos are refused one by one with
// a message (upload.CheckFile); only a body past this bound loses the
// form.
const maxCaseFormBytes = orders.MaxCasePhotos*upload.MaxSize + 1<<20

// caseForm is the Nytt ärende form as entered.
type caseForm struct {
	repair.CaseInput
	AssetID    int64 // 0: none chosen; -1: an unusable id was posted
	AssetQuery string
	Token      string
	// PhotosAgain is how many photos came with a post that did not save
	// the case; a browser cannot put them back into the file field, so
	// the page asks for them again.
	PhotosAgain int
}

type newCasePage struct {
	basePage
	Form         caseForm
	Errors       repair.FieldErrors
	Asset        *repair.Asset  // the chosen machine
	AssetResults []repair.Asset // matches of a search, without JavaScript
	AssetMore    bool           // the search found more than AssetResults
	Searched     bool
	Contracts    []repair.Contract
	InvoiceRefs  []string
	CaseType     string
	PhotoAccept  string
	MaxPhotos    int
}

// errorOrder lists the form's fields in page order, for the summary.
var errorOrder = []struct{ field, label string }{
	{repair.FieldTitle, "Ort / Titel"}, {repair.FieldDescription, "Beskrivning"}, {repair.FieldAsset, "Objekt"},
	{repair.FieldSiteName, "Kund"}, {repair.FieldStreet, "Gata"}, {repair.FieldReporterName, "Anmälare"},
	{repair.FieldReporterPhone, "Tel anmälare"}, {repair.FieldSitePhone1, "Tel 1 kund"}, {repair.FieldSitePhone2, "Tel 2 kund"},
	{repair.FieldPostalCode, "Postnr"}, {repair.FieldCity, "Ort"}, {repair.FieldAccess, "Huvudnyckel"},
	{repair.FieldDoorCode, "Portkod"}, {repair.FieldContractNumber, "Avtal"}, {repair.FieldInvoiceReference, "Fakturamärkning"},
	{repair.FieldPhotos, "Foton"},
}

type errorLink struct{ Field, Label, Message string }

// ErrorList is the page's messages in field order, for the summary at the
// top that links to each field.
func (p *newCasePage) ErrorList() []errorLink {
	var out []errorLink
	for _, f := range errorOrder {
		if msg, ok := p.Errors[f.field]; ok {
			id := f.field
			if id == repair.FieldAsset {
				id = "asset_query" // the picker's field; "asset" names no element
			}
			out = append(out, errorLink{id, f.label, msg})
		}
	}
	return out
}

func (s *server) newCasePage(r *http.Request, form caseForm) *newCasePage {
	return &newCasePage{basePage: s.base(r, "Nytt ärende"), Form: form, Errors: repair.FieldErrors{},
		CaseType: repair.PortalCaseType, PhotoAccept: upload.AcceptImages, MaxPhotos: orders.MaxCasePhotos}
}

// renderNewCase shows the form, with the customer's contracts and earlier
// Fakturamärkning values to choose from. They are read here, only when
// the form is shown, not on a successful save.
func (s *server) renderNewCase(w http.ResponseWriter, r *http.Request, status int, p *newCasePage) error {
	u := userOf(r)
	scope := repair.ScopeFor(u)
	var err error
	if p.Contracts, err = s.db.Contracts(r.Context(), scope, u.CustomerID); err != nil {
		return err
	}
	if p.InvoiceRefs, err = s.db.InvoiceReferences(r.Context(), scope, u.CustomerID, 50); err != nil {
		return err
	}
	return s.render(w, r, status, "portal/new_case.html", p)
}

// newCase shows an empty form, with the user's own name and phone as
// Anmälare, and, for a link from a machine's QR label (?objekt=NUMBER),
// that machine chosen.
func (s *server) newCase(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	form := caseForm{Token: auth.NewFormID()}
	form.ReporterName = firstNonEmpty(u.ReporterName, u.Name)
	form.ReporterPhone = sv.Phone(firstNonEmpty(u.ReporterPhone, u.Phone))
	p := s.newCasePage(r, form)
	if number := r.URL.Query().Get("objekt"); number != "" {
		a, err := s.db.AssetByNumber(r.Context(), repair.ScopeFor(u), number)
		switch {
		case errors.Is(err, repair.ErrNotFound):
			p.Form.AssetQuery = truncate(number, 40)
			p.Errors.Add(repair.FieldAsset, "Objektet hittades inte bland era objekt. Sök fram maskinen eller fyll i uppgifterna själv.")
		case err != nil:
			return err
		default:
			p.choose(a)
		}
	}
	return s.renderNewCase(w, r, http.StatusOK, p)
}

// choose makes a the case's machine and fills in what is known about it
// where the person has typed nothing; typed values stay, and the page
// offers the machine's next to them.
func (p *newCasePage) choose(a repair.Asset) {
	p.Asset = &a
	p.Form.AssetID = a.ID
	p.Form.AssetQuery = ""
	p.Form.FillFromAsset(a)
}

var tokenPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)

func parseCaseForm(r *http.Request) caseForm {
	v := r.PostFormValue
	f := caseForm{
		CaseInput: repair.CaseInput{
			Title: v("title"), Description: v("description"), SiteName: v("site_name"), Street: v("street"),
			ReporterName: v("reporter_name"), ReporterPhone: v("reporter_phone"), SitePhone1: v("site_phone1"),
			SitePhone2: v("site_phone2"), PostalCode: v("postal_code"), City: v("city"), Access: v("access"),
			DoorCode: v("door_code"), ContractNumber: v("contract_number"), InvoiceReference: v("invoice_reference"),
		},
		AssetQuery: truncate(v("asset_query"), 100),
		Token:      v("token"),
	}
	if raw := v("asset_id"); raw != "" {
		// Anything but a positive id reads as a machine that is not found.
		if f.AssetID, _ = strconv.ParseInt(raw, 10, 64); f.AssetID <= 0 {
			f.AssetID = -1
		}
	}
	if !tokenPattern.MatchString(f.Token) {
		f.Token = ""
	}
	return f
}

// readCaseForm reads the form, which comes as multipart (it carries the
// photos) from the page and may come URL-encoded from other clients, and
// returns the photos chosen; the caller defers cleanup, which removes the
// photos' temporary files. checkInput parses and cleans URL-encoded forms
// only, so here a multipart form's values are cleaned the same way and
// held to the same bound. ok is false when the form could not be read and
// a page saying so has been sent.
func (s *server) readCaseForm(w http.ResponseWriter, r *http.Request) (photos []*multipart.FileHeader, cleanup func(), ok bool) {
	cleanup = func() {}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "multipart/form-data" {
		return nil, cleanup, true
	}
	tooLarge := func() {
		s.renderMessage(w, r, http.StatusRequestEntityTooLarge, "För stort formulär",
			fmt.Sprintf("Formuläret var för stort och sparades inte. Gå tillbaka och bifoga högst %d bilder på högst 20 MB var, eller korta texten.", orders.MaxCasePhotos))
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxCaseFormBytes)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		if r.MultipartForm != nil {
			r.MultipartForm.RemoveAll()
		}
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) || errors.Is(err, multipart.ErrMessageTooLarge) {
			tooLarge()
		} else {
			s.renderMessage(w, r, http.StatusBadRequest, "Formuläret kunde inte tas emot",
				"Formuläret kom inte fram helt. Gå tillbaka och försök igen.")
		}
		return nil, cleanup, false
	}
	cleanup = func() { r.MultipartForm.RemoveAll() }
	if cleanMultipart(r) > maxFormBytes {
		tooLarge()
		return nil, cleanup, false
	}
	// A file field with nothing chosen is sent as a part without a file
	// name, which the parser keeps as a value, not as a file.
	for _, h := range r.MultipartForm.File["photos"] {
		if h.Filename != "" || h.Size > 0 {
			photos = append(photos, h)
		}
	}
	return photos, cleanup, true
}

// createCase handles every button of the form: searching for and choosing
// a machine, taking a machine's value for a field (the form comes back
// with its values kept), and Spara.
func (s *server) createCase(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userOf(r)
	scope := repair.ScopeFor(u)
	photos, cleanup, ok := s.readCaseForm(w, r)
	defer cleanup()
	if !ok {
		return nil
	}
	form := parseCaseForm(r)
	if form.Token == "" {
		form.Token = auth.NewFormID()
	}
	p := s.newCasePage(r, form)

	// The chosen machine must be one of the customer's own; another
	// customer's id reads exactly like a missing one.
	if form.AssetID != 0 {
		a, err := s.db.Asset(ctx, scope, form.AssetID)
		switch {
		case errors.Is(err, repair.ErrNotFound):
			p.Form.AssetID = 0
			p.Errors.Add(repair.FieldAsset, "Objektet hittades inte bland era objekt.")
		case err != nil:
			return err
		default:
			p.Asset = &a
		}
	}

	// Every action but Spara shows the form again, without the photos.
	again := func() error {
		p.Form.PhotosAgain = len(photos)
		return s.renderNewCase(w, r, http.StatusOK, p)
	}
	search := func() error {
		p.Searched = true
		as, err := s.db.SearchAssets(ctx, scope, p.Form.AssetQuery, assetPickerLimit+1)
		if err != nil {
			return err
		}
		if len(as) > assetPickerLimit {
			as, p.AssetMore = as[:assetPickerLimit], true
		}
		p.AssetResults = as
		return nil
	}
	action := r.PostFormValue("action")
	switch {
	case action == actionSearchAsset:
		if err := search(); err != nil {
			return err
		}
		return again()
	case action == actionChooseAsset:
		id, _ := strconv.ParseInt(r.PostFormValue("asset_choice"), 10, 64)
		a, err := s.db.Asset(ctx, scope, id)
		switch {
		case errors.Is(err, repair.ErrNotFound):
			// Nothing is chosen for the person: the list comes back.
			p.Errors.Add(repair.FieldAsset, "Välj ett objekt i listan.")
			if err := search(); err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			p.choose(a)
		}
		return again()
	case action == actionClearAsset:
		p.Asset, p.Form.AssetID = nil, 0
		return again()
	case strings.HasPrefix(action, actionUseAsset):
		if p.Asset != nil {
			p.Form.UseAssetValue(*p.Asset, strings.TrimPrefix(action, actionUseAsset))
		}
		return again()
	}

	in := orders.CaseInput{CaseInput: form.CaseInput, AssetID: form.AssetID, Token: form.Token}
	for _, h := range photos {
		f, err := h.Open()
		if err != nil {
			return fmt.Errorf("web: open photo: %w", err)
		}
		defer f.Close()
		in.Photos = append(in.Photos, orders.Photo{Name: h.Filename, Body: f})
	}
	id, err := s.ops.FileCase(ctx, u, in)
	return s.answer(w, r, err, links.Case(id), "ny-arende", func(fe repair.FieldErrors) error {
		for k, v := range fe {
			p.Errors.Add(k, v)
		}
		if p.Errors[repair.FieldPhotos] == "" {
			p.Form.PhotosAgain = len(photos)
		}
		return s.renderNewCase(w, r, http.StatusUnprocessableEntity, p)
	})
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// truncate cuts s to at most n runes.
func truncate(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}
