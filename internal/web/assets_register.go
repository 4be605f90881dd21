package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"kundportal/internal/links"
	"kundportal/internal/repair"
)

type customerAssetsPage struct {
	basePage
	New        form[repair.AssetInput]
	ImportFile form[struct{}]
	Customer   repair.Customer
	Contracts  []repair.Contract
	Query      string
	Assets     []repair.Asset
	More       bool
	Import     *importPreview
}

func (s *server) customerAssets(w http.ResponseWriter, r *http.Request) error {
	return s.renderCustomerAssets(w, r, http.StatusOK, nil, nil)
}

// renderCustomerAssets shows a customer's machines with the forms for a
// new one and an import; failed, when not nil, puts back the form that
// failed, and imp is an import's preview.
func (s *server) renderCustomerAssets(w http.ResponseWriter, r *http.Request, status int, failed func(*customerAssetsPage), imp *importPreview) error {
	ctx := r.Context()
	c, err := s.pathCustomer(r)
	if err != nil {
		return err
	}
	q := truncate(strings.TrimSpace(r.URL.Query().Get("q")), 100)
	p := &customerAssetsPage{basePage: s.base(r, "Objekt – "+c.Name), Customer: c, Query: q, Import: imp,
		New: newForm("asset", repair.AssetInput{}), ImportFile: newForm("import", struct{}{})}
	if failed != nil {
		failed(p)
	}
	if n := r.URL.Query().Get("importerade"); n != "" {
		p.Flash = n + " objekt importerades."
	}
	p.Wide = true
	if p.Contracts, err = s.db.Contracts(ctx, repair.StaffScope(), c.ID); err != nil {
		return err
	}
	if p.Assets, err = s.db.SearchAssets(ctx, repair.CustomerScope(c.ID), q, maxAssetList+1); err != nil {
		return err
	}
	if len(p.Assets) > maxAssetList {
		p.Assets, p.More = p.Assets[:maxAssetList], true
	}
	return s.render(w, r, status, "order/assets.html", p)
}

func assetInput(r *http.Request) repair.AssetInput {
	v := r.PostFormValue
	return repair.AssetInput{Number: v("number"), Kind: v("kind"), Brand: v("brand"), Model: v("model"), SerialNumber: v("serial_number"),
		SiteName: v("site_name"), Street: v("street"), PostalCode: v("postal_code"), City: v("city"), Location: v("location"),
		ContractNumber: v("contract_number"), InstalledOn: v("installed_on")}
}

func (s *server) createAsset(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := assetInput(r)
	a, err := s.ops.CreateAsset(r.Context(), userOf(r), id, in)
	return s.answer(w, r, err, fmt.Sprintf("/order/kunder/%d/objekt?q=%s", id, url.QueryEscape(a.Number)), "objekt-nytt", func(fe repair.FieldErrors) error {
		return s.renderCustomerAssets(w, r, http.StatusUnprocessableEntity, func(p *customerAssetsPage) { p.New = failedForm("asset", in, fe) }, nil)
	})
}

type assetEditPage struct {
	basePage
	Form      form[repair.AssetInput]
	Asset     repair.Asset
	Contracts []repair.Contract
	Audit     []repair.AuditEntry
}

func (s *server) editAsset(w http.ResponseWriter, r *http.Request) error {
	return s.renderAssetEdit(w, r, http.StatusOK, nil)
}

// renderAssetEdit shows a machine's edit form: its saved values, or what
// was entered when saving failed.
func (s *server) renderAssetEdit(w http.ResponseWriter, r *http.Request, status int, failed *form[repair.AssetInput]) error {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a, err := s.db.Asset(ctx, repair.StaffScope(), id)
	if err != nil {
		return err
	}
	p := &assetEditPage{basePage: s.base(r, "Objekt "+a.Number), Form: newForm("asset", a.Input()), Asset: a}
	if failed != nil {
		p.Form = *failed
	}
	if p.Contracts, err = s.db.Contracts(ctx, repair.StaffScope(), a.CustomerID); err != nil {
		return err
	}
	if p.Audit, err = s.db.AuditLog(ctx, repair.StaffScope(), "asset", a.ID); err != nil {
		return err
	}
	return s.render(w, r, status, "order/asset.html", p)
}

func (s *server) updateAsset(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := assetInput(r)
	a, err := s.ops.UpdateAsset(r.Context(), userOf(r), id, in)
	return s.answer(w, r, err, links.StaffAsset(a.ID), "objekt", func(fe repair.FieldErrors) error {
		f := failedForm("asset", in, fe)
		return s.renderAssetEdit(w, r, http.StatusUnprocessableEntity, &f)
	})
}
