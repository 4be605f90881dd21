package demo

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

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
	note      noteInput
	photoSeed uint64
	photoKind string

	sum  string
	size int64
	err  error
}

// render makes the file's bytes; tr is the worker's cp1252 translator.
func (j *fileJob) render(tr func(string) string) ([]byte, error) {
	if j.kind == repair.FileDeliveryNote {
		b, err := deliveryNote(j.note, tr)
		if err != nil {
			return nil, fmt.Errorf("delivery note %s: %w", j.note.caseNumber, err)
		}
		return b, nil
	}
	return photo(rand.New(rand.NewPCG(j.photoSeed, 0x70686f746f)), j.photoKind)
}

// put renders the file and stores its bytes.
func (j *fileJob) put(files filestore.Store, tr func(string) string) {
	b, err := j.render(tr)
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
			tr := newCP1252()
			for j := range jobs {
				if j.err = ctx.Err(); j.err == nil {
					j.put(files, tr)
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
			if j.note.caseNumber != cp.c.Number || j.note.woNumber != j.v.wo.Number {
				// The prediction missed (the counters had been used
				// before): render again with the real numbers.
				j.note.caseNumber, j.note.woNumber = cp.c.Number, j.v.wo.Number
				if j.put(files, newCP1252()); j.err != nil {
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

// noteInput is everything a delivery note shows, copied out of the plan.
type noteInput struct {
	caseNumber, woNumber                 string
	customer, site, street, postal, city string
	ref, contract, caseType              string
	asset                                [3]string // number and kind, make and model, serial number
	title, description, reporter         string
	registered, signed                   time.Time
	actions                              []noteAction
	parts                                []repair.CostLine
	visits                               int
	tech, signer                         string
	seed                                 uint64
}

type noteAction struct {
	on         time.Time
	tech, text string
	minutes    int
}

func noteFor(cp *casePlan, last *visit) noteInput {
	n := noteInput{
		caseNumber: cp.c.Number, woNumber: last.wo.Number,
		customer: cp.cust.c.Name, site: cp.c.SiteName, street: cp.c.Street, postal: cp.c.PostalCode, city: cp.c.City,
		ref: cp.c.InvoiceReference, contract: cp.c.ContractNumber, caseType: cp.c.Type,
		asset: [3]string{"-", "-", "-"}, title: cp.c.Title, description: cp.c.Description, reporter: cp.c.ReporterName,
		registered: cp.c.RegisteredAt, signed: cp.completedAt, tech: last.tech.Name, signer: cp.site.contact, seed: cp.seed,
	}
	if a := cp.asset; a != nil {
		n.asset = [3]string{a.a.Number + " " + a.a.Kind, a.a.Brand + " " + a.a.Model, a.a.SerialNumber}
	}
	for _, v := range cp.visits {
		if v.status != repair.WorkOrderDone {
			continue
		}
		n.visits++
		for _, a := range v.actions {
			if a.visible {
				n.actions = append(n.actions, noteAction{on: a.on, tech: v.tech.Name, text: a.text, minutes: a.minutes})
			}
		}
		for _, c := range v.costs {
			if c.Kind == repair.CostPart {
				n.parts = append(n.parts, c)
			}
		}
	}
	return n
}
