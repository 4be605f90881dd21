// Package repair holds Kundportal's domain: customers, their machines
// (assets), service cases with work orders, actions and costs, and the rules
// that govern them. It knows nothing of SQL or HTTP.
package repair

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Sentinel errors shared by the store and the handlers. Handlers map them to
// status codes in one place.
var (
	// ErrNotFound means the record does not exist or belongs to another
	// customer; callers must not be able to tell the two apart.
	ErrNotFound = errors.New("not found")
	// ErrForbidden means the user may not do this.
	ErrForbidden = errors.New("forbidden")
	// ErrConflict means the change clashes with the current state, such as a
	// duplicate unique value.
	ErrConflict = errors.New("conflict")
)

// FieldErrors maps a form field name to a Swedish message for the user.
type FieldErrors map[string]string

// Error lists the fields in a stable order.
func (fe FieldErrors) Error() string {
	keys := make([]string, 0, len(fe))
	for k := range fe {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("invalid fields:")
	for _, k := range keys {
		fmt.Fprintf(&b, " %s (%s);", k, fe[k])
	}
	return b.String()
}

// Add records msg for field unless the field already has a message, so the
// first failing rule wins.
func (fe FieldErrors) Add(field, msg string) {
	if _, ok := fe[field]; !ok {
		fe[field] = msg
	}
}

// Err returns fe as an error, or nil when it is empty.
func (fe FieldErrors) Err() error {
	if len(fe) == 0 {
		return nil
	}
	return fe
}

// Role is what a user may do.
type Role string

// Roles. Customer roles are bound to one customer; staff roles are not.
const (
	RoleCustomerUser  Role = "customer_user"
	RoleCustomerAdmin Role = "customer_admin"
	RoleDispatcher    Role = "dispatcher"
	RoleTechnician    Role = "technician"
	RoleAdmin         Role = "admin"
)

// Roles lists every role, for validation.
var Roles = []Role{RoleCustomerUser, RoleCustomerAdmin, RoleDispatcher, RoleTechnician, RoleAdmin}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// IsCustomer reports whether r belongs to a customer's own people.
func (r Role) IsCustomer() bool { return r == RoleCustomerUser || r == RoleCustomerAdmin }

// IsStaff reports whether r may use the order system's office screens.
func (r Role) IsStaff() bool { return r == RoleDispatcher || r == RoleAdmin }

// Label is the role's Swedish name.
func (r Role) Label() string {
	switch r {
	case RoleCustomerUser:
		return "Kundanvändare"
	case RoleCustomerAdmin:
		return "Kundadministratör"
	case RoleDispatcher:
		return "Arbetsledare"
	case RoleTechnician:
		return "Tekniker"
	case RoleAdmin:
		return "Administratör"
	}
	return string(r)
}

// Customer is an organisation that logs in to the portal.
type Customer struct {
	ID             int64
	Number         string // customer number, e.g. "K1001"
	Name           string
	OrgNumber      string // organisationsnummer, "556677-8899"
	InvoiceAddress string
	HourlyRateOre  int64 // default labour rate, öre ex VAT
	// InvoicesAdminsOnly shows the customer's invoices and
	// Fakturaspecifikation to its customer admins only.
	InvoicesAdminsOnly bool
	CreatedAt          time.Time
}

// User is one person with a personal login: a customer's user (CustomerID
// set) or a member of staff (CustomerID zero).
type User struct {
	ID                 int64
	CustomerID         int64 // 0 for staff
	Email              string
	Name               string
	Phone              string
	Role               Role
	PasswordHash       string
	Disabled           bool
	MustChangePassword bool
	// InvoicesAdminsOnly is the customer's setting of that name, read
	// with the user: see SeesInvoices.
	InvoicesAdminsOnly bool
	// TOTPEnabled says the user signs in with a code from an
	// authenticator app after the password.
	TOTPEnabled bool
	// MailDigest gathers the user's case mails into one a day.
	MailDigest bool
	// MailVersion is the customer's count of changes to who gets its
	// mails, read with the user: the store keeps the recipients of a
	// customer's mails at the version it read them at.
	MailVersion uint64
	// ReporterName and ReporterPhone are what the user last entered as
	// Anmälare and Tel anmälare; the next case form starts with them.
	ReporterName  string
	ReporterPhone string
	CreatedAt     time.Time
}

// Contract is a service agreement (avtal) with a customer.
type Contract struct {
	ID            int64
	CustomerID    int64
	Number        string
	Name          string
	ValidFrom     string // YYYY-MM-DD
	ValidTo       string // YYYY-MM-DD or empty
	HourlyRateOre int64  // 0 means the customer's default
}

// Asset is one machine (objekt), carrying a label with a unique number.
type Asset struct {
	ID             int64
	CustomerID     int64
	ContractID     int64 // 0 when no contract
	ContractNumber string
	Number         string // objektnummer, unique across all customers
	Kind           string // Tvättmaskin, Diskmaskin, ...
	Brand          string
	Model          string
	SerialNumber   string
	SiteName       string // Kund: tenant, department, ...
	Street         string
	PostalCode     string // "123 45"
	City           string
	Location       string // placement, e.g. "Tvättstuga, källarplan"
	InstalledOn    string // YYYY-MM-DD or empty
	CreatedAt      time.Time
}

// Label is a short description of the asset for lists and pickers.
func (a Asset) Label() string {
	return strings.TrimSpace(fmt.Sprintf("%s %s %s, %s", a.Number, a.Kind, a.Brand, a.Street))
}

// PortalCaseType is the type every case filed in the customer portal gets;
// the portal shows it but never lets the customer choose.
const PortalCaseType = "Serviceanmälan"

// Case is one service request (ärende), from report to completion. The
// fields are those of the portal's "Nytt ärende" form.
type Case struct {
	ID            int64
	Number        string // human case number, "2026-00123"
	CustomerID    int64
	AssetID       int64 // 0 when the reporter chose no asset
	AssetNumber   string
	Type          string
	Title         string // Ort / Titel
	Description   string // Beskrivning
	SiteName      string // Kund
	Street        string // Gata
	ReporterName  string // Anmälare
	ReporterPhone string // Tel anmälare
	SitePhone1    string // Tel 1 kund
	SitePhone2    string // Tel 2 kund
	PostalCode    string // Postnr
	City          string // ort
	Access        string // Huvudnyckel: "Ja", "Nej" or a door code; masked when read from the store
	// AccessSealed is Access encrypted, as the store keeps it; only the
	// operations layer opens it, for those who may see it.
	AccessSealed     string
	ContractNumber   string // Avtal
	InvoiceReference string // Fakturamärkning
	Status           Status
	ReportedBy       int64 // user id, 0 when unknown
	RegisteredAt     time.Time
	CompletedAt      time.Time // zero until Utförd
	// RepeatFault says the case was filed within RepeatWindow of an
	// earlier case on the same machine being completed.
	RepeatFault bool
	// CustomerNewsAt is when the customer last added information or
	// cancelled, until the office has seen it; zero otherwise.
	CustomerNewsAt time.Time
	// Costs are the case's customer-visible costs over all its work
	// orders, öre ex VAT, per kind in CostKinds order.
	Costs [4]int64
	// VisibleActions and Files count the case's customer-visible actions
	// and its files, and DeliveryNoteID is its newest signed delivery
	// note (0 if none): what a list shows beside the case.
	VisibleActions int
	Files          int
	DeliveryNoteID int64
	UpdatedAt      time.Time
}

// StatusChange is one entry in a case's status history.
type StatusChange struct {
	Status    Status
	ChangedAt time.Time
	ChangedBy string // name of the user, empty for the system
	Note      string
}

// WorkOrder is one job or visit by a technician on a case.
type WorkOrder struct {
	ID             int64
	CaseID         int64
	Number         string // "2026-00123-1"
	TechnicianID   int64
	TechnicianName string
	Status         WorkOrderStatus
	PlannedStart   time.Time
	PlannedEnd     time.Time
	CreatedAt      time.Time
	CompletedAt    time.Time
	StartedAt      time.Time // when the technician started it on site
	Outcome        Outcome   // how the visit ended, when no work was done
	OutcomeNote    string
	// LockedAt is when its delivery note was signed: from then on its
	// actions and costs cannot change until the office reopens it.
	LockedAt time.Time
	// InvoiceID is the invoice the work order is on; from then on nothing
	// on it changes (a correction is a credit note).
	InvoiceID int64
}

// Locked reports whether the work order's delivery note is signed.
func (w WorkOrder) Locked() bool { return !w.LockedAt.IsZero() }

// Outcome says how a visit ended when no repair was done; the zero value
// means work was done (and recorded as actions).
type Outcome string

// Outcomes of a visit.
const (
	OutcomeWorkDone    Outcome = ""
	OutcomeNoOneHome   Outcome = "no_one_home"  // Ingen på plats
	OutcomeCancelled   Outcome = "cancelled"    // Kunden avbokade
	OutcomeNotRepaired Outcome = "not_repaired" // Gick inte att laga
)

// Outcomes lists the outcomes a technician may choose, work done first.
var Outcomes = []Outcome{OutcomeWorkDone, OutcomeNoOneHome, OutcomeCancelled, OutcomeNotRepaired}

// Label is the outcome's Swedish name.
func (o Outcome) Label() string {
	switch o {
	case OutcomeWorkDone:
		return "Arbetet utfört"
	case OutcomeNoOneHome:
		return "Ingen på plats"
	case OutcomeCancelled:
		return "Kunden avbokade"
	case OutcomeNotRepaired:
		return "Gick inte att laga"
	}
	return string(o)
}

// Valid reports whether o is a known outcome.
func (o Outcome) Valid() bool {
	for _, x := range Outcomes {
		if o == x {
			return true
		}
	}
	return false
}

// Action is what a technician did on a work order.
type Action struct {
	ID              int64
	WorkOrderID     int64
	PerformedOn     string // YYYY-MM-DD
	TechnicianID    int64
	TechnicianName  string
	Description     string
	Minutes         int
	CustomerVisible bool
	CreatedAt       time.Time
}

// CostKind says what a cost line is for.
type CostKind string

// Cost kinds.
const (
	CostLabour CostKind = "labour"
	CostPart   CostKind = "part"
	CostTravel CostKind = "travel"
	CostFee    CostKind = "fee"
)

// Label is the cost kind's Swedish name.
func (k CostKind) Label() string {
	switch k {
	case CostLabour:
		return "Arbete"
	case CostPart:
		return "Reservdel"
	case CostTravel:
		return "Resa"
	case CostFee:
		return "Avgift"
	}
	return string(k)
}

// CostTotal is the sum of costs per kind.
func CostTotal(costs [4]int64) int64 { return costs[0] + costs[1] + costs[2] + costs[3] }

// CostKinds lists the cost kinds in the order forms offer them.
var CostKinds = []CostKind{CostLabour, CostPart, CostTravel, CostFee}

// CostLine is one line of cost on a work order, in öre excluding VAT.
// Quantity is in thousandths so that 1.5 hours is 1500.
type CostLine struct {
	ID              int64
	WorkOrderID     int64
	Kind            CostKind
	Description     string
	Article         string
	QuantityMilli   int64
	UnitPriceOre    int64
	AmountOre       int64
	CustomerVisible bool
	CreatedAt       time.Time
}

// LineAmount is quantity × unit price in öre, rounded half away from zero
// to whole öre.
func LineAmount(quantityMilli, unitPriceOre int64) int64 {
	p := quantityMilli * unitPriceOre
	if p >= 0 {
		return (p + 500) / 1000
	}
	return -((-p + 500) / 1000)
}

// VATRatePercent is Swedish standard VAT, used where totals are shown.
const VATRatePercent = 25

// VAT is the VAT on an amount ex VAT, rounded to whole öre.
func VAT(amountOre int64) int64 { return VATOn(amountOre, VATStandard) }

// FileKind says what a stored file is.
type FileKind string

// File kinds.
const (
	FileAttachment   FileKind = "attachment"
	FilePhoto        FileKind = "photo"
	FileDeliveryNote FileKind = "delivery_note" // Följesedel (påskriven)
)

// FileKinds lists the file kinds in the order forms offer them.
var FileKinds = []FileKind{FilePhoto, FileAttachment, FileDeliveryNote}

// Label is the file kind's Swedish name.
func (k FileKind) Label() string {
	switch k {
	case FilePhoto:
		return "Foto"
	case FileAttachment:
		return "Bilaga"
	case FileDeliveryNote:
		return "Följesedel (påskriven)"
	}
	return string(k)
}

// File is a stored file's metadata; the bytes live in a filestore under
// SHA256.
type File struct {
	ID          int64
	CustomerID  int64
	CaseID      int64
	WorkOrderID int64
	Kind        FileKind
	Name        string
	ContentType string
	Size        int64
	SHA256      string
	ThumbSHA256 string // a small JPEG of an image; empty for other files
	UploadedBy  int64
	CreatedAt   time.Time
}

// AuditEntry records who changed what, and when.
type AuditEntry struct {
	At       time.Time
	UserID   int64
	UserName string
	Entity   string
	EntityID int64
	Action   string
	Detail   string
}

// Scope says whose records a query may see. The zero Scope sees nothing, so
// a forgotten scope fails closed. A customer's scope sees that customer's
// records and, of actions and costs, only those marked customer-visible; a
// technician's sees the work orders assigned to it and the cases, machines
// and files behind them; staff see everything.
type Scope struct {
	customerID   int64
	technicianID int64
	staff        bool
	noInvoices   bool // a customer user whose customer shows invoices to its admins only
}

// CustomerScope sees one customer's records only, as the customer sees
// them.
func CustomerScope(customerID int64) Scope { return Scope{customerID: customerID} }

// TechnicianScope sees the work orders assigned to the technician with
// userID, and what they are about.
func TechnicianScope(userID int64) Scope { return Scope{technicianID: userID} }

// StaffScope sees every customer's records.
func StaffScope() Scope { return Scope{staff: true} }

// ScopeFor is the scope of what u may see.
func ScopeFor(u User) Scope {
	switch {
	case u.Role.IsCustomer() && u.CustomerID > 0:
		s := CustomerScope(u.CustomerID)
		s.noInvoices = !u.SeesInvoices()
		return s
	case u.Role == RoleTechnician && u.ID > 0:
		return TechnicianScope(u.ID)
	case u.Role.IsStaff():
		return StaffScope()
	}
	return Scope{}
}

// SeesInvoices reports whether u may see its customer's invoices and
// Fakturaspecifikation: staff and customer admins always, a customer's
// user unless the customer shows them to its admins only.
func (u User) SeesInvoices() bool {
	return u.Role != RoleCustomerUser || !u.InvoicesAdminsOnly
}

// Invoices reports whether the scope may see its customer's invoices and
// the work they bill.
func (s Scope) Invoices() bool { return !s.noInvoices }

// All reports whether the scope sees every customer.
func (s Scope) All() bool { return s.staff }

// Customer is the customer the scope is limited to, or 0 when it is not
// limited to one.
func (s Scope) Customer() int64 { return s.customerID }

// Technician is the technician whose work orders the scope is limited to,
// or 0.
func (s Scope) Technician() int64 { return s.technicianID }

// CustomerView reports whether the scope sees records as the customer
// does: internal actions and costs hidden.
func (s Scope) CustomerView() bool { return s.customerID > 0 }

// CaseTypes are the types staff may choose when they register a case on a
// customer's behalf; the portal always uses PortalCaseType.
var CaseTypes = []string{"Telefonärende", PortalCaseType, "Garantiärende", "Avtalsservice", "Installation"}

// HourlyRate is the labour rate for a case: its contract's rate when the
// case names one of the customer's contracts that sets a rate, otherwise
// the customer's default rate.
func HourlyRate(c Customer, contracts []Contract, contractNumber string) int64 {
	if k, ok := ContractByNumber(contracts, contractNumber); ok && k.HourlyRateOre > 0 {
		return k.HourlyRateOre
	}
	return c.HourlyRateOre
}

// ContractByNumber finds the contract a person means by number: case
// does not matter ("av-1" is AV-1), and an empty number is none.
func ContractByNumber(contracts []Contract, number string) (Contract, bool) {
	for _, k := range contracts {
		if number != "" && strings.EqualFold(k.Number, number) {
			return k, true
		}
	}
	return Contract{}, false
}
