package orders

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/sv"
)

// technician checks that id is a technician's login; an unknown id, or
// anyone else's, gives msg on field.
func (o *Ops) technician(ctx context.Context, id int64, fe repair.FieldErrors, field string) error {
	if id == 0 || fe[field] != "" {
		return nil
	}
	t, err := o.db.User(ctx, repair.StaffScope(), id)
	switch {
	case errors.Is(err, repair.ErrNotFound) || err == nil && t.Role != repair.RoleTechnician:
		fe.Add(field, "Välj en tekniker.")
	case err != nil:
		return err
	}
	return nil
}

// PlanWorkOrder plans a visit on a case: technician, day and time window.
// A case still waiting in the intake (Registrerad, Mottagen) becomes
// Planerad in the same transaction.
func (o *Ops) PlanWorkOrder(ctx context.Context, u repair.User, caseID int64, in repair.WorkOrderInput) (repair.WorkOrder, error) {
	if err := staffOnly(u); err != nil {
		return repair.WorkOrder{}, err
	}
	c, err := o.db.Case(ctx, repair.StaffScope(), caseID)
	if err != nil {
		return repair.WorkOrder{}, err
	}
	techID, start, end, fe := in.Validate(o.today())
	if err := o.technician(ctx, techID, fe, "technician_id"); err != nil {
		return repair.WorkOrder{}, err
	}
	if !c.Status.Open() {
		fe.Add("technician_id", "Ärendet är "+strings.ToLower(c.Status.Label())+"; öppna det igen innan en ny arbetsorder planeras.")
	}
	if err := invalid(fe); err != nil {
		return repair.WorkOrder{}, err
	}
	wo := repair.WorkOrder{CaseID: c.ID, TechnicianID: techID, PlannedStart: start, PlannedEnd: end}
	err = o.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.CreateWorkOrder(ctx, &wo); err != nil {
			return err
		}
		if c.Status == repair.StatusRegistered || c.Status == repair.StatusReceived {
			if err := tx.SetCaseStatus(ctx, c.ID, repair.StatusPlanned, u.ID, "Arbetsorder "+wo.Number, time.Time{}); err != nil {
				return err
			}
		}
		if err := o.caseMails(ctx, tx, repair.MailPlanned, c, mailExtra{window: visitWindow(wo)}); err != nil {
			return err
		}
		return tx.Audit(ctx, u.ID, "case", c.ID, "work_order", fmt.Sprintf("Arbetsorder %s planerad %s", wo.Number, sv.DateTime(wo.PlannedStart)))
	})
	if errors.Is(err, repair.ErrConflict) {
		return wo, repair.FieldErrors{"technician_id": "Ärendet ändrades nyss av någon annan. Försök igen."}
	}
	return wo, err
}

// workOrder loads a work order u may work on: any for the office, its own
// for a technician; anything else reads as missing.
func (o *Ops) workOrder(ctx context.Context, u repair.User, id int64) (repair.WorkOrder, error) {
	if !u.Role.IsStaff() && u.Role != repair.RoleTechnician {
		return repair.WorkOrder{}, repair.ErrNotFound
	}
	return o.db.WorkOrder(ctx, repair.ScopeFor(u), id)
}

// errLocked is the message for a change to a signed work order.
var errLocked = repair.FieldErrors{"work_order": "Arbetsordern är signerad och kan inte ändras. Kontoret kan öppna den för en rättelse; då görs en ny följesedel."}

// errInvoiced is the message for a change to an invoiced work order.
var errInvoiced = repair.FieldErrors{"work_order": "Arbetsordern är fakturerad och kan inte ändras. En rättelse görs med en kreditfaktura."}

// unlocked checks, inside the transaction that changes it, that the work
// order is not invoiced and its delivery note not signed.
func unlocked(ctx context.Context, tx *store.Tx, id int64) (repair.WorkOrder, error) {
	w, err := tx.WorkOrderForChange(ctx, id)
	if err != nil {
		return w, err
	}
	if w.InvoiceID != 0 {
		return w, errInvoiced
	}
	if w.Locked() {
		return w, errLocked
	}
	return w, nil
}

// SetWorkOrderStatus moves a work order on: started, done, cancelled; the
// office's step, which a technician takes with StartWorkOrder and
// FinishWorkOrder.
func (o *Ops) SetWorkOrderStatus(ctx context.Context, u repair.User, woID int64, to repair.WorkOrderStatus) (repair.WorkOrder, error) {
	if err := staffOnly(u); err != nil {
		return repair.WorkOrder{}, err
	}
	wo, err := o.workOrder(ctx, u, woID)
	if err != nil {
		return wo, err
	}
	if !repair.CanTransitionWorkOrder(wo.Status, to) {
		return wo, repair.FieldErrors{"status": fmt.Sprintf("Arbetsordern kan inte gå från %s till %s.", wo.Status.Label(), to.Label())}
	}
	err = o.change(ctx, u, fixed("case", wo.CaseID, "work_order", fmt.Sprintf("Arbetsorder %s: %s → %s", wo.Number, wo.Status.Label(), to.Label())), func(tx *store.Tx) error {
		if _, err := unlocked(ctx, tx, wo.ID); err != nil {
			return err
		}
		return tx.SetWorkOrderStatus(ctx, wo.ID, to)
	})
	if errors.Is(err, repair.ErrConflict) {
		return wo, repair.FieldErrors{"status": "Arbetsordern ändrades nyss av någon annan. Försök igen."}
	}
	return wo, err
}

// RecordAction records what was done on a work order.
func (o *Ops) RecordAction(ctx context.Context, u repair.User, woID int64, in repair.ActionInput) (repair.Action, error) {
	wo, err := o.workOrder(ctx, u, woID)
	if err != nil {
		return repair.Action{}, err
	}
	if u.Role == repair.RoleTechnician {
		// A technician records its own work, whoever the form names.
		in.TechnicianID = strconv.FormatInt(u.ID, 10)
	}
	a, fe := in.Validate(o.today())
	if err := o.technician(ctx, a.TechnicianID, fe, "technician_id"); err != nil {
		return a, err
	}
	if err := invalid(fe); err != nil {
		return a, err
	}
	a.WorkOrderID = wo.ID
	err = o.change(ctx, u, fixed("case", wo.CaseID, "action", fmt.Sprintf("Åtgärd på %s: %s (%s)", wo.Number, a.Description, sv.Minutes(a.Minutes))), func(tx *store.Tx) error {
		return once(ctx, tx, in.ClientID, "action", &a.ID, func() error {
			if _, err := unlocked(ctx, tx, wo.ID); err != nil {
				return err
			}
			return tx.AddAction(ctx, &a)
		})
	})
	return a, done(err)
}

// AddCostLine records labour, a part, travel or a fee on a work order.
// Labour without a price takes the rate of the case's contract, or else
// the customer's.
func (o *Ops) AddCostLine(ctx context.Context, u repair.User, woID int64, in repair.CostInput) (repair.CostLine, error) {
	wo, err := o.workOrder(ctx, u, woID)
	if err != nil {
		return repair.CostLine{}, err
	}
	l, needsRate, fe := in.Validate()
	if err := invalid(fe); err != nil {
		return l, err
	}
	if needsRate {
		if l.UnitPriceOre, err = o.labourRate(ctx, wo.CaseID); err != nil {
			return l, err
		}
	}
	l.WorkOrderID = wo.ID
	err = o.change(ctx, u, fixed("case", wo.CaseID, "cost", fmt.Sprintf("Kostnad på %s: %s %s", wo.Number, l.Description, sv.Money(repair.LineAmount(l.QuantityMilli, l.UnitPriceOre)))), func(tx *store.Tx) error {
		return once(ctx, tx, in.ClientID, "cost", &l.ID, func() error {
			if _, err := unlocked(ctx, tx, wo.ID); err != nil {
				return err
			}
			return tx.AddCostLine(ctx, &l)
		})
	})
	return l, done(err)
}

// labourRate is the hourly rate for work on a case.
func (o *Ops) labourRate(ctx context.Context, caseID int64) (int64, error) {
	staff := repair.StaffScope()
	c, err := o.db.Case(ctx, staff, caseID)
	if err != nil {
		return 0, err
	}
	cust, err := o.db.Customer(ctx, staff, c.CustomerID)
	if err != nil {
		return 0, err
	}
	contracts, err := o.db.Contracts(ctx, staff, c.CustomerID)
	if err != nil {
		return 0, err
	}
	return repair.HourlyRate(cust, contracts, c.ContractNumber), nil
}
