package repair

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// StatusInput is the order system's status change of a case.
type StatusInput struct{ To, Note string }

// Validate checks the change from the case's current status.
func (in StatusInput) Validate(from Status) (Status, string, FieldErrors) {
	fe := FieldErrors{}
	to := Status(strings.TrimSpace(in.To))
	switch {
	case !to.Valid():
		fe.Add("status", "Välj en status.")
	case !CanTransition(from, to):
		fe.Add("status", fmt.Sprintf("Ärendet kan inte gå från %s till %s.", from.Label(), to.Label()))
	}
	note := line(fe, "note", in.Note, 500, false)
	return to, note, fe
}

// WorkOrderInput is a planned visit: technician, day and time window.
type WorkOrderInput struct{ TechnicianID, Date, From, Until string }

// PlanDates is how far from today a visit may be planned: back-registering
// last year's visit is fine, a typo that lands in year 0 or 9999 is not.
func PlanDates(today time.Time) DateRange {
	return Around(today, 1, 2)
}

// Validate checks the fields and returns the technician's user id (the
// caller checks that it is a technician) and the planned window.
func (in WorkOrderInput) Validate(today time.Time) (technicianID int64, start, end time.Time, fe FieldErrors) {
	fe = FieldErrors{}
	technicianID = id(fe, "technician_id", in.TechnicianID, "Välj en tekniker.")
	d := date(fe, "date", in.Date, PlanDates(today))
	if d.IsZero() {
		fe.Add("date", "Ange datum som ÅÅÅÅ-MM-DD, t.ex. 2026-03-14.")
	}
	from, until := clock(fe, "from", in.From), clock(fe, "until", in.Until)
	if len(fe) == 0 && until <= from {
		fe.Add("until", "Sluttiden måste vara efter starttiden.")
	}
	if len(fe) > 0 {
		return technicianID, time.Time{}, time.Time{}, fe
	}
	// Adding clock durations to midnight would be off by an hour on the
	// days the clocks change; build the times from the wall clock instead.
	at := func(c time.Duration) time.Time {
		return time.Date(d.Year(), d.Month(), d.Day(), int(c.Hours()), int(c.Minutes())%60, 0, 0, Stockholm)
	}
	return technicianID, at(from), at(until), fe
}

// clock reads a time of day, "08:00".
func clock(fe FieldErrors, field, v string) time.Duration {
	t, err := time.Parse("15:04", strings.TrimSpace(v))
	if err != nil {
		fe.Add(field, "Ange tid som TT:MM, t.ex. 08:00.")
		return 0
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute
}

// id reads a record id chosen in a form; anything but a positive integer
// gives msg.
func id(fe FieldErrors, field, v, msg string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || n <= 0 {
		fe.Add(field, msg)
		return 0
	}
	return n
}

// ActionInput is what was done on a work order.
type ActionInput struct {
	Date, TechnicianID, Description, Time string
	Visible                               bool
	// ClientID is the form's one-time id: a resent form records once.
	ClientID string
}

// ActionDates is when an action may have been done: not in the future,
// and not before the company kept records.
func ActionDates(today time.Time) DateRange {
	return DateRange{Min: day(2000, 1, 1), Max: Around(today, 0, 0).Max}
}

// MaxActionDescription bounds an action's text.
const MaxActionDescription = 2000

// Validate checks the fields and returns the action (without its work
// order) and the technician's user id for the caller to check.
func (in ActionInput) Validate(today time.Time) (Action, FieldErrors) {
	fe := FieldErrors{}
	a := Action{CustomerVisible: in.Visible}
	if d := date(fe, "date", in.Date, ActionDates(today)); !d.IsZero() {
		a.PerformedOn = d.Format(time.DateOnly)
	} else {
		fe.Add("date", "Ange datum som ÅÅÅÅ-MM-DD, t.ex. 2026-03-14.")
	}
	a.TechnicianID = id(fe, "technician_id", in.TechnicianID, "Välj en tekniker.")
	a.Description = lines(fe, "description", in.Description, MaxActionDescription, false)
	if a.Description == "" {
		fe.Add("description", "Beskriv vad som gjordes.")
	}
	var err error
	if a.Minutes, err = ParseMinutes(in.Time); err != nil {
		fe.Add("time", "Ange tid som minuter (90), timmar och minuter (1:30, 1 h 30 min) eller timmar (1,5 h).")
	}
	return a, fe
}

// CostInput is a cost line as entered.
type CostInput struct {
	Kind, Description, Article, Quantity, UnitPrice string
	Visible                                         bool
	// ClientID is the form's one-time id: a resent form records once.
	ClientID string
}

// Validate checks the fields and returns the line without its work order.
// An empty price on labour is left for the caller to fill in with the
// contract's or customer's rate (needsRate).
func (in CostInput) Validate() (l CostLine, needsRate bool, fe FieldErrors) {
	fe = FieldErrors{}
	l = CostLine{Kind: CostKind(strings.TrimSpace(in.Kind)), CustomerVisible: in.Visible}
	switch l.Kind {
	case CostLabour, CostPart, CostTravel, CostFee:
	default:
		fe.Add("kind", "Välj typ av kostnad.")
	}
	l.Description = line(fe, "description", in.Description, 200, false)
	l.Article = line(fe, "article", in.Article, 60, false)
	if l.Kind == CostPart && l.Description == "" && l.Article == "" && fe["description"] == "" && fe["article"] == "" {
		fe.Add("description", "Ange reservdel eller artikelnummer.")
	}
	var err error
	if l.QuantityMilli, err = ParseQuantity(in.Quantity); err != nil || l.QuantityMilli == 0 || l.QuantityMilli > 1_000_000_000 {
		fe.Add("quantity", "Ange antal, t.ex. 1 eller 1,5.")
	}
	price := strings.TrimSpace(in.UnitPrice)
	switch {
	case price == "" && l.Kind == CostLabour:
		needsRate = true
	default:
		if l.UnitPriceOre, err = ParseAmount(price); err != nil || l.UnitPriceOre > 100_000_000_00 {
			fe.Add("unit_price", "Ange à-pris i kronor, t.ex. 1 234,50.")
		}
	}
	if l.Description == "" && fe["description"] == "" {
		l.Description = l.Kind.Label()
	}
	return l, needsRate, fe
}

// PasswordChangeInput is the Byt lösenord form.
type PasswordChangeInput struct{ Current, New, Again string }

// Validate checks the new password against the rules and the repetition,
// and asks for each field left empty; the caller checks the current one.
func (in PasswordChangeInput) Validate() FieldErrors {
	fe := FieldErrors{}
	if in.Current == "" {
		fe.Add("current", "Ange ditt nuvarande lösenord.")
	}
	NewPasswordInput{New: in.New, Again: in.Again}.check(fe)
	if fe["new"] == "" && in.New != "" && in.New == in.Current {
		fe.Add("new", "Välj ett annat lösenord än det nuvarande.")
	}
	return fe
}

// NewPasswordInput is a new password, typed twice: Glömt lösenord's form.
type NewPasswordInput struct{ New, Again string }

// Validate checks the password against the rules and the repetition.
func (in NewPasswordInput) Validate() FieldErrors {
	fe := FieldErrors{}
	in.check(fe)
	return fe
}

func (in NewPasswordInput) check(fe FieldErrors) {
	switch msg := PasswordProblem(in.New); {
	case in.New == "":
		fe.Add("new", "Ange ett nytt lösenord.")
	case msg != "":
		fe.Add("new", msg)
	}
	switch {
	case in.Again == "":
		fe.Add("again", "Ange det nya lösenordet en gång till.")
	case in.Again != in.New && fe["new"] == "":
		fe.Add("again", "Lösenorden är inte lika.")
	}
}

// CustomerNoteInput is what a customer adds to its own open case.
type CustomerNoteInput struct{ Note string }

// Validate checks the note against the case's status: information is
// added while the case is open.
func (in CustomerNoteInput) Validate(status Status) (string, FieldErrors) {
	fe := FieldErrors{}
	note := lines(fe, "note", in.Note, 2000, true)
	if !status.Open() {
		fe.Add("note", "Ärendet är avslutat. Gör en ny serviceanmälan om felet finns kvar.")
	}
	return note, fe
}

// CustomerCancelInput is a customer's cancellation of its own case.
type CustomerCancelInput struct{ Reason string }

// CustomerMayCancel reports whether a customer may still cancel a case in
// status s: before it is planned, no one is on the way.
func CustomerMayCancel(s Status) bool { return s == StatusRegistered || s == StatusReceived }

// Validate checks the reason and that the case may still be cancelled.
func (in CustomerCancelInput) Validate(status Status) (string, FieldErrors) {
	fe := FieldErrors{}
	reason := line(fe, "reason", in.Reason, 500, true)
	if !CustomerMayCancel(status) {
		fe.Add("reason", "Ärendet är redan planerat eller avslutat och kan inte avbrytas här. Ring oss, så hjälper vi till.")
	}
	return reason, fe
}
