package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"kundportal/internal/repair"
)

type customerAssetsPage struct {
	basePage
	FormState
	Customer  repair.Customer
	Contracts []repair.Contract
	Query     string
	Assets    []repair.Asset
	More      bool
	Import    *importPreview
}

func (s *server) customerAssets(w http.ResponseWriter, r *http.Request) error {
	return s.renderCustomerAssets(w, r, http.StatusOK, FormState{}, nil)
}

func (s *server) renderCustomerAssets(w http.ResponseWriter, r *http.Request, status int, st FormState, imp *importPreview) error {
	ctx := r.Context()
	c, err := s.pathCustomer(r)
	if err != nil {
		return err
	}
	q := truncate(strings.TrimSpace(r.URL.Query().Get("q")), 100)
	p := &customerAssetsPage{basePage: s.base(r, "Objekt – "+c.Name), FormState: st, Customer: c, Query: q, Import: imp}
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
	a, err := s.ops.CreateAsset(r.Context(), userOf(r), id, assetInput(r))
	if fe, ok := fieldErrors(err); ok {
		return s.renderCustomerAssets(w, r, http.StatusUnprocessableEntity, failed(r, "asset", fe), nil)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/order/kunder/%d/objekt?q=%s", id, url.QueryEscape(a.Number)), http.StatusSeeOther)
	return nil
}

type assetEditPage struct {
	basePage
	FormState
	Asset     repair.Asset
	Contracts []repair.Contract
	Audit     []repair.AuditEntry
}

// V is the edit form's value: what was entered if saving failed,
// otherwise what is saved.
func (p *assetEditPage) V(name string) string {
	if p.Form == "asset" {
		return p.Values[name]
	}
	a := p.Asset
	return map[string]string{"number": a.Number, "kind": a.Kind, "brand": a.Brand, "model": a.Model, "serial_number": a.SerialNumber,
		"site_name": a.SiteName, "street": a.Street, "postal_code": a.PostalCode, "city": a.City, "location": a.Location,
		"contract_number": a.ContractNumber, "installed_on": a.InstalledOn}[name]
}

func (s *server) editAsset(w http.ResponseWriter, r *http.Request) error {
	return s.renderAssetEdit(w, r, http.StatusOK, FormState{})
}

func (s *server) renderAssetEdit(w http.ResponseWriter, r *http.Request, status int, st FormState) error {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a, err := s.db.Asset(ctx, repair.StaffScope(), id)
	if err != nil {
		return err
	}
	p := &assetEditPage{basePage: s.base(r, "Objekt "+a.Number), FormState: st, Asset: a}
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
	a, err := s.ops.UpdateAsset(r.Context(), userOf(r), id, assetInput(r))
	if fe, ok := fieldErrors(err); ok {
		return s.renderAssetEdit(w, r, http.StatusUnprocessableEntity, failed(r, "asset", fe))
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/order/objekt/%d", a.ID), http.StatusSeeOther)
	return nil
}

// AssetField is a field of the new-machine form.
func (p *customerAssetsPage) AssetField(name, label string) fieldView {
	return formField(p.FormState, "asset", name, label, "")
}

// AssetField is a field of the machine's edit form.
func (p *assetEditPage) AssetField(name, label string) fieldView {
	return fieldView{ID: "asset-" + name, Name: name, Label: label, Value: p.V(name), Error: p.Err("asset", name)}
}
