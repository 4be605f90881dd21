package web

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"

	"kundportal/internal/auth"
	"kundportal/internal/docs"
	"kundportal/internal/orders"
	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/sv"
	"kundportal/internal/upload"
)

// The technician's phone view: the work orders of the next days and one
// work order's page with everything done on site. One column, large tap
// targets, plain forms that work without JavaScript; a script only adds
// the signature pad and an offline queue.

// agendaDays is how far ahead Mina arbetsorder looks.
const agendaDays = 7

// maxFaults is how many earlier faults of a machine the technician sees.
const maxFaults = 3

// maxParts is how many parts used before the picker offers: the latest
// distinct ones, enough for the machines a technician meets, small enough
// for a slow phone.
const maxParts = 100

type agendaPage struct {
	basePage
	Days []agendaDay
}

type agendaDay struct {
	Heading string
	Cards   []agendaCard
	// Later is a day after today: shown folded, so that today's work is
	// what the phone shows first.
	Later bool
}

// agendaCard is one work order on the list, with what is needed on site.
type agendaCard struct {
	store.AgendaItem
	Faults []store.Fault
	// Access is Huvudnyckel in full once the technician asked to see it;
	// RevealURL is where to ask, on the work order's own page.
	Access, RevealURL string
}

// Window is the planned time window, "08:00–09:30".
func (c agendaCard) Window() string {
	return sv.Clock(c.WorkOrder.PlannedStart) + "–" + sv.Clock(c.WorkOrder.PlannedEnd)
}

// MapsURL opens the address in the phone's map app.
func (c agendaCard) MapsURL() string {
	return mapsURL(c.Case)
}

func mapsURL(c repair.Case) string {
	return "https://www.google.com/maps/search/?api=1&query=" + url.QueryEscape(c.Street+", "+c.PostalCode+" "+c.City)
}

// swedishDays are the weekday names, Sunday first as time.Weekday counts.
var swedishDays = [...]string{"söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"}

// dayHeading names a day on the list the way a technician says it.
func dayHeading(day, today time.Time) string {
	// Rounded: a day on which the clocks change has 23 or 25 hours.
	switch d := int(math.Round(day.Sub(today).Hours() / 24)); {
	case d < 0:
		return "Tidigare, inte avslutade"
	case d == 0:
		return "I dag, " + swedishDays[day.Weekday()] + " " + day.Format(time.DateOnly)
	case d == 1:
		return "I morgon, " + swedishDays[day.Weekday()] + " " + day.Format(time.DateOnly)
	}
	return strings.ToUpper(swedishDays[day.Weekday()][:1]) + swedishDays[day.Weekday()][1:] + " " + day.Format(time.DateOnly)
}

// technicianHome is Mina arbetsorder: the open work orders from before
// today on top, then today's and the coming days' in time order, and
// today's finished ones.
func (s *server) technicianHome(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	scope := repair.ScopeFor(userOf(r))
	today := repair.Midnight(s.now())
	items, err := s.db.Agenda(ctx, scope, today.AddDate(0, 0, agendaDays), today)
	if err != nil {
		return err
	}
	cases := make([]repair.Case, len(items))
	for i, it := range items {
		cases[i] = it.Case
	}
	faults, err := s.db.EarlierFaults(ctx, scope, cases, maxFaults)
	if err != nil {
		return err
	}
	p := &agendaPage{basePage: s.base(r, "Mina arbetsorder")}
	for _, it := range items {
		c := agendaCard{AgendaItem: it, Faults: faults[it.Case.ID]}
		day := repair.Midnight(it.WorkOrder.PlannedStart)
		if day.Before(today) {
			day = today.AddDate(0, 0, -1) // every earlier day under one heading
		}
		h := dayHeading(day, today)
		if n := len(p.Days); n == 0 || p.Days[n-1].Heading != h {
			p.Days = append(p.Days, agendaDay{Heading: h, Later: day.After(today)})
		}
		d := &p.Days[len(p.Days)-1]
		d.Cards = append(d.Cards, c)
	}
	return s.render(w, r, http.StatusOK, "tekniker/agenda.html", p)
}

// techWorkOrderPage is one work order on the technician's phone.
type techWorkOrderPage struct {
	basePage
	Card      agendaCard
	View      caseView
	Parts     []store.Part
	Accept    string
	Outcomes  []repair.Outcome
	CostKinds []repair.CostKind
	Action    form[repair.ActionInput]
	Cost      form[repair.CostInput]
	Photo     form[clientForm]
	Part      form[partInput]
	Finish    form[finishInput]
	Start     form[clientForm]
	Sign      form[signInput]
	Notes     []repair.DeliveryNote
	Signings  []repair.NoteSignature
}

// CanSign reports whether the finished work order waits for its signed
// delivery note.
func (p *techWorkOrderPage) CanSign() bool {
	return p.Card.WorkOrder.Status == repair.WorkOrderDone && !p.Card.WorkOrder.Locked()
}

// clientForm is a form whose only input is its one-time id.
type clientForm struct{ ClientID string }

type partInput struct{ Note, ClientID string }

type finishInput struct{ Outcome, Note, ClientID string }

// Open reports whether the work order can still be worked on.
func (p *techWorkOrderPage) Open() bool {
	st := p.Card.WorkOrder.Status
	return (st == repair.WorkOrderPlanned || st == repair.WorkOrderInProgress) && !p.Card.WorkOrder.Locked()
}

// Work is the work order's actions and costs, as the case-work partial
// shows them.
func (p *techWorkOrderPage) Work() caseWorkView { return p.View.work(nil) }

// pathTechWorkOrder loads the work order in the path as the signed-in
// technician may see it: its own only.
func (s *server) pathTechWorkOrder(r *http.Request) (repair.WorkOrder, error) {
	id, err := pathID(r)
	if err != nil {
		return repair.WorkOrder{}, err
	}
	return s.db.WorkOrder(r.Context(), repair.ScopeFor(userOf(r)), id)
}

func (s *server) technicianWorkOrder(w http.ResponseWriter, r *http.Request) error {
	return s.renderTechWorkOrder(w, r, http.StatusOK, nil)
}

// renderTechWorkOrder shows the work order's page; failed, when not nil,
// puts back the form that failed.
func (s *server) renderTechWorkOrder(w http.ResponseWriter, r *http.Request, status int, failed func(*techWorkOrderPage)) error {
	ctx := r.Context()
	scope := repair.ScopeFor(userOf(r))
	wo, err := s.pathTechWorkOrder(r)
	if err != nil {
		return err
	}
	v, err := s.loadCase(ctx, scope, wo.CaseID)
	if err != nil {
		return err
	}
	// Only this work order: a case may have other visits, by others.
	for _, x := range v.WorkOrders {
		if x.ID == wo.ID {
			v.WorkOrders, v.TotalOre = []workOrderView{x}, 0
			for _, l := range x.Costs {
				v.TotalOre += l.AmountOre
			}
			break
		}
	}
	p := &techWorkOrderPage{basePage: s.base(r, "Arbetsorder "+wo.Number), View: v, Accept: upload.AcceptImages,
		Outcomes: repair.Outcomes, CostKinds: repair.CostKinds}
	p.Card.WorkOrder, p.Card.Case = wo, v.Case
	if p.Open() {
		p.Card.RevealURL = fmt.Sprintf("/tekniker/arbetsorder/%d/huvudnyckel", wo.ID)
	}
	if v.Case.AssetID != 0 {
		a, err := s.db.Asset(ctx, scope, v.Case.AssetID)
		if err != nil {
			return err
		}
		p.Card.Asset = a
		faults, err := s.db.EarlierFaults(ctx, scope, []repair.Case{v.Case}, maxFaults)
		if err != nil {
			return err
		}
		p.Card.Faults = faults[v.Case.ID]
	}
	k, err := s.db.Customer(ctx, scope, v.Case.CustomerID)
	if err != nil {
		return err
	}
	p.Card.CustomerName = k.Name
	if p.Parts, err = s.db.PartsUsed(ctx, maxParts); err != nil {
		return err
	}
	today := s.now().In(repair.Stockholm).Format(time.DateOnly)
	p.Action = newForm("action", repair.ActionInput{Date: today, Visible: true, ClientID: auth.NewFormID()})
	p.Cost = newForm("cost", repair.CostInput{Kind: string(repair.CostPart), Quantity: "1", Visible: true, ClientID: auth.NewFormID()})
	p.Photo = newForm("photo", clientForm{auth.NewFormID()})
	p.Part = newForm("part", partInput{ClientID: auth.NewFormID()})
	p.Finish = newForm("finish", finishInput{ClientID: auth.NewFormID()})
	p.Start = newForm("start", clientForm{auth.NewFormID()})
	p.Sign = newForm("sign", signInput{How: string(repair.NoteSigned), ClientID: auth.NewFormID()})
	p.Signings = repair.NoteSignatures
	if p.Notes, err = s.db.DeliveryNotes(ctx, scope, wo.ID); err != nil {
		return err
	}
	p.Flash = techSaved[r.URL.Query().Get("sparat")]
	if failed != nil {
		failed(p)
	}
	return s.render(w, r, status, "tekniker/work_order.html", p)
}

// techSaved are the confirmations after a technician's form, by the
// ?sparat= of the redirect, so that they survive it.
var techSaved = map[string]string{
	"start":     "Arbetsordern är startad.",
	"atgard":    "Åtgärden är sparad.",
	"kostnad":   "Kostnaden är sparad.",
	"foto":      "Fotot är sparat.",
	"reservdel": "Ärendet väntar nu på reservdel. Kontoret ser det.",
	"klar":      "Arbetsordern är avslutad. Låt kunden skriva under följesedeln.",
	"signerad":  "Följesedeln är sparad och låst. Kunden ser den under Öppna fil signatur.",
}

// techFormDone answers a technician's form: the page again with the form
// that failed (422), or back to the work order with a confirmation.
func (s *server) techFormDone(w http.ResponseWriter, r *http.Request, woID int64, saved string, err error, failed func(*techWorkOrderPage, repair.FieldErrors)) error {
	return s.answer(w, r, err, fmt.Sprintf("/tekniker/arbetsorder/%d?sparat=%s", woID, saved), "", func(fe repair.FieldErrors) error {
		return s.renderTechWorkOrder(w, r, http.StatusUnprocessableEntity, func(p *techWorkOrderPage) { failed(p, fe) })
	})
}

func (s *server) technicianStart(w http.ResponseWriter, r *http.Request) error {
	wo, err := s.pathTechWorkOrder(r)
	if err != nil {
		return err
	}
	_, err = s.ops.StartWorkOrder(r.Context(), userOf(r), wo.ID)
	return s.techFormDone(w, r, wo.ID, "start", err, func(p *techWorkOrderPage, fe repair.FieldErrors) {
		p.Start = failedForm("start", clientForm{r.PostFormValue("client_id")}, fe)
	})
}

func (s *server) technicianAction(w http.ResponseWriter, r *http.Request) error {
	wo, err := s.pathTechWorkOrder(r)
	if err != nil {
		return err
	}
	v := r.PostFormValue
	in := repair.ActionInput{Date: v("date"), Description: v("description"), Time: v("time"), Visible: v("visible") == "1", ClientID: v("client_id")}
	_, err = s.ops.RecordAction(r.Context(), userOf(r), wo.ID, in)
	return s.techFormDone(w, r, wo.ID, "atgard", err, func(p *techWorkOrderPage, fe repair.FieldErrors) { p.Action = failedForm("action", in, fe) })
}

func (s *server) technicianCost(w http.ResponseWriter, r *http.Request) error {
	wo, err := s.pathTechWorkOrder(r)
	if err != nil {
		return err
	}
	v := r.PostFormValue
	in := repair.CostInput{Kind: v("kind"), Description: v("description"), Article: v("article"), Quantity: v("quantity"),
		UnitPrice: v("unit_price"), Visible: v("visible") == "1", ClientID: v("client_id")}
	_, err = s.ops.AddCostLine(r.Context(), userOf(r), wo.ID, in)
	return s.techFormDone(w, r, wo.ID, "kostnad", err, func(p *techWorkOrderPage, fe repair.FieldErrors) { p.Cost = failedForm("cost", in, fe) })
}

// technicianPhoto stores a photo taken on site, checked like every upload.
func (s *server) technicianPhoto(w http.ResponseWriter, r *http.Request) error {
	wo, err := s.pathTechWorkOrder(r)
	if err != nil {
		return err
	}
	var in clientForm
	failed := func(p *techWorkOrderPage, fe repair.FieldErrors) { p.Photo = failedForm("photo", in, fe) }
	fail := func(msg string) error {
		return s.techFormDone(w, r, wo.ID, "foto", repair.FieldErrors{"file": msg}, failed)
	}
	cleanup, err := parseUpload(w, r)
	defer cleanup()
	if err != nil {
		return fail(upload.Message(err))
	}
	in = clientForm{r.FormValue("client_id")}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return fail("Ta ett foto eller välj en bild.")
	}
	defer file.Close()
	_, err = s.ops.AttachFile(r.Context(), userOf(r), wo.CaseID, orders.FileInput{
		Kind: repair.FilePhoto, WorkOrderID: wo.ID, Name: hdr.Filename, Body: file, ClientID: in.ClientID})
	return s.techFormDone(w, r, wo.ID, "foto", err, failed)
}

func (s *server) technicianWaitForPart(w http.ResponseWriter, r *http.Request) error {
	wo, err := s.pathTechWorkOrder(r)
	if err != nil {
		return err
	}
	in := partInput{Note: r.PostFormValue("part_note"), ClientID: r.PostFormValue("client_id")}
	err = s.ops.WaitForPart(r.Context(), userOf(r), wo.ID, in.Note)
	return s.techFormDone(w, r, wo.ID, "reservdel", err, func(p *techWorkOrderPage, fe repair.FieldErrors) { p.Part = failedForm("part", in, fe) })
}

func (s *server) technicianFinish(w http.ResponseWriter, r *http.Request) error {
	wo, err := s.pathTechWorkOrder(r)
	if err != nil {
		return err
	}
	in := finishInput{Outcome: r.PostFormValue("outcome"), Note: r.PostFormValue("outcome_note"), ClientID: r.PostFormValue("client_id")}
	_, err = s.ops.FinishWorkOrder(r.Context(), userOf(r), wo.ID, orders.FinishInput{Outcome: repair.Outcome(in.Outcome), Note: in.Note})
	return s.techFormDone(w, r, wo.ID, "klar", err, func(p *techWorkOrderPage, fe repair.FieldErrors) { p.Finish = failedForm("finish", in, fe) })
}

// signInput is the sign form as entered.
type signInput struct{ How, SignerName, ClientID string }

// technicianSign makes the signed delivery note: from the pad's strokes,
// or, without JavaScript, from a photo of a signed paper; or records that
// the customer refused or was not there.
func (s *server) technicianSign(w http.ResponseWriter, r *http.Request) error {
	wo, err := s.pathTechWorkOrder(r)
	if err != nil {
		return err
	}
	var in signInput
	failed := func(p *techWorkOrderPage, fe repair.FieldErrors) { p.Sign = failedForm("sign", in, fe) }
	fail := func(field, msg string) error {
		return s.techFormDone(w, r, wo.ID, "signerad", repair.FieldErrors{field: msg}, failed)
	}
	cleanup, err := parseUpload(w, r)
	defer cleanup()
	if err != nil {
		return fail("signature", upload.Message(err))
	}
	in = signInput{How: r.FormValue("outcome"), SignerName: r.FormValue("signer_name"), ClientID: r.FormValue("client_id")}
	si := orders.SignInput{How: repair.NoteSignature(in.How), SignerName: in.SignerName, ClientID: in.ClientID}
	if raw := r.FormValue("signature"); raw != "" && si.How == repair.NoteSigned {
		if si.Signature, err = docs.ParseSignature(raw); err != nil {
			return fail("signature", "Namnteckningen kom inte fram. Be kunden skriva igen.")
		}
	}
	if paper, hdr, err := r.FormFile("paper"); err == nil {
		defer paper.Close()
		si.Paper, si.PaperName = paper, hdr.Filename
	}
	_, err = s.ops.SignDeliveryNote(r.Context(), userOf(r), wo.ID, si)
	return s.techFormDone(w, r, wo.ID, "signerad", err, failed)
}

// technicianRevealAccess shows the work order's page with Huvudnyckel in
// full, for the technician at the door; the showing is written to the
// audit log.
func (s *server) technicianRevealAccess(w http.ResponseWriter, r *http.Request) error {
	wo, err := s.pathTechWorkOrder(r)
	if err != nil {
		return err
	}
	access, err := s.ops.RevealAccess(r.Context(), userOf(r), wo.CaseID)
	if err != nil {
		return err
	}
	return s.renderTechWorkOrder(w, r, http.StatusOK, func(p *techWorkOrderPage) { p.Card.Access = access })
}
