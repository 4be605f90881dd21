package repair

import "time"

// CaseSort is a sort order the case search offers; anything else is
// refused, so a URL cannot ask the database for an unindexed sort.
type CaseSort string

// Case sort orders.
const (
	SortRegistered CaseSort = "registrerad" // registered time, then id
	SortNumber     CaseSort = "nummer"      // case number
	SortCompleted  CaseSort = "utford"      // completion time, then id; completed cases only
)

// Valid reports whether s is an offered sort order.
func (s CaseSort) Valid() bool { return s == SortRegistered || s == SortNumber || s == SortCompleted }

// CaseFilter is a search in Sök ärende. The zero value lists every case
// the scope may see, newest first. For Ort, Gata, Objekttyp, Fabrikat and
// Objekt, NoValue matches the cases where it is not filled in.
type CaseFilter struct {
	InvoiceReference string // Fakturamärkning, exact but case-insensitive
	AssetNumber      string // Objekt: the asset number on the label
	AssetID          int64  // one machine's cases, not 0: its page's history
	Street           string // Gata: the beginning of the street address
	StreetExact      bool   // Gata is the whole street address, not its beginning
	City             string // Ort, exact but case-insensitive
	Kind, Brand      string // Objekttyp and Fabrikat of the machine, exact but case-insensitive
	// Completed keeps only completed cases (Utförd, Fakturerad), and
	// CompletedFrom and CompletedTo those completed in [From, To).
	Completed                  bool
	CompletedFrom, CompletedTo time.Time
	Repeat                     bool // only repeat faults (see RepeatWindow)
	// The office's filters, over every customer: one customer, the cases
	// with a work order for a technician, those with no work order (none
	// that is not cancelled), and those with a work order planned to start
	// in [PlannedFrom, PlannedTo).
	// CustomerNews keeps the cases with information from the customer
	// that the office has not yet seen.
	CustomerNews           bool
	CustomerID             int64
	TechnicianID           int64
	NoWorkOrder            bool
	PlannedFrom, PlannedTo time.Time
	Statuses               []Status  // any of these; none means all
	From, To               time.Time // registered on or after From, before To (To is exclusive)
	Text                   string    // words that must all occur in number, Ort / Titel or Beskrivning
	Sort                   CaseSort
	Asc                    bool
	// Cursor continues after (or, with Before, before) the row it was
	// made from; empty starts at the beginning.
	Cursor string
	Before bool
	Limit  int
	// NoCount skips the capped count, for callers that walk every page.
	NoCount bool
}

// CaseResult is one page of a case search.
type CaseResult struct {
	Cases []Case
	// Next and Prev are cursors for the following and preceding pages,
	// empty where there is none.
	Next, Prev string
	// Total is the number of matching cases, counted up to a cap; Capped
	// says the true number is larger.
	Total  int
	Capped bool
}
