package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"kundportal/internal/repair"
	"kundportal/internal/upload"
)

// orderCasePage is a case in the order system: what the customer sees plus
// internal actions and costs, and the forms that move the case on.
type orderCasePage struct {
	basePage
	caseView
	Staff       bool
	Technicians []repair.User
	Audit       []repair.AuditEntry
	FormState   // the form that failed, if one did
	Today       string
	Accept      string // the upload input's accept list
}

func (s *server) orderCasePage(r *http.Request, caseID int64) (*orderCasePage, error) {
	v, err := s.loadCase(r.Context(), repair.StaffScope(), caseID)
	if err != nil {
		return nil, err
	}
	p := &orderCasePage{basePage: s.base(r, "Ärende "+v.Case.Number), caseView: v, Staff: true,
		Today: s.now().In(repair.Stockholm).Format(time.DateOnly), Accept: upload.Accept}
	if p.Technicians, err = s.db.UsersByRole(r.Context(), repair.StaffScope(), repair.RoleTechnician); err != nil {
		return nil, err
	}
	if p.Audit, err = s.db.AuditLog(r.Context(), repair.StaffScope(), "case", v.Case.ID); err != nil {
		return nil, err
	}
	p.Wide = true
	return p, nil
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

// failForm shows the case page again with the failed form's messages and
// entered values (422).
func (s *server) failForm(w http.ResponseWriter, r *http.Request, caseID int64, form string, fe repair.FieldErrors) error {
	p, err := s.orderCasePage(r, caseID)
	if err != nil {
		return err
	}
	p.FormState = failed(r, form, fe)
	return s.render(w, r, http.StatusUnprocessableEntity, "order/case.html", p)
}

// caseFormDone answers an operation on a case: the case page again with
// the form's messages and entered values (422) when the input was wrong,
// otherwise back to the case at anchor.
func (s *server) caseFormDone(w http.ResponseWriter, r *http.Request, caseID int64, form, anchor string, err error) error {
	if fe, ok := fieldErrors(err); ok {
		return s.failForm(w, r, caseID, form, fe)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/order/arenden/%d#%s", caseID, anchor), http.StatusSeeOther)
	return nil
}

// setCaseStatus moves a case along an allowed transition; the domain
// decides which, and a refused step is explained.
func (s *server) setCaseStatus(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	err = s.ops.SetCaseStatus(r.Context(), userOf(r), id, repair.StatusInput{To: r.PostFormValue("status"), Note: r.PostFormValue("note")})
	return s.caseFormDone(w, r, id, "status", "status", err)
}

// createWorkOrder plans a visit: technician, day and time window.
func (s *server) createWorkOrder(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	v := r.PostFormValue
	wo, err := s.ops.PlanWorkOrder(r.Context(), userOf(r), id, repair.WorkOrderInput{TechnicianID: v("technician_id"), Date: v("date"), From: v("from"), Until: v("until")})
	return s.caseFormDone(w, r, id, "workorder", "wo-"+strconv.FormatInt(wo.ID, 10), err)
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
// caseFormDone.
func (s *server) workOrderFormDone(w http.ResponseWriter, r *http.Request, wo repair.WorkOrder, form string, err error) error {
	return s.caseFormDone(w, r, wo.CaseID, fmt.Sprintf("%s-%d", form, wo.ID), "wo-"+strconv.FormatInt(wo.ID, 10), err)
}

// addAction records what was done on a work order.
func (s *server) addAction(w http.ResponseWriter, r *http.Request) error {
	wo, err := s.pathWorkOrder(r)
	if err != nil {
		return err
	}
	v := r.PostFormValue
	_, err = s.ops.RecordAction(r.Context(), userOf(r), wo.ID, repair.ActionInput{
		Date: v("date"), TechnicianID: v("technician_id"), Description: v("description"), Time: v("time"), Visible: v("visible") == "1"})
	return s.workOrderFormDone(w, r, wo, "action", err)
}

// addCostLine records labour, a part, travel or a fee on a work order.
func (s *server) addCostLine(w http.ResponseWriter, r *http.Request) error {
	wo, err := s.pathWorkOrder(r)
	if err != nil {
		return err
	}
	v := r.PostFormValue
	_, err = s.ops.AddCostLine(r.Context(), userOf(r), wo.ID, repair.CostInput{
		Kind: v("kind"), Description: v("description"), Article: v("article"), Quantity: v("quantity"), UnitPrice: v("unit_price"), Visible: v("visible") == "1"})
	return s.workOrderFormDone(w, r, wo, "cost", err)
}

// setWorkOrderStatus moves a work order on: started, done, cancelled.
func (s *server) setWorkOrderStatus(w http.ResponseWriter, r *http.Request) error {
	wo, err := s.pathWorkOrder(r)
	if err != nil {
		return err
	}
	_, err = s.ops.SetWorkOrderStatus(r.Context(), userOf(r), wo.ID, repair.WorkOrderStatus(r.PostFormValue("status")))
	return s.workOrderFormDone(w, r, wo, "wostatus", err)
}
