package demo

import (
	"context"
	"fmt"
	"time"

	"kundportal/internal/repair"
	"kundportal/internal/store"
)

// invoice issues the demo customers' monthly invoices for the twelve
// months before now's: the work on their Fakturerad cases, as the office's
// runs would have, so that Fakturaspecifikation has a year to show; the
// cases done but not invoiced stay for Kommande.
func invoice(ctx context.Context, db *store.DB, now time.Time) error {
	staff := repair.StaffScope()
	customers, err := db.Customers(ctx, staff)
	if err != nil {
		return err
	}
	now = now.In(repair.Stockholm)
	thisMonth := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, repair.Stockholm)
	invoiced := map[int64]bool{} // case id → Fakturerad
	for i := 12; i >= 1; i-- {
		from := thisMonth.AddDate(0, -i, 0)
		to := from.AddDate(0, 1, 0)
		for _, k := range customers {
			ids, lines, err := db.Work(ctx, staff, store.WorkQuery{CustomerID: k.ID, From: from, To: to, Uninvoiced: true})
			if err != nil {
				return err
			}
			var keepIDs []int64
			var keep []repair.InvoicedLine
			var plain []repair.InvoiceLine
			byWO := map[int64]int64{}
			for _, l := range lines {
				byWO[l.WorkOrderID] = l.CaseID
			}
			for _, id := range ids {
				caseID, ok := byWO[id]
				if !ok {
					continue // no customer-visible costs: left for the office
				}
				st, seen := invoiced[caseID]
				if !seen {
					c, err := db.Case(ctx, staff, caseID)
					if err != nil {
						return err
					}
					st = c.Status == repair.StatusInvoiced
					invoiced[caseID] = st
				}
				if st {
					keepIDs = append(keepIDs, id)
				}
			}
			for _, l := range lines {
				if invoiced[l.CaseID] {
					keep = append(keep, l)
					plain = append(plain, l.InvoiceLine)
				}
			}
			if len(keepIDs) == 0 {
				continue
			}
			totals, err := repair.Totals(plain)
			if err != nil {
				return err
			}
			inv := repair.Invoice{CustomerID: k.ID, InvoiceDate: to.Format(time.DateOnly),
				DueDate:    to.AddDate(0, 0, repair.InvoiceTerms).Format(time.DateOnly),
				PeriodFrom: from.Format(time.DateOnly), PeriodTo: to.AddDate(0, 0, -1).Format(time.DateOnly),
				CustomerName: k.Name, OrgNumber: k.OrgNumber, InvoiceAddress: k.InvoiceAddress, Totals: totals, Lines: keep}
			if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateInvoice(ctx, &inv, keepIDs) }); err != nil {
				return fmt.Errorf("demo: invoice %s %s: %w", k.Number, inv.PeriodFrom, err)
			}
		}
	}
	return nil
}
