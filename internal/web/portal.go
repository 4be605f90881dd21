package web

import (
	"errors"
	"mime"
	"net/http"
	"strings"

	"kundportal/internal/filestore"
	"kundportal/internal/repair"
)

// comingPage is a tab whose content is not built yet; it says so plainly.
type comingPage struct {
	basePage
	Intro string
}

func (s *server) invoiceSpec(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "portal/coming.html", &comingPage{
		basePage: s.base(r, "Fakturaspecifikation"),
		Intro:    "Fakturaspecifikationen används inte ännu.",
	})
}

func (s *server) dashboard(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "portal/coming.html", &comingPage{
		basePage: s.base(r, "Dashboard"),
		Intro:    "Statistik över utförda ärenden kommer här.",
	})
}

type searchPage struct {
	basePage
	Cases []repair.Case
}

// searchCases shows the customer's latest cases until the full search is
// built.
func (s *server) searchCases(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	cases, err := s.db.RecentCases(r.Context(), repair.ScopeFor(u), 25)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "portal/search.html", &searchPage{basePage: s.base(r, "Sök ärende"), Cases: cases})
}

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
	Staff     bool
	Confirmed bool // just filed: show the confirmation
}

// loadCase fetches a case through scope and then its history, work orders,
// actions, costs and files; customerView hides internal actions and costs.
func (s *server) loadCase(r *http.Request, scope repair.Scope, customerView bool) (caseView, error) {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		return caseView{}, err
	}
	c, err := s.db.Case(ctx, scope, id)
	if err != nil {
		return caseView{}, err
	}
	v := caseView{Case: c}
	if v.History, err = s.db.StatusHistory(ctx, c.ID); err != nil {
		return v, err
	}
	wos, err := s.db.WorkOrders(ctx, c.ID)
	if err != nil {
		return v, err
	}
	actions, err := s.db.Actions(ctx, c.ID, customerView)
	if err != nil {
		return v, err
	}
	costs, err := s.db.CostLines(ctx, c.ID, customerView)
	if err != nil {
		return v, err
	}
	for _, wo := range wos {
		wv := workOrderView{WorkOrder: wo}
		for _, a := range actions {
			if a.WorkOrderID == wo.ID {
				wv.Actions = append(wv.Actions, a)
			}
		}
		for _, l := range costs {
			if l.WorkOrderID == wo.ID {
				wv.Costs = append(wv.Costs, l)
				v.TotalOre += l.AmountOre
			}
		}
		v.WorkOrders = append(v.WorkOrders, wv)
	}
	if v.Files, err = s.db.CaseFiles(ctx, scope, c.ID); err != nil {
		return v, err
	}
	return v, nil
}

func (s *server) showCase(w http.ResponseWriter, r *http.Request) error {
	v, err := s.loadCase(r, repair.ScopeFor(userOf(r)), true)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "portal/case.html", &casePage{
		basePage: s.base(r, "Ärende "+v.Case.Number), caseView: v,
		Confirmed: r.URL.Query().Has("ny"),
	})
}

type assetPage struct {
	basePage
	Asset repair.Asset
	Cases []repair.Case
}

func (s *server) showAsset(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	scope := repair.ScopeFor(userOf(r))
	a, err := s.db.Asset(r.Context(), scope, id)
	if err != nil {
		return err
	}
	cases, err := s.db.AssetCases(r.Context(), scope, a.ID)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "portal/asset.html", &assetPage{basePage: s.base(r, "Objekt "+a.Number), Asset: a, Cases: cases})
}

// inlineTypes may be shown in the browser; anything else is downloaded.
var inlineTypes = map[string]bool{"application/pdf": true, "image/png": true, "image/jpeg": true, "image/webp": true}

func (s *server) downloadFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	f, err := s.db.File(r.Context(), repair.ScopeFor(userOf(r)), id)
	if err != nil {
		return err
	}
	blob, err := s.files.Open(f.SHA256)
	if errors.Is(err, filestore.ErrNotFound) {
		s.log.Error("file metadata without blob", "file", f.ID)
		return errNotFound
	}
	if err != nil {
		return err
	}
	defer blob.Close()
	disposition := "attachment"
	ctype := "application/octet-stream"
	if inlineTypes[f.ContentType] {
		disposition, ctype = "inline", f.ContentType
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": safeFileName(f.Name)}))
	w.Header().Set("Cache-Control", "private, no-store")
	http.ServeContent(w, r, "", f.CreatedAt, blob)
	return nil
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
