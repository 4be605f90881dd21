package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/sv"
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
	v, err := s.loadCase(r.Context(), repair.StaffScope(), caseID, false)
	if err != nil {
		return nil, err
	}
	p := &orderCasePage{basePage: s.base(r, "Ärende "+v.Case.Number), caseView: v, Staff: true,
		Today: s.now().In(repair.Stockholm).Format(time.DateOnly), Accept: upload.Accept}
	if p.Technicians, err = s.db.UsersByRole(r.Context(), repair.RoleTechnician); err != nil {
		return nil, err
	}
	if p.Audit, err = s.db.AuditLog(r.Context(), "case", v.Case.ID); err != nil {
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

func (s *server) redirectToCase(w http.ResponseWriter, r *http.Request, caseID int64, anchor string) {
	http.Redirect(w, r, fmt.Sprintf("/order/arenden/%d#%s", caseID, anchor), http.StatusSeeOther)
}

// setCaseStatus moves a case along an allowed transition; the domain
// decides which, and a refused step is explained.
func (s *server) setCaseStatus(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, err := s.pathStaffCase(r)
	if err != nil {
		return err
	}
	to := repair.Status(r.PostFormValue("status"))
	note := strings.TrimSpace(r.PostFormValue("note"))
	fe := repair.FieldErrors{}
	switch {
	case !to.Valid():
		fe.Add("status", "Välj en status.")
	case !repair.CanTransition(c.Status, to):
		fe.Add("status", fmt.Sprintf("Ärendet kan inte gå från %s till %s.", c.Status.Label(), to.Label()))
	}
	if len([]rune(note)) > 500 {
		fe.Add("note", "Högst 500 tecken.")
	}
	if len(fe) > 0 {
		return s.failForm(w, r, c.ID, "status", fe)
	}
	u := userOf(r)
	err = s.change(r, "case", c.ID, "status", c.Status.Label()+" → "+to.Label(), func(tx *store.Tx) error {
		return tx.SetCaseStatus(ctx, c.ID, to, u.ID, note, time.Time{})
	})
	if errors.Is(err, repair.ErrConflict) {
		// Someone else moved the case meanwhile.
		return s.failForm(w, r, c.ID, "status", repair.FieldErrors{"status": "Ärendets status ändrades nyss av någon annan. Försök igen."})
	}
	if err != nil {
		return err
	}
	s.redirectToCase(w, r, c.ID, "status")
	return nil
}

// createWorkOrder plans a visit: technician, day and time window. A case
// still waiting in the intake becomes Planerad.
func (s *server) createWorkOrder(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, err := s.pathStaffCase(r)
	if err != nil {
		return err
	}
	fe := repair.FieldErrors{}
	wo := repair.WorkOrder{CaseID: c.ID}
	if wo.TechnicianID, err = s.technician(r, r.PostFormValue("technician_id")); err != nil {
		fe.Add("technician_id", "Välj en tekniker.")
	}
	day, err := time.ParseInLocation(time.DateOnly, r.PostFormValue("date"), repair.Stockholm)
	if err != nil {
		fe.Add("date", "Ange datum som ÅÅÅÅ-MM-DD.")
	}
	clock := func(field, v string) time.Duration {
		t, err := time.Parse("15:04", strings.TrimSpace(v))
		if err != nil {
			fe.Add(field, "Ange tid som TT:MM, t.ex. 08:00.")
			return 0
		}
		return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute
	}
	from, until := clock("from", r.PostFormValue("from")), clock("until", r.PostFormValue("until"))
	if len(fe) == 0 && until <= from {
		fe.Add("until", "Sluttiden måste vara efter starttiden.")
	}
	if !c.Status.Open() {
		fe.Add("technician_id", "Ärendet är "+strings.ToLower(c.Status.Label())+"; öppna det igen innan en ny arbetsorder planeras.")
	}
	if len(fe) > 0 {
		return s.failForm(w, r, c.ID, "workorder", fe)
	}
	wo.PlannedStart = day.Add(from)
	wo.PlannedEnd = day.Add(until)
	u := userOf(r)
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.CreateWorkOrder(ctx, &wo); err != nil {
			return err
		}
		if repair.CanTransition(c.Status, repair.StatusPlanned) && (c.Status == repair.StatusRegistered || c.Status == repair.StatusReceived) {
			if err := tx.SetCaseStatus(ctx, c.ID, repair.StatusPlanned, u.ID, "Arbetsorder "+wo.Number, time.Time{}); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, u.ID, "case", c.ID, "work_order", fmt.Sprintf("Arbetsorder %s planerad %s", wo.Number, sv.DateTime(wo.PlannedStart)))
	})
	if err != nil {
		return err
	}
	s.redirectToCase(w, r, c.ID, "wo-"+strconv.FormatInt(wo.ID, 10))
	return nil
}

// technician parses a technician's user id from a form and checks that it
// is one.
func (s *server) technician(r *http.Request, raw string) (int64, error) {
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return 0, errNotFound
	}
	u, err := s.db.User(r.Context(), id)
	if err != nil || u.Role != repair.RoleTechnician {
		return 0, errNotFound
	}
	return u.ID, nil
}

// pathWorkOrder loads the work order named by the path's {id}; staff only.
func (s *server) pathWorkOrder(r *http.Request) (repair.WorkOrder, error) {
	id, err := pathID(r)
	if err != nil {
		return repair.WorkOrder{}, err
	}
	return s.db.WorkOrder(r.Context(), repair.StaffScope(), id)
}

// pathStaffCase loads the case named by the path's {id}; staff only.
func (s *server) pathStaffCase(r *http.Request) (repair.Case, error) {
	id, err := pathID(r)
	if err != nil {
		return repair.Case{}, err
	}
	return s.db.Case(r.Context(), repair.StaffScope(), id)
}

// addAction records what was done on a work order.
func (s *server) addAction(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	wo, err := s.pathWorkOrder(r)
	if err != nil {
		return err
	}
	form := fmt.Sprintf("action-%d", wo.ID)
	fe := repair.FieldErrors{}
	a := repair.Action{WorkOrderID: wo.ID, CustomerVisible: r.PostFormValue("visible") == "1"}
	if d, err := time.Parse(time.DateOnly, r.PostFormValue("date")); err != nil {
		fe.Add("date", "Ange datum som ÅÅÅÅ-MM-DD.")
	} else {
		a.PerformedOn = d.Format(time.DateOnly)
	}
	if a.TechnicianID, err = s.technician(r, r.PostFormValue("technician_id")); err != nil {
		fe.Add("technician_id", "Välj en tekniker.")
	}
	a.Description = strings.TrimSpace(r.PostFormValue("description"))
	switch n := len([]rune(a.Description)); {
	case n == 0:
		fe.Add("description", "Beskriv vad som gjordes.")
	case n > 2000:
		fe.Add("description", "Högst 2 000 tecken.")
	}
	if a.Minutes, err = repair.ParseMinutes(r.PostFormValue("time")); err != nil {
		fe.Add("time", "Ange tid som minuter (90), timmar och minuter (1:30) eller timmar (1,5 h).")
	}
	if len(fe) > 0 {
		return s.failForm(w, r, wo.CaseID, form, fe)
	}
	err = s.change(r, "case", wo.CaseID, "action", fmt.Sprintf("Åtgärd på %s: %s (%s)", wo.Number, a.Description, sv.Minutes(a.Minutes)), func(tx *store.Tx) error {
		return tx.AddAction(ctx, &a)
	})
	if err != nil {
		return err
	}
	s.redirectToCase(w, r, wo.CaseID, "wo-"+strconv.FormatInt(wo.ID, 10))
	return nil
}

// addCostLine records labour, a part, travel or a fee on a work order.
// Labour without a price takes the contract's or the customer's hourly
// rate.
func (s *server) addCostLine(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	wo, err := s.pathWorkOrder(r)
	if err != nil {
		return err
	}
	form := fmt.Sprintf("cost-%d", wo.ID)
	fe := repair.FieldErrors{}
	l := repair.CostLine{WorkOrderID: wo.ID, Kind: repair.CostKind(r.PostFormValue("kind")), CustomerVisible: r.PostFormValue("visible") == "1",
		Description: strings.TrimSpace(r.PostFormValue("description")), Article: strings.TrimSpace(r.PostFormValue("article"))}
	switch l.Kind {
	case repair.CostLabour, repair.CostPart, repair.CostTravel, repair.CostFee:
	default:
		fe.Add("kind", "Välj typ av kostnad.")
	}
	if len([]rune(l.Description)) > 200 {
		fe.Add("description", "Högst 200 tecken.")
	}
	if len([]rune(l.Article)) > 60 {
		fe.Add("article", "Högst 60 tecken.")
	}
	if l.Kind == repair.CostPart && l.Description == "" && l.Article == "" {
		fe.Add("description", "Ange reservdel eller artikelnummer.")
	}
	if l.QuantityMilli, err = repair.ParseQuantity(r.PostFormValue("quantity")); err != nil || l.QuantityMilli == 0 {
		fe.Add("quantity", "Ange antal, t.ex. 1 eller 1,5.")
	}
	price := strings.TrimSpace(r.PostFormValue("unit_price"))
	if price == "" && l.Kind == repair.CostLabour {
		c, err := s.db.Case(ctx, repair.StaffScope(), wo.CaseID)
		if err != nil {
			return err
		}
		cust, err := s.db.Customer(ctx, repair.StaffScope(), c.CustomerID)
		if err != nil {
			return err
		}
		contracts, err := s.db.Contracts(ctx, repair.StaffScope(), c.CustomerID)
		if err != nil {
			return err
		}
		l.UnitPriceOre = repair.HourlyRate(cust, contracts, c.ContractNumber)
	} else if l.UnitPriceOre, err = repair.ParseAmount(price); err != nil {
		fe.Add("unit_price", "Ange à-pris i kronor, t.ex. 1 234,50.")
	}
	if len(fe) > 0 {
		return s.failForm(w, r, wo.CaseID, form, fe)
	}
	if l.Description == "" {
		l.Description = l.Kind.Label()
	}
	err = s.change(r, "case", wo.CaseID, "cost", fmt.Sprintf("Kostnad på %s: %s %s", wo.Number, l.Description, sv.Money(repair.LineAmount(l.QuantityMilli, l.UnitPriceOre))), func(tx *store.Tx) error {
		return tx.AddCostLine(ctx, &l)
	})
	if err != nil {
		return err
	}
	s.redirectToCase(w, r, wo.CaseID, "wo-"+strconv.FormatInt(wo.ID, 10))
	return nil
}

// setWorkOrderStatus moves a work order on: started, done, cancelled.
func (s *server) setWorkOrderStatus(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	wo, err := s.pathWorkOrder(r)
	if err != nil {
		return err
	}
	to := repair.WorkOrderStatus(r.PostFormValue("status"))
	form := fmt.Sprintf("wostatus-%d", wo.ID)
	if !repair.CanTransitionWorkOrder(wo.Status, to) {
		return s.failForm(w, r, wo.CaseID, form, repair.FieldErrors{"status": fmt.Sprintf("Arbetsordern kan inte gå från %s till %s.", wo.Status.Label(), to.Label())})
	}
	err = s.change(r, "case", wo.CaseID, "work_order", fmt.Sprintf("Arbetsorder %s: %s → %s", wo.Number, wo.Status.Label(), to.Label()), func(tx *store.Tx) error {
		return tx.SetWorkOrderStatus(ctx, wo.ID, to)
	})
	if errors.Is(err, repair.ErrConflict) {
		return s.failForm(w, r, wo.CaseID, form, repair.FieldErrors{"status": "Arbetsordern ändrades nyss av någon annan. Försök igen."})
	}
	if err != nil {
		return err
	}
	s.redirectToCase(w, r, wo.CaseID, "wo-"+strconv.FormatInt(wo.ID, 10))
	return nil
}
