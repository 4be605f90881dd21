package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"kundportal/internal/filestore"
	"kundportal/internal/links"
	"kundportal/internal/repair"
	"kundportal/internal/store"
)

// caseView is everything the case page shows.
type caseView struct {
	Case       repair.Case
	History    []repair.StatusChange
	WorkOrders []workOrderView
	Files      []repair.File
	TotalOre   int64
}

type workOrderView struct {
	repair.WorkOrder
	Actions []repair.Action
	Costs   []repair.CostLine
}

type casePage struct {
	basePage
	caseView
	Forms customerForms // the customer's own forms (see customercase.go)
}

// caseFactsView is what the case-facts partial shows: the case, its status
// history, and where its links lead for this reader.
type caseFactsView struct {
	Case     repair.Case
	History  []repair.StatusChange
	BackURL  string
	AssetURL string // the machine's page for this reader; empty: no link
	// Access is Huvudnyckel in full, once the reader asked to see it and
	// may; RevealURL is where to ask, for readers who may.
	Access, RevealURL string
}

func (v caseView) facts(back string) caseFactsView {
	return caseFactsView{Case: v.Case, History: v.History, BackURL: back}
}

// caseWorkView is what the case-work partial shows: the work orders with
// their actions and costs, the total, and for the office each work
// order's forms.
type caseWorkView struct {
	WorkOrders []workOrderCard
	TotalOre   int64
}

type workOrderCard struct {
	workOrderView
	Forms *workOrderForms // nil where no forms are shown
}

func (v caseView) work(forms func(workOrderView) *workOrderForms) caseWorkView {
	out := caseWorkView{TotalOre: v.TotalOre}
	for _, wo := range v.WorkOrders {
		c := workOrderCard{workOrderView: wo}
		if forms != nil {
			c.Forms = forms(wo)
		}
		out.WorkOrders = append(out.WorkOrders, c)
	}
	return out
}

// Facts is the case's facts as the customer sees them, linking to the
// machine's history.
func (p *casePage) Facts() caseFactsView {
	v := p.facts("/sok-arende")
	if p.Case.AssetID != 0 {
		v.AssetURL = links.Asset(p.Case.AssetID)
	}
	return v
}

// Work is the case's work orders as the customer sees them.
func (p *casePage) Work() caseWorkView { return p.work(nil) }

// casePageView loads the case named by the path's {id} as the signed-in
// customer may see it.
func (s *server) casePageView(r *http.Request) (caseView, error) {
	id, err := pathID(r)
	if err != nil {
		return caseView{}, err
	}
	return s.loadCase(r.Context(), repair.ScopeFor(userOf(r)), id)
}

// loadCase fetches a case through scope with its history, work orders,
// actions, costs and files, each as the scope sees them (a customer's
// hides internal actions and costs), in one read (store.CaseDetail).
func (s *server) loadCase(ctx context.Context, scope repair.Scope, id int64) (caseView, error) {
	d, err := s.db.CaseDetail(ctx, scope, id)
	if err != nil {
		return caseView{}, err
	}
	v := caseView{Case: d.Case, History: d.History, Files: d.Files}
	for _, wo := range d.WorkOrders {
		wv := workOrderView{WorkOrder: wo}
		for _, a := range d.Actions {
			if a.WorkOrderID == wo.ID {
				wv.Actions = append(wv.Actions, a)
			}
		}
		for _, l := range d.Costs {
			if l.WorkOrderID == wo.ID {
				wv.Costs = append(wv.Costs, l)
				v.TotalOre += l.AmountOre
			}
		}
		v.WorkOrders = append(v.WorkOrders, wv)
	}
	return v, nil
}

func (s *server) showCase(w http.ResponseWriter, r *http.Request) error {
	v, err := s.casePageView(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "portal/case.html", (&casePage{
		basePage: s.base(r, "Ärende "+v.Case.Number), caseView: v,
	}).withForms())
}

// caseActions is Se åtgärder: the case's work orders, actions and costs
// on a page of their own or, for the list's script (?del=1), as a fragment.
func (s *server) caseActions(w http.ResponseWriter, r *http.Request) error {
	v, err := s.casePageView(r)
	if err != nil {
		return err
	}
	p := &casePage{basePage: s.base(r, "Åtgärder "+v.Case.Number), caseView: v}
	if r.URL.Query().Get("del") == "1" {
		return s.renderFragment(w, "portal/actions.html", "case-work", p.Work())
	}
	return s.render(w, r, http.StatusOK, "portal/actions.html", p)
}

// caseFiles is Se filer: the case's files, with the signed delivery note.
func (s *server) caseFiles(w http.ResponseWriter, r *http.Request) error {
	v, err := s.casePageView(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "portal/files.html", &casePage{basePage: s.base(r, "Filer "+v.Case.Number), caseView: v})
}

type assetsPage struct {
	basePage
	Query  string
	Assets []repair.Asset
	More   bool
}

// maxAssetList is how many machines the Objekt list shows before asking
// for a narrower search.
const maxAssetList = 200

func (s *server) listAssets(w http.ResponseWriter, r *http.Request) error {
	q := truncate(strings.TrimSpace(r.URL.Query().Get("q")), 100)
	as, err := s.db.SearchAssets(r.Context(), repair.ScopeFor(userOf(r)), q, maxAssetList+1)
	if err != nil {
		return err
	}
	p := &assetsPage{basePage: s.base(r, "Objekt"), Query: q, Assets: as}
	if len(as) > maxAssetList {
		p.Assets, p.More = as[:maxAssetList], true
	}
	return s.render(w, r, http.StatusOK, "portal/assets.html", p)
}

type assetPage struct {
	basePage
	Asset repair.Asset
	// The figures are over the machine's whole history, computed by the
	// database; the lists below them are one page of it.
	store.AssetFigures
	Cases   []assetCase
	Actions []store.AssetAction // those of Cases
	// CaseRows and ActionRows are Cases and Actions as HTML (caserows.go).
	CaseRows, ActionRows template.HTML
	// OlderURL is Visa äldre, the next page of older cases (empty on the
	// last); NewestURL leads back to the newest from an older page.
	OlderURL, NewestURL string
}

type assetCase struct {
	repair.Case
	CostOre int64
}

// assetHistoryPage is how many cases a machine's page lists at a time.
const assetHistoryPage = 25

// showAsset is a machine's page: its facts, the number of faults in the
// last 12 months and its costs over its life, and its history newest
// first, a page at a time (?fore= continues with the cases registered
// before the cursor's), with the actions of the cases listed.
func (s *server) showAsset(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		return err
	}
	scope := repair.ScopeFor(userOf(r))
	a, err := s.db.Asset(ctx, scope, id)
	if err != nil {
		return err
	}
	fore := r.URL.Query().Get("fore")
	res, err := s.db.SearchCases(ctx, scope, repair.CaseFilter{AssetID: a.ID, Cursor: fore, Limit: assetHistoryPage, NoCount: true})
	if errors.Is(err, store.ErrBadCursor) {
		// An edited or foreign cursor names no page of this history.
		return fmt.Errorf("%w: %w", errNotFound, err)
	}
	if err != nil {
		return err
	}
	p := &assetPage{basePage: s.base(r, "Objekt "+a.Number), Asset: a}
	// The last 12 months from the start of today's date a year ago, so
	// that the figures of a day are the same all day (the store keeps
	// them until the customer's next change).
	if p.AssetFigures, err = s.db.AssetFigures(ctx, scope, a.ID, repair.Midnight(s.db.Now()).AddDate(-1, 0, 0)); err != nil {
		return err
	}
	ids := make([]int64, len(res.Cases))
	for i, c := range res.Cases {
		ids[i] = c.ID
	}
	if p.Actions, err = s.db.AssetActions(ctx, scope, a.ID, ids); err != nil {
		return err
	}
	// A case's row keeps its customer-visible costs, which are what the
	// customer sees.
	p.Cases = make([]assetCase, len(res.Cases))
	for i, c := range res.Cases {
		p.Cases[i] = assetCase{Case: c, CostOre: repair.CostTotal(c.Costs)}
	}
	if res.Next != "" {
		p.OlderURL = links.Asset(a.ID) + "?" + url.Values{"fore": {res.Next}}.Encode() + "#arenden"
	}
	if fore != "" {
		p.NewestURL = links.Asset(a.ID) + "#arenden"
	}
	p.CaseRows, p.ActionRows = assetCaseRows(p.Cases), assetActionRows(p.Actions)
	return s.render(w, r, http.StatusOK, "portal/asset.html", p)
}

// inlineTypes may be shown in the browser; anything else is downloaded.
// A PDF may carry scripts and forms that the browser's viewer runs, so an
// uploaded one is downloaded too; only the delivery notes the product
// renders and signs itself open in the browser (inline).
var inlineTypes = map[string]bool{"image/png": true, "image/jpeg": true, "image/webp": true}

// opensInline reports whether the browser may show f rather than save it.
func opensInline(f repair.File) bool {
	return inlineTypes[f.ContentType] || f.Kind == repair.FileDeliveryNote && f.ContentType == "application/pdf"
}

// pathFile loads the file named by the path's {id}, if the user may see
// it.
func (s *server) pathFile(r *http.Request) (repair.File, error) {
	id, err := pathID(r)
	if err != nil {
		return repair.File{}, err
	}
	return s.db.File(r.Context(), repair.ScopeFor(userOf(r)), id)
}

// serveBlob writes the stored bytes with the given headers; a missing blob
// behind existing metadata is logged and answered as not found.
func (s *server) serveBlob(w http.ResponseWriter, r *http.Request, f repair.File, sum string, header map[string]string) error {
	blob, err := s.files.Open(sum)
	if errors.Is(err, filestore.ErrNotFound) {
		s.log.Error("file metadata without blob", "file", f.ID, "sha256", sum)
		return errNotFound
	}
	if err != nil {
		return err
	}
	defer blob.Close()
	for k, v := range header {
		w.Header().Set(k, v)
	}
	http.ServeContent(w, r, "", f.CreatedAt, blob)
	return nil
}

func (s *server) downloadFile(w http.ResponseWriter, r *http.Request) error {
	f, err := s.pathFile(r)
	if err != nil {
		return err
	}
	disposition := "attachment"
	ctype := "application/octet-stream"
	if opensInline(f) {
		disposition, ctype = "inline", f.ContentType
	}
	return s.serveBlob(w, r, f, f.SHA256, map[string]string{
		"Content-Type":        ctype,
		"Content-Disposition": mime.FormatMediaType(disposition, map[string]string{"filename": safeFileName(f.Name)}),
		"Cache-Control":       "private, no-store",
	})
}

// safeFileName keeps a stored file name fit for a header: no path, no
// control characters, not empty.
func safeFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' {
			return -1
		}
		return r
	}, name)
	if strings.Trim(name, ". ") == "" {
		return "fil"
	}
	return name
}

// userOf is the signed-in user; routes behind require always have one.
func userOf(r *http.Request) repair.User {
	sess, _ := sessionFrom(r.Context())
	return sess.user
}
