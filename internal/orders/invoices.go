package orders

import (
	"context"
	"errors"
	"fmt"
	"time"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/sv"
)

// An invoice run (issue 13): the office picks a customer and a period, sees
// the completed work orders not yet invoiced, and issues them as one
// invoice; the web pages for it come next.

// InvoiceRun is what a run would invoice: the work orders and the lines.
type InvoiceRun struct {
	Customer   repair.Customer
	From, To   time.Time // [From, To): the days whose completed work is invoiced
	WorkOrders []int64
	Lines      []repair.InvoicedLine
	Totals     repair.InvoiceTotals
}

// PreviewInvoiceRun is the run for the customer's cases completed in
// [from, to): the work on them not yet invoiced, for review before it is
// issued. A case is invoiced as a whole once it is done, so that the
// month's invoice, its Fakturaspecifikation and the Dashboard's Kostnader
// for the month are the same lines.
func (o *Ops) PreviewInvoiceRun(ctx context.Context, u repair.User, customerID int64, from, to time.Time) (InvoiceRun, error) {
	run := InvoiceRun{From: from, To: to}
	if err := staffOnly(u); err != nil {
		return run, err
	}
	if !from.Before(to) {
		return run, repair.FieldErrors{"period": "Perioden slutar innan den börjar."}
	}
	var err error
	if run.Customer, err = o.db.Customer(ctx, repair.StaffScope(), customerID); err != nil {
		return run, err
	}
	if run.WorkOrders, run.Lines, err = o.db.Work(ctx, repair.StaffScope(), store.WorkQuery{CustomerID: customerID, From: from, To: to, Uninvoiced: true}); err != nil {
		return run, err
	}
	plain := make([]repair.InvoiceLine, len(run.Lines))
	for i, l := range run.Lines {
		plain[i] = l.InvoiceLine
	}
	run.Totals, err = repair.Totals(plain)
	return run, err
}

// IssueInvoice issues the run for the customer's work completed in
// [from, to) as an invoice dated today: the lines and totals as they are
// now, frozen. A work order that another run invoiced meanwhile makes
// this one refuse, with nothing issued.
func (o *Ops) IssueInvoice(ctx context.Context, u repair.User, customerID int64, from, to time.Time) (repair.Invoice, error) {
	run, err := o.PreviewInvoiceRun(ctx, u, customerID, from, to)
	if err != nil {
		return repair.Invoice{}, err
	}
	if len(run.WorkOrders) == 0 {
		return repair.Invoice{}, repair.FieldErrors{"period": "Det finns inget att fakturera för perioden."}
	}
	today := o.today()
	inv := repair.Invoice{
		CustomerID: customerID, InvoiceDate: today.Format(time.DateOnly), DueDate: today.AddDate(0, 0, repair.InvoiceTerms).Format(time.DateOnly),
		PeriodFrom: from.In(repair.Stockholm).Format(time.DateOnly), PeriodTo: to.In(repair.Stockholm).AddDate(0, 0, -1).Format(time.DateOnly),
		CustomerName: run.Customer.Name, OrgNumber: run.Customer.OrgNumber, InvoiceAddress: run.Customer.InvoiceAddress,
		Totals: run.Totals, Lines: run.Lines, CreatedBy: u.ID,
	}
	err = o.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.CreateInvoice(ctx, &inv, run.WorkOrders); err != nil {
			return err
		}
		if err := o.invoiceMails(ctx, tx, inv); err != nil {
			return err
		}
		return tx.Audit(ctx, u.ID, "invoice", inv.ID, "issued",
			fmt.Sprintf("Faktura %s till %s, %s–%s, att betala %s", inv.Number, inv.CustomerName, inv.PeriodFrom, inv.PeriodTo, sv.Money(inv.Totals.ToPayOre)))
	})
	if errors.Is(err, repair.ErrConflict) {
		return repair.Invoice{}, repair.FieldErrors{"period": "Någon fakturerade en del av perioden samtidigt. Visa körningen igen."}
	}
	if err != nil {
		return repair.Invoice{}, fmt.Errorf("orders: issue invoice: %w", err)
	}
	return inv, nil
}

// CreditInvoice issues a credit note for the whole of an invoice: the same
// lines negated, referring to it. An invoice is credited once. The work it
// billed is freed: its work orders can be corrected and its cases, Utförd
// again, are billed by the next run of their month, as Kommande shows.
func (o *Ops) CreditInvoice(ctx context.Context, u repair.User, invoiceID int64) (repair.Invoice, error) {
	if err := staffOnly(u); err != nil {
		return repair.Invoice{}, err
	}
	orig, err := o.db.Invoice(ctx, repair.StaffScope(), invoiceID)
	if err != nil {
		return repair.Invoice{}, err
	}
	if orig.CreditsID != 0 {
		return repair.Invoice{}, repair.FieldErrors{"invoice": "En kreditfaktura krediteras inte."}
	}
	today := o.today()
	credit := orig
	credit.ID, credit.CreditsID, credit.CreditsNumber, credit.CreatedBy = 0, orig.ID, orig.Number, u.ID
	credit.InvoiceDate, credit.DueDate = today.Format(time.DateOnly), today.Format(time.DateOnly)
	credit.Lines = make([]repair.InvoicedLine, len(orig.Lines))
	plain := make([]repair.InvoiceLine, len(orig.Lines))
	for i, l := range orig.Lines {
		l.QuantityMilli, l.AmountOre = -l.QuantityMilli, -l.AmountOre
		credit.Lines[i], plain[i] = l, l.InvoiceLine
	}
	if credit.Totals, err = repair.Totals(plain); err != nil {
		return repair.Invoice{}, err
	}
	err = o.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.CreateInvoice(ctx, &credit, nil); err != nil {
			return err
		}
		if err := tx.ReleaseInvoice(ctx, orig.ID, u.ID, "Kreditfaktura "+credit.Number); err != nil {
			return err
		}
		if err := o.invoiceMails(ctx, tx, credit); err != nil {
			return err
		}
		return tx.Audit(ctx, u.ID, "invoice", credit.ID, "credited",
			fmt.Sprintf("Kreditfaktura %s för faktura %s, %s", credit.Number, orig.Number, sv.Money(credit.Totals.ToPayOre)))
	})
	if errors.Is(err, repair.ErrConflict) {
		return repair.Invoice{}, repair.FieldErrors{"invoice": "Fakturan är redan krediterad."}
	}
	if err != nil {
		return repair.Invoice{}, fmt.Errorf("orders: credit invoice: %w", err)
	}
	return credit, nil
}
