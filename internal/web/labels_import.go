package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"kundportal/internal/inventory"
	"kundportal/internal/labels"
	"kundportal/internal/links"
	"kundportal/internal/orders"
	"kundportal/internal/repair"
	"kundportal/internal/upload"
)

// printLabels returns a PDF sheet of object labels for the chosen machines
// of a customer, each with a QR code that opens Nytt ärende for it.
func (s *server) printLabels(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, err := s.pathCustomer(r)
	if err != nil {
		return err
	}
	var ls []labels.Label
	for _, raw := range r.URL.Query()["id"] {
		assetID, _ := strconv.ParseInt(raw, 10, 64)
		a, err := s.db.Asset(ctx, repair.CustomerScope(c.ID), assetID)
		if errors.Is(err, repair.ErrNotFound) {
			continue // not this customer's machine: never on its sheet
		}
		if err != nil {
			return err
		}
		place := strings.TrimPrefix(strings.Join([]string{a.Street, a.Location}, ", "), ", ")
		ls = append(ls, labels.Label{Number: a.Number, Kind: a.Kind, Brand: a.Brand, Place: place,
			URL: s.baseURL(r).Abs(links.NewCaseFor(a.Number))})
		if len(ls) == labels.MaxLabels {
			break
		}
	}
	if len(ls) == 0 {
		http.Redirect(w, r, fmt.Sprintf("/order/kunder/%d/objekt", c.ID), http.StatusSeeOther)
		return nil
	}
	var buf bytes.Buffer
	if err := labels.Sheet(&buf, ls); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": "objektetiketter-" + c.Number + ".pdf"}))
	_, err = buf.WriteTo(w)
	return err
}

// baseURL is the site's address as customers reach it, for the links in
// QR codes: the configured one, else the address of this request.
func (s *server) baseURL(r *http.Request) links.Base {
	if s.publicURL != "" {
		return s.publicURL
	}
	scheme := "http"
	if r.TLS != nil || s.secureCookies {
		scheme = "https"
	}
	return links.NewBase(scheme + "://" + r.Host)
}

// importPreview is a parsed inventory file: shown before anything is
// saved, imported only when every row is valid.
type importPreview struct {
	inventory.Result
	Key string // the stored file, for the confirming POST
}

// importAssets reads a customer's inventory file. The first post shows a
// preview with every row's problems; a confirmed post of a valid file
// imports all rows in one transaction, or none.
func (s *server) importAssets(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, err := s.pathCustomer(r)
	if err != nil {
		return err
	}
	fail := func(msg string) error {
		return s.renderCustomerAssets(w, r, http.StatusUnprocessableEntity, func(p *customerAssetsPage) {
			p.ImportFile = failedForm("import", struct{}{}, repair.FieldErrors{"file": msg})
		}, nil)
	}
	cleanup, err := parseUpload(w, r)
	defer cleanup()
	if err != nil {
		return fail(upload.Message(err))
	}

	var data []byte
	key := r.FormValue("key")
	if key != "" {
		blob, err := s.files.Open(key)
		if err != nil {
			return fail("Filen finns inte längre. Välj den igen.")
		}
		data, err = io.ReadAll(blob)
		blob.Close()
		if err != nil {
			return err
		}
	} else {
		file, _, err := r.FormFile("file")
		if err != nil {
			return fail("Välj en CSV- eller Excel-fil.")
		}
		defer file.Close()
		if data, err = io.ReadAll(file); err != nil {
			return fail(upload.Message(err))
		}
		if key, _, err = s.files.Put(bytes.NewReader(data)); err != nil {
			return err
		}
	}
	res := inventory.Parse(data)
	contracts, err := s.db.Contracts(ctx, repair.StaffScope(), c.ID)
	if err != nil {
		return err
	}
	// Rules that need the database: the contract must be the customer's,
	// and the number must be free.
	for i := range res.Rows {
		row := &res.Rows[i]
		fe := repair.FieldErrors{}
		orders.ResolveContract(&row.Asset, contracts, fe)
		if msg := fe["contract_number"]; msg != "" {
			row.Errors = append(row.Errors, msg)
		}
		if _, err := s.db.AssetByNumber(ctx, repair.StaffScope(), row.Asset.Number); err == nil {
			row.Errors = append(row.Errors, "Objektnummer "+row.Asset.Number+" finns redan i registret.")
		} else if !errors.Is(err, repair.ErrNotFound) {
			return err
		}
	}
	preview := &importPreview{Result: res, Key: key}
	if !res.OK() || r.FormValue("confirm") != "1" {
		status := http.StatusOK
		if !res.OK() {
			status = http.StatusUnprocessableEntity
		}
		return s.renderCustomerAssets(w, r, status, nil, preview)
	}
	assets := make([]repair.Asset, len(res.Rows))
	for i, row := range res.Rows {
		assets[i] = row.Asset
	}
	err = s.ops.ImportAssets(ctx, userOf(r), c.ID, assets)
	if errors.Is(err, orders.ErrImportRace) {
		return fail("Ett objektnummer i filen lades till av någon annan under tiden. Inget importerades; försök igen.")
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/order/kunder/%d/objekt?importerade=%d", c.ID, len(res.Rows)), http.StatusSeeOther)
	return nil
}
