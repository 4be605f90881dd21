package orders

import (
	"context"
	"fmt"
	"time"

	"kundportal/internal/repair"
	"kundportal/internal/store"
)

// What a customer does to its own case after filing it: add information
// while it is open, and cancel it while no one has been planned to come.
// Both go into the case's history and the audit log, and mark the case
// for the office's queue "Nytt från kunden" until someone there has seen
// it.

// customerCase is the case with id if u is a customer user who may see
// it; otherwise repair.ErrNotFound, exactly as for a missing case.
func (o *Ops) customerCase(ctx context.Context, u repair.User, caseID int64) (repair.Case, error) {
	if !u.Role.IsCustomer() {
		return repair.Case{}, repair.ErrNotFound
	}
	return o.db.Case(ctx, repair.ScopeFor(u), caseID)
}

// AddCustomerNote adds the customer's information to its open case.
func (o *Ops) AddCustomerNote(ctx context.Context, u repair.User, caseID int64, in repair.CustomerNoteInput) error {
	c, err := o.customerCase(ctx, u, caseID)
	if err != nil {
		return err
	}
	note, fe := in.Validate(c.Status)
	if err := invalid(fe); err != nil {
		return err
	}
	err = o.change(ctx, u, fixed("case", c.ID, "customer note", note), func(tx *store.Tx) error {
		if err := tx.AddCaseNote(ctx, c.ID, u.ID, note); err != nil {
			return err
		}
		return tx.SetCustomerNews(ctx, c.ID, true)
	})
	if err != nil {
		return fmt.Errorf("orders: customer note: %w", err)
	}
	return nil
}

// CancelByCustomer cancels the customer's own case, with its reason, if it
// is still Registrerad or Mottagen.
func (o *Ops) CancelByCustomer(ctx context.Context, u repair.User, caseID int64, in repair.CustomerCancelInput) error {
	c, err := o.customerCase(ctx, u, caseID)
	if err != nil {
		return err
	}
	reason, fe := in.Validate(c.Status)
	if err := invalid(fe); err != nil {
		return err
	}
	err = o.change(ctx, u, fixed("case", c.ID, "cancelled by customer", reason), func(tx *store.Tx) error {
		if err := tx.SetCaseStatus(ctx, c.ID, repair.StatusCancelled, u.ID, "Avbrutet av kunden: "+reason, time.Time{}); err != nil {
			return err
		}
		if err := o.caseMails(ctx, tx, repair.MailCancelled, c, mailExtra{note: reason}); err != nil {
			return err
		}
		return tx.SetCustomerNews(ctx, c.ID, true)
	})
	if err != nil {
		return conflictTo(err, "reason", "Ärendets status ändrades nyss. Ladda om sidan och försök igen.")
	}
	return nil
}

// SeenCustomerNews is the office's "seen": the case leaves the queue of
// news from customers.
func (o *Ops) SeenCustomerNews(ctx context.Context, u repair.User, caseID int64) error {
	if err := staffOnly(u); err != nil {
		return err
	}
	c, err := o.db.Case(ctx, repair.StaffScope(), caseID)
	if err != nil {
		return err
	}
	return o.change(ctx, u, fixed("case", c.ID, "customer news seen", ""), func(tx *store.Tx) error {
		return tx.SetCustomerNews(ctx, c.ID, false)
	})
}
