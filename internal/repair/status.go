package repair

import "kundportal/internal/sv"

// Stockholm is the company's time zone: dates are shown in it, and a case
// registered on New Year's morning belongs to the new year.
var Stockholm = sv.Stockholm

// Status is a case's customer-visible state.
type Status string

// Case statuses in the order a case normally passes them; Avbruten can end a
// case at any point before it is invoiced.
const (
	StatusRegistered   Status = "registered"    // Registrerad
	StatusReceived     Status = "received"      // Mottagen
	StatusPlanned      Status = "planned"       // Planerad
	StatusInProgress   Status = "in_progress"   // Pågående
	StatusAwaitingPart Status = "awaiting_part" // Väntar på reservdel
	StatusCompleted    Status = "completed"     // Utförd
	StatusInvoiced     Status = "invoiced"      // Fakturerad
	StatusCancelled    Status = "cancelled"     // Avbruten
)

// Statuses lists every status in display order.
var Statuses = []Status{
	StatusRegistered, StatusReceived, StatusPlanned, StatusInProgress,
	StatusAwaitingPart, StatusCompleted, StatusInvoiced, StatusCancelled,
}

var statusLabels = map[Status]string{
	StatusRegistered:   "Registrerad",
	StatusReceived:     "Mottagen",
	StatusPlanned:      "Planerad",
	StatusInProgress:   "Pågående",
	StatusAwaitingPart: "Väntar på reservdel",
	StatusCompleted:    "Utförd",
	StatusInvoiced:     "Fakturerad",
	StatusCancelled:    "Avbruten",
}

// Label is the status's Swedish name as the portal shows it.
func (s Status) Label() string {
	if l, ok := statusLabels[s]; ok {
		return l
	}
	return string(s)
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	_, ok := statusLabels[s]
	return ok
}

// Open reports whether work on the case is still to come.
func (s Status) Open() bool {
	return s != StatusCompleted && s != StatusInvoiced && s != StatusCancelled
}

// transitions lists where each status may go next. Steps may be skipped
// forward (a phoned-in case can be planned at once), and a case may go back
// to an earlier working status while it is open (a part arrives, a revisit).
var transitions = map[Status][]Status{
	StatusRegistered:   {StatusReceived, StatusPlanned, StatusCancelled},
	StatusReceived:     {StatusPlanned, StatusInProgress, StatusCancelled},
	StatusPlanned:      {StatusInProgress, StatusAwaitingPart, StatusCompleted, StatusCancelled},
	StatusInProgress:   {StatusPlanned, StatusAwaitingPart, StatusCompleted, StatusCancelled},
	StatusAwaitingPart: {StatusPlanned, StatusInProgress, StatusCompleted, StatusCancelled},
	StatusCompleted:    {StatusInvoiced, StatusInProgress},
	StatusInvoiced:     nil,
	StatusCancelled:    nil,
}

// CanTransition reports whether a case in status from may be moved to to.
func CanTransition(from, to Status) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Next lists the statuses a case in s may move to.
func (s Status) Next() []Status { return transitions[s] }

// WorkOrderStatus is a work order's own state.
type WorkOrderStatus string

// Work order statuses.
const (
	WorkOrderPlanned    WorkOrderStatus = "planned"     // Planerad
	WorkOrderInProgress WorkOrderStatus = "in_progress" // Pågående
	WorkOrderDone       WorkOrderStatus = "done"        // Klar
	WorkOrderCancelled  WorkOrderStatus = "cancelled"   // Avbruten
)

// Label is the work order status's Swedish name.
func (s WorkOrderStatus) Label() string {
	switch s {
	case WorkOrderPlanned:
		return "Planerad"
	case WorkOrderInProgress:
		return "Pågående"
	case WorkOrderDone:
		return "Klar"
	case WorkOrderCancelled:
		return "Avbruten"
	}
	return string(s)
}

// workOrderTransitions lists where a work order may go next.
var workOrderTransitions = map[WorkOrderStatus][]WorkOrderStatus{
	WorkOrderPlanned:    {WorkOrderInProgress, WorkOrderDone, WorkOrderCancelled},
	WorkOrderInProgress: {WorkOrderPlanned, WorkOrderDone, WorkOrderCancelled},
	WorkOrderDone:       {WorkOrderInProgress},
	WorkOrderCancelled:  {WorkOrderPlanned},
}

// Next lists the statuses a work order in s may move to.
func (s WorkOrderStatus) Next() []WorkOrderStatus { return workOrderTransitions[s] }

// CanTransitionWorkOrder reports whether a work order may go from from to to.
func CanTransitionWorkOrder(from, to WorkOrderStatus) bool {
	for _, s := range workOrderTransitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// PathTo is the shortest series of allowed steps that takes a case from
// from to to (to last), or nil when there is none or from is to. The
// technician's steps use it: starting work on a case still Registrerad
// takes it through Mottagen to Pågående.
func PathTo(from, to Status) []Status {
	prev := map[Status]Status{from: from}
	queue := []Status{from}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		if s == to && s != from {
			var path []Status
			for x := to; x != from; x = prev[x] {
				path = append([]Status{x}, path...)
			}
			return path
		}
		for _, n := range transitions[s] {
			if _, seen := prev[n]; !seen {
				prev[n] = s
				queue = append(queue, n)
			}
		}
	}
	return nil
}
