package orders

import (
	"context"
	"fmt"
	"strings"
	"time"

	"kundportal/internal/repair"
	"kundportal/internal/store"
)

// The technician's steps on site: start, wait for a part, finish; and the
// office's reopening of a signed work order for a correction.

// StartWorkOrder marks a planned work order Pågående, and its case too
// when it was waiting in the intake or planned.
func (o *Ops) StartWorkOrder(ctx context.Context, u repair.User, woID int64) (repair.WorkOrder, error) {
	wo, err := o.workOrder(ctx, u, woID)
	if err != nil {
		return wo, err
	}
	if wo.Status == repair.WorkOrderInProgress {
		return wo, nil // started already, maybe from a resent form
	}
	if wo.Status != repair.WorkOrderPlanned {
		return wo, repair.FieldErrors{"status": fmt.Sprintf("Arbetsordern är %s och kan inte startas.", strings.ToLower(wo.Status.Label()))}
	}
	err = o.change(ctx, u, fixed("case", wo.CaseID, "work_order", "Arbetsorder "+wo.Number+" startad på plats"), func(tx *store.Tx) error {
		if _, err := unlocked(ctx, tx, wo.ID); err != nil {
			return err
		}
		if err := tx.StartWorkOrder(ctx, wo.ID); err != nil {
			return err
		}
		return o.moveCase(ctx, tx, u, wo.CaseID, repair.StatusInProgress, "Arbetsorder "+wo.Number+" startad")
	})
	return wo, err
}

// moveCase moves a case to status to through the allowed steps (Mottagen
// on the way, when the office had not set it), and leaves it where it is
// when there is no way: a technician's step never fails because the
// office moved the case meanwhile.
func (o *Ops) moveCase(ctx context.Context, tx *store.Tx, u repair.User, caseID int64, to repair.Status, note string) error {
	from, err := tx.CaseStatus(ctx, caseID)
	if err != nil {
		return err
	}
	path := repair.PathTo(from, to)
	for _, s := range path {
		if err := tx.SetCaseStatus(ctx, caseID, s, u.ID, note, time.Time{}); err != nil {
			return err
		}
	}
	if e, ok := statusMail(to); ok && len(path) > 0 {
		extra := mailExtra{}
		if to == repair.StatusAwaitingPart {
			extra.note = note
		}
		c, err := tx.Case(ctx, caseID)
		if err != nil {
			return err
		}
		return o.caseMails(ctx, tx, e, c, extra)
	}
	return nil
}

// WaitForPart records that the repair waits for a part: the case becomes
// Väntar på reservdel with the note, for the office to order it and plan
// the next visit.
func (o *Ops) WaitForPart(ctx context.Context, u repair.User, woID int64, note string) error {
	wo, err := o.workOrder(ctx, u, woID)
	if err != nil {
		return err
	}
	fe := repair.FieldErrors{}
	note = repair.CheckLine(fe, "part_note", note, 500, true)
	if fe["part_note"] == "Fältet måste fyllas i." {
		fe["part_note"] = "Skriv vilken reservdel som behövs."
	}
	if err := invalid(fe); err != nil {
		return err
	}
	c, err := o.db.Case(ctx, repair.StaffScope(), wo.CaseID)
	if err != nil {
		return err
	}
	if c.Status != repair.StatusAwaitingPart && repair.PathTo(c.Status, repair.StatusAwaitingPart) == nil {
		return repair.FieldErrors{"part_note": "Ärendet är " + strings.ToLower(c.Status.Label()) + " och kan inte vänta på reservdel."}
	}
	return o.change(ctx, u, fixed("case", wo.CaseID, "status", "Väntar på reservdel ("+wo.Number+"): "+note), func(tx *store.Tx) error {
		return o.moveCase(ctx, tx, u, c.ID, repair.StatusAwaitingPart, note)
	})
}

// FinishInput is how a visit ended.
type FinishInput struct {
	Outcome repair.Outcome
	Note    string
}

// FinishWorkOrder marks a work order Klar. A visit ends with work recorded
// (at least one action) or with an outcome such as Ingen på plats and a
// note saying more; never with nothing. When the work is done and no
// other visit is open, the case becomes Utförd.
func (o *Ops) FinishWorkOrder(ctx context.Context, u repair.User, woID int64, in FinishInput) (repair.WorkOrder, error) {
	wo, err := o.workOrder(ctx, u, woID)
	if err != nil {
		return wo, err
	}
	fe := repair.FieldErrors{}
	if !in.Outcome.Valid() {
		fe.Add("outcome", "Välj hur besöket slutade.")
	}
	note := repair.CheckLines(fe, "outcome_note", in.Note, 1000, in.Outcome != repair.OutcomeWorkDone)
	if fe["outcome_note"] == "Fältet måste fyllas i." {
		fe["outcome_note"] = "Skriv vad som hände, t.ex. att ingen öppnade."
	}
	if wo.Status == repair.WorkOrderDone {
		return wo, nil // finished already, maybe from a resent form
	}
	if !repair.CanTransitionWorkOrder(wo.Status, repair.WorkOrderDone) {
		fe.Add("outcome", fmt.Sprintf("Arbetsordern är %s och kan inte avslutas.", strings.ToLower(wo.Status.Label())))
	}
	if err := invalid(fe); err != nil {
		return wo, err
	}
	detail := "Arbetsorder " + wo.Number + " klar: " + in.Outcome.Label()
	err = o.change(ctx, u, fixed("case", wo.CaseID, "work_order", detail), func(tx *store.Tx) error {
		if _, err := unlocked(ctx, tx, wo.ID); err != nil {
			return err
		}
		if in.Outcome == repair.OutcomeWorkDone {
			n, err := tx.CountActions(ctx, wo.ID)
			if err != nil {
				return err
			}
			if n == 0 {
				return repair.FieldErrors{"outcome": "Registrera minst en åtgärd, eller välj hur besöket slutade (t.ex. Ingen på plats) och skriv en anteckning."}
			}
		}
		if err := tx.FinishWorkOrder(ctx, wo.ID, in.Outcome, note); err != nil {
			return err
		}
		if in.Outcome != repair.OutcomeWorkDone {
			return nil
		}
		open, err := tx.OpenWorkOrdersOfCase(ctx, wo.CaseID, wo.ID)
		if err != nil || open > 0 {
			return err
		}
		return o.moveCase(ctx, tx, u, wo.CaseID, repair.StatusCompleted, "Arbetsorder "+wo.Number+" klar")
	})
	return wo, err
}

// ReopenWorkOrder opens a signed work order for a correction; the office
// only. The signed note stays; the next signature makes a new version
// that replaces it.
func (o *Ops) ReopenWorkOrder(ctx context.Context, u repair.User, woID int64, reason string) error {
	if err := staffOnly(u); err != nil {
		return err
	}
	wo, err := o.workOrder(ctx, u, woID)
	if err != nil {
		return err
	}
	fe := repair.FieldErrors{}
	reason = repair.CheckLine(fe, "reason", reason, 300, true)
	switch {
	case wo.InvoiceID != 0:
		fe.Add("reason", "Arbetsordern är fakturerad. En rättelse görs med en kreditfaktura.")
	case !wo.Locked():
		fe.Add("reason", "Arbetsordern är inte signerad.")
	}
	if err := invalid(fe); err != nil {
		return err
	}
	return o.change(ctx, u, fixed("case", wo.CaseID, "work_order", "Arbetsorder "+wo.Number+" öppnad för rättelse: "+reason), func(tx *store.Tx) error {
		return tx.UnlockWorkOrder(ctx, wo.ID)
	})
}
