package demo

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"kundportal/internal/docs"
	"kundportal/internal/filestore"
	"kundportal/internal/repair"
	"kundportal/internal/store"
)

// noteWindow is how far back completed cases get a signed delivery note;
// older ones are from before the company stopped using paper.
const noteWindow = 90 * 24 * time.Hour

// fileWorkers render and store files while the database is written; the
// files are mostly fsync waits and PDF rendering, which overlap well with
// the single SQL writer.
const fileWorkers = 4

// fileJob is one file to render and store. The workers read only note,
// photoSeed and photoKind, copied out of the plan before they start, so
// they share nothing with the records the transaction fills in; cp and v
// are for writeFiles.
type fileJob struct {
	cp        *casePlan
	v         *visit // the work order the file belongs to; nil for a customer's photo
	kind      repair.FileKind
	note      docs.DeliveryNote
	photoSeed uint64
	photoKind string

	sum  string
	size int64
	err  error
}

// render makes the file's bytes.
func (j *fileJob) render() ([]byte, error) {
	if j.kind == repair.FileDeliveryNote {
		var buf bytes.Buffer
		if err := docs.RenderDeliveryNote(&buf, j.note); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	}
	return photo(rand.New(rand.NewPCG(j.photoSeed, 0x70686f746f)), j.photoKind)
}

// put renders the file and stores its bytes.
func (j *fileJob) put(files filestore.Store) {
	b, err := j.render()
	if err == nil {
		j.sum, j.size, err = files.Put(bytes.NewReader(b))
	}
	j.err = err
}

// planFiles lists the files: the signed delivery notes of recently
// completed cases and the photos some cases have. Delivery notes print the
// case and work order numbers, which the store hands out; they are
// predicted here (the database is empty, so numbering starts at 1 each
// year) and checked when the cases are written.
func (g *generator) planFiles() {
	seq := map[int]int{}
	for _, cp := range g.cases {
		year := cp.c.RegisteredAt.UTC().Year() // as store.CreateCase numbers them
		seq[year]++
		cp.c.Number = fmt.Sprintf("%d-%05d", year, seq[year])
		for i, v := range cp.visits {
			v.wo.Number = fmt.Sprintf("%s-%d", cp.c.Number, i+1)
		}
	}
	for _, cp := range g.cases {
		last := lastVisit(cp)
		if cp.photo && (last != nil || cp.reporter.Role.IsCustomer()) {
			j := &fileJob{cp: cp, kind: repair.FilePhoto, photoSeed: cp.seed, photoKind: cp.kind}
			if !cp.reporter.Role.IsCustomer() {
				j.v = last
			}
			g.files = append(g.files, j)
		}
		done := cp.status == repair.StatusCompleted || cp.status == repair.StatusInvoiced
		if done && last != nil && g.now.Sub(cp.completedAt) < noteWindow {
			g.files = append(g.files, &fileJob{cp: cp, v: last, kind: repair.FileDeliveryNote, note: noteFor(cp, last)})
		}
	}
}

// storeFiles renders and stores every planned file in the background and
// returns a function that waits until all are done. files.Put is called
// from several goroutines at once.
func (g *generator) storeFiles(ctx context.Context, files filestore.Store) (wait func()) {
	jobs := make(chan *fileJob)
	var wg sync.WaitGroup
	for range fileWorkers {
		wg.Go(func() {
			for j := range jobs {
				if j.err = ctx.Err(); j.err == nil {
					j.put(files)
				}
			}
		})
	}
	go func() {
		for _, j := range g.files {
			jobs <- j
		}
		close(jobs)
	}()
	return wg.Wait
}

// writeFiles waits for the stored files and records them on their cases.
func (g *generator) writeFiles(ctx context.Context, tx *store.Tx, files filestore.Store, wait func()) error {
	wait()
	for _, j := range g.files {
		if j.err != nil {
			return j.err
		}
		cp := j.cp
		f := repair.File{CaseID: cp.c.ID, Kind: j.kind, Size: j.size, SHA256: j.sum}
		switch {
		case j.kind == repair.FileDeliveryNote:
			if j.note.CaseNumber != cp.c.Number || j.note.WorkOrderNumber != j.v.wo.Number {
				// The prediction missed (the counters had been used
				// before): render again with the real numbers.
				j.note.CaseNumber, j.note.WorkOrderNumber = cp.c.Number, j.v.wo.Number
				if j.put(files); j.err != nil {
					return j.err
				}
				f.Size, f.SHA256 = j.size, j.sum
			}
			f.Name, f.ContentType = "foljesedel-"+cp.c.Number+".pdf", "application/pdf"
			f.WorkOrderID, f.UploadedBy, f.CreatedAt = j.v.wo.ID, j.v.tech.ID, j.v.end
		case j.v == nil:
			f.Name, f.ContentType, f.UploadedBy, f.CreatedAt = "bild-"+cp.c.Number+".png", "image/png", cp.reporter.ID, cp.c.RegisteredAt
		default:
			f.Name, f.ContentType = "foto-"+j.v.wo.Number+".png", "image/png"
			f.WorkOrderID, f.UploadedBy, f.CreatedAt = j.v.wo.ID, j.v.tech.ID, j.v.end
		}
		if err := tx.CreateFile(ctx, &f); err != nil {
			return err
		}
	}
	return nil
}

// lastVisit is the visit that completed the case, or nil.
func lastVisit(cp *casePlan) *visit {
	for i := len(cp.visits) - 1; i >= 0; i-- {
		if cp.visits[i].status == repair.WorkOrderDone {
			return cp.visits[i]
		}
	}
	return nil
}

// noteFor is the delivery note the customer's contact at the site signs
// on the technician's phone when the last visit completes the case: the
// customer-visible actions and cost lines of every completed visit.
func noteFor(cp *casePlan, last *visit) docs.DeliveryNote {
	n := docs.DeliveryNote{
		Company:          docs.Company{Name: repair.DemoCompany.Name, Address: repair.DemoCompany.Address(), Phone: repair.DemoCompany.Phone, OrgNumber: repair.DemoCompany.OrgNumber},
		CaseNumber:       cp.c.Number,
		WorkOrderNumber:  last.wo.Number,
		CaseType:         cp.c.Type,
		Customer:         cp.cust.c.Name,
		Site:             cp.c.SiteName,
		Street:           cp.c.Street,
		PostalCode:       cp.c.PostalCode,
		City:             cp.c.City,
		InvoiceReference: cp.c.InvoiceReference,
		ContractNumber:   cp.c.ContractNumber,
		Fault: docs.Fault{
			Title: cp.c.Title, Description: cp.c.Description,
			ReportedBy: cp.c.ReporterName, ReportedAt: cp.c.RegisteredAt,
		},
		Technician: last.tech.Name,
		SignerName: cp.site.contact,
		SignedAt:   cp.completedAt,
		Signature:  handwriting(cp.site.contact),
	}
	if a := cp.asset; a != nil {
		n.Machine = docs.Machine{AssetNumber: a.a.Number, Kind: a.a.Kind, Brand: a.a.Brand, Model: a.a.Model, SerialNumber: a.a.SerialNumber}
	}
	for _, v := range cp.visits {
		if v.status != repair.WorkOrderDone {
			continue
		}
		for _, a := range v.actions {
			if a.visible {
				n.Actions = append(n.Actions, docs.NoteAction{Date: a.on, Technician: v.tech.Name, Description: a.text, Minutes: a.minutes})
			}
		}
		// The manufacturer pays for a warranty job, so its note lists
		// no prices that the customer could take for a bill.
		if cp.warranty {
			continue
		}
		for _, c := range v.costs {
			if c.CustomerVisible {
				n.Lines = append(n.Lines, docs.NoteLine{
					Article: c.Article, Description: c.Description, QuantityMilli: c.QuantityMilli, Unit: unit(c.Kind),
					UnitPriceOre: c.UnitPriceOre, AmountOre: repair.LineAmount(c.QuantityMilli, c.UnitPriceOre),
				})
			}
		}
	}
	return n
}

// unit is what a cost line's quantity counts: hours of labour, pieces of
// everything else.
func unit(k repair.CostKind) string {
	if k == repair.CostLabour {
		return "h"
	}
	return "st"
}
