package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"kundportal/internal/links"
	"kundportal/internal/repair"
	"kundportal/internal/upload"
)

// orderCasePage is a case in the order system: what the customer sees plus
// internal actions and costs, and the forms that move the case on.
type orderCasePage struct {
	basePage
	caseView
	Technicians []repair.User
	Audit       []repair.AuditEntry
	Status      form[repair.StatusInput]
	WorkOrder   form[repair.WorkOrderInput]
	Upload      form[uploadInput]
	// woForms are each work order's forms, by its id.
	woForms   map[int64]*workOrderForms
	Accept    string // the upload input's accept list
	FileKinds []repair.FileKind
	Access    string // Huvudnyckel in full, when the reader asked to see it
}

// uploadInput is the upload form's choices besides the file itself.
type uploadInput struct{ Kind, WorkOrderID string }

// workOrderForms are the office's forms on one work order.
type workOrderForms struct {
	WO          repair.WorkOrder
	Technicians []repair.User
	CostKinds   []repair.CostKind
	Status      form[struct{}]
	Action      form[repair.ActionInput]
	Cost        form[repair.CostInput]
	Reopen      form[reopenInput]
}

// reopenInput is the reason a signed work order is opened for a
// correction.
type reopenInput struct{ Reason string }

func (s *server) orderCasePage(r *http.Request, caseID int64) (*orderCasePage, error) {
	v, err := s.loadCase(r.Context(), repair.StaffScope(), caseID)
	if err != nil {
		return nil, err
	}
	today := s.now().In(repair.Stockholm).Format(time.DateOnly)
	p := &orderCasePage{basePage: s.base(r, "Ärende "+v.Case.Number), caseView: v, Accept: upload.Accept, FileKinds: repair.FileKinds,
		Status:    newForm("status", repair.StatusInput{}),
		WorkOrder: newForm("workorder", repair.WorkOrderInput{Date: today, From: "08:00", Until: "10:00"}),
		Upload:    newForm("upload", uploadInput{Kind: string(repair.FilePhoto)}),
		woForms:   map[int64]*workOrderForms{}}
	if p.Technicians, err = s.db.UsersByRole(r.Context(), repair.StaffScope(), repair.RoleTechnician); err != nil {
		return nil, err
	}
	if p.Audit, err = s.db.AuditLog(r.Context(), repair.StaffScope(), "case", v.Case.ID); err != nil {
		return nil, err
	}
	for _, wo := range v.WorkOrders {
		tech := ""
		if wo.TechnicianID != 0 {
			tech = strconv.FormatInt(wo.TechnicianID, 10)
		}
		p.woForms[wo.ID] = &workOrderForms{WO: wo.WorkOrder, Technicians: p.Technicians, CostKinds: repair.CostKinds,
			Status: newForm("wostatus", struct{}{}),
			Action: newForm("action", repair.ActionInput{Date: today, TechnicianID: tech, Visible: true}),
			Cost:   newForm("cost", repair.CostInput{Kind: string(repair.CostLabour), Quantity: "1", Visible: true}),
			Reopen: newForm(fmt.Sprintf("reopen-%d", wo.ID), reopenInput{})}
	}
	p.Wide = true
	return p, nil
}

// Facts is the case's facts as the office sees them.
func (p *orderCasePage) Facts() caseFactsView {
	v := p.facts("/order")
	if p.Case.AssetID != 0 {
		v.AssetURL = links.StaffAsset(p.Case.AssetID)
	}
	v.Access, v.RevealURL = p.Access, links.StaffCase(p.Case.ID, "")+"/huvudnyckel"
	return v
}

// Work is the case's work orders, each with the office's forms.
func (p *orderCasePage) Work() caseWorkView {
	return p.work(func(wo workOrderView) *workOrderForms { return p.woForms[wo.ID] })
}

func (s *server) staffShowCase(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := s.orderCasePage(r, id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "order/case.html", p)
}

// caseFormDone answers an operation on a case: the case page again with
// the failed form (422) when the input was wrong, otherwise back to the
// case at anchor.
func (s *server) caseFormDone(w http.ResponseWriter, r *http.Request, caseID int64, anchor, flash string, err error, failed func(*orderCasePage, repair.FieldErrors)) error {
	return s.answer(w, r, err, links.StaffCase(caseID, anchor), flash, func(fe repair.FieldErrors) error {
		p, err := s.orderCasePage(r, caseID)
		if err != nil {
			return err
		}
		failed(p, fe)
		return s.render(w, r, http.StatusUnprocessableEntity, "order/case.html", p)
	})
}

// setCaseStatus moves a case along an allowed transition; the domain
// decides which, and a refused step is explained.
func (s *server) setCaseStatus(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := repair.StatusInput{To: r.PostFormValue("status"), Note: r.PostFormValue("note")}
	err = s.ops.SetCaseStatus(r.Context(), userOf(r), id, in)
	return s.caseFormDone(w, r, id, "status", "status", err, func(p *orderCasePage, fe repair.FieldErrors) { p.Status = failedForm("status", in, fe) })
}

// createWorkOrder plans a visit: technician, day and time window.
func (s *server) createWorkOrder(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	v := r.PostFormValue
	in := repair.WorkOrderInput{TechnicianID: v("technician_id"), Date: v("date"), From: v("from"), Until: v("until")}
	wo, err := s.ops.PlanWorkOrder(r.Context(), userOf(r), id, in)
	return s.caseFormDone(w, r, id, "wo-"+strconv.FormatInt(wo.ID, 10), "arbetsorder", err, func(p *orderCasePage, fe repair.FieldErrors) {
		p.WorkOrder = failedForm("workorder", in, fe)
	})
}

// pathWorkOrder loads the work order named by the path's {id}; staff only.
func (s *server) pathWorkOrder(r *http.Request) (repair.WorkOrder, error) {
	id, err := pathID(r)
	if err != nil {
		return repair.WorkOrder{}, err
	}
	return s.db.WorkOrder(r.Context(), repair.StaffScope(), id)
}

// workOrderFormDone answers an operation on a work order, like
// caseFormDone; failed puts the failed form back into the work order's
// forms.
func (s *server) workOrderFormDone(w http.ResponseWriter, r *http.Request, wo repair.WorkOrder, flash string, err error, failed func(*workOrderForms, repair.FieldErrors)) error {
	return s.caseFormDone(w, r, wo.CaseID, "wo-"+strconv.FormatInt(wo.ID, 10), flash, err, func(p *orderCasePage, fe repair.FieldErrors) {
		if f := p.woForms[wo.ID]; f != nil {
			failed(f, fe)
		}
	})
}

// addAction records what was done on a work order.
func (s *server) addAction(w http.ResponseWriter, r *http.Request) error {
	wo, err := s.pathWorkOrder(r)
	if err != nil {
		return err
	}
	v := r.PostFormValue
	in := repair.ActionInput{Date: v("date"), TechnicianID: v("technician_id"), Description: v("description"), Time: v("time"), Visible: v("visible") == "1"}
	_, err = s.ops.RecordAction(r.Context(), userOf(r), wo.ID, in)
	return s.workOrderFormDone(w, r, wo, "atgard", err, func(f *workOrderForms, fe repair.FieldErrors) { f.Action = failedForm("action", in, fe) })
}

// addCostLine records labour, a part, travel or a fee on a work order.
func (s *server) addCostLine(w http.ResponseWriter, r *http.Request) error {
	wo, err := s.pathWorkOrder(r)
	if err != nil {
		return err
	}
	v := r.PostFormValue
	in := repair.CostInput{Kind: v("kind"), Description: v("description"), Article: v("article"), Quantity: v("quantity"), UnitPrice: v("unit_price"), Visible: v("visible") == "1"}
	_, err = s.ops.AddCostLine(r.Context(), userOf(r), wo.ID, in)
	return s.workOrderFormDone(w, r, wo, "kostnad", err, func(f *workOrderForms, fe repair.FieldErrors) { f.Cost = failedForm("cost", in, fe) })
}

// setWorkOrderStatus moves a work order on: started, done, cancelled.
func (s *server) setWorkOrderStatus(w http.ResponseWriter, r *http.Request) error {
	wo, err := s.pathWorkOrder(r)
	if err != nil {
		return err
	}
	_, err = s.ops.SetWorkOrderStatus(r.Context(), userOf(r), wo.ID, repair.WorkOrderStatus(r.PostFormValue("status")))
	return s.workOrderFormDone(w, r, wo, "arbetsorder-status", err, func(f *workOrderForms, fe repair.FieldErrors) { f.Status = failedForm("wostatus", struct{}{}, fe) })
}

// reopenWorkOrder opens a signed work order for a correction; its next
// delivery note replaces the signed one, which stays.
func (s *server) reopenWorkOrder(w http.ResponseWriter, r *http.Request) error {
	wo, err := s.pathWorkOrder(r)
	if err != nil {
		return err
	}
	in := reopenInput{Reason: r.PostFormValue("reason")}
	err = s.ops.ReopenWorkOrder(r.Context(), userOf(r), wo.ID, in.Reason)
	return s.workOrderFormDone(w, r, wo, "arbetsorder-oppnad", err, func(f *workOrderForms, fe repair.FieldErrors) {
		f.Reopen = failedForm(fmt.Sprintf("reopen-%d", wo.ID), in, fe)
	})
}

// revealAccess shows the case page with Huvudnyckel in full; the showing
// is written to the audit log.
func (s *server) revealAccess(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	// Revealed first, so that the page's audit log shows the showing.
	access, err := s.ops.RevealAccess(r.Context(), userOf(r), id)
	if err != nil {
		return err
	}
	p, err := s.orderCasePage(r, id)
	if err != nil {
		return err
	}
	p.Access = access
	return s.render(w, r, http.StatusOK, "order/case.html", p)
}
